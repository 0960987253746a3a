"""Deadlines and date windows of the evaluation's process.

Every dated step counts (applicants', employers', reviewers', the
committee's); dates that only restate a years-of-service rule (即2019年底前取得),
an age rule, a policy's effective date, an example or the signing date do not.
"""

from __future__ import annotations

import datetime as _dt

import regex

from pipeline.extract.context import Context
from pipeline.extract.dates import DateHit, day_after, find_dates, is_range_sep
from pipeline.patterns import PHRASE_DELIM, P, org_suffix, part_end, part_start
from pipeline.types import Deadline

_CUTOFF_AFTER = regex.compile(r"\s*(?:以?前|之前)\s*(?:取得|获得|评聘|聘任|考取|毕业)")
_EFFECTIVE_AFTER = regex.compile(r"\s*(?:起|开始)?\s*(?:施行|执行|实施|生效)")
_START_AFTER = regex.compile(r"\s*(?:起|开始)(?!\s*(?:施行|执行|实施|生效|计算|算))")
# a sentence that gives an example is not a schedule
_EXAMPLE = regex.compile(r"例如|又如|比如")
# a date that belongs to an age, birth, effective-date or counting rule, read within its own
# comma-bounded part (…截止到2025年12月31日，2025年9月30日前达到退休年龄的… keeps the first)
_NOT_PROCESS = regex.compile(r"退休|周岁|年龄|出生|以来取得|发布于|施行|起算|开始计算|起计算")
_LEADING_LABEL = regex.compile(r"^[（(]?(?:[一二三四五六七八九十]+|\d{1,2})[）)、.．]\s*")
# a date relative to an abstract year (评审年度的12月31日, 下一自然年1月1日) is a rule, not a date
_ABSTRACT_YEAR_BEFORE = regex.compile(r"(?:年度的?|自然年|当年|次年|每年)\s*$")
_ABSTRACT_YEAR_WINDOW = 6
# a year-less date more than this before the signing date is next year's (a December notice's 1月15日)
_NEXT_YEAR_AFTER = _dt.timedelta(days=60)
# what follows a date and says what it is (以前取得, 起施行, 截止): read within this many characters
_TAIL = 16
# office hours (上午9:00-12:00) follow a date's sentence within this many characters
_HOURS_AFTER = 40
# an event name is at most this long
_EVENT_MAX = 30
# a web page's stamp (发布日期: 2021-12-14 15:39, 更新时间:…) dates the page, not a step
_POSTED_BEFORE = regex.compile(r"(?:发布|更新|发表|发稿|录入|修改)(?:时间|日期)\s*[:：]\s*$|发布于\s*$")
# an inline signature (…领导小组办公室2013年8月30日): the body that signs, then its date
_SIGNED_BEFORE = P(rf"(?:{org_suffix()}|领导小组)\s*$")
# how far before a date its stamp word (发布日期:) or signing body stands
_STAMP_LEAD = 12
_WINDOW_CUE_AFTER = regex.compile(r"\s*(?:以?前|之前|截止|止|起|开始)")
# 受理时间:2022年10月 — a step dated to the month: the whole month is its window
_MONTH_WINDOW = regex.compile(
    r"(?:时间|日期)\s*(?:[:：]|为)\s*(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月份?(?![\d底末上中下初])"
)
_EVENT_TRIM = regex.compile(
    r"(?:的)?(?:时间|日期|期限)?(?:为|是)?(?:自|从|在|于|必须在|须在|需在|应在|要在|请于|必须于|须于|应于|定于|截至|截止到|截止至)?$"
)
_HOURS = regex.compile(
    r"(?P<ampm>上午|下午|晚上)?\s*(?P<h1>\d{1,2})\s*[:：]\s*(?P<m1>\d{2})\s*(?:[—\-–~～至到]+\s*(?P<ampm2>上午|下午)?\s*(?P<h2>\d{1,2})\s*[:：]\s*(?P<m2>\d{2}))?"
    r"|(?P<h3>\d{1,2})\s*[时点](?P<m3>\d{2})?分?\s*(?=前|之前|止)"
)


def _hhmm(h: int, m: int, pm: bool) -> str:
    if pm and h < 12:
        h += 12
    return f"{h:02d}:{m:02d}"


def _hours(text: str, start: int, end: int) -> tuple[str, ...]:
    out = []
    for m in _HOURS.finditer(text, start, end):
        if m.group("h3"):
            out.append(_hhmm(int(m.group("h3")), int(m.group("m3") or 0), False))
            continue
        pm = m.group("ampm") in {"下午", "晚上"}
        a = _hhmm(int(m.group("h1")), int(m.group("m1")), pm)
        if m.group("h2"):
            pm2 = pm or m.group("ampm2") == "下午" or int(m.group("h2")) < int(m.group("h1"))
            out.append(f"{a}-{_hhmm(int(m.group('h2')), int(m.group('m2')), pm2)}")
        else:
            out.append(a)
    return tuple(dict.fromkeys(out))


def _event(text: str, sent_start: int, win_start: int, win_end: int, sent_end: int) -> str:
    before = text[sent_start:win_start]
    pieces = [p.strip(" （(") for p in PHRASE_DELIM.split(before)]
    # 申报时间：2024年9月1日… names its event before the colon
    piece = next((p for p in reversed(pieces[-2:]) if p), "")
    piece = _LEADING_LABEL.sub("", piece)
    piece = _EVENT_TRIM.sub("", piece).strip()
    if len(piece) >= 2:
        return piece[-_EVENT_MAX:]
    after = text[win_end:sent_end]
    after = P(
        r"^[\s（(]*(?:星期.|周.)?[)）]?\s*(?:\d{1,2}[:：时]\d{0,2}分?)?\s*(?:前|之前|止|截止|以前)?[，,]?"
    ).sub("", after)
    piece = PHRASE_DELIM.split(after)[0].strip()
    return piece[:_EVENT_MAX] if piece else "截止"


