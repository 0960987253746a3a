"""Clean text → clause tree, mirroring the notice's numbering.

Chinese official documents number their parts in a fixed order of styles
(一、 › （一） › 1. › （1） › ①), but excerpts start at any depth and lists
restart inside clauses. So the tree is built with a stack: a numbering style
already open on the stack makes a sibling, a new style makes a child, and a
style that ranks above the open one closes clauses until it fits.

Text before the first number (masthead, title, addressees, preamble) is the
unnumbered node ``"0"``; the closing block (contacts, attachments, signature,
distribution) after the last numbered clause is the unnumbered node ``"end"``.
Which words after a label are its heading is read in ``clause_headings``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from pipeline import clause_headings
from pipeline.patterns import P, cn_to_int, org_suffix
from pipeline.types import Clause, NormalizedText

_CN = "一二三四五六七八九十百"

# style key -> (rank, pattern of the label at a line start)
STYLES: dict[str, tuple[int, regex.Pattern[str]]] = {
    "chapter": (0, regex.compile(rf"第[{_CN}\d]+章")),
    "article": (1, regex.compile(rf"第[{_CN}\d]+条")),
    "cn_dun": (2, regex.compile(rf"[{_CN}]+(?:、|[.．](?!\d))")),
    "cn_paren": (3, regex.compile(rf"[（(][{_CN}]+[）)]")),
    "arabic_dot": (4, regex.compile(r"\d{1,2}(?:[、]|[.．](?!\d)|[.．](?=\d{4}年))")),
    "arabic_paren": (5, regex.compile(r"[（(]\d{1,2}[）)]")),
    "circled": (6, regex.compile(r"[①-⑳]")),
}
_ANY_LABEL = regex.compile("|".join(f"(?P<{k}>{p.pattern})" for k, (_, p) in STYLES.items()))
# markers that may also start mid-line, after a sentence end, in text flattened to one line
_INLINE = regex.compile(rf"(?<=[。；;])\s*(?=(?:[{_CN}]+、|[（(][{_CN}]+[）)]))")
# a run-together scrape glues 章 and 条 into one line (评定标准第一章总则第一条为…): a chapter
# label followed by a short title and an article label starts both, wherever it stands
_GLUED_CHAPTER = regex.compile(
    rf"第[{_CN}\d]+章(?P<head>(?:(?!规定|有关|所列|的)[^\s，。；：,;:、“”《》（）()]){{2,20}}?)(?P<art>第[{_CN}\d]+条)"
)
# 一,具有… : a label printed with a comma, read as 一、 when the next label of its run is 二、
_CN_COMMA = regex.compile(rf"[{_CN}]+[,，](?=\S)")
_CLOSING_START = regex.compile(
    r"^(?:附件|附表|联系人|联系电话|联系方式|联系地址|咨询电话|电子邮箱|邮箱|抄报|抄送|公开类型|公开方式|本通知|特此通知)"
)
_SIGNATURE_LINE = regex.compile(
    r"^(?:\d{4}年\d{1,2}月\d{1,2}日(?:印发?)?|共印\d+份|[^，。；：,;:]{2,40}(?:" + org_suffix() + "))$"
)
_CLOSING_LINE_MAX = 45


@dataclass(frozen=True)
class _Marker:
    start: int  # offset of the label
    end: int  # offset after the label
    style: str
    label: str
    line_end: int


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    starts.extend(m.end() for m in _INLINE.finditer(text))
    for m in _GLUED_CHAPTER.finditer(text):
        starts.extend((m.start(), m.start("art")))
    return sorted(set(starts))


def _markers(text: str, starts: list[int]) -> list[_Marker]:
    out = []
    proper: list[tuple[int, int | None]] | None = None  # (offset, number) of the 一、 labels, once
    for s in starts:
        m = _ANY_LABEL.match(text, s)
        if not m:
            if _CN_COMMA.match(text, s):
                if proper is None:
                    proper = _dun_labels(text)
                repaired = _comma_label(text, s, proper)
                if repaired:
                    out.append(repaired)
            continue
        if m.end() >= len(text):
            continue
        style = m.lastgroup or ""
        after = text[m.end() : m.end() + 5]
        if style == "arabic_dot" and after[:1].isdigit() and not P(r"\d{4}年").match(after):
            continue  # 1、2 or 2.5: a number, not a label
        line_end = text.find("\n", m.end())
        out.append(_Marker(m.start(), m.end(), style, m.group(0), len(text) if line_end < 0 else line_end))
    return out


def _dun_labels(text: str) -> list[tuple[int, int | None]]:
    """Offset and number of every 一、-style label at a line start."""
    follow = P(rf"(?m)^\s*(?P<l>{STYLES['cn_dun'][1].pattern})")
    return [
        (f.start(), label_number(f.group("l"))) for f in follow.finditer(text) if f.group("l").endswith("、")
    ]


def _comma_label(text: str, start: int, proper: list[tuple[int, int | None]]) -> _Marker | None:
    """一,具有… at a line start: the 一、 of a run whose next label (二、) is printed right."""
    m = _CN_COMMA.match(text, start)
    if not m or (start > 0 and text[start - 1] != "\n"):
        return None
    label = m.group(0)[:-1] + "、"
    number = label_number(label)
    i = bisect.bisect_right(proper, (m.end(), -1))
    if number is None or i >= len(proper) or proper[i][1] != number + 1:
        return None
    line_end = text.find("\n", m.end())
    return _Marker(start, m.end(), "cn_dun", label, len(text) if line_end < 0 else line_end)


def _closing_start(text: str, after: int) -> int:
    """Offset where the closing block starts: contacts, attachments, signature lines.

    The closing block is made of short lines at the end of the notice; it
    starts at the first of them that opens one (附件, 联系人, 本通知…) or at
    the trailing run of signature lines (issuer names, the date).
    """
    lines = [(m.start(), m.group(0).strip()) for m in P(r"[^\n]+").finditer(text, pos=after)]
    tail: list[tuple[int, str]] = []
    for start, line in reversed(lines):
        if len(line) > _CLOSING_LINE_MAX and not _CLOSING_START.match(line):
            break
        tail.append((start, line))
    tail.reverse()
    cut = len(text)
    for start, line in reversed(tail):
        if _SIGNATURE_LINE.match(line):
            cut = start
        else:
            break
    for start, line in tail:
        if _CLOSING_START.match(line):
            return min(start, cut)
    return cut


def segment(norm: NormalizedText) -> list[Clause]:
    """The clause tree of a normalized notice: a list of top-level nodes."""
    text = norm.text
    markers = _markers(text, _line_starts(text))
    roots: list[Clause] = []
    if not markers:
        if text.strip():
            roots.append(_node("0", None, None, 0, len(text), text))
        return roots
    closing = _closing_start(text, markers[0].line_end)
    markers = [mk for mk in markers if mk.start < closing]
    if markers[0].start > 0:
        roots.append(_node("0", None, None, 0, markers[0].start, text))
    stack: list[Clause] = []
    ends: list[int] = [mk.start for mk in markers[1:]] + [closing]
    readings: dict[int, clause_headings.Reading] = {}
    # numbered children so far, per parent (by identity) and per style at the top level:
    # counted as they are added, so a list of n items costs n, not n² / 2
    children_of: dict[int, int] = {}
    top_of_style: dict[str, int] = {}
    for mk, own_end in zip(markers, ends, strict=True):
        rank = STYLES[mk.style][0]
        if any(c.style == mk.style for c in stack):
            while stack[-1].style != mk.style:
                stack.pop()
            stack.pop()
        else:
            while stack and STYLES[stack[-1].style or "circled"][0] > rank:
                stack.pop()
        if stack:
            parent = stack[-1]
            ordinal = children_of[id(parent)] = children_of.get(id(parent), 0) + 1
            siblings = parent.children
            cid = f"{parent.id}.{ordinal}"
        else:
            ordinal = top_of_style[mk.style] = top_of_style.get(mk.style, 0) + 1
            siblings = roots
            cid = str(ordinal)
        stop = min(mk.line_end, own_end)
        reading = clause_headings.read(text[mk.end : stop], mk.style, stop < len(text))
        if reading.kind == clause_headings.SENTENCE and text[stop:own_end].strip():
            # 任职时间计算。 on a line of its own with the body below: it heads that body
            reading = clause_headings.Reading(reading.heading, clause_headings.LINE)
        clause = _node(cid, mk.label, reading.heading, mk.start, own_end, text, mk.style)
        readings[id(clause)] = reading
        siblings.append(clause)
        stack.append(clause)
    _settle_headings(roots, readings)
    roots = _fold_leading_fragments(roots, text)
    if closing < len(text) and text[closing:].strip():
        roots.append(_node("end", None, None, closing, len(text), text))
    return roots


def _settle_headings(siblings: list[Clause], readings: dict[int, clause_headings.Reading]) -> None:
    """Weigh each numbered run's weak headings against its siblings (see clause_headings)."""
    for style in dict.fromkeys(c.style for c in siblings if c.label is not None):
        run = [c for c in siblings if c.label is not None and c.style == style]
        for c, heading in zip(
            run,
            clause_headings.settle([readings[id(c)] for c in run], [bool(c.children) for c in run]),
            strict=True,
        ):
            c.heading = heading
    for c in siblings:
        _settle_headings(c.children, readings)


