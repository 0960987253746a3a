"""Fees: an amount in yuan in a sentence about charges, with what it pays for.

``评审及面试答辩、论文鉴定收费合计500元/人`` → 500 CNY per person covering
评审, 面试答辩, 论文鉴定. Amounts in 万元 (sales, funding) are thresholds,
never fees.
"""

from __future__ import annotations

import functools

import regex

from pipeline import lexicon
from pipeline.extract.context import Context
from pipeline.types import Fee

_AMOUNT = regex.compile(r"(?P<n>\d+(?:\.\d+)?)\s*元(?P<per>\s*(?:/|每)\s*(?:人|人次|件|份))?")
_FEE_CONTEXT = regex.compile(r"费|收取|缴纳|交纳|缴费|收费")
_PER_PERSON = regex.compile(r"每人|人员须?缴|/人")
_SENTENCE = regex.compile(r"[^。；;\n]+")
_CELL_SEP = regex.compile(r"\s*\|\s*|\t+")
_LEVEL = regex.compile(r"正高级|副高级|高级|中级|初级|员级|助理级")
_CELL_MAX = 20
# a price per person (每人每科60元, 60元/人): a fee by its own wording, in a schedule that names
# the item only (监理工程师职业资格考试(主观题)每人每科64元) — unless it pays the person
_PRICE_BEFORE = regex.compile(r"每人(?:每科|每次|每门)?\s*$")
_NOT_A_CHARGE = regex.compile(r"奖励|奖金|补助|补贴|资助|津贴|工资|薪酬|报酬|经费")
# 分别调整为每人150元和80元: the later amounts of one 分别 list share the first one's terms
_AND_ANOTHER = regex.compile(r"^\s*(?:和|、|及|与|或)\s*$")


