from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from conftest import ENGLISH, GERMAN, write_jsonl

from auditor.model import ArticleAudit
from auditor.writers import make_writer

jsonschema = pytest.importorskip("jsonschema")
SCHEMA = json.loads(resources.files("auditor").joinpath("schema/audit-v1.schema.json").read_text())
CONCISE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{3}\d{3}) [a-z0-9-]+ .+$"
)


def test_audit_seeds_exits_by_policy(cli, seeds):
    code, out, err = cli("audit", str(seeds), "--jobs", "1")
    assert code in (0, 1)
    assert all(CONCISE.match(line) for line in out.splitlines())
    assert "5 records: 5 audited, 0 errors" in err


def test_exit_code_follows_the_policy(cli, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "de", "text": GERMAN}])
    strict, _, _ = cli("audit", str(path), "--fail-under", "100", "--fail-on", "error")
    by_severity, _, _ = cli("audit", str(path), "--fail-under", "0", "--fail-on", "info")
    lenient, _, _ = cli("audit", str(path), "--fail-under", "0", "--fail-on", "never")
    assert (strict, by_severity, lenient) == (1, 1, 0)


def test_concise_lines_point_at_path_line_and_column(cli, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "mixed.txt").write_text(
        ENGLISH + "\n\n" + ENGLISH + "\n\n" + GERMAN, encoding="utf-8"
    )
    code, out, _ = cli("audit", str(folder), "--fail-on", "warning", "--select", "LNG")
    (line,) = out.splitlines()
    match = CONCISE.match(line)
    assert match and match["path"].endswith("mixed.txt")
    assert (match["line"], match["col"], match["code"]) == ("5", "1", "LNG002")
    assert code == 1


def test_json_output_validates_against_the_schema(cli, seeds):
    code, out, _ = cli("audit", str(seeds), "--format", "json", "--jobs", "1")
    document = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    assert [a["id"] for a in document["articles"]] == sorted(p.stem for p in seeds.glob("*.txt"))
    assert document["summary"]["records"] == 5
    assert code == (1 if document["summary"]["failed"] else 0)


def test_jsonl_has_one_valid_article_per_line_including_errors(cli, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ENGLISH}, {"id": "b"}])
    with path.open("a", encoding="utf-8") as stream:
        stream.write("{broken\n")
    code, out, err = cli("audit", str(path), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    for row in rows:
        jsonschema.validate(row, SCHEMA["$defs"]["article"] | {"$defs": SCHEMA["$defs"]})
    assert [(r["id"], r["status"]) for r in rows] == [
        ("a", "ok"),
        ("b", "error"),
        ("in.jsonl:3", "error"),
    ]
    assert code == 1  # unreadable records fail the run
    assert "3 records: 1 audited, 2 errors" in err


@pytest.mark.parametrize(
    ("metrics", "written"),
    [
        ({"share": np.float64(0.25), "where": Path("a/b")}, {"share": 0.25, "where": "a/b"}),
        ({"big": 2**70, "share": 0.5}, {"big": 2**70, "share": 0.5}),  # beyond orjson
    ],
)
def test_jsonl_writes_every_metric_on_one_compact_line(metrics, written):
    audit = ArticleAudit("a", "s", "l", "ok", (), {}, None, None, metrics)
    stream = io.StringIO()
    make_writer("jsonl", stream).write(audit)
    line = stream.getvalue()
    assert line.count("\n") == 1 and line.endswith("}\n") and ", " not in line
    assert json.loads(line)["metrics"] == written


def test_same_output_for_one_and_two_jobs(cli, seeds):
    _, one, _ = cli("audit", str(seeds), "--format", "jsonl", "--jobs", "1")
    _, two, _ = cli("audit", str(seeds), "--format", "jsonl", "--jobs", "2")
    assert one == two and one


def test_csv_output_has_a_row_per_finding_and_neutralises_formulas(cli, tmp_path):
    rows = [
        {"id": "=HYPERLINK(1)", "text": GERMAN, "source": "+cmd"},
        {"id": "ok", "text": ENGLISH},
    ]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    code, out, _ = cli("audit", str(path), "--format", "csv", "--select", "LNG001,LNG003")
    table = list(csv.DictReader(io.StringIO(out)))
    assert {row["code"] for row in table} == {"LNG001", "LNG003", ""}
    german = [row for row in table if row["code"]]
    assert all(row["id"] == "'=HYPERLINK(1)" and row["source"] == "'+cmd" for row in german)
    assert code == 0


def test_full_format_shows_scores_evidence_and_verdict(cli, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "de", "text": GERMAN}])
    _, out, _ = cli("audit", str(path), "--format", "full", "--fail-on", "warning")
    assert "score" in out and "FAIL" in out and "LNG001 not-english [warning]" in out


