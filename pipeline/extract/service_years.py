"""Years of service required, per degree: 任工程师满5年, 从事专技工作13年以上, 担任中级职务7年以上.

A clause is read sentence piece by piece (split at ；。 and line ends): every
``满N年`` / ``N年以上`` in a piece is one rule, and the degrees named before it
in the piece (or, in a flattened table, in the row's previous cells) are the
degrees it applies to — one entry per degree.
"""

from __future__ import annotations

import functools

import regex

from pipeline import lexicon
from pipeline.extract.context import Context
from pipeline.extract.dates import find_dates
from pipeline.extract.numbers import NUMBER, parse_number
from pipeline.extract.years_matrix import matrix_rules
from pipeline.lexicon.title_levels import level_code
from pipeline.patterns import (
    CELL_MAX,
    SENTENCE,
    P,
    cells,
    cells_above,
    is_row,
    part_end,
    part_start,
    row_level,
)
from pipeline.types import Clause, ServiceYears

_YEARS = regex.compile(
    rf"(?P<man>满|已满|累计满|达到)?\s*(?P<n>{NUMBER})\s*(?:个)?\s*(?:周)?年(?!度|内|以内|以来|来|底|末|级|月|龄|\d)\s*(?P<up>及以上|以上|或以上|\(含\)|（含）)?"
)
# words right before the number that make it something other than a tenure rule
_NOT_TENURE_BEFORE = regex.compile(
    r"(?:近|提前|破格|每|前|连续|最近|学制|期限为|不超过|超过|延长|推迟|间隔|第|(?<!职称|职务|资格|毕业|出站|聘任|学位|学历)后|再|已有|限|未)\s*$"
)
_ADVANCE = regex.compile(rf"提前\s*(?P<n>{NUMBER})\s*年")
_TITLE_CUE = regex.compile(
    r"职称后|职务后|资格后|任(?:现职|[^，,；;]{0,8}?(?:工程师|职务|职称|师|级))|现职|师岗位|聘任|受聘|担任[^，,]{0,10}(?:职务|师)|中级|助理|员级|副高|正高|高级工程师|技术员"
)
_SKILL_CUE = regex.compile(r"技师|高级工(?!程)|技能等级|职业资格证书|职业技能")
_POST_CUE = regex.compile(r"科级|处级|负责人|岗位工作|任职务")
_ROUTE_CUES = (
    ("exceptional", regex.compile(r"破格")),
    ("relaxation", regex.compile(r"放宽")),
    ("green_channel", regex.compile(r"绿色通道")),
    ("transfer", regex.compile(r"机关|跨系列|转评|流动到|转岗")),
    ("high_skill", regex.compile(r"高技能|技能人才|技师")),
)
# "the degree required above": names no degree of its own (具备规定学历…满4年)
_REFERENCE = regex.compile(
    r"(?<!不)具备(?:上述)?(?:规定|相应)(?:的)?学历|(?<!不)具备上述学历|符合(?:上述)?学历(?:条件|要求)"
)
# a period of something other than service: a file kept by an agency, residence, an assessment
# record (年度考核3年以上为合格), study hours, papers, an age
_NOT_SERVICE_SEGMENT = regex.compile(r"档案|户口|托管|居住|缴纳|社保|考核|考评|学时|学分|论文|周岁")
# how far before a number its 近/提前/每… may stand
_NOT_TENURE_WINDOW = 6
# more years than this is no tenure rule (an age, a year count of history)
_MAX_YEARS = 60
# a clause heading and the start of its text name the route of the rules below (破格, 绿色通道)
_ROUTE_HEAD = 80
# a degree named this close before a 提前N年 note belongs to the note, not to the rule
_ADVANCE_NOTE = 40
# a rule's cut-off date (即2019年底前取得) follows it within this many characters
_CUTOFF_WINDOW = 30
# 最近连续2年在教育教学一线从事教学工作: a front-line tenure printed without 满 or 以上
_FRONTLINE = regex.compile(
    rf"(?:最近|近)?连续\s*(?P<n>{NUMBER})\s*年(?P<up>以上)?\s*(?=在[^，,；;。]{{0,20}}(?:一线|基层)[^，,；;。]{{0,12}}(?:从事|工作))"
)
# a number of years is a tenure only where the phrase speaks of service, study or a title
# (训练两年以上的运动员 counts how long the athletes trained)
_SERVICE_WORDS = regex.compile(
    r"从事|工作|任|聘|取得|获得|毕业|岗位|职称|职务|资格|经历|教龄|工龄|年限|现职|期满|累计|执业|见习|实践|服务|出站|学历|学位|本科|专科|大专|中专|博士|硕士|学士|研究生"
)
# a title or level held right before the number (技术员满5年, 助理满4年, 中级满5年)
_TITLE_BEFORE = regex.compile(r"师|员|助理|初级|中级|高级|副高|正高|级")
# the phrase right after a number that may say what it counts (5年以上工作经历)
_AFTER_WORDS = 12
# 具备高等教育专科毕业学历在初中从事教学工作、硕士研究生毕业后从事相关专业技术工作满3年: an earlier item
# of an enumeration ends at 工作、/经历、 and its degree is not the later item's
_ITEM_END = regex.compile(r"(?:工作|经历)、")
# 从事专业工作2年: a number right after the work it counts is a minimum without 满 or 以上
_WORK_BEFORE = regex.compile(r"从事[^，,；;。]{0,12}工作\s*$")
# a piece this short on a line of its own is a table cell
_BARE_CELL = 8
_OPEN_PAREN = regex.compile(r"[（(][^）)]*$")


