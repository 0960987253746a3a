"""The criteria vocabulary (pipeline/lexicon/criteria.toml) as compiled patterns and small readers.

Kept apart from the tree builder so the quantifier phrases can be table-tested
on their own: a phrase → (op, min) is the one thing an analyst tunes most.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import regex

from pipeline import lexicon
from pipeline.patterns import P

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(word: str) -> int | None:
    """一 → 1, 十二 → 12, 3 → 3; None for what is not a small number."""
    if word.isdigit():
        return int(word)
    if len(word) == 1:
        return _CN.get(word)
    if len(word) == 2 and word[0] == "十":
        return 10 + _CN.get(word[1], 0)
    if len(word) == 2 and word[1] == "十":
        return _CN.get(word[0], 0) * 10 or None
    if len(word) == 3 and word[1] == "十":
        return _CN.get(word[0], 0) * 10 + _CN.get(word[2], 0)
    return None


@functools.cache
def data() -> dict[str, Any]:
    return lexicon.load("criteria")


@functools.cache
def compiled(section: str, key: str = "pattern") -> regex.Pattern[str]:
    return regex.compile(data()[section][key])


@dataclass(frozen=True)
class Quantifier:
    op: str
    min: int
    span: tuple[int, int]


@functools.cache
def _quantifiers() -> tuple[tuple[str, int | None, regex.Pattern[str]], ...]:
    return tuple((q["op"], q.get("min"), regex.compile(q["pattern"])) for q in data()["quantifier"])


def quantifier(text: str) -> Quantifier | None:
    """How many of the items below a sentence asks for: 之一 → any 1, 两项以上 → any 2, 不得申报 → none."""
    for op, fixed, pattern in _quantifiers():
        m = pattern.search(text)
        if not m:
            continue
        n = fixed
        if n is None:
            word = next((m.group(g) for g in ("n", "n2") if g in pattern.groupindex and m.group(g)), None)
            n = cn_number(word) if word else None
        if op == "any" and not n:
            continue
        return Quantifier(op, n or 1 if op == "any" else 0, (m.start(), m.end()))
    return None


@functools.cache
def _list(section: str, key: str) -> tuple[tuple[str, regex.Pattern[str], dict[str, Any]], ...]:
    return tuple((e[key], regex.compile(e["pattern"]), e) for e in data()[section])


def tags(text: str) -> list[tuple[str, bool, tuple[int, int]]]:
    """(tag, always, span) of every text-condition tag the sentence matches, in vocabulary order."""
    out = []
    for tag, pattern, entry in _list("tag", "tag"):
        m = pattern.search(text)
        if m:
            out.append((tag, bool(entry.get("always")), (m.start(), m.end())))
    return out


def statuses(text: str) -> list[str]:
    """Status words the text names, in the order they stand."""
    found = []
    for status, pattern, _ in _list("status", "status"):
        m = pattern.search(text)
        if m:
            found.append((m.start(), status))
    return [s for _, s in sorted(found)]


def route_of(heading: str, text: str) -> tuple[str, str | None] | None:
    """(route, entry status) a section heading names; None for a section of the regular route."""
    for route, pattern, entry in _list("route", "route"):
        if pattern.search(heading) or pattern.search(text[:60]):
            status = entry.get("status") or None
            cond = entry.get("status_if")
            if status and cond and not P(cond).search(heading):
                status = None
            return route, status
    return None


def is_info_heading(heading: str) -> bool:
    return bool(compiled("info", "heading").search(heading))


def is_info_sentence(text: str) -> bool:
    return bool(compiled("info", "sentence").search(text))


def is_conditions_heading(heading: str) -> bool:
    return bool(compiled("conditions", "heading").search(heading))


@functools.cache
def _degrees() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple((d["key"], regex.compile(d["pattern"])) for d in lexicon.load("degrees")["degree"])


def degrees(text: str) -> list[tuple[str, int, int]]:
    """(degree key, start, end) of each degree word, earlier vocabulary entries masking later ones."""
    taken: list[tuple[int, int]] = []
    out = []
    for key, pattern in _degrees():
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((key, m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


def degree_set(text: str, upward: bool = False) -> list[str]:
    """The degree words that qualify under a phrase: 本科及以上 → bachelor and every degree above it."""
    found = [d for d in degrees(text) if d[0] != "below_required"]
    if not found:
        return []
    ladder: list[str] = data()["degree"]["ladder"]
    up = compiled("degree", "upward")
    out: list[str] = []
    for key, _, end in found:
        if key not in ladder:
            continue
        if upward or up.match(text, end):
            out.extend(ladder[ladder.index(key) :])
        else:
            out.append(key)
            if key == "master":
                out.append("master_professional")
    return sorted(set(out), key=ladder.index)


@functools.cache
def _kinds() -> tuple[tuple[str, str | None, regex.Pattern[str]], ...]:
    req = lexicon.load("requirements")
    base = [
        (k["kind"], k.get("subtype"), regex.compile(k["pattern"]))
        for k in req["kind"]
        if k["kind"] != "other"
    ]
    extra = [(k["kind"], None, regex.compile(k["pattern"])) for k in data()["implied_kind"]]
    return tuple(extra + base)


def implied_kind(text: str) -> tuple[str, str | None] | None:
    """The achievement kind an item names without a count (获得省级科学技术二等奖 → award)."""
    if not compiled("implied", "cue").search(text):
        return None
    return named_kind(text)


def named_kind(text: str) -> tuple[str, str | None] | None:
    """The first achievement kind a phrase names, without asking for a verb (授权发明专利 → patent)."""
    for kind, subtype, pattern in _kinds():
        if pattern.search(text):
            if kind == "paper" and subtype is None:
                core = P(lexicon.load("requirements")["paper"]["core"]).search(text)
                subtype = "core" if core else "general"
            return kind, subtype
    return None


@functools.cache
def _levels() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple((lv["level"], regex.compile(lv["pattern"])) for lv in lexicon.load("requirements")["level"])


def upward_after(text: str, degree: str) -> bool:
    """Whether the text says 及以上 right after the given degree's word (本科及以上学历)."""
    up = compiled("degree", "upward")
    return any(key == degree and up.match(text, end) for key, _, end in degrees(text))


def upward_from(degree: str) -> list[str]:
    ladder: list[str] = data()["degree"]["ladder"]
    return ladder[ladder.index(degree) :] if degree in ladder else [degree]


def level(text: str) -> str | None:
    """The first level word of the phrase (省级 → provincial)."""
    best: tuple[int, str] | None = None
    for lv, pattern in _levels():
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), lv)
    return best[1] if best else None
