"""The notice's own metadata: title, 文号, issuers, date, place, year, series, levels, specialties, citations.

Official documents put these in fixed places — masthead and 文号 above the
title, the signature and date at the end, cited documents as 《title》（文号）
— so each is read from its place first and from the running text only as a
fallback.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import regex

from pipeline import gazetteer, lexicon
from pipeline.extract.context import Context
from pipeline.extract.dates import iso
from pipeline.patterns import P, line_end, org_suffix
from pipeline.types import CitedDocument, Clause, NoticeMeta

# a document number: issuer abbreviation, year in any bracket, serial, 号; or a ministry order 令第N号
DOC_NUMBER = regex.compile(
    r"(?:[\p{Han}]{1,16}?[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号)"
    r"|(?:[\p{Han}]{2,16}令第\s*\d{1,4}\s*号)"
)
_CITATION = regex.compile(
    r"《(?P<title>[^《》\n]{2,120}?)》\s*[（(](?P<number>[^（）()\n]{0,24}?(?:[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号|令第\s*\d{1,4}\s*号))"
)
_TITLE_LINE = regex.compile(
    r"^(?:[^\n]{0,40}?)(?:关于|转发)[^\n]{4,120}?(?:通知|通告|公告|意见|办法|方案|安排|细则|规定|函|条件|要求|说明)$"
)
# a web page's title line cut one character short: …工作的通
_TRUNCATED_TAIL = regex.compile(r"(关于.{4,100}?)(的通)$")
# spam before the real title: 某某官方网站关于开展… → 关于开展…; kept when the prefix is a place or issuer
_JUNK_BEFORE_ABOUT = regex.compile(r"^[^\n]*?[A-Za-z·()（）]+[^\n]*?(关于.+)$")
_PAGE_HEADLINE = regex.compile(r"职称.*(?:评审|申报|资格|条件|要求)|(?:评审|申报).*(?:条件|要求)")
_NOT_HEADLINE = regex.compile(r"[，。；,;>|]|^(?:[一二三四五六七八九十]+、|[（(]|\d+[.、])")
_TITLE_PREFIX = regex.compile(r"^(?:第[一二三四五六七八九十\d]+篇[:：]\s*|附件\s*\d*\s*)")
_TITLE_FALLBACK = regex.compile(
    r"^[^\n，。；,]{6,80}(?:通知|通告|公告|办法|方案|资格条件|评审条件|申报条件|条件一览|要求|说明)[!！]?$"
)
_ORG_END = regex.compile(org_suffix())
_ORG_SUFFIX = regex.compile(f"(?:{org_suffix()})$")
_DATE_LINE = regex.compile(r"^[（(]?((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?:印发|印|发布|签发)?[）)]?$")
_YEAR_OF = regex.compile(r"((?:19|20)\d{2})\s*年度")
_YEAR_PLAIN = regex.compile(r"((?:19|20)\d{2})\s*年(?!\d{1,2}月)")
_SPECIALTY = regex.compile(
    r"(?:系列|年度|全市|全省|全区|[省市县区])(?P<spec>[^\n系列年度省市]{2,40}?)"
    r"(?:工程(?=正高级|副高级|高级|中级|初级|工程师)|专业(?:技术)?)?"
    r"(?:正高级|副高级|高级|中级|初级|工程师|职称|技术资格|评审)"
)
# the body's own list: 本年度评审专业为：工商管理、农业经济… / 評審專業分為農學、植保四個專業
_SPECIALTY_LIST = regex.compile(
    r"(?:评审|申报|参评)专业(?:为|分为|包括|设置为|有)[：:]?\s*(?P<list>[^。；;\n]{2,200}?)(?:[一二三四五六七八九十\d]+个专业|等(?:专业)?)?(?=[。；;\n]|$)"
)
# a level or a title is not a specialty: 高级经济师资格, 农艺师
_TITLE_WORD = regex.compile(r"师|员|资格|职称|系列")
_NOT_SPECIALTY = regex.compile(r"^(?:开展|做好|印发|报送|关于|申报|组织|全市|全省|专业技术|职称|工程|专业)+$")

# where a notice says what it is about, in characters from its start: the opening paragraph
# names its place, the first lines its year, the first part of the body its year and series
# next to 职称/评审, and the part that sets the scope its specialties
_OPENING = 600
_YEAR_OPENING = 1500
_BODY_START = 3000
_SPECIALTY_LIST_WINDOW = 4000
# without a closing block, the signing date is in the last this many characters
_CLOSING_TAIL = 300


def _squash(s: str) -> str:
    return "".join(s.split())


def _head_lines(text: str, clauses: list[Clause]) -> list[tuple[int, str]]:
    """Lines of the part before the first numbered clause (or the first 12 lines)."""
    end = len(text)
    for c in clauses:
        if c.label is not None:
            end = c.span[0]
            break
    out = []
    for m in P(r"[^\n]+").finditer(text[:end]):
        out.append((m.start(), m.group(0).strip()))
        if len(out) >= 40:
            break
    if not out:
        out = [(m.start(), m.group(0).strip()) for m in P(r"[^\n]+").finditer(text[: min(len(text), 400)])][
            :6
        ]
    return out


def title(text: str, head: list[tuple[int, str]]) -> tuple[str | None, tuple[int, int] | None]:
    for start, line in head:
        repaired = _TRUNCATED_TAIL.sub(r"\1\2知", line)
        if len(line) <= 140 and _TITLE_LINE.match(repaired):
            about = _JUNK_BEFORE_ABOUT.search(repaired)
            cut = about.start(1) if about else 0
            return _squash(repaired[cut:]), (start + cut, start + len(line))
    for k, (start, line) in enumerate(head[:8]):
        line = _TITLE_PREFIX.sub("", line)
        if _TITLE_FALLBACK.match(line) and (k == 0 or not P(r"[:：]").search(line)):
            return _squash(line.rstrip("!！")), (start, start + len(line))
    if head:
        start, line = head[0]
        # a criteria page headed by one short line about titles: 职称评审的资格要求:专业工作年限
        if len(line) <= 40 and _PAGE_HEADLINE.search(line) and not _NOT_HEADLINE.search(line):
            return _squash(line), (start, start + len(line))
    return None, None


def doc_numbers(head: list[tuple[int, str]]) -> list[str]:
    """The notice's own 文号: a masthead line that is only a document number."""
    out = []
    for _, line in head:
        m = DOC_NUMBER.fullmatch(line.replace(" ", ""))
        if m and "令第" not in line:
            out.append(m.group(0))
        elif len(line) <= 24:
            out.extend(f.value for f in repair_broken_numbers(line) if f.span == (0, len(line)))
    return list(dict.fromkeys(out))


