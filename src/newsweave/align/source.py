"""The witnesses of a story: each article with the original it copies and the outlet it speaks for."""
from __future__ import annotations

from dataclasses import dataclass

from newsweave.align.page_text import Template
from newsweave.records import Article


@dataclass
class Source:
    """An article as a witness: `root` is the original it copies (itself if none); `label` names its outlet."""

    article: Article
    root: str
    label: str
    template: Template = Template()  # its outlet's page text


def sources_label(sources: dict[str, Source], root: str) -> str:
    return sources[root].label if root in sources else root


def clip(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"
