"""Web-page furniture around a reposted notice: the headline, its posting line, the breadcrumb.

Reposting sites print the article's headline above a posting line (时间 / 来源 /
浏览), and a breadcrumb (当前位置: 首页 > … > headline) above both. Those lines
place the headline when the page has no 关于…的通知 title, and they are not the
notice's own text: a posting time is not its issue date, a year in a breadcrumb
(2025年高会评审条件 >) is not its evaluation year.
"""

from __future__ import annotations

import regex

from pipeline import titles
from pipeline.patterns import P

# 时间:2020-11-09 访问量:2554 / 发布日期: 2021-12-14 15:39 / 来源: 树人论文网发表时间:2018-08-03 / a bare timestamp
_META = regex.compile(
    r"^[\[【(（]?\s*(?:(?:发布|更新|编稿|发表|录入|上传|撰稿)?(?:时间|日期)|(?:信息|文章|稿件|新闻)?来源|作者|发布(?:者|人|单位|机构)"
    r"|(?:责任)?编辑|录入|浏览(?:次数|量)?|访问(?:量|次数)|阅读(?:量|次数)?|点击(?:量|数|率)?|热度)\s*[:：]"
    r"|^(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
    r"|(?:发布|更新|发表)(?:时间|日期)\s*[:：]\s*(?:19|20)\d{2}"
    r"|^[【\[]\s*字[体号]\s*[:：]|^字号\s*[:：]?$"  # the page's toolbar: 【字体: 】【打印】【关闭】
)
_CRUMB_LEAD = regex.compile(r"^(?:当前位置|您的位置|你的位置|所在位置|位置)\s*[:：]")
_CRUMB_SEP = regex.compile(r"\s*[>›»]\s*")
# a crumb that reads as an article's headline, not a section (通知公告, 职称评定指南)
_HEADLINE_WORD = regex.compile(r"职称|评审|评定|资格|条件|申报|标准|办法|通知|公告|解答|问答|收费")
_MIN_CRUMB = 8
_MAX_HEADLINE = 80


def is_meta(line: str) -> bool:
    """A posting line of the page (time, source, views), not the notice's text."""
    return bool(_META.search(line.strip()))


def is_breadcrumb(line: str) -> bool:
    line = line.strip()
    return bool(_CRUMB_LEAD.match(line)) or (line.endswith((">", "›", "»")) and len(line) <= 40)


# a site's navigation bar: three or more short words in a row (首页 政务动态 政务公开 …)
_NAV_BAR = regex.compile(r"^(?:\S{1,6}\s+){2,}\S{1,6}$")


def _headline_like(line: str) -> bool:
    return (
        4 <= len(line) <= _MAX_HEADLINE
        and "。" not in line
        and not is_meta(line)
        and not is_breadcrumb(line)
        and not P(r"[>›»|]").search(line)
        and not _NAV_BAR.match(line)
    )


def headline_above_posting_line(head: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The line just above the first posting line (时间/来源/浏览…): the article's headline."""
    for k, (_, line) in enumerate(head):
        if k and is_meta(line):
            start, above = head[k - 1]
            # a site's name above its posting line is no headline: the headline speaks of titles
            if _headline_like(above) and (_HEADLINE_WORD.search(above) or titles.find_names(above)):
                return start, above
            return None
    return None


def headline_from_breadcrumb(head: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The last crumb of a breadcrumb, when it reads as a headline: 当前位置: 首页 > … > X, or a
    crumb per line (高级会计师 > / 2025年高会评审条件 > / X 二节…) where X is cut at its first gap."""
    for k, (start, line) in enumerate(head):
        if _CRUMB_LEAD.match(line) and _CRUMB_SEP.search(line):
            parts = _CRUMB_SEP.split(line)
            last = parts[-1].strip()
            if len(last) >= _MIN_CRUMB and _HEADLINE_WORD.search(last):
                return start + line.rindex(last), last
        elif line.endswith((">", "›", "»")) and k + 1 < len(head):
            nxt_start, nxt = head[k + 1]
            if nxt.endswith((">", "›", "»")):
                continue
            crumb = P(r"\s+").split(nxt, maxsplit=1)[0]
            if len(crumb) >= _MIN_CRUMB and _HEADLINE_WORD.search(crumb) and _headline_like(crumb):
                return nxt_start, crumb
    return None


_SOURCE = regex.compile(r"(?:信息|文章|稿件)?来源\s*[:：]\s*(?P<src>[^\s|｜]+)")


def posted_by(head: list[tuple[int, str]]) -> str | None:
    """What the posting line gives as the source (来源: 天津市人力资源和社会保障局), if anything."""
    for _, line in head:
        if is_meta(line):
            m = _SOURCE.search(line)
            if m:
                return m.group("src")
    return None


def blank_furniture(text: str) -> str:
    """The text with posting lines and breadcrumbs blanked (same length, so offsets hold): what is
    left to read the notice's own year and dates from."""
    out = []
    for line in text.split("\n"):
        out.append(" " * len(line) if (is_meta(line) or is_breadcrumb(line)) else line)
    return "\n".join(out)
