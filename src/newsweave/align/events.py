"""Dates and names across sources: the timeline of a story, and the organisations, units and events that
several sources name."""
from __future__ import annotations

import re
from datetime import date, timedelta

from newsweave.align.groups import components, context_similarity
from newsweave.align.quantities import MIN_CONTEXT
from newsweave.align.records import evidence
from newsweave.align.source import Source, clip
from newsweave.records import ArticleFacts

BACKGROUND_DAYS = 365  # a date over a year before the story's first report is background (a founding, an old war)
ENTITY_FACT_LABELS = {"ORG", "FAC", "EVENT", "LAW"}  # the organisations, units, events, laws and awards a story is about


def timeline_facts(sources: dict[str, Source], facts: list[ArticleFacts],
                   texts: dict[str, str]) -> tuple[list[dict], list[dict]]:
    items = [(f.article_id, d) for f in facts for d in f.dates]
    sim = context_similarity([d.context for _, d in items])

    def linked(i: int, j: int) -> bool:
        (_, a), (_, b) = items[i], items[j]
        return a.date == b.date and (a.event == b.event or sim[i, j] >= MIN_CONTEXT)

    published = sorted(s.article.published for s in sources.values() if s.article.published)
    # dates well before the story's first report are background (an outlet's founding, an earlier war)
    earliest = _days_before(published[0], BACKGROUND_DAYS) if published else ""
    timeline, out = [], []
    for group in components(len(items), linked):
        members = [items[i] for i in group]
        roots = sorted({sources[aid].root for aid, _ in members})
        aid, first = min(members, key=lambda m: (m[1].sentence[1] - m[1].sentence[0]))
        sentence = texts[aid][first.sentence[0]: first.sentence[1]].strip()
        spans = [evidence(a, d.start, d.end) for a, d in members]
        labels = [d.label for _, d in members if d.label]
        timeline.append({"date": first.date, "granularity": first.granularity, "event": first.event,
                         "label": max(set(labels), key=labels.count) if labels else first.event,
                         "background": _last_day(first.date) < earliest,
                         "text": clip(sentence, 240), "article_ids": sorted({a for a, _ in members}),
                         "sources": roots, "relative": any(d.relative for _, d in members), "evidence": spans})
        status = "agreed" if len(roots) > 1 else "single"
        out.append({"kind": "date", "status": status,
                    "rule": f"{len(roots)} independent sources date it {first.date}" if len(roots) > 1
                    else "one independent source",
                    "statement": f"{timeline[-1]['label'] or 'event'} on {first.date}", "sources": roots,
                    "variants": [{"value": d.date, "text": d.text, "article_ids": [a],
                                  "evidence": [evidence(a, d.start, d.end)]} for a, d in members]})
    timeline.sort(key=lambda t: (t["date"], -len(t["sources"])))
    return timeline, out


MINOR_WORDS = {"of", "the", "and", "for", "on", "in", "de", "la", "du", "des", "del", "der", "und", "&"}


PREPOSITIONS = {"of", "for", "on", "in", "to", "against", "at", "de", "des", "du", "der", "für"}


def _org_words(name: str) -> list[str]:
    words = [w for w in re.split(r"[^\w]+", re.sub(r"['’]s\b", "", name.lower())) if w]
    return words[1:] if words[:1] == ["the"] else words


def same_organisation(a: str, b: str) -> bool:
    """Two names of one organisation, unit, event or law: the same words ("the Korean People's Army"), initials
    ("KCNA"), a name cut before its complement ("the 528th Regiment" of "the 528th Regiment of Engineers") or
    without the word naming its kind ("al-Nusra" of "al-Nusra Front").
    Words a name merely contains do not make it that name: "United Nations" is not UNICEF (the United Nations
    International Children's Emergency Fund), nor is the "Syrian Army" the "Free Syrian Army"."""
    wa, wb = _org_words(a), _org_words(b)
    if not wa or not wb:
        return False
    if wa == wb or is_acronym_of(a, b) or is_acronym_of(b, a):
        return True
    short, long = sorted((wa, wb), key=len)
    if len(short) >= len(long) or long[:len(short)] != short:
        return False
    # cut before its complement ("... of Engineers"), or without the one word that names its kind ("al-Nusra
    # Front", "Islamic State group"); a longer tail makes another body ("United Nations International ...")
    return long[len(short)] in PREPOSITIONS or len(long) == len(short) + 1


def is_acronym_of(short: str, name: str) -> bool:
    """`short` is the initials of `name`: "KCNA" of "Korean Central News Agency", "KPA" of "Korean People's
    Army", "U.N." of "United Nations" (minor words counted or not: "BoA", "BOA" of "Bank of America"). Only
    letters in capitals, two to six; a name of two words or more."""
    letters = short.replace(".", "")
    # capitals all but one at most ("BoA"): "Kim" is a name, not initials
    if not (2 <= len(letters) <= 6 and letters.isalpha() and sum(c.isupper() for c in letters) >= len(letters) - 1):
        return False
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", name.removeprefix("the ").removeprefix("The "))
    if len(words) < 2:
        return False
    every = "".join(w[0] for w in words)
    major = "".join(w[0] for w in words if w.lower() not in MINOR_WORDS)
    return letters.upper() in (every.upper(), major.upper())


def _last_day(value: str) -> str:
    """The last day a date of any granularity can mean: "1978" -> "1978-12-31", "2025-08" -> "2025-08-31"."""
    if len(value) == 4:
        return f"{value}-12-31"
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:7])
        if month == 12:
            return f"{value}-31"
        return (date(year, month + 1, 1) - timedelta(days=1)).isoformat()
    return value


def _days_before(day: str, days: int) -> str:
    """The ISO date `days` before `day` ("" when that is before the calendar's first day)."""
    try:
        return (date.fromisoformat(day[:10]) - timedelta(days=days)).isoformat()
    except (OverflowError, ValueError):
        return ""


def entity_facts(sources: dict[str, Source], facts: list[ArticleFacts]) -> list[dict]:
    """Named organisations, units and events that several independent sources name: agreed facts of who."""
    items = [(f.article_id, e) for f in facts for e in f.entities if e.label in ENTITY_FACT_LABELS]
    names = sorted({e.entity for _, e in items})  # compare each distinct name once, not each mention

    out = []
    for group in components(len(names), lambda i, j: same_organisation(names[i], names[j])):
        chosen = {names[i] for i in group}
        members = [(aid, e) for aid, e in items if e.entity in chosen]
        roots = sorted({sources[aid].root for aid, _ in members})
        if len(roots) < 2:
            continue
        name = max((e.entity for _, e in members), key=len)
        out.append({"kind": "entity", "status": "agreed", "rule": f"{len(roots)} independent sources name it",
                    "statement": name, "sources": roots,
                    "variants": [{"value": name, "text": members[0][1].text,
                                  "article_ids": sorted({aid for aid, _ in members}),
                                  "evidence": [evidence(aid, e.start, e.end)
                                               for aid, e in members]}]})
    return out

