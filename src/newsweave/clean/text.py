"""Plain-text cleaner: keeps the article lines of a scraped page and recovers its metadata."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from newsweave.clean import meta
from newsweave.clean.lines import Line, split_lines
from newsweave.clean.model import LineClassifier, default_classifier
from newsweave.tokens import WORD, count_words

BATCH_CHARS = 1_000_000  # pages classified together hold at most about this many characters
LONG_PROSE = 30  # words: a line this long is prose, not navigation


@dataclass
class CleanResult:
    text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    credited_origin: str | None = None
    credit_line: str | None = None
    site: str | None = None
    kept: list[tuple[int, int]] = field(default_factory=list)  # spans of the raw page kept, in order


SENTENCE_END = tuple(".!?…\"”»’。！？」』")


def _is_body(line: Line) -> bool:
    return count_words(line.text) >= 12 and line.text.endswith(SENTENCE_END)


def _is_dateline(text: str) -> bool:
    found = meta.find_date(text)
    return bool(found) and count_words(text) <= 10 and not text.endswith(SENTENCE_END)


def _title_score(line: Line, repeats: int) -> float:
    n = count_words(line.text)
    if not 3 <= n <= 30 or line.text.endswith((".", ":", ",")) or meta.find_date(line.text):
        return 0.0
    if re.search(r"\w{2}[.!?][\"”’)]?\s+\S", line.text):
        return 0.0  # a sentence ends inside it: body text, not a headline
    return 1.0 + min(n, 12) / 12 + (1.0 if repeats > 1 else 0.0)


class TextCleaner:
    def __init__(self, classifier: LineClassifier | None = None, threshold: float = 0.5, min_lines: int = 4):
        self.classifier = classifier or default_classifier()
        self.threshold = threshold
        self.min_lines = min_lines

    def clean(self, page: str, drop_lines: set[str] | frozenset = frozenset()) -> CleanResult:
        return self.clean_many([(page, drop_lines)])[0]

    def clean_many(self, pages: list[tuple[str, set[str] | frozenset]]) -> list[CleanResult]:
        """Clean several pages (each with its lines to drop); their lines are classified in one pass."""
        split = [split_lines(page) for page, _ in pages]
        batches: list[list[int]] = [[]]
        size = 0
        for i, lines in enumerate(split):
            if len(lines) < self.min_lines:
                continue
            if size >= BATCH_CHARS:  # memory grows with the characters classified at once
                batches.append([])
                size = 0
            batches[-1].append(i)
            size += len(pages[i][0])
        probs: dict[int, np.ndarray] = {}
        for batch in batches:
            probs.update(zip(batch, self.classifier.predict_pages([split[j] for j in batch])))
        out = []
        for i, ((_, drop_lines), lines) in enumerate(zip(pages, split)):
            if i not in probs:
                keep = [True] * len(lines)
            else:
                keep = [p >= self.threshold and ln.text not in drop_lines for p, ln in zip(probs[i], lines)]
                if not any(keep):
                    # An input is an article: rather than lose it whole, keep its long prose lines.
                    keep = [count_words(ln.text) >= LONG_PROSE and ln.text not in drop_lines for ln in lines]
            out.append(self.assemble_lines(lines, keep))
        return out

    @staticmethod
    def assemble_lines(lines: list[Line], keep: list[bool]) -> CleanResult:
        """Kept lines -> body text, with title, dateline, byline and credit lines taken out as metadata."""
        result = CleanResult(text="")
        body_idx = [i for i, k in enumerate(keep) if k]
        first_body = next((i for i in body_idx if _is_body(lines[i])), body_idx[0] if body_idx else len(lines))

        # Header zone: the lines before the article body hold its title, dateline and byline.
        header = range(max(0, first_body - 12), min(len(lines), first_body + 1))
        counts: dict[str, int] = {}
        for ln in lines:
            counts[ln.text] = counts.get(ln.text, 0) + 1
        title_i, best = None, 0.0
        for i in header:
            if i == first_body and title_i is not None:
                break
            score = _title_score(lines[i], counts[lines[i].text])
            if i != first_body and score >= best and score > 0:
                title_i, best = i, score
        if title_i is not None:
            result.title = lines[title_i].text
        for i in header:
            found = meta.find_date(lines[i].text)
            if found and (i < first_body or found[1] < 80):
                result.published = found[0]
                break
        for i in header:
            name = meta.byline(lines[i].text)
            if name:
                result.author = name
                keep[i] = False
                break

        kept: list[Line] = []
        for i in body_idx:
            ln = lines[i]
            if not keep[i] or (title_i is not None and ln.text == result.title and i <= first_body):
                continue
            if i < first_body and _is_dateline(ln.text):
                continue  # a bare date or timestamp above the body is metadata, already read
            origin = meta.credit_from_line(ln.text)
            if origin and len(WORD.findall(origin)) <= 8:
                result.credited_origin = result.credited_origin or origin
                result.credit_line = result.credit_line or ln.text
                continue
            kept.append(ln)
        if kept and not result.credited_origin:
            origin = meta.wire_credit(kept[0].text)
            if origin:
                result.credited_origin, result.credit_line = origin, kept[0].text[: kept[0].text.find(")") + 1]
        result.text = "\n".join(ln.text for ln in kept)
        result.kept = [(ln.start, ln.end) for ln in kept]
        result.site = meta.copyright_holder([ln.text for ln in lines])  # the page's footer names its site
        return result