def test_output_file_gets_the_format_and_stdout_stays_empty(cli, seeds, tmp_path):
    target = tmp_path / "out.jsonl"
    _, out, _ = cli("audit", str(seeds), "--format", "jsonl", "-o", str(target))
    assert out == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "missing-dir"], "missing-dir: no such file or directory"),
        (["audit", "{seeds}", "--select", "NOPE"], "'NOPE' names no rule"),
        (["audit", "{seeds}", "--jobs", "0"], "--jobs must be at least 1"),
        (["audit", "{seeds}", "--config", "nope.toml"], "--config nope.toml: no such file"),
        (["explain", "XYZ123"], "no rule 'XYZ123'"),
    ],
)
def test_usage_and_input_errors_exit_2(cli, seeds, args, message):
    code, out, err = cli(*[a.format(seeds=seeds) for a in args])
    assert code == 2 and out == ""
    assert message in err


def test_argparse_usage_errors_exit_2(cli):
    with pytest.raises(SystemExit) as exit_info:
        cli("audit", "x", "--format", "yaml")
    assert exit_info.value.code == 2


def test_unknown_config_key_is_exit_2_naming_file_and_key(cli, seeds, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.auditor]\nfail-undr = 70\n", encoding="utf-8")
    code, _, err = cli("audit", str(seeds))
    assert code == 2
    assert "pyproject.toml [tool.auditor]: unknown key 'fail-undr'" in err


def test_config_file_policy_applies_and_cli_overrides_it(cli, tmp_path):
    path = str(write_jsonl(tmp_path / "in.jsonl", [{"id": "de", "text": GERMAN}]))
    (tmp_path / "auditor.toml").write_text("fail-on = 'info'\n", encoding="utf-8")
    from_config, _, _ = cli("audit", path)
    overridden, _, _ = cli("audit", path, "--fail-on", "never")
    isolated, _, _ = cli("audit", path, "--isolated")  # defaults: fail-on error, fail-under 50
    assert (from_config, overridden, isolated) == (1, 0, 0)


def test_stdin_text_is_audited(cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(GERMAN.encode())))
    code, out, _ = cli("audit", "-", "--fail-on", "warning")
    assert "<stdin>:1:1: LNG001 not-english" in out and code == 1


def test_rules_lists_every_code_and_explain_documents_one(cli):
    _, table, _ = cli("rules")
    assert all(code in table for code in ("AUD001", "LNG001", "RDB003"))
    _, listing, _ = cli("rules", "--format", "json")
    assert {"code": "RDB003", "name": "overlong-sentence"}.items() <= json.loads(listing)[
        [r["code"] for r in json.loads(listing)].index("RDB003")
    ].items()
    code, text, _ = cli("explain", "overlong-sentence")
    assert code == 0
    for heading in (
        "RDB003 overlong-sentence",
        "## What it does",
        "## Why it matters",
        "## Example",
        "## Instead",
    ):
        assert heading in text


def test_help_describes_exit_codes(cli):
    with pytest.raises(SystemExit):
        cli("--help")


def test_cache_shows_and_clears_the_folder(cli, tmp_path, monkeypatch):
    from auditor import diskcache

    folder = tmp_path / "cache"
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(folder))
    assert cli("cache") == (0, f"{folder}: 0 entries, 0.0 MB\n", "")
    diskcache.store("hyperscan", b"key", b"x" * 2_000_000)
    diskcache.store("toml", b"key", b"y")
    code, out, _ = cli("cache")
    assert (code, out) == (0, f"{folder}: 2 entries, 2.0 MB (hyperscan 1, toml 1)\n")
    assert cli("cache", "--clear") == (0, f"{folder}: removed 2 entries, 2.0 MB\n", "")
    assert list(folder.iterdir()) == []
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    code, out, _ = cli("cache", "--clear")
    assert code == 0 and out.startswith("the cache is off")
