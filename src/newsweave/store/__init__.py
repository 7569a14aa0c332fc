"""The SQLite store: the only state newsweave keeps."""
from newsweave.store.store import Store, count_independent, root_of

__all__ = ["Store", "count_independent", "root_of"]
