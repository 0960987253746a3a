"""Hours demanded of an applicant: 每年累计不少于90学时, 其中专业科目不少于60学时.

Hours are read apart from the counted achievements because the same
number-and-unit means different things by its sentence: continuing
education (继续教育, 公需科目, 培训) is a ``course`` requirement, a teaching
load (总课时不低于180学时) is ``other``, and anything else (24小时 service, a
meeting's length) is no demand at all. Only minimums count (不少于, 累计,
以上 …): a bare 3小时 states a duration, not a threshold. An hour minimum
whose sentence names neither is half-recognised and becomes a warning.
"""

from __future__ import annotations

import functools

import regex

from pipeline import lexicon
from pipeline.extract.context import Context
from pipeline.extract.numbers import NUMBER, parse_number
from pipeline.patterns import CN_DIGITS, CN_UNITS

_HOURS = regex.compile(
    rf"(?=[\d{CN_DIGITS}{CN_UNITS}不至累达满])(?P<pre>不少于|不低于|不得少于|至少|累计|达到|满)?[^\S\n]*(?P<n>{NUMBER})[^\S\n]*(?P<unit>学时|课时|小时)[^\S\n]*(?P<up>及以上|以上)?"
)


@functools.cache
def _contexts() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    """(kind, sentence words) in order: the first whose words occur in the sentence decides."""
    return tuple((h["kind"], regex.compile(h["pattern"])) for h in lexicon.load("requirements")["hours"])


def hours_kind(sentence: str) -> str | None:
    """``course`` for continuing education, ``other`` for a teaching load, None for neither."""
    return next((k for k, p in _contexts() if p.search(sentence)), None)


def hour_counts(ctx: Context) -> list[tuple[regex.Match[str], str]]:
    """(match, kind) for every minimum of hours a sentence demands."""
    out = []
    for m in _HOURS.finditer(ctx.text):
        if not (m.group("pre") or m.group("up")):
            continue
        n = parse_number(m.group("n"))
        if n is None or n <= 0:
            continue
        s, e = ctx.sentence_bounds(m.start(), m.end())
        sentence = ctx.text[s:e]
        kind = hours_kind(sentence)
        if kind is None:
            ctx.warn(
                f"hours without continuing education or teaching named at {m.start()}-{m.end()}: {sentence}"
            )
            continue
        out.append((m, kind))
    return out
