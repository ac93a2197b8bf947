from __future__ import annotations

import builtins
import functools
import re

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

import auditor.hsdatabase
from auditor import Auditor, Config
from auditor.document import Document
from auditor.families import boilerplate
from auditor.matching import PhraseMatcher
from auditor.model import Article
from auditor.patterns import RulePattern
from auditor.prefilter import Prefilter, RuleFilter, _unanchored, widen
from auditor.registry import load_registry


@pytest.mark.parametrize(
    ("pattern", "widened"),
    [
        (r"\bword\b", "word"),  # boundaries dropped; w, o, r, d have no other folds
        (r"[\w.'’-]", r"[\x{80}-\x{10ffff}\w.'’-]"),  # every class takes all non-ASCII
        (r"[]a]", r"[]\x{80}-\x{10ffff}a]"),  # after a leading ], which is a member
        (r"[^\w\n]", r"[^\w\n]"),  # negated classes are wider with ASCII classes already
        (r"\d{1,3}", r"[\d\x{80}-\x{10ffff}]{1,}"),
        (r"x{,40}", "x{0,}"),
        (r"(?i:ação)", "(?i:a[çÇ][ãÃ]o)"),  # Hyperscan only folds ASCII without UCP
        (r"(?P<n>k)(?<=s)", "(?P<n>k)(?<=s)"),  # the Kelvin sign and long s: see below
        (r"\u00a0\U0001F300", r"\x{00a0}\x{0001F300}"),
    ],
)
def test_widening_keeps_syntax_and_accepts_more(pattern, widened):
    assert widen(pattern) == widened


@pytest.mark.parametrize(
    ("pattern", "filtered"),
    [
        (r"^.{0,160}\bsubscribe to our", "subscribe to our"),
        (r"^[^\n]{0,80}x|y", "x|y"),  # a match of x anywhere is on a line ^.* can reach
        (r"^.*x", "x"),
        (r"^.*?x", "^.*?x"),  # a lazy run stays: the rest would not be a regex
        (r"^[^\n.]{0,80}/x", r"^[^\n.]{0,}/x"),  # a run that may not reach the match
        (r"^[ \t]*x", r"^[\x{80}-\x{10ffff} \t]*x"),
        (r"\^.*x", r"\^.*x"),  # a caret, not a line start
    ],
)
def test_a_filtered_expression_drops_a_leading_line_run(pattern, filtered):
    assert _unanchored(widen(pattern)) == filtered


@pytest.mark.parametrize(
    ("word", "spelt"), [("kelvin", "\u212aelvin"), ("is", "i\u017f"), ("ai", "a\u0131")]
)
def test_a_text_with_a_letter_python_folds_to_ascii_is_scanned_by_every_rule(word, spelt):
    pytest.importorskip("hyperscan")
    patterns = ["(?i)kelvin", "(?i)is", "(?i)ai", "^Photo:"]
    prefilter = Prefilter(patterns, build_after=0, locatable=[0, 1, 2])
    assert re.search(f"(?i){word}", spelt)
    assert set(prefilter.scan(f"x {spelt} x").possible) == {0, 1, 2, 3} and prefilter.active
    assert set(prefilter.scan("x x").possible) == set()


def test_without_hyperscan_every_rule_is_scanned(monkeypatch):
    real_import = builtins.__import__

    def no_hyperscan(name, *args, **kwargs):
        if name == "hyperscan":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_hyperscan)
    prefilter = Prefilter(["^Source:", "^Photo:"], build_after=0)
    assert list(prefilter.candidates("no furniture here")) == [0, 1]
    assert not prefilter.active


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_the_automaton_waits_for_enough_articles(empty_cache):
    pytest.importorskip("hyperscan")
    prefilter = Prefilter(["^Source:"], build_after=2)
    for _ in range(2):
        assert list(prefilter.candidates("plain text")) == [0]
        assert not prefilter.active
    assert list(prefilter.candidates("plain text")) == []
    assert prefilter.active


def test_the_automaton_is_kept_for_the_next_process(empty_cache):
    pytest.importorskip("hyperscan")
    patterns = ["^Source:", r"\bphoto\b"]
    first = Prefilter(patterns, build_after=1)
    first.candidates("plain text")
    assert not first.active and not list(empty_cache.iterdir())
    assert list(first.candidates("Source: the wires")) == [0]
    assert first.active and len(list(empty_cache.iterdir())) == 1

    later = Prefilter(patterns, build_after=1000)
    assert list(later.candidates("a photo")) == [1]
    assert later.active  # loaded before its first article, not built after 1,000
    other = Prefilter(["^Photo:"], build_after=1000)
    other.candidates("x")
    assert not other.active  # an entry is for its own patterns only


