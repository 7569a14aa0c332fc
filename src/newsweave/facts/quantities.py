"""Quantities: the figure, its qualifier, the interval it allows, and what it counts.

"up to 15,000 troops" allows [0, 15000]; "roughly 14,000" allows 14,000 give or take 10%; "between 3,000 and
4,000" allows [3000, 4000]; "over 6,000 killed or wounded" allows (6000, inf) of a different thing from
"killed". Whether two sources conflict is then a question of whether their intervals meet (see newsweave.align).
"""
from __future__ import annotations

import math
import re
from datetime import date

from text_to_num import text2num

from newsweave.facts.dates import background_sentences
from newsweave.facts.nlp import text_of
from newsweave.facts.roles import KEPT, RoleModel, features
from newsweave.facts.victims import implicit_counts
from newsweave.records import DateMention, QuantityMention

_UNITS = ("zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
          "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
_SCALES = "hundred|thousand|million|billion"
_WORD = rf"(?:{_UNITS}|{_SCALES})"
WORDNUM = rf"(?:{_WORD}(?:(?:[\s-]+(?:and\s+)?){_WORD})*)"
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(?:million|billion|thousand))?"
NUMBER = rf"(?:{DIGITS}|{WORDNUM})"
VAGUE = {"dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
         "tens of thousands": (20000, 99999), "hundreds of thousands": (200000, 999999)}
QUALIFIERS = {
    "up to": "up to", "as many as": "up to", "at most": "up to", "no more than": "up to",
    "less than": "less than", "fewer than": "less than", "under": "less than", "below": "less than",
    "just under": "less than",
    "more than": "over", "over": "over", "above": "over", "upwards of": "over", "just over": "over",
    "at least": "at least", "no fewer than": "at least", "no less than": "at least",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "close to": "nearly", "nearly": "nearly", "almost": "nearly",
}
_QUAL = "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True))
_VAGUE = "|".join(sorted(map(re.escape, VAGUE), key=len, reverse=True))
PATTERN = re.compile(
    rf"(?<![\w.,:/-])(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:(?P<between>between|from)\s+)?(?P<a>{NUMBER})"
    rf"(?:\s*(?:to|and|-|–|—)\s*(?P<b>{NUMBER}))?"
    rf"(?![\w%]|[,.:/–-]\d)"
    rf"|(?<![\w-])(?:(?P<vqual>{_QUAL})\s+)?(?P<vague>{_VAGUE})(?=\s+of\b)",
    re.IGNORECASE,
)
ORDINAL_OR_CODE = re.compile(r"\d(?:st|nd|rd|th)\b|[A-Za-z]-?\d|\d[:/]\d")
DURATION_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
KILLED = {"kill", "killed", "dead", "death", "die", "died", "deceased", "fatality", "loss", "perish", "fallen", "toll"}
WOUNDED = {"wound", "wounded", "injure", "injured", "injury", "hurt"}
CASUALTY = {"casualty", "casualties"}
# nouns for people (or lives): only a count of these can be a count of killed or wounded
PERSON_NOUNS = {"people", "person", "civilian", "child", "children", "kid", "soldier", "troop", "fighter", "militant",
                "member", "man", "men", "woman", "women", "resident", "worker", "student", "policeman", "officer",
                "rebel", "terrorist", "gunman", "jihadist", "insurgent", "protester", "demonstrator", "patient",
                "staff", "personnel", "life", "citizen", "refugee", "migrant", "passenger", "victim", "serviceman",
                "servicemen", "recruit", "guard", "police", "pilot", "medic", "doctor", "nurse", "journalist",
                "family", "infant", "baby", "girl", "boy", "adult", "inmate", "prisoner", "worshipper", "pilgrim",
                "villager", "farmer", "employee", "volunteer", "commander", "leader", "official", "engineer",
                "combatant", "casualty", "martyr", "body", "dead", "wounded", "injured", "other", "others"}
