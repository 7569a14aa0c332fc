"""Words across scripts. Chinese and Japanese are written without spaces, so `\\w+` reads a whole clause as one
word; the cleaner, copy detection, story features and search split those scripts into characters instead."""
from __future__ import annotations

import re

WORD = re.compile(r"\w+", re.UNICODE)
# kana and CJK ideographs; Hangul is left out, since Korean separates words with spaces
CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
CJK = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in CJK_RANGES) + "]")
CJK_RUN = re.compile(CJK.pattern + "+")
CJK_WORD = 0.5  # a character carries about half a word
TOKEN = re.compile(r"[^\W" + CJK.pattern[1:-1] + r"]+|" + CJK.pattern)  # words, and CJK characters one by one


def has_letters(text: str, least: int) -> bool:
    """At least `least` letters in `text`; stops counting once there are (a page's first line usually does)."""
    found = 0
    for c in text:
        if c.isalpha():
            found += 1
            if found >= least:
                return True
    return False


def count_words(text: str) -> float:
    """Words in a text, with Chinese and Japanese characters counted as half a word each."""
    cjk = len(CJK.findall(text))
    return len(WORD.findall(CJK.sub(" ", text) if cjk else text)) + CJK_WORD * cjk


def units(text: str) -> list[str]:
    """Lower-cased words, and each Chinese or Japanese character as a unit of its own."""
    text = text.lower()
    return TOKEN.findall(text) if CJK.search(text) else WORD.findall(text)


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping character pairs of every Chinese or Japanese run: the usual index terms for text that is
    not segmented into words (a lone character is too ambiguous to be a term)."""
    return [run[i : i + 2] for run in CJK_RUN.findall(text) for i in range(len(run) - 1)]
