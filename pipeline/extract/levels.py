"""The title levels a notice opens and its series, read with the national title system.

The title says it first (关于开展…高级农艺师、农艺师职称评审工作的通知); a criteria page
without one heads each level's rules with the level's name on a line of its own
(``正高级教师``, ``（一）初级教练``, ``第九条 农业技术推广研究员``). Names that are
also everyday words (编辑, 翻译, 管理员) count only in those places, never from
running text.
"""

from __future__ import annotations

import regex

from pipeline import titles

# a title that speaks of titles: there 编辑 and 记者 are levels, not trades
_ABOUT_TITLES = regex.compile(r"职称|资格|评审|评定|评聘|任职|职务|申报|晋升|系列")
# a line that heads one level's rules: an optional clause label, the names, an optional tail
_LABEL = regex.compile(
    r"(?:第[一二三四五六七八九十百\d]+[条章节]\s*|[（(][一二三四五六七八九十\d]+[）)]\s*|[一二三四五六七八九十\d]+[、.．]\s*)?"
)
_TAIL = regex.compile(
    r"(?:职称|专业技术职务|任职资格|资格|职务|岗位)?"
    r"(?:的)?(?:(?:申报|评审|申请|资格|任职|基本|业绩|评价)*(?:条件|要求|标准)(?:如下)?)?[:：]?"
)
_APPLY_FOR = regex.compile(
    r"(?:申报|申请|晋升|评审|评定|推荐)(?:评审|认定)?(?P<name>\p{Han}{2,12}?)(?:职称|任职资格|资格|职务|专业技术职务)"
)
_JOIN = regex.compile(r"[、，,和及与/\s（）()]+")
_MAX_HEADING = 30
_MAX_LABEL = 8  # 第十二条 , （十二）


def _heading_names(line: str) -> list[str]:
    """The names a level-heading line gives, or [] when the line is anything else."""
    if len(line) > _MAX_HEADING + _MAX_LABEL:
        return []
    m = _LABEL.match(line)
    body = line[m.end() if m else 0 :].strip()
    found = titles.find_names(body)
    if not found or len(body) > _MAX_HEADING:
        return []
    rest = body
    for name, _ in found:
        rest = rest.replace(name, "、", 1)
    rest = _JOIN.sub("", rest)
    return [n for n, _ in found] if _TAIL.fullmatch(rest) else []


def levels(title_text: str | None, text: str = "", body_start: int = 0) -> list[str]:
    """The printed names of the levels opened, in order, each once: the title's; else the
    level-heading lines of the body (after the title: a site header above it is no heading);
    else the levels a sentence says one applies for."""
    if title_text:
        ordinary = bool(_ABOUT_TITLES.search(title_text))
        found = [n for n, _ in titles.find_names(title_text, ordinary=ordinary)]
        if found:
            return list(dict.fromkeys(found))
    out: list[str] = []
    text = text[body_start:]
    for line in text.split("\n"):
        out.extend(_heading_names(line.strip()))
    if not out:
        # 可申报评审正高级审计师职称 / 晋升副教授: the level a sentence says one applies for
        out = [
            m.group("name") for m in _APPLY_FOR.finditer(text) if m.group("name") in titles.system().levels_of
        ]
        out = [n for n in out if n not in titles.system().ordinary]
    return list(dict.fromkeys(out))


def series(text: str, title_text: str | None, level_names: list[str]) -> str | None:
    """The series: as the title names it (工程系列, 出版专业技术人员), else as the opening text
    writes ``X系列``, else the one series that the levels' names belong to (主任记者 → 新闻系列)."""
    if title_text:
        found = titles.series_named(title_text, suffixed=False)
        if found:
            return found
    found = titles.series_named(text[:3000], suffixed=True)
    if found:
        return found
    return titles.series_of_names(level_names)
