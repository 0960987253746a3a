"""The notice's own metadata: title, 文号, issuers, date, place, year, series, levels, specialties, citations.

Official documents put these in fixed places — masthead and 文号 above the
title, the signature and date at the end, cited documents as 《title》（文号）
— so each is read from its place first and from the running text only as a
fallback.
"""

from __future__ import annotations

import regex

from pipeline import gazetteer, titles
from pipeline.extract import adverts, levels, page, signature
from pipeline.extract.dates import iso

# cited_documents and repair_broken_numbers are re-exported: extract/__init__ and tests read them here
from pipeline.extract.docnumbers import cited_documents as cited_documents
from pipeline.extract.docnumbers import doc_numbers
from pipeline.extract.docnumbers import repair_broken_numbers as repair_broken_numbers
from pipeline.patterns import P, line_end
from pipeline.types import Clause, NoticeMeta

_TITLE_LINE = regex.compile(
    r"^(?:[^\n]{0,40}?)(?:关于|转发)[^\n]{4,120}?(?:通知|通告|公告|意见|办法|方案|安排|细则|规定|函|条件|要求|说明)$"
)
# a web page's title line cut one character short: …工作的通
_TRUNCATED_TAIL = regex.compile(r"(关于.{4,100}?)(的通)$")
# spam before the real title: 某某官方网站关于开展… → 关于开展…; kept when the prefix is a place or issuer
_JUNK_BEFORE_ABOUT = regex.compile(r"^[^\n]*?[A-Za-z·()（）]+[^\n]*?(关于.+)$")
# a sentence that states a rule, or a chapter or clause heading, not a title: 申报人员应具备下列条件 /
# 第五章 能力业绩条件 / 二、基本条件要求
_RULE_WORDS = regex.compile(
    r"下列|以下|如下|应当|应具|须具|必须|符合|^第[一二三四五六七八九十百\d]+[章节条]"
    r"|^[一二三四五六七八九十]+[、.．]|^[（(][一二三四五六七八九十\d]+[）)]"
)
_PAGE_HEADLINE = regex.compile(
    r"职称.*(?:评审|评定|评聘|申报|资格|条件|要求|晋升)|(?:评审|申报).*(?:条件|要求)"
)
_NOT_HEADLINE = regex.compile(r"[，。；,;>|]|^(?:[一二三四五六七八九十]+、|[（(]|\d+[.、])")
_TITLE_PREFIX = regex.compile(r"^(?:第[一二三四五六七八九十\d]+篇[:：]\s*|附件\s*\d*\s*)")
_TITLE_FALLBACK = regex.compile(
    r"^[^\n，。；,]{6,80}(?:通知|通告|公告|办法|方案|条件|条件一览|标准|要求|说明|解答|问答)[!！]?$"
    # a question about titles heads a Q&A page: 中小学教师评职称要什么条件?
    r"|^[^\n，。；,?？]{6,40}(?:职称|评审|评定|申报|条件|资格)[^\n，。；,?？]{0,12}[?？]$"
)
_DATE_LINE = signature.DATE_LINE
_orgs_in = signature.orgs_in
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


# a flattened page's title run into its 文号: 关于印发…的通知鄂职改办2013128 号各市…
_RUN_ON_TITLE = regex.compile(
    r"^\d{0,3}[、.]?\s*(关于[^。；\n]{4,120}?的\s*(?:通知|意见|办法|通告|公告|批复))"
    r"(?=\s*\p{Han}{2,10}?\s*[〔\[［【(（]?\s*(?:19|20)\d{2})"
)
_LEADING_PAGE_NUMBER = regex.compile(r"^\d{1,3}[、.]?\s*(?=\p{Han})")


def _orgs_before_about(line: str) -> tuple[list[str], int]:
    """四川省新闻出版局 四川省人力资源和社会保障厅关于印发… → (the two issuers, offset of 关于):
    a masthead run into the title line."""
    at = line.find("关于")
    if at <= 0:
        return [], 0
    orgs = _orgs_in(line[:at].strip())
    return (orgs, at) if orgs else ([], 0)


