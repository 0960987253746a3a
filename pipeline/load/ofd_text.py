"""OFD text objects → glyphs with page positions → printed lines, in reading order.

An OFD page stores no lines or paragraphs, only text objects: a run of
characters with a ``Boundary`` (the object's box on the page, in millimetres
from the top-left), an optional ``CTM`` mapping the object's own coordinates
into that box, a font ``Size``, and one or more ``TextCode`` elements giving the
first glyph's baseline origin (``X``, ``Y``) and the step to each following
glyph (``DeltaX``, ``DeltaY``, where ``g N v`` means N steps of v). One object
may hold a whole line, one character, or several lines (a negative DeltaX with
a DeltaY steps back to the next line), and producers emit objects in any
order, so every glyph is placed on its own and lines are rebuilt from where
the glyphs sit: glyphs on one baseline form a line, read along the direction
they advance (a rotated CTM gives a vertical column), and lines are ordered
top to bottom, then left to right. Coordinates leave here in points (1/72
inch), as the PDF reader's do, so the layout rules and boxes are shared.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.load import layout
from pipeline.load.layout import Box, Line

MM_TO_PT = 72 / 25.4
_ASCENT, _DESCENT = 0.88, 0.12  # share of the font size above and below the baseline


@dataclass(frozen=True)
class Glyph:
    """One character: its advance along the reading direction ``u``, baseline ``v``, page box."""

    c: str
    u0: float
    u1: float
    v: float
    size: float
    orient: int  # reading direction on the page: 0 right, 90 down, 180 left, 270 up
    box: tuple[float, float, float, float]  # x0, top, x1, bottom on the page, in points
    space: bool = False  # the text code has a space before this glyph ("刘艾东 张楠")


@dataclass(frozen=True)
class TextLine:
    """A rebuilt line with the page boxes of its characters (for provenance down to the page)."""

    line: Line
    boxes: tuple[tuple[float, float, float, float], ...]


def floats(text: str | None, n: int | None = None) -> list[float]:
    """The numbers of a space-separated attribute; malformed ones are read as none."""
    out = []
    for tok in (text or "").replace(",", " ").split():
        try:
            out.append(float(tok))
        except ValueError:
            return []
    return out if n is None or len(out) == n else []


def deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY with the ``g N v`` repeat syntax expanded (GB/T 33190 §11.3)."""
    toks = (text or "").split()
    out: list[float] = []
    i = 0
    try:
        while i < len(toks):
            if toks[i] == "g" and i + 2 < len(toks):
                out.extend([float(toks[i + 2])] * min(int(toks[i + 1]), 100_000))
                i += 3
            else:
                out.append(float(toks[i]))
                i += 1
    except ValueError:
        return out
    return out


_MAX_SKEW = 10.0  # degrees off the page axes beyond which text is a slanted watermark
_DIRS = {0: (1.0, 0.0), 90: (0.0, 1.0), 180: (-1.0, 0.0), 270: (0.0, -1.0)}


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


@dataclass(frozen=True)
class TextObject:
    """What a TextObject element says, read by ``ofd`` (which knows the XML)."""

    boundary: tuple[float, float, float, float]
    ctm: tuple[float, float, float, float, float, float]
    size: float
    codes: tuple[tuple[float | None, float | None, str, tuple[float, ...], tuple[float, ...]], ...]


def _angle(obj: TextObject, steps: list[tuple[float | None, float]]) -> float:
    """The page direction (degrees, y down) the text advances in: its own steps through the CTM."""
    a, b, c, d = obj.ctm[:4]
    small = [(sx, sy) for sx, sy in steps if sx is not None and 0 < math.hypot(sx, sy) <= 3 * obj.size]
    mx = sum(s[0] or 0 for s in small) if small else 1.0
    my = sum(s[1] for s in small) if small else 0.0
    px, py = a * mx + c * my, b * mx + d * my
    return math.degrees(math.atan2(py, px)) if (px or py) else 0.0


def _steps(text: str, dx: tuple[float, ...], dy: tuple[float, ...]) -> list[tuple[float | None, float]]:
    return [(dx[i] if i < len(dx) else None, dy[i] if i < len(dy) else 0.0) for i in range(len(text))]


def diagonal_text(obj: TextObject) -> str:
    """Text set at a slant (a watermark such as 仅供查询 across the page), which is not read."""
    return "".join(
        text
        for _, _, text, dx, dy in obj.codes
        if abs((r := _angle(obj, _steps(text, dx, dy))) - round(r / 90) * 90) > _MAX_SKEW
    )


