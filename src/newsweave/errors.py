"""The errors newsweave raises on purpose. Each subclasses the built-in a caller would already catch."""
from __future__ import annotations


class NewsweaveError(Exception):
    """Base of newsweave's own errors."""


class NotFound(NewsweaveError, KeyError):
    """No story or article with that id (raised alike by story(), article(), dossier() and the views)."""

    def __init__(self, what: str, key: object):
        super().__init__(f"no {what} {key}")
        self.what, self.key = what, key

    def __str__(self) -> str:  # KeyError would print the message quoted
        return str(self.args[0])


class BadInput(NewsweaveError, ValueError):
    """An argument newsweave cannot use (an unknown export format, an output it cannot write)."""