def test_a_damaged_automaton_is_built_again(empty_cache):
    pytest.importorskip("hyperscan")
    Prefilter(["^Source:"], build_after=0).candidates("x")
    (entry,) = empty_cache.iterdir()
    data = bytearray(entry.read_bytes())
    data[-1] ^= 0xFF
    entry.write_bytes(bytes(data))
    damaged = Prefilter(["^Source:"], build_after=1)
    assert list(damaged.candidates("Source: x")) == [0] and not damaged.active
    assert list(damaged.candidates("plain text")) == [] and damaged.active
    rebuilt = Prefilter(["^Source:"], build_after=1000)
    rebuilt.candidates("x")
    assert rebuilt.active  # the rebuilt automaton replaced the damaged entry


def test_without_a_usable_cache_folder_the_automaton_is_built_each_time(tmp_path, monkeypatch):
    pytest.importorskip("hyperscan")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(blocker / "cache"))
    for _ in range(2):
        prefilter = Prefilter(["^Source:"], build_after=0)
        assert list(prefilter.candidates("plain text")) == [] and prefilter.active
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    assert Prefilter(["^Source:"], build_after=0).candidates("x") == set()
    assert not (tmp_path / "cache").exists()


@functools.cache
def pack_patterns(folded: bool) -> list[tuple[str, RulePattern]]:
    """(code, compiled patterns) of every pack rule with patterns, per kind of text."""
    auditor = Auditor(Config())
    return [
        (rule.code, pattern)
        for plan in auditor._plans
        for rule, pattern in plan.patterns.get(folded, [])
    ]


def pack_sources(folded: bool) -> list[tuple[str, str]]:
    return [(code, pattern.regex.pattern) for code, pattern in pack_patterns(folded)]


@functools.cache
def built(folded: bool) -> Prefilter:
    patterns = pack_patterns(folded)
    return Prefilter(
        [pattern.regex.pattern for _, pattern in patterns],
        build_after=0,
        locatable=[i for i, (_, pattern) in enumerate(patterns) if pattern.locatable],
    )


@functools.cache
def rule_filter(folded: bool) -> RuleFilter:
    return RuleFilter([pattern for _, pattern in pack_patterns(folded)], build_after=0)


@functools.cache
def origin_filter() -> RuleFilter:
    """The boilerplate family's attribution and wire-credit lines, built at once."""
    return RuleFilter(boilerplate._ORIGIN_LINES.patterns, build_after=0)


def texts() -> list[str]:
    registry = load_registry()
    examples = [t for rule in registry.rules.values() for t in (*rule.valid, *rule.invalid)]
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    return [*seeds, *examples, "\n".join(examples), " ".join(examples).upper()]


def assert_superset(prefilter: Prefilter, sources: list[tuple[str, str]], text: str) -> None:
    candidates = prefilter.candidates(text)
    for position, (code, source) in enumerate(sources):
        if re.search(source, text, re.MULTILINE):
            assert position in candidates, (code, text[:200])


def assert_located(prefilter: Prefilter, patterns: list[tuple[str, RulePattern]], text: str):
    """Tried only inside the windows, a located rule finds what ``finditer`` finds."""
    hits = prefilter.scan(text)
    for position, windows in hits.windows.items():
        code, pattern = patterns[position]
        expected = [m.span() for m in pattern.finditer(text, Document(text).line_starts)]
        assert [m.span() for m in pattern.within(text, windows)] == expected, (code, text[:200])


def assert_filtered(rules: RuleFilter, text: str) -> None:
    """Each rule, scanned with the patterns the filter keeps for it, finds what the rule finds
    with all of its patterns; a rule the filter leaves out finds nothing."""
    line_starts = Document(text).line_starts
    kept = {}
    for position, pattern, windows in rules.scan(text):
        found = (
            pattern.finditer(text, line_starts)
            if windows is None
            else pattern.within(text, windows)
        )
        kept[position] = [m.span() for m in found]
    for position, pattern in enumerate(rules.patterns):
        expected = [m.span() for m in pattern.finditer(text, line_starts)]
        assert kept.get(position, []) == expected, (pattern.sources, text[:200])


@pytest.mark.parametrize("folded", [False, True])
def test_no_rule_with_a_match_is_ruled_out(folded):
    pytest.importorskip("hyperscan")
    sources, prefilter = pack_sources(folded), built(folded)
    ruled_out = 0
    for text in texts():
        text = text.lower() if folded else text
        assert_superset(prefilter, sources, text)
        assert_located(prefilter, pack_patterns(folded), text)
        assert_filtered(rule_filter(folded), text)
        ruled_out += len(sources) - len(prefilter.candidates(text))
    assert prefilter.active and ruled_out > 0  # it filters, and never wrongly


def test_origin_lines_are_ruled_out_only_without_a_match():
    pytest.importorskip("hyperscan")
    lines = [
        "Source: www.dailysabah.com",
        "KYIV, Ukraine (AP) — Ukraine fired",
        "© 2024 Reuters",
        "Read the original article here.",
    ]
    for text in [*texts(), *lines, "\n".join(lines)]:
        assert_filtered(origin_filter(), text)
    assert origin_filter().prefilter.active
    assert {p for p, _, _ in origin_filter().scan("\n".join(lines))} == {0, 1, 2, 3}
    assert list(origin_filter().scan("Nothing to see.")) == []


