"""One article's text with the views every rule needs, each computed once and only on demand.

Rules never split text themselves: they read spans from here, so that every finding's offsets
refer to the same original string and no family pays for a split another family already made.
All splitting is done in linear time, with regular expressions or array operations on the
text's code points (:mod:`auditor.wordchars`), so a hostile 10 MB article costs time in
proportion to its length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

import numpy as np

from auditor.matching import fold
from auditor.records import fast_init
from auditor.runhash import slice_hashes
from auditor.wordchars import code_points, run_bounds, word_bounds, word_characters, word_runs


@fast_init
@dataclass(frozen=True, slots=True)
class Span:
    """A slice of the original text: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str

    def trimmed(self) -> tuple[int, int]:
        """(start, end) without the span's leading and trailing white space."""
        text = self.text
        return (
            self.start + len(text) - len(text.lstrip()),
            self.end - len(text) + len(text.rstrip()),
        )


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt capt gov sen rep rev hon pres supt jan feb mar
    apr jun jul aug sep sept oct nov dec inc ltd corp co no vs etc al approx fig est dept
    univ mt ft e.g i.e u.s u.k u.n u.s.a a.m p.m""".split()
)
# A sentence ends at terminal punctuation (plus closing quotes/brackets) followed by white space,
# or at a line break; not at a period that closes an abbreviation or an initial.
_TERMINAL = "[.!?…]"
_CLOSERS = r"[.!?…]*+[\"'”’)\]]*+"
"""What an end takes after its first mark. Possessive, so that a line of 300,000 dots costs
one pass."""


def _not_after_abbreviation() -> str:
    """Negative lookbehinds, one per token length (each must have a fixed width), for a period
    that closes a run of word characters and periods equal to an abbreviation in any case.
    ASCII case folding is what ``str.lower`` does to these tokens, but for the Kelvin sign."""
    by_length: dict[int, list[str]] = {}
    for token in sorted(_ABBREVIATIONS):
        by_length.setdefault(len(token), []).append(re.escape(token).replace("k", "[k\u212a]"))
    return "".join(rf"(?<!(?<![\w.])(?ai:{'|'.join(same)})\.)" for same in by_length.values())


_PERIOD_END = re.compile(
    rf"\.(?={_CLOSERS}\s)(?<!{_TERMINAL}\.){_not_after_abbreviation()}{_CLOSERS}"
)
"""A period that ends a sentence, unless it closes an initial. It opens with the period and
reads the white space ahead before the abbreviations behind, so ``re`` jumps from period to
period and tests the lookbehinds only at the few that end a sentence."""
_OTHER_ENDS = {
    mark: re.compile(rf"{re.escape(mark)}(?<!{_TERMINAL}{re.escape(mark)}){_CLOSERS}(?=\s)")
    for mark in "!?…"
}
"""One pattern for each other terminal mark, tried only in a text that holds it: a pattern
that opens with a character class is tried at every character (3x slower than the period's
search, which skips to the next period)."""
_INITIAL_PERIOD = re.compile(r"\.(?<=(?<![\w.])[^\W\d_]\.)")
"""Periods after a single letter; an initial when it is a capital."""
_QUOTE_MARK = re.compile(r"[“”\"«»]")
_CLOSING = {"“": "”", "«": "»", '"': '"'}


T = TypeVar("T")


class _view(Generic[T]):
    """``functools.cached_property`` without its lock: before Python 3.12 it takes a lock on
    every first read of a view (0.5 µs, about sixteen times an article). A Document is read
    by one thread, and a view computed twice by two would be the same."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, document: None, owner: type) -> _view[T]: ...
    @overload
    def __get__(self, document: Document, owner: type) -> T: ...
    def __get__(self, document: Document | None, owner: type) -> _view[T] | T:
        if document is None:
            return self
        value = document.__dict__[self._name] = self._compute(document)
        return value


