"""Corpus-phase machinery shared by several families: near-duplicates and provenance.

Checks registered here are bound by rules of any pack (``check = "provenance"``), so one
index serves the DUP, SPN and BPL rules that need it, and no family imports another.
"""

from __future__ import annotations

from auditor.corpus.provenance import Provenance
from auditor.family import CorpusFactory

SHARED_CHECKS: dict[str, CorpusFactory] = {"provenance": Provenance}
