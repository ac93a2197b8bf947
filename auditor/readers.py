"""Readers: folders, text files, JSONL, CSV, Parquet and stdin, streamed record by record.

Every record comes out: as an Article, or as a Rejected that the engine reports as an error row
with its file and line. Only problems with a whole input (a path that does not exist, an unknown
format, a table without the text column) raise InputError, before any article is audited.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from auditor.config import FieldNames
from auditor.model import Article, InputIssue, Rejected

Record = Article | Rejected
TEXT_SUFFIXES = (".txt", ".md")
FORMATS = ("text", "jsonl", "csv", "parquet")
_SUFFIX_FORMATS = {
    ".txt": "text",
    ".md": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
MANIFEST = "manifest.jsonl"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b")
"""Control characters that text does not hold (escape stays: terminal colour codes)."""
_BINARY_MAGIC = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "executable"),
    (b"PAR1", "Parquet file"),
)


class InputError(ValueError):
    """An input that cannot be read at all; the message names the path and what was found."""


class BinaryInput(ValueError):
    pass


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    replaced: int


def decode(data: bytes) -> Decoded:
    """Bytes to text: BOMs honoured, UTF-16 without BOM recognised, invalid UTF-8 replaced.

    Raises BinaryInput for data that is not text in any encoding we accept.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], encoding)
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise BinaryInput(kind)
    head = data[:8192]
    if head.count(0) > max(2, len(head) // 100):  # a stray NUL in text is text with a NUL
        utf16 = _utf16_without_bom(head)
        if utf16 is None:
            raise BinaryInput("NUL bytes in what should be text")
        return _decode_as(data, utf16)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > 0.1:
        raise BinaryInput(f"{controls} control bytes in the first {len(head)}")
    return _decode_as(data, "utf-8")


def _utf16_without_bom(head: bytes) -> str | None:
    even, odd = head[0::2], head[1::2]
    if odd and odd.count(0) / len(odd) > 0.4 and even.count(0) / max(len(even), 1) < 0.1:
        return "utf-16-le"
    if even and even.count(0) / len(even) > 0.4 and odd.count(0) / max(len(odd), 1) < 0.1:
        return "utf-16-be"
    return None


def _decode_as(data: bytes, encoding: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding, 0)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return Decoded(text, encoding, text.count("\ufffd") - _count_fffd(data, encoding))


def _count_fffd(data: bytes, encoding: str) -> int:
    """U+FFFD characters that were already in the input (so not replacements we made)."""
    marker = "\ufffd".encode(encoding, errors="ignore")
    return data.count(marker) if marker else 0


def _issues(decoded: Decoded) -> tuple[InputIssue, ...]:
    if decoded.replaced <= 0:
        return ()
    return (InputIssue("AUD003", {"count": decoded.replaced, "encoding": decoded.encoding}),)


# -- dispatch -------------------------------------------------------------------------------


def format_of(path: Path, forced: str | None = None) -> str:
    if forced:
        if forced not in FORMATS:
            raise InputError(f"unknown input format {forced!r} (known: {', '.join(FORMATS)})")
        return forced
    try:
        return _SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_SUFFIX_FORMATS))
        raise InputError(
            f"{path}: unknown input format {path.suffix or '(no suffix)'!r} (known: {known}; "
            "or choose one with --input-format)"
        ) from None


def check_inputs(paths: Iterable[str], fields: FieldNames, forced: str | None = None) -> None:
    """Fail fast, before auditing anything, on inputs that cannot be read at all."""
    for name in paths:
        if name == "-":
            continue
        path = Path(name)
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                raise InputError(f"{path}: folder cannot be read (permission denied)")
            continue
        kind = format_of(path, forced)
        if kind == "csv":
            _csv_header(path, fields)
        elif kind == "parquet":
            _parquet_file(path, fields)


