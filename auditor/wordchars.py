"""Which characters of a text are word characters (``re``'s ``\\w``), for the whole text at once.

Words and tokens were found with ``re`` (``split`` and ``findall``), which tests each
character's Unicode category in turn and builds one object per match: about 0.6 ms an article
between the two. Here the text becomes an array of code points and one table lookup marks its
word characters; where words start and end is then a few array operations, and the tokens are
what ``str.split`` returns once every other character is a space. Each character beyond ASCII
is asked of ``re`` itself, once in a process (those of the Basic Multilingual Plane all at
once), so ``\\w`` means exactly what it means in the patterns these views replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import numpy as np

from auditor.memo import Memo

ASCII = "".join(map(chr, range(128)))


# The tables below stand in for a one-character pattern on ASCII text; each is built from the
# pattern itself, so the two cannot drift apart.


def _ascii_matching(pattern: str) -> str:
    """The ASCII characters that a one-character ``pattern`` matches."""
    compiled = re.compile(pattern)
    return "".join(c for c in ASCII if compiled.fullmatch(c))


def ascii_marks(pattern: str, matched: bytes, other: bytes) -> bytes:
    """A ``bytes.translate`` table that turns each ASCII byte ``pattern`` matches into
    ``matched`` and every other byte into ``other`` (one byte each): one C pass over the text,
    where indexing a table with numpy costs twice as much."""
    hits = _ascii_matching(pattern)
    return b"".join(matched if c in hits else other for c in ASCII) + other * 128


def ascii_translation(pattern: str, replacement: str = "") -> Callable[[str], str]:
    """A function that deletes from a text each ASCII character ``pattern`` matches, or turns
    it into ``replacement`` (one ASCII character), and leaves every other character as it is.
    It translates the text's UTF-8 bytes with a table of 256 (a character beyond ASCII is made
    only of bytes beyond it): ``str.translate`` looks each distinct character up in a dict on
    every call, which costs a microsecond on a paragraph, eight times what the bytes take."""
    matched = _ascii_matching(pattern).encode("ascii")
    table, deleted = (
        (bytes.maketrans(matched, replacement.encode("ascii") * len(matched)), b"")
        if replacement
        else (None, matched)
    )

    def translate(text: str) -> str:
        data = text.encode("utf-8", "surrogatepass").translate(table, deleted)
        return data.decode("utf-8", "surrogatepass")

    return translate


_WORD_CHARACTER = re.compile(r"\w")
_ASCII_WORD_BYTES = ascii_marks(r"\w", b"\x01", b"\x00")
SEEN_CHARACTERS = 50_000
"""Characters beyond the Basic Multilingual Plane whose class is kept at hand; past this many
the table starts again."""
_IS_WORD: Memo[int, bool] = Memo(
    lambda code: bool(_WORD_CHARACTER.match(chr(code))), SEEN_CHARACTERS
)
_PLANE = 0x10000


@cache
def _plane_words() -> np.ndarray:
    """Whether ``re``'s ``\\w`` matches each character of the Basic Multilingual Plane, asked of
    ``re`` itself: 10 ms, once in a process that meets a text beyond ASCII. One lookup per
    character then classes a text in a third of the time sorting out its distinct characters
    took."""
    matched = bytes(_WORD_CHARACTER.match(chr(code)) is not None for code in range(_PLANE))
    return np.frombuffer(matched, dtype=np.bool_)


def code_points(text: str) -> np.ndarray:
    """The text's code points: bytes when it is ASCII (most English news once folded)."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def word_characters(codes: np.ndarray) -> np.ndarray:
    """A boolean per code point: is it matched by ``\\w``."""
    if codes.dtype == np.uint8:
        return np.frombuffer(codes.tobytes().translate(_ASCII_WORD_BYTES), dtype=np.bool_)
    table = _plane_words()
    if codes.max() < _PLANE:
        words: np.ndarray = table[codes]
        return words
    beyond = codes >= _PLANE
    mask = table[np.where(beyond, 0, codes)]  # code 0 is not a word character
    outside = codes[beyond].tolist()
    mask[beyond] = np.fromiter(map(_IS_WORD.__getitem__, outside), bool, count=len(outside))
    return mask


def word_bounds(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the matches of ``\\w+(?:['’\\-]\\w+)*``: runs of word characters,
    joined into one word by a single apostrophe or hyphen between two of them."""
    codes = code_points(text)
    if not len(codes):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    # Padded with a False at each end, so that a character's neighbours are slices (the one
    # before is ``padded[:-2]``, the one after ``padded[2:]``), not new concatenated arrays.
    word = _padded(word_characters(codes))
    joiner = (codes == ord("'")) | (codes == ord("-"))
    if codes.dtype != np.uint8:
        joiner |= codes == ord("’")
    bridge = _padded(joiner & word[:-2] & word[2:])
    inner = word[1:-1]
    starts = (inner & ~word[:-2] & ~bridge[:-2]).nonzero()[0]
    ends = (inner & ~word[2:] & ~bridge[2:]).nonzero()[0] + 1
    return starts, ends


def run_bounds(word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the runs of word characters (the matches of ``\\w+``), from a text's
    :func:`word_characters`: where the padded mask changes, a run starts or ends."""
    padded = _padded(word)
    edges = (padded[1:] != padded[:-1]).nonzero()[0]
    return edges[0::2], edges[1::2]


def _padded(mask: np.ndarray) -> np.ndarray:
    """``mask`` with a False before and after it. Filling a new array costs a third of what
    ``np.diff`` with ``prepend`` and ``append``, or ``np.concatenate``, costs on a short
    article, where such fixed costs are most of the time."""
    padded = np.zeros(len(mask) + 2, dtype=bool)
    padded[1:-1] = mask
    return padded


def word_runs(codes: np.ndarray, word: np.ndarray) -> str:
    """The text's runs of word characters as ``str.split`` would give them, kept in its lines:
    each other character becomes a space but a line break, which stays, and each run of spaces
    one space. Its ``split()`` is then the runs (``re.findall(r"\\w+", text)``), and its lines,
    stripped of spaces, are the text's lines' runs joined by single spaces.

    ``codes`` and ``word`` are the text's :func:`code_points` and :func:`word_characters`. The
    spaces are collapsed with one mask over the whole text: splitting each line and joining
    its runs makes a string for every run (2.5x slower)."""
    kept = np.where(word | (codes == ord("\n")), codes, ord(" ")).astype(codes.dtype, copy=False)
    space = kept == ord(" ")
    first = np.ones(len(kept), dtype=bool)
    np.logical_not(space[1:] & space[:-1], out=first[1:])  # the first space of a run stays
    runs = kept[first].tobytes()
    return runs.decode("ascii") if codes.dtype == np.uint8 else runs.decode("utf-32-le")
