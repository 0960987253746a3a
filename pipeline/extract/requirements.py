"""Counted thresholds: 发明专利1项以上, 论文3篇以上, 考核合格不低于5次.

Only printed counts make an entry. Each count is read with the phrase around
it (bounded by ，；。 and 或): the achievement words of the phrase decide the
kind (``lexicon/requirements.toml``, first listed wins), the level words the
level, and the clause headings above it the group.
"""

from __future__ import annotations

import bisect
import functools

import regex

from pipeline import lexicon
from pipeline.extract.context import Context
from pipeline.extract.numbers import NUMBER, parse_number, scaled
from pipeline.patterns import CN_DIGITS, CN_UNITS, PHRASE_DELIMS, part_end, part_start
from pipeline.types import Clause, Requirement

_COUNT = regex.compile(
    rf"(?=[\d{CN_DIGITS}{CN_UNITS}不至累总合共])(?P<pre>不少于|不低于|至少|累计|总计|合计|共)?\s*有?\s*(?P<n>{NUMBER})\s*(?P<unit>项|篇|部|次|门|件|本|个(?!工作日|月|自然日|小时|人|方面))\s*(?P<up>及以上|以上|或以上)?"
)
# before the number: a range (1-8项), a substitution (可替代1篇), an ordinal (第1)
_NOT_COUNT_BEFORE = regex.compile(r"(?:[-—~～至到]|替代|代替|视同|折算|抵|第|前|选取|确定|提交|提供)\s*$")
_WORDS = regex.compile(rf"(?P<n>{NUMBER})\s*万\s*字|(?P<n2>\d+)\s*字")
_AMOUNT = regex.compile(rf"(?P<n>{NUMBER})\s*(?P<scale>万|千|亿)?\s*元")
_RANK = regex.compile(r"(?:排名|排序|排)?前\s*(?P<n>\d{1,2})\s*(?:名|位)?")
_VERB_BEFORE = regex.compile(r"(?:出版|发表|获得|获|完成|主持|参加|参与|编制|撰写|取得|承担)\s*过?\s*$")
_LIST_SEP = regex.compile(r"、|或|和|及")
_TOTALS = ("合计", "总计", "累计", "共")
# things listed with 、 right before a combined count (实用新型、软件著作权合计3项): one demand each;
# a list closed by 等, or without 合计, names examples of one demand
_LIST_BEFORE = regex.compile(
    r"(?P<items>(?:[^、，,；;。或和及等]{2,15}、)+[^、，,；;。或和及等]{2,15})(?:合计|总计|累计|共)\s*$"
)
_ASSESSMENT = regex.compile(r"考核|优秀|合格")
# what can be counted in 次 besides assessments (公开课3次, 讲座2次)
_COUNTED_IN_TIMES = {"other", "award", "course"}

_PARENTHETICAL = regex.compile(r"[（(][^（()）]*[)）]")
_UNDERTAKES = regex.compile(r"(?:主持|承担)(?:完成)?\s*$|主持完成")
_GROUP_EXCEPTIONAL = regex.compile(r"破格")
# a clause heading and the start of its text say whether its counts are the 破格 route's
_GROUP_HEAD = 120


@functools.cache
def _kinds() -> tuple[tuple[str, str | None, regex.Pattern[str]], ...]:
    return tuple(
        (k["kind"], k.get("subtype"), regex.compile(k["pattern"]))
        for k in lexicon.load("requirements")["kind"]
    )


@functools.cache
def _any_kind() -> regex.Pattern[str]:
    """Every kind pattern in one alternation, each in its own group: one scan finds them all."""
    return regex.compile("|".join(f"(?P<k{i}>{p.pattern})" for i, (_, _, p) in enumerate(_kinds())))


def _kinds_present(phrase: str) -> list[int]:
    """Indexes (= priority order) of the kinds whose words occur in ``phrase``."""
    found: set[int] = set()
    for m in _any_kind().finditer(phrase):
        found.add(int((m.lastgroup or "k0")[1:]))
    return sorted(found)


@functools.cache
def _levels() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple((lv["level"], regex.compile(lv["pattern"])) for lv in lexicon.load("requirements")["level"])


