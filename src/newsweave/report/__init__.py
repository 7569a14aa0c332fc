"""Readable views of stories for the terminal (Markdown). Data exports are newsweave.export; the web UI
and the self-contained HTML report are newsweave.web."""
from newsweave.report.markdown import story_markdown

__all__ = ["story_markdown"]