# groups of people a count can be about; "people", "civilians", "lives", "members" are general
GROUPS = {"child": "child", "children": "child", "kid": "child", "infant": "child", "baby": "child", "girl": "child",
          "boy": "child", "woman": "woman", "women": "woman", "soldier": "troop", "troop": "troop",
          "serviceman": "troop", "servicemen": "troop", "militant": "fighter", "fighter": "fighter",
          "rebel": "fighter", "terrorist": "fighter", "jihadist": "fighter", "gunman": "fighter",
          "insurgent": "fighter", "combatant": "fighter", "policeman": "police", "police": "police",
          "family": "family", "worker": "worker", "student": "student", "patient": "patient",
          "journalist": "journalist", "doctor": "medic", "medic": "medic", "nurse": "medic",
          "prisoner": "prisoner", "inmate": "prisoner", "staff": "staff", "employee": "staff",
          "refugee": "refugee", "migrant": "refugee",
          "commander": "commander", "leader": "commander", "official": "official", "pilot": "pilot"}
PEOPLE = {"soldier": "troop", "troop": "troop", "serviceman": "troop", "servicemen": "troop", "fighter": "troop",
          "person": "people", "people": "people", "civilian": "civilian", "child": "child", "children": "child"}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
OF_THE_DEAD = {"dead", "killed", "victims", "casualties", "wounded", "injured", "fatalities", "bodies"}


def parse_number(text: str) -> float | None:
    t = text.lower().replace(",", "").strip()
    scale = 1.0
    for word, factor in (("million", 1e6), ("billion", 1e9), ("thousand", 1e3)):
        if t.endswith(" " + word) and re.match(r"[\d.]+ ", t):
            t, scale = t[: -len(word)].strip(), factor
    try:
        return float(t) * scale
    except ValueError:
        pass
    try:
        return float(text2num(re.sub(r"\s+", " ", t), "en"))
    except (ValueError, TypeError):
        return None


def interval(values: list[float], qualifier: str) -> tuple[float, float]:
    """What a statement allows. Approximate words allow 10% either way (rounding to the figure named)."""
    v = values[0]
    if qualifier == "range":
        return min(values), max(values)
    if qualifier == "up to":
        return 0.0, v
    if qualifier == "less than":
        return 0.0, v * (1 - 1e-9)
    if qualifier == "over":  # "more than 19" people: at least 20
        return (v + 1.0 if v == int(v) else v * (1 + 1e-9)), math.inf
    if qualifier == "at least":
        return v, math.inf
    if qualifier == "about":
        return v * 0.9, v * 1.1
    if qualifier == "nearly":
        return v * 0.9, v
    return v, v


def _outcome(tokens, index: int) -> str | None:
    """What happened to the counted people, from the nearest outcome word in the sentence (killed, wounded,
    or both when they are joined: "killed or wounded", "casualties")."""
    found = []
    for tok in tokens:
        lemma, low = tok.lemma_.lower(), tok.lower_
        kind = ("killed or wounded" if lemma in CASUALTY or low in CASUALTY else
                "killed" if lemma in KILLED or low in KILLED else
                "wounded" if lemma in WOUNDED or low in WOUNDED else None)
        if kind:  # on a tie the word after the number wins: "Two Killed Three Injured"
            found.append((abs(tok.i - index) - (0.5 if tok.i > index else 0), tok.i, kind))
    if not found:
        return None
    ancestors = {t.i: k for k, t in enumerate(list(tokens[index - tokens.start].ancestors)[:4])} \
        if tokens.start <= index < tokens.end else {}
    governing = [f for f in found if f[1] in ancestors]
    if governing:  # "two were wounded", "killed 12 people": the outcome the number's phrase hangs on
        found = [(ancestors[f[1]] - 10, f[1], f[2]) for f in governing] + found
    # ... unless the outcome word follows the number itself: "2 Killed 10 Injured", where a title-case
    # headline is parsed as one noun phrase
    found = [(-100 if f[1] == index + 1 else f[0], f[1], f[2]) for f in found]
    found.sort()
    _, where, kind = found[0]
    doc = tokens.doc

    def joined(i: int) -> bool:  # "killed or wounded", "killed and injured": only words like "or" between
        lo, hi = sorted((i, where))
        return hi - lo <= 3 and all(t.pos_ in ("CCONJ", "PUNCT") or t.lower_ in ("both", "either")
                                    for t in doc[lo + 1: hi])

    if kind != "killed or wounded" and any(k != kind and joined(i) for _, i, k in found):
        return "killed or wounded"
    return kind


