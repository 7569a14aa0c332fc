"""Counts that are written without a number: "a 7-year-old boy was shot and killed" is one killed, "a man and
his son were killed" two, "no one was hurt" none.

The parse gives each outcome word (kill, die, dead, shoot, wound, injure, hurt) the people it happened to: the
passive subject ("a boy was killed"), the object ("killed a man"), the subject of "died" or "is dead". That
noun phrase is counted when its size is plain: one person ("a man", "the teen", "Amari Brown", "he"),
several joined by "and" (each counted), "both" (two) or nobody ("no one", "nobody"). Phrases holding a
figure of their own are left to the number reader; plurals without a figure ("people") are not counted.
"""
from __future__ import annotations

import re

from newsweave.records import QuantityMention

KILL = {"kill", "murder", "slay", "execute", "die", "dead", "assassinate"}
WOUND = {"wound", "injure", "hurt"}
SHOOT = {"shoot", "gun", "stab"}
SURVIVED = re.compile(r"\b(?:survived?|hospitali[sz]ed|stable condition|critical condition|serious condition|"
                      r"non-life-threatening|expected to (?:survive|recover)|treated (?:for|at)|released from|"
                      r"recovering)\b", re.IGNORECASE)
FATAL = re.compile(r"\b(?:fatally|to death|dead|killed|killing|died|dies|deadly|fatal)\b", re.IGNORECASE)
DEATHS = re.compile(r"\b(?:killed|killing|kills?|died|dies|dead|death|deadly|fatal\w*|homicide|murder\w*|"
                    r"slain|slaying|manslaughter)\b", re.IGNORECASE)
HARM = re.compile(r"\b(?:shot|shooting|gunfire|gunshot|stabb?(?:ed|ing)|wound\w*|injur\w*|attack\w*)\b",
                  re.IGNORECASE)