@functools.cache
def _core() -> regex.Pattern[str]:
    return regex.compile(lexicon.load("requirements")["paper"]["core"])


def _phrase(
    text: str, start: int, end: int, lo: int, hi: int, prev_end: int, next_start: int
) -> tuple[int, int]:
    """The words that go with one count: back to a delimiter or the previous count, on to the next."""
    a = max(part_start(text, lo, start, PHRASE_DELIMS), prev_end)
    b = part_end(text, end, hi, PHRASE_DELIMS)
    return a, min(b, next_start)


def _kind(phrase: str, unit: str, sentence: str) -> tuple[str, str | None] | None:
    """The kind of a count: its phrase's achievement words, first listed wins. A count of 次 is an
    assessment unless the phrase names something else (公开课3次); a count of 篇 in a sentence
    about papers is a paper (其中至少1篇北大核心)."""
    if unit == "次" and (_ASSESSMENT.search(phrase) or _ASSESSMENT.search(sentence)):
        return "assessment", None
    if unit == "门":
        return "course", None
    kinds = _kinds()
    for i in _kinds_present(phrase):
        kind, subtype, _ = kinds[i]
        if kind == "report" and unit == "篇" and "论文" in phrase:
            continue
        if unit == "次" and kind not in _COUNTED_IN_TIMES:
            continue
        return kind, subtype
    if unit == "篇" and sentence and "论文" in sentence:
        return "paper", None
    return None


def _group(ctx: Context, clause: Clause | None) -> str | None:
    if clause is None:
        return None
    chain = ctx.index.ancestors(clause)
    for c in chain:
        own = (c.heading or "") + c.text[:_GROUP_HEAD]
        if _GROUP_EXCEPTIONAL.search(own):
            return "破格"
    for c in chain:
        if c.heading:
            return c.heading
    return None


# how far before a count a range, substitution or ordinal word may stand (1-8项, 可替代1篇, 第1)
_NOT_COUNT_WINDOW = 4
# how far before a count its achievement word or verb stands (奖1项, 出版1部, 新品种1个)
_LEAD_WINDOW = 8
# a count above this is no threshold
_MAX_COUNT = 100
# how far after a count its rank (排名前5) may stand
_RANK_WINDOW = 16


def _cut_by_sentence_end(m: regex.Match[str], s_hi: int) -> bool:
    """A count that runs past its sentence's end is no count."""
    return m.end() > s_hi


def _after_non_count_word(text: str, m: regex.Match[str], s_lo: int) -> bool:
    """A range (1-8项), a substitution (可替代1篇) or an ordinal (第1), unless a 不少于 leads it."""
    before = text[max(s_lo, m.start() - _NOT_COUNT_WINDOW) : m.start()]
    return bool(_NOT_COUNT_BEFORE.search(before)) and not m.group("pre")


def _is_condition(text: str, m: regex.Match[str]) -> bool:
    """学术论文3篇以上的不再…: a count that qualifies a person, not a demand."""
    return text.startswith("的", m.end()) and bool(m.group("up"))


def _implausible(m: regex.Match[str]) -> bool:
    n = parse_number(m.group("n"))
    return n is None or n <= 0 or n > _MAX_COUNT


def _lead(text: str, m: regex.Match[str], s_lo: int) -> str:
    return text[max(s_lo, m.start() - _LEAD_WINDOW) : m.start()]


def _counts_no_named_thing(text: str, m: regex.Match[str], s_lo: int) -> bool:
    """个 counts a thing only right after its name (新品种1个), never 六个方面."""
    return m.group("unit") == "个" and not _any_kind().search(_lead(text, m, s_lo))


def _bare_without_cue(text: str, m: regex.Match[str], s_lo: int) -> bool:
    """A bare count (no 以上, no 不少于) is a demand only after an achievement word or verb."""
    if m.group("up") or m.group("pre"):
        return False
    lead = _lead(text, m, s_lo)
    return not (_VERB_BEFORE.search(lead) or _any_kind().search(lead))


