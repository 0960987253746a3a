"""Counted thresholds: 发明专利1项以上, 论文3篇以上, 考核合格不低于5次.

Only printed counts make an entry. Each count is read with the phrase around
it (from the previous count or delimiter to the next; a delimiter inside
brackets does not end it): the achievement words of the phrase decide the
kind (``lexicon/requirements.toml``, first listed wins, the words before the
count before those after it), the level words the level, and the clause
headings above it the group. A count whose phrase names no kind borrows the
kind its stretch names (设计1项国家级、省部级或者2项地市级…统计调查方案);
one whose stretch names none either is a warning with its span, never a
guess. Selection rules (达到下列条件1项), ranges, ordinals and the article 一
(一门外语) are no counts. Hours (不少于90学时) are read in ``hours``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools

import regex

from pipeline import lexicon
from pipeline.extract.achievements import Kind, absorbing, any_kind, core_paper, kind_of, level, nearest_level
from pipeline.extract.context import Context
from pipeline.extract.hours import hour_counts
from pipeline.extract.numbers import NUMBER, parse_number, scaled
from pipeline.patterns import CN_DIGITS, CN_UNITS, PHRASE_DELIMS, part_end, part_start
from pipeline.types import Clause, Requirement


@functools.cache
def _count() -> regex.Pattern[str]:
    """A printed count: 不少于2项, 3篇以上, 二项, 1种作物 (种 only before a thing 种 counts)."""
    species = "|".join(lexicon.load("requirements")["species"]["things"])
    return regex.compile(
        rf"(?=[\d{CN_DIGITS}{CN_UNITS}不至累总合共])(?P<pre>不少于|不低于|至少|累计|总计|合计|共)?[^\S\n]*有?[^\S\n]*"
        rf"(?:(?P<low>{NUMBER})[^\S\n]*[-—~～至][^\S\n]*)?(?P<n>{NUMBER})[^\S\n]*(?P<unit>门次|项|篇|部|次(?!性)|门|件|本|节|场(?!所|地)|种(?=(?:主要)?(?:{species}))"
        rf"|个(?!工作日|月|自然日|小时|人|方面))[^\S\n]*(?P<up>及以上|以上|或以上|\(?含\)?以上)?"
    )


# before the number: a range (1-8项), a substitution (可替代1篇), an ordinal (第1)
_NOT_COUNT_BEFORE = regex.compile(r"(?:[-—~～至到]|替代|代替|视同|折算|抵|第|前|选取|确定|提供)\s*$")
_OPEN, _CLOSE = "（(", "）)"
# a count that picks from a list or points at another clause is a selection rule, not a demand:
# 达到下列条件标准1项, 取得本条第(二)款业绩1项, 应具备下列成果中的2项, 1-8项中的一项
_SELECTION = regex.compile(
    r"下列|以下|如下|上述条件|第\s*[（(]?\s*[一二三四五六七八九十\d]+\s*[)）]?\s*[款条章]|本条"
    r"|\d+\s*[-—~～至到]\s*\d+\s*项中"  # 取得“业绩成果条件”1-8项中的一项: one of the items 1-8
)
# a range after these words is how many to hand in: 选取1至3项, 提交3-5篇代表作
_CHOOSE_BEFORE = regex.compile(r"(?:选取|选择|提交|提供|报送|填报|确定|遴选)\S{0,3}$")
# a cap, not a minimum: 论文不超过5篇, 每人限报2篇, 最多提交3篇, 5项以内
_CAP_BEFORE = regex.compile(r"(?:不超过|不多于|最多|至多|限报|限于|仅限|只能)\S{0,3}$")
_CAP_AFTER = regex.compile(r"[^\S\n]*(?:以内|以下)")
# a bar, not a demand: 年度考核1次基本合格的，延迟1年申报; 处分2次以上的不得申报
_BAR_AFTER = regex.compile(r"的[，,]?\s*(?:不得|不能|不予|不再|延迟|延期|推迟|顺延|暂缓)")
# what follows a count that is a condition on the person: 3篇以上的不再提交…, 2项以上的,可…
_CONDITION_AFTER = regex.compile(r"的(?:\s*(?:[，,；;。]|不|可|须|应|即|免|视为|按)|$)")
_MINIMUM_ONLY = ("节", "场")  # measure words that count achievements only as a minimum
_SUBCOUNT_BEFORE = regex.compile(r"(?:其中|有)\s*(?:至少|须)?\s*$")
_WORDS = regex.compile(rf"(?P<n>{NUMBER})\s*万\s*字|(?P<n2>\d+)\s*字")
_AMOUNT = regex.compile(rf"(?P<n>{NUMBER})\s*(?P<scale>万|千|亿)?\s*元")
# 排名前5, 前3名, 前三位; a rank printed before the count in its sentence counts too (作为前2名完成人获…1次)
_RANK = regex.compile(
    rf"(?:排名|排序|排位|排)\s*前?\s*(?P<n>{NUMBER})|前\s*(?P<n2>{NUMBER})\s*(?:名|位|完成人)"
)
_ALTERNATIVE = regex.compile(r"[，,]\s*或者?")
_VERB_BEFORE = regex.compile(
    r"(?:出版|发表|获得|获|完成|主持|参加|参与|编制|编写|编辑|撰写|取得|承担|设计|实施|制定|办理|提交)\s*过?\s*$"
)
_LIST_SEP = regex.compile(r"、|或|和|及")
# things listed right before a combined count (实用新型、软件著作权合计3项; 发明专利、实用新型专利、
# 外观设计专利等1项以上): one demand each when they are of different kinds
_LIST_BEFORE = regex.compile(
    r"(?P<items>(?:[^、，,；;。等获被]{2,24}(?:、|或者|或))+[^、，,；;。等获被]{2,24})(?:等|合计|总计|累计|共)?\s*$"
)
_LIST_ITEM = regex.compile(r"、|或者|或")
_SUBSTITUTES = regex.compile(r"\s*(?:可|能)?(?:替代|代替|视同|折算|抵)")
_PARENTHETICAL = regex.compile(r"[（(][^（()）]*[)）]")
_UNDERTAKES = regex.compile(r"(?:主持|承担)(?:完成)?\s*$|主持完成")
_GROUP_EXCEPTIONAL = regex.compile(r"破格")
# a clause heading and the start of its text say whether its counts are the 破格 route's
_GROUP_HEAD = 120
# how far before a count a range, substitution or ordinal word may stand (1-8项, 可替代1篇, 第1)
_NOT_COUNT_WINDOW = 4
# how far before a count its achievement word or verb stands (奖1项, 出版1部, 新品种1个)
_LEAD_WINDOW = 8
# what opens a count's phrase without being read: a list label, a joint, an opening bracket
_PHRASE_LEAD = regex.compile(r"(?:\s|[（(]?[0-9一二三四五六七八九十]{1,2}[）)、.．]|[（(、，,；;或和及与])+")
# a verb before the thing a count counts (获得发明专利1项): the phrase starts after it
_PHRASE_VERB = regex.compile(
    r"(?:出版|发表|获得|获|完成|主持|参加|参与|编制|编写|撰写|取得|承担|实施|制定|提交|研发|开发|创建)过?的?"
)
# a count above this is no threshold
_MAX_COUNT = 100
# how far after a count its rank (排名前5) may stand
_RANK_WINDOW = 16


def _phrase(
    text: str, start: int, end: int, lo: int, hi: int, prev_end: int, next_start: int
) -> tuple[int, int]:
    """The words that go with one count: back to a delimiter or the previous count, on to the next."""
    a, b = _chunk(text, start, end, lo, hi)
    return max(a, prev_end), min(b, next_start)


def _chunk(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The stretch between delimiters around [start, end); a delimiter inside brackets
    (及相当奖励,以个人奖励证书为依据) does not end it."""
    a = start
    while True:
        p = part_start(text, lo, a, PHRASE_DELIMS)  # just after the delimiter before, or lo
        if p == lo or not _unbalanced(text[p:start], _CLOSE, _OPEN):
            break
        a = p - 1  # that delimiter sits inside brackets closed before the count: look further back
    b = end
    while True:
        d = part_end(text, b, hi, PHRASE_DELIMS)  # the delimiter after, or hi
        if d >= hi or not _unbalanced(text[end:d], _OPEN, _CLOSE):
            break
        b = d + 1  # that delimiter sits inside brackets opened after the count: look further on
    return p, d


