"""Products of a few articles' vectors with chosen member rows of many stories, in plain NumPy.

Placing a bulk ingest compares each group of new articles with the members of the stories it may join,
thousands of times. SciPy builds and checks several sparse matrices per product (row selection, column
remapping, transpose), which cost far more than the arithmetic when a group holds one or two articles.
Here the rows are gathered straight from the members' CSR arrays and matched against the group's columns.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

SMALL_GROUP = 8  # up to this many articles, one count per article; more, one sparse product


def row_ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The indices starts[k]..ends[k]-1 of every k, end to end."""
    lengths = ends - starts
    return np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths - starts, lengths)


class Rows(NamedTuple):
    """Some rows of a CSR matrix, in its three arrays: what `products` reads of a group (a CSR matrix will
    do as well)."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray


def take_rows(matrix: sp.csr_matrix | Rows, rows: np.ndarray) -> Rows:
    """matrix[rows], without building (and checking) a SciPy matrix."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    entries = row_ranges(starts, ends)
    return Rows(matrix.data[entries], matrix.indices[entries], np.concatenate([[0], np.cumsum(ends - starts)]))


def take_csr_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """matrix[rows] as a CSR matrix, gathered in one pass (SciPy's fancy index checks every row)."""
    data, indices, indptr = take_rows(matrix, rows)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), matrix.shape[1]))


def products(group: sp.csr_matrix | Rows, members: sp.csr_matrix, rows: np.ndarray,
             swap: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """`group @ members[rows].T` as a dense (len(group) x len(rows)) array. `swap`: a function renumbering
    the members' columns first (the day columns of the rare-name view)."""
    n = len(group.indptr) - 1
    columns, at = np.unique(group.indices, return_inverse=True)
    dense = np.zeros((len(columns), n))
    np.add.at(dense, (at, np.repeat(np.arange(n), np.diff(group.indptr))), group.data)
    chosen = take_rows(members, rows)
    indices = chosen.indices if swap is None else swap(chosen.indices)
    where = np.minimum(np.searchsorted(columns, indices), max(len(columns) - 1, 0))
    hit = np.flatnonzero(columns[where] == indices) if len(columns) else np.zeros(0, dtype=int)
    owner = np.repeat(np.arange(len(rows)), np.diff(chosen.indptr))[hit]
    values = chosen.data[hit].astype(np.float64)
    if n > SMALL_GROUP:
        return (sp.csr_matrix((values, (owner, where[hit])), shape=(len(rows), len(columns))) @ dense).T
    out = np.empty((n, len(rows)))
    for i in range(n):
        out[i] = np.bincount(owner, weights=values * dense[where[hit], i], minlength=len(rows))
    return out
