from __future__ import annotations

import pytest

from auditor.registry import Selection, SelectionError, load_registry

REGISTRY = load_registry()


def selected(**kwargs: tuple[str, ...]) -> set[str]:
    return {rule.code for rule in Selection(**kwargs).rules(REGISTRY)}


def test_codes_are_stable_and_well_formed():
    for code, rule in REGISTRY.rules.items():
        assert code == rule.code and len(code) == 6 and code[:3].isupper() and code[3:].isdigit()
    names = [rule.name for rule in REGISTRY.rules.values()]
    assert len(names) == len(set(names))


def test_all_is_the_default():
    assert selected() == {code for code, rule in REGISTRY.rules.items() if rule.default}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("RDB003", {"RDB003"}),
        ("overlong-sentence", {"RDB003"}),
        ("RDB", {"RDB001", "RDB002", "RDB003", "RDB004"}),
        ("RDB00", {"RDB001", "RDB002", "RDB003", "RDB004"}),
        ("readability", {"RDB001", "RDB002", "RDB003", "RDB004"}),
    ],
)
def test_select_by_code_prefix_name_or_family(selector, expected):
    assert selected(select=(selector,)) == expected


def test_more_specific_selector_wins_either_way():
    assert selected(select=("RDB",), ignore=("RDB003",)) == {"RDB001", "RDB002", "RDB004"}
    assert "RDB003" in selected(select=("RDB003",), ignore=("RDB",))
    assert "RDB003" in selected(ignore=("readability",), extend_select=("overlong-sentence",))


def test_ignore_wins_a_tie():
    assert selected(select=("RDB",), ignore=("RDB",)) == set()


def test_unknown_selectors_are_rejected():
    with pytest.raises(SelectionError, match="'XYZ9' names no rule"):
        Selection(ignore=("XYZ9",)).validate(REGISTRY)


def test_lookup_by_code_any_case_or_name():
    assert REGISTRY.rule("rdb003") is REGISTRY.rule("overlong-sentence")
    with pytest.raises(KeyError):
        REGISTRY.rule("nope")


def test_opt_in_rules_need_their_code_or_name():
    opt_in = [code for code, rule in REGISTRY.rules.items() if not rule.default]
    assert opt_in  # the packs have at least one
    code = opt_in[0]
    name = REGISTRY.rules[code].name
    assert code not in selected()
    assert code not in selected(select=(code[:3],))
    assert code in selected(extend_select=(code,))
    assert code in selected(select=(name,))