def _unbalanced(segment: str, more: str, than: str) -> bool:
    """More brackets of one side than of the other in ``segment``."""
    return sum(segment.count(c) for c in more) > sum(segment.count(c) for c in than)


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


@dataclasses.dataclass(frozen=True)
class _Read:
    """One printed count as read in its sentence: the phrase [a, b) that goes with it, the stretch
    [c_lo, c_hi) between delimiters around it, the words just before it, and its kind."""

    m: regex.Match[str]
    a: int
    b: int
    c_lo: int
    c_hi: int
    s_lo: int
    s_hi: int
    lead: str
    kind: Kind


def extract_requirements(ctx: Context) -> list[Requirement]:
    text = ctx.text
    found: list[tuple[int, Requirement]] = []
    counts = list(_count().finditer(text))
    for k in range(len(counts)):
        r = _read(ctx, counts, k)
        if r is None:
            continue
        m, unit = r.m, r.m.group("unit")
        for kind in _listed_kinds(text, m, r.a, r.b, unit, r.kind):
            req = _requirement(ctx, r, kind)
            if req.kind == "paper" and _SUBCOUNT_BEFORE.search(r.lead) and found:
                # 发表SCI论文2篇,其中至少1篇…: a part of a core total is core
                prev = found[-1][1]
                if (
                    prev.kind == "paper"
                    and prev.subtype == "core"
                    and prev.evidence.span == req.evidence.span
                ):
                    req = dataclasses.replace(req, subtype="core")
            found.append((m.start(), req))
    found.extend((h.start(), _hours_requirement(ctx, h, kind)) for h, kind in hour_counts(ctx))
    return [r for _, r in sorted(found, key=lambda p: p[0])]


