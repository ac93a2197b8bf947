"""Rule packs: TOML files that hold the rules as data, validated strictly when loaded.

A pack is one ``[family]`` table and a list of ``[[rule]]`` entries. Validation is strict
because a typo in a pack ("severty") would otherwise silently produce a rule that never fires;
every error names the file, the entry and, where it can, the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from auditor import diskcache, regex_guard
from auditor.model import Severity

KINDS = ("existence", "substitution", "metric", "python", "engine")
SCOPES = ("span", "document")
CODE_PATTERN = re.compile(r"^[A-Z]{3}\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
PREFIX_PATTERN = re.compile(r"^[A-Z]{3}$")

_FAMILY_KEYS = {"prefix", "name", "description", "weight", "english_only", "order", "credits"}
_RULE_KEYS = {
    "code",
    "name",
    "kind",
    "severity",
    "weight",
    "scope",
    "default",
    "message",
    "summary",
    "why",
    "example",
    "instead",
    "phrases",
    "patterns",
    "swaps",
    "metric",
    "above",
    "below",
    "check",
    "options",
    "valid",
    "invalid",
}
_REQUIRED_RULE_KEYS = ("code", "name", "kind", "severity", "message", "summary", "why")


class PackError(ValueError):
    """A rule pack that cannot be used; the message names file, entry and line."""


@dataclass(frozen=True, slots=True)
class Family:
    prefix: str
    name: str
    description: str
    weight: float = 1.0
    english_only: bool = False
    order: int = 100
    credits: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    family: str
    kind: str
    severity: Severity
    weight: float
    message: str
    summary: str
    why: str
    scope: str = "span"
    default: bool = True
    example: str | None = None
    instead: str | None = None
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    swaps: Mapping[str, str] = field(default_factory=dict)
    metric: str | None = None
    above: float | None = None
    below: float | None = None
    check: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    valid: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()
    pack: str = ""

    def option(self, key: str, default: Any) -> Any:
        return self.options.get(key, default)


@dataclass(frozen=True, slots=True)
class Pack:
    path: Path
    family: Family
    rules: tuple[Rule, ...]


def load_pack(path: Path) -> Pack:
    raw_text = _read(path)
    try:
        data = diskcache.remembered("toml", raw_text.encode(), lambda: tomllib.loads(raw_text))
    except tomllib.TOMLDecodeError as error:
        raise PackError(f"{path}: not valid TOML: {error}") from None
    where = _Locator(path, raw_text)
    unknown = set(data) - {"family", "rule"}
    if unknown:
        raise PackError(
            f"{where.at(sorted(unknown)[0])}: unknown top-level key {sorted(unknown)[0]!r}"
        )
    family = _parse_family(data.get("family"), where)
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise PackError(f"{path}: 'rule' must be an array of tables ([[rule]])")
    rules = tuple(_parse_rule(entry, family, where) for entry in entries)
    return Pack(path=path, family=family, rules=rules)


def load_packs(paths: Iterable[Path]) -> list[Pack]:
    return [load_pack(path) for path in paths]


def pack_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise PackError(f"{directory}: rule pack directory does not exist")
    return sorted(directory.glob("*.toml"))


def builtin_rules_dir() -> Path:
    """The packs shipped with the package: inside the wheel, or beside it in a checkout."""
    packaged = Path(__file__).parent / "rules"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "rules"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(f"{path}: cannot read rule pack: {error}") from None


class _Locator:
    """Finds the line of an entry or key in the pack's source, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def at(self, needle: str, after: str | None = None) -> str:
        start = 0
        if after is not None:
            start = self._find(after, 0) or 0
        line = self._find(needle, start)
        return f"{self.path}:{line}" if line else str(self.path)

    def _find(self, needle: str, start: int) -> int | None:
        for number, line in enumerate(self.lines[start:], start=start + 1):
            if needle in line:
                return number
        return None


def _parse_family(data: Any, where: _Locator) -> Family:
    if not isinstance(data, dict):
        raise PackError(f"{where.path}: missing [family] table")
    _reject_unknown(data, _FAMILY_KEYS, "[family]", where, None)
    for key in ("prefix", "name", "description"):
        if not isinstance(data.get(key), str):
            raise PackError(f"{where.at('[family]')}: [family] needs a string {key!r}")
    if not PREFIX_PATTERN.match(data["prefix"]):
        raise PackError(f"{where.at('prefix')}: family prefix must be three capitals")
    return Family(
        prefix=data["prefix"],
        name=data["name"],
        description=data["description"],
        weight=_number(data.get("weight", 1.0), "weight", where, "[family]"),
        english_only=bool(data.get("english_only", False)),
        order=int(data.get("order", 100)),
        credits=str(data.get("credits", "")),
    )


