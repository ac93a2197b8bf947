from __future__ import annotations

import codecs
import io
import os
from unittest import mock

import pytest
from conftest import ENGLISH, write_jsonl
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import readers
from auditor.config import FieldNames
from auditor.model import Article, Rejected
from auditor.readers import (
    BinaryInput,
    InputError,
    check_inputs,
    decode,
    read_csv,
    read_directory,
    read_file,
    read_inputs,
    read_jsonl,
    read_parquet,
    resolve_source,
)

FIELDS = FieldNames()


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "naïve “text”".encode(),
        codecs.BOM_UTF16_LE + "naïve “text”".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "naïve “text”".encode("utf-16-be"),
        "naïve “text”".encode("utf-16-le"),  # no BOM
        "naïve “text”".encode("utf-16-be"),
    ],
)
def test_decode_honours_boms_and_recognises_utf16(data):
    decoded = decode(data)
    assert decoded.text == "naïve “text”" and decoded.replaced == 0


def test_invalid_utf8_is_replaced_and_counted():
    decoded = decode(b"caf\xe9 and cr\xe8me \xef\xbf\xbd")  # two bad bytes, one real U+FFFD
    assert decoded.text == "caf\ufffd and cr\ufffdme \ufffd"
    assert decoded.replaced == 2


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7 ...", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (bytes(range(256)) * 4, "control bytes"),
        (b"\x00\x00ab\x00\x00" * 100, "NUL bytes"),
        (b"\x01\x02\x03\x04abc\x05\x06\x07\x08" * 10, "control bytes"),
    ],
)
def test_binary_data_is_refused(data, kind):
    with pytest.raises(BinaryInput, match=kind):
        decode(data)


def test_directory_reads_text_files_recursively_with_the_manifest(seeds):
    records = list(read_directory(seeds))
    assert [r.id for r in records] == sorted(p.stem for p in seeds.glob("*.txt"))
    assert all(isinstance(r, Article) for r in records)
    by_id = {r.id: r for r in records}
    assert by_id["001_71d129728d4f5e67"].source == "realtybizideas.com"
    assert "Houzez" in by_id["001_71d129728d4f5e67"].meta["notes"]
    assert by_id["004_b5c1045b13ebcb62"].source == "unknown-dailysabah-republisher"


def test_folder_name_is_the_source_without_a_manifest(tmp_path):
    folder = tmp_path / "example.org" / "2024"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(ENGLISH, encoding="utf-8")
    (folder / "skip.html").write_text("<p>not read</p>", encoding="utf-8")
    (record,) = read_directory(tmp_path)
    assert (record.id, record.source, record.location) == ("a", "2024", str(folder / "a.md"))


def test_text_files_report_binary_and_bad_bytes(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\nrest")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 society returns.".encode("latin-1"))
    image, latin = read_directory(tmp_path)
    assert isinstance(image, Rejected) and image.code == "AUD002" and "PNG" in image.reason
    assert isinstance(latin, Article) and latin.text == "Caf\ufffd society returns."
    assert [(i.code, i.values["count"]) for i in latin.issues] == [("AUD003", 1)]


def test_jsonl_rejects_bad_lines_with_their_numbers_and_keeps_going(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        '{"id": "a", "text": "One."}\n'
        "\n"
        "not json\n"
        '["a", "list"]\n'
        '{"id": "b"}\n'
        '{"id": "c", "text": 42}\n'
        '{"text": "No id.", "url": "https://www.example.com/x"}\n'
        '{"id": "d", "text": "truncat',
        encoding="utf-8",
    )
    records = list(read_file(path, FIELDS))
    assert len(records) == 7
    ok = [r for r in records if isinstance(r, Article)]
    bad = [r for r in records if isinstance(r, Rejected)]
    assert [r.id for r in ok] == ["a", "batch.jsonl:7"]
    assert ok[1].source == "example.com"
    reasons = [r.reason for r in bad]
    assert reasons[0].startswith("line 3: not valid JSON")
    assert reasons[1] == "line 4: a JSON list, not an object"
    assert reasons[2] == "line 5: missing text field 'text'"
    assert reasons[3] == "line 6: text field 'text' holds int, not text"
    assert reasons[4].startswith("line 8: not valid JSON")
    assert all(r.code == "AUD004" for r in bad)


