"""Which words after a clause label are its heading, and how sure that reading is.

A label line carries a heading in several printed shapes: a title line of its own
(``一、评审范围``), a short title before the first stop (``（一）学历、资历要求。应符合…``),
a title before the selection rule (``1、专业理论知识, 符合下列条件:``), a title glued to
the body in a run-together scrape (``第二条专业技术工作经历(能力)要求任现职期间…``), or an
item line that ends with a colon and introduces sub-items. The same shapes are also
plain sentences (``三、按照要求完成岗位培训。``, ``(一)获长江韬奋奖。``), so a reading
that could be either is marked weak and settled against its siblings: a numbered run is
either a run of titles or a run of sentences, so a weak heading stands only beside a sure
one (第十二条学历、资历条件。… / 第十三条 工作业绩和能力。).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from pipeline import lexicon

# a heading that is sure (a title line, a title before a stop), a whole-line sentence that may
# be a title, an item line ending in a colon (a title only when sub-items follow), or none
LINE, LEAD, SENTENCE, COLON, NONE = "line", "lead", "sentence", "colon", "none"

_ITEM_STYLES = {"arabic_dot", "arabic_paren", "circled"}
_INSTRUCTION = regex.compile(r"下列|如下|以下|之一")
_HEADING_LINE = regex.compile(r"^[^，。；：,;:？！]{1,40}$")
_HEADING_LINE_COMMAS = regex.compile(r"^[^。；：;:？！]{1,40}$")
_HEADING_LEAD = regex.compile(r"^([^，。；：,;:]{2,30})[。：:](?=.)")
# 一、评审范围 本次评审面向…: a short title, a space, then the body on the same line
_SPACED_TITLE = regex.compile(r"^([^\s，。；：,;:、]{2,15}(?:、[^\s，。；：,;:、]{2,15})?)[ \u3000]+(?=\S)")
_SENTENCE_LINE = regex.compile(r"^([^，。；：,;:？！]{2,40})[。.]$")
_COLON_LINE = regex.compile(r"^([^，。；：,;:？！]{2,40})[：:]$")
# 专业理论知识, 符合下列条件: the title before the rule that selects its items
_BEFORE_RULE = regex.compile(
    r"^([^，。；：,;:]{2,20}?)\s*[，,]\s*(?:应|须|需|必须)?(?:同时)?(?:符合|具备|具有|满足|达到)(?:下列|以下|如下)"
)
# 任现职以来, 符合下列条件之一: a time phrase before the rule is not a title
_TIME_PHRASE = regex.compile(r"(?:以来|期间|以后|之后|后|以前|之前|前|时|中)$")
_DIGIT = regex.compile(r"\d")
# 本评定标准中的“档案专业人员”指: a definition sentence, not a title
_DEFINITION = regex.compile(r"(?:指|是|为)$")
# words of a sentence that a glued title never holds (第二条职称评审是按照规定的评审条件…)
_NOT_GLUED = regex.compile(r"是|的|按照|根据")


@dataclass(frozen=True)
class Reading:
    heading: str | None
    kind: str


@functools.cache
def _glued() -> regex.Pattern[str]:
    words = lexicon.alternation("headings", "glued_ends")
    openers = lexicon.alternation("headings", "sentence_openers")
    # the shortest run of title words, outside brackets, that ends in a title noun and runs
    # straight on into the body (a Han character or a sub-label follows, not a comma)
    return regex.compile(
        rf"^(?!(?:{openers}))((?:[^\s，。；：,;:、“”《》()（）]|[（(][^）)]{{1,8}}[）)]){{0,18}}?(?:{words}))(?=[\p{{Han}}（(])"
    )


@functools.cache
def _opener() -> regex.Pattern[str]:
    return regex.compile(rf"^(?:{lexicon.alternation('headings', 'sentence_openers')})")


def _title_words(words: str) -> bool:
    """专业理论知识 before ``, 符合下列条件``: a noun phrase, not a time phrase (任现职以来), a
    sentence's subject or verb (申报人员, 具有良好的职业道德) or a count."""
    return not (_TIME_PHRASE.search(words) or _DIGIT.search(words) or _opener().match(words.strip()))


def read(rest: str, style: str, more_after: bool) -> Reading:
    """The heading reading of the text after a label, up to the line end or the next label.

    ``more_after``: the notice goes on after this line (a title needs a body to head)."""
    rest = rest.strip()
    if not rest:
        return Reading(None, NONE)
    rule = _BEFORE_RULE.match(rest)
    if rule and _title_words(rule.group(1)):
        return Reading(rule.group(1).strip(), LEAD)
    if style in _ITEM_STYLES:
        short = len(rest) <= 15 and _HEADING_LINE.match(rest.rstrip("：:"))
        if more_after and short and not _INSTRUCTION.search(rest):
            return Reading(rest.rstrip("：:、 "), LINE)
        colon = _COLON_LINE.match(rest)
        if colon and not _INSTRUCTION.search(rest):
            return Reading(colon.group(1).strip(), COLON)
    else:
        line_rule = _HEADING_LINE_COMMAS if style in {"chapter", "cn_dun"} else _HEADING_LINE
        ends = rest[-1]
        if ends not in "。." and not _INSTRUCTION.search(rest):
            bare = rest.rstrip("：:")
            if len(bare) <= 40 and line_rule.match(bare):
                return Reading(bare.rstrip("、 "), LINE)
    lead = _HEADING_LEAD.match(rest)
    if lead:
        words = lead.group(1).strip()
        if not _INSTRUCTION.search(words) and not _DIGIT.search(words) and not _DEFINITION.search(words):
            return Reading(words, LEAD)
    spaced = _SPACED_TITLE.match(rest) if style not in _ITEM_STYLES else None
    if spaced and not _DIGIT.search(spaced.group(1)) and not _INSTRUCTION.search(spaced.group(1)):
        return Reading(spaced.group(1), LEAD)
    if style in {"chapter", "article"}:
        glued = _glued().match(rest)
        words = glued.group(1) if glued else ""
        if 2 <= len(words) <= 20 and not _INSTRUCTION.search(words) and not _NOT_GLUED.search(words):
            return Reading(words, LEAD)
    if style not in _ITEM_STYLES:
        sentence = _SENTENCE_LINE.match(rest)
        if sentence and not _INSTRUCTION.search(rest):
            return Reading(sentence.group(1).strip(), SENTENCE)
    return Reading(None, NONE)


def settle(readings: list[Reading], has_children: list[bool]) -> list[str | None]:
    """The headings of one numbered run (siblings of one style under one parent).

    A whole-line sentence is a title only beside a sure title in the same run, or in a run
    of short ones with no plain sentence among them; an item line ending in a colon is a
    title only when it heads sub-items."""
    sure = any(r.kind in {LINE, LEAD} for r in readings)
    plain = any(r.kind == NONE for r in readings)
    short = all(len(r.heading or "") <= 10 for r in readings if r.kind == SENTENCE)
    out: list[str | None] = []
    for r, kids in zip(readings, has_children, strict=True):
        if r.kind == SENTENCE:
            out.append(r.heading if sure or (not plain and short) else None)
        elif r.kind == COLON:
            out.append(r.heading if kids else None)
        else:
            out.append(r.heading)
    return out