@functools.cache
def _covers() -> regex.Pattern[str]:
    words = lexicon.load("fees")["covers"]
    return regex.compile("|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)))


def _cells(line: str) -> list[str]:
    """A table row's cells: split on | or tabs; a line without them is one cell."""
    parts = _CELL_SEP.split(line.strip().strip("|"))
    return [p.strip() for p in parts]


def _table_context(text: str, lo: int, hi: int, at: int) -> tuple[str, str | None]:
    """What a table row says about the amount at ``at``: its column header and row level,
    or, in a table flattened one cell per line, the cells just above it."""
    line = text[lo:hi]
    cells = _cells(line)
    level = next((c for c in cells if _LEVEL.fullmatch(c)), None)
    if len(cells) >= 2:
        lead = len(line) - len(line.lstrip(" |"))
        col = len(_CELL_SEP.findall(line[lead : at - lo]))
        for prev in reversed(text[: max(0, lo - 1)].split("\n")[-6:]):
            head = _cells(prev)
            if len(head) == len(cells) and not _AMOUNT.search(prev):
                return head[col] if col < len(head) else "", level or (
                    cells[0] if _LEVEL.search(cells[0]) else None
                )
        return line, level
    # one cell per line: the short lines above, back to the table's header (评审费), name the fee;
    # the nearest level cell (高级) is the row's level
    above: list[str] = []
    for prev in reversed(text[: max(0, lo - 1)].split("\n")[-16:]):
        cell = prev.strip()
        if not cell:
            continue
        if len(cell) > _CELL_MAX:
            break
        above.insert(0, cell)
        seen = " ".join(above)
        if (_FEE_CONTEXT.search(seen) and (_LEVEL.search(seen) or _AMOUNT.search(seen))) or len(above) >= 8:
            break
    if above and len(line.strip()) <= _CELL_MAX:
        level = level or next((c for c in reversed(above) if _LEVEL.search(c)), None)
        header = [c for c in above if not _AMOUNT.search(c)]
        return " ".join([*header, line]), _LEVEL.search(level).group(0) if level else None
    return line, level


_BARE_AMOUNT = regex.compile(r"\d+(?:\.\d+)?")
_YUAN_HEADER = regex.compile(r"元")


def _column_fees(ctx: Context) -> list[Fee]:
    """A fee table whose amount column says 元 in its header (| 级别 | 收费标准(元/人) |) and whose
    rows print bare numbers (| 正高级 | 500 |): one fee per row."""
    text = ctx.text
    out: list[Fee] = []
    lines = [(m.start(), m.group(0)) for m in regex.finditer(r"[^\n]+", text)]
    header: list[str] | None = None
    col = -1
    for start, line in lines:
        cells = _cells(line) if _CELL_SEP.search(line) else []
        if len(cells) < 2:
            header = None
            continue
        yuan = [
            i for i, c in enumerate(cells) if _YUAN_HEADER.search(c) and not regex.search(r"\d|万元|千元", c)
        ]
        if yuan and _FEE_CONTEXT.search(line + (text[max(0, start - 200) : start])):
            header, col = cells, yuan[0]
            continue
        if header is None or len(cells) != len(header) or not _BARE_AMOUNT.fullmatch(cells[col]):
            continue
        value = float(cells[col])
        if value <= 0:
            continue
        offset = start + _cell_offset(line, col)
        span = (offset, offset + len(cells[col]))
        row = " ".join(c for i, c in enumerate(cells) if i != col)
        covers = tuple(dict.fromkeys(c.group(0) for c in _covers().finditer(row + " " + " ".join(header))))
        lv = _LEVEL.search(row)
        per = "person" if "人" in header[col] or any(c in {"人", "人次", "每人"} for c in cells) else None
        amount = int(value) if value.is_integer() else value
        out.append(Fee(ctx.evidence(span), amount, "CNY", per, covers, lv.group(0) if lv else None))
    return out


def _cell_offset(line: str, col: int) -> int:
    """Offset in ``line`` of the text of cell ``col`` (as ``_cells`` splits it)."""
    lead = len(line) - len(line.lstrip(" |"))
    pos = lead
    for _ in range(col):
        sep = _CELL_SEP.search(line, pos)
        if sep is None:
            break
        pos = sep.end()
    while pos < len(line) and line[pos] in " |":
        pos += 1
    return pos


def _is_price(text: str, lo: int, hi: int, m: regex.Match[str]) -> bool:
    """每人每科60元 / 60元/人: an amount priced per person, in a sentence that pays no one."""
    per = bool(m.group("per") and "人" in m.group("per"))
    return (per or bool(_PRICE_BEFORE.search(text, max(lo, m.start() - 6), m.start()))) and not (
        _NOT_A_CHARGE.search(text, lo, hi)
    )


def extract_fees(ctx: Context) -> list[Fee]:
    text = ctx.text
    out: list[Fee] = []
    for sm in _SENTENCE.finditer(text):
        lo, hi = sm.span()
        in_table = not _FEE_CONTEXT.search(sm.group(0))
        if in_table and not _AMOUNT.search(sm.group(0)):
            continue
        line_lo = text.rfind("\n", 0, lo) + 1
        line_hi = text.find("\n", hi)
        line_hi = len(text) if line_hi < 0 else line_hi
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
                piece_start = max(prev, max(text.rfind(c, lo, m.start()) for c in "，,；;：:") + 1)
                piece = text[piece_start : m.start()]
                if not _FEE_CONTEXT.search(piece) and not _FEE_CONTEXT.search(text[m.end() : m.end() + 6]):
                    piece = text[lo : m.start()]
                    if not _FEE_CONTEXT.search(piece):
                        continue
            covers = tuple(dict.fromkeys(c.group(0) for c in _covers().finditer(piece)))
            per_person = bool(m.group("per") and "人" in m.group("per")) or bool(
                _PER_PERSON.search(piece + text[m.end() : m.end() + 3])
            )
            if out and not in_table and _AND_ANOTHER.match(text[prev : m.start()]) and prev > lo:
                covers, per_person = out[-1].covers, out[-1].per == "person"
            value = float(m.group("n"))
            amount = int(value) if value.is_integer() else value
            lv = _LEVEL.search(piece)
            row_level = level or (lv.group(0) if lv else None)
            out.append(
                Fee(
                    ctx.evidence(m.span()), amount, "CNY", "person" if per_person else None, covers, row_level
                )
            )
            prev = m.end()
    return out + _column_fees(ctx)