def _split_orgs(run: str) -> list[str]:
    """忻州市工业和信息化局忻州市人力资源和社会保障局 → two issuers: a masthead whose separating
    space was lost (OCR, PDF) splits where an org suffix is followed by a place name."""
    cuts = [
        m.end()
        for m in _ORG_END.finditer(run)
        if m.end() < len(run) and gazetteer.gazetteer().pattern.match(run, m.end())
    ]
    bounds = [0, *cuts, len(run)]
    return [run[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def _orgs_in(line: str) -> list[str]:
    parts = [q for p in P(r"[\s　]+").split(line) if p for q in _split_orgs(p)]
    orgs = [
        p for p in parts if 4 <= len(p) <= 40 and _ORG_SUFFIX.search(p) and not P(r"[，。；：:,]").search(p)
    ]
    return orgs if len(orgs) == len(parts) else []


def issuers(head: list[tuple[int, str]], closing: Clause | None) -> list[str]:
    out: list[str] = []
    for _, line in head:
        if _TITLE_LINE.match(line):
            break
        out.extend(_orgs_in(line))
    if not out and closing is not None:
        for line in closing.text.split("\n"):
            line = line.strip()
            if _DATE_LINE.match(line) or not line:
                continue
            if P(r"^(?:抄报|抄送|公开|附件|联系|电话|邮箱|地址)").match(line):
                continue
            out.extend(_orgs_in(line))
    return list(dict.fromkeys(out))


def issue_date(text: str, closing: Clause | None) -> str | None:
    """The signing date: the last line that is only a date, in the closing block or the last lines."""
    region = closing.text if closing is not None else text[-_CLOSING_TAIL:]
    found = None
    for line in region.split("\n"):
        m = _DATE_LINE.match(line.strip())
        if m:
            found = iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return found


_DATE_LINE_START = regex.compile(r"(?m)^[ \t]*[（(]?(\d{4}年\d{1,2}月\d{1,2}日)")


def date_line_spans(text: str) -> set[tuple[int, int]]:
    """Spans of the dates that stand alone on a line (落款, 印发): signing dates, never deadlines."""
    out = set()
    for m in _DATE_LINE_START.finditer(text):
        if _DATE_LINE.match(text[m.start() : line_end(text, m.start())].strip()):
            out.add(m.span(1))
    return out


_YEAR_OF_EVALUATION = regex.compile(r"((?:19|20)\d{2})\s*年(?!\d{1,2}月)[^。；\n]{0,12}?(?:职称|评审|申报)")


def year(text: str, title_text: str | None, signed: str | None) -> int | None:
    """The evaluation year: 2024年度 in the title or opening, else a year next to 职称/评审, else the signing year."""
    for source in (title_text or "", text[:_YEAR_OPENING]):
        m = _YEAR_OF.search(source)
        if m:
            return int(m.group(1))
    if title_text:
        m = _YEAR_PLAIN.search(title_text)
        if m:
            return int(m.group(1))
    m = _YEAR_OF_EVALUATION.search(text[:_BODY_START])
    if m:
        return int(m.group(1))
    return int(signed[:4]) if signed else None


def place(text: str, title_text: str | None, issuer_names: list[str]) -> tuple[str | None, str | None]:
    """(province, city): the first prefecture named by the issuers, the title or the opening
    (a short name counts where it heads 职称/人社: 淮安职称…); else the first province."""
    g = gazetteer.gazetteer()
    sources = ("\n".join(issuer_names), title_text or "", text[:_OPENING])
    province = None
    for source in sources:
        for name, _ in gazetteer.find_places(source):
            if name in g.city_province:
                return g.city_province[name], name
            if province is None and name in g.provinces:
                province = name
        short = gazetteer.find_short_city(source)
        if short:
            return g.city_province[short], short
    return province, None


def series(text: str, title_text: str | None) -> str | None:
    names = lexicon.load("notice")["series"]
    for source in (title_text or "", text[:_BODY_START]):
        m = P(r"([\p{Han}]{1,6})系列").search(source)
        if m:
            for name in names:
                if m.group(0).endswith(name):
                    return name
    # a title that names only the level: 高级工程师 → 工程系列
    for level, name in lexicon.load("notice")["level_series"].items():
        if title_text and level in title_text:
            return name
    return None


def levels(title_text: str | None) -> list[str]:
    """The title levels the title opens (高级工程师, 副主任医师), each once, in order."""
    pattern = P(lexicon.alternation("notice", "levels"))
    return list(dict.fromkeys(m.group(0) for m in pattern.finditer(title_text or "")))


def specialties(title_text: str | None, text: str = "") -> list[str]:
    """As the title names them (工程系列机械、电子专业…), else as the body lists the specialties
    this evaluation covers (评审专业为：…)."""
    found = _title_specialties(title_text) if title_text else []
    if found:
        return found
    m = _SPECIALTY_LIST.search(text[:_SPECIALTY_LIST_WINDOW])
    if not m:
        return []
    items = [x.strip() for x in P(r"[、，,]").split(m.group("list"))]
    return [x for x in items if 2 <= len(x) <= 12 and not _TITLE_WORD.search(x)]


def _title_specialties(title_text: str) -> list[str]:
    m = _SPECIALTY.search(title_text)
    if not m:
        return []
    spec = m.group("spec").strip("、， ")
    spec = P(r"^(?:开展|做好|印发|报送|组织)+").sub("", spec)
    spec = P(r"专业$").sub("", spec)
    if _NOT_SPECIALTY.match(spec):
        return []
    spec = P(r"^(?:全市|全省|全区|工程系列|[\p{Han}]{1,4}系列)").sub("", spec)
    spec = P(r"^\d{4}年度?").sub("", spec)
    if not spec:
        return []
    parts = P(r"、(?![^（(]*[）)])").split(spec)
    return [p for p in (x.strip() for x in parts) if p and not _TITLE_WORD.search(p)]


@dataclass(frozen=True)
class _Found:
    value: str
    span: tuple[int, int]


_NUMBER_TAIL = regex.compile(
    r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号|令第\s*\d{1,4}\s*号"
)


# a scraped number that lost its closing bracket: 枣人社办发〔202032 / 鲁人社发〔202016号
_BROKEN_NUMBER = regex.compile(
    r"(?P<prefix>\p{Han}{2,12}?)〔(?P<year>(?:19|20)\d{2})(?P<serial>\d{1,3})(?:号|(?=[)）\s]|$))"
)


_CITE_LEAD = regex.compile(r"^(?:文件|以下简称)")
# words a bare number's Han prefix picks up from the sentence before the issuer's abbreviation:
# everything up to the last function word goes (评审收费按鄂价费… → 鄂价费…)
_NUMBER_LEAD = regex.compile(
    r"^.*(?:根据|按照|依据|参照|执行|详见|见|按|由|经|在|对|将|即|以|和|及|与|的)|^(?:省|市)+"
)


def repair_broken_numbers(text: str) -> list[_Found]:
    """Numbers whose closing bracket the page lost, rebuilt as 〔year〕serial号."""
    return [
        _Found(f"{m.group('prefix')}〔{m.group('year')}〕{m.group('serial')}号", m.span())
        for m in _BROKEN_NUMBER.finditer(text)
    ]


def _doc_numbers_in(text: str) -> list[_Found]:
    """Document numbers found from their fixed tail (〔2024〕18号) backwards: far cheaper than
    trying an issuer prefix at every character."""
    out = []
    for tail in _NUMBER_TAIL.finditer(text):
        m = DOC_NUMBER.match(text, max(0, tail.start() - 16), tail.end())
        start = max(0, tail.start() - 16)
        while m is None or m.end() != tail.end():
            start += 1
            if start >= tail.start():
                m = None
                break
            m = DOC_NUMBER.match(text, start, tail.end())
        if m is not None:
            out.append(_Found(m.group(0), m.span()))
    out.extend(repair_broken_numbers(text))
    return sorted(out, key=lambda f: f.span)


def cited_documents(ctx: Context) -> list[CitedDocument]:
    """Documents the notice cites: 《title》（文号） first, then bare numbers; never its own 文号."""
    text = ctx.text
    out: list[CitedDocument] = []
    seen: set[str] = set()
    own_keys = {_squash(n) for n in ctx.own_numbers}
    for m in _CITATION.finditer(text):
        number = _squash(m.group("number"))
        number = _CITE_LEAD.sub("", number)
        if number in seen or number in own_keys:
            continue
        seen.add(number)
        out.append(CitedDocument(ctx.evidence(m.span()), number, _squash(m.group("title"))))
    for m in _doc_numbers_in(text):
        number = _squash(m.value)
        number = _NUMBER_LEAD.sub("", number)
        if (
            len(number) < 6
            or number in seen
            or number in own_keys
            or any(number.endswith(s) or s.endswith(number) for s in seen)
        ):
            continue
        seen.add(number)
        out.append(CitedDocument(ctx.evidence(m.span), number, None))
    out.sort(key=lambda c: c.evidence.span[0])
    return out


def extract_meta(text: str, clauses: list[Clause], published: str | None = None) -> NoticeMeta:
    """Everything the notice says about itself; ``published`` (a web page's date) stands in
    for a signing date the text does not print."""
    head = _head_lines(text, clauses)
    closing = next((c for c in clauses if c.id == "end"), None)
    t, tspan = title(text, head)
    nums = doc_numbers(head)
    iss = issuers(head, closing)
    date = issue_date(text, closing) or published
    yr = year(text, t, date)
    prov, city = place(text, t, iss)
    return NoticeMeta(
        title=t,
        doc_numbers=tuple(nums),
        issuers=tuple(iss),
        issue_date=date,
        province=prov,
        city=city,
        year=yr,
        series=series(text, t),
        levels=tuple(levels(t)),
        specialties=tuple(specialties(t, text)),
        cited_documents=(),
        title_span=tspan,
    )