CUMULATIVE = re.compile(r"\b(?:since|so far|in the past|over the past|during the past|in total|ago|a total of|"
                        r"this year|last year)\b"
                        # "a conflict that has killed 280000 people": the war's toll, not the event's
                        r"|\b(?:war|conflict)\b[^.;]{0,60}\bha(?:s|ve|d) (?:killed|claimed|left)\b", re.IGNORECASE)
# "the previous death toll was 20", "updating a previous toll of 112": a figure its own source has replaced
SUPERSEDED = re.compile(r"\b(?:previous|earlier|initial|former|old)\s+(?:death\s+)?toll\b", re.IGNORECASE)


def _does_other(number) -> bool:
    """ "more than twenty others suffered from suffocation": the counted people are the subject of a verb that
    is not an outcome, so an outcome word elsewhere in the sentence is about someone else."""
    phrase = number.head if number.dep_ in ("nummod", "quantmod") else number
    verb = phrase.head
    outcome_words = KILLED | WOUNDED | CASUALTY
    # "hundreds of troops are believed to have been killed": the outcome is the verb's complement
    complement = any(c.dep_ in ("xcomp", "ccomp") and (c.lemma_.lower() in outcome_words or c.lower_ in outcome_words)
                     for c in verb.children)
    return phrase.dep_ in ("nsubj", "nsubjpass") and verb.pos_ == "VERB" and not complement and \
        verb.lemma_.lower() not in outcome_words and verb.lower_ not in KILLED | WOUNDED


def _is_age(text: str, span) -> bool:
    """ "under the age of eight", "aged 12", "an 8-year-old", "her six-month-old son": an age, not a count."""
    before = text[max(span.start_char - 12, 0): span.start_char].lower()
    after = text[span.end_char: span.end_char + 16].lower()
    return before.rstrip().endswith(("age of", "aged", "ages of")) or \
        re.match(r"[- ](?:year|month|week|day)s?[- ]old\b", after) is not None


def _is_part(doc, span) -> bool:
    """A count that names part of a larger one: "including 6 children", "among them 4", "5 of them",
    "two women were among the dead"."""
    before = list(doc[max(span.start - 6, span.sent.start): span.start])
    after = [t.lower_ for t in doc[span.end: min(span.end + 5, len(doc))]]
    for k in range(len(before) - 1, -1, -1):  # "including five children and two women": both are parts
        word = before[k].lower_
        if word in ("including", "includes", "included", "among"):
            # "a boy was among 12 killed": the 12 is the whole
            return not (word == "among" and k > 0 and before[k - 1].lower_ in ("was", "were", "is", "are", "be"))
        if before[k].pos_ in ("VERB", "AUX") or word in (".", ";", ":"):
            break
    if after[:2] in (["of", "them"], ["of", "whom"]):
        return True
    if after[:1] == ["of"] and after[1:2] in (["the"], ["those"]) and any(a in OF_THE_DEAD for a in after[2:4]):
        return True  # "five of the dead were children", "three of those killed"
    # "four children were among the dead", "three children were among at least 19 killed"
    return any(a == "among" and b != "them" for a, b in zip(after[:4], after[1:5]))


OUTCOME_KINDS = {"killed", "wounded", "killed or wounded"}