def _read(ctx: Context, counts: list[regex.Match[str]], k: int) -> _Read | None:
    """Count ``k`` read in its sentence, or None when it demands nothing (a range, an ordinal, a
    selection rule, an article, a count whose achievement word is unknown: that one is warned)."""
    text, ends, m = ctx.text, ctx.sentence_ends, counts[k]
    i = bisect.bisect_right(ends, m.start())
    s_lo = ends[i - 1] if i > 0 else 0
    s_hi = ends[i] - 1 if i < len(ends) else len(text)
    if (
        _cut_by_sentence_end(m, s_hi)
        or _after_non_count_word(text, m, s_lo)
        or _is_condition(text, m)
        or _implausible(m)
        or _article(text, m, s_lo)
        or _chosen_range(text, m, s_lo)
    ):
        return None
    if m.group("unit") in _MINIMUM_ONLY and not (m.group("up") or m.group("pre")):
        return None  # 公开课2节以上, 演出20场以上 count; (第)二节 and 一场 name a section or an event
    prev_end = counts[k - 1].end() if k and counts[k - 1].end() <= m.start() else 0
    next_start = counts[k + 1].start() if k + 1 < len(counts) else len(text)
    if _capped_or_barred(text, m, s_lo, min(s_hi, next_start)):
        return None
    a, b = _phrase(text, m.start(), m.end(), s_lo, s_hi, prev_end, next_start)
    c_lo, c_hi = _chunk(text, m.start(), m.end(), s_lo, s_hi)
    if _SELECTION.search(text, c_lo, m.start()) or _scope(text, m, next_start, c_hi):
        return None
    sentence, unit = text[s_lo:s_hi], m.group("unit")
    # the thing named before the count wins over one after it: 出版专著1部或…发表论文3篇
    # (次 and 门 are judged by their whole sentence: 年度考核…(硕士不低于4次), 讲授课程…其中一门)
    own = sentence if unit in ("次", "门", "门次") else ""
    before, after = _PARENTHETICAL.sub("", text[a : m.start()]), _PARENTHETICAL.sub("", text[m.end() : b])
    kind = kind_of(before, unit, own) or kind_of(_PARENTHETICAL.sub("", text[a:b]), unit, sentence)
    named_after = kind is not None and kind_of(after, unit, "") is not None
    if kind is None:
        kind, named_after = _kind_nearby(text, m, unit, c_lo, c_hi)
    if kind is None and unit == "项" and _UNDERTAKES.search(text, a, m.start()):
        kind = ("project", None)  # 主持完成2项以上…: what one completes by the item is a project
    lead = _PARENTHETICAL.sub("", text[s_lo : m.start()])[-_LEAD_WINDOW:]  # (及相当奖励,…下同)1项
    if kind is None:
        if _threshold(m, lead):
            ctx.warn(f"count without an achievement word at {m.start()}-{m.end()}: {text[c_lo:c_hi].strip()}")
        return None
    if unit == "个" and not (any_kind().search(lead) or (named_after and _threshold(m, lead))):
        return None  # 个 counts a thing only beside its name (新品种1个, 2个以上模型试验), never 四个一批
    # a bare count is a demand only after an achievement word or verb (奖1项, 出版1部), at the head
    # of a sub-count (其中1篇), or before the thing it counts (设计1项…方案, 2次获得…奖项)
    bare = not (m.group("up") or m.group("pre") or named_after)
    if bare and not (_VERB_BEFORE.search(lead) or any_kind().search(lead) or _SUBCOUNT_BEFORE.search(lead)):
        return None
    return _Read(m, a, b, c_lo, c_hi, s_lo, s_hi, lead, kind)


