"""The dossier as typed records. `to_dict()` is the export contract (the JSON every export, the web API and
the dossier cache carry); `from_dict()` reads it back, so `Dossier.from_dict(d).to_dict() == d` for every
dossier newsweave builds (tests/test_dossier_records.py pins the keys)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """Where an item is said: character offsets into an article's cleaned text."""

    article_id: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"article_id": self.article_id, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict) -> Evidence:
        return cls(d["article_id"], d["start"], d["end"])


def evidence(article_id: str, start: int, end: int) -> dict:
    """One piece of evidence, as the contract writes it."""
    return Evidence(article_id, start, end).to_dict()


def _evidence(items: list[dict]) -> list[Evidence]:
    return [Evidence.from_dict(e) for e in items]


@dataclass
class Variant:
    """One way the sources word a fact, with the articles that word it so."""

    value: Any
    text: str
    article_ids: list[str]
    evidence: list[Evidence]

    def to_dict(self) -> dict:
        return {"value": self.value, "text": self.text, "article_ids": self.article_ids,
                "evidence": [e.to_dict() for e in self.evidence]}

    @classmethod
    def from_dict(cls, d: dict) -> Variant:
        if "qualifier" in d:
            return QuantityVariant(d["value"], d["text"], d["article_ids"], _evidence(d["evidence"]),
                                   d["qualifier"], d["low"], d["high"])
        return cls(d["value"], d["text"], d["article_ids"], _evidence(d["evidence"]))