def glyphs(obj: TextObject) -> list[Glyph]:
    """Every character of a text object, placed on the page."""
    bx, by = obj.boundary[0], obj.boundary[1]
    a, b, c, d, e, f = obj.ctm
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    size = obj.size * scale
    out: list[Glyph] = []
    x = y = 0.0
    for cx, cy, text, dx, dy in obj.codes:
        x = x if cx is None else cx
        y = y if cy is None else cy
        steps = _steps(text, dx, dy)
        raw = _angle(obj, steps)
        if abs(raw - round(raw / 90) * 90) > _MAX_SKEW:
            continue  # set at a slant: a watermark, reported by ``diagonal_text``
        angle = round(raw / 90) % 4 * 90
        ux, uy = _DIRS[angle]
        vx, vy = -uy, ux
        for i, ch in enumerate(text):
            step_x, step_y = steps[i]
            advance = step_x if step_x is not None and 0 < step_x <= 3 * obj.size else None
            width = (advance if advance is not None else (obj.size if _wide(ch) else 0.5 * obj.size)) * scale
            gx, gy = bx + a * x + c * y + e, by + b * x + d * y + f
            if not ch.isspace():
                u, v = (gx * ux + gy * uy) * MM_TO_PT, (gx * vx + gy * vy) * MM_TO_PT
                w, s = width * MM_TO_PT, size * MM_TO_PT
                corners = [
                    (uu * ux + vv * vx, uu * uy + vv * vy)
                    for uu in (u, u + w)
                    for vv in (v - _ASCENT * s, v + _DESCENT * s)
                ]
                xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                box = (min(xs), min(ys), max(xs), max(ys))
                out.append(Glyph(ch, u, u + w, v, s, angle, box, i > 0 and text[i - 1].isspace()))
            if i + 1 < len(text):
                x += step_x if step_x is not None else (obj.size if _wide(ch) else 0.5 * obj.size)
                y += step_y
        if text:
            x += obj.size if _wide(text[-1]) else 0.5 * obj.size
    return out


def _join(run: list[Glyph]) -> tuple[str, tuple[Box | None, ...]]:
    """The line's text and each of its characters' boxes (None for a space put in at a gap)."""
    chars: list[str] = []
    boxes: list[Box | None] = []
    prev: Glyph | None = None
    for g in run:
        if prev is not None:
            gap = g.u0 - prev.u1
            if g.c == prev.c and abs(g.u0 - prev.u0) < 0.3 * g.size:
                continue  # fake bold: the same glyph printed again a hair to the side
            wide = _wide(prev.c) and _wide(g.c)
            if (g.space and gap > 0.2 * g.size) or gap > (1.5 if wide else 0.25) * min(g.size, prev.size):
                chars.append(" ")
                boxes.append(None)
        chars.append(g.c)
        boxes.append(g.box)
        prev = g
    text = "".join(chars)
    if layout.clean_line(text) != text:  # an odd character clean_line rewrites: keep the text, drop boxes
        return layout.clean_line(text), ()
    return text, tuple(boxes)


def lines(all_glyphs: Iterable[Glyph]) -> list[TextLine]:
    """Glyphs on one baseline (per reading direction) → lines, ordered top to bottom, left to right."""
    by_orient: dict[int, list[Glyph]] = {}
    for g in all_glyphs:
        by_orient.setdefault(g.orient, []).append(g)
    out: list[TextLine] = []
    for group in by_orient.values():
        group.sort(key=lambda g: (g.v, g.u0))
        rows: list[list[Glyph]] = []
        for g in group:
            if rows and abs(g.v - rows[-1][0].v) <= 0.4 * min(g.size, rows[-1][0].size):
                rows[-1].append(g)
            else:
                rows.append([g])
        for row in rows:
            row.sort(key=lambda g: g.u0)
            text, char_boxes = _join(row)
            if not text:
                continue
            boxes = tuple(g.box for g in row)
            out.append(
                TextLine(
                    Line(
                        text,
                        min(bx[0] for bx in boxes),
                        max(bx[2] for bx in boxes),
                        min(bx[1] for bx in boxes),
                        max(bx[3] for bx in boxes),
                        statistics.median(g.size for g in row),
                        boxes=char_boxes or None,
                    ),
                    boxes,
                )
            )
    out.sort(key=lambda t: (round(t.line.top / max(t.line.size * 0.5, 1)), t.line.x0))
    return out
