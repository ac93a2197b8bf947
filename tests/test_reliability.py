"""Hostile input: every record comes out, nothing hangs, nothing written from input escapes."""

from __future__ import annotations

import codecs
import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import ENGLISH

import auditor

MATRIX = {
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n ",
    "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "latin1.txt": "Le café était fermé lundi, a déclaré la mairie.".encode("latin-1"),
    "utf16-bom.txt": codecs.BOM_UTF16_LE + ENGLISH.encode("utf-16-le"),
    "utf16-nobom.txt": ENGLISH.encode("utf-16-le"),
    "rtl-mixed.txt": ("الرئيس جو بايدن سمح لأوكرانيا باستخدام الصواريخ. " + ENGLISH).encode(),
    "controls.txt": (ENGLISH + "\x00\x01\x02\x1b[31m\u202e\u200b" + ENGLISH).encode(),
    "long-line.txt": b"x" * 5_000_000,
    "huge.txt": ((ENGLISH + "\n\n") * 40_000).encode()[:10_000_000],
}
EXPECTED_STATUS = {"empty": "error", "blank": "error", "binary": "error"}


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in MATRIX.items():
        (folder / name).write_bytes(data)
    return folder


def test_every_hostile_file_comes_out_audited_or_as_an_error_row(cli, hostile_folder):
    started = time.monotonic()
    code, out, err = cli("audit", str(hostile_folder), "--format", "jsonl", "--jobs", "2")
    rows = {row["id"]: row for row in map(json.loads, out.splitlines())}
    assert sorted(rows) == sorted(name.rsplit(".", 1)[0] for name in MATRIX)
    for name, row in rows.items():
        assert row["status"] == EXPECTED_STATUS.get(name, "ok"), (name, row["reason"])
    assert [f["code"] for f in rows["binary"]["findings"]] == ["AUD002"]
    assert "AUD003" in {f["code"] for f in rows["latin1"]["findings"]}
    assert "AUD005" in {f["code"] for f in rows["huge"]["findings"]}
    assert rows["utf16-nobom"]["metrics"]["language"] == "en"
    assert code == 1 and f"{len(MATRIX)} records" in err
    assert time.monotonic() - started < 300  # a hang, not a speed target


def test_unpaired_surrogates_are_replaced_not_a_crash(cli, tmp_path):
    """A JSON escape of half a UTF-16 pair cannot be written as UTF-8, hashed or scanned."""
    batch = tmp_path / "batch.jsonl"
    lone = json.dumps({"id": "lone\ud800", "title": "t\udfff", "text": "\ud83d " + ENGLISH})
    batch.write_text(lone + "\n" + json.dumps({"id": "pair", "text": "\U0001f600 " + ENGLISH}))
    output = tmp_path / "out.jsonl"
    _, _, err = cli("audit", str(batch), "--format", "jsonl", "-o", str(output), "--jobs", "2")
    lone_row, pair_row = map(json.loads, output.read_text(encoding="utf-8").splitlines())
    assert lone_row["id"] == "lone\ufffd" and lone_row["title"] == "t\ufffd"
    (repair,) = [f for f in lone_row["findings"] if f["code"] == "AUD003"]
    assert repair["message"].startswith("1 invalid") and "surrogates" in repair["message"]
    assert lone_row["status"] == pair_row["status"] == "ok"
    assert "AUD003" not in {f["code"] for f in pair_row["findings"]}  # a pair is one character
    assert "2 records: 2 audited, 0 errors" in err, err
    assert auditor.audit("\udc80 " + ENGLISH).findings[0].code == "AUD003"


