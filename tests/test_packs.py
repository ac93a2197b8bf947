from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from auditor.packs import PackError, builtin_rules_dir, load_pack, pack_files
from auditor.registry import load_registry

FAMILY = """
[family]
prefix = "TST"
name = "testing"
description = "Rules for tests."
"""

RULE = """
[[rule]]
code = "TST001"
name = "test-phrase"
kind = "existence"
phrases = ["lorem ipsum"]
severity = "warning"
summary = "A test phrase."
message = "found {evidence}"
why = "Because."
"""


def write_pack(tmp_path: Path, body: str, name: str = "testing.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(FAMILY) + textwrap.dedent(body), encoding="utf-8")
    return path


def test_builtin_packs_load_and_every_rule_documents_itself():
    packs = [load_pack(path) for path in pack_files(builtin_rules_dir())]
    assert {pack.family.prefix for pack in packs} >= {"AUD", "LNG", "RDB"}
    for pack in packs:
        for rule in pack.rules:
            assert rule.code.startswith(pack.family.prefix)
            assert rule.summary and rule.why and rule.message


def test_a_valid_pack_loads(tmp_path):
    pack = load_pack(write_pack(tmp_path, RULE))
    (rule,) = pack.rules
    assert (rule.code, rule.name, rule.family, rule.phrases) == (
        "TST001",
        "test-phrase",
        "testing",
        ("lorem ipsum",),
    )


def test_unknown_rule_key_names_file_entry_and_line(tmp_path):
    path = write_pack(tmp_path, RULE + 'severty = "error"\n')
    with pytest.raises(PackError) as error:
        load_pack(path)
    message = str(error.value)
    assert str(path) in message and "TST001" in message and "'severty'" in message
    line = int(message.split(":")[1])
    assert "severty" in path.read_text().splitlines()[line - 1]


def test_bad_regex_is_an_error_naming_the_entry(tmp_path):
    body = RULE.replace('phrases = ["lorem ipsum"]', 'patterns = ["(unclosed"]')
    with pytest.raises(PackError, match=r"TST001: bad regex '\(unclosed'"):
        load_pack(write_pack(tmp_path, body))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('code = "TST001"', 'code = "TS001"'), "three capitals and three digits"),
        (('code = "TST001"', 'code = "XYZ001"'), "family prefix TST"),
        (('name = "test-phrase"', 'name = "Test_Phrase"'), "kebab-case"),
        (('kind = "existence"', 'kind = "magic"'), "kind must be one of"),
        (('severity = "warning"', 'severity = "fatal"'), "unknown severity"),
        (('phrases = ["lorem ipsum"]', ""), "needs phrases or patterns"),
        (('why = "Because."', ""), "missing or empty 'why'"),
        (('phrases = ["lorem ipsum"]', "phrases = [1, 2]"), "list of strings"),
    ],
)
def test_invalid_entries_are_rejected(tmp_path, change, expected):
    body = RULE.replace(*change)
    with pytest.raises(PackError, match=expected):
        load_pack(write_pack(tmp_path, body))


def test_unknown_family_key_and_missing_family_are_errors(tmp_path):
    with pytest.raises(PackError, match="unknown key 'colour'"):
        load_pack(write_pack(tmp_path, 'colour = "red"\n' + RULE))
    path = tmp_path / "bare.toml"
    path.write_text(textwrap.dedent(RULE), encoding="utf-8")
    with pytest.raises(PackError, match="missing \\[family\\]"):
        load_pack(path)


def test_not_toml_is_an_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[family\nprefix=", encoding="utf-8")
    with pytest.raises(PackError, match="not valid TOML"):
        load_pack(path)


def test_extra_pack_cannot_reuse_a_builtin_code(tmp_path):
    body = RULE.replace("TST001", "TST002")
    write_pack(tmp_path, body)
    clash = tmp_path / "clash.toml"
    clash.write_text(
        textwrap.dedent(
            """
            [family]
            prefix = "RDB"
            name = "readability"
            description = "x"
            """
        )
        + textwrap.dedent(RULE).replace("TST001", "RDB001").replace("test-phrase", "other"),
        encoding="utf-8",
    )
    with pytest.raises(PackError, match=r"RDB001 is already defined in readability\.toml"):
        load_registry((tmp_path,))


def test_python_rule_must_name_an_existing_check(tmp_path):
    body = RULE.replace('kind = "existence"', 'kind = "python"\ncheck = "nothing-here"')
    write_pack(tmp_path, body)
    with pytest.raises(PackError, match="has no Python check 'nothing-here'"):
        load_registry((tmp_path,))
