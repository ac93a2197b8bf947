from __future__ import annotations

from pathlib import Path

from auditor import docs
from auditor.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent


def test_rule_reference_is_generated_from_the_packs():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == docs.rules_markdown(load_registry()), (
        "docs/rules.md is stale: run `auditor rules --format markdown > docs/rules.md`"
    )


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    commands = [line for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == [
        "pip install . && auditor audit seeds/",
        "pip install -e '.[test]' && pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]'" in ci and "pytest" in ci
