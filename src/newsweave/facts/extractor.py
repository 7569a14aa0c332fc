"""The facts stage: (article id, cleaned text, base date) in, ArticleFacts out, each mention with character
offsets into the cleaned text."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsweave.facts.dates import extract_dates, parse_base
from newsweave.facts.entities import extract_entities
from newsweave.facts.lists import list_openings
from newsweave.facts.nlp import DEFAULT_MODEL, load
from newsweave.facts.quantities import extract_quantities
from newsweave.facts.quotes import extract_quotes, sentence_voices
from newsweave.records import ArticleFacts
from newsweave.stages import Stage
from newsweave.workers import process_pool

MAX_PARSED_CHARS = 100_000  # facts are read from this much of an article; offsets stay those of the whole text
MAX_MENTIONS = 300  # figures, dates and quotes kept per article, in reading order


def parsed_part(text: str) -> str:
    """The part of an article the parser reads: all of it up to MAX_PARSED_CHARS (a page of a million
    characters is a dump, not a report, and spaCy refuses texts that long), cut at a line end."""
    if len(text) <= MAX_PARSED_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_PARSED_CHARS)
    return text[: cut if cut > MAX_PARSED_CHARS // 2 else MAX_PARSED_CHARS]


class FactExtractor(Stage):
    """The facts stage: (article id, cleaned text, base date) in, ArticleFacts out (newsweave.stages)."""

    name = "facts"

    def __init__(self, model: str = DEFAULT_MODEL):
        super().__init__()
        self.model = model
        self.nlp = load(model)

    def run(self, items: Iterable[tuple[str, str, str | None]], batch_size: int = 16) -> Iterator[ArticleFacts]:
        """spaCy parses the texts as one stream."""
        items = list(items)
        docs = self.nlp.pipe((parsed_part(text) for _, text, _ in items), batch_size=batch_size)
        for (aid, _, base), doc in zip(items, docs):
            yield self.from_doc(aid, doc, base)

    def extract(self, article_id: str, text: str, base_date: str | None) -> ArticleFacts:
        return self.from_doc(article_id, self.nlp(parsed_part(text)), base_date)

    def extract_many(self, items: list[tuple[str, str, str | None]], batch_size: int = 16,
                     processes: int = 1) -> list[ArticleFacts]:
        """items: (article id, cleaned text, base date); spaCy parses them as one stream. With `processes`
        > 1 the items are split among forked workers that parse and extract alike, so only the small
        results travel back (worth it from a few dozen articles on)."""
        if processes > 1 and len(items) >= 2 * processes:
            share = -(-len(items) // (processes * 4))  # a few chunks per worker keeps them all busy
            chunks = [items[i: i + share] for i in range(0, len(items), share)]
            done = []
            with process_pool(processes, _init_worker, (self.model,)) as pool:
                for part, counts in pool.map(_extract_chunk, chunks):  # each worker's counters, summed here
                    done += part
                    for name, n in counts.items():
                        self.stats.add(name, n)
            return done
        return list(self.run(items, batch_size))

    def from_doc(self, article_id: str, doc, base_date: str | None) -> ArticleFacts:
        entities = extract_entities(doc)
        base = parse_base(base_date)
        dates = extract_dates(doc, base)
        # a report's own facts come first; past MAX_MENTIONS of a kind, a text is a dump whose every repeat
        # would be compared with every other
        quantities = extract_quantities(doc, dates, base)[:MAX_MENTIONS]
        dates = dates[:MAX_MENTIONS]
        quotes = extract_quotes(doc, entities)[:MAX_MENTIONS]
        for name, items in (("entities", entities), ("quantities", quantities), ("dates", dates), ("quotes", quotes)):
            self.stats.add(name, len(items))
        return ArticleFacts(article_id, base_date, entities, quantities, dates, quotes,
                            [(s.start_char, s.end_char) for s in doc.sents], sentence_voices(doc, entities),
                            list_openings(doc))


_worker: FactExtractor | None = None


def _init_worker(model: str) -> None:
    global _worker
    _worker = FactExtractor(model)


def _extract_chunk(items: list[tuple[str, str, str | None]]) -> tuple[list[ArticleFacts], dict[str, int]]:
    return list(_worker.run(items)), _worker.take_stats()