def _listed_kinds(
    text: str, m: regex.Match[str], a: int, b: int, unit: str, kind: tuple[str, str | None]
) -> list[tuple[str, str | None]]:
    """One kind per thing a combined count lists: 实用新型、软件著作权合计3项 (listed before it) or
    2项以上新型实用专利、外观设计专利或软件著作权 (listed after it); else the count's own kind."""
    before = text[a : m.start()] + (m.group("pre") or "")
    listed = _LIST_BEFORE.search(_PARENTHETICAL.sub("", before)) if before.endswith(_TOTALS) else None
    if listed:
        distinct = list(
            dict.fromkeys(k for k in (_kind(p, unit, "") for p in listed.group("items").split("、")) if k)
        )
        if len(distinct) >= 2:
            return distinct
    if _kind(text[a : m.start()], unit, ""):
        return [kind]
    after = [_kind(part, unit, "") for part in _LIST_SEP.split(_PARENTHETICAL.sub("", text[m.end() : b]))]
    return list(dict.fromkeys(k for k in after if k)) or [kind]


def extract_requirements(ctx: Context) -> list[Requirement]:
    text = ctx.text
    out: list[Requirement] = []
    ends = ctx.sentence_ends
    counts = list(_COUNT.finditer(text))
    for k, m in enumerate(counts):
        i = bisect.bisect_right(ends, m.start())
        s_lo = ends[i - 1] if i > 0 else 0
        s_hi = ends[i] - 1 if i < len(ends) else len(text)
        if (
            _cut_by_sentence_end(m, s_hi)
            or _after_non_count_word(text, m, s_lo)
            or _is_condition(text, m)
            or _implausible(m)
        ):
            continue
        prev_end = counts[k - 1].end() if k and counts[k - 1].end() <= m.start() else 0
        next_start = counts[k + 1].start() if k + 1 < len(counts) else len(text)
        a, b = _phrase(text, m.start(), m.end(), s_lo, s_hi, prev_end, next_start)
        phrase = text[a:b]
        unit = m.group("unit")[0]
        plain = _PARENTHETICAL.sub("", phrase)  # (包括制定技术标准…) explains, it does not demand
        kind = _kind(plain, unit, text[s_lo:s_hi])
        if kind is None and unit == "项" and _UNDERTAKES.search(text, a, m.start()):
            kind = ("project", None)  # 主持完成2项以上…: what one completes by the item is a project
        if kind is None or _counts_no_named_thing(text, m, s_lo) or _bare_without_cue(text, m, s_lo):
            continue
        for each in _listed_kinds(text, m, a, b, unit, kind):
            out.append(_requirement(ctx, m, each, phrase, s_hi))
    return out


def _requirement(
    ctx: Context, m: regex.Match[str], kind: tuple[str, str | None], phrase: str, s_hi: int
) -> Requirement:
    """One entry for a count ``m`` of ``kind``, with the amounts and ranks printed after it."""
    text = ctx.text
    subtype = kind[1]
    if kind[0] == "paper":
        subtype = "core" if _core().search(phrase) else "general"
    words = _WORDS.search(text, m.end(), s_hi)
    amount = _AMOUNT.search(text, m.end(), s_hi)
    rank = _RANK.search(text, m.end(), min(s_hi, m.end() + _RANK_WINDOW))
    return Requirement(
        evidence=ctx.evidence(m.span()),
        kind=kind[0],
        subtype=subtype,
        min_count=parse_number(m.group("n")) or 0,
        unit=m.group("unit")[0],
        level=_level(phrase),
        group=_group(ctx, ctx.index.at(m.start())),
        min_words=_words(words) if words and kind[0] in {"book", "paper", "report"} else None,
        min_amount_cny=scaled(parse_number(amount.group("n")) or 0, amount.group("scale"))
        if amount
        else None,
        rank_max=int(rank.group("n")) if rank else None,
    )


def _level(phrase: str) -> str | None:
    """The first level word of the phrase by position: 省级以上…、国家… is provincial."""
    found = [(m.start(), lv) for lv, p in _levels() for m in [p.search(phrase)] if m]
    return min(found)[1] if found else None


def _words(m: regex.Match[str]) -> int | None:
    if m.group("n"):
        v = parse_number(m.group("n"))
        return scaled(v, "万") if v is not None else None
    return int(m.group("n2"))
