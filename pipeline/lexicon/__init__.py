"""Vocabulary as data: the TOML files beside this module, read once and cached.

An analyst can add a degree word, a requirement keyword or a noise
substitution by editing a commented TOML file, without reading Python.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

import regex


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The parsed ``<name>.toml`` of this package."""
    data = resources.files(__package__).joinpath(f"{name}.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


@functools.cache
def substitutions() -> tuple[tuple[regex.Pattern[str], str], ...]:
    """(pattern, replacement) pairs that repair noise; each replacement keeps the length."""
    out = []
    for item in load("substitutions")["substitution"]:
        pattern = regex.compile(item["pattern"])
        out.append((pattern, item["replace"]))
    return tuple(out)


@functools.cache
def alternation(name: str, key: str) -> str:
    """A regex alternation of a word list, longest first so that 第二学士学位 wins over 学士学位."""
    words = load(name)[key]
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))