def _title_line(head: list[tuple[int, str]]) -> tuple[str, tuple[int, int]] | None:
    for start, line in head:
        repaired = _TRUNCATED_TAIL.sub(r"\1\2知", line)
        if len(line) <= 140 and _TITLE_LINE.match(repaired):
            about = _JUNK_BEFORE_ABOUT.search(repaired)
            cut = about.start(1) if about else _orgs_before_about(repaired)[1]
            return _squash(repaired[cut:]), (start + cut, start + len(line))
    for start, line in head[:3]:
        m = _RUN_ON_TITLE.search(line)
        if m:
            return _squash(m.group(1)), (start + m.start(1), start + m.end(1))
    return None


def title(text: str, head: list[tuple[int, str]]) -> tuple[str | None, tuple[int, int] | None]:
    found = _title_line(head)
    if found:
        return found
    headline = page.headline_above_posting_line(head) or page.headline_from_breadcrumb(head)
    if headline:
        start, line = headline
        return _squash(line), (start, start + len(line))
    for k, (start, line) in enumerate(head[:8]):
        line = _TITLE_PREFIX.sub("", line)
        if k == 0 and len(line) > 80:
            # a first line that runs the title into the body: 1 宁夏…相关问题解答 为 进 一 步…
            lead = _LEADING_PAGE_NUMBER.match(line)
            cut = lead.end() if lead else 0
            line = P(r"\s+").split(line[cut:], maxsplit=1)[0]
            start += cut
        if (
            _TITLE_FALLBACK.match(line)
            and (k == 0 or not P(r"[:：]").search(line))
            and not _RULE_WORDS.search(line)
        ):
            return _squash(line.rstrip("!！")), (start, start + len(line))
    if head:
        start, line = head[0]
        # a criteria page headed by one short line about titles: 职称评审的资格要求:专业工作年限
        if len(line) <= 40 and _PAGE_HEADLINE.search(line) and not _NOT_HEADLINE.search(line):
            return _squash(line), (start, start + len(line))
    return None, None


def issuers(head: list[tuple[int, str]], closing: Clause | None, text: str = "") -> list[str]:
    """The masthead's orgs (above the title, or run into it); else the signature's; else the org
    a reposting page names as its source. A masthead that names only some of the signers (a
    site-name line above the title) gives way to them."""
    masthead: list[str] = []
    for _, line in head:
        if _TITLE_LINE.match(line):
            masthead.extend(_orgs_before_about(line)[0])
            break
        masthead.extend(_orgs_in(line))
    signed: list[str] = []
    if closing is not None:
        for line in closing.text.split("\n"):
            line = line.strip()
            if _DATE_LINE.match(line) or not line:
                continue
            if P(r"^(?:抄报|抄送|公开|附件|联系|电话|邮箱|地址)").match(line):
                continue
            signed.extend(_orgs_in(line))
    if not signed:
        blocks = signature.signed_blocks(text)
        run_on = None if blocks else signature.run_on_signature(text)
        signed = blocks[0][0] if blocks else (run_on[0] if run_on else [])
    if masthead and set(masthead) < set(signed):
        return list(dict.fromkeys(signed))
    return list(dict.fromkeys(masthead or signed or _source_org(head)))


def _source_org(head: list[tuple[int, str]]) -> list[str]:
    """A page with neither masthead nor signature: the org its posting line names as the source,
    when that is an org's full name (天津市人力资源和社会保障局, not 市人社局 or a news site)."""
    source = page.posted_by(head)
    orgs = _orgs_in(source) if source else []
    g = gazetteer.gazetteer()
    return orgs if orgs and all(g.pattern.match(o) for o in orgs) else []


def issue_date(text: str, closing: Clause | None) -> str | None:
    """The signing date: the last line that is only a date, in the closing block or the last lines;
    else the date under a signature wherever it stands (an 印发 notice), or run into the text."""
    region = closing.text if closing is not None else text[-_CLOSING_TAIL:]
    found = None
    for line in region.split("\n"):
        m = _DATE_LINE.match(line.strip())
        if m:
            found = iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if found:
        return found
    blocks = signature.signed_blocks(text)
    if blocks:
        return blocks[0][1]
    run_on = signature.run_on_signature(text)
    return run_on[1] if run_on else None


