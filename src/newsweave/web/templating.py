"""One Jinja2 environment for the UI and the report. Autoescaping is on for every template: article text,
titles and sources are untrusted and are only ever shown as text."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("newsweave.web", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True))
