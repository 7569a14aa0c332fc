"""The SQLite store: the only state newsweave keeps."""
from newsweave.store.store import Store

__all__ = ["Store"]
