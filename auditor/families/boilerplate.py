"""Boilerplate (BPL): what data cannot say about page furniture.

The line and phrase patterns live in rules/boilerplate.toml. This module adds the structural
checks: lines of machine identifiers, short fragments outside the run of article paragraphs,
and lines that recur across many different articles of one source (a corpus check). It also
reads attribution lines and wire credits into the ``claimed_origin`` metric, because "Source:
www.dailysabah.com" is furniture in the text and evidence for provenance.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from auditor.config import Config
from auditor.corpus.shingles import shingle_hashes
from auditor.document import Document, Span
from auditor.family import CheckContext, CorpusVerdict, FamilyModule, Metrics, rule_finding
from auditor.model import Finding, Pickled
from auditor.packs import Rule
from auditor.patterns import RulePattern
from auditor.prefilter import RuleFilter
from auditor.readers import resolve_source

family = FamilyModule("boilerplate")

_TERMINAL = re.compile(r"[.!?…:;\"'”’)\]]\s*$")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$")
_TEMPLATE_PART = re.compile(
    r"^(?:header|footer|sidebar|widget|banner|nav|navbar|menu|wrapper|container|module|btn|"
    r"col|row|grid|icon|logo|slider|block|section|post|entry|content|main|top|bottom)$"
)
_TEMPLATE_WORD = re.compile(
    r"^(?:banner|header|footer|sidebar|logo|widget|navbar|menu|slider|placeholder|ad|ads|advert)$"
)
_HTML_RESIDUE = (
    ("<", re.compile(r"<[a-z][a-z0-9]*[\s>/]")),
    ("&", re.compile(r"&(?:lt|gt|amp|nbsp);")),
    ("=", re.compile(r"\b(?:class|style|id|href|src|data-[a-z-]+)=[\"'”]")),
    ("{", re.compile(r"\{[^{}\n]{0,80}:[^{}\n]{0,80};[^{}\n]{0,80}\}")),
    # WordPress and page-builder shortcodes: [caption id=...], [button link=...], [vc_row]
    ("[", re.compile(r"\[(?:button|caption|embed|gallery|video|audio|tweet|youtube)\b[^\]\n]*\]")),
    ("[", re.compile(r"\[(?:vc|et_pb)_\w+[^\]\n]*\]")),
)
"""Tags, entities, attributes, inline CSS and shortcodes, each with a character all its matches
hold. Looking for the character (in C, under a microsecond) spares the pattern's scan in most
articles, and each pattern on its own opens with a literal that ``re`` jumps to; as one
alternation, one of whose branches opens with a word boundary, they cost 0.14 ms a text."""


def has_html_residue(text: str) -> bool:
    """Tags, entities, attributes, inline CSS or shortcodes anywhere in ``text``."""
    return any(mark in text and pattern.search(text) for mark, pattern in _HTML_RESIDUE)


@family.check("machine-identifier")
def machine_identifiers(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    # HTML residue in a line is HTML residue in the text: one search over the text spares
    # one per line in the articles that have none (nearly all)
    residue = has_html_residue(context.doc.text)
    for line in context.doc.lines:
        if is_machine_line(line.text, residue):
            start, end = line.trimmed()
            yield context.finding(rule, start, end)


def is_machine_line(text: str, residue: bool = True) -> bool:
    """Theme ids ("houzez-header-1"), lower-case "sitename banner" lines, HTML residue
    (looked for only if ``residue``: the text has some)."""
    stripped = text.strip()
    if not stripped:
        return False
    if residue and has_html_residue(stripped):
        return True
    tokens = stripped.split(maxsplit=7)  # more than six is enough to know
    if len(tokens) > 6:
        return False
    identifiers = sum(1 for token in tokens if _is_identifier(token.strip(".,;:|")))
    if identifiers and identifiers * 2 >= len(tokens):
        return True
    words = [token.lower() for token in tokens]
    return (
        len(tokens) <= 4
        and stripped == stripped.lower()
        and bool(_TEMPLATE_WORD.match(words[-1]))
        and all(word.isalnum() for word in words)
    )


def _is_identifier(token: str) -> bool:
    if not _IDENTIFIER.match(token):
        return False
    parts = re.split(r"[-_]", token)
    has_template_part = any(_TEMPLATE_PART.match(p) for p in parts)
    return (
        "_" in token or any(p.isdigit() for p in parts) or (has_template_part and len(parts) >= 3)
    )


@family.check("edge-fragment")
def edge_fragments(context: CheckContext, rule: Rule) -> Iterator[Finding]:
    """Short non-sentences between the top of the text and the first body paragraph."""
    doc = context.doc
    max_words = int(rule.option("max_words", 6))
    body_min_words = int(rule.option("body_min_words", 12))
    lines = doc.filled_lines
    body = [
        i
        for i, (line, words) in enumerate(lines)
        if words >= body_min_words and _TERMINAL.search(line.text)
    ]
    if not body:
        return
    first = body[0]
    title = next(
        (
            i
            for i, (line, _) in enumerate(lines[:first])
            if len(line.text.split()) >= 3 and not is_machine_line(line.text)
        ),
        None,
    )
    for index, (line, words) in enumerate(lines[:first]):
        if index == title:
            continue
        if 0 < words <= max_words and not _TERMINAL.search(line.text):
            if is_machine_line(line.text):
                continue  # BPL001 reports it
            start, end = line.trimmed()
            yield context.finding(rule, start, end)


# -- claimed origin ---------------------------------------------------------------------------


# whole-line patterns: RulePattern tries them at line starts only
_ATTRIBUTION = RulePattern.compile(
    [
        r"^[ \t]*(?:(?i:source|sources|via|origin)[ \t]*:"
        r"|(?i:originally (?:published|posted|appeared)"
        r"(?: (?:at|on|in|by))?|first (?:published|appeared) (?:at|on|in)|republished"
        r"(?: with permission)? from|reprinted(?: with permission)? from|courtesy of|"
        r"this (?:article|story|post) (?:was )?(?:originally |first )?(?:published|appeared)"
        r" (?:at|on|in|by))[ \t]*:?)[ \t]+(?P<origin>[^\n]{2,120}?)[ \t]*\.?[ \t]*$"
    ]
)
_LOST_LINK = RulePattern.compile(
    [
        r"^[ \t]*(?i:read the (?:original|full) (?:article|story)(?: here)?|(?:see|view) (?:the )?"
        r"original (?:article|story|post)(?: here)?)[ \t]*[.!:]?[ \t]*$"
    ]
)
_WIRE = (
    r"(?P<wire>AP|AFP|Reuters|Associated Press|Agence France-Presse|Bloomberg|Xinhua|UPI|dpa"
    r"|EFE|ANSA|Kyodo|PTI|IANS|Anadolu|TASS)"
)
_DATELINE = RulePattern.compile([r"^[ \t]*[A-Z][A-Za-z .,'-]{1,60}\(" + _WIRE + r"\)[ \t]*[-–—:]"])
_WIRE_CREDIT = RulePattern.compile(
    [
        r"^[ \t]*(?:[-–—][ \t]*)?(?:(?:Copyright|©)[ \t]*\d{0,4}[ \t]*)?"
        + _WIRE
        + r"(?:[ \t]*(?:contributed to this report|writers?|reporters?))?[ \t]*\.?[ \t]*$"
    ]
)


_ORIGIN_LINES = RuleFilter([_ATTRIBUTION, _DATELINE, _WIRE_CREDIT, _LOST_LINK])
"""One Hyperscan pass says which of the four may match a text: trying each at every line start
cost 16 µs an article, for lines that most articles do not have."""


@family.metrics
def origin_metrics(doc: Document) -> Metrics:
    """``claimed_origin``: who the text says it came from (a domain, a name or a wire)."""
    text, starts = doc.text, doc.line_starts
    found = {
        position: list(pattern.finditer(text, starts))
        for position, pattern, _ in _ORIGIN_LINES.scan(text)
    }
    attributions, datelines, wire_credits, lost_links = (found.get(i, []) for i in range(4))
    credited = [_origin_name(m.group("origin")) for m in attributions]
    wires = [m.group("wire") for m in (*datelines, *wire_credits)]
    origin = credited[0] if credited else (_wire_name(wires[0]) if wires else None)
    metrics: Metrics = {"claimed_origin": origin}
    if origin is None and lost_links:
        metrics["claimed_origin"] = "unnamed original (link lost)"
    if wires:
        metrics["wire_credits"] = sorted({_wire_name(w) for w in wires})
    return metrics


def _origin_name(text: str) -> str:
    text = text.strip().strip("()[]<>")
    if re.match(r"^(?:https?://|www\.)\S+$", text) or re.match(
        r"^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", text
    ):
        return resolve_source(None, text, None)
    return text


def _wire_name(wire: str) -> str:
    return {"AP": "Associated Press", "Agence France-Presse": "AFP"}.get(wire, wire)


# -- template lines (corpus check) ------------------------------------------------------------


def _fingerprint(text: str) -> int:
    normalised = " ".join(text.lower().split())
    return int.from_bytes(hashlib.blake2b(normalised.encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True, slots=True)
class _LineState(Pickled):
    source: str
    lines: tuple[tuple[int, int, int, int, int], ...]
    """(hash, start, end, line, column) of every candidate line."""
    story: tuple[int, ...]
    """Bottom-k hashes of the word 5-grams of the article's long middle lines: copies of one
    story share them however their extractors split or joined the lines."""


STORY_SKETCH = 16
STORY_SHINGLE = 5
STORY_MIN_CHARS = 40
SAME_STORY_SHARED = 4


@family.corpus_check("template-line")
class TemplateLines:
    """Lines that recur across distinct stories of one source. Keeps hashes, not text."""

    def __init__(self, rules: list[Rule], config: Config) -> None:
        (self.rule,) = rules
        self.min_articles = int(self.rule.option("min_articles", 3))
        self.min_chars = int(self.rule.option("min_chars", 8))
        self.articles: dict[str, _LineState] = {}

    def collect(self, context: CheckContext) -> _LineState:
        doc, article = context.doc, context.article
        candidates = []
        long_middle = []
        count = len(doc.lines)
        for index, line in enumerate(doc.lines):
            text = line.text.strip()
            if len(text) >= STORY_MIN_CHARS and count * 0.2 <= index <= count * 0.8:
                long_middle.append(line)
            if len(text) < self.min_chars or len(text.split()) > 40:
                continue
            start, end = line.trimmed()
            column = start - line.start + 1
            candidates.append((_fingerprint(text), start, end, index + 1, column))
        return _LineState(article.source, tuple(candidates), _story_sketch(doc, long_middle))

    def add(self, article_id: str, state: Any) -> None:
        self.articles[article_id] = state

    def finish(self) -> CorpusVerdict:
        by_source: dict[str, list[str]] = defaultdict(list)
        for article_id, state in self.articles.items():
            by_source[state.source].append(article_id)
        findings: dict[str, list[Finding]] = {}
        for source, ids in by_source.items():
            if len(ids) < self.min_articles:
                continue
            story_of = _stories(ids, self.articles)
            stories_with: dict[int, set[int]] = defaultdict(set)
            for article_id in ids:
                for digest, *_ in self.articles[article_id].lines:
                    stories_with[digest].add(story_of[article_id])
            for article_id in ids:
                for digest, start, end, line, column in self.articles[article_id].lines:
                    count = len(stories_with[digest])
                    if count >= self.min_articles:
                        findings.setdefault(article_id, []).append(
                            self._finding(start, end, line, column, count, source)
                        )
        return CorpusVerdict(findings=findings)

    def _finding(
        self, start: int, end: int, line: int, column: int, count: int, source: str
    ) -> Finding:
        # Only hashes were kept, so the evidence is empty; the span locates the line.
        return rule_finding(self.rule, start, end, line, column, "", articles=count, source=source)


def _story_sketch(doc: Document, lines: list[Span]) -> tuple[int, ...]:
    """The smallest word 5-gram hashes of the lines: two copies of a story share several."""
    shingles = []
    for first, last in doc.token_ranges(lines):
        if last - first >= STORY_SHINGLE:
            shingles.append(shingle_hashes(doc.token_hashes[first:last], STORY_SHINGLE))
    if not shingles:
        return ()
    return tuple(np.unique(np.concatenate(shingles))[:STORY_SKETCH].tolist())


def _stories(ids: list[str], states: Mapping[str, _LineState]) -> dict[str, int]:
    """Union articles whose story sketches overlap: copies of one story count once."""
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owners: dict[int, list[int]] = defaultdict(list)
    for index, article_id in enumerate(ids):
        for digest in states[article_id].story:
            owners[digest].append(index)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in owners.values():
        if len(members) > 50:  # a line this common is template, not story
            continue
        for a in members:
            for b in members:
                if a < b:
                    shared[(a, b)] += 1
    for (a, b), count in shared.items():
        if count >= SAME_STORY_SHARED:
            parent[root(a)] = root(b)
    return {article_id: root(i) for i, article_id in enumerate(ids)}
