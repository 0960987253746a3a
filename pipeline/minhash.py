"""MinHash signatures and LSH bands of character 3-grams, in numpy alone.

The duplicate pass (``pipeline.duplicates``) used datasketch: its ``MinHash`` hashed each
3-gram in a Python loop (5 ms a record, most of the pass), and its ``MinHashLSH`` imports
scipy (0.6 s at every run whose set of records changed) only to choose its bands. This module
computes exactly the values datasketch 2's ``MinHash(num_perm, seed, scheme="affine32",
hashfunc=zlib.crc32)`` computes and the buckets ``MinHashLSH(threshold=0.5, num_perm=64)``
puts them in (``tests/test_minhash.py`` checks both against datasketch), so signatures kept in a
folder's cache and the links made from them stay what they were:

- each 3-gram's CRC-32 is computed for all of them at once: CRC-32 is affine over GF(2), so
  the CRC of an ``L``-byte string is ``crc(0^L)`` XOR one table entry per byte position;
- datasketch's ``affine32`` scheme: the MurmurHash3 finalizer, then ``a·h + b mod 2³²`` for
  each of the ``num_perm`` permutations (``a``, ``b`` drawn from ``RandomState(seed)``), and
  the minimum over the 3-grams;
- LSH: 14 bands of 4 values (what datasketch's parameter search gives for threshold 0.5 and 64
  permutations); two signatures are candidates when any band is equal.
"""

from __future__ import annotations

import functools
import zlib
from typing import Any

import numpy as np

SHINGLE = 3
_MAX_BYTES = 4 * SHINGLE  # a 3-gram's UTF-8 length: 3 to 12 bytes
_CHUNK = 8192  # 3-grams permuted at a time: bounded memory for a 300-page text
BANDS, ROWS = 14, 4  # MinHashLSH(threshold=0.5, num_perm=64): its b and r


@functools.cache
def _crc_tables() -> tuple[Any, Any]:
    """``table[L, j, v]``: what byte ``v`` at position ``j`` of an ``L``-byte string XORs into its
    CRC-32 beyond ``crc(0^L)`` (zero past the string's end); ``zero[L]`` is ``crc(0^L)``."""
    # the CRC is affine, so a byte's entry is the XOR of its bits' entries: 8 CRCs per position
    zero = np.array([zlib.crc32(bytes(n)) for n in range(_MAX_BYTES + 1)], dtype=np.uint32)
    basis = np.zeros((_MAX_BYTES + 1, _MAX_BYTES, 8), dtype=np.uint32)
    for length in range(1, _MAX_BYTES + 1):
        for j in range(length):
            for k in range(8):
                buf = bytearray(length)
                buf[j] = 1 << k
                basis[length, j, k] = zlib.crc32(buf) ^ zero[length]
    bits = (np.arange(256)[:, None] >> np.arange(8)) & 1  # (value, bit)
    table = np.bitwise_xor.reduce(np.where(bits.astype(bool), basis[:, :, None, :], np.uint32(0)), axis=3)
    return table.reshape(-1), zero


def shingle_hashes(text: str) -> Any:
    """CRC-32 of the UTF-8 bytes of every character 3-gram of ``text`` (white space left out: a
    PDF's line breaks, a page's spacing), repeats included (they do not change a minimum)."""
    text = "".join(text.split())
    if len(text) < SHINGLE:  # one 3-gram, shorter than three characters (or empty)
        return np.array([zlib.crc32(text.encode("utf-8"))], dtype=np.uint32)
    data = text.encode("utf-8")
    raw = np.frombuffer(data, dtype=np.uint8)
    starts = np.flatnonzero((raw & 0xC0) != 0x80)  # where each character's bytes begin
    ends = np.append(starts[SHINGLE:], len(data))
    begin = starts[: len(starts) - SHINGLE + 1]
    lengths = ends - begin
    padded = np.concatenate([raw, np.zeros(_MAX_BYTES, dtype=np.uint8)]).astype(np.intp)
    table, zero = _crc_tables()
    crc = zero[lengths].copy()
    row = lengths * (_MAX_BYTES * 256)
    for j in range(_MAX_BYTES):
        crc ^= table[row + (j * 256) + padded[begin + j]]
    return crc


@functools.cache
def _permutations(num_perm: int, seed: int) -> tuple[Any, Any]:
    """datasketch's ``affine32`` parameters: odd ``a`` and any ``b``, from ``RandomState(seed)``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: Any) -> Any:
    """The MurmurHash3 finalizer, which datasketch applies to each input hash before permuting."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash(hashes: Any, num_perm: int, seed: int = 1) -> Any:
    """The MinHash values (uint32, one per permutation) of a non-empty set of 32-bit hashes."""
    a, b = _permutations(num_perm, seed)
    mixed = _fmix32(np.asarray(hashes, dtype=np.uint32))
    out = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    for i in range(0, len(mixed), _CHUNK):
        part = mixed[i : i + _CHUNK, None] * a + b  # wraps modulo 2³², as datasketch means it to
        np.minimum(out, part.min(axis=0), out=out)
    return out


def bands(raw: bytes) -> list[bytes]:
    """The LSH keys of a signature given as the bytes of its little-endian uint32 values: one key
    per band of ``ROWS`` values (values past the last band are not used, as in datasketch)."""
    width = 4 * ROWS
    return [raw[i * width : (i + 1) * width] for i in range(BANDS)]