def read_inputs(
    paths: Iterable[str],
    fields: FieldNames | None = None,
    forced: str | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Record]:
    fields = fields or FieldNames()
    for name in paths:
        if name == "-":
            yield from read_stdin(stdin or sys.stdin.buffer, fields, forced)
            continue
        path = Path(name)
        if path.is_dir():
            yield from read_directory(path)
        else:
            yield from read_file(path, fields, forced)


def read_file(path: Path, fields: FieldNames, forced: str | None = None) -> Iterator[Record]:
    kind = format_of(path, forced)
    if kind == "text":
        yield read_text_file(path)
    elif kind == "jsonl":
        with _open_binary(path) as stream:
            yield from read_jsonl(stream, str(path), fields)
    elif kind == "csv":
        yield from read_csv(path, fields)
    else:
        yield from read_parquet(path, fields)


def read_stdin(stream: IO[bytes], fields: FieldNames, forced: str | None) -> Iterator[Record]:
    """stdin as JSONL when it starts with "{" (or when told so), else as one text article."""
    data = stream.read()
    kind = forced or ("jsonl" if data.lstrip()[:1] == b"{" else "text")
    if kind == "jsonl":
        yield from read_jsonl(io.BytesIO(data), "<stdin>", fields)
    elif kind == "csv":
        yield from _csv_records(io.StringIO(_decode_or_empty(data)), "<stdin>", fields)
    elif kind == "text":
        yield _text_article(data, "stdin", "<stdin>", {}, "stdin")
    else:
        raise InputError(f"<stdin>: format {kind!r} cannot be read from standard input")


# -- text files and folders -----------------------------------------------------------------


def read_directory(directory: Path) -> Iterator[Record]:
    """Every .txt and .md file below ``directory``, in sorted order, with manifest metadata.

    A folder that cannot be listed (permissions) becomes an error row: a directory walk would
    otherwise skip it without a word, and its articles would be lost silently.
    """
    unreadable: list[OSError] = []
    files = []
    for root, subfolders, names in os.walk(directory, onerror=unreadable.append):
        subfolders.sort()
        files += [Path(root) / name for name in names if Path(name).suffix.lower() in TEXT_SUFFIXES]
    for error in unreadable:
        where = str(error.filename or directory)
        yield Rejected(
            Path(where).name or where,
            where,
            "AUD007",
            f"cannot list folder: {error.strerror or error}",
        )
    manifests: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in sorted(files):
        if not path.is_file():
            continue
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = load_manifest(folder)
        yield read_text_file(path, manifests[folder].get(path.name, {}))


