"""pytest plugin: every article under ``--audit PATH`` (or the ``audit_paths`` ini option) is a
test item that fails when the article falls below the policy.

Inactive, and silent, unless one of those is given; ``-p no:auditor`` turns it off entirely.
The articles are audited once per session (per worker under xdist), together, so that corpus
checks such as template lines see the whole batch; each item then looks up its own verdict.
"""

from __future__ import annotations

import statistics
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from auditor.config import Config, ConfigError, discover, load, split_selectors
from auditor.engine import Auditor
from auditor.model import Article, ArticleAudit, Rejected, Severity
from auditor.readers import (
    MANIFEST,
    TEXT_SUFFIXES,
    InputError,
    load_manifest,
    read_file,
    read_text_file,
)
from auditor.scoring import grade as grade_of
from auditor.testing import AuditFailed, audit_text, failure_report

ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, ".jsonl", ".ndjson", ".csv", ".parquet", ".pq")
GRADES = "ABCDF"


class AuditWarning(pytest.PytestWarning):
    """Findings on an article that passed the policy (below the failing severity)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("auditor", "article auditing (article-auditor)")
    group.addoption(
        "--audit",
        action="append",
        default=[],
        metavar="PATH",
        help="audit the articles under PATH; each article becomes a test item",
    )
    group.addoption(
        "--audit-fail-under",
        type=float,
        default=None,
        metavar="N",
        help="fail articles whose overall score is below N",
    )
    group.addoption(
        "--audit-fail-on",
        default=None,
        choices=[s.label for s in Severity] + ["never"],
        help="fail articles with a finding at this severity or worse",
    )
    group.addoption("--audit-select", default=None, metavar="LIST", help="rules to run")
    group.addoption("--audit-ignore", default=None, metavar="LIST", help="rules to skip")
    group.addoption(
        "--audit-min-source-grade",
        default=None,
        choices=list(GRADES),
        help="add one item per source that fails below this grade",
    )
    parser.addini(
        "audit_paths",
        type="paths",
        default=[],
        help="article paths audited as test items (like --audit)",
    )
    parser.addini(
        "audit_min_source_grade",
        default="",
        help="minimum grade per source (adds one item per source)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "audit_policy(fail_under=None, fail_on=None, select=None, ignore=None): "
        "a stricter audit policy for the `audit` fixture in this test",
    )
    config.addinivalue_line("markers", "audit: an article audited by article-auditor")
    paths = [Path(p) for p in config.getoption("audit")] or list(config.getini("audit_paths"))
    if not paths:
        return
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise pytest.UsageError(f"--audit: no such file or directory: {', '.join(missing)}")
    try:
        settings = _session_config(config)
        Auditor(settings)  # validate selectors and packs now, as a usage error
    except (ConfigError, ValueError) as error:
        raise pytest.UsageError(f"auditor: {error}") from None
    run = AuditRun([p.resolve() for p in paths], settings, _min_grade(config), config.rootpath)
    config.stash[RUN_KEY] = run
    config.args.extend(str(p) for p in paths if str(p) not in config.args)


def pytest_report_header(config: pytest.Config) -> str | None:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return None
    return f"auditor: auditing {', '.join(str(p) for p in run.roots)}"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    run = parent.config.stash.get(RUN_KEY, None)
    if run is None or not run.is_article_file(file_path):
        return None
    return ArticleFile.from_parent(parent, path=file_path)


def pytest_collection_modifyitems(session: pytest.Session, items: list[pytest.Item]) -> None:
    run = session.config.stash.get(RUN_KEY, None)
    if run is None or run.min_grade is None:
        return
    sources = sorted({item.source for item in items if isinstance(item, ArticleItem)})
    collector = SourceCollector.from_parent(session, name="auditor-sources")
    items.extend(SourceItem.from_parent(collector, name=source) for source in sources)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is None or not run.audited:
        return
    terminalreporter.section("article audit: report card")
    for line in run.card_lines():
        terminalreporter.write_line(line)


@pytest.fixture
def audit(request: pytest.FixtureRequest) -> Callable[..., ArticleAudit]:
    """Audit text the test builds itself: ``audit(text, **meta)`` returns the ArticleAudit;
    ``audit.assert_ok(text)`` fails the test with the findings when the policy fails.
    The policy comes from [tool.auditor], tightened by an ``audit_policy`` marker."""
    settings = _session_config(request.config)
    marker = request.node.get_closest_marker("audit_policy")
    if marker is not None:
        settings = _apply_policy(settings, **marker.kwargs)
    return _Checker(settings)


class _Checker:
    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, text: str, **meta: Any) -> ArticleAudit:
        return audit_text(text, self.config, **meta)

    def assert_ok(self, text: str, **meta: Any) -> ArticleAudit:
        result = self(text, **meta)
        if not result.passed:
            raise AssertionError(failure_report(result))
        return result


# -- collection and items ---------------------------------------------------------------------


class ArticleFile(pytest.File):
    """A file of articles: one item per article, named by the article's id."""

    def collect(self) -> Iterator[pytest.Item]:
        run: AuditRun = self.config.stash[RUN_KEY]
        seen: dict[str, int] = defaultdict(int)
        for index, record in enumerate(run.read(self.path)):
            seen[record.id] += 1
            name = record.id if seen[record.id] == 1 else f"{record.id}#{seen[record.id]}"
            yield ArticleItem.from_parent(
                self, name=name, key=(str(self.path), index), source=record.source
            )


