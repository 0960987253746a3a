"""Positioned lines of a page → paragraphs, shared by the PDF text layer and OCR.

PDFs and scans know only lines wrapped at the page width; the normaliser downstream
only repairs breaks that do not look like wraps. So the loaders rebuild one
paragraph per line here, from geometry rather than from punctuation alone: a line
that runs to the right margin and is followed by a line starting at the left margin
is a wrap; an indented, centred or right-aligned next line starts a new block.
Running headers, footers and page numbers are dropped before joining, so a
sentence broken across a page break joins again.
"""

from __future__ import annotations

import itertools
import math
import statistics
from array import array
from collections import Counter
from dataclasses import dataclass, field, replace

import regex

from pipeline.patterns import EDGE_PAGE_NUMBER, STARTS_BLOCK
from pipeline.types import Page

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True)
class Line:
    """One printed line, coordinates top-down in the page's own units (points or pixels)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # typical character width: the unit for every tolerance below
    keep: bool = False  # a table row: never joined to its neighbours
    boxes: tuple[Box | None, ...] | None = None  # each character's box when the reader knows it
    # the same as the bytes of float32 values, 4 a character (NaN where unknown): the PDF reader
    # has its characters' boxes in one buffer already, and a tuple per character costs it more
    # than reading them from PDFium does
    flat_boxes: bytes | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class PageLines:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


_ENDS_SENTENCE = regex.compile(r"[。！？；：!?;:]$")
_OPEN_END = regex.compile(r"[，、为的和及与或于在对由将从以]$")
_WANTS_OBJECT = regex.compile(r"[为于至在从由自到是]$")
_EDGE_BAND = 0.09  # share of the page height at top and bottom where running headers/footers live
_ASCII_WORD = regex.compile(r"[A-Za-z]")
# compiled once: ``regex.sub(pattern, ...)`` looks the pattern up in the module's cache on every
# call, which on a 40-line page costs more than the substitution itself
_SPACES = regex.compile(r"\s+")
_DIGITS = regex.compile(r"\d+")
_DOC_KIND_END = regex.compile(r"(?:通知|通告|公告|意见|办法|方案)$")


def _shape(text: str) -> str:
    """A header line with its digits blanked: "第 3 页" and "第 4 页" have one shape."""
    return _DIGITS.sub("#", _SPACES.sub("", text))


def drop_furniture(pages: list[PageLines]) -> list[PageLines]:
    """Remove page numbers and lines repeated at the same edge of most pages."""
    edge_shapes: Counter[str] = Counter()
    for p in pages:
        seen = {
            _shape(ln.text)
            for ln in p.lines
            if ln.bottom < p.height * _EDGE_BAND or ln.top > p.height * (1 - _EDGE_BAND)
        }
        edge_shapes.update(seen)
    repeated = (
        {s for s, n in edge_shapes.items() if len(pages) >= 3 and n >= max(2, len(pages) * 0.5)}
        if pages
        else set()
    )
    out = []
    for p in pages:
        kept = []
        for ln in p.lines:
            at_edge = ln.bottom < p.height * _EDGE_BAND or ln.top > p.height * (1 - _EDGE_BAND)
            if at_edge and (EDGE_PAGE_NUMBER.match(ln.text) or _shape(ln.text) in repeated):
                continue
            if EDGE_PAGE_NUMBER.match(ln.text) and (ln.x1 - ln.x0) < 8 * ln.size and _is_last_or_first(ln, p):
                continue
            kept.append(ln)
        out.append(replace(p, lines=tuple(kept)))
    return out


def _is_last_or_first(ln: Line, p: PageLines) -> bool:
    return ln is p.lines[-1] or ln is p.lines[0]


@dataclass(frozen=True)
class _Margins:
    left: float
    right: float
    indents: bool  # paragraphs start indented (公文 style) rather than flush left
    body_size: float = 0.0


def _margins(lines: tuple[Line, ...], fallback: _Margins | None) -> _Margins | None:
    body = [ln for ln in lines if not ln.keep]
    if len(body) < 4:
        return fallback
    span = max(ln.x1 for ln in body) - min(ln.x0 for ln in body)
    long = [ln for ln in body if ln.x1 - ln.x0 >= 0.6 * span] or body
    left = min(ln.x0 for ln in long)
    rights = sorted(ln.x1 for ln in long)
    right = rights[int(0.9 * (len(rights) - 1))]
    size = statistics.median(ln.size for ln in body)
    indented = sum(1 for ln in body if 1.5 * size <= ln.x0 - left <= 2.6 * size)
    return _Margins(left, right, indented >= max(2, 0.05 * len(body)), size)


def _is_wrap(a: Line, b: Line, m: _Margins, same_page: bool, gap: float | None) -> bool:
    """Does line ``b`` continue the paragraph of line ``a``?"""
    if a.keep or b.keep:
        return False
    size = max(a.size, 1e-6)
    if m.body_size and _title_wrap(a, b, m):
        return True
    # a line ending where no sentence or heading can (为, 的, a comma …) is cut short only by the
    # margin, even when a skewed or keystoned scan leaves it a few characters shy of it
    full = a.x1 >= m.right - (4.0 if _OPEN_END.search(a.text) else 1.5) * size
    starts_left = a.x0 <= m.left + 2.6 * size
    if not (full and starts_left):
        return False
    # a block start (a date, a number) right after 为/于/至 … is that sentence's object, not a new block
    if STARTS_BLOCK.match(b.text.lstrip()) and not _WANTS_OBJECT.search(a.text):
        return False
    if same_page and gap is not None and b.top - a.bottom > 1.8 * gap + 0.3 * size:
        return False  # extra space between paragraphs
    centre = (m.left + m.right) / 2
    # a line running to the right margin is a paragraph's first line, however near the centre its middle is
    b_centred = (
        b.x0 > m.left + 1.5 * size
        and abs((b.x0 + b.x1) / 2 - centre) < 1.2 * size
        and b.x1 < m.right - 0.5 * size
    )
    a_centred = abs((a.x0 + a.x1) / 2 - centre) < 1.2 * size and a.x0 > m.left + 0.3 * size
    b_indented = b.x0 > m.left + 0.8 * size
    if b_indented:
        return b_centred and (a_centred or a.x0 <= m.left + 0.8 * size) and not _ENDS_SENTENCE.search(a.text)
    # flush-left paragraphs: a full line ending a sentence may end its paragraph
    return m.indents or not _ENDS_SENTENCE.search(a.text)


def _centred(ln: Line, m: _Margins) -> bool:
    return (
        ln.x0 > m.left + 0.3 * ln.size and abs((ln.x0 + ln.x1) / 2 - (m.left + m.right) / 2) < 1.2 * ln.size
    )


def _title_wrap(a: Line, b: Line, m: _Margins) -> bool:
    """A title set larger than the body and centred wraps onto a second centred line."""
    return (
        # 1.1, not more: OCR measures a line's type from its width, and a title's digits (2024年度)
        # are half as wide, so a 22 pt title over 16 pt body can come out at 1.13× the body
        a.size >= 1.1 * m.body_size
        and abs(a.size - b.size) < 0.1 * a.size
        and _centred(a, m)
        and _centred(b, m)
        and not _ENDS_SENTENCE.search(a.text)
        and not _DOC_KIND_END.search(a.text)
        and (a.x1 - a.x0) > 0.6 * (m.right - m.left)
    )


def _seam(a: str, b: str) -> str:
    return (
        " " if a and b and _ASCII_WORD.match(a[-1]) and _ASCII_WORD.match(b[0]) else ""
    )  # English words wrap at spaces


def _line_gap(lines: tuple[Line, ...]) -> float | None:
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(lines) if b.top > a.bottom]
    return statistics.median(gaps) if gaps else None


def spread_boxes(ln: Line) -> Line:
    """An OCR'd line with a box for each character, its width shared out (Han one, Latin half).

    OCR gives one box a line; a fact's boxes need its own characters. Printed
    Chinese is set in equal widths, so a share of the line is close to the glyph.
    """
    weights = [0.0 if c.isspace() else (1.0 if ord(c) >= 0x2E80 else 0.5) for c in ln.text]
    total = sum(weights)
    if not total:
        return ln
    boxes: list[Box | None] = []
    x = ln.x0
    for c, w in zip(ln.text, weights, strict=True):
        step = (ln.x1 - ln.x0) * w / total
        boxes.append(None if c.isspace() else (x, ln.top, x + step, ln.bottom))
        x += step
    return replace(ln, boxes=tuple(boxes))


def clean_line(text: str) -> str:
    """Whitespace runs to one space; the loaders already dropped the gaps they invented between Han."""
    return _SPACES.sub(" ", text).strip()


def assemble(pages: list[PageLines]) -> tuple[str, tuple[Page, ...]]:
    """One paragraph per line of text, and each page's span of it."""
    raw, spans, _ = assemble_boxes(pages)
    return raw, spans


