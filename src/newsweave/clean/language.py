"""The language an article is written in, by py3langid (a naive Bayes model over byte n-grams, shipped in
its package: no download). Only the first LANGUAGE_SAMPLE characters are read: a page's language shows in
a few sentences, and the cost stays flat however long the page. ISO 639-1 codes; None when the text is too
short to tell or the model is unsure."""
from __future__ import annotations

import re
from functools import lru_cache

from newsweave.tokens import has_letters

LANGUAGE_SAMPLE = 1500  # characters read
MIN_LETTERS = 40  # fewer letters say too little
MIN_CONFIDENCE = 0.5  # normalised probability of the best language


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


# English words of no other language written in Latin letters (no "in", "to", "was", "die", "on"): a text
# that uses them this densely is English, without loading the model (its load is most of what adding one
# article costs a fresh process)
ENGLISH_ONLY = frozenset("the of and is that with for from by are were have has this which it be he she they "
                         "his her their said will would been who but not".split())
ENGLISH_SHARE = 0.15  # of a sample's words
MIN_WORDS_SHORTCUT = 40
WORD = re.compile(r"[^\W\d_]+")


def _plainly_english(sample: str) -> bool:
    words = WORD.findall(sample)
    if len(words) < MIN_WORDS_SHORTCUT or not all(map(str.isascii, words)):
        return False
    return sum(map(ENGLISH_ONLY.__contains__, map(str.lower, words))) >= ENGLISH_SHARE * len(words)


def detect_language(text: str, title: str | None = None) -> str | None:
    sample = ((title + "\n") if title else "") + text[:LANGUAGE_SAMPLE]
    if not has_letters(sample, MIN_LETTERS):
        return None
    if _plainly_english(sample):
        return "en"
    lang, probability = _identifier().classify(sample)
    return lang if probability >= MIN_CONFIDENCE else None