def _parse_rule(entry: Any, family: Family, where: _Locator) -> Rule:
    if not isinstance(entry, dict):
        raise PackError(f"{where.path}: every [[rule]] must be a table")
    code = entry.get("code")
    label = f"rule {code}" if isinstance(code, str) else "rule without code"
    anchor = f'"{code}"' if isinstance(code, str) else "[[rule]]"

    def fail(message: str, key: str | None = None) -> PackError:
        location = where.at(key, after=anchor) if key else where.at(anchor)
        return PackError(f"{location}: {label}: {message}")

    _reject_unknown(entry, _RULE_KEYS, label, where, anchor)
    for key in _REQUIRED_RULE_KEYS:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise fail(f"missing or empty {key!r}")
    if not CODE_PATTERN.match(entry["code"]):
        raise fail("code must be three capitals and three digits, e.g. BPL001", "code")
    if not entry["code"].startswith(family.prefix):
        raise fail(f"code must start with the family prefix {family.prefix}", "code")
    if not NAME_PATTERN.match(entry["name"]):
        raise fail("name must be kebab-case, e.g. tortured-phrase", "name")
    kind = entry["kind"]
    if kind not in KINDS:
        raise fail(f"kind must be one of {', '.join(KINDS)}", "kind")
    try:
        severity = Severity.parse(entry["severity"])
    except ValueError as error:
        raise fail(str(error), "severity") from None
    scope = entry.get("scope", "document" if kind == "metric" else "span")
    if scope not in SCOPES:
        raise fail(f"scope must be one of {', '.join(SCOPES)}", "scope")

    phrases = _strings(entry.get("phrases", []), "phrases", fail)
    patterns = tuple(
        _scoped_flags(p) for p in _strings(entry.get("patterns", []), "patterns", fail)
    )
    for pattern in patterns:
        try:
            re.compile(pattern)
            regex_guard.check(pattern)
        except re.error as error:
            raise fail(f"bad regex {pattern!r}: {error}", "patterns") from None
        except regex_guard.DangerousPattern as error:
            raise fail(str(error), "patterns") from None
    swaps = entry.get("swaps", {})
    if not isinstance(swaps, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in swaps.items()
    ):
        raise fail("swaps must be a table of spun phrase = original phrase", "swaps")
    if kind == "existence" and not (phrases or patterns):
        raise fail("an existence rule needs phrases or patterns")
    if kind == "substitution" and not swaps:
        raise fail("a substitution rule needs swaps")
    if kind == "metric":
        if not isinstance(entry.get("metric"), str):
            raise fail("a metric rule needs 'metric'")
        if entry.get("above") is None and entry.get("below") is None:
            raise fail("a metric rule needs 'above' or 'below'")
    if kind == "python" and not isinstance(entry.get("check"), str):
        raise fail("a python rule needs 'check' (the name of its function in the family)")
    options = entry.get("options", {})
    if not isinstance(options, dict):
        raise fail("options must be a table", "options")

    return Rule(
        code=entry["code"],
        name=entry["name"],
        family=family.name,
        kind=kind,
        severity=severity,
        weight=_number(entry.get("weight", 1.0), "weight", where, label),
        message=entry["message"],
        summary=entry["summary"],
        why=entry["why"],
        scope=scope,
        default=bool(entry.get("default", True)),
        example=entry.get("example"),
        instead=entry.get("instead"),
        phrases=phrases,
        patterns=patterns,
        swaps=dict(swaps),
        metric=entry.get("metric"),
        above=_optional_number(entry.get("above"), "above", where, label),
        below=_optional_number(entry.get("below"), "below", where, label),
        check=entry.get("check"),
        options=dict(options),
        valid=_strings(entry.get("valid", []), "valid", fail),
        invalid=_strings(entry.get("invalid", []), "invalid", fail),
        pack=where.path.name,
    )


_LEADING_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


def _scoped_flags(pattern: str) -> str:
    """``(?i)cue`` becomes ``(?i:cue)``, so that a rule's patterns can be joined into one regex
    (global flags are only allowed at the very start of an expression)."""
    match = _LEADING_FLAGS.match(pattern)
    if match is None:
        return pattern
    return f"(?{match.group(1)}:{pattern[match.end() :]})"


def _reject_unknown(
    data: dict[str, Any], allowed: set[str], label: str, where: _Locator, anchor: str | None
) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        key = unknown[0]
        raise PackError(f"{where.at(key, after=anchor)}: {label}: unknown key {key!r}")


def _strings(value: Any, key: str, fail: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise fail(f"{key} must be a list of strings", key)
    return tuple(value)


def _number(value: Any, key: str, where: _Locator, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PackError(f"{where.path}: {label}: {key} must be a number")
    return float(value)


def _optional_number(value: Any, key: str, where: _Locator, label: str) -> float | None:
    return None if value is None else _number(value, key, where, label)
