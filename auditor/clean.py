"""Cleaned text: the article with the lines and phrases that the boilerplate family flagged
taken out, because users want the article itself, not only a score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.config import Config
from auditor.model import Finding

_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
CLEANED_FAMILY = "boilerplate"


def remove_spans(text: str, findings: Iterable[Finding], family: str = CLEANED_FAMILY) -> str:
    """``text`` without the spans of the family's findings.

    A finding that covers a whole line takes the line and its line break with it; one that
    covers part of a line (a credit glued onto a sentence) takes only its span.
    """
    spans = []
    for finding in findings:
        if finding.family != family or finding.end <= finding.start:
            continue
        start, end = finding.start, finding.end
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        if not text[line_start:start].strip() and not text[end:line_end].strip():
            start, end = line_start, min(line_end + 1, len(text))
        spans.append((start, end))
    if not spans:
        return text
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start > position:
            pieces.append(text[position:start])
        position = max(position, end)
    pieces.append(text[position:])
    return _BLANK_RUNS.sub("\n\n", "".join(pieces)).strip("\n")


MAX_PASSES = 3
"""Removing a credit glued to a line can leave a remainder that is furniture itself
("realtybizideas banner Embed from Getty Images"); stripping repeats until nothing is flagged,
a few passes at most."""


def strip_boilerplate(text: str, config: Config | None = None) -> str:
    """The article without the page furniture that the boilerplate rules find in it."""
    from auditor.api import audit

    base = config or Config()
    cleaning = base.with_overrides(select=("BPL", "LNG"), ignore=(), extend_select=())
    for _ in range(MAX_PASSES):
        cleaned = remove_spans(text, audit(text, config=cleaning).findings)
        if cleaned == text:
            break
        text = cleaned
    return text
