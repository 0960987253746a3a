"""Numbers as notices print them: 5, 两, 二十, 一百二十, 5万.

The one place where a printed count becomes a number, so every extractor
agrees on what ``两项`` or ``满二十年`` means. Chinese numerals themselves are
read by ``patterns.cn_to_int``, which clause labels share.
"""

from __future__ import annotations

import regex

from pipeline.patterns import CN_NUMERAL, cn_to_int

# a count as printed: arabic digits (with decimals) or Chinese numerals up to the thousands
NUMBER = rf"(?:\d+(?:\.\d+)?|{CN_NUMERAL}{{1,6}})"
_ARABIC = regex.compile(r"\d+(?:\.\d+)?")
# what a 万/千/亿 after a number multiplies it by
_SCALE = {"万": 10_000, "千": 1_000, "亿": 100_000_000}


def parse_number(s: str) -> float | None:
    """A printed count to a number: '5' → 5, '两' → 2, '二十' → 20, '2.5' → 2.5."""
    s = s.strip()
    if _ARABIC.fullmatch(s):
        f = float(s)
        return int(f) if f.is_integer() else f
    return cn_to_int(s)


def scaled(value: float, unit: str | None) -> int:
    """Apply a 万/千 multiplier: (5, '万') → 50000."""
    return round(value * _SCALE.get(unit or "", 1))