def _adds_to(doc, last, counted: str, earlier: list[QuantityMention]) -> bool:
    """ "24 other people were killed", "the 16 others": a count of others adds to an earlier count of the same
    outcome in this sentence or the one before, so it is a part of the toll. ("killed three and wounded 12
    others" is not: the others are counted for another outcome.)"""
    if last.i + 1 >= len(doc) or doc[last.i + 1].lower_ not in ("other", "others", "more"):
        return False
    sent = last.sent
    begin = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
    return any(q.counted == counted and begin <= q.start < last.idx for q in earlier)


def _in_list(noun) -> bool:
    """A counted noun joined by "and" to another group of people: "50 fighters and two civilians"."""
    others = [c for c in noun.children if c.dep_ == "conj"] + ([noun.head] if noun.dep_ == "conj" else [])
    return any(o.pos_ in ("NOUN", "PROPN", "PRON") and o.i != noun.i for o in others)


def _context(sent, skip: set[int], center: int, radius: int = 12) -> list[str]:
    return sorted({t.lemma_.lower() for t in sent if t.pos_ in CONTENT_POS and not t.is_stop and t.is_alpha
                   and t.i not in skip and abs(t.i - center) <= radius})


def number_matches(text: str, date_spans: list[tuple[int, int]] = ()):
    """Every written figure outside the date spans: (match, start, end of the figure itself)."""
    for m in PATTERN.finditer(text):
        key = "a" if m.group("a") else "vague"
        if any(s <= m.start(key) < e for s, e in date_spans):
            continue
        yield m, m.start(key), (m.end("b") if m.group("b") else m.end(key))


