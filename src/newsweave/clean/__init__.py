"""Clean: raw documents in, articles out (body text plus recovered metadata).

- `cleaner`: the stage's entry point, which sends HTML to `html` and plain text to `text`;
- `html`: trafilatura's extraction of an article from a page;
- `text`: plain text's lines classified as article or page chrome (`lines` holds their features, `model` and
  `lexicon` the trained classifier);
- `meta`: dates, bylines and credit lines; `language`: the language of a text.
"""
from newsweave.clean.cleaner import Cleaner, chrome_group
from newsweave.clean.html import clean_html
from newsweave.clean.text import CleanResult, TextCleaner

__all__ = ["CleanResult", "Cleaner", "TextCleaner", "chrome_group", "clean_html"]