class ArticleItem(pytest.Item):
    def __init__(self, *, key: tuple[str, int], source: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.source = source
        self.add_marker("audit")

    def runtest(self) -> None:
        run: AuditRun = self.config.stash[RUN_KEY]
        result = run.audit_for(self.key)
        if not result.passed:
            raise AuditFailed(result)
        notes = [f for f in result.findings if f.severity >= Severity.WARNING]
        if notes:
            warnings.warn_explicit(
                AuditWarning(failure_report(result, notes)),
                AuditWarning,
                filename=str(self.path),
                lineno=notes[0].line,
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return _failure_text(self, excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"audit {self.name}"


class SourceCollector(pytest.Collector):
    def collect(self) -> list[pytest.Item]:
        return []


class SourceItem(pytest.Item):
    """One source's mean grade against ``--audit-min-source-grade``."""

    def runtest(self) -> None:
        run: AuditRun = self.config.stash[RUN_KEY]
        scores = run.source_scores().get(self.name, [])
        assert run.min_grade is not None
        mean = statistics.fmean(scores) if scores else 0.0
        if GRADES.index(grade_of(mean)) > GRADES.index(run.min_grade):
            raise AuditFailed(
                None,
                f"source {self.name}: mean score {mean:.1f} "
                f"(grade {grade_of(mean)}) over {len(scores)} article(s) is below "
                f"the minimum grade {run.min_grade}",
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return _failure_text(self, excinfo)

    def reportinfo(self) -> tuple[str, int | None, str]:
        return "auditor-sources", None, f"source {self.name}"


def _failure_text(item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """The audit report for a policy failure; pytest's usual report for anything else."""
    if isinstance(excinfo.value, AuditFailed):
        return str(excinfo.value)
    return str(pytest.Item.repr_failure(item, excinfo))


# -- the session's audit ----------------------------------------------------------------------


@dataclass
class AuditRun:
    """Audits every article under the roots once, on first use, in a stable order."""

    roots: list[Path]
    config: Config
    min_grade: str | None
    rootpath: Path
    audits: dict[tuple[str, int], ArticleAudit] | None = None

    @property
    def audited(self) -> bool:
        return self.audits is not None

    def is_article_file(self, path: Path) -> bool:
        """A file of articles under one of the roots (a folder's manifest is not one)."""
        if path.suffix.lower() not in ARTICLE_SUFFIXES or _is_manifest(path):
            return False
        resolved = path.resolve()
        return any(resolved == root or root in resolved.parents for root in self.roots)

    def read(self, path: Path) -> Iterator[Article | Rejected]:
        try:
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield read_text_file(path, load_manifest(path.parent).get(path.name, {}))
            else:
                yield from read_file(path, self.config.fields)
        except InputError as error:
            yield Rejected(path.name, str(path), "AUD004", str(error))

    def files(self) -> list[Path]:
        found: set[Path] = set()
        for root in self.roots:
            for path in [root] if root.is_file() else root.rglob("*"):
                if path.is_file() and self.is_article_file(path):
                    found.add(path.resolve())
        return sorted(found)

    def ensure(self) -> dict[tuple[str, int], ArticleAudit]:
        """Audit everything on first use; every later call returns the same verdicts."""
        if self.audits is None:
            keys: list[tuple[str, int]] = []

            def records() -> Iterator[Article | Rejected]:
                for path in self.files():
                    for index, record in enumerate(self.read(path)):
                        keys.append((str(path), index))
                        yield record

            results = list(Auditor(self.config).iter_audits(records(), jobs=1))
            self.audits = {
                key: replace(result, location=self._relative(result.location))
                for key, result in zip(keys, results, strict=True)
            }
        return self.audits

    def _relative(self, location: str) -> str:
        path, sep, rest = location.partition("::")
        try:
            return str(Path(path).relative_to(self.rootpath)) + sep + rest
        except ValueError:
            return location

    def audit_for(self, key: tuple[str, int]) -> ArticleAudit:
        return self.ensure()[(str(Path(key[0]).resolve()), key[1])]

    def source_scores(self) -> dict[str, list[float]]:
        scores: dict[str, list[float]] = defaultdict(list)
        for result in self.ensure().values():
            scores[result.source].append(result.score if result.score is not None else 0.0)
        return scores

    def card_lines(self) -> list[str]:
        by_source: dict[str, list[ArticleAudit]] = defaultdict(list)
        for result in (self.audits or {}).values():
            by_source[result.source].append(result)
        total = sum(len(v) for v in by_source.values())
        failed = sum(not a.passed for v in by_source.values() for a in v)
        lines = [
            f"{total} articles from {len(by_source)} sources, {failed} failed the policy",
            f"{'source':<36} {'articles':>8} {'failed':>6} {'mean':>6}  grade",
        ]
        for source, group in sorted(by_source.items()):
            scores = [a.score if a.score is not None else 0.0 for a in group]
            mean = statistics.fmean(scores)
            lines.append(
                f"{source[:36]:<36} {len(group):>8} "
                f"{sum(not a.passed for a in group):>6} {mean:>6.1f}  {grade_of(mean)}"
            )
        return lines


RUN_KEY = pytest.StashKey[AuditRun]()


def _session_config(config: pytest.Config) -> Config:
    found = discover(Path(config.rootpath))
    settings = load(found) if found else Config()
    fail_on = config.getoption("audit_fail_on", None)
    return _apply_policy(
        settings,
        fail_under=config.getoption("audit_fail_under", None),
        fail_on=fail_on,
        select=split_selectors(config.getoption("audit_select", None)),
        ignore=split_selectors(config.getoption("audit_ignore", None)),
    )


def _apply_policy(settings: Config, **policy: Any) -> Config:
    fail_on = policy.pop("fail_on", None)
    for key in ("select", "ignore"):
        if isinstance(policy.get(key), str):
            policy[key] = split_selectors(policy[key])
    settings = settings.with_overrides(**policy)
    if fail_on is not None:
        settings = replace(
            settings, fail_on=None if fail_on == "never" else Severity.parse(fail_on)
        )
    return settings


def _min_grade(config: pytest.Config) -> str | None:
    value = config.getoption("audit_min_source_grade", None) or config.getini(
        "audit_min_source_grade"
    )
    if value and str(value).upper() not in GRADES:
        raise pytest.UsageError(f"audit_min_source_grade must be one of {', '.join(GRADES)}")
    return str(value).upper() if value else None


def _is_manifest(path: Path) -> bool:
    """A manifest.jsonl beside text articles describes them; it is not a batch of articles."""
    return path.name == MANIFEST and any(
        p.suffix.lower() in TEXT_SUFFIXES for p in path.parent.iterdir()
    )
