"""The language an article is written in, by py3langid (a naive Bayes model over byte n-grams, shipped in
its package: no download). Only the first LANGUAGE_SAMPLE characters are read: a page's language shows in
a few sentences, and the cost stays flat however long the page. ISO 639-1 codes; None when the text is too
short to tell or the model is unsure."""
from __future__ import annotations

from functools import lru_cache

LANGUAGE_SAMPLE = 1500  # characters read
MIN_LETTERS = 40  # fewer letters say too little
MIN_CONFIDENCE = 0.5  # normalised probability of the best language


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, title: str | None = None) -> str | None:
    sample = ((title + "\n") if title else "") + text[:LANGUAGE_SAMPLE]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    lang, probability = _identifier().classify(sample)
    return lang if probability >= MIN_CONFIDENCE else None