def load_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """Per-file metadata from ``manifest.jsonl`` (keys: file, id, source, url, published...)."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    entries: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{path}:{number}: manifest line is not JSON: {error.msg}") from None
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise InputError(f"{path}:{number}: manifest entry needs a 'file' name")
        entries[entry["file"]] = entry
    return entries


def read_text_file(path: Path, manifest: Mapping[str, Any] | None = None) -> Record:
    manifest = manifest or {}
    location = encodable(str(path))  # a file name undecodable here holds surrogates
    article_id = encodable(str(manifest.get("id") or path.stem))
    try:
        data = path.read_bytes()
    except OSError as error:
        return Rejected(article_id, location, "AUD007", error.strerror or str(error))
    return _text_article(data, article_id, location, manifest, path.parent.name)


def _text_article(
    data: bytes, article_id: str, location: str, meta: Mapping[str, Any], folder: str
) -> Record:
    source = resolve_source(meta.get("source"), meta.get("url"), folder)
    try:
        decoded = decode(data)
    except BinaryInput as error:
        return Rejected(article_id, location, "AUD002", str(error), source, {"reason": str(error)})
    return Article(
        id=article_id,
        text=decoded.text,
        source=source,
        url=_string(meta.get("url")),
        title=_string(meta.get("title")),
        published=parse_datetime(meta.get("published")),
        location=location,
        meta={
            k: v for k, v in meta.items() if k not in ("id", "source", "url", "title", "published")
        },
        issues=_issues(decoded),
    )


# -- records: JSONL, CSV, Parquet -----------------------------------------------------------


def read_jsonl(stream: IO[bytes], name: str, fields: FieldNames) -> Iterator[Record]:
    file_name = Path(name).name
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        fallback_id = f"{file_name}:{number}"
        location = f"{name}:{number}"
        issues: tuple[InputIssue, ...] = ()
        try:
            value = _parse_clean_line(raw)
        except (ValueError, RecursionError):  # read the careful way, which says why
            parsed = _parse_line(raw, number, fallback_id, location)
            if isinstance(parsed, Rejected):
                yield parsed
                continue
            value, issues = parsed
        if not isinstance(value, dict):
            kind = type(value).__name__
            yield Rejected(
                fallback_id, location, "AUD004", f"line {number}: a JSON {kind}, not an object"
            )
            continue
        yield record_from_mapping(value, fields, fallback_id, name, f"line {number}", issues)


def _parse_clean_line(raw: bytes) -> Any:
    """A line that is strict UTF-8 and valid JSON, parsed; ValueError (or RecursionError) for
    any other.

    Most lines are, and for them :func:`decode` has nothing to find: valid JSON holds no byte
    order mark, NUL or other control byte (only escapes of them), and starts with none of
    the binary formats' magic numbers. Decoding them straight away spares its checks, 40% of
    the time it took to read a line.
    """
    return json.loads(raw.decode("utf-8"))


def _parse_line(
    raw: bytes, number: int, fallback_id: str, location: str
) -> tuple[Any, tuple[InputIssue, ...]] | Rejected:
    """A line's JSON value and what reading it met, or why it cannot be read."""
    try:
        decoded = decode(raw)
    except BinaryInput as error:
        return Rejected(fallback_id, location, "AUD002", str(error), values={"reason": str(error)})
    try:
        return json.loads(decoded.text), _issues(decoded)
    except json.JSONDecodeError as error:
        reason = f"line {number}: not valid JSON ({error.msg} at column {error.colno})"
        return Rejected(fallback_id, location, "AUD004", reason)
    except RecursionError:
        return Rejected(fallback_id, location, "AUD004", f"line {number}: JSON nested too deeply")


def record_from_mapping(
    row: Mapping[str, Any],
    fields: FieldNames,
    fallback_id: str,
    name: str,
    position: str,
    issues: tuple[InputIssue, ...] = (),
) -> Record:
    """A record (JSON object, CSV row, Parquet row, DataFrame row) as an Article or a Rejected."""
    raw_id = row.get(fields.id)
    article_id = encodable(str(raw_id)) if raw_id not in (None, "") else fallback_id
    location = f"{name}::{article_id}"
    source = encodable(resolve_source(row.get(fields.source), row.get(fields.url), None))
    text = row.get(fields.text)
    if text is None:
        reason = f"{position}: missing text field {fields.text!r}"
        return Rejected(article_id, location, "AUD004", reason, source)
    if not isinstance(text, str):
        reason = f"{position}: text field {fields.text!r} holds {type(text).__name__}, not text"
        return Rejected(article_id, location, "AUD004", reason, source)
    text, repairs = repaired_text(text)
    claimed = set(vars(fields).values())
    return Article(
        id=article_id,
        text=text,
        source=source,
        url=_string(row.get(fields.url)),
        title=_string(row.get(fields.title)),
        published=parse_datetime(row.get(fields.published)),
        location=location,
        meta={k: v for k, v in row.items() if k not in claimed and _is_scalar(v)},
        issues=issues + repairs,
    )


def read_csv(path: Path, fields: FieldNames) -> Iterator[Record]:
    with _open_binary(path) as raw:
        decoded = decode(raw.read())
    yield from _csv_records(io.StringIO(decoded.text, newline=""), str(path), fields)


