"""Numbers as notices print them: 5, 两, 二十, 一百二十, 5万.

The one place where a printed count becomes a number, so every extractor
agrees on what ``两项`` or ``满二十年`` means.
"""

from __future__ import annotations

import regex

_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT = {"十": 10, "百": 100, "千": 1000}

# a count as printed: arabic digits (with decimals) or Chinese numerals up to the thousands
NUMBER = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]{1,6})"
_ARABIC = regex.compile(r"\d+(?:\.\d+)?")


def cn_to_int(s: str) -> int | None:
    """Chinese numeral to int; None when ``s`` is not one."""
    if not s:
        return None
    total = 0
    current = 0
    seen = False
    for ch in s:
        if ch in _DIGIT:
            current = _DIGIT[ch]
            seen = True
        elif ch in _UNIT:
            total += (current or 1) * _UNIT[ch]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def parse_number(s: str) -> float | None:
    """A printed count to a number: '5' → 5, '两' → 2, '二十' → 20, '2.5' → 2.5."""
    s = s.strip()
    if _ARABIC.fullmatch(s):
        f = float(s)
        return int(f) if f.is_integer() else f
    return cn_to_int(s)


def scaled(value: float, unit: str | None) -> int:
    """Apply a 万/千 multiplier: (5, '万') → 50000."""
    factor = {"万": 10_000, "千": 1_000, "亿": 100_000_000}.get(unit or "", 1)
    return round(value * factor)
