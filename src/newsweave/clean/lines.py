"""Line features for the plain-text boilerplate classifier.

A whole page rendered to text is a sequence of lines; article lines are long, end like sentences, use many
short function words and sit together in one dense block, while menus, teasers and forms are short,
title-cased, repeated or bulleted. Every feature here is language-neutral and computed from the page alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from newsweave.tokens import CJK_RANGES, CJK_WORD, TOKEN

TERMINAL = tuple(".!?…\"”»’'。！？」』")
BULLETS = ("* ", "+ ", "- ", "• ", "o ", "· ", "| ", "> ", "» ", "› ", "– ", "— ")
LIST_MARKS = ("* ", "- ", "• ")  # how a page rendered to text marks list items
URLISH = re.compile(r"https?://|www\.|(?<=\S)@\S+\.\w+|\.com\b|\.org\b")  # e-mail: x@host.tld
DATEISH = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\b")
SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?[^\S\n]+[A-ZÀ-Ý\"“]|[。！？][」』”]?(?=[^\s」』”])")  # never across a line break
COMMAS = np.array([ord(c) for c in ",;，、；"])


@dataclass
class Line:
    start: int  # character offset of the line in the page
    end: int
    text: str  # stripped
    blank_before: bool = False


def split_lines(page: str) -> list[Line]:
    out, pos, blank = [], 0, True
    for raw in page.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped, blank))
        blank = not stripped
        pos += len(raw)
    return out


@dataclass
class Pages:
    """The lines of several pages end to end. Features are computed for all of them in one pass of NumPy
    calls (on a small page the cost is mostly per call), and none looks across a page's edge."""

    lines: list[Line]
    bounds: np.ndarray  # first line of each page, then the total: page p is lines[bounds[p]:bounds[p + 1]]

    @classmethod
    def of(cls, pages: list[list[Line]]) -> Pages:
        sizes = [len(p) for p in pages]
        return cls([ln for p in pages for ln in p], np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]))

    def __post_init__(self) -> None:
        sizes = np.diff(self.bounds)
        self.page = np.repeat(np.arange(len(sizes)), sizes)  # page of each line
        self.first = self.bounds[:-1][self.page]  # index of the first line of its page
        self.pos = np.arange(int(self.bounds[-1])) - self.first  # place in its page
        self.size = sizes[self.page]  # length of its page

    def __len__(self) -> int:
        return int(self.bounds[-1])

    def split(self, values: np.ndarray) -> list[np.ndarray]:
        return [values[a:b] for a, b in zip(self.bounds[:-1], self.bounds[1:])]

    def page_max(self, values: np.ndarray) -> np.ndarray:
        """The largest value on each line's page."""
        top = np.full(len(self.bounds) - 1, -np.inf)
        np.maximum.at(top, self.page, values)
        return top[self.page]


def _as_pages(lines: list[Line] | Pages) -> Pages:
    return lines if isinstance(lines, Pages) else Pages.of([lines])


def _window_mean(values: np.ndarray, radius: int, pages: Pages) -> np.ndarray:
    """Mean of each line's neighbours up to `radius` lines away on its page (itself included)."""
    csum = np.concatenate([[0.0], np.cumsum(values)])
    lo = pages.first + np.maximum(pages.pos - radius, 0)
    hi = pages.first + np.minimum(pages.pos + radius, pages.size - 1)
    return (csum[hi + 1] - csum[lo]) / (hi - lo + 1)


def _distance_to(mask: np.ndarray, pages: Pages) -> np.ndarray:
    """For each line, how many lines away the nearest line of its page with mask=True is (page length if none)."""
    best = pages.size.astype(float)
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return best
    at = np.arange(len(mask))
    right = np.searchsorted(idx, at)
    after = idx[np.minimum(right, len(idx) - 1)]
    ok = (right < len(idx)) & (pages.page[after] == pages.page)
    best[ok] = (after - at)[ok]
    before = idx[np.maximum(right - 1, 0)]
    ok = (right > 0) & (pages.page[before] == pages.page)
    best[ok] = np.minimum(best[ok], (at - before)[ok])
    return best


@dataclass
class PageWords:
    """The lower-cased words of pages' lines, as indices into each page's vocabulary (in order of first use;
    the pages' vocabularies end to end)."""

    vocab: list[str]
    ids: np.ndarray  # one entry per word occurrence
    line: np.ndarray  # the line of each occurrence
    n_lines: int
    vocab_page: np.ndarray  # the page of each vocabulary entry

    def per_line(self) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in range(self.n_lines)]
        for i, w in zip(self.line, self.ids):
            out[i].append(self.vocab[w])
        return out


