"""The ``auditor`` command: audit, rules, report, explain, cache.

Exit codes: 0 every article passed the policy; 1 the policy failed for at least one article
(an unreadable record counts as failed); 2 usage, configuration or input error.
Only the chosen format goes to stdout; the summary, errors and the progress bar go to stderr,
and the progress bar only when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from auditor import __version__, diskcache, docs, render
from auditor.clean import remove_spans
from auditor.config import Config, ConfigError, FieldNames, discover, load, split_selectors
from auditor.engine import Auditor, fewer_collections
from auditor.model import Article, ArticleAudit, Severity
from auditor.packs import PackError
from auditor.readers import FORMATS as INPUT_FORMATS
from auditor.readers import InputError, check_inputs, read_inputs
from auditor.registry import load_registry
from auditor.report import CardTally
from auditor.writers import FORMATS, make_writer

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (ConfigError, PackError, InputError, UsageError) as error:
        print(f"auditor: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="Audit news articles for boilerplate, spun text, unverified claims, copies, "
        "readability and language. Exit 0: passed; 1: the policy failed; 2: usage, config or "
        "input error.",
    )
    parser.add_argument("--version", action="version", version=f"article-auditor {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    audit = commands.add_parser(
        "audit",
        help="audit articles and report findings",
        description="Audit articles from folders (.txt/.md, recursive), .txt, .md, .jsonl, "
        ".ndjson, .csv, .parquet files, or - for standard input.",
        epilog="examples:\n  auditor audit seeds/\n  auditor audit batch.jsonl --format jsonl "
        "-o audited.jsonl\n  auditor audit crawl.csv --text-field body --select BPL,SPN "
        "--fail-under 70",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    audit.add_argument("paths", nargs="+", metavar="PATH", help="inputs; - reads standard input")
    audit.add_argument(
        "--format", choices=FORMATS, default="concise", help="output format (default: concise)"
    )
    audit.add_argument("-o", "--output", metavar="FILE", help="write the output here, not stdout")
    audit.add_argument(
        "--report-card",
        metavar="FILE",
        help="also write the per-source report card (.html, .md, .json, .csv or .parquet)",
    )
    audit.add_argument(
        "--write-clean",
        metavar="DIR",
        help="also write each article without its boilerplate lines to DIR/<id>.txt",
    )
    selection = audit.add_argument_group("rule selection (codes, prefixes, rule or family names)")
    selection.add_argument("--select", metavar="LIST", help="only these rules, e.g. BPL,SPN012")
    selection.add_argument("--ignore", metavar="LIST", help="skip these rules")
    selection.add_argument("--extend-select", metavar="LIST", help="add to the configured select")
    policy = audit.add_argument_group("policy")
    policy.add_argument(
        "--fail-under",
        type=float,
        metavar="N",
        help="fail articles whose overall score is below N (0-100; default 50)",
    )
    policy.add_argument(
        "--fail-on",
        choices=[s.label for s in Severity] + ["never"],
        help="fail articles with a finding at this severity or worse (default: error)",
    )
    inputs = audit.add_argument_group("input")
    inputs.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        help="read files as this format whatever their suffix",
    )
    for name in ("id", "text", "source", "url", "published", "title"):
        inputs.add_argument(
            f"--{name}-field",
            metavar="NAME",
            help=f"record field holding the {name} (default: {name})",
        )
    inputs.add_argument(
        "--max-chars",
        type=int,
        metavar="N",
        help="audit at most the first N characters of an article",
    )
    run = audit.add_argument_group("run")
    run.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes (default: all cores; 1 runs in this process)",
    )
    run.add_argument(
        "--config",
        metavar="FILE",
        help="use this auditor.toml or pyproject.toml instead of the nearest one",
    )
    run.add_argument(
        "--index",
        metavar="DIR",
        help="near-duplicate index: compare with the articles saved there, then add this batch",
    )
    run.add_argument(
        "--dask",
        action="store_true",
        help="run on a local Dask cluster of --jobs worker processes (needs the dask extra)",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster at ADDRESS (tcp://host:port)",
    )
    run.add_argument("--isolated", action="store_true", help="ignore configuration files")
    run.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    run.add_argument(
        "-q", "--quiet", action="store_true", help="no summary line or report card on stderr"
    )
    audit.set_defaults(handler=run_audit)

    rules = commands.add_parser(
        "rules",
        help="list every rule with its code",
        description="List the rules: code, name, family, severity, selected by default, summary.",
    )
    rules.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    rules.add_argument("--config", metavar="FILE", help="read extra rule packs from this config")
    rules.set_defaults(handler=run_rules)

    report = commands.add_parser(
        "report",
        help="build the report card from saved results",
        description="Build the per-source report card from the output of "
        "`auditor audit --format jsonl` (or json), without auditing again.",
    )
    report.add_argument("results", metavar="RESULTS", help="a .jsonl or .json results file")
    report.add_argument(
        "--format",
        choices=("html", "md", "json", "csv", "parquet"),
        help="output format (default: from the -o suffix, else md)",
    )
    report.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    report.set_defaults(handler=run_report)

    explain = commands.add_parser(
        "explain",
        help="explain one rule",
        description="What a rule does, why it matters, an example, and what to write instead.",
    )
    explain.add_argument("rule", metavar="CODE", help="a rule code or name, e.g. RDB003")
    explain.add_argument("--config", metavar="FILE", help="read extra rule packs from this config")
    explain.set_defaults(handler=run_explain)

    cache = commands.add_parser(
        "cache",
        help="show or clear the cache folder",
        description="Show the cache folder, where runs keep the Hyperscan automata, parsed "
        "rule packs and syllable counts they built, and how much it holds. The folder is "
        "$AUDITOR_CACHE_DIR, else $XDG_CACHE_HOME/article-auditor, else "
        "~/.cache/article-auditor; AUDITOR_NO_CACHE=1 turns the cache off. Runs never remove "
        "entries: an edited pack leaves its old automaton behind.",
    )
    cache.add_argument(
        "--clear", action="store_true", help="remove every entry (the next run rebuilds them)"
    )
    cache.set_defaults(handler=run_cache)
    return parser


# -- audit ----------------------------------------------------------------------------------


def run_audit(args: argparse.Namespace) -> int:
    config = _config(args)
    fields = config.fields
    overrides = {name: getattr(args, f"{name}_field") for name in vars(FieldNames())}
    if any(overrides.values()):
        fields = FieldNames(**{k: v or getattr(fields, k) for k, v in overrides.items()})
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    config = config.with_overrides(
        select=split_selectors(args.select),
        ignore=split_selectors(args.ignore),
        extend_select=split_selectors(args.extend_select),
        fail_under=args.fail_under,
        fields=fields,
        max_chars=args.max_chars,
        index=Path(args.index) if args.index else None,
    )
    if args.fail_on:
        fail_on = None if args.fail_on == "never" else Severity.parse(args.fail_on)
        config = replace(config, fail_on=fail_on)
    if args.paths.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    auditor = Auditor(config)
    check_inputs(args.paths, config.fields, args.input_format)

    counter = _Counter()
    records = counter.wrap(read_inputs(args.paths, config.fields, args.input_format))
    cleaner = CleanWriter(Path(args.write_clean)) if args.write_clean else None
    card_kind = render.format_of(args.report_card) if args.report_card else None
    sampler = render.TextSampler() if card_kind == "html" else None
    pending = _PendingTexts() if cleaner or sampler else None
    if pending is not None:
        records = pending.remember(records)
    show_card = not args.quiet and sys.stderr.isatty()
    card = CardTally() if card_kind or show_card else None
    started = time.perf_counter()
    with _output(args.output) as stream:
        writer = make_writer(args.format, stream)
        writer.start()
        with _progress(not args.no_progress) as advance, fewer_collections():
            for audit in _audits(auditor, records, args, advance):
                writer.write(audit)
                counter.add(audit)
                text = pending.take(audit.id) if pending is not None else None
                if cleaner is not None and text is not None:
                    cleaner.write(audit, text)
                if sampler is not None and text is not None:
                    sampler.offer(audit, text)
                if card is not None:
                    card.add(audit)
                if args.output:
                    stream.flush()
        summary = counter.summary(time.perf_counter() - started)
        writer.finish(summary)
    if counter.records != counter.rows:
        print(
            f"auditor: error: {counter.records} records read but {counter.rows} audited",
            file=sys.stderr,
        )
        return EXIT_ERROR
    if args.report_card and card is not None:
        try:
            render.write_card(
                card, args.report_card, card_kind, sampler.texts() if sampler else None
            )
        except OSError as error:
            raise UsageError(
                f"cannot write {args.report_card}: {error.strerror or error}"
            ) from None
    if show_card and card is not None:
        render.render_terminal(card, sys.stderr)
    if not args.quiet:
        print(_summary_line(summary), file=sys.stderr)
    return EXIT_FAILED if counter.failed else EXIT_OK


class _PendingTexts:
    """Holds each article's text from reading until its audit comes back, for the writers that
    need the text itself (cleaned articles, the report card's highlighted pages)."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def remember(self, records: Iterator[Any]) -> Iterator[Any]:
        for record in records:
            if isinstance(record, Article):
                self.texts[record.id] = record.text
            yield record

    def take(self, article_id: str) -> str | None:
        return self.texts.pop(article_id, None)


def run_report(args: argparse.Namespace) -> int:
    path = Path(args.results)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    card = CardTally.of(load_results(path))
    kind = args.format or (render.format_of(args.output) if args.output else "md")
    if args.output:
        render.write_card(card, args.output, kind)
    elif kind == "parquet":
        raise UsageError("parquet is binary: give it a file with -o FILE")
    else:
        sys.stdout.write(render.render_card(card, kind))
    return EXIT_OK


def load_results(path: Path) -> Iterator[ArticleAudit]:
    """Audits saved by `auditor audit --format jsonl` (read line by line, so results of any size
    make a card) or `--format json` (one document, read whole)."""
    try:
        with path.open(encoding="utf-8") as stream:
            first = stream.readline()
            while first and not first.strip():
                first = stream.readline()
            rows: Iterable[Any]
            if first.lstrip().startswith('{"schema"'):
                rows = json.loads(first + stream.read())["articles"]
            else:
                lines = itertools.chain([first], stream)
                rows = (json.loads(line) for line in lines if line.strip())
            for row in rows:
                yield ArticleAudit.from_dict(row)
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise InputError(f"{path}: not audit results from `auditor audit` ({error})") from None


def _audits(
    auditor: Auditor, records: Iterator[Any], args: argparse.Namespace, advance: Any
) -> Iterator[ArticleAudit]:
    """The local process pool, or a Dask cluster with --dask / --scheduler."""
    if not (args.dask or args.scheduler):
        yield from auditor.iter_audits(records, jobs=args.jobs, on_audit=advance)
        return
    try:
        from auditor.dask import run_records
    except ImportError:
        raise UsageError(
            "--dask and --scheduler need: pip install 'article-auditor[dask]'"
        ) from None
    workers = args.jobs or os.cpu_count() or 1
    for audit in run_records(records, auditor.config, args.scheduler, workers):
        if advance is not None:
            advance(audit)
        yield audit


class CleanWriter:
    """Writes each audited article without its boilerplate, under a safe file name."""

    def __init__(self, directory: Path) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"--write-clean {directory}: {error.strerror or error}") from None
        self.directory = directory.resolve()
        self.used: set[str] = set()

    def write(self, audit: ArticleAudit, text: str) -> None:
        if not audit.ok:
            return
        path = self.directory / self._file_name(audit.id)
        path.write_text(remove_spans(text, audit.findings) + "\n", encoding="utf-8")

    def _file_name(self, article_id: str) -> str:
        """A name derived from the id that cannot leave the directory, unique in this run."""
        stem = re.sub(r"[^\w.-]+", "_", article_id).strip("._")[:120] or "article"
        name, number = f"{stem}.txt", 1
        while name in self.used:
            number += 1
            name = f"{stem}-{number}.txt"
        self.used.add(name)
        return name