def _fold_leading_fragments(roots: list[Clause], text: str) -> list[Clause]:
    """An excerpt that starts inside a list (3. 4. … 第三章): items before the first clause of the
    outermost style are part of the unnumbered opening, not top-level clauses."""
    numbered = [c for c in roots if c.label is not None]
    if not numbered:
        return roots
    top = min(STYLES[c.style or "circled"][0] for c in numbered)
    first = next(
        i for i, c in enumerate(roots) if c.label is not None and STYLES[c.style or "circled"][0] == top
    )
    lead = [c for c in roots[:first] if c.label is not None]
    if not lead:
        return roots
    opening = (
        roots[0] if roots[0].label is None else _node("0", None, None, lead[0].span[0], lead[0].span[0], text)
    )
    opening.children.extend(_renumber(lead, "0"))
    rest = roots[first:]
    return [opening, *rest]


def _renumber(clauses: list[Clause], prefix: str) -> list[Clause]:
    for i, c in enumerate(clauses, 1):
        c.id = f"{prefix}.{i}"
        _renumber(c.children, c.id)
    return clauses


def _node(
    cid: str,
    label: str | None,
    heading: str | None,
    start: int,
    end: int,
    text: str,
    style: str | None = None,
) -> Clause:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return Clause(id=cid, label=label, heading=heading, span=(start, end), text=text[start:end], style=style)