def _csv_records(stream: IO[str], name: str, fields: FieldNames) -> Iterator[Record]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(stream)
    if reader.fieldnames is None or fields.text not in reader.fieldnames:
        found = ", ".join(reader.fieldnames or []) or "no header"
        raise InputError(f"{name}: no text column {fields.text!r} (found: {found})")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            number = reader.line_num
            yield Rejected(
                f"{Path(name).name}:{number}",
                f"{name}:{number}",
                "AUD004",
                f"line {number}: broken CSV row ({error})",
            )
            continue
        number = reader.line_num
        if None in row:  # more cells than header columns
            row.pop(None)
        yield record_from_mapping(
            row, fields, f"{Path(name).name}:{number}", name, f"row ending on line {number}"
        )


def _csv_header(path: Path, fields: FieldNames) -> None:
    with _open_binary(path) as raw:
        head = raw.read(1 << 20)
    try:
        text = decode(head).text
    except BinaryInput as error:
        raise InputError(f"{path}: not a CSV file ({error})") from None
    header = next(csv.reader(io.StringIO(text)), [])
    if fields.text not in header:
        raise InputError(
            f"{path}: no text column {fields.text!r} (found: {', '.join(header) or 'no header'})"
        )


def _parquet_file(path: Path, fields: FieldNames) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            f"{path}: reading Parquet needs pyarrow: pip install 'article-auditor[parquet]'"
        ) from None
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises several types for a damaged file
        raise InputError(f"{path}: not a readable Parquet file ({error})") from None
    names = parquet.schema_arrow.names
    if fields.text not in names:
        raise InputError(f"{path}: no text column {fields.text!r} (found: {', '.join(names)})")
    return parquet


def read_parquet(path: Path, fields: FieldNames) -> Iterator[Record]:
    parquet = _parquet_file(path, fields)
    wanted = [name for name in vars(fields).values() if name in parquet.schema_arrow.names]
    number = 0
    for batch in parquet.iter_batches(batch_size=1024, columns=wanted):
        for row in batch.to_pylist():
            number += 1
            yield record_from_mapping(
                row, fields, f"{path.name}:{number}", str(path), f"row {number}"
            )


# -- helpers --------------------------------------------------------------------------------


def resolve_source(explicit: Any, url: Any, folder: str | None) -> str:
    """Explicit source, else the URL's domain, else the folder name, else "unknown"."""
    if isinstance(explicit, str) and explicit.strip():
        return explicit.strip()
    if isinstance(url, str) and url.strip():
        host = urlsplit(url.strip() if "//" in url else "//" + url.strip()).hostname or ""
        host = host.removeprefix("www.")
        if host:
            return host
    if folder:
        return folder
    return "unknown"


def parse_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def _string(value: Any) -> str | None:
    return encodable(value) if isinstance(value, str) and value else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(value: str) -> str:
    """``value`` with each lone surrogate replaced by U+FFFD.

    Decoded bytes never hold one, but a JSON escape (``"\\ud800"``) or a Python string can:
    half of a UTF-16 pair, which no UTF-8 output, hash or Hyperscan scan can encode, so that
    one such article would stop a whole run. Replacing it keeps every offset."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)
    return value


def repaired_text(text: str) -> tuple[str, tuple[InputIssue, ...]]:
    """An article's text as :func:`encodable` makes it, with an AUD003 issue if it changed."""
    repaired = encodable(text)
    if repaired is text:
        return text, ()
    count = len(_SURROGATE.findall(text))  # the rare text that had any
    encoding = "UTF-8 (unpaired UTF-16 surrogates in the input)"
    return repaired, (InputIssue("AUD003", {"count": count, "encoding": encoding}),)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _decode_or_empty(data: bytes) -> str:
    try:
        return decode(data).text
    except BinaryInput:
        return ""


def _open_binary(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as error:
        raise InputError(f"{path}: cannot open: {error.strerror or error}") from None