def test_bad_records_in_every_record_format(cli, tmp_path):
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text(
        json.dumps({"id": "ok", "text": ENGLISH})
        + "\n"
        + '{"id": "deep", "text": "x", "v": '
        + "[" * 5000
        + "]" * 5000
        + "}\n"
        + json.dumps({"id": "huge-value", "text": ENGLISH, "meta": "y" * 2_000_000})
        + "\n"
        + '{"id": "cut", "text": "trunc',
        encoding="utf-8",
    )
    csv_path = tmp_path / "batch.csv"
    csv_path.write_text('id,text\n1,"Line one,\nline ""two"""\n2,\n', encoding="utf-8")
    code, out, err = cli("audit", str(jsonl), str(csv_path), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in rows] == ["ok", "error", "ok", "error", "ok", "error"]
    assert rows[1]["reason"] == "line 2: JSON nested too deeply"
    assert "line 4: not valid JSON" in rows[3]["reason"]
    assert rows[4]["status"] == "ok" and rows[5]["reason"] == "no text to audit"
    assert "6 records: 3 audited, 3 errors" in err and code == 1


def test_parquet_with_a_wrong_column_type_is_an_error_row(cli, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": [1, 2]}), path)
    code, out, _ = cli("audit", str(path), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in rows] == ["error", "error"] and code == 1


def test_a_hundred_thousand_tiny_articles_all_come_out(cli, tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(i), "text": f"Hi {i}."}) + "\n" for i in range(100_000)),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    code, _, err = cli(
        "audit", str(path), "--select", "AUD", "--format", "jsonl", "-o", str(out), "--jobs", "2"
    )
    assert code == 0 and "100000 records: 100000 audited, 0 errors" in err
    assert sum(1 for _ in out.open(encoding="utf-8")) == 100_000


def test_a_catastrophic_regex_in_a_user_pack_is_refused(cli, tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "mine.toml").write_text(
        textwrap.dedent("""
        [family]
        prefix = "USR"
        name = "mine"
        description = "x"

        [[rule]]
        code = "USR001"
        name = "slow"
        kind = "existence"
        patterns = ['(a+)+$']
        severity = "warning"
        summary = "x"
        message = "x"
        why = "x"
    """),
        encoding="utf-8",
    )
    (tmp_path / "auditor.toml").write_text('rules-path = "packs"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("a" * 40 + "!", encoding="utf-8")
    code, _, err = cli("audit", str(tmp_path / "a.txt"))
    assert code == 2
    assert "mine.toml" in err and "USR001" in err and "nested unbounded repetition" in err


ADVERSARIAL = {
    "one-run": "a" * 300_000,
    "dots": "." * 300_000,
    "nested": "(" * 100_000 + ")" * 100_000,
    "quotes": "“" * 100_000 + "”",
    "phrases": "Read more: Source: www.x.com Photo: AP, left, " * 5_000,
    "hyphens": "a-" * 150_000,
    "lines": "x\n" * 150_000,
    "capitals": "Officials Said The " * 20_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_no_rule_takes_superlinear_time_on_adversarial_text(name):
    code = (
        "import json, sys, auditor\n"
        "text = json.loads(sys.stdin.read())\n"
        "result = auditor.audit(text)\n"
        "print(result.status, len(result.findings))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(ADVERSARIAL[name]),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[0] in ("ok", "error")


def test_a_killed_run_leaves_valid_output_up_to_the_last_record(tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": str(i), "text": ENGLISH + f" Item {i}."}) + "\n" for i in range(3000)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "auditor.cli",
            "audit",
            str(source),
            "--format",
            "jsonl",
            "-o",
            str(out),
            "--jobs",
            "1",
            "--select",
            "LNG,RDB",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 20_000):
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    lines = out.read_text(encoding="utf-8").split("\n")
    complete, last = lines[:-1], lines[-1]
    assert 0 < len(complete) < 3000
    assert [json.loads(line)["id"] for line in complete] == [str(i) for i in range(len(complete))]
    assert last == "" or not last.endswith("}")  # at most one partial record, at the end


def test_library_audit_survives_the_matrix():
    for name, data in MATRIX.items():
        if name in ("huge.txt", "long-line.txt"):
            continue
        text = data.decode("utf-8", errors="replace")
        result = auditor.audit(text, id=name)
        assert result.status in ("ok", "error")
