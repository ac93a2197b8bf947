"""Stable 32-bit hashes of slices of a text, all computed in a few array operations.

Duplication and provenance compare articles by the hashes of their tokens. Hashing each token
with ``zlib.crc32`` costs a Python call per token (0.1-0.2 ms for a 5 KB article, even with
the hashes of tokens already seen kept in a table). A polynomial hash needs no call per token:
with prefix sums of the code points weighted by powers of the base, the hash of any slice is
two lookups, a subtraction and a multiplication, done for all tokens at once by numpy, whose
unsigned integers wrap modulo 2**64 as the hash needs.

The hash of a slice depends on its characters only, not on where it lies, so a token has the
same hash in every text and in every process (unlike ``hash()``), and :func:`string_hash` gives
it for one string in plain Python. The polynomial's low bits are weak (its lowest is the parity
of the code points' sum), so each value goes through a bijective mixer (MurmurHash3's
finaliser) and the top 32 bits are kept.
"""

from __future__ import annotations

import numpy as np

_MODULUS = 1 << 64
_BASE = 0x9E3779B97F4A7C15  # odd, so it has an inverse modulo 2**64
_INVERSE = pow(_BASE, -1, _MODULUS)
_MIX = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_SHIFT, _TOP = np.uint64(33), np.uint64(32)
KEPT_POWERS = 1 << 20
"""Powers of the base kept between texts: enough for texts of a million characters (16 MB);
a longer text computes its own."""


def string_hash(text: str) -> int:
    """The hash :func:`slice_hashes` gives a slice holding ``text``, one character at a time."""
    value = 0
    for char in text:
        value = (value * _BASE + ord(char)) % _MODULUS
    return _finish(value)


def _finish(value: int) -> int:
    for multiplier in _MIX:
        value ^= value >> 33
        value = (value * int(multiplier)) % _MODULUS
    value ^= value >> 33
    return value >> 32


def slice_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The hash of each slice ``codes[start:end]`` of a text's code points (uint64 values
    below 2**32). Slices must not be empty.

    With ``prefix[k] = sum(codes[m] * INVERSE**m for m < k)``, a slice's polynomial
    ``sum(codes[m] * BASE**(end - 1 - m))`` is ``(prefix[end] - prefix[start]) * BASE**(end - 1)``.
    """
    size = len(codes)
    powers, inverses = _powers(size + 1)
    prefix = np.zeros(size + 1, dtype=np.uint64)
    (codes * inverses[:size]).cumsum(out=prefix[1:])
    values = (prefix[ends] - prefix[starts]) * powers[ends - 1]
    for multiplier in _MIX:
        values ^= values >> _SHIFT
        values *= multiplier
    values ^= values >> _SHIFT
    result: np.ndarray = values >> _TOP
    return result


_kept: tuple[np.ndarray, np.ndarray] = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))


def _powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    """``BASE**k`` and ``INVERSE**k`` for k below ``count`` (at least)."""
    global _kept
    if count <= len(_kept[0]):
        return _kept
    if count > KEPT_POWERS:
        return _power_table(_BASE, count), _power_table(_INVERSE, count)
    size = min(max(count, 2 * len(_kept[0])), KEPT_POWERS)
    _kept = (_power_table(_BASE, size), _power_table(_INVERSE, size))
    return _kept


def _power_table(base: int, size: int) -> np.ndarray:
    table = np.full(size, base, dtype=np.uint64)
    table[0] = 1
    return np.cumprod(table, dtype=np.uint64)
