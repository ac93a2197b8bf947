"""Machine paraphrase (SPN): densities and the article's verdict.

The phrase lists are packs (rules/spinner*.toml). This module counts what they found per
1,000 words, so that one odd word does not condemn an article and a dozen do, and sets the
verdict ``spun`` (likely / possible / no) that reports and filters use.
"""

from __future__ import annotations

from auditor.family import CheckContext, FamilyModule
from auditor.model import Finding

family = FamilyModule("spinner")

SWAP_RULES = {"spinner-phrase": 1.0, "tortured-phrase": 1.0, "spinner-word": 1 / 3}
LLM_RULES = {"llm-stock-phrase", "llm-style-word"}
LIKELY = 6.0
"""Swaps per 1,000 words above which an article is likely spun (SPN003's threshold)."""


@family.finalize
def densities(context: CheckContext, findings: list[Finding]) -> list[Finding]:
    thousands = max(context.doc.word_count, 250) / 1000
    swaps = sum(SWAP_RULES.get(f.name, 0.0) for f in findings)
    llm = sum(1 for f in findings if f.name in LLM_RULES)
    per_1000 = swaps / thousands
    context.metrics["spinner_swaps_per_1000_words"] = round(per_1000, 2)
    context.metrics["llm_markers_per_1000_words"] = round(llm / thousands, 2)
    context.metrics["spun"] = (
        "likely" if per_1000 > LIKELY else "possible" if per_1000 > LIKELY / 3 else "no"
    )
    return findings