@dataclass
class QuantityVariant(Variant):
    """A figure as one source gives it: its qualifier ("about", "over") and the interval it allows."""

    qualifier: str | None = None
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict:
        return {"value": self.value, "qualifier": self.qualifier, "low": self.low, "high": self.high,
                "text": self.text, "article_ids": self.article_ids, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass
class Fact:
    """What the sources say about one thing: agreed, range, conflict or single, and the rule that said so."""

    id: str
    kind: str  # quantity, date, entity, quote, claim
    status: str
    rule: str
    statement: str
    sources: list[str]
    variants: list[Variant]
    counted: str | None = None  # quantities: what is counted
    key: bool | None = None  # quantities: one of the story's key figures

    def to_dict(self) -> dict:
        out: dict = {"kind": self.kind}
        if self.counted is not None:
            out["counted"] = self.counted
        out.update({"status": self.status, "rule": self.rule, "statement": self.statement, "sources": self.sources,
                    "variants": [v.to_dict() for v in self.variants]})
        if self.key is not None:
            out["key"] = self.key
        out["id"] = self.id
        return out

    @classmethod
    def from_dict(cls, d: dict) -> Fact:
        return cls(d["id"], d["kind"], d["status"], d["rule"], d["statement"], d["sources"],
                   [Variant.from_dict(v) for v in d["variants"]], d.get("counted"), d.get("key"))


@dataclass
class QuoteTelling:
    """One article's telling of a statement: its words, speaker, cue and where they are."""

    article_id: str
    text: str
    speaker: str | None
    speaker_as_written: str | None
    cue: str | None
    channel: str | None
    direct: bool
    evidence: list[Evidence]
    verbatim: list[Evidence]  # the spans inside quotation marks

    def to_dict(self) -> dict:
        return {"article_id": self.article_id, "text": self.text, "speaker": self.speaker,
                "speaker_as_written": self.speaker_as_written, "cue": self.cue, "channel": self.channel,
                "direct": self.direct, "evidence": [e.to_dict() for e in self.evidence],
                "verbatim": [e.to_dict() for e in self.verbatim]}

    @classmethod
    def from_dict(cls, d: dict) -> QuoteTelling:
        return cls(d["article_id"], d["text"], d["speaker"], d["speaker_as_written"], d["cue"], d["channel"],
                   d["direct"], _evidence(d["evidence"]), _evidence(d["verbatim"]))


@dataclass
class Quote:
    """Who said what: one statement, with every article's telling of it."""

    statement: int
    speaker: str | None
    text: str
    direct: bool
    cue: str | None
    channel: str | None
    article_ids: list[str]
    sources: list[str]
    statement_sources: list[str]
    evidence: list[Evidence]
    variants: list[QuoteTelling]

    def to_dict(self) -> dict:
        return {"statement": self.statement, "speaker": self.speaker, "text": self.text, "direct": self.direct,
                "cue": self.cue, "channel": self.channel, "article_ids": self.article_ids, "sources": self.sources,
                "statement_sources": self.statement_sources, "evidence": [e.to_dict() for e in self.evidence],
                "variants": [v.to_dict() for v in self.variants]}

    @classmethod
    def from_dict(cls, d: dict) -> Quote:
        return cls(d["statement"], d["speaker"], d["text"], d["direct"], d["cue"], d["channel"], d["article_ids"],
                   d["sources"], d["statement_sources"], _evidence(d["evidence"]),
                   [QuoteTelling.from_dict(v) for v in d["variants"]])


@dataclass
class TimelineEntry:
    """A dated event: the calendar date (relative dates resolved), how precise it is, what happened."""

    date: str
    granularity: str
    event: str | None  # the lemma of what happened ("hold")
    text: str
    article_ids: list[str]
    sources: list[str]
    relative: bool
    evidence: list[Evidence]
    label: str | None = None  # what happened, in the sources' words ("ceremony held")
    background: bool = False  # well before the story's first report: context, not the story's own days

    def to_dict(self) -> dict:
        return {"date": self.date, "granularity": self.granularity, "event": self.event, "label": self.label,
                "background": self.background, "text": self.text, "article_ids": self.article_ids,
                "sources": self.sources, "relative": self.relative, "evidence": [e.to_dict() for e in self.evidence]}

    @classmethod
    def from_dict(cls, d: dict) -> TimelineEntry:
        return cls(d["date"], d["granularity"], d["event"], d["text"], d["article_ids"], d["sources"],
                   d["relative"], _evidence(d["evidence"]), d.get("label"), d.get("background", False))


@dataclass
class SummarySentence:
    """A sentence of the summary, the articles that say it, and the key figures (fact ids) it gives."""

    text: str
    article_ids: list[str]
    sources: list[str]
    evidence: list[Evidence]
    facts: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"text": self.text, "article_ids": self.article_ids, "sources": self.sources,
                "evidence": [e.to_dict() for e in self.evidence], "facts": self.facts}

    @classmethod
    def from_dict(cls, d: dict) -> SummarySentence:
        return cls(d["text"], d["article_ids"], d["sources"], _evidence(d["evidence"]), d.get("facts", []))


@dataclass
class Coverage:
    """The facts (of two or more sources) an outlet reports, and those it omits."""

    reports: list[str]
    omits: list[str]

    def to_dict(self) -> dict:
        return {"reports": self.reports, "omits": self.omits}


@dataclass
class Dossier:
    story_id: int
    independent_sources: int
    facts: list[Fact] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    coverage: dict[str, Coverage] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"story_id": self.story_id, "independent_sources": self.independent_sources,
                "facts": [f.to_dict() for f in self.facts], "quotes": [q.to_dict() for q in self.quotes],
                "timeline": [t.to_dict() for t in self.timeline], "summary": [s.to_dict() for s in self.summary],
                "coverage": {outlet: c.to_dict() for outlet, c in self.coverage.items()}}

    @classmethod
    def from_dict(cls, d: dict) -> Dossier:
        return cls(d["story_id"], d["independent_sources"], [Fact.from_dict(f) for f in d["facts"]],
                   [Quote.from_dict(q) for q in d["quotes"]], [TimelineEntry.from_dict(t) for t in d["timeline"]],
                   [SummarySentence.from_dict(s) for s in d["summary"]],
                   {outlet: Coverage(c["reports"], c["omits"]) for outlet, c in d["coverage"].items()})