def _scope(text: str, m: regex.Match[str], next_start: int, c_hi: int) -> bool:
    """1种主要作物2项以上…: a count of crops followed by the count it scopes is no demand of its own."""
    return m.group("unit") == "种" and next_start < c_hi and "或" not in text[m.end() : next_start]


def _chosen_range(text: str, m: regex.Match[str], s_lo: int) -> bool:
    """选取1至3项标志性业绩 says how many to hand in, not what to have reached."""
    return (
        bool(m.group("low"))
        and _CHOOSE_BEFORE.search(text, max(s_lo, m.start() - _LEAD_WINDOW), m.start()) is not None
    )


def _capped_or_barred(text: str, m: regex.Match[str], s_lo: int, hi: int) -> bool:
    """论文不超过5篇 is a cap and 处分2次以上的不得申报 a bar (read up to ``hi``, the next count or
    the sentence end): neither is a threshold to reach."""
    lead = text[max(s_lo, m.start() - _LEAD_WINDOW) : m.start()]
    return bool(
        _CAP_BEFORE.search(lead) or _CAP_AFTER.match(text, m.end()) or _BAR_AFTER.search(text, m.end(), hi)
    )


def _cut_by_sentence_end(m: regex.Match[str], s_hi: int) -> bool:
    """A count that runs past its sentence's end is no count."""
    return m.end() > s_hi


def _after_non_count_word(text: str, m: regex.Match[str], s_lo: int) -> bool:
    """A range (1-8项), a substitution (可替代1篇) or an ordinal (第1), unless a 不少于 leads it."""
    before = text[max(s_lo, m.start() - _NOT_COUNT_WINDOW) : m.start()]
    return bool(_NOT_COUNT_BEFORE.search(before)) and not m.group("pre")


def _is_condition(text: str, m: regex.Match[str]) -> bool:
    """学术论文3篇以上的不再…: a count that qualifies a person, not a demand (but 2项以上的优质高效
    配套栽培技术 is one: there 的 leads on to the thing counted)."""
    return (
        bool(m.group("up"))
        and text.startswith("的", m.end())
        and _CONDITION_AFTER.match(text, m.end()) is not None
    )


def _implausible(m: regex.Match[str]) -> bool:
    n = parse_number(m.group("n"))
    return n is None or n <= 0 or n > _MAX_COUNT


