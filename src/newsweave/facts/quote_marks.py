"""Where quotation marks enclose text: curly or straight, single or double, balanced or not.

News writes a quote that runs over several paragraphs with an opening mark on each and a closing mark only
on the last, so an unclosed quote runs to the end of its paragraph, and a paragraph that opens with a mark
right after such an unclosed one continues it. A straight mark opens or closes by what stands beside it.
Single marks count only outside double ones, in pairs within a paragraph, and never as an apostrophe
("the senator’s").
"""
from __future__ import annotations

import re

OPENS_AFTER = set(" \t\n\xa0([{—–-/")
DOUBLE = {"“": "open", "”": "close", "„": "open", "«": "open", "»": "close"}
PARAGRAPH = re.compile(r"\n\s*")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between line breaks."""
    out, start = [], 0
    for m in PARAGRAPH.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _kind(text: str, i: int, start: int, end: int, inside: bool) -> str:
    c = text[i]
    if c in DOUBLE:
        return DOUBLE[c]
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    if before in OPENS_AFTER and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or not after.isalnum()):
        return "close"
    return "close" if inside else "open"


def _double(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], bool]:
    """Double-quoted spans of one paragraph (marks included) and whether the last one is left open. Two
    single marks ('' or ``) are one double mark, as some newspapers' systems write them."""
    spans, opened = [], None
    i = start
    while i < end:
        pair = text[i:i + 2] in ("''", "``")
        if text[i] not in '"“”„«»' and not pair:
            i += 1
            continue
        width = 2 if pair else 1
        if text[i:i + 2] == "``":
            kind = "open"
        elif pair:
            kind = _kind(text[:i] + '"' + text[i + 2:], i, start, end - 1, opened is not None)
        else:
            kind = _kind(text, i, start, end, opened is not None)
        if kind == "open" and opened is None:
            opened = i
        elif kind == "close" and opened is not None:
            spans.append((opened, i + width))
            opened = None
        i += width
    if opened is not None:
        spans.append((opened, end))
    return spans, opened is not None


def _single(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans, i = [], start
    while i < end:
        c = text[i]
        before = text[i - 1] if i > start else " "
        if c in "‘'" and before in OPENS_AFTER and i + 1 < end and text[i + 1].isalnum() and \
                not any(a <= i < b for a, b in taken):
            close = next((j for j in range(i + 2, end) if text[j] in "’'" and
                          (j + 1 >= end or not text[j + 1].isalnum()) and text[j - 1] not in " "), None)
            if close is not None and not any(text[k] in '"“”' for k in range(i, close)):
                spans.append((i, close + 1))
                i = close + 1
                continue
        i += 1
    return spans


def quoted_regions(text: str) -> list[list[tuple[int, int]]]:
    """Quotations in reading order, each a list of spans (marks included): one span, or one per paragraph
    for a quote that goes on over paragraphs."""
    out: list[list[tuple[int, int]]] = []
    still_open = False
    for start, end in paragraphs(text):
        spans, left_open = _double(text, start, end)
        singles = _single(text, start, end, spans)
        spans = sorted(spans + [s for s in singles if len(text[s[0]:s[1]].split()) >= 3])
        for k, span in enumerate(spans):
            if k == 0 and still_open and span[0] == start and out:
                out[-1].append(span)  # the quote of the last paragraph goes on
            else:
                out.append([span])
        still_open = left_open
    return out