class _Counter:
    """Counts records in and rows out: the run checks that nothing was lost between them."""

    def __init__(self) -> None:
        self.records = self.rows = self.errors = self.failed = self.findings = 0

    def wrap(self, records: Iterator[Any]) -> Iterator[Any]:
        for record in records:
            self.records += 1
            yield record

    def add(self, audit: ArticleAudit) -> None:
        self.rows += 1
        self.errors += not audit.ok
        self.failed += not audit.passed
        self.findings += len(audit.findings)

    def summary(self, seconds: float) -> dict[str, Any]:
        return {
            "records": self.records,
            "audited": self.rows - self.errors,
            "errors": self.errors,
            "failed": self.failed,
            "passed": self.rows - self.failed,
            "findings": self.findings,
            "seconds": round(seconds, 3),
        }


def _summary_line(summary: dict[str, Any]) -> str:
    rate = summary["records"] / summary["seconds"] if summary["seconds"] else 0.0
    return (
        f"{summary['records']} records: {summary['audited']} audited, {summary['errors']} "
        f"errors; {summary['failed']} failed the policy; {summary['findings']} findings "
        f"({summary['seconds']:.1f} s, {rate:.0f} articles/s)"
    )


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    try:
        stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    with stream:
        yield stream


@contextlib.contextmanager
def _progress(wanted: bool) -> Iterator[Any]:
    """A rich progress counter on stderr, only when stderr is a terminal."""
    if not (wanted and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("auditing: {task.completed} articles"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("audit", total=None)
        yield lambda _audit: progress.advance(task)


def _config(args: argparse.Namespace) -> Config:
    if getattr(args, "isolated", False):
        return Config()
    if getattr(args, "config", None):
        path = Path(args.config)
        if not path.is_file():
            raise UsageError(f"--config {path}: no such file")
        return load(path)
    found = discover()
    return load(found) if found else Config()


# -- rules and explain ----------------------------------------------------------------------


def run_rules(args: argparse.Namespace) -> int:
    registry = load_registry(tuple(_config(args).rules_path))
    if args.format == "json":
        print(docs.rules_json(registry))
    elif args.format == "markdown":
        print(docs.rules_markdown(registry), end="")
    else:
        print(docs.rules_table(registry), end="")
    return EXIT_OK


def run_explain(args: argparse.Namespace) -> int:
    registry = load_registry(tuple(_config(args).rules_path))
    try:
        rule = registry.rule(args.rule)
    except KeyError:
        raise UsageError(f"no rule {args.rule!r}; `auditor rules` lists them") from None
    print(docs.explain(registry, rule), end="")
    return EXIT_OK


def run_cache(args: argparse.Namespace) -> int:
    folder = diskcache.cache_dir()
    if folder is None:
        print("the cache is off (AUDITOR_NO_CACHE, or no home folder)")
        return EXIT_OK
    if args.clear:
        removed, size = diskcache.clear()
        print(f"{folder}: removed {removed} entries, {_megabytes(size)}")
        return EXIT_OK
    entries = diskcache.entries()
    kinds = Counter(map(diskcache.kind_of, entries))
    counts = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    summary = f"{folder}: {len(entries)} entries, {_megabytes(diskcache.size(entries))}"
    print(summary + (f" ({counts})" if counts else ""))
    return EXIT_OK


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


if __name__ == "__main__":
    raise SystemExit(main())