def walk(clauses: list[Clause]) -> list[Clause]:
    """Every node, depth first in document order."""
    out: list[Clause] = []
    for c in clauses:
        out.append(c)
        out.extend(walk(c.children))
    return out


class ClauseIndex:
    """Which clause a character offset falls in, and each clause's ancestors."""

    def __init__(self, clauses: list[Clause]) -> None:
        self.nodes = sorted(walk(clauses), key=lambda c: c.span[0])
        self._starts = [c.span[0] for c in self.nodes]
        self._parent: dict[str, Clause | None] = {}
        for c in walk(clauses):
            for ch in c.children:
                self._parent[ch.id] = c
            self._parent.setdefault(c.id, None)

    def at(self, offset: int) -> Clause | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.nodes[i] if i >= 0 else None

    def ancestors(self, clause: Clause) -> list[Clause]:
        """The clause itself, then its parent, up to the root."""
        out = [clause]
        p = self._parent.get(clause.id)
        while p is not None:
            out.append(p)
            p = self._parent.get(p.id)
        return out


def label_number(label: str | None) -> int | None:
    """The number a label prints: （十二） → 12, 3. → 3."""
    if not label:
        return None
    digits = P(r"\d+").search(label)
    if digits:
        return int(digits.group(0))
    cn = P(rf"[{_CN}]+").search(label)
    return cn_to_int(cn.group(0)) if cn else None
