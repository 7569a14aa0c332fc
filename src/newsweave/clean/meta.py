"""Metadata recovered from plain text: publication date, byline, and credit lines naming an original
publisher or wire. Patterns are the generic formulas of syndication and datelines, not any outlet's."""
from __future__ import annotations

import re
from datetime import date

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501
DATE_PATTERNS = [
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"), "ymd"),
    (re.compile(rf"\b(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I), "mdy"),  # noqa: E501
    (re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MON})\s+(?P<y>(?:19|20)\d\d)\b", re.I), "dmy"),
    (re.compile(r"\b(?P<m>\d{1,2}) ?/ ?(?P<d>\d{1,2}) ?/ ?(?P<y>(?:19|20)\d\d)\b"), "slash"),  # "05 / 02 / 2013"
]

CREDIT_LINES = [
    re.compile(r"^The post .{3,300}? appeared first on (?P<origin>[^.]{2,80}?)\.?$", re.I),
    re.compile(r"^(?:This|The) (?:article|story|post|piece) (?:was )?(?:originally |first )?"
               r"(?:appeared|published|ran)(?: first| originally)? (?:on|in|at|by) (?P<origin>[^.]{2,80}?)\.?$", re.I),
    re.compile(r"^(?:Originally|First) published (?:on|in|at|by) (?P<origin>[^.]{2,80}?)\.?$", re.I),
    re.compile(r"^Source:\s*(?P<origin>[^.]{2,60}?)\.?$", re.I),
    re.compile(r"^[-—–]\s*(?P<origin>[A-Z][\w&.' ]{1,30})$"),
]
WIRE_DATELINE = re.compile(r"^[A-Z][\w .,'’/-]{0,60}?\((?P<origin>[A-Z][\w&.' -]{1,30})\)\s*[-—–:]")
BYLINE = re.compile(
    r"^(?:By|BY|Author:|Written by)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)\s*$"
)


def find_date(text: str) -> tuple[str, int, int] | None:
    """First calendar date in `text`: (ISO date, start, end)."""
    best = None
    for pattern, kind in DATE_PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[1].start()):
            best = (kind, m)
    if best is None:
        return None
    kind, m = best
    try:
        month = int(m["m"]) if kind in ("ymd", "slash") else MONTHS[m["mon"].lower().rstrip(".")[:3]]
        day = int(m["d"])
        if kind == "slash" and month > 12 >= day:  # month first as in US English, unless it cannot be
            month, day = day, month
        value = date(int(m["y"]), month, day)
    except (ValueError, KeyError):
        return None
    return value.isoformat(), m.start(), m.end()


def credit_from_line(line: str) -> str | None:
    for pattern in CREDIT_LINES:
        m = pattern.match(line.strip())
        if m:
            return m["origin"].strip()
    return None


def wire_credit(first_line: str) -> str | None:
    m = WIRE_DATELINE.match(first_line.strip())
    return m["origin"].strip() if m else None


# the site's own name in its footer: "DNYUZ © 2026", "© 2024 Example Media. All rights reserved.",
# "Copyright 2023 The Daily Courier"
_HOLDER = r"(?P<name>[A-Z][\w&'’ .-]{0,40}?[\w)])"
COPYRIGHT = [re.compile(rf"^{_HOLDER}\s*(?:©|\(c\)|Copyright)\s*(?:19|20)\d\d\b", re.I),
             re.compile(rf"^(?:(?:©|\(c\)|Copyright)\s*)+(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\s*,?\s*{_HOLDER}"
                        r"\s*(?:[.,|]|All rights reserved|$)", re.I)]
# a year is required: a name after © without one is mostly a photo credit ("© Getty Images")
NOT_A_HOLDER = re.compile(r"^(?:all rights reserved|alle rechte|tous droits|todos los derechos|creative commons|"
                          r"the authors?|www|by|since|copyright)\b", re.I)


def copyright_holder(lines: list[str]) -> str | None:
    """The name a page's copyright lines give (the most frequent, on short lines only), or None."""
    found: dict[str, int] = {}
    for line in lines:
        text = line.strip()
        if not text or len(text.split()) > 12:
            continue
        for pattern in COPYRIGHT:
            m = pattern.match(text)
            if m and not NOT_A_HOLDER.match(m["name"].strip()) and not m["name"].strip().isdigit():
                name = m["name"].strip(" .,-")
                found[name] = found.get(name, 0) + 1
                break
    return max(found, key=lambda n: (found[n], -len(n))) if found else None


def byline(line: str) -> str | None:
    m = BYLINE.match(line.strip())
    return m["name"].strip() if m else None