_NO_BOX = (math.nan,) * 4


def assemble_boxes(pages: list[PageLines]) -> tuple[str, tuple[Page, ...], array[float]]:
    """``assemble``, plus each character's box on its page (4 floats a character, NaN where unknown)."""
    doc_lines = tuple(ln for p in pages for ln in p.lines)
    fallback = _margins(doc_lines, None)
    parts: list[str] = []
    length = 0
    spans: list[Page] = []
    prev: Line | None = None
    prev_margins: _Margins | None = None
    boxes = array("f")
    for p in pages:
        m = _margins(p.lines, fallback)
        gap = _line_gap(p.lines)
        start: int | None = None
        for i, ln in enumerate(p.lines):
            text = ln.text
            if not text:
                continue
            margins = prev_margins if i == 0 and prev_margins else m
            if prev is not None and margins is not None and _is_wrap(prev, ln, margins, i > 0, gap):
                piece = _seam(parts[-1], text) + text if parts else text
            else:
                piece = ("\n" if parts else "") + text
            boxes.extend(_NO_BOX * (len(piece) - len(text)))
            if ln.flat_boxes is not None and len(ln.flat_boxes) == 16 * len(text):
                boxes.frombytes(ln.flat_boxes)
            elif ln.boxes is not None and len(ln.boxes) == len(text):
                boxes.extend([v for box in ln.boxes for v in (box or _NO_BOX)])
            else:
                boxes.extend(_NO_BOX * len(text))
            if start is None:
                start = length + (1 if piece.startswith("\n") else 0)
            parts.append(piece)
            length += len(piece)
            prev = ln
            prev_margins = m
        spans.append(Page(p.number, length if start is None else start, length))
    return "".join(parts), tuple(spans), boxes