def extract_quantities(doc, dates: list[DateMention] = (), base: date | None = None) -> list[QuantityMention]:
    """Quantities in a parsed article. `dates` are the mentions already read as dates (their numbers are
    days of the month or years, not counts), resolved against the publication date `base`. Each figure
    first gets a role (newsweave.facts.roles): only counts and measures go on."""
    text = text_of(doc)
    found = list(number_matches(text, [(d.start, d.end) for d in dates]))
    background = background_sentences(doc, dates, base)
    predicted = RoleModel.shipped().predict([features(doc, text, a, b) for _, a, b in found])
    out = []
    for (m, _, _), (role, _) in zip(found, predicted):
        if role not in KEPT:
            continue
        start, end = m.span()
        if m.group("vague"):
            low, high = VAGUE[m.group("vague").lower()]
            qualifier = "vague"
            values = [float(low), float(high)]
            num_end = m.end("vague")
        else:
            if ORDINAL_OR_CODE.search(text[max(start - 1, 0): end + 3]):
                continue
            values = [parse_number(m.group("a"))]
            if m.group("b"):
                if not m.group("between") and text[m.end("a"): m.start("b")].strip().lower() == "and":
                    # "5,000 and 6,000 workers" without "between" is two figures: keep the first
                    end = m.end("a")
                else:
                    values.append(parse_number(m.group("b")))
            if any(v is None for v in values):
                continue
            qualifier = "range" if len(values) == 2 else QUALIFIERS.get((m.group("qual") or "").lower(), "exact")
            if len(values) == 1 and m.group("between") and not m.group("qual"):
                start = m.start("a")  # "from six": a range that never came
            num_end = m.end("b") if len(values) == 2 else m.end("a")
        if m.group("vqual") and qualifier == "vague":
            start = m.start("vqual")
        span = doc.char_span(start, num_end, alignment_mode="expand")
        if span is None:
            continue
        last = span[-1]
        if last.lower_ == "one" and last.dep_ != "nummod":  # "a safe one": a pronoun, not a count
            continue
        if len(values) == 1 and 1800 <= values[0] <= 2100 and re.fullmatch(r"\d{4}", m.group("a") or ""):
            continue  # a year
        sent = last.sent
        counted, noun, value_scale = None, None, 1.0
        head = last.head if last.dep_ in ("nummod", "quantmod", "compound") else None
        if (head is None or head.i < last.i) and last.i + 1 < len(doc) and doc[last.i + 1].pos_ == "NOUN":
            head = doc[last.i + 1]  # "One hundred and twenty days have passed": the noun right after
        if head is not None and head.i != last.i and head.pos_ in ("NOUN", "PROPN"):
            lemma = head.lemma_.lower()
            if lemma in DURATION_DAYS:
                counted, value_scale = "day", DURATION_DAYS[lemma]
                noun = head.text
            else:
                counted = PEOPLE.get(lemma, lemma)
                left = [t for t in head.lefts if t.dep_ in ("compound", "amod") and t.i > last.i]
                noun = text[(left[0] if left else head).idx: head.idx + len(head)]
        elif qualifier == "vague" and last.i + 2 < len(doc) and doc[last.i + 1].lower_ == "of":
            obj = doc[last.i + 2 : min(last.i + 6, len(doc))]
            heads = [t for t in obj if t.pos_ in ("NOUN", "PROPN")]
            if heads:
                counted = PEOPLE.get(heads[-1].lemma_.lower(), heads[-1].lemma_.lower())
                noun = heads[-1].text
        who = GROUPS.get(head.lemma_.lower()) if head is not None and head.i != last.i else None
        if (counted is None or counted in PERSON_NOUNS or counted in PEOPLE.values()) and not _does_other(last):
            outcome = _outcome(sent, last.i)
            if outcome:
                counted = outcome
        if _is_age(text, span):
            continue
        if counted and counted != "day" and _is_part(doc, span):
            counted += " (among them)"  # "including six children": a part of another count, not a rival to it
        elif counted and counted != "day" and CUMULATIVE.search(sent.text):
            counted += " (over a period)"  # "since Saturday", "in the past 24 hours": a running total
        elif counted in OUTCOME_KINDS and SUPERSEDED.search(text[max(span.start_char - 40, sent.start_char):
                                                                 span.start_char]):
            counted += " (superseded)"
        if counted in OUTCOME_KINDS and head is not None and head.i != last.i and _in_list(head):
            counted += " (among them)"  # "one man and two children dead": the list's sum is the toll
        if counted in OUTCOME_KINDS and _adds_to(doc, last, counted, out):
            counted += " (among them)"  # "40 were killed ... 24 other people were killed": not a toll of its own
        if counted in OUTCOME_KINDS and sent.start_char in background:
            counted += " (earlier)"  # an earlier event recalled in the background, not this story's toll
        values = [v * value_scale for v in values]
        low, high = (min(values), max(values)) if qualifier == "vague" else interval(values, qualifier)
        vqual = QUALIFIERS.get((m.group("vqual") or "").lower())
        if qualifier == "vague" and vqual in ("at least", "over"):
            high = math.inf  # "at least hundreds": no upper bound
        elif qualifier == "vague" and vqual in ("up to", "less than"):
            low = 0.0
        skip = {t.i for t in span} | ({head.i} if head is not None else set())  # the figure and its unit
        shown_end = span.end_char
        if counted == "day" and head is not None and head.i > last.i:
            shown_end = head.idx + len(head)  # "less than three months": the unit belongs to the figure shown
        out.append(QuantityMention(
            start=span.start_char, end=shown_end, text=text[span.start_char:shown_end], low=low, high=high,
            value=sum(values) / len(values), values=values, qualifier=qualifier, counted=counted, noun=noun,
            context=_context(sent, skip, last.i), who=who,
        ))
    for q in implicit_counts(doc, text, _context):
        if any(e.start < q.end and q.start < e.end and e.value >= q.value for e in out):
            continue  # the phrase holds a figure already read ("two men"; but "a woman and two children" is 3)
        sent = doc.char_span(q.start, q.end, alignment_mode="expand").sent
        if CUMULATIVE.search(sent.text):
            q.counted += " (over a period)"
        elif sent.start_char in background:
            q.counted += " (earlier)"
        out.append(q)
    out.sort(key=lambda q: q.start)
    return out