def _threshold(m: regex.Match[str], lead: str) -> bool:
    """The count reads as a minimum: 不少于/以上 around it, or a verb of attainment right before."""
    return bool(m.group("up") or m.group("pre") or _VERB_BEFORE.search(lead))


def _article(text: str, m: regex.Match[str], s_lo: int) -> bool:
    """一门外语, 一个方向, 一项工作: 一 before a measure word is an article unless it stands
    right after the thing it counts (论文一篇, 一等奖一项) or opens a sub-count (其中一门)."""
    if m.group("n") != "一" or m.group("pre") or m.group("up"):
        return False
    lead = text[max(s_lo, m.start() - 10) : m.start()].rstrip()
    if _SUBCOUNT_BEFORE.search(lead):
        return False
    return not any(km.end() == len(lead) for km in any_kind().finditer(lead))


def _kind_nearby(text: str, m: regex.Match[str], unit: str, c_lo: int, c_hi: int) -> tuple[Kind | None, bool]:
    """The kind of a count whose own phrase names none, from the rest of its stretch: first the
    words after it (1项国家级、省部级或者2项地市级…统计调查方案), then those before it
    (省级以上…规划二项(或市级四项)). The flag says the kind was named after the count."""
    after = kind_of(_PARENTHETICAL.sub("", text[m.end() : c_hi]), unit, "")
    if after:
        return after, True
    return kind_of(_PARENTHETICAL.sub("", text[c_lo : m.start()]), unit, ""), False


def _listed_kinds(text: str, m: regex.Match[str], a: int, b: int, unit: str, kind: Kind) -> list[Kind]:
    """The kinds one count demands: one per distinct kind listed right before it
    (实用新型、软件著作权合计3项; 研究报告、…规划、…标准2项以上) or right after it
    (2项以上新型实用专利、外观设计专利或软件著作权); else the phrase's one kind."""
    before = _PARENTHETICAL.sub("", text[a : m.start()] + (m.group("pre") or ""))
    if _SUBSTITUTES.match(text, m.end()) or absorbing().search(before):
        return [kind]  # 标准、规程、专业教材等1项可替代1篇论文: examples of one substitute
    listed = _LIST_BEFORE.search(before)
    distinct = (
        list(
            dict.fromkeys(
                k for k in (kind_of(p, unit, "") for p in _LIST_ITEM.split(listed.group("items"))) if k
            )
        )
        if listed
        else []
    )
    if len(distinct) >= 2:
        return _one_paper(distinct, unit)
    if kind_of(text[a : m.start()], unit, ""):
        return [kind]
    tail = _PARENTHETICAL.sub("", text[m.end() : b])
    if "的" in tail:
        return [kind]  # 1项以上科研课题和科研项目方案、报告的评审工作: the list qualifies one head noun
    listed_after = [kind_of(part, unit, "") for part in _LIST_SEP.split(tail)]
    return _one_paper(list(dict.fromkeys(k for k in listed_after if k)) or [kind], unit)


def _one_paper(kinds: list[Kind], unit: str) -> list[Kind]:
    """Pieces counted in 篇 with papers among them are one total of papers (三篇…论文或专著)."""
    if unit == "篇" and any(k[0] == "paper" for k in kinds):
        return [k for k in kinds if k[0] == "paper"][:1]
    return kinds


def _hours_requirement(ctx: Context, m: regex.Match[str], kind: str) -> Requirement:
    return Requirement(
        evidence=ctx.evidence(m.span()),
        kind=kind,
        subtype=None,
        min_count=parse_number(m.group("n")) or 0,
        unit=m.group("unit"),
        level=None,
        group=_group(ctx, ctx.index.at(m.start())),
    )


