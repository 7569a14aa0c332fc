"""Term features for story clustering, hashed so that vectors computed in different runs line up.

Two views of an article: its content words, and its "anchors": capitalised names inside sentences, years
and numbers. Two events of one kind (two earthquakes) share content words but rarely anchors. Chinese and
Japanese runs, which have no spaces and no capitals, give character pairs as content words instead.

Among the anchors, the names of people are hashed into a range of their own (from NAME_BASE), so that a
story can be told by the people it names: a follow-up weeks later names the same victim; two look-alike
shootings in one city name different people. A person is told from a place the way news writes people: a
capitalised name whose last word comes back alone later ("Amari Brown ... Brown said"), or a name after a
title ("Sgt. Ruiz"). The days an article is about (`story_days`) have the last columns: a follow-up weeks
later names the day of the incident it follows.
"""
from __future__ import annotations

import importlib
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsweave.records import day_number
from newsweave.tokens import CJK, CJK_RUN, cjk_bigrams

DIM = 1 << 20
NAME_BASE = DIM - (1 << 17)  # columns from here on hold people's names; other terms hash below
DAY_SPAN = 1 << 13  # days a day column tells apart (ordinal modulo this: 22 years)
DAY_BASE = DIM - 2 * DAY_SPAN  # columns from here on hold days: the days of publication, then the days named
NAMED_BASE = DIM - DAY_SPAN
DAY_REACH = 120  # days before publication a named day ("July 4") may lie
TOKEN = re.compile(r"[\w'’-]+", re.UNICODE)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
YEAR = re.compile(r"(1[89]|20)\d\d")
STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "mr", "mrs", "ms", "dr", "new"}
NOUNS_CAPITALISED = {"de", "lb"}  # languages that write every noun with a capital


@lru_cache(maxsize=1 << 20)
def _hash(token: str) -> int:
    return zlib.crc32(token.encode("utf-8", "ignore")) % NAME_BASE


@lru_cache(maxsize=1 << 18)
def _name_hash(name: str) -> int:
    return NAME_BASE + zlib.crc32(name.encode("utf-8", "ignore")) % (DAY_BASE - NAME_BASE)


def day_columns(published: list[int], named: list[int]) -> list[int]:
    """The columns of an article's days (`story_days`): those published, then those named."""
    return [DAY_BASE + d % DAY_SPAN for d in published] + [NAMED_BASE + d % DAY_SPAN for d in named]


def swap_days(indices: np.ndarray) -> np.ndarray:
    """Columns with the days of publication and the days named exchanged: an article's days against another's
    swapped ones count the days one names that the other was published on (a day both name, such as a
    ceasefire's, ties nothing)."""
    out = indices.copy()
    out[(indices >= DAY_BASE) & (indices < NAMED_BASE)] += DAY_SPAN
    out[indices >= NAMED_BASE] -= DAY_SPAN
    return out


_CAP = r"[A-Z][a-z]+(?:['’-][A-Z][a-z]+)*"
NAME = re.compile(rf"\b({_CAP}(?:\s+(?:[A-Z]\.\s+)?{_CAP}){{1,2}})\b")
TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Dr|Officer|Sgt|Sergeant|Lt|Lieutenant|Capt|Captain|Chief|Judge|Sen|Senator|"
                    rf"Rep|Gov|Governor|Mayor|Detective|Det|Deputy|Sheriff|Trooper|Agent|Prof|Rev)\.?\s+({_CAP})\b")


def _whole_word_at(text: str, word: str, i: int) -> bool:
    """`word` stands at offset i with the regex \\b on both sides."""
    return text.startswith(word, i) and _boundary(text, i) and _boundary(text, i + len(word))


def _boundary(text: str, i: int) -> bool:
    """The regex \\b at offset i: a word character on one side only."""
    return _word_char(text[i - 1] if i > 0 else "") != _word_char(text[i] if i < len(text) else "")


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _whole_word(text: str, word: str, start: int = 0) -> Iterator[int]:
    """Offsets from `start` on where `word` stands as a whole word. str.find, not a regex built per name:
    compiling one for every candidate name cost more than the rest of the name search."""
    i = text.find(word, start)
    while i >= 0:
        if _whole_word_at(text, word, i):
            yield i
        i = text.find(word, i + 1)