def _segment(text: str, start: int, pos: int) -> str:
    """The comma-bounded part of a sentence piece that ends at ``pos``."""
    return text[part_start(text, start, pos) : pos]


@functools.cache
def _degree_patterns() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple((d["key"], regex.compile(d["pattern"])) for d in lexicon.load("degrees")["degree"])


def degrees_in(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Degrees named in text[start:end], in order of appearance, each once."""
    taken = [False] * (end - start)
    found: list[tuple[str, int]] = []
    for key, pattern in _degree_patterns():
        for m in pattern.finditer(text, start, end):
            a, b = m.start() - start, m.end() - start
            if any(taken[a:b]):
                continue
            for k in range(a, b):
                taken[k] = True
            found.append((key, m.start()))
    found.sort(key=lambda x: x[1])
    out: list[tuple[str, int]] = []
    seen = set()
    for key, pos in found:
        if key not in seen:
            seen.add(key)
            out.append((key, pos))
    return out


def _basis(text: str, piece_start: int, pos: int) -> str:
    seg_start = part_start(text, piece_start, pos)
    segment = text[seg_start:pos]
    before = text[piece_start:seg_start]
    prev_seg = _segment(text, piece_start, piece_start + len(before.rstrip("，,"))) if before else ""
    if prev_seg.endswith("后"):
        segment = prev_seg + segment
    if _SKILL_CUE.search(segment):
        return "skill_level"
    if _POST_CUE.search(segment):
        return "post"
    if _TITLE_CUE.search(segment):
        return "title"
    return "work"


def _route(ctx: Context, clause: Clause | None, piece: str) -> str:
    """The route a rule is for: named in its own piece, else in the heading of a clause above it."""
    chain = ctx.index.ancestors(clause)[1:] if clause else []
    for source in (piece, *((c.heading or "") + c.text[:_ROUTE_HEAD] for c in chain)):
        route = next((route for route, cue in _ROUTE_CUES if cue.search(source)), None)
        if route:
            return route
    return "regular"


def _is_rule(line: str) -> bool:
    return bool(_YEARS.search(line) and P(r"满|以上").search(line))


def _row_degrees(text: str, piece_start: int) -> list[tuple[str, int]]:
    """Degrees in the previous cells of a table flattened one cell per line."""
    for start, end, line in cells_above(text, piece_start, 2):
        if len(line) > CELL_MAX or _is_rule(line):
            return []
        found = degrees_in(text, start, end)
        if found:
            return found
    return []


def _row_level(text: str, piece_start: int, piece: str) -> str | None:
    """The title level a criteria-table row leads to (副高级 / 本科及以上 / 任中级职务满5年): a level
    cell of a pipe row, or the nearest level cell above in a table flattened one cell per line.
    Prose names no target level this way (its 中级 is the title held, not the one sought)."""
    if is_row(piece):
        return next((c for c in cells(piece) if c and row_level().fullmatch(c)), None)
    for _, _, line in cells_above(text, piece_start, 6):
        if len(line) > CELL_MAX:
            return None
        if _is_rule(line):
            continue
        m = row_level().fullmatch(line)
        if m:
            return m.group(0)
    return None


def extract_service_years(ctx: Context) -> list[ServiceYears]:
    text = ctx.text
    out: list[ServiceYears] = []
    said: set[str] = set()  # the degree-and-years phrases read so far (博士毕业满两年)
    matrix, claimed = matrix_rules(ctx, degrees_in, lambda pos: _route(ctx, ctx.index.at(pos), ""))
    previous = None
    for pm in SENTENCE.finditer(text):
        piece_start, piece_end = pm.span()
        piece = pm.group(0)
        if any(a <= piece_start < b for a, b in claimed):
            continue  # a row of a degree-by-level matrix, read cell by cell
        if piece == previous and text[piece_start - 1 : piece_start] in "；;":
            continue  # a sentence a copying site doubled (中专,技术员满4年;中专,技术员满4年;)
        previous = piece
        if "年" not in piece:
            continue
        frontline = list(_FRONTLINE.finditer(text, piece_start, piece_end))
        matches = [
            m
            for m in _YEARS.finditer(text, piece_start, piece_end)
            if (m.group("man") or m.group("up") or _WORK_BEFORE.search(text, piece_start, m.start()))
            and not _NOT_TENURE_BEFORE.search(
                text[max(piece_start, m.start() - _NOT_TENURE_WINDOW) : m.start()]
            )
            and (parse_number(m.group("n")) or 0) <= _MAX_YEARS
            and not _NOT_SERVICE_SEGMENT.search(_segment(text, piece_start, m.start()))
            and _speaks_of_service(text, piece_start, piece_end, m)
        ]
        matches = sorted([*matches, *frontline], key=lambda m: m.start())
        if not matches:
            out.extend(_advanced_alone(ctx, text, piece_start, piece_end, out))
            continue
        clause = ctx.index.at(piece_start)
        route = _route(ctx, clause, piece)
        prev_end = piece_start
        for k, m in enumerate(matches):
            years = parse_number(m.group("n"))
            if years is None or years <= 0:
                continue
            own = degrees_in(text, _item_start(text, prev_end, m.start()), m.start())
            referred = _REFERENCE.search(text, prev_end, m.start())
            shared = own or ([] if referred else degrees_in(text, piece_start, m.start()))
            if not shared and not referred and k == len(matches) - 1:
                # degrees after the last number of a piece (满5年…的博士); before a later number they are its own
                shared = [
                    d
                    for d in degrees_in(text, m.end(), piece_end)
                    if not _in_advance_note(text, d[1], piece_end)
                ]
            if not shared and not _REFERENCE.search(text, piece_start, m.start()):
                shared = _row_degrees(text, piece_start)
            if not shared and _REFERENCE.search(text, piece_start, m.start()):
                shared = _referred_degree(out, clause)
            cutoff = _cutoff(ctx, m.end(), piece_end)
            level = level_code(_row_level(text, piece_start, piece)) or _stated_level(ctx, clause, piece)
            basis = "work" if m.re is _FRONTLINE else _basis(text, piece_start, m.start())
            ev = ctx.evidence(m.span())
            degrees: list[str | None] = [d for d, _ in shared] or [None]
            prev_end = m.end()
            if _restated(text, piece_start, m, shared, said):
                continue
            for degree in degrees:
                out.append(ServiceYears(ev, years, degree, basis, route, cutoff, level=level))
        out.extend(_advanced(ctx, text, piece_start, piece_end, matches, route))
    return sorted([*out, *matrix], key=lambda s: s.evidence.span[0]) if matrix else out


_LEVEL_LEAD = regex.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?(?:申报)?(?P<name>[^，,：:；;。\s]{2,10})\s*[：:]"
)
_HEADING_TAIL = regex.compile(
    r"(?:的)?(?:任职资格|专业技术资格|职称|资格)?(?:评审|申报|评定)?(?:基本)?(?:条件|标准|要求)$|(?:任职资格|资格|职称)$"
)
_BRACKETED = regex.compile(r"[（(][^）)]*[）)]")


def _stated_level(ctx: Context, clause: Clause | None, piece: str) -> str | None:
    """The level a prose rule leads to where the notice names it: a lead (副高级: 具备…) or the
    heading of a clause above it (（二）中级工程师, 第十条 中级任职资格评审条件). The 中级 inside the
    rule itself (取得中级职称后) is the title held, so it never counts."""
    lead = _LEVEL_LEAD.match(piece)
    if lead and level_code(lead.group("name")):
        return level_code(lead.group("name"))
    for c in ctx.index.ancestors(clause) if clause else []:
        if not c.heading:
            continue
        name = _HEADING_TAIL.sub("", _BRACKETED.sub("", c.heading)).strip()
        name = name[2:] if name.startswith("申报") else name
        if level_code(name):
            return level_code(name)
    return None


def _speaks_of_service(text: str, piece_start: int, piece_end: int, m: regex.Match[str]) -> bool:
    """The sentence piece up to the number, or the phrase right after it, speaks of service,
    a title or a degree."""
    if len(text[piece_start:piece_end].strip()) <= _BARE_CELL and _is_own_line(text, piece_start, piece_end):
        return True  # a table cell (5年以上): its row's other cells say what it counts
    before = text[piece_start : m.start()]
    after = text[m.end() : part_end(text, m.end(), piece_end)]
    return bool(
        _SERVICE_WORDS.search(before)
        or _TITLE_BEFORE.search(before)
        or _SERVICE_WORDS.search(after[:_AFTER_WORDS])
    )


def _is_own_line(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")


def _item_start(text: str, lo: int, pos: int) -> int:
    """Where the enumeration item holding ``pos`` starts (after the last 工作、 before it)."""
    ends = [e.end() for e in _ITEM_END.finditer(text, lo, pos)]
    return ends[-1] if ends else lo


def _referred_degree(before: list[ServiceYears], clause: Clause | None) -> list[tuple[str, int]]:
    """具备上述规定学历: the degree the rules just above name, when they name exactly one
    (a clause and its siblings); several degrees above leave the reference open."""
    if clause is None:
        return []
    parent = clause.id.rpartition(".")[0]
    near = {
        s.degree
        for s in before
        if s.degree not in (None, "below_required")
        and (s.evidence.clause == clause.id or s.evidence.clause.rpartition(".")[0] == parent)
    }
    return [(near.pop(), 0)] if len(near) == 1 else []


def _restated(
    text: str, piece_start: int, m: regex.Match[str], shared: list[tuple[str, int]], said: set[str]
) -> bool:
    """近五年(博士毕业满两年): a parenthesis that repeats, word for word, a rule already read."""
    start = min((pos for _, pos in shared), default=m.start())
    phrase = P(r"\s+").sub("", text[start : m.end()])
    inside = bool(_OPEN_PAREN.search(text, piece_start, m.start()))
    if inside and phrase in said:
        return True
    said.add(phrase)
    return False


def _in_advance_note(text: str, pos: int, piece_end: int) -> bool:
    return bool(_ADVANCE.search(text, pos, min(piece_end, pos + _ADVANCE_NOTE)))


def _advanced(
    ctx: Context, text: str, start: int, end: int, matches: list[regex.Match[str]], route: str
) -> list[ServiceYears]:
    """可提前N年: a shorter minimum for the degree the note names, unless the text states it (即…满4年)."""
    out = []
    for adv in _ADVANCE.finditer(text, start, end):
        base = [m for m in matches if m.end() <= adv.start()]
        later = [m for m in matches if m.start() >= adv.end()]
        if not base or later:
            continue
        n = parse_number(adv.group("n"))
        years = parse_number(base[-1].group("n"))
        if n is None or years is None or years - n <= 0:
            continue
        named = degrees_in(text, base[-1].end(), adv.end())
        if not named:
            continue
        basis = _basis(text, start, base[-1].start())
        ev = ctx.evidence(adv.span())
        for degree, _ in named:
            out.append(
                ServiceYears(ev, years - n, degree, basis, route, None, f"可提前{adv.group('n')}年申报")
            )
    return out


def _advanced_alone(
    ctx: Context, text: str, start: int, end: int, before: list[ServiceYears]
) -> list[ServiceYears]:
    """A 可提前N年 sentence of its own (获得工程硕士专业学位的…，申报年限可提前1年): shortens the
    rule stated last for the nearest degree — a professional master's shortens the master's rule."""
    out = []
    for adv in _ADVANCE.finditer(text, start, end):
        named = degrees_in(text, start, adv.start())
        n = parse_number(adv.group("n"))
        if not named or n is None:
            continue
        for degree, _ in named:
            related = "master" if degree == "master_professional" else degree
            base = next((s for s in reversed(before) if s.degree == related and s.route == "regular"), None)
            if base is None or base.years - n <= 0:
                continue
            ev = ctx.evidence(adv.span())
            out.append(
                ServiceYears(
                    ev, base.years - n, degree, base.basis, base.route, None, f"可提前{adv.group('n')}年申报"
                )
            )
    return out


def _cutoff(ctx: Context, pos: int, end: int) -> str | None:
    """即2019年底前取得: the date by which the years must be complete."""
    for hit in find_dates(ctx.text, pos, min(end, pos + _CUTOFF_WINDOW)):
        after = ctx.text[hit.end : hit.end + 8]
        if P(r"\s*(?:以?前|之前)").match(after):
            return hit.resolve(hit.year or ctx.reference_year())
    return None
