from __future__ import annotations

import re

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import Document
from auditor.patterns import RulePattern, is_line_anchored
from auditor.registry import load_registry


def reference(patterns: list[str] | tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """What the engine did before: finditer over the rule's joined patterns."""
    joined = re.compile("|".join(f"(?:{p})" for p in patterns), re.MULTILINE)
    return [m.span() for m in joined.finditer(text) if m.end() > m.start()]


def scanned(patterns: list[str] | tuple[str, ...], text: str) -> list[tuple[int, int]]:
    compiled = RulePattern.compile(patterns)
    return [m.span() for m in compiled.finditer(text, Document(text).line_starts)]


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        ("^Source: .*$", True),
        ("^a|b", False),  # the second alternative floats
        ("(?:^a)", False),  # anchored, but not recognisably so: scanned everywhere, still right
        ("a^", False),
        (r"\^caret", False),
        ("^(?i:photo)[ \t]*:", True),
    ],
)
def test_line_anchoring_is_read_from_the_parsed_pattern(pattern, anchored):
    assert is_line_anchored(pattern) is anchored


def test_a_rule_of_line_patterns_is_tried_at_line_starts_only():
    compiled = RulePattern.compile(["^Source: .*$", "^Photo: .*$"])
    assert compiled.lines_only
    text = "Body. Source: not a line start\nSource: www.dailysabah.com\nPhoto: AP\n"
    assert [m.group() for m in compiled.finditer(text, Document(text).line_starts)] == [
        "Source: www.dailysabah.com",
        "Photo: AP",
    ]


def test_mixed_rules_share_one_anchor_and_keep_alternative_order():
    patterns = ["^Read more", "Read more: .*", "^Read more: Ukraine"]
    compiled = RulePattern.compile(patterns)
    assert not compiled.lines_only
    assert (
        compiled.regex.pattern == "^(?:(?:Read more))|(?:Read more: .*)|^(?:(?:Read more: Ukraine))"
    )
    text = "Read more: Ukraine\nText. Read more: elsewhere"
    assert scanned(patterns, text) == reference(patterns, text) == [(0, 9), (25, 45)]


# Overlapping anchored and floating patterns: ties at one position, a match inside another's,
# lookbehinds, matches across lines.
_MIXED = [
    "^ab",
    "^a+",
    r"^b\nb",
    "^[ab]+$",
    "ab",
    "b+",
    "(?<=a)b",
    "ba?",
    r"a\nb",
    "(?<=b)a+(?=$)",
    r"b\n",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_MIXED), min_size=1, max_size=5),
    st.text(alphabet="ab\n", max_size=40),
)
def test_mixed_rules_find_what_the_joined_regex_finds(patterns, text):
    assert scanned(patterns, text) == reference(patterns, text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_MIXED), min_size=2, max_size=5),
    st.text(alphabet="ab\n", max_size=40),
    st.data(),
)
def test_a_rule_without_the_patterns_that_match_nowhere_finds_the_same(patterns, text, data):
    """What a prefilter relies on when it keeps only some of a rule's patterns."""
    compiled = RulePattern.compile(patterns)
    silent = [i for i, p in enumerate(patterns) if re.search(p, text, re.MULTILINE) is None]
    dropped = data.draw(st.sets(st.sampled_from(silent)) if silent else st.just(set()))
    kept = [i for i in range(len(patterns)) if i not in dropped]
    if not kept:
        return
    line_starts = Document(text).line_starts
    restricted = compiled.only(kept)
    assert restricted.sources == tuple(patterns[i] for i in kept)
    found = [m.span() for m in restricted.finditer(text, line_starts)]
    assert found == [m.span() for m in compiled.finditer(text, line_starts)]


@pytest.mark.parametrize(
    ("patterns", "looks_around"),
    [
        (["^Source: .*$", r"\bsays\b"], False),
        (["^Source: .*$", "(?<=[a-z])Read more$"], True),
        (["(?:x|(?:y(?!z)))+"], True),
    ],
)
def test_a_rule_with_a_lookaround_is_not_located(patterns, looks_around):
    compiled = RulePattern.compile(patterns)
    assert compiled.looks_around is looks_around
    assert compiled.locatable is not looks_around


@pytest.mark.parametrize(
    "patterns",
    [
        ["^(?:x*)", "^x+y"],  # empty at a line start, then a non-empty match from the same place
        ["^$", "^a"],  # blank lines match empty and count for nothing
        [r"^a\nb", "^b"],  # a match spanning a line start hides that line start
        ["^"],
    ],
)
def test_empty_and_multi_line_matches_behave_like_finditer(patterns):
    text = "a\nb\n\nxxy\nxx\nab\nb"
    assert scanned(patterns, text) == reference(patterns, text)


def test_every_pack_rule_finds_what_its_joined_regex_finds():
    registry = load_registry()
    rules = [rule for rule in registry.rules.values() if rule.patterns]
    examples = [text for rule in registry.rules.values() for text in (*rule.valid, *rule.invalid)]
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts.append("\n".join(examples))  # every pack example, each at a line start
    texts.append(" ".join(examples))  # and run together, mostly mid-line
    assert len(rules) >= 10 and any(RulePattern.compile(r.patterns).lines_only for r in rules)
    for rule in rules:
        for text in texts:
            for folded in (text, text.lower()):
                assert scanned(rule.patterns, folded) == reference(rule.patterns, folded), rule.code