PERSON_WORDS = {
    "man", "woman", "boy", "girl", "child", "kid", "teen", "teenager", "person", "victim", "officer", "student",
    "son", "daughter", "mother", "father", "brother", "sister", "husband", "wife", "friend", "neighbor",
    "neighbour", "suspect", "gunman", "driver", "baby", "toddler", "infant", "resident", "worker", "clerk",
    "cousin", "grandmother", "grandfather", "grandson", "granddaughter", "uncle", "aunt", "nephew", "niece",
    "deputy", "trooper", "soldier", "civilian", "guard", "employee", "owner", "customer", "passenger",
    "pedestrian", "bystander", "youth", "juvenile", "male", "female", "adult", "teacher", "pastor", "rapper",
    "fighter", "militant", "journalist", "doctor", "nurse", "patient", "prisoner", "inmate", "policeman",
    "sheriff", "boyfriend", "girlfriend", "fiance", "fiancé", "stepfather", "stepson", "sibling", "shooter",
    "homeowner", "roommate", "classmate", "sophomore", "freshman", "junior", "senior", "mom", "dad", "one",
}
NOT_PEOPLE = {"GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "EVENT", "PRODUCT"}
PRONOUNS = {"he": 1, "she": 1, "him": 1, "her": 1, "himself": 1, "herself": 1}
NOBODY = {"nobody", "noone"}


def _people(np) -> int | None:
    """How many people a noun phrase names, or None when it does not say plainly."""
    low = np.lower_
    if low in PRONOUNS:
        return PRONOUNS[low]
    if any(c.lower_ == "else" for c in np.children):
        return None  # "no one else was hurt": none besides those counted already
    if low in NOBODY or (low in ("one", "body") and any(c.lower_ == "no" for c in np.children)):
        return 0
    if low == "both":
        return 2
    conjuncts = [c for c in np.children if c.dep_ == "conj"]
    if conjuncts:
        parts = [_one(np) or _figure(np)] + [_people(c) or _figure(c) for c in conjuncts]
        return None if any(p is None for p in parts) else sum(parts)
    return _one(np)


def _figure(np) -> int | None:
    """ "two young grandchildren" inside a list of victims: the figure its phrase gives."""
    from newsweave.facts.quantities import parse_number

    nums = [c for c in np.children if c.dep_ == "nummod"]
    if len(nums) != 1:
        return None
    v = parse_number(nums[0].text)
    return int(v) if v is not None and v == int(v) and 0 < v < 1000 else None


def _organisation(token) -> bool:
    """Whether a word is part of an organisation's name written as one: a name the tagger calls ORG that
    has a preposition or more than three words ("Syrian Observatory for Human Rights"). A short one is kept:
    the small model calls some people's names ORG."""
    if token.ent_type_ != "ORG":
        return False
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return ent is not None and (any(t.pos_ == "ADP" for t in ent) or sum(t.is_alpha for t in ent) > 3)


def _one(np) -> int | None:
    """1 for a singular phrase naming a person ("a man", "the 7-year-old", "Amari Brown"), else None."""
    if any(c.dep_ in ("nummod", "quantmod") for c in np.children):
        return None  # a figure of its own: the number reader counts it
    low = np.lower_
    if low in PRONOUNS:
        return 1
    if np.tag_ in ("NNS", "NNPS"):
        return None
    if _organisation(np):
        return None  # "wounded the Syrian Observatory for Human Rights": a parse that ran on into the source
    if np.ent_type_ == "PERSON" or np.pos_ == "PROPN" and np.ent_type_ not in NOT_PEOPLE and np.is_title:
        return 1  # the one a death or a wound happened to is a person, whatever label the tagger gave the name
    if np.pos_ == "NOUN" and (np.lemma_.lower() in PERSON_WORDS or re.search(r"-old$", low)):
        if low == "one" and not any(c.dep_ in ("det", "amod") for c in np.children):
            return None
        return 1
    return None


def _outcome(verb, sentence: str, article_fatal: bool) -> str | None:
    lemma = verb.lemma_.lower()
    if lemma in ("suffer", "sustain"):
        harm = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in HARM_NOUNS]
        if not harm:
            return None
        return "killed" if any(FATAL.search(t.lower_) for t in harm[0].subtree) else "wounded"
    if lemma in DEATH_NOUNS:
        return "killed"
    if lemma == "shooting":
        return "killed or wounded" if article_fatal else "wounded"
    if lemma in KILL:
        return "killed"
    if lemma in WOUND:
        return "wounded"
    if lemma in SHOOT:
        around = " ".join(t.lower_ for t in verb.subtree) + " " + " ".join(
            t.lower_ for t in verb.children if t.dep_ in ("advmod", "acomp", "oprd", "xcomp"))
        if FATAL.search(around) or any(c.dep_ == "conj" and c.lemma_.lower() in KILL for c in verb.children):
            return "killed"
        if any(c.dep_ == "conj" and c.lemma_.lower() in WOUND for c in verb.children):
            return "wounded"
        if not article_fatal or SURVIVED.search(sentence) and not FATAL.search(sentence):
            return "wounded"  # shot, and no one in the article died
        return "killed or wounded"
    return None


DEATH_NOUNS = {"murder", "killing", "death", "slaying", "homicide"}
HARM_NOUNS = {"injury", "wound", "injuries", "wounds"}


def _victims(verb) -> list:
    """The people an outcome verb happened to ("who" stands for the phrase its clause hangs on)."""
    found = [_antecedent(v, verb) for v in _arguments(verb)]
    return [v for v in found if v is not None]


def _antecedent(np, verb):
    if np.lower_ in ("who", "that") and verb.dep_ == "relcl":
        return verb.head
    return None if np.lower_ in ("who", "that", "which") else np


