"""Every `valid` and `invalid` example in every pack: the packs' own regression suite."""

from __future__ import annotations

import pytest

from auditor import Auditor, Config
from auditor.model import Article
from auditor.registry import load_registry

EXAMPLES = [
    pytest.param(rule.code, text, expected, id=f"{rule.code}-{kind}{index}")
    for rule in load_registry().rules.values()
    for kind, expected, texts in (("valid", False, rule.valid), ("invalid", True, rule.invalid))
    for index, text in enumerate(texts)
]


def test_packs_carry_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("code", "text", "fires"), EXAMPLES)
def test_pack_example(code, text, fires):
    # Only the rule under test plus the language family, which gates English-only rules.
    auditor = Auditor(Config(select=(code, "LNG")))
    audit = auditor.audit_record(Article(id="example", text=text))
    codes = {finding.code for finding in audit.findings}
    assert (code in codes) is fires, [f.message for f in audit.findings]
