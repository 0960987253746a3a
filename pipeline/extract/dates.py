"""Dates as notices print them, resolved against the notice's own year.

``10月9日至10月12日`` in a 2024 notice is 2024-10-09..2024-10-12. A date
with a printed weekday (``3月20日(星期三)``) takes the year, next to the
reference, in which that weekday is right. The clock is never read.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass

import regex

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

# one date: [YYYY年]M月D日 | [YYYY年]M月底/末 | YYYY年底/末 | YYYY年M月 (no day: not a deadline date)
DATE = (
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?"
    r"(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*[日号]|(?P<me>底|末))|(?P<ye>底|末))"
    r"(?:\s*[（(]\s*(?:星期|周)(?P<w>[一二三四五六日天])\s*[）)])?"
)
_DATE = regex.compile(DATE)
# every dash a page prints between the two ends of a window (hyphen, en/em/figure/horizontal bar,
# full-width and small hyphen-minus, wave dashes)
_RANGE_SEP = r"\s*(?:至|到|──|——|[—–－\-~～―‐‑‒〜﹣⁓∼])\s*"
_SEP = regex.compile(_RANGE_SEP)
# a second date in a window may omit the month: 9月29日至30日
_DAY_ONLY = regex.compile(r"(?P<d2>\d{1,2})\s*[日号]")
# 8月23-29日: two days of one month sharing the 日
_DAY_RANGE = regex.compile(
    rf"(?:(?P<y>(?:19|20)\d{{2}})\s*年\s*)?(?P<m>\d{{1,2}})\s*月\s*(?P<d1>\d{{1,2}})(?={_RANGE_SEP}\d{{1,2}}\s*[日号])"
    rf"(?P<sep>{_RANGE_SEP})(?P<d2>\d{{1,2}})\s*[日号]"
)
# 2022.8.23, 2022-08-23, 2022/8/23: a date in figures only (one separator style throughout)
_NUMERIC = regex.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<s>[.\-/])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d.])"
)


def iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    year: int | None  # printed year
    month: int | None
    day: int | None  # None for 月底 / 年底: last day
    weekday: int | None
    numeric: bool = False  # printed in figures only (2022-08-23): a web page's stamp unless in a window

    def resolve(self, ref_year: int | None) -> str | None:
        y = self.year
        if y is None:
            if ref_year is None:
                return None
            y = ref_year
            if self.weekday is not None and self.month and self.day:
                for cand in (ref_year, ref_year + 1, ref_year - 1):
                    try:
                        if _dt.date(cand, self.month, self.day).weekday() == self.weekday:
                            y = cand
                            break
                    except ValueError:
                        continue
        if self.month is None:
            return iso(y, 12, 31)
        day = self.day or calendar.monthrange(y, self.month)[1]
        return iso(y, self.month, day)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateHit]:
    out = []
    for m in _DATE.finditer(text, start, end if end is not None else len(text)):
        if m.group("ye") and not m.group("y"):
            continue  # a bare 底 is not a date
        y = int(m.group("y")) if m.group("y") else None
        mo = int(m.group("m")) if m.group("m") else None
        d = int(m.group("d")) if m.group("d") else None
        if (mo is not None and not 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
            continue
        w = _WEEKDAY.get(m.group("w")) if m.group("w") else None
        out.append(DateHit(m.start(), m.end(), y, mo, d, w))
    out.extend(_day_ranges(text, start, end))
    out.extend(_numeric_dates(text, start, end))
    return sorted(out, key=lambda h: h.start)


def _day_ranges(text: str, start: int, end: int | None) -> list[DateHit]:
    """8月23-29日 as two hits, 8月23 and 29日, with the separator between them."""
    out = []
    for m in _DAY_RANGE.finditer(text, start, end if end is not None else len(text)):
        y = int(m.group("y")) if m.group("y") else None
        mo, d1, d2 = int(m.group("m")), int(m.group("d1")), int(m.group("d2"))
        if not (1 <= mo <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31):
            continue
        out.append(DateHit(m.start(), m.end("d1"), y, mo, d1, None))
        out.append(DateHit(m.start("d2"), m.end(), y, mo, d2, None))
    return out


def _numeric_dates(text: str, start: int, end: int | None) -> list[DateHit]:
    out = []
    for m in _NUMERIC.finditer(text, start, end if end is not None else len(text)):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if iso(y, mo, d) is None:
            continue
        out.append(DateHit(m.start(), m.end(), y, mo, d, None, numeric=True))
    return out


def day_after(text: str, pos: int) -> regex.Match[str] | None:
    """A bare day right after a window separator: the 30日 of 9月29日至30日."""
    sep = _SEP.match(text, pos)
    if not sep:
        return None
    return _DAY_ONLY.match(text, sep.end())


def is_range_sep(text: str, a_end: int, b_start: int) -> bool:
    return b_start - a_end <= 8 and bool(_SEP.fullmatch(text, a_end, b_start))
