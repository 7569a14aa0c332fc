"""Dates: absolute and relative mentions resolved against the article's publication date, with granularity.

Candidate spans come from patterns (weekdays, month names, years, "last year") whose groups already hold
the date's parts, so they are read with `datetime` (a general date parser on these spans only slowed the
step down); relative parts are resolved here: news speaks of the past, so a bare "Friday" is the latest
Friday on or before publication and a bare "July" the latest July.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from newsweave.facts.nlp import text_of
from newsweave.records import DateMention

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
          r"Sep(?:tember|t?\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_PART = r"(?:early|mid|late|the end of|the beginning of|the middle of)"
_REL = r"(?:last|this|next)"
PATTERN = re.compile(
    rf"\b(?:(?P<wrel>{_REL})\s+)?(?P<weekday>{_WEEKDAY})(?:'s|’s)?"
    rf"(?:,?\s*\(?(?P<wmonth>{_MONTH})\s+(?P<wday>{_DAY})\)?(?:,?\s+(?P<wyear>{_YEAR}))?)?\b"
    rf"|\b(?:(?P<part>{_PART})[\s-]+)?(?P<month>{_MONTH})(?:\s+(?P<day>{_DAY})(?!\d))?"
    rf"(?:\s*[–-]\s*(?P<day2>{_DAY}))?(?:,?\s+(?P<year>{_YEAR}))?(?:\s+(?P<mrel>{_REL})\s+year)?\b"
    rf"|\b(?P<dday>{_DAY})\s+(?P<dmonth>{_MONTH})(?:,?\s+(?P<dyear>{_YEAR}))?\b"
    rf"|\b(?P<iso>{_YEAR}-[01]\d-[0-3]\d)\b"
    rf"|(?<![\d-])(?P<nday>[0-3]?\d)[-/.](?P<nmonth>[01]?\d)[-/.](?P<nyear>{_YEAR})\b"
    rf"|\b(?P<relyear>{_REL})\s+(?P<relunit>year|month)\b"
    rf"|\b(?P<deictic>yesterday|today)\b"
    rf"|\b(?:in|since|during|by|of|early|late)\s+(?P<onlyyear>{_YEAR})\b",
    re.IGNORECASE,
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# words that look like months but rarely are one without a day or year next to them
AMBIGUOUS_MONTHS = {"may", "march", "jan", "dec"}


def _month_number(text: str) -> int:
    key = text.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(key))


def _absolute(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # "February 30"
        return None


def resolve(m: re.Match, base: date | None) -> tuple[str, str, bool] | None:
    """(date, granularity, relative) for one pattern match, or None when it cannot be placed in time."""
    g = m.groupdict()
    if g["weekday"]:
        if g["wmonth"] and g["wday"]:
            year = int(g["wyear"]) if g["wyear"] else None
            return _month_day(_month_number(g["wmonth"]), int(re.sub(r"\D", "", g["wday"])), year, base)
        if base is None:
            return None
        back = (base.weekday() - WEEKDAYS.index(g["weekday"].lower())) % 7
        if (g["wrel"] or "").lower() == "next":
            day = base + timedelta(days=(7 - back) % 7 or 7)
        else:
            day = base - timedelta(days=back if (g["wrel"] or "").lower() != "last" or back else 7)
        return day.isoformat(), "day", True
    if g["month"]:
        if g["month"].lower() in AMBIGUOUS_MONTHS and not (g["day"] or g["year"] or g["part"] or g["mrel"]):
            return None
        month = _month_number(g["month"])
        if g["day"]:
            year = int(g["year"]) if g["year"] else None
            return _month_day(month, int(re.sub(r"\D", "", g["day"])), year, base)
        if g["year"]:
            return f"{int(g['year']):04d}-{month:02d}", "month", False
        if base is None:
            return None
        rel = (g["mrel"] or "").lower()
        year = base.year - 1 if rel == "last" else base.year + 1 if rel == "next" else base.year
        if not rel and month > base.month:
            year -= 1
        return f"{year:04d}-{month:02d}", "month", True
    if g["dday"]:
        year = int(g["dyear"]) if g["dyear"] else None
        return _month_day(_month_number(g["dmonth"]), int(re.sub(r"\D", "", g["dday"])), year, base)
    if g["nday"] or g["iso"]:  # "9-07-2015": day first, as most of the world writes it
        found = _absolute(*map(int, g["iso"].split("-"))) if g["iso"] else \
            _absolute(int(g["nyear"]), int(g["nmonth"]), int(g["nday"]))
        return (found.isoformat(), "day", False) if found else None
    if g["relyear"]:
        if base is None:
            return None
        shift = {"last": -1, "this": 0, "next": 1}[g["relyear"].lower()]
        if g["relunit"].lower() == "year":
            return f"{base.year + shift:04d}", "year", True
        month_index = base.year * 12 + base.month - 1 + shift
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}", "month", True
    if g["deictic"]:
        if base is None:
            return None
        day = base - timedelta(days=1) if g["deictic"].lower() == "yesterday" else base
        return day.isoformat(), "day", True
    if g["onlyyear"]:
        return g["onlyyear"], "year", False
    return None


def _month_day(month: int, day: int, year: int | None, base: date | None) -> tuple[str, str, bool] | None:
    relative = year is None
    if year is None:
        if base is None:
            return None
        year = base.year
        try:
            if date(year, month, day) > base + timedelta(days=7):  # a date months ahead is last year's
                year -= 1
        except ValueError:
            return None
    found = _absolute(year, month, day)
    return (found.isoformat(), "day", relative) if found else None


def _event_token(span):
    """The verb or noun the date attaches to ("held on Friday": held; "Saturday's dispatch": dispatch), else
    the sentence's root."""
    tok = span.root
    for _ in range(4):
        if tok.head is tok:
            break
        tok = tok.head
        if tok.i < span.start or tok.i >= span.end:
            if tok.pos_ in ("VERB", "NOUN") and tok.is_alpha:
                return tok
    root = span.root.sent.root
    return root if root.is_alpha else None