def _arguments(verb) -> list:
    lemma = verb.lemma_.lower()
    if lemma in DEATH_NOUNS or lemma == "shooting":  # "the murder of Ibram Hanna"
        return [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                if p.dep_ == "pobj"]
    if lemma in ("suffer", "sustain"):  # "Velazquez suffered a minor hand injury"
        return [c for c in verb.children if c.dep_ == "nsubj"]
    found = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if verb.tag_ == "VBN" and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        found.append(verb.head)  # "girl killed, grandmother injured": a participle on the one it happened to
    elif (verb.tag_ == "VBN" or verb.dep_ == "conj" and verb.head.lemma_.lower() == "leave") and \
            not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        # "left a girl dead and her grandmother wounded": a participle without an auxiliary is passive
        found += [c for c in verb.children if c.dep_ == "nsubj"]
    if lemma in ("die", "dead"):
        found += [c for c in verb.children if c.dep_ == "nsubj"]
        if lemma == "dead" and verb.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "amod"):
            # "was found dead", "discovered one man and two children dead"
            found += [verb.head] if verb.dep_ == "amod" else \
                [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    elif not found and verb.pos_ == "VERB":
        found += [c for c in verb.children if c.dep_ == "dobj"]
    if not found and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "ADJ"):
        # "was shot and killed": the subject hangs on the first verb; "shot and killed Regula": the object
        found += [c for c in verb.head.children if c.dep_ in ("nsubjpass",) or
                  c.dep_ == "nsubj" and lemma in ("die", "dead") or c.dep_ == "dobj" and verb.pos_ == "VERB"]
    if not found and verb.pos_ == "VERB":
        found += [d for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"
                  for d in c.children if d.dep_ == "dobj"]
    return found


CONDITION = {"critical", "stable", "serious", "grave", "fair", "guarded"}


def _in_condition(noun) -> list:
    """ "her father is listed in critical condition": the people a hospital condition is given for."""
    if noun.lemma_.lower() != "condition" or not any(c.lower_ in CONDITION for c in noun.children):
        return []
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]


def implicit_counts(doc, text: str, context) -> list[QuantityMention]:
    """Counts of killed, wounded or shot people written without a figure. `context(sent, skip, center)`
    gives a mention's context words (shared with the number reader)."""
    out, seen, keys = [], set(), []
    article_fatal = bool(DEATHS.search(text))
    article_harm = bool(HARM.search(text))
    for verb in doc:
        lemma = verb.lemma_.lower()
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        if article_harm and _in_condition(verb):
            victims, outcome, sent = _in_condition(verb), "wounded", verb.sent
        elif not (verb.pos_ in ("VERB", "ADJ") and lemma in KILL | WOUND | SHOOT | {"suffer", "sustain"} or
                verb.pos_ == "NOUN" and lemma in DEATH_NOUNS | {"shooting"}):
            continue
        else:
            sent = verb.sent
            outcome = _outcome(verb, sent.text, article_fatal)
            if outcome is None:
                continue
            victims = _victims(verb)
        for np in victims:
            n = _people(np)
            if n is None or (np.i, outcome) in seen:
                continue
            if n == 0 and outcome == "killed or wounded":
                outcome = "wounded"
            seen.add((np.i, outcome))
            keys.append((np.i, outcome))
            left = min(t.i for t in np.subtree if t.i <= np.i or t.dep_ == "conj" or t.head.dep_ == "conj")
            right = max(t.i for t in np.subtree if t.dep_ not in ("relcl", "acl", "appos", "punct", "prep")
                        or t.i <= np.i) if n != 1 else np.i
            span = doc[left: max(right, np.i) + 1]
            if len(span) > 12:
                span = doc[np.i: np.i + 1]
            out.append(QuantityMention(
                start=span.start_char, end=span.end_char, text=span.text, low=float(n), high=float(n),
                value=float(n), values=[float(n)], qualifier="exact", counted=outcome, noun=np.text,
                context=context(sent, {t.i for t in span}, np.i), who=None, implicit=True))
    # "the man injured in a shooting last week died": one who died is counted killed, not also wounded
    dead = {i for i, outcome in keys if outcome == "killed"}
    return [q for q, (i, outcome) in zip(out, keys) if outcome == "killed" or i not in dead]
