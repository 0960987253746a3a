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
            if in_table:
                # a row of a fee table: the column header or the cells above say what it pays for
                piece, level = _table_context(text, line_lo, line_hi, m.start())
                if not _FEE_CONTEXT.search(piece):
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
    return out