def page_words(lines: list[Line] | Pages) -> PageWords:
    pages = _as_pages(lines)
    vocab: list[str] = []
    vocab_page: list[int] = []
    ids: list[int] = []
    line: list[int] = []
    for p, (a, b) in enumerate(zip(pages.bounds[:-1].tolist(), pages.bounds[1:].tolist())):
        index: dict[str, int] = {}
        for i in range(a, b):
            words = TOKEN.findall(pages.lines[i].text.lower())
            ids.extend([index.setdefault(w, len(index) + len(vocab)) for w in words])
            line.extend([i] * len(words))
        vocab.extend(index)
        vocab_page.extend([p] * len(index))
    return PageWords(vocab, np.array(ids, dtype=np.int64), np.array(line, dtype=np.int64), len(pages),
                     np.array(vocab_page, dtype=np.int64))


def _page_vocabulary(words: PageWords) -> np.ndarray:
    """Share of each line's words among its page's 30 and 100 commonest, and seen once on the page.
    The commonest words of a page are its function words; article prose is full of them, menus are not."""
    n = words.n_lines
    if not len(words.ids):
        return np.zeros((n, 3))
    size = len(words.vocab)
    counts = np.bincount(words.ids, minlength=size)
    counts[[w.isdigit() for w in words.vocab]] = 0  # numbers are not vocabulary
    # rank on its page: commonest first, ties to the word used first; numbers (count 0) rank last
    order = np.lexsort((np.arange(size), -counts, words.vocab_page))
    rank = np.empty(size, dtype=np.int64)
    rank[order] = np.arange(size) - np.searchsorted(words.vocab_page, words.vocab_page[order])
    used = counts > 0
    per_line = np.maximum(np.bincount(words.line, minlength=n), 1)
    out = np.zeros((n, 3))
    for col, chosen in enumerate((used & (rank < 30), used & (rank < 100), counts == 1)):
        out[:, col] = np.bincount(words.line, weights=chosen[words.ids], minlength=n) / per_line
    return out


def _block_features(pages: Pages, words: np.ndarray) -> np.ndarray:
    """Blocks are runs of lines between blank lines: their size, the line's place in its block, and the length
    of the run of bulleted lines it belongs to (menus are long bulleted runs)."""
    lines = pages.lines
    n = len(lines)
    block = np.cumsum(np.array([ln.blank_before for ln in lines], dtype=bool) | (pages.pos == 0))
    block_words = np.bincount(block, weights=words)
    block_lines = np.bincount(block)
    first_of_block = np.searchsorted(block, block)  # block ids are sorted
    bulleted = np.array([ln.text.startswith(LIST_MARKS) for ln in lines])
    change = np.flatnonzero(np.diff(bulleted.astype(int))) + 1
    bounds = np.union1d(np.concatenate([change, pages.bounds[1:-1]]), [0, n])  # a run ends with its page
    run = np.repeat(np.diff(bounds), np.diff(bounds)) * bulleted
    return np.column_stack([np.log1p(block_words[block]), np.log1p(block_lines[block]),
                            np.log1p(np.arange(n) - first_of_block), np.log1p(run),
                            words / np.maximum(block_words[block], 1)])


# the columns of line_features, in order; a trained model records the names it was trained with
# (cleaner.json "features") and is checked against them when loaded
BASE_FEATURES = (
    "log_chars",
    "log_words",
    "ends_sentence",
    "ends_colon",
    "bulleted",
    "capitalised_share",
    "digit_share",
    "symbol_share",
    "short_word_share",
    "has_url",
    "separators",
    "position",
    "log_sentence_breaks",
    "all_caps_share",
    "log_repeats_on_page",
    "has_date",
    "starts_lowercase",
    "commas_per_word",
    "blank_before",
    "log_words_window1",
    "log_words_window3",
    "log_words_window8",
    "ends_sentence_window3",
    "density_window5",
    "log_distance_to_long_sentence",
    "words_of_page_max",
    "before_first_long_sentence",
    "after_last_long_sentence",
    "log_page_lines",
    "long_sentence_window4",
    "common30_share",
    "common100_share",
    "once_on_page_share",
    "log_block_words",
    "log_block_lines",
    "log_place_in_block",
    "log_bullet_run",
    "block_word_share",
)
N_BASE = len(BASE_FEATURES)
COLUMN = {name: k for k, name in enumerate(BASE_FEATURES)}
CONTEXT_FEATURES = ("first_pass", "first_pass_previous", "first_pass_next", "first_pass_window2",
                    "first_pass_window6", "first_pass_share_before", "first_pass_share_after")


CHAR_CLASSES = ("isalnum", "isalpha", "isdigit", "isspace", "isupper", "islower", "isword")
# Unicode classes of the code points seen so far, one bit per class, filled as new characters come: a
# table of all 65,536 BMP characters cost every new process more than cleaning its first page
_class_bits = np.zeros(0x110000, dtype=np.uint8)
_class_known = np.zeros(0x110000, dtype=bool)


