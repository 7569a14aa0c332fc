"""Ingest: turn paths into raw documents. One reader per input format; adding a format is one new reader."""
from newsweave.ingest.readers import READERS, iter_inputs, read_inputs

__all__ = ["READERS", "iter_inputs", "read_inputs"]
