from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import Config, ConfigError, FieldNames, discover, from_mapping, load
from auditor.model import Severity


def test_defaults():
    config = Config()
    assert (config.fail_under, config.fail_on, config.select) == (50.0, Severity.ERROR, ("ALL",))


def test_every_documented_key_converts():
    config = from_mapping(
        {
            "select": ["RDB", "LNG001"],
            "ignore": "RDB003",
            "extend-select": ["AUD"],
            "per-source-ignores": {"*.de": ["LNG"]},
            "fail-under": 70,
            "fail-on": "warning",
            "min-family-score": {"readability": 40},
            "rules-path": "packs",
            "fields": {"text": "body", "id": "key"},
            "max-chars": 50_000,
            "dedup-threshold": 0.6,
        },
        base=Path("/project"),
    )
    assert config.select == ("RDB", "LNG001") and config.ignore == ("RDB003",)
    assert config.per_source_ignores == {"*.de": ("LNG",)}
    assert (config.fail_under, config.fail_on) == (70.0, Severity.WARNING)
    assert config.rules_path == (Path("/project/packs"),)
    assert config.fields == FieldNames(text="body", id="key")
    assert (config.max_chars, config.dedup_threshold) == (50_000, 0.6)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fail-undr": 3}, "unknown key 'fail-undr'"),
        ({"fail-under": 130}, "between 0 and 100"),
        ({"fail-under": "high"}, "must be a number"),
        ({"fail-on": "fatal"}, "unknown severity 'fatal'"),
        ({"select": [1]}, "list of rule codes"),
        ({"fields": {"body": "text"}}, "unknown field 'body'"),
        ({"per-source-ignores": ["x"]}, "table of source pattern"),
    ],
)
def test_bad_values_name_the_key(data, message):
    with pytest.raises(ConfigError, match=message):
        from_mapping(data, "auditor.toml")


def test_never_turns_severity_failures_off():
    assert from_mapping({"fail-on": "never"}).fail_on is None
    assert from_mapping({"fail-under": False}).fail_under is None


def test_discovery_prefers_the_nearest_file_and_auditor_toml(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.auditor]\nfail-under = 70\n", encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert discover(nested) == tmp_path / "pyproject.toml"
    assert load(tmp_path / "pyproject.toml").fail_under == 70
    (tmp_path / "a" / "auditor.toml").write_text("fail-under = 80\n", encoding="utf-8")
    assert discover(nested) == tmp_path / "a" / "auditor.toml"
    assert load(tmp_path / "a" / "auditor.toml").fail_under == 80


def test_pyproject_without_the_table_is_not_a_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert discover(tmp_path) in (None,) or discover(tmp_path) != tmp_path / "pyproject.toml"


def test_invalid_toml_is_a_config_error(tmp_path):
    path = tmp_path / "auditor.toml"
    path.write_text("fail-under = = 3", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load(path)