def test_jsonl_deeply_nested_value_is_rejected_not_a_crash():
    line = ('{"text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}\n").encode()
    (record,) = read_jsonl(io.BytesIO(line), "deep.jsonl", FIELDS)
    assert isinstance(record, Rejected) and "nested too deeply" in record.reason


_LINE_PIECES = [
    b'{"id": "a", "text": "Plain news."}',
    '{"text": "naïve “quotes”", "n": 18446744073709551616}'.encode(),
    '{"text": "naïve café"}'.encode("latin-1"),
    b'{"text": "\xed\xa0\x80 lone surrogate bytes"}',
    b'{"text": "raw\ttab and \x01 control"}',
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    b"\x00",
    b"\x01\x02\x1b\x0c",
    b"%PDF-1.7",
    b"PAR1",
    b'"\\ud800"',
    b"NaN",
    b"[" * 1200 + b"]" * 1200,
    b'{"text": "\\u0000 held", "text": "second"}',
    b" \t\r",
    b'["list"]',
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES), min_size=1, max_size=4))
def test_jsonl_lines_read_the_quick_way_as_the_careful_way(pieces):
    """Valid strict UTF-8 JSON skips :func:`decode`; every line must come out as if it had not."""
    line = b"".join(pieces) + b"\n"
    quick = list(read_jsonl(io.BytesIO(line), "lines.jsonl", FIELDS))
    with mock.patch.object(readers, "_parse_clean_line", side_effect=ValueError):
        careful = list(read_jsonl(io.BytesIO(line), "lines.jsonl", FIELDS))
    assert quick == careful


def test_configured_field_names_are_used(tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", [{"key": "k1", "body": ENGLISH, "site": "a.com"}])
    fields = FieldNames(id="key", text="body", source="site")
    (record,) = read_file(path, fields)
    assert (record.id, record.source, record.text) == ("k1", "a.com", ENGLISH)


def test_csv_with_quotes_and_newlines_and_rows_missing_text(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text(
        'id,text,source\n1,"Line one.\nLine ""two"".",a.com\n2,,b.com\n3\n', encoding="utf-8"
    )
    first, second, third = read_csv(path, FIELDS)
    assert first.text == 'Line one.\nLine "two".' and first.source == "a.com"
    assert isinstance(second, Article) and second.text == ""  # empty text: audited as AUD001
    assert isinstance(third, Rejected) and "missing text field" in third.reason


def test_csv_without_the_text_column_is_an_input_error(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no text column 'text' \(found: id, body\)"):
        check_inputs([str(path)], FIELDS)


def test_parquet_rows_and_wrong_column_types(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": [ENGLISH, None]}), good)
    first, second = read_parquet(good, FIELDS)
    assert first.text == ENGLISH and isinstance(second, Rejected)
    wrong = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": [12]}), wrong)
    (record,) = read_parquet(wrong, FIELDS)
    assert isinstance(record, Rejected) and "holds int, not text" in record.reason
    missing = tmp_path / "missing.parquet"
    pq.write_table(pa.table({"body": ["x"]}), missing)
    with pytest.raises(InputError, match="no text column 'text'"):
        check_inputs([str(missing)], FIELDS)


def test_stdin_is_jsonl_when_it_looks_like_it_else_one_article():
    lines = io.BytesIO(b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n')
    assert [r.id for r in read_inputs(["-"], FIELDS, stdin=lines)] == ["a", "b"]
    (article,) = read_inputs(["-"], FIELDS, stdin=io.BytesIO(ENGLISH.encode()))
    assert (article.id, article.text, article.location) == ("stdin", ENGLISH, "<stdin>")


def test_inputs_are_checked_before_anything_is_audited(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        check_inputs([str(tmp_path / "missing.jsonl")], FIELDS)
    odd = tmp_path / "data.xml"
    odd.write_text("<a/>", encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown input format '\.xml'"):
        check_inputs([str(odd)], FIELDS)


@pytest.mark.parametrize(
    ("explicit", "url", "folder", "expected"),
    [
        ("Reuters", "https://www.example.com/a", "f", "Reuters"),
        (None, "https://www.dailysabah.com/world/x", "f", "dailysabah.com"),
        ("", "news.example.org/path", None, "news.example.org"),
        (None, None, "folder", "folder"),
        (None, None, None, "unknown"),
    ],
)
def test_source_resolution_order(explicit, url, folder, expected):
    assert resolve_source(explicit, url, folder) == expected


def test_a_folder_that_cannot_be_listed_is_an_error_row_not_silence(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text(ENGLISH, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(ENGLISH, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # what the walk meets in a folder without read permission
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    records = list(read_directory(tmp_path))
    assert [(type(r).__name__, r.id) for r in records] == [
        ("Rejected", "locked"),
        ("Article", "ok"),
    ]
    assert records[0].code == "AUD007" and "Permission denied" in records[0].reason
