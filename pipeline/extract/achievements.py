"""What a phrase around a printed count names: the kind of achievement and its issuing level.

Vocabulary lives in ``lexicon/requirements.toml``; this module turns it into
the two questions ``requirements`` asks of every phrase. Kinds are tried in
the order listed there (first listed wins: 发明专利 beats 专利), each entry
may restrict the measure words it is counted in (统计资料 in 本, a 方案 never
in 篇); levels take the lowest government level named, because any named
level qualifies (国家级、省部级 → provincial).
"""

from __future__ import annotations

import functools

import regex

from pipeline import lexicon
from pipeline.extract.hours import hours_kind

Kind = tuple[str, str | None]

_ASSESSMENT = regex.compile(r"考核|优秀|合格")
# what can be counted in 次 besides assessments (公开课3次, 展览2次, 审计项目5次, 表彰1次)
_COUNTED_IN_TIMES = {"other", "award", "course", "honor", "project"}
_GOVERNMENT = ("national", "provincial", "municipal")


@functools.cache
def _entries() -> tuple[tuple[str, str | None, regex.Pattern[str], frozenset[str] | None], ...]:
    """(kind, subtype, pattern, measure words it may be counted in or None for any), in priority order."""
    return tuple(
        (
            k["kind"],
            k.get("subtype"),
            regex.compile(k["pattern"]),
            frozenset(k["units"]) if "units" in k else None,
        )
        for k in lexicon.load("requirements")["kind"]
    )


@functools.cache
def absorbing() -> regex.Pattern[str]:
    """Words whose count is one demand whatever else is listed with them (the 新技术 family)."""
    return regex.compile(
        "|".join(k["pattern"] for k in lexicon.load("requirements")["kind"] if k.get("absorbs"))
    )


@functools.cache
def any_kind() -> regex.Pattern[str]:
    """Every kind pattern in one alternation, each in its own group: one scan finds them all."""
    return regex.compile("|".join(f"(?P<k{i}>{e[2].pattern})" for i, e in enumerate(_entries())))


def _present(phrase: str) -> list[int]:
    """Indexes (= priority order) of the kinds whose words occur in ``phrase``."""
    found: set[int] = set()
    for m in any_kind().finditer(phrase, overlapped=True):  # 技术创新中心 holds 创新中心 too
        found.add(int((m.lastgroup or "k0")[1:]))
    return sorted(found)


def kind_of(phrase: str, unit: str, sentence: str) -> Kind | None:
    """The kind of a count: its phrase's achievement words, first listed wins. A count of 次 is an
    assessment unless the phrase names something else (公开课3次); a count of 篇 in a sentence
    about papers is a paper (其中至少1篇北大核心); 门 is continuing education or a teaching load."""
    if unit == "次" and (_ASSESSMENT.search(phrase) or _ASSESSMENT.search(sentence)):
        return "assessment", None
    if unit in ("门", "门次"):
        # 1门公共科目 is continuing education; 讲授课程2门次 is a teaching load
        return hours_kind(sentence or phrase) or "course", None
    entries = _entries()
    for i in _present(phrase):
        kind, subtype, _, units = entries[i]
        if units is not None and unit not in units:
            continue
        if kind == "report" and unit == "篇" and "论文" in phrase:
            continue
        if unit == "次" and kind not in _COUNTED_IN_TIMES:
            continue
        return kind, subtype
    if unit == "篇" and sentence and "论文" in sentence:
        return "paper", None
    return None


@functools.cache
def _levels() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple((lv["level"], regex.compile(lv["pattern"])) for lv in lexicon.load("requirements")["level"])


@functools.cache
def core_paper() -> regex.Pattern[str]:
    """What makes a paper ``core`` (核心, SCI, 学报 …)."""
    return regex.compile(lexicon.load("requirements")["paper"]["core"])


def level(phrase: str) -> str | None:
    """The lowest government level the phrase names, since any named level qualifies (省级以上…、
    国家… and 1项国家级、省部级 are provincial); else the first other level word by position."""
    found = [(m.start(), lv) for lv, p in _levels() for m in [p.search(phrase)] if m]
    government = [lv for _, lv in found if lv in _GOVERNMENT]
    if government:
        return max(government, key=_GOVERNMENT.index)
    return min(found)[1] if found else None


def nearest_level(before: str) -> str | None:
    """The level word closest before: 获市级优秀设计奖…(大、中型企业优秀设计奖1项以上或优秀工程奖2项)."""
    found = [(m.end(), lv) for lv, p in _levels() for m in p.finditer(before)]
    return max(found)[1] if found else None
