"""Configuration: ``[tool.auditor]`` in pyproject.toml, or an auditor.toml, then CLI overrides.

Unknown keys are errors, not warnings: a misspelt ``fail-undr`` that is silently ignored lets
a bad batch through CI, which is worse than a run that refuses to start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import tomllib

from auditor.model import Severity

CONFIG_FILE = "auditor.toml"
DEFAULT_MAX_CHARS = 1_000_000


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class FieldNames:
    """Names of the record fields that hold each part of an article (JSONL, CSV, Parquet)."""

    id: str = "id"
    text: str = "text"
    source: str = "source"
    url: str = "url"
    published: str = "published"
    title: str = "title"

    @classmethod
    def for_columns(
        cls,
        text: str,
        id: str | None,
        source: str | None,
        url: str | None,
        published: str | None,
        title: str | None,
        available: Iterable[str],
    ) -> tuple[FieldNames, list[str]]:
        """Field names for a table's columns, and the named columns it has. A column given as
        None is never read (its field keeps the default name, which is not among the columns
        returned)."""
        defaults = cls()
        fields = cls(
            id=id or defaults.id,
            text=text,
            source=source or defaults.source,
            url=url or defaults.url,
            published=published or defaults.published,
            title=title or defaults.title,
        )
        present = set(available)
        wanted = [c for c in (id, text, source, url, published, title) if c and c in present]
        return fields, wanted


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_source_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    fail_under: float | None = 50.0
    fail_on: Severity | None = Severity.ERROR
    min_family_score: Mapping[str, float] = field(default_factory=dict)
    rules_path: tuple[Path, ...] = ()
    fields: FieldNames = field(default_factory=FieldNames)
    max_chars: int = DEFAULT_MAX_CHARS
    dedup_threshold: float = 0.5
    index: Path | None = None
    """A near-duplicate index folder: loaded before the corpus phase, saved with the new batch."""
    origin: str | None = None
    """The file this configuration came from, for messages."""

    def with_overrides(self, **overrides: Any) -> Config:
        """A copy with the given settings replaced; None values leave a setting as it is."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "extend-select": "extend_select",
    "per-source-ignores": "per_source_ignores",
    "fail-under": "fail_under",
    "fail-on": "fail_on",
    "min-family-score": "min_family_score",
    "rules-path": "rules_path",
    "fields": "fields",
    "max-chars": "max_chars",
    "dedup-threshold": "dedup_threshold",
    "index": "index",
}


def discover(start: Path | None = None) -> Path | None:
    """The nearest auditor.toml, or pyproject.toml with a [tool.auditor] table, upwards."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "auditor" in _parse(pyproject).get("tool", {}):
            return pyproject
    return None


def load(path: Path) -> Config:
    """Settings from an auditor.toml (top-level keys) or a pyproject.toml ([tool.auditor])."""
    data = _parse(path)
    if path.name == "pyproject.toml":
        return from_mapping(
            data.get("tool", {}).get("auditor", {}), f"{path} [tool.auditor]", base=path.parent
        )
    return from_mapping(data, str(path), base=path.parent)


def from_mapping(
    data: Mapping[str, Any], label: str = "config", base: Path | None = None
) -> Config:
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise ConfigError(f"{label}: unknown key {unknown[0]!r} (known keys: {known})")
    values: dict[str, Any] = {"origin": label}
    for key, value in data.items():
        values[_KEYS[key]] = _convert(key, value, label, base)
    return Config(**values)


def _convert(key: str, value: Any, label: str, base: Path | None) -> Any:
    where = f"{label}: {key}"
    if key in ("select", "ignore", "extend-select"):
        return _selectors(value, where)
    if key == "per-source-ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of source pattern = [selectors]")
        return {str(k): _selectors(v, f"{where}.{k}") for k, v in value.items()}
    if key == "fail-under":
        if value is False:
            return None
        return _number(value, where, 0, 100)
    if key == "fail-on":
        if value in ("never", False):
            return None
        try:
            return Severity.parse(str(value))
        except ValueError as error:
            raise ConfigError(f"{where}: {error} or 'never'") from None
    if key == "min-family-score":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of family = minimum score")
        return {str(k): _number(v, f"{where}.{k}", 0, 100) for k, v in value.items()}
    if key == "rules-path":
        paths = [value] if isinstance(value, str) else value
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise ConfigError(f"{where} must be a path or a list of paths")
        return tuple((base / p) if base and not Path(p).is_absolute() else Path(p) for p in paths)
    if key == "fields":
        if not isinstance(value, dict):
            raise ConfigError(f'{where} must be a table, e.g. {{ text = "body" }}')
        names = {f.name for f in fields(FieldNames)}
        bad = sorted(set(value) - names)
        if bad:
            raise ConfigError(
                f"{where}: unknown field {bad[0]!r} (known: {', '.join(sorted(names))})"
            )
        if not all(isinstance(v, str) and v for v in value.values()):
            raise ConfigError(f"{where}: field names must be non-empty strings")
        return FieldNames(**value)
    if key == "max-chars":
        return int(_number(value, where, 1_000, 1_000_000_000))
    if key == "dedup-threshold":
        return _number(value, where, 0, 1)
    if key == "index":
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where} must be a folder path")
        return base / value if base and not Path(value).is_absolute() else Path(value)
    raise AssertionError(key)


def _selectors(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where} must be a list of rule codes, prefixes, names or families")
    return tuple(v.strip() for v in value)


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where} must be a number")
    if not low <= value <= high:
        raise ConfigError(f"{where} must be between {low:g} and {high:g}")
    return float(value)


def _parse(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def split_selectors(text: str | None) -> tuple[str, ...] | None:
    """``"BPL,SPN012"`` from the command line as a tuple; None when the option was not given."""
    if text is None:
        return None
    return tuple(part.strip() for part in text.split(",") if part.strip())