def _resolve(hit: DateHit, ctx: Context, year_hint: int | None) -> str | None:
    ref = hit.year or year_hint or ctx.reference_year()
    value = hit.resolve(ref)
    if (
        value
        and ref is not None
        and hit.year is None
        and year_hint is None
        and hit.weekday is None
        and ctx.issue_date
    ):
        # a year-less date well before the notice was signed is next year's (a December notice's 1月15日)
        issued = _dt.date.fromisoformat(ctx.issue_date)
        if _dt.date.fromisoformat(value) < issued - _NEXT_YEAR_AFTER:
            value = hit.resolve(ref + 1)
    return value


def extract_deadlines(ctx: Context) -> list[Deadline]:
    """Every dated step of the process; the signing-date lines are the notice's, not a step's."""
    text = ctx.text
    hits = [h for h in find_dates(text) if (h.start, h.end) not in ctx.signing_spans]
    out: list[Deadline] = []
    i = 0
    while i < len(hits):
        a = hits[i]
        b = None
        end_pos = a.end
        if i + 1 < len(hits) and is_range_sep(text, a.end, hits[i + 1].start):
            b = hits[i + 1]
            end_pos = b.end
            i += 1
        else:
            d2 = day_after(text, a.end)
            if d2 and a.month:
                b = DateHit(d2.start(), d2.end(), a.year, a.month, int(d2.group("d2")), None)
                end_pos = d2.end()
        i += 1
        s_start, s_end = ctx.sentence_bounds(a.start, end_pos)
        sentence = text[s_start:s_end]
        part_lo = part_start(text, s_start, a.start)
        part_hi = part_end(text, end_pos, s_end)
        if _EXAMPLE.search(sentence) or _NOT_PROCESS.search(text, part_lo, part_hi):
            continue
        tail = text[end_pos : end_pos + _TAIL]
        if _CUTOFF_AFTER.match(tail) or _EFFECTIVE_AFTER.match(tail):
            continue
        lead = text[max(part_lo, a.start - _STAMP_LEAD) : a.start]
        if _POSTED_BEFORE.search(lead):
            continue
        if b is None and (a.numeric or _SIGNED_BEFORE.search(lead)) and not _WINDOW_CUE_AFTER.match(tail):
            continue  # a page's date stamp or an inline signature, not a step of the evaluation
        if a.year is None and _ABSTRACT_YEAR_BEFORE.search(
            text[max(0, a.start - _ABSTRACT_YEAR_WINDOW) : a.start]
        ):
            continue
        if a.month is None and b is None and not P(r"\s*(?:以?前|之前|截止)").match(tail):
            continue  # a bare 2019年底 that is not a deadline of its own
        # the first printed year in the sentence before this date dates the year-less ones
        year_hint = a.year
        if year_hint is None:
            for h in find_dates(text, s_start, a.start):
                if h.year:
                    year_hint = h.year
        first = _resolve(a, ctx, year_hint)
        second = _resolve(b, ctx, a.year or year_hint) if b else None
        if first is None:
            ctx.warn(f"date without a year and no year in the notice: {text[a.start : end_pos]}")
            continue
        if b is not None:
            start, end = first, second
        elif _START_AFTER.match(tail):
            start, end = first, None
        else:
            start, end = None, first
        event = _event(text, s_start, a.start, end_pos, s_end)
        hours = _hours(text, end_pos, min(s_end + _HOURS_AFTER, len(text), _next_date(hits, i, len(text))))
        ev = ctx.evidence((a.start, end_pos))
        out.append(Deadline(ev, event, start, end, hours))
    months = _month_windows(ctx, hits)
    return sorted([*out, *months], key=lambda d: d.evidence.span[0]) if months else out


def _month_windows(ctx: Context, hits: list[DateHit]) -> list[Deadline]:
    """受理时间:2022年10月 → 2022-10-01..2022-10-31 (a step printed to the month only)."""
    out = []
    text = ctx.text
    for m in _MONTH_WINDOW.finditer(text):
        if any(h.start <= m.start("m") < h.end for h in hits):
            continue
        year = int(m.group("y")) if m.group("y") else ctx.reference_year()
        month = int(m.group("m"))
        if year is None or not 1 <= month <= 12:
            continue
        first = DateHit(m.start("m"), m.end(), year, month, 1, None).resolve(year)
        last = DateHit(m.start("m"), m.end(), year, month, None, None).resolve(year)
        if P(r"截止|截至").search(text, max(0, m.start() - 8), m.start() + 2):
            first = None  # 截止时间:2023年12月 — the month's last day is the cut-off
        s_start, s_end = ctx.sentence_bounds(m.start(), m.end())
        date_start = m.start("y") if m.group("y") else m.start("m")
        event = _event(text, s_start, date_start, m.end(), s_end)
        out.append(Deadline(ctx.evidence((date_start, m.end())), event, first, last, ()))
    return out


def _next_date(hits: list[DateHit], i: int, default: int) -> int:
    return hits[i].start if i < len(hits) else default
