"""Align: one story's per-article facts in, its dossier out.

Items that state the same thing across articles are grouped (same counted thing, compatible magnitude, shared
context words); each group gets a status with the rule that decided it. Sources are independent sources:
an article and its copies are one source, so a copy can never corroborate or contradict its original.
"""
from newsweave.align.build import build_dossier
from newsweave.align.source import Source

__all__ = ["Source", "build_dossier"]