def _bits_of(ch: str) -> int:
    flags = [getattr(ch, name)() for name in CHAR_CLASSES[:-1]] + [ch.isalnum() or ch == "_"]
    return sum(1 << k for k, flag in enumerate(flags) if flag)


def _classes_of(codes: np.ndarray) -> dict[str, np.ndarray]:
    new = np.unique(codes[~_class_known[codes]])
    if len(new):
        _class_bits[new] = [_bits_of(chr(code)) for code in new.tolist()]
        _class_known[new] = True
    bits = _class_bits[codes]
    return {name: (bits & (1 << k)) > 0 for k, name in enumerate(CHAR_CLASSES)}


def _segment_sums(flags: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    csum = np.concatenate([[0], np.cumsum(flags, dtype=np.int64)])
    return (csum[ends] - csum[starts]).astype(float)


def _char_and_word_features(joined: str, starts: np.ndarray, lengths: np.ndarray) -> dict[str, np.ndarray]:
    """Per-line character and word counts for all lines at once, over the lines joined by newlines."""
    ends = starts + lengths
    codes = np.frombuffer(joined.encode("utf-32-le", errors="replace"), dtype=np.uint32)
    cls = _classes_of(codes)
    word = cls["isword"]
    cjk = np.zeros(len(codes), dtype=bool)
    for lo, hi in CJK_RANGES:
        cjk |= (codes >= lo) & (codes <= hi)
    # a CJK character is a word of its own, and so ends the word before it
    prev = np.concatenate([[False], word[:-1] & ~cjk[:-1]]) & ~cjk
    nxt = np.concatenate([word[1:] & ~cjk[1:], [False]]) & ~cjk
    w_start = np.flatnonzero(word & ~prev)
    w_end = np.flatnonzero(word & ~nxt) + 1
    w_len = w_end - w_start
    w_weight = np.where(cjk[w_start], CJK_WORD, 1.0)
    w_line = np.searchsorted(starts, w_start, side="right") - 1
    alpha_w = _segment_sums(word & ~cls["isalpha"], w_start, w_end) == 0
    upper_chars = _segment_sums(cls["isupper"], w_start, w_end)
    lower_chars = _segment_sums(cls["islower"], w_start, w_end)
    n = len(starts)

    def per_line(flags: np.ndarray) -> np.ndarray:
        return np.bincount(w_line, weights=flags * w_weight, minlength=n)

    return {
        "chars": lengths.astype(float),
        "words": per_line(np.ones(len(w_start))),
        "alpha_words": per_line(alpha_w),
        "capitalised": per_line(alpha_w & cls["isupper"][w_start]),
        # about half the words of prose are short function words; a CJK character cannot tell, so counts half
        "short": per_line(np.where(cjk[w_start], 0.5 * alpha_w, alpha_w & (w_len <= 3))),
        "all_caps": per_line(alpha_w & (w_len > 1) & (upper_chars > 0) & (lower_chars == 0)),
        "digits": _segment_sums(cls["isdigit"], starts, ends),
        "symbols": _segment_sums(~cls["isalnum"] & ~cls["isspace"], starts, ends),
        "commas": _segment_sums(np.isin(codes, COMMAS), starts, ends),
    }


def _lines_matching(pattern: re.Pattern, joined: str, starts: np.ndarray, n: int) -> np.ndarray:
    """Number of matches of `pattern` in each line of `joined` (lines separated by single newlines)."""
    hits = [m.start() for m in pattern.finditer(joined)]
    if not hits:
        return np.zeros(n)
    return np.bincount(np.searchsorted(starts, hits, side="right") - 1, minlength=n).astype(float)


def line_features(lines: list[Line] | Pages, words_of: PageWords | None = None) -> np.ndarray:
    """One row of N_BASE features per line, of one page or of several (`Pages`) at once."""
    pages = _as_pages(lines)
    lines = pages.lines
    n = len(lines)
    f = np.zeros((n, N_BASE))
    if n == 0:
        return f
    texts = [ln.text for ln in lines]
    keys = list(zip(pages.page.tolist(), texts))
    counts: dict[tuple[int, str], int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    # no pattern matches across a line break, so one string serves all the pages
    joined = "\n".join(texts)
    lengths = np.fromiter((len(t) for t in texts), np.int64, n)
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    c = _char_and_word_features(joined, starts, lengths)
    words, nc = c["words"], np.maximum(c["chars"], 1)
    alpha = np.maximum(c["alpha_words"], 1)
    terminal = np.fromiter((t.endswith(TERMINAL) for t in texts), float, n)
    pos, size = pages.pos, pages.size
    f[:, COLUMN["log_chars"]] = np.log1p(c["chars"])
    f[:, COLUMN["log_words"]] = np.log1p(words)
    f[:, COLUMN["ends_sentence"]] = terminal
    f[:, COLUMN["ends_colon"]] = [t.endswith(":") for t in texts]
    f[:, COLUMN["bulleted"]] = [t.startswith(BULLETS) or t in ("*", "+", "-", "o", "•", "|") for t in texts]
    f[:, COLUMN["capitalised_share"]] = c["capitalised"] / alpha
    f[:, COLUMN["digit_share"]] = c["digits"] / nc
    f[:, COLUMN["symbol_share"]] = c["symbols"] / nc
    f[:, COLUMN["short_word_share"]] = c["short"] / alpha
    f[:, COLUMN["has_url"]] = _lines_matching(URLISH, joined, starts, n) > 0
    f[:, COLUMN["separators"]] = [("©" in t) + t.count("|") + t.count("»") + t.count("›") for t in texts]
    f[:, COLUMN["position"]] = pos / np.maximum(size - 1, 1)
    f[:, COLUMN["log_sentence_breaks"]] = np.log1p(_lines_matching(SENTENCE_BREAK, joined, starts, n))
    f[:, COLUMN["all_caps_share"]] = c["all_caps"] / alpha
    f[:, COLUMN["log_repeats_on_page"]] = np.log1p(np.array([counts[key] for key in keys]) - 1)
    f[:, COLUMN["has_date"]] = _lines_matching(DATEISH, joined, starts, n) > 0
    f[:, COLUMN["starts_lowercase"]] = [t[0].islower() for t in texts]
    f[:, COLUMN["commas_per_word"]] = c["commas"] / np.maximum(words, 1)
    f[:, COLUMN["blank_before"]] = [ln.blank_before for ln in lines]
    logw = np.log1p(words)
    long_sentence = (words >= 12) & (terminal > 0)
    f[:, COLUMN["log_words_window1"]] = _window_mean(logw, 1, pages)
    f[:, COLUMN["log_words_window3"]] = _window_mean(logw, 3, pages)
    f[:, COLUMN["log_words_window8"]] = _window_mean(logw, 8, pages)
    f[:, COLUMN["ends_sentence_window3"]] = _window_mean(terminal, 3, pages)
    density = _window_mean(words, 5, pages)
    f[:, COLUMN["density_window5"]] = density / np.maximum(pages.page_max(density), 1)
    f[:, COLUMN["log_distance_to_long_sentence"]] = np.log1p(_distance_to(long_sentence, pages))
    f[:, COLUMN["words_of_page_max"]] = words / np.maximum(pages.page_max(words), 1)
    # the page's first and last long sentence (none: every line is before the first and after the last)
    n_pages = len(pages.bounds) - 1
    first, last = np.diff(pages.bounds), np.full(n_pages, -1)
    np.minimum.at(first, pages.page[long_sentence], pos[long_sentence])
    np.maximum.at(last, pages.page[long_sentence], pos[long_sentence])
    f[:, COLUMN["before_first_long_sentence"]] = pos < first[pages.page]
    f[:, COLUMN["after_last_long_sentence"]] = pos > last[pages.page]
    f[:, COLUMN["log_page_lines"]] = np.log1p(size)
    f[:, COLUMN["long_sentence_window4"]] = _window_mean(long_sentence.astype(float), 4, pages)
    vocabulary = _page_vocabulary(words_of if words_of is not None else page_words(pages))
    f[:, COLUMN["common30_share"]: COLUMN["once_on_page_share"] + 1] = vocabulary
    f[:, COLUMN["log_block_words"]: COLUMN["block_word_share"] + 1] = _block_features(pages, words)
    return f


def context_features(prob: np.ndarray, pages: Pages | None = None) -> np.ndarray:
    """Second-pass features: what the first pass thought of the neighbourhood (within each page)."""
    n = len(prob)
    pages = pages if pages is not None else Pages([], np.array([0, n]))  # one page; only its layout is needed
    at = np.arange(n)
    start = pages.pos == 0
    end = pages.pos == pages.size - 1
    prev = np.where(start, 0.0, prob[np.maximum(at - 1, 0)]) if n else prob
    nxt = np.where(end, 0.0, prob[np.minimum(at + 1, n - 1)]) if n else prob
    # share of kept-looking lines before and after: the article is one block
    csum = np.concatenate([[0.0], np.cumsum(prob)])
    before = (csum[at] - csum[pages.first]) / np.maximum(pages.pos, 1)
    after = (csum[pages.first + pages.size] - csum[at + 1]) / np.maximum(pages.size - 1 - pages.pos, 1)
    return np.column_stack([prob, prev, nxt, _window_mean(prob, 2, pages), _window_mean(prob, 6, pages),
                            before, after])