LETTERS = st.sampled_from(
    [
        *"aeiksAEIKS .,:;!?'\"’“”-–—/|()[]@#©ⓒ»›\n\t\u00a0\u212a\u017f\u0131ÇçÃãÉé0123456789",
        *("Photo", "Credit", "Source", "says", "Reuters", "copyright", "http://", "Read more"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LETTERS, max_size=60).map("".join))
def test_no_rule_with_a_match_is_ruled_out_on_odd_text(text):
    pytest.importorskip("hyperscan")
    for folded in (False, True):
        assert_superset(built(folded), pack_sources(folded), text.lower() if folded else text)
        assert_located(built(folded), pack_patterns(folded), text.lower() if folded else text)
        assert_filtered(rule_filter(folded), text.lower() if folded else text)
    assert_filtered(origin_filter(), text)


def test_hedging_rules_are_located_and_in_character_offsets():
    pytest.importorskip("hyperscan")
    patterns = pack_patterns(True)
    hedging = {i for i, (code, _) in enumerate(patterns) if code.startswith("HDG")}
    assert hedging and hedging <= built(True)._located
    text = "Kyiv — “It is believed to be close,” Zelensky’s aide reportedly said. Some critics say…"
    hits = built(True).scan(text.lower())
    assert hedging & set(hits.windows)
    assert_located(built(True), patterns, text.lower())


def test_a_pattern_hyperscan_cannot_locate_is_still_filtered(empty_cache):
    pytest.importorskip("hyperscan")
    patterns = [r"\breportedly\b", r"(?<=said )\bthat\b"]  # no lookbehind without prefiltering
    prefilter = Prefilter(patterns, build_after=0, locatable=[0, 1])
    text = "reportedly, he said that; unreportedly"
    hits = prefilter.scan(text)
    assert prefilter.active and set(hits.possible) == {0, 1}
    assert hits.windows == {0: [(0, 10), (28, 38)]}  # widened: without its word boundaries
    located = RulePattern.compile([patterns[0]]).within(text, hits.windows[0])
    assert [m.span() for m in located] == [(0, 10)]
    assert prefilter.scan("nothing here").possible == set()


def test_a_rule_is_scanned_with_only_the_patterns_that_may_match(empty_cache):
    pytest.importorskip("hyperscan")
    call_to_action = RulePattern.compile(
        [
            r"^[ \t]*(?:Subscribe|Share)[ \t]*$",
            r"^.{0,40}\bfollow us on\b",
            r"(?<=[a-z.])Read more$",
        ]
    )
    rules = RuleFilter([call_to_action], build_after=0)
    text = "Body text.\nPlease follow us on Mastodon\nShare\n"
    [(position, pattern, windows)] = rules.scan(text)
    assert rules.prefilter.active and position == 0 and windows is None
    assert pattern.sources == call_to_action.sources[:2]  # the floating third cannot match
    assert pattern.lines_only  # so only line starts are tried
    line_starts = Document(text).line_starts
    found = [m.group() for m in pattern.finditer(text, line_starts)]
    assert found == [m.group() for m in call_to_action.finditer(text, line_starts)]
    assert found == ["Please follow us on", "Share"]
    assert list(rules.scan("Nothing to see.")) == []


def test_audits_are_the_same_with_hyperscan(monkeypatch, empty_cache):
    pytest.importorskip("hyperscan")
    articles = [Article(id=str(i), text=text) for i, text in enumerate(texts())]
    config = Config(select=("BPL", "HDG", "LNG", "SPN"))  # pattern rules and phrase lists
    monkeypatch.setattr(auditor.hsdatabase, "BUILD_AFTER", len(articles) + 1)
    plain_auditor = Auditor(config)
    plain = [plain_auditor.audit_record(a) for a in articles]
    assert not any(database.active for database in databases(plain_auditor))
    monkeypatch.setattr(auditor.hsdatabase, "BUILD_AFTER", 0)
    scanned_auditor = Auditor(config)
    scanned = [scanned_auditor.audit_record(a) for a in articles]
    assert all(database.active for database in databases(scanned_auditor))
    assert scanned == plain
    assert sum(len(a.findings) for a in plain) > 100
    assert any(f.code.startswith("SPN") for a in plain for f in a.findings)


def databases(auditor: Auditor) -> list[Prefilter | PhraseMatcher[object]]:
    """The auditor's prefilters and non-empty phrase lists."""
    found: list[Prefilter | PhraseMatcher[object]] = []
    for plan in auditor._plans:
        found.extend(rules.prefilter for rules in plan.prefilters.values())
        if plan.phrases is not None and plan.phrases.size:
            found.append(plan.phrases)
    assert {type(database) for database in found} == {Prefilter, PhraseMatcher}
    return found