_DATE_LINE_START = regex.compile(r"(?m)^[ \t]*[（(]?(\d{4}年\d{1,2}月\d{1,2}日)")


def date_line_spans(text: str) -> set[tuple[int, int]]:
    """Spans of the dates that stand alone on a line (落款, 印发): signing dates, never deadlines."""
    out = set()
    for m in _DATE_LINE_START.finditer(text):
        if _DATE_LINE.match(text[m.start() : line_end(text, m.start())].strip()):
            out.add(m.span(1))
    return out


# 关于印发…评审条件的通知 / 关于调整…收费标准的通知: standing rules, not one year's round
_STANDING_RULES = regex.compile(r"(?:印发|调整|修订|公布)[^。]*?(?:条件|标准|办法|规定|细则)")
_YEAR_OF_EVALUATION = regex.compile(r"((?:19|20)\d{2})\s*年(?!\d{1,2}月)[^。；\n]{0,12}?(?:职称|评审|申报)")


def year(text: str, title_text: str | None, signed: str | None) -> int | None:
    """The evaluation year: 2024年度 in the title or opening, else a year next to 职称/评审, else the
    signing year — unless the notice issues standing rules (印发…条件, 调整…收费标准). A reposting
    site's breadcrumb and posting lines (2025年高会评审条件 >) are not read."""
    text = page.blank_furniture(text[:_BODY_START])
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
    if title_text and _STANDING_RULES.search(title_text):
        return None  # a document that issues standing rules is for no one year's evaluation
    return int(signed[:4]) if signed else None


def place(text: str, title_text: str | None, issuer_names: list[str]) -> tuple[str | None, str | None]:
    """(province, city): the first prefecture named by the issuers, the title or the opening
    (a short name counts where it heads 职称/人社: 淮安职称…); else a county, district or new area
    that seats the issuer (长沙县人社局, 湘江新区管委会); else the first province; else, when the
    opening names no place, one that seats an office in the body. A municipality (天津市) is
    both province and city."""
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
    county = gazetteer.find_county_office("\n".join(sources[:2]))
    if county is None and province is None:
        county = gazetteer.find_county_office(text)
    if county and province in (None, county[0]):
        return county
    if province is None:
        seat = gazetteer.find_office_place(text)
        if seat in g.city_province:
            return g.city_province[seat], seat
        province = seat
    return province, province if province in gazetteer.MUNICIPALITIES else None


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
    return [p for p in (x.strip() for x in parts) if p and not _TITLE_WORD.search(p) and not _is_level(p)]


def _is_level(word: str) -> bool:
    """中级, 副高级: a level of the title system, never a specialty."""
    return any(span == (0, len(word)) for _, span in titles.find_names(word))


def extract_meta(text: str, clauses: list[Clause], published: str | None = None) -> NoticeMeta:
    """Everything the notice says about itself; ``published`` (a web page's date) stands in
    for a signing date the text does not print."""
    head = _head_lines(text, clauses)
    closing = next((c for c in clauses if c.id == "end"), None)
    t, tspan = title(text, head)
    nums = doc_numbers(head, text, tspan)
    iss = issuers(head, closing, text)
    date = issue_date(text, closing) or published
    yr = year(text, t, date)
    prov, city = place(adverts.without_adverts(text), t, iss)
    lv = levels.levels(t, text, tspan[1] if tspan else 0)
    return NoticeMeta(
        title=t,
        doc_numbers=tuple(nums),
        issuers=tuple(iss),
        issue_date=date,
        province=prov,
        city=city,
        year=yr,
        series=levels.series(text, t, lv),
        levels=tuple(lv),
        specialties=tuple(specialties(t, text)),
        cited_documents=(),
        title_span=tspan,
    )
