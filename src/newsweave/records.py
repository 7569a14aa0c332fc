"""Typed records shared by every stage: what a reader yields, what the cleaner makes, what the store keeps."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple


def day_number(value: str | None) -> int | None:
    """An ISO date ("2025-12-13", or longer) as a day count, for gaps between dates; None if unreadable."""
    try:
        return date.fromisoformat(value[:10]).toordinal() if value else None
    except ValueError:
        return None


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class RawDocument:
    """One article as an input gave it, before cleaning.

    `kind` is "html" or "text"; `source` names where it came from (a path, a URL, a WARC record id,
    or a path with a line number for JSONL) so an error or an export can point back to it.
    """

    source: str
    kind: str
    content: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    external_id: str | None = None

    @cached_property
    def article_id(self) -> str:
        # Same source and same bytes give the same id: re-ingesting an input adds nothing.
        return sha1(f"{self.source}\n{sha1(self.content)}")[:16]


@dataclass
class InputError:
    """An input that could not be read; the batch goes on without it."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Article:
    """A cleaned article. `text` is the body every character offset in newsweave points into."""

    id: str
    source: str
    kind: str
    raw: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD)
    credited_origin: str | None = None
    credit_line: str | None = None
    removed_chars: int = 0  # how much of the raw text the cleaner dropped (page chrome)
    language: str | None = None  # ISO 639-1 code of the text's language, None when it cannot be told
    seq: int | None = None  # ingest order, set by the store
    story_id: int | None = None


class Member(NamedTuple):
    """An article as story placement sees it: word and anchor counts (packed, see cluster.features), its
    publication date and language."""

    id: str
    words: bytes
    anchors: bytes
    published: str | None
    language: str | None


@dataclass
class CopyLink:
    """`article_id` is a copy of `original_id`; `evidence` says why, `direction` why this way round."""

    article_id: str
    original_id: str
    method: str  # exact | near-duplicate | containment
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Story:
    id: int
    title: str | None
    article_ids: list[str]
    independent_sources: int
    first_date: str | None = None
    last_date: str | None = None


@dataclass
class StageStats:
    """Counters a stage keeps; dropped or merged items carry a reason."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


# --- Per-article extraction (the dossier's raw material). Every span is [start, end) in Article.text. ---


@dataclass
class EntityMention:
    start: int
    end: int
    text: str
    label: str  # PERSON | ORG | GPE | NORP | LOC | FAC | EVENT | UNIT
    entity: str  # canonical name of the in-article entity this mention resolves to


@dataclass
class QuantityMention:
    start: int
    end: int
    text: str  # surface text, qualifier included ("up to 15,000")
    low: float  # the interval the statement allows, from value and qualifier
    high: float
    value: float  # the figure given (a range gives its midpoint; `values` has both ends)
    values: list[float]
    qualifier: str  # exact | about | up to | over | at least | less than | range | vague ...
    counted: str | None  # what is counted, normalised ("troop", "killed", "killed or wounded", "day")
    noun: str | None  # the surface noun phrase it counts ("North Korean troops")
    context: list[str]  # content-word lemmas around it: what the figure is about
    who: str | None = None  # for counts of people, a specific group ("child", "fighter"); None when general
    implicit: bool = False  # counted from the words, with no figure written ("a man was killed": 1 killed)


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    date: str  # YYYY-MM-DD | YYYY-MM | YYYY
    granularity: str  # day | month | year
    relative: bool  # resolved against the publication date ("on Friday", "in July")
    sentence: tuple[int, int]  # the sentence it dates
    event: str | None  # the word naming what happened (the sentence's main verb or event noun)
    context: list[str]
    label: str | None = None  # what happened, in the text's words: "ceremony held", "KCNA reported"


@dataclass
class QuoteMention:
    """One attribution: what was said (the content), who said it (the source) and the word that says so
    (the cue). A quote the cue splits ("The plan," he said, "is dead.") is one content in fragments."""
    start: int  # the content, from its first fragment's start ...
    end: int  # ... to its last fragment's end
    text: str  # the content's words, fragments joined by " … ", outer quotation marks left out
    speaker: str | None  # canonical in-article entity name, or the surface speaker if not an entity
    speaker_span: tuple[int, int] | None  # where the source is written (the pronoun, for "he said")
    channel: str | None  # "Yonhap", "state media": who relayed it, when the article says so
    direct: bool  # the content is wholly the speaker's words, inside quotation marks
    fragments: list[tuple[int, int]] = field(default_factory=list)  # the content's pieces (one when whole)
    verbatim: list[tuple[int, int]] = field(default_factory=list)  # the parts inside quotation marks
    cue: str | None = None  # "said", "according to", "told"
    speaker_text: str | None = None  # the source as written ("the senator"), when the name was resolved


@dataclass
class ArticleFacts:
    article_id: str
    base_date: str | None  # the date relative dates were resolved against
    entities: list[EntityMention] = field(default_factory=list)
    quantities: list[QuantityMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[QuoteMention] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    voices: list[tuple[int, int, str]] = field(default_factory=list)  # (sentence start, end, who speaks in it)
    lists: list[tuple[int, int]] = field(default_factory=list)  # sentences opening with a list (facts.lists)
