"""Named entities with in-article name resolution: "Kim Jong-un", "Kim Jong Un", "Mr. Kim" and "Kim" are one person."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from spacy.tokens import Span

from newsweave.records import EntityMention

LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"}  # LAW: acts, treaties, and the awards it tags so
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "gen", "general", "col", "colonel", "lt", "capt",
          "president", "leader", "supreme", "premier", "chancellor", "minister", "prime", "foreign", "defense",
          "defence", "secretary", "senator", "sen", "rep", "governor", "gov", "mayor", "king", "queen", "prince",
          "pope", "chairman", "commander", "spokesman", "spokeswoman", "spokesperson", "the", "north", "south"}
EDGE_PUNCT = "\"'“”‘’«»()[],.;:!?-–— "  # never part of a name's ends
PRONOUNS = {"he", "she", "him", "her", "his"}
SIMILAR_NAME = 0.8  # character similarity at which two spellings are one name


@lru_cache(maxsize=1 << 16)  # a story compares each name with every other
def name_tokens(name: str) -> tuple[str, ...]:
    """Comparable tokens of a name: lower case, no titles, no possessive, hyphens as spaces."""
    clean = re.sub(r"['’]s\b", "", name.lower())
    toks = [t for t in re.split(r"[^\w]+", clean) if t]
    core = [t for t in toks if t not in TITLES]
    return tuple(core or toks)


def same_name(a: str, b: str) -> bool:
    """One name is the other or a part of it ("Kim" and "Kim Jong Un"); used within a story's sources."""
    if a.strip().lower() == b.strip().lower():
        return True
    ta, tb = set(name_tokens(a)), set(name_tokens(b))
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def similar_name(a: str, b: str) -> bool:
    """The same name, part of it, or the same name spelled another way ("Hezballah" and "Hezbollah")."""
    if same_name(a, b):
        return True
    return SequenceMatcher(None, " ".join(name_tokens(a)), " ".join(name_tokens(b))).ratio() >= SIMILAR_NAME


# words of rank and office that a tagger sometimes takes into a person's name ("Roy Police Lt. Kevin Smith")
RANKS = TITLES - {"the", "north", "south"} | {
    "police", "officer", "chief", "detective", "det", "sgt", "sergeant", "lieutenant", "deputy", "sheriff",
    "trooper", "captain", "cpl", "corporal", "agent", "judge", "justice", "attorney", "coroner", "spokesman",
    "spokeswoman", "officers", "superintendent", "inspector", "commissioner", "dept", "department"}


def _person_span(e):
    """A person's name without the ranks and offices a tagger took into it: "Roy Police Lt" is no name,
    "Lt. Kevin Smith" is "Kevin Smith"."""
    words = [t for t in e if t.is_alpha]
    ranked = [i for i, t in enumerate(e) if t.lower_.rstrip(".") in RANKS]
    if not ranked:
        return e
    rest = e[ranked[-1] + 1:]
    while len(rest) and not rest[0].is_alpha:
        rest = rest[1:]
    if not (len(rest) and any(t.is_title for t in rest) and words):
        return None
    return Span(e.doc, rest.start, rest.end, label=e.label_)


def extract_entities(doc) -> list[EntityMention]:
    mentions = [e for e in doc.ents if e.label_ in LABELS and any(c.isalpha() for c in e.text)]
    mentions = [m for m in (_person_span(e) if e.label_ == "PERSON" else e for e in mentions) if m is not None]
    # clusters of person names: a short mention joins the one longer name it is part of
    full: list[tuple[str, ...]] = []
    surface: dict[tuple[str, ...], str] = {}
    for e in mentions:
        if e.label_ == "PERSON":
            key = name_tokens(e.text)
            if key and not any(set(key) < set(f) for f in full) and key not in full:
                full = [f for f in full if not set(f) < set(key)] + [key]
            if key and len(e.text) > len(surface.get(key, "")):
                surface[key] = e.text

    def canonical(text: str, label: str) -> str:
        key = name_tokens(text)
        if label != "PERSON":
            return re.sub(r"^(?:the|The)\s+|['’]s$", "", text.strip(EDGE_PUNCT)).strip(EDGE_PUNCT + " ")
        owners = [f for f in full if set(key) <= set(f)]
        owner = owners[0] if len(owners) == 1 else key
        return _display(surface.get(owner, text))

    return [EntityMention(e.start_char, e.end_char, e.text, e.label_, canonical(e.text, e.label_)) for e in mentions]


def _display(text: str) -> str:
    text = text.strip(EDGE_PUNCT)
    return re.sub(r"^(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)", "", re.sub(r"['’]s$", "", text)).strip()


def resolve_pronoun(entities: list[EntityMention], before: int) -> EntityMention | None:
    """The most recent person named before a character offset: what "he" or "she" most likely refers to."""
    people = [e for e in entities if e.label == "PERSON" and e.end <= before]
    return people[-1] if people else None
