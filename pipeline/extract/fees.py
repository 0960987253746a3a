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


@functools.cache
def _covers() -> regex.Pattern[str]:
    words = lexicon.load("fees")["covers"]
    return regex.compile("|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)))


def extract_fees(ctx: Context) -> list[Fee]:
    text = ctx.text
    out: list[Fee] = []
    for sm in regex.finditer(r"[^。；;\n]+", text):
        lo, hi = sm.span()
        if not _FEE_CONTEXT.search(sm.group(0)):
            continue
        prev = lo
        for m in _AMOUNT.finditer(text, lo, hi):
            if text[max(lo, m.start() - 1) : m.start()] in {"万", "千"}:
                continue
            piece_start = max(prev, max(text.rfind(c, lo, m.start()) for c in "，,；;：:") + 1)
            piece = text[piece_start : m.start()]
            if not _FEE_CONTEXT.search(piece) and not _FEE_CONTEXT.search(text[m.end() : m.end() + 6]):
                piece = text[lo : m.start()]
                if not _FEE_CONTEXT.search(piece):
                    continue
            covers = tuple(dict.fromkeys(c.group(0) for c in _covers().finditer(piece)))
            per_person = bool(m.group("per") and "人" in m.group("per")) or bool(
                regex.search(r"每人|人员须?缴|/人", piece + text[m.end() : m.end() + 3])
            )
            value = float(m.group("n"))
            amount = int(value) if value.is_integer() else value
            out.append(Fee(ctx.evidence(m.span()), amount, "CNY", "person" if per_person else None, covers))
            prev = m.end()
    return out
