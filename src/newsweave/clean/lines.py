"""Line features for the plain-text boilerplate classifier.

A whole page rendered to text is a sequence of lines; article lines are long, end like sentences, use many
short function words and sit together in one dense block, while menus, teasers and forms are short,
title-cased, repeated or bulleted. Every feature here is language-neutral and computed from the page alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

TERMINAL = tuple(".!?…\"”»’'")
BULLETS = ("* ", "+ ", "- ", "• ", "o ", "· ", "| ", "> ", "» ", "› ", "– ", "— ")
WORD = re.compile(r"\w+", re.UNICODE)
URLISH = re.compile(r"https?://|www\.|\S+@\S+\.\w+|\.com\b|\.org\b")
DATEISH = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\b")
SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[A-ZÀ-Ý\"“]")


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


def _window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    padded = np.concatenate([np.zeros(radius), values, np.zeros(radius)])
    csum = np.concatenate([[0.0], np.cumsum(padded)])
    total = csum[2 * radius + 1 :] - csum[: -2 * radius - 1]
    pos = np.arange(len(values))
    counts = np.minimum(pos + radius, len(values) - 1) - np.maximum(pos - radius, 0) + 1
    return total / counts


def _distance_to(mask: np.ndarray) -> np.ndarray:
    """For each line, how many lines away the nearest line with mask=True is (len if none)."""
    n = len(mask)
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return np.full(n, float(n))
    pos = np.arange(n)
    right = np.searchsorted(idx, pos)
    best = np.full(n, float(n))
    ok = right < len(idx)
    best[ok] = idx[right[ok]] - pos[ok]
    ok = right > 0
    best[ok] = np.minimum(best[ok], pos[ok] - idx[right[ok] - 1])
    return best


N_BASE = 30


def line_features(lines: list[Line]) -> np.ndarray:
    n = len(lines)
    f = np.zeros((n, N_BASE))
    if n == 0:
        return f
    counts: dict[str, int] = {}
    for ln in lines:
        counts[ln.text] = counts.get(ln.text, 0) + 1
    words = np.zeros(n)
    terminal = np.zeros(n)
    for i, ln in enumerate(lines):
        t = ln.text
        toks = WORD.findall(t)
        nw = len(toks)
        nc = len(t)
        alpha = [w for w in toks if w.isalpha()]
        words[i] = nw
        terminal[i] = t.endswith(TERMINAL)
        f[i, 0] = np.log1p(nc)
        f[i, 1] = np.log1p(nw)
        f[i, 2] = terminal[i]
        f[i, 3] = t.endswith(":")
        f[i, 4] = t.startswith(BULLETS) or t in ("*", "+", "-", "o", "•", "|")
        f[i, 5] = sum(w[0].isupper() for w in alpha) / max(len(alpha), 1)
        f[i, 6] = sum(c.isdigit() for c in t) / nc
        f[i, 7] = sum(not c.isalnum() and not c.isspace() for c in t) / nc
        f[i, 8] = sum(len(w) <= 3 for w in alpha) / max(len(alpha), 1)
        f[i, 9] = bool(URLISH.search(t))
        f[i, 10] = ("©" in t) + t.count("|") + t.count("»") + t.count("›")
        f[i, 11] = i / max(n - 1, 1)
        f[i, 12] = np.log1p(len(SENTENCE_BREAK.findall(t)))
        f[i, 13] = sum(w.isupper() and len(w) > 1 for w in alpha) / max(len(alpha), 1)
        f[i, 14] = np.log1p(counts[t] - 1)
        f[i, 15] = bool(DATEISH.search(t))
        f[i, 16] = t[0].islower() if t else 0
        f[i, 17] = sum(c in ",;" for c in t) / max(nw, 1)
    f[:, 18] = [ln.blank_before for ln in lines]
    logw = np.log1p(words)
    long_sentence = (words >= 12) & (terminal > 0)
    f[:, 19] = _window_mean(logw, 1)
    f[:, 20] = _window_mean(logw, 3)
    f[:, 21] = _window_mean(logw, 8)
    f[:, 22] = _window_mean(terminal, 3)
    density = _window_mean(words, 5)
    f[:, 23] = density / max(density.max(), 1)
    f[:, 24] = np.log1p(_distance_to(long_sentence))
    f[:, 25] = words / max(words.max(), 1)
    first = np.argmax(long_sentence) if long_sentence.any() else n
    last = n - 1 - np.argmax(long_sentence[::-1]) if long_sentence.any() else -1
    pos = np.arange(n)
    f[:, 26] = (pos < first)
    f[:, 27] = (pos > last)
    f[:, 28] = np.log1p(n)
    f[:, 29] = _window_mean(long_sentence.astype(float), 4)
    return f


def context_features(prob: np.ndarray) -> np.ndarray:
    """Second-pass features: what the first pass thought of the neighbourhood."""
    n = len(prob)
    prev = np.concatenate([[0.0], prob[:-1]]) if n else prob
    nxt = np.concatenate([prob[1:], [0.0]]) if n else prob
    # share of kept-looking lines before and after: the article is one block
    before = np.concatenate([[0.0], np.cumsum(prob)[:-1]]) / np.maximum(np.arange(n), 1)
    after = (np.cumsum(prob[::-1])[::-1] - prob) / np.maximum(np.arange(n)[::-1], 1)
    return np.column_stack([prob, prev, nxt, _window_mean(prob, 2), _window_mean(prob, 6), before, after])
