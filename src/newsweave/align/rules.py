"""When two quantity mentions may state the same fact: the hard rules of alignment, for all pairs at once.

Two mentions may be one fact only if they count the same thing ("killed"; a group such as "children" only
with the same group, or with a general count giving the very same figure), their figures are within
MAX_RATIO of each other, their own sentences do not name different distinctive places or different days,
their articles were published at most MAX_DAYS_APART apart, and, if the figures differ, they come from
different independent sources and different outlets (a source, or an outlet updating itself, is not a
disagreement).
"""
from __future__ import annotations

from collections.abc import Hashable

import numpy as np

MAX_RATIO = 10.0  # figures further apart than this are about different things, not a disagreement
MAX_DAYS_APART = 1  # articles published further apart report different moments of a story


def codes(values: list[Hashable]) -> np.ndarray:
    """Integer codes, -1 for None: equal values get equal codes."""
    table: dict = {}
    return np.array([-1 if v is None else table.setdefault(v, len(table)) for v in values])


def no_shared(sets: list[set[str]]) -> np.ndarray:
    """Pairs that share no element (either may be empty)."""
    names = {x: k for k, x in enumerate(sorted(set().union(*sets)))} if sets else {}
    incidence = np.zeros((len(sets), max(len(names), 1)), dtype=np.float32)
    for i, s in enumerate(sets):
        incidence[i, [names[x] for x in s]] = 1.0
    return (incidence @ incidence.T) == 0


def _disjoint(sets: list[set[str]]) -> np.ndarray:
    """Pairs that both name something and share nothing."""
    has = np.array([bool(s) for s in sets])
    return has[:, None] & has[None, :] & no_shared(sets)


def same_fact_allowed(counted: list[str], who: list[str | None], values: list[tuple], value: list[float],
                      places: list[set[str]], days_named: list[set[str]], published: list[float],
                      roots: list[str], outlets: list[str | None]) -> np.ndarray:
    """Boolean matrix: may mention i and mention j be one fact? (The diagonal is True.)"""
    kind, group, figures = codes(counted), codes(who), codes(values)
    root, outlet = codes(roots), codes(outlets)
    same_figures = figures[:, None] == figures[None, :]
    general = group < 0
    ok = kind[:, None] == kind[None, :]
    ok &= general[:, None] | general[None, :] | (group[:, None] == group[None, :])
    ok &= ~((general[:, None] != general[None, :]) & ~same_figures)  # a group's count is not a rival toll
    ok &= ~_disjoint(places) & ~_disjoint(days_named)
    v = np.maximum(np.asarray(value, dtype=float), 1e-9)
    ok &= np.maximum(v[:, None], v[None, :]) / np.minimum(v[:, None], v[None, :]) <= MAX_RATIO
    d = np.asarray(published, dtype=float)
    ok &= ~(np.abs(d[:, None] - d[None, :]) > MAX_DAYS_APART)  # NaN (undated) compares False
    one_voice = (root[:, None] == root[None, :]) | ((outlet[:, None] == outlet[None, :]) & (outlet[:, None] >= 0))
    ok &= same_figures | ~one_voice
    np.fill_diagonal(ok, True)
    return ok