def person_names(text: str) -> list[str]:
    """People named in a text, lower-cased: "amari brown" (given and family name), "ruiz" (after a title)."""
    out = set()
    for m in NAME.finditer(text):
        words = m.group(1).split()
        given, family = words[-2], words[-1]
        if given.lower() in STOP or family.lower() in STOP:
            continue
        # the family name comes back alone (not right after the given name) and the given name never does
        # ("Syrian Kurds ... Syrian forces" is no person)
        family_alone = any(not text.endswith(given + " ", 0, i) for i in _whole_word(text, family, m.end()))
        if family_alone and all(text.startswith(" ", i + len(given)) and _whole_word_at(text, family, i + len(given) + 1)
                                for i in _whole_word(text, given)):
            out.add(f"{given.lower()} {family.lower()}")
    out.update(m.group(1).lower() for m in TITLED.finditer(text) if m.group(1).lower() not in STOP)
    return sorted(out)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_DAY = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
                       r"(?:,?\s+((?:19|20)\d\d))?\b")


def story_days(text: str, published: str | None) -> tuple[list[int], list[int]]:
    """The days an article is about, as day numbers: (its publication day and the day before, the day a
    report's event usually happened; the other days its text names by month and day, "July 4", "Jan. 5,
    2016", each the latest such day on or before publication, within DAY_REACH days). A follow-up names the
    incident's day; a look-alike weeks later does not. Nothing without a publication date."""
    pub = day_number(published)
    if pub is None:
        return [], []
    days = set()
    published_on = date.fromordinal(pub)
    for m in MONTH_DAY.finditer(text):
        month, day = _MONTHS.index(m.group(1).lower()) + 1, int(m.group(2))
        for year in ([int(m.group(3))] if m.group(3) else [published_on.year, published_on.year - 1]):
            try:
                named = date(year, month, day).toordinal()
            except ValueError:
                continue
            if 1 < pub - named <= DAY_REACH:
                days.add(named)
                break
    return [pub - 1, pub], sorted(days)


@lru_cache(maxsize=64)
def stop_words(language: str | None) -> frozenset[str]:
    """The function words of a language (spaCy's lists, for the languages it has), with the English ones:
    two German recipes must not meet on "und", "der" and "mit"."""
    if not language or language == "en" or not re.fullmatch(r"[a-z]{2,3}", language):
        return STOP
    try:
        extra = importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    except (ImportError, AttributeError):
        return STOP
    return STOP | frozenset(w.lower() for w in extra)


def word_tokens(text: str, language: str | None = None) -> list[str]:
    pairs = []
    if CJK.search(text):
        pairs, text = cjk_bigrams(text), CJK_RUN.sub(" ", text)
    stop = stop_words(language)
    return [w for w in (t.lower().strip("'’-") for t in TOKEN.findall(text)) if len(w) > 1 and w not in stop
            and not w.isdigit()] + pairs


def anchor_tokens(text: str, language: str | None = None) -> list[str]:
    """Numbers, years and capitalised words inside sentences. In languages that capitalise every noun
    (German), a capital says little: only capitalised words next to another one count ("Angela Merkel",
    "Deutsche Bahn")."""
    if CJK.search(text):  # numbers and Latin names inside CJK text stand apart from the characters around them
        text = CJK_RUN.sub(" ", text)
    stop = stop_words(language)
    nouns_capitalised = language in NOUNS_CAPITALISED
    out = []
    for sentence in SENTENCE.split(text):
        toks = TOKEN.findall(sentence)
        caps = [bool(j) and w[0].isupper() and w.lower() not in stop for j, w in enumerate(toks)]
        for j, w in enumerate(toks):
            if w[0].isdigit():
                out.append(("Y" if YEAR.fullmatch(w) else "N") + w)
            elif caps[j] and (not nouns_capitalised or caps[j - 1] or j + 1 < len(toks) and caps[j + 1]):
                out.append(w.lower())
    return out


def pack(tokens: list[str], names: list[str] = (), days: list[int] = ()) -> bytes:
    """Hashed tokens and names, and day columns (`day_columns`), as sorted (column, count) arrays."""
    counts = Counter(map(_hash, tokens))
    counts.update(map(_name_hash, names))
    counts.update(days)
    idx = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
    val = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
    order = np.argsort(idx)
    return idx[order].tobytes() + val[order].tobytes()


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    n = len(blob) // 8
    return np.frombuffer(blob[: 4 * n], dtype=np.int32), np.frombuffer(blob[4 * n :], dtype=np.float32)


def name_columns(anchors: bytes) -> np.ndarray:
    """The columns of the people's names and of the days among an article's packed anchors."""
    idx, _ = unpack(anchors)
    return idx[idx >= NAME_BASE]


def article_features(title: str | None, text: str, language: str | None = None,
                     published: str | None = None) -> tuple[bytes, bytes]:
    body = f"{title}\n{text}" if title else text
    return pack(word_tokens(body, language)), pack(anchor_tokens(body, language), person_names(body),
                                                   day_columns(*story_days(body, published)))