class Document:
    """Text plus lazily computed, offset-carrying views: lines, paragraphs, sentences, words."""

    __slots__ = ("__dict__", "text")

    def __init__(self, text: str) -> None:
        self.text = text

    @_view
    def folded(self) -> str:
        """Lower-cased text with unified quotes, the same length as ``text``, for phrase packs."""
        return fold(self.text)

    @_view
    def line_starts(self) -> list[int]:
        """Offset of each of ``lines``: one split of the text serves both."""
        return [line.start for line in self.lines]

    @_view
    def lines(self) -> list[Span]:
        """Every line, without its newline; blank lines included so indices match line numbers.
        One ``str.split`` makes every line's text; each starts one past the previous line's end."""
        spans = []
        start = 0
        for line in self.text.split("\n"):
            end = start + len(line)
            spans.append(Span(start, end, line))
            start = end + 1
        return spans

    @_view
    def paragraphs(self) -> list[Span]:
        """Blocks separated by blank lines, stripped of surrounding white space."""
        text = self.text
        edges = [0]  # each paragraph's start and end, between the breaks' spans
        for gap in _PARAGRAPH_BREAK.finditer(text):
            edges.extend(gap.span())
        edges.append(len(text))
        return _stripped_spans(text, zip(edges[::2], edges[1::2], strict=True))

    @_view
    def sentences(self) -> list[Span]:
        """Sentences, split at terminal punctuation and line breaks, not after abbreviations."""
        text = self.text
        ends = _sentence_ends(text, self.line_starts)
        return _stripped_spans(text, zip([0, *ends], [*ends, len(text)], strict=True))

    @_view
    def _word_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return word_bounds(self.text)

    @_view
    def words(self) -> list[str]:
        text = self.text
        starts, ends = self._word_bounds
        return [text[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]

    @property
    def word_count(self) -> int:
        return len(self._word_bounds[0])

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def words_in(self, span: Span) -> int:
        """Number of words inside a span, by binary search over the word offsets."""
        starts = self.word_starts
        return bisect.bisect_left(starts, span.end) - bisect.bisect_left(starts, span.start)

    @_view
    def sentence_words(self) -> list[int]:
        """Words in each of ``sentences``: three families ask for every sentence's count."""
        return self._words_in_each(self.sentences)

    @_view
    def line_words(self) -> list[int]:
        """Words in each of ``lines``."""
        return self._words_in_each(self.lines)

    @_view
    def filled_lines(self) -> list[tuple[Span, int]]:
        """The lines that hold more than white space, each with its word count."""
        lines, words = self.lines, self.line_words
        return [(lines[i], words[i]) for i in self._filled]

    @_view
    def _filled(self) -> list[int]:
        """Indices of the lines that hold more than white space: ``filled_lines`` and their
        forms are both cut by it."""
        return [i for i, line in enumerate(self.lines) if line.text.strip()]

    def _words_in_each(self, spans: list[Span]) -> list[int]:
        first, last = _inside(self._word_bounds[0], spans)
        counts: list[int] = (last - first).tolist()
        return counts

    @_view
    def filled_line_forms(self) -> list[str]:
        """Each of ``filled_lines`` as its ``tokens`` joined by single spaces: the form in
        which duplication compares lines."""
        forms = self._word_runs.split("\n")
        return [forms[i].strip(" ") for i in self._filled]

    @_view
    def quote_spans(self) -> list[tuple[int, int]]:
        """(start, end) of every direct quotation, quote marks included, in text order.

        A quotation opens with “, « or " and closes with the matching mark on the same line.
        Only the lines that hold an opening mark are scanned (``in`` finds one with
        ``memchr``, where a pattern of several marks is tried at every character), each once,
        so a line of 100,000 opening quotes costs one pass.
        """
        spans = []
        for line in self.lines:
            text = line.text
            if '"' not in text and "“" not in text and "«" not in text:
                continue
            opened: tuple[int, str] | None = None
            for mark in _QUOTE_MARK.finditer(text):
                char, position = mark.group(), line.start + mark.start()
                if opened is not None and char == _CLOSING[opened[1]]:
                    spans.append((opened[0], position + 1))
                    opened = None
                elif opened is None and char in _CLOSING:
                    opened = (position, char)
        return spans

    def in_quote(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a direct quotation (the speaker's words)."""
        spans = self.quote_spans
        index = bisect.bisect_right(spans, (offset, len(self.text) + 1)) - 1
        return index >= 0 and spans[index][0] <= offset < spans[index][1]

    @_view
    def tokens(self) -> list[str]:
        """Runs of word characters of the folded text: the units of hashing and alignment,
        finer than ``words`` ("open-air" is two), so a swap inside a compound is one token."""
        return self._word_runs.split()

    @_view
    def _word_runs(self) -> str:
        """The folded text's runs of word characters, in its lines
        (:func:`auditor.wordchars.word_runs`): ``tokens`` and the line forms both read it."""
        return word_runs(self._folded_codes, self._folded_word)

    @_view
    def _folded_codes(self) -> np.ndarray:
        return code_points(self.folded)

    @_view
    def _folded_word(self) -> np.ndarray:
        """Which of the folded text's characters are word characters: the tokens' bounds and
        the word runs both read it."""
        return word_characters(self._folded_codes)

    @_view
    def _token_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return run_bounds(self._folded_word)

    @_view
    def token_spans(self) -> list[tuple[int, int]]:
        """(start, end) of each of ``tokens`` in the text."""
        starts, ends = self._token_bounds
        return list(zip(starts.tolist(), ends.tolist(), strict=True))

    def token_ranges(self, spans: list[Span]) -> list[tuple[int, int]]:
        """Indices (first, past the last) of the ``tokens`` that start inside each span."""
        first, last = _inside(self._token_bounds[0], spans)
        return list(zip(first.tolist(), last.tolist(), strict=True))

    @_view
    def token_hashes(self) -> np.ndarray:
        """A 32-bit hash of each of ``tokens`` (:func:`auditor.runhash.string_hash`), as
        uint64 so that shingles combine them without overflow checks.

        Stable across processes and runs (unlike ``hash()``), so signatures computed in
        workers and saved in indexes agree; shared by the duplication and provenance checks.
        Computed from the folded text's code points for all tokens at once, without making
        the token strings.
        """
        starts, ends = self._token_bounds
        return slice_hashes(self._folded_codes, starts, ends)

    @_view
    def word_starts(self) -> list[int]:
        """Offset of each of ``words``."""
        starts: list[int] = self._word_bounds[0].tolist()
        return starts


def _inside(starts: np.ndarray, spans: list[Span]) -> tuple[np.ndarray, np.ndarray]:
    """For each span, the index of the first of the sorted ``starts`` inside it, and of the
    first past its end: one binary search per span in C."""
    first = starts.searchsorted([span.start for span in spans])
    return first, starts.searchsorted([span.end for span in spans])


def _stripped_spans(text: str, bounds: Iterable[tuple[int, int]]) -> list[Span]:
    """The spans of ``text`` between each (start, end) of ``bounds``, without their leading and
    trailing white space; those that hold nothing else are left out."""
    spans = []
    for start, end in bounds:
        piece = text[start:end]
        kept = piece.strip()
        if kept:
            first = start + piece.find(kept)  # kept opens with the first non-space character
            spans.append(Span(first, first + len(kept), kept))
    return spans


def _sentence_ends(text: str, line_starts: list[int]) -> list[int]:
    """Where each sentence but the last ends, in order: after the marks that end it, or after
    a line break (where each line but the first starts).

    "U.S." ends a sentence when a capitalised sentence start follows and the token is the
    country; we cannot tell, and splitting inside "the U.S. Army" is the worse error."""
    initials = {
        match.start()
        for match in _INITIAL_PERIOD.finditer(text)
        if text[match.start() - 1].isupper()
    }
    ends = [match.end() for match in _PERIOD_END.finditer(text) if match.start() not in initials]
    for mark, pattern in _OTHER_ENDS.items():
        if mark in text:
            ends.extend(match.end() for match in pattern.finditer(text))
    ends.extend(line_starts[1:])
    ends.sort()
    return ends