def _event_word(span) -> str | None:
    """The lemma of what happened: "held on Friday" -> hold (dates of one event are grouped by it)."""
    tok = _event_token(span)
    return tok.lemma_.lower() if tok is not None else None


def _phrase(tok) -> str:
    """A noun with the compound words before it ("Kim Jong-un", "welcome ceremony")."""
    words = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i] + [tok]
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def _event_label(span) -> str | None:
    """What happened, in the text's words: who did what to what ("Kim welcomed soldiers", "ceremony held",
    "KCNA reported"); a noun alone for an event noun ("Saturday's dispatch": dispatch)."""
    tok = _event_token(span)
    if tok is None:
        return None
    if tok.pos_ != "VERB":
        return _phrase(tok)
    subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"), None)
    if subject is None and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN"):
        subject = tok.head  # "the ceremony, held on Friday"
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "attr", "oprd") and c.pos_ != "PRON"), None)
    parts = sorted([(t.i, _phrase(t)) for t in (subject, obj) if t is not None] + [(tok.i, tok.text)])
    return " ".join(text for _, text in parts)


def extract_dates(doc, base: date | None) -> list[DateMention]:
    out = []
    for m in PATTERN.finditer(text_of(doc)):
        start = m.start("onlyyear") if m.group("onlyyear") else m.start()
        try:
            resolved = resolve(m, base)
        except (OverflowError, ValueError):  # "next Friday" after 9999-12-31
            continue
        if resolved and not 1 <= int(resolved[0].split("-")[0]) <= 9999:  # "next year" in 9999, "last year" in 1
            continue
        if not resolved:
            continue
        span = doc.char_span(start, m.end(), alignment_mode="expand")
        if span is None:
            continue
        sent = span.root.sent
        context = sorted({t.lemma_.lower() for t in sent if t.pos_ in ("NOUN", "PROPN", "VERB") and not t.is_stop
                          and t.is_alpha and (t.i < span.start or t.i >= span.end)})
        out.append(DateMention(start=span.start_char, end=span.end_char, text=span.text, date=resolved[0],
                               granularity=resolved[1], relative=resolved[2],
                               sentence=(sent.start_char, sent.end_char), event=_event_word(span), context=context,
                               label=_event_label(span)))
    return out


def parse_base(value: str | None) -> date | None:
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date() if value else None
    except ValueError:
        return None


BACKGROUND_DAYS = 45  # a dated event this long before publication is not the news of the day


def _last_day(d: DateMention) -> date | None:
    """The last day a date mention covers: 2014 -> 2014-12-31, July 2014 -> 2014-07-31."""
    parts = [int(p) for p in d.date.split("-")]
    if len(parts) == 3:
        return _absolute(*parts)
    if len(parts) == 2:
        return date(parts[0], 12, 31) if parts[1] == 12 else date(parts[0], parts[1] + 1, 1) - timedelta(days=1)
    return date(parts[0], 12, 31)


def background_sentences(doc, dates: list[DateMention], base: date | None, lead: int = 3) -> set[int]:
    """Start offsets of the sentences that recall an earlier event ("down the street from a July 2014
    shooting that left a girl dead. Genesis Rincon was shot ..."): past the lead, dated well before
    publication by a date written in full or with "last" (a bare "October 18" placed in the past year is a
    guess), and up to two sentences after it in the same paragraph unless they are dated otherwise. When the lead
    itself is dated that early, the article is a follow-up whose main event is the old one: none."""
    if base is None or not dates:
        return set()
    text = text_of(doc)
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    lead_end = sents[lead][0] if len(sents) > lead else len(text)
    try:
        cutoff = base - timedelta(days=BACKGROUND_DAYS)
    except OverflowError:  # published in the first days of year 1
        return set()
    written = [d for d in dates if not d.relative or d.text.lower().startswith("last ")
               or text[max(d.start - 5, 0):d.start].lower() == "last "]  # "last November" is no guess
    old = {d.sentence[0] for d in written if (_last_day(d) or base) < cutoff}
    if any(start < lead_end for start in old):
        return set()
    recent = {d.sentence[0] for d in dates} - old
    out, left, prev_end = set(), 0, 0
    for start, end in sents:
        if start in old:
            left = 3
        elif start in recent or "\n" in text[prev_end:start]:
            left = 0
        if left:
            out.add(start)
            left -= 1
        prev_end = end
    return out
