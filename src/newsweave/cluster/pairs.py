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


MEAN_BLOCK = 16_384  # rows gathered at once to average them


def mean_rows(matrix: sp.csr_matrix, rows: np.ndarray, sizes: np.ndarray) -> sp.csr_matrix:
    """The mean of each run of `rows` of the matrix (run k: the next sizes[k] of them), one run per row out.
    A block of runs at a time: gathering every run's rows at once, and the float64 copy SciPy's product
    makes of them, was the largest transient of assigning a bulk ingest. Each row out is the same sum in
    the same order either way."""
    ends = np.cumsum(sizes)
    starts = ends - sizes
    blocks, first = [], 0
    while first < len(sizes):
        last = max(first + 1, int(np.searchsorted(ends, starts[first] + MEAN_BLOCK, side="right")))
        size = sizes[first:last]
        owner = np.repeat(np.arange(last - first), size)
        mean = sp.csr_matrix((1.0 / size[owner], (owner, np.arange(len(owner)))), shape=(last - first, len(owner)))
        blocks.append(mean @ take_csr_rows(matrix, rows[starts[first]:ends[last - 1]]))
        first = last
    if len(blocks) == 1:
        return blocks[0]
    return sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, matrix.shape[1]))


class GrowingRows:
    """CSR rows appended in place. The arrays are allocated once for all the rows to come (their pages are
    resident only once written), so appending a chunk copies the chunk alone, not every row before it as a
    stack of the old rows and the new would."""

    def __init__(self, width: int, rows: int, entries: int, dtype=np.float32):
        self.width, self.rows = width, 0
        self.data = np.empty(entries, dtype=dtype)
        self.indices = np.empty(entries, dtype=np.int32)
        self.indptr = np.zeros(rows + 1, dtype=np.int32 if entries < 2**31 else np.int64)

    def append(self, m: sp.csr_matrix) -> sp.csr_matrix:
        """Add m's rows after those held; returns every row held so far, as a matrix over these arrays."""
        start, rows, end = self.indptr[self.rows], self.rows + m.shape[0], self.indptr[self.rows] + m.nnz
        if end > len(self.data) or rows >= len(self.indptr):  # more than announced: room for as much again
            self.data = np.concatenate([self.data[:start], np.empty(2 * max(end, 1), dtype=self.data.dtype)])
            self.indices = np.concatenate([self.indices[:start], np.empty(2 * max(end, 1), dtype=np.int32)])
            self.indptr = np.concatenate([self.indptr[: self.rows + 1], np.zeros(2 * rows + 1, dtype=self.indptr.dtype)])
            if 2 * end >= 2**31:
                self.indptr = self.indptr.astype(np.int64)
        self.data[start:end] = m.data
        self.indices[start:end] = m.indices
        self.indptr[self.rows + 1 : rows + 1] = m.indptr[1:] + start
        self.rows = rows
        return self.matrix()

    def matrix(self) -> sp.csr_matrix:
        """The rows held, over these arrays. Set as attributes: SciPy's constructor copies a slice of an array
        more than twice its size, which these are until they fill."""
        n, end = self.rows, int(self.indptr[self.rows])
        m = sp.csr_matrix((n, self.width), dtype=self.data.dtype)
        m.data, m.indices, m.indptr = self.data[:end], self.indices[:end], self.indptr[: n + 1]
        if m.indices.dtype != m.indptr.dtype:
            m.indices = m.indices.astype(m.indptr.dtype)
        return m


def products(group: sp.csr_matrix | Rows, members: sp.csr_matrix, rows: np.ndarray,
             swap: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """`group @ members[rows].T` as a dense (len(group) x len(rows)) array. `swap`: a function renumbering
    the members' columns first (the day columns of the rare-name view)."""
    n = len(group.indptr) - 1
    dense, owner, values, where = _matched(group, np.zeros(n, dtype=np.int64), np.arange(n), n, members, rows,
                                           np.zeros(len(rows), dtype=np.int64), swap)
    if n > SMALL_GROUP:
        return (sp.csr_matrix((values, (owner, where)), shape=(len(rows), len(dense))) @ dense).T
    return _per_member(dense, owner, values, where, n, len(rows))


def grouped_products(group: Rows, row_group: np.ndarray, row_local: np.ndarray, members: sp.csr_matrix,
                     rows: np.ndarray, rows_group: np.ndarray, most: int,
                     swap: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """`products` for many small groups at once. `group` holds the rows of every group, each row's group
    in `row_group` and its place in the group (0 .. `most` - 1) in `row_local`; `rows_group` says which
    group each of the member `rows` is compared with. Returns a (most x len(rows)) array: out[i, t] is the
    product of member i of row t's group with members[rows[t]], 0 where that group has fewer members. The
    same sums in the same order as `products` for each group alone (groups of up to SMALL_GROUP)."""
    dense, owner, values, where = _matched(group, row_group, row_local, most, members, rows, rows_group, swap)
    return _per_member(dense, owner, values, where, most, len(rows))


def _matched(group: sp.csr_matrix | Rows, row_group: np.ndarray, row_local: np.ndarray, most: int,
             members: sp.csr_matrix, rows: np.ndarray, rows_group: np.ndarray,
             swap: Callable[[np.ndarray], np.ndarray] | None) -> tuple[np.ndarray, ...]:
    """The groups' rows as a dense (column x member of its group) array, over the columns they use, one
    group's told from another's by a key of (group, column); and the entries of members[rows] found in their
    group's columns: (dense, the entry's member row, its value, its column in dense)."""
    width = np.int64(members.shape[1])
    entry_row = np.repeat(np.arange(len(group.indptr) - 1), np.diff(group.indptr))
    columns, at = np.unique(row_group[entry_row].astype(np.int64) * width + group.indices, return_inverse=True)
    dense = np.zeros((len(columns), most))
    np.add.at(dense, (at, row_local[entry_row]), group.data)
    chosen = take_rows(members, rows)
    indices = chosen.indices if swap is None else swap(chosen.indices)
    entry_owner = np.repeat(np.arange(len(rows)), np.diff(chosen.indptr))
    keys = rows_group[entry_owner].astype(np.int64) * width + indices
    where = np.minimum(np.searchsorted(columns, keys), max(len(columns) - 1, 0))
    hit = np.flatnonzero(columns[where] == keys) if len(columns) else np.zeros(0, dtype=int)
    return dense, entry_owner[hit], chosen.data[hit].astype(np.float64), where[hit]


def _per_member(dense: np.ndarray, owner: np.ndarray, values: np.ndarray, where: np.ndarray, most: int,
                n_rows: int) -> np.ndarray:
    """One count per group member: out[i, t], the sum over row t's entries found of value x member i's."""
    out = np.empty((most, n_rows))
    for i in range(most):
        out[i] = np.bincount(owner, weights=values * dense[where, i], minlength=n_rows)
    return out
