"""Facts: per-article extraction of entities, quantities, dates and quotes, each with character offsets
into the cleaned text. Stage contract: (article text, base date) in, ArticleFacts out.

- `extractor`: the stage, over one spaCy parse per article (`nlp` loads the model);
- `entities`, `quantities`, `dates`, `quotes`, `attribution`: one kind of mention each;
- `serialise`: ArticleFacts to and from the store's JSON.
"""
from newsweave.facts.dates import parse_base
from newsweave.facts.entities import name_tokens, same_name
from newsweave.facts.extractor import FactExtractor
from newsweave.facts.serialise import facts_from_json, facts_to_json

__all__ = ["FactExtractor", "facts_from_json", "facts_to_json", "name_tokens", "parse_base", "same_name"]
