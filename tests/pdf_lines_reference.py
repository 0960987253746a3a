"""The PDF line rules written plainly, one character at a time: the reference ``pdf_lines`` is held to.

This is the loader's code as it was before it decided whole runs of characters at
once (``pipeline/load/pdf_lines.py``); ``tests/test_pdf_lines.py`` checks that both
give the same lines and boxes, on the fixtures and on random pages.
"""

from __future__ import annotations

import itertools
import statistics

import regex

from pipeline.load import layout
from pipeline.load.layout import Line
from pipeline.load.pdf_lines import Char as _Char

_HAN = regex.compile(r"\p{Han}")


def _is_cjk(ch: str) -> bool:
    return bool(_HAN.match(ch)) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def lines(chars: list[_Char]) -> list[Line]:
    """Characters in content order → lines, dropping fake-bold doubles and generated CJK gaps."""
    groups: list[list[_Char]] = []
    cur: list[_Char] = []
    # the line being built: its last inked character and the vertical extent of its ink
    # (of all its characters while it has no ink), kept as it grows rather than recomputed
    last: _Char | None = None
    top = bottom = 0.0
    inked = False
    for ch in chars:
        c, left, right, ctop, cbottom, size, generated, space = ch
        if c in "\r\n":
            continue
        if space and right - left <= 0 and generated:
            if cur:
                cur.append(ch)
                if not inked:
                    top, bottom, last = min(top, ctop), max(bottom, cbottom), ch
            continue  # (rare: PDFium's zero-width spaces)
        if last is not None:
            shift = abs(last[1] - left)
            if (
                c == last[0]
                and shift < 0.3 * size
                and shift < 0.5 * (last[2] - last[1])
                and abs(last[3] - ctop) < 0.3 * size
            ):
                # fake bold: the same glyph printed again a hair to the side (less than half its
                # width: two l's of "all" in a narrow font are a glyph's width apart)
                continue
            mid = (ctop + cbottom) / 2
            if not (top - 0.2 * size <= mid <= bottom + 0.2 * size) or left < last[1] - 2 * size:
                groups.append(cur)
                cur = []
                last = None
        if last is None:
            top, bottom, last, inked = ctop, cbottom, ch, not space
        elif not space:
            if inked:
                if ctop < top:
                    top = ctop
                if cbottom > bottom:
                    bottom = cbottom
            else:
                top, bottom, inked = ctop, cbottom, True
            last = ch
        elif not inked:
            top, bottom, last = min(top, ctop), max(bottom, cbottom), ch
        cur.append(ch)
    if cur:
        groups.append(cur)
    lines = [ln for g in _same_rows(groups) if (ln := _line(g))]
    # one unit for the whole page: a per-line unit (half its own size) sorts a 22 pt title line
    # above the 16 pt 文号 line printed over it
    unit = max(statistics.median([ln.size for ln in lines]) * 0.5, 1) if lines else 1
    lines.sort(key=lambda ln: round(ln.top / unit))
    return lines


def _same_rows(groups: list[list[_Char]]) -> list[list[_Char]]:
    """Groups printed on one row merged, their characters in left-to-right order.

    Content order is not reading order in every producer: LibreOffice draws a line's spaces,
    or its “quotes” in the Western font, after the Chinese text of the line, so the row
    arrives in two or three pieces (`王静怡联 系电话`, a `“ ”` line of its own).
    """
    if len(groups) < 2:
        return groups
    rows: list[tuple[float, float, list[_Char]]] = []
    for g in groups:
        ink = [x for x in g if not x[7]]
        if not ink:
            rows.append((0.0, 0.0, g))
            continue
        top, bottom = min([x[3] for x in ink]), max([x[4] for x in ink])
        for n, (rt, rb, rg) in enumerate(rows):
            overlap = min(bottom, rb) - max(top, rt)
            if rb > rt and overlap > 0.6 * min(bottom - top, rb - rt):
                rows[n] = (min(rt, top), max(rb, bottom), rg + g)
                break
        else:
            rows.append((top, bottom, g))
    out = []
    for _top, _bottom, g in rows:
        if any(b[1] < a[1] - 0.5 * a[5] for a, b in itertools.pairwise(g) if not b[6]):
            g = sorted(g, key=lambda x: x[1])  # stable: a generated space stays before its character
        out.append(g)
    return out


def _line(g: list[_Char]) -> Line | None:
    """One group of characters as a line: PDFium's invented spaces beside Han dropped, runs of spaces one."""
    ink = [x for x in g if not x[7]]
    if not ink:
        return None
    if len(ink) == len(g):  # no spaces at all, as in most Chinese lines: nothing to decide per character
        joined = "".join([x[0] for x in g])
        boxes: list[layout.Box | None] = [(x[1], x[3], x[2], x[4]) for x in g]
    else:
        joined, boxes = _spaced(g)
    cleaned = layout.clean_line(joined)
    return Line(
        cleaned,
        min([x[1] for x in ink]),
        max([x[2] for x in ink]),
        min([x[3] for x in ink]),
        max([x[4] for x in ink]),
        statistics.median([x[5] for x in ink]),
        boxes=tuple(boxes) if cleaned == joined else None,
    )


def _spaced(g: list[_Char]) -> tuple[str, list[layout.Box | None]]:
    """A line's text and boxes where it has spaces: those PDFium invented beside Han dropped, a
    run of the others one space, none at the end."""
    text: list[str] = []
    boxes: list[layout.Box | None] = []
    for i, (c, left, right, top, bottom, _size, generated, space) in enumerate(g):
        if space:
            prev = g[i - 1][0] if i else ""
            nxt = g[i + 1][0] if i + 1 < len(g) else ""
            if generated and (_is_cjk(prev) or _is_cjk(nxt)):
                continue
            if not text or text[-1] == " ":
                continue
            text.append(" ")
            boxes.append(None)
        else:
            text.append(c)
            boxes.append((left, top, right, bottom))
    while text and text[-1] == " ":
        text.pop()
        boxes.pop()
    return "".join(text), boxes