def _level_of(text: str, m: regex.Match[str], a: int, b: int, c_lo: int) -> str | None:
    """The level a count demands: the words right after it when it comes first (2项以上市(厅)级
    科研课题), else those of its phrase; an alternative that names none (一等奖一项或二等奖两项)
    takes the level named earlier in its stretch."""
    tail = _PARENTHETICAL.sub("", text[m.end() : b])  # (…在连云港市人社网学习并打印) is no level
    noun_first = any_kind().search(text, a, m.start()) is not None
    if not noun_first and any_kind().search(tail) and (lv := level(tail)):
        return lv
    if lv := level(text[a : m.start()]):
        return lv
    if noun_first:  # 获市级优秀设计奖1项或优秀工程奖1项以上(大、中型企业…): the level said before
        return nearest_level(text[c_lo : m.start()]) or level(tail)
    return level(tail) or nearest_level(text[c_lo : m.start()])


def _requirement(ctx: Context, r: _Read, kind: Kind) -> Requirement:
    """One entry of ``kind`` for the count read as ``r``, with the amounts and ranks printed with it."""
    text, m, s_hi, phrase = ctx.text, r.m, r.s_hi, ctx.text[r.a : r.b]
    subtype = kind[1]
    if kind[0] == "paper":
        subtype = "core" if core_paper().search(phrase) else "general"
    words = _WORDS.search(text, m.end(), s_hi)
    amount = _AMOUNT.search(text, m.end(), s_hi)
    rank = _RANK.search(text, m.end(), min(s_hi, m.end() + _RANK_WINDOW)) or _rank_before(
        text, r.s_lo, m.start()
    )
    return Requirement(
        evidence=ctx.evidence(m.span(), _read_from(text, r)),
        kind=kind[0],
        subtype=subtype,
        min_count=parse_number(m.group("low") or m.group("n")) or 0,  # 代表性作品3-5个: at least 3
        unit=m.group("unit"),
        level=_level_of(text, m, r.a, r.b, r.c_lo),
        group=_group(ctx, ctx.index.at(m.start())),
        min_words=_words(words) if words and kind[0] in {"book", "paper", "report"} else None,
        min_amount_cny=scaled(parse_number(amount.group("n")) or 0, amount.group("scale"))
        if amount
        else None,
        rank_max=_rank(rank),
    )


def _read_from(text: str, r: _Read) -> tuple[int, int]:
    """The phrase a count was read from: what it counts and the count (发明专利1项以上, 市级或大型企业
    科研项目、工程技术项目2项以上: from just after the last verb before the first achievement word),
    or the count and the thing after it (1篇以上学术论文); else the count's words up to it
    (博士不低于2次). A list's joints (或, 、, （, 2.) never open it."""
    m = r.m
    lead = _PHRASE_LEAD.match(text, r.a, m.start())
    a = lead.end() if lead else r.a
    before = any_kind().search(text, a, m.start())
    if before:
        verb = _last(_PHRASE_VERB, text, a, before.start())
        if verb:
            lead = _PHRASE_LEAD.match(text, verb.end(), m.start())
            a = lead.end() if lead else verb.end()
        return a, m.end()
    after = any_kind().search(text, m.end(), r.b)
    if after:
        return m.start(), after.end()
    return a, m.end()


def _last(pattern: regex.Pattern[str], text: str, lo: int, hi: int) -> regex.Match[str] | None:
    found = None
    for found in pattern.finditer(text, lo, hi):  # noqa: B007 - the last one is wanted
        pass
    return found


def _rank_before(text: str, s_lo: int, start: int) -> regex.Match[str] | None:
    """A rank printed earlier in the same alternative (作为主要成员(前3名),完成1项…), not one of
    an earlier alternative (…(排名前5)完成2项以上…,或主持完成2项以上…)."""
    alt = _last(_ALTERNATIVE, text, s_lo, start)
    return _last(_RANK, text, alt.end() if alt else s_lo, start)


def _rank(m: regex.Match[str] | None) -> int | None:
    if m is None:
        return None
    n = parse_number(m.group("n") or m.group("n2"))
    return int(n) if n and n <= 20 else None


def _words(m: regex.Match[str]) -> int | None:
    if m.group("n"):
        v = parse_number(m.group("n"))
        return scaled(v, "万") if v is not None else None
    return int(m.group("n2"))
