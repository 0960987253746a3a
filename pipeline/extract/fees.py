"""Fees: an amount in yuan in a sentence about charges, with what it pays for.

``评审及面试答辩、论文鉴定收费合计500元/人`` → 500 CNY per person covering
评审, 面试答辩, 论文鉴定. Amounts in 万元 (sales, funding) are thresholds,
never fees. Amounts are integer yuan, never floats (``_whole_yuan``).
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import regex

from pipeline import lexicon
from pipeline.extract.context import Context
from pipeline.patterns import (
    CELL_MAX,
    CELL_SEP,
    SENTENCE,
    P,
    cells,
    grade_level,
    line_end,
    line_start,
    lines_above,
    part_start,
)
from pipeline.types import Fee

_AMOUNT = regex.compile(r"(?P<n>\d+(?:\.\d+)?)\s*元(?P<per>\s*(?:/|每)\s*(?:人|人次|件|份))?")
_FEE_CONTEXT = regex.compile(r"费|收取|缴纳|交纳|缴费|收费")
_PER_PERSON = regex.compile(r"每人|人员须?缴|/人")
# what bounds the words naming a fee in a sentence: commas and colons (收费标准：评审费300元)
_FEE_PHRASE_DELIMS = "，,；;：:"
# a pipe row's header is within this many lines above it; a flattened table's, within this many
_HEADER_LINES = 6
_FLAT_HEADER_LINES = 16
# a flattened table's cells above an amount, up to its header: at most this many
_FLAT_CELLS = 8
# how far after an amount its fee word (收费) or per-person word (/人) may stand
_FEE_WORD_AFTER = 6
_PER_PERSON_AFTER = 3
# a price per person (每人每科60元, 60元/人): a fee by its own wording, in a schedule that names
# the item only (监理工程师职业资格考试(主观题)每人每科64元) — unless it pays the person
_PRICE_BEFORE = regex.compile(r"每人(?:每科|每次|每门)?\s*$")
_PRICE_WINDOW = 6
_NOT_A_CHARGE = regex.compile(r"奖励|奖金|补助|补贴|资助|津贴|工资|薪酬|报酬|经费")
# 分别调整为每人150元和80元: the later amounts of one 分别 list share the first one's terms
_AND_ANOTHER = regex.compile(r"^\s*(?:和|、|及|与|或)\s*$")
# a fee table's amount column: 元 in its header cell (收费标准（元/人）), not 万元; bare numbers below
_YUAN_HEADER = regex.compile(r"元")
_NOT_YUAN_HEADER = regex.compile(r"\d|万元|千元")
_BARE_AMOUNT = regex.compile(r"\d+(?:\.\d+)?")
# the fee words that make a 元 column a fee column stand on its line or this far above it
_TABLE_CAPTION = 200


def _table_context(text: str, lo: int, hi: int, at: int) -> tuple[str, str | None]:
    """What a table row says about the amount at ``at``: its column header and row level,
    or, in a table flattened one cell per line, the cells just above it."""
    line = text[lo:hi]
    row = cells(line)
    level = next((c for c in row if grade_level().fullmatch(c)), None)
    if len(row) >= 2:
        lead = len(line) - len(line.lstrip(" |"))
        col = len(CELL_SEP.findall(line[lead : at - lo]))
        for a, b in itertools.islice(lines_above(text, lo), _HEADER_LINES):
            prev = text[a:b]
            head = cells(prev)
            if len(head) == len(row) and not _AMOUNT.search(prev):
                return head[col] if col < len(head) else "", level or (
                    row[0] if grade_level().search(row[0]) else None
                )
        return line, level
    # one cell per line: the short lines above, back to the table's header (评审费), name the fee;
    # the nearest level cell (高级) is the row's level
    above: list[str] = []
    for a, b in itertools.islice(lines_above(text, lo), _FLAT_HEADER_LINES):
        cell = text[a:b].strip()
        if not cell:
            continue
        if len(cell) > CELL_MAX:
            break
        above.insert(0, cell)
        seen = " ".join(above)
        if (_FEE_CONTEXT.search(seen) and (grade_level().search(seen) or _AMOUNT.search(seen))) or len(
            above
        ) >= _FLAT_CELLS:
            break
    if above and len(line.strip()) <= CELL_MAX:
        level = level or next((c for c in reversed(above) if grade_level().search(c)), None)
        header = [c for c in above if not _AMOUNT.search(c)]
        return " ".join([*header, line]), grade_level().search(level).group(0) if level else None
    return line, level


def _whole_yuan(printed: str) -> int | None:
    """A printed amount as integer yuan (500, 500.00 → 500); None for jiao and fen (12.5).

    Money is never a float: a fee is whole yuan in every notice seen, and an amount that is
    not cannot be stated in the record's integer yuan, so it is reported, not rounded.
    """
    value = Decimal(printed)
    return int(value) if value == value.to_integral_value() else None


def _column_fees(ctx: Context) -> list[Fee]:
    """A fee table whose amount column says 元 in its header (| 级别 | 收费标准(元/人) |) and whose
    rows print bare numbers (| 正高级 | 500 |): one fee per row."""
    text = ctx.text
    out: list[Fee] = []
    if "元" not in text or ("|" not in text and "\t" not in text):
        return out  # no table rows, or no amounts: most notices
    header: list[str] | None = None
    col = -1
    for lm in P(r"[^\n]+").finditer(text):
        start, line = lm.start(), lm.group(0)
        row = cells(line) if CELL_SEP.search(line) else []
        if len(row) < 2:
            header = None
            continue
        yuan = [i for i, c in enumerate(row) if _YUAN_HEADER.search(c) and not _NOT_YUAN_HEADER.search(c)]
        if yuan and _FEE_CONTEXT.search(text, max(0, start - _TABLE_CAPTION), lm.end()):
            header, col = row, yuan[0]
            continue
        if header is None or len(row) != len(header) or not _BARE_AMOUNT.fullmatch(row[col]):
            continue
        amount = _whole_yuan(row[col])
        if not amount:
            if amount is None:
                ctx.warn(f"fee amount not in whole yuan, not read: {row[col]}")
            continue
        offset = start + _cell_offset(line, col)
        others = " ".join(c for i, c in enumerate(row) if i != col)
        words = P(lexicon.alternation("fees", "covers")).finditer(others + " " + " ".join(header))
        covers = tuple(dict.fromkeys(c.group(0) for c in words))
        lv = grade_level().search(others)
        per = "person" if "人" in header[col] or any(c in {"人", "人次", "每人"} for c in row) else None
        ev = ctx.evidence((offset, offset + len(row[col])))
        out.append(Fee(ev, amount, "CNY", per, covers, lv.group(0) if lv else None))
    return out


def _cell_offset(line: str, col: int) -> int:
    """Offset in ``line`` of the text of cell ``col`` (as ``cells`` splits it)."""
    pos = len(line) - len(line.lstrip(" |"))
    for _ in range(col):
        sep = CELL_SEP.search(line, pos)
        if sep is None:
            break
        pos = sep.end()
    while pos < len(line) and line[pos] in " |":
        pos += 1
    return pos


def _nearest_level(text: str, lo: int, prev: int, at: int, piece: str) -> str | None:
    """正高级600元/人，副高级500元/人: the level named nearest before this amount, after the last
    amount (高、中级…分别…150元和80元 names no one level for the second amount)."""
    own = [m.group(0) for m in grade_level().finditer(text, max(lo, prev), at)]
    if own:
        return own[-1]
    lv = grade_level().search(piece) if prev == lo else None
    return lv.group(0) if lv else None


def _is_price(text: str, lo: int, hi: int, m: regex.Match[str]) -> bool:
    """每人每科60元 / 60元/人: an amount priced per person, in a sentence that pays no one."""
    per = bool(m.group("per") and "人" in m.group("per"))
    before = _PRICE_BEFORE.search(text, max(lo, m.start() - _PRICE_WINDOW), m.start())
    return (per or bool(before)) and not _NOT_A_CHARGE.search(text, lo, hi)


def extract_fees(ctx: Context) -> list[Fee]:
    text = ctx.text
    out: list[Fee] = []
    for sm in SENTENCE.finditer(text):
        lo, hi = sm.span()
        in_table = not _FEE_CONTEXT.search(sm.group(0))
        if in_table and not _AMOUNT.search(sm.group(0)):
            continue
        line_lo, line_hi = line_start(text, lo), line_end(text, hi)
        prev = lo
        for m in _AMOUNT.finditer(text, lo, hi):
            if text[max(lo, m.start() - 1) : m.start()] in {"万", "千"}:
                continue
            level = None
            priced = _is_price(text, lo, hi, m)
            if in_table:
                # a row of a fee table: the column header or the cells above say what it pays for
                piece, level = _table_context(text, line_lo, line_hi, m.start())
                if not _FEE_CONTEXT.search(piece) and not priced:
                    continue
            else:
                piece_start = max(prev, part_start(text, lo, m.start(), _FEE_PHRASE_DELIMS))
                piece = text[piece_start : m.start()]
                if not _FEE_CONTEXT.search(piece) and not _FEE_CONTEXT.search(
                    text[m.end() : m.end() + _FEE_WORD_AFTER]
                ):
                    piece = text[lo : m.start()]
                    if not _FEE_CONTEXT.search(piece):
                        continue
            covers = tuple(
                dict.fromkeys(c.group(0) for c in P(lexicon.alternation("fees", "covers")).finditer(piece))
            )
            per_person = bool(m.group("per") and "人" in m.group("per")) or bool(
                _PER_PERSON.search(piece + text[m.end() : m.end() + _PER_PERSON_AFTER])
            )
            if out and not in_table and _AND_ANOTHER.match(text[prev : m.start()]) and prev > lo:
                covers, per_person = out[-1].covers, out[-1].per == "person"
            amount = _whole_yuan(m.group("n"))
            if amount is None:
                ctx.warn(f"fee amount not in whole yuan, not read: {m.group(0).strip()}")
                prev = m.end()
                continue
            row_level = level or _nearest_level(text, lo, prev, m.start(), piece)
            out.append(
                Fee(
                    ctx.evidence(m.span()), amount, "CNY", "person" if per_person else None, covers, row_level
                )
            )
            prev = m.end()
    return out + _column_fees(ctx)
