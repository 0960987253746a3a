"""The PDF line builder decides runs of characters at once; it must give what the plain rules give.

``tests/pdf_lines_reference.py`` is the rules one character at a time. Both are
run on every page of the PDF fixtures and on random pages built to hit the rules'
edges: fake-bold doubles, PDFium's generated and zero-width spaces, a row drawn in
pieces out of order, a font change inside a line, superscripts, jumps back.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as c
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load import pdf_lines
from pipeline.load.layout import Line
from tests import pdf_lines_reference as reference

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
TEXT_PDFS = sorted(p for p in FIXTURES.glob("*.pdf") if ".scan." not in p.name and p.name != "encrypted.pdf")


def _boxes(ln: Line) -> bytes | None:
    """A line's character boxes as the float32 bytes ``assemble_boxes`` stores."""
    if ln.flat_boxes is not None:
        return ln.flat_boxes
    if ln.boxes is None:
        return None
    return array("f", [v for box in ln.boxes for v in (box or (math.nan,) * 4)]).tobytes()


def _same(pc: pdf_lines.PageChars) -> None:
    got, want = pdf_lines.lines(pc), reference.lines(pc.tuples())
    # text, extent, size, keep; the boxes, kept in another form, are compared below
    assert [replace(x, boxes=None) for x in got] == [replace(x, boxes=None) for x in want]
    assert [_boxes(x) for x in got] == [_boxes(x) for x in want]


def test_fixture_pages_match_the_reference() -> None:
    pages = 0
    for path in TEXT_PDFS:
        for page in pdfium.PdfDocument(path):
            _same(pdf_lines.chars(page.get_textpage(), page.get_size()[1]))
            pages += 1
    assert pages == 13


def test_chars_are_pdfium_char_by_char() -> None:
    """The shortcuts (text in one call, boxes into one buffer, font size asked when the box
    height changes, plain-pointer ctypes calls) give exactly what asking PDFium char by char gives,
    PDFium's own line breaks left out."""
    pages = 0
    for path in TEXT_PDFS:
        for page in pdfium.PdfDocument(path):
            textpage, height = page.get_textpage(), page.get_size()[1]
            raw, rect, want = textpage.raw, c.FS_RECTF(), []
            for i in range(textpage.count_chars()):
                code = c.FPDFText_GetUnicode(raw, i)
                if not code:
                    continue
                c.FPDFText_GetLooseCharBox(raw, i, rect)
                m = c.FS_MATRIX()
                c.FPDFText_GetMatrix(raw, i, m)
                size = c.FPDFText_GetFontSize(raw, i) * math.hypot(m.c, m.d) or (rect.top - rect.bottom)
                space = chr(code).isspace()
                generated = space and bool(c.FPDFText_IsGenerated(raw, i))
                box = (rect.left, rect.right, height - rect.top, height - rect.bottom)
                want.append((chr(code), *box, size, generated, space))
            want = [ch for ch in want if ch[0] not in "\r\n"]
            assert pdf_lines.chars(textpage, height).tuples() == want
            pages += 1
    assert pages == 13


def _boxes_by(textpage: pdfium.PdfTextPage, *, native: bool) -> bytes:
    count = textpage.count_chars()
    rects = (c.FS_RECTF * count)()
    pdf_lines.loose_boxes(pdf_lines.plain_handle(textpage), count, rects, native=native)
    return bytes(rects)


def test_c_loop_is_built_and_gives_the_ctypes_boxes() -> None:
    """``pip install -e .`` compiles ``_charboxes.c``; where it did not, the reader silently falls
    back to ctypes (same boxes, ~40x the cost of the loop), so the build is checked here."""
    assert pdf_lines._native_boxes() is not None, "pipeline/load/_charboxes.c not compiled: pip install -e ."
    pages = 0
    for path in TEXT_PDFS:
        for page in pdfium.PdfDocument(path):
            textpage = page.get_textpage()
            native = _boxes_by(textpage, native=True)
            assert native == _boxes_by(textpage, native=False)
            assert native.count(0) < len(native)  # boxes were written
            pages += 1
    assert pages == 13


def test_c_loop_refuses_a_buffer_too_small() -> None:
    from pipeline.load import _charboxes

    page = pdfium.PdfDocument(TEXT_PDFS[0])[0]
    textpage = page.get_textpage()
    rects = (c.FS_RECTF * 2)()
    with pytest.raises(ValueError, match="buffer smaller than count boxes"):
        _charboxes.loose_boxes(1, pdf_lines.plain_handle(textpage), 3, rects)
    with pytest.raises(ValueError, match="null address"):
        _charboxes.loose_boxes(0, pdf_lines.plain_handle(textpage), 2, rects)
    with pytest.raises(TypeError):
        _charboxes.loose_boxes(1, 1, 2, b"read-only buffer")


_LETTERS = "关于开展评审工作的通知一、（）2024年AB“”"


@st.composite
def _page(draw: st.DrawFn) -> pdf_lines.PageChars:
    """A page of lines of characters, with the oddities producers print."""
    chars: list[pdf_lines.Char] = []
    y = 50.0
    for _ in range(draw(st.integers(1, 6))):
        size = draw(st.sampled_from([10.5, 12.0, 16.0, 22.0]))
        x = draw(st.sampled_from([90.0, 120.0, 200.0]))
        top, bottom = y, y + size * 1.2
        for _ in range(draw(st.integers(1, 14))):
            kind = draw(
                st.sampled_from(["ink"] * 6 + ["space", "generated", "zero", "double", "font", "up", "back"])
            )
            ch = draw(st.sampled_from(_LETTERS))
            t, b = top, bottom
            if kind == "font":  # a Western font: another ascent and descent on the same line
                t, b = top + 0.8, bottom - 0.5
            elif kind == "up":  # a superscript, or the next line begun without a break
                shift = draw(st.sampled_from([0.3, 0.9, 1.5])) * size
                t, b = top - shift, bottom - shift
            elif kind == "back":  # content order jumping back along the row (LibreOffice)
                x -= draw(st.sampled_from([0.4, 1.0, 3.0, 12.0])) * size
            if kind in ("space", "generated", "zero"):
                width = 0.0 if kind == "zero" else size / 2
                chars.append((" ", x, x + width, t, b, size, kind != "space", True))
                x += width
                continue
            chars.append((ch, x, x + size, t, b, size, False, False))
            if kind == "double":  # fake bold: the glyph again, a hair to the side
                chars.append((ch, x + 0.2, x + size + 0.2, t, b, size, False, False))
            x += size
        y = bottom + draw(st.sampled_from([0.0, 3.0, 8.0, -size]))  # -size: the next row overprints
    return pdf_lines.PageChars.from_tuples(chars)


@settings(max_examples=300, deadline=None)
@given(_page())
def test_random_pages_match_the_reference(pc: pdf_lines.PageChars) -> None:
    _same(pc)


def _paragraphs(scaled: bool) -> bytes:
    """A page of two paragraphs in Courier 12 pt wrapped at 60 characters (the first line indented
    two), set by ``Tf`` or (``scaled``) by a 1-point font in a scaled text matrix, as Ghostscript
    writes it."""
    from tests.pdf_table_factory import _raw_pdf, _text

    words = "applicants shall hold the title of engineer for five years and submit two papers"
    rows, y = [], 700
    for n, (indent, width) in enumerate([(2, 58), (0, 60), (0, 31)] * 2):
        line = (words * 3)[n * 7 :][:width].replace(" ", "x")
        rows.append(_text(72 + indent * 7.2, y, line, 12, scaled=scaled))
        y -= 16
    pdf = _raw_pdf("\n".join(rows).encode(), b"", "1 0 0 1 0 0")
    return pdf.replace(b"/Helvetica", b"/Courier  ")  # as long: the offsets stay right


def test_text_sized_by_its_matrix_reads_as_text_sized_by_tf() -> None:
    """FPDFText_GetFontSize is the Tf operand: a 1-point font in a 12× text matrix is 12 pt text,
    and its lines join into paragraphs as the same text set at 12 Tf does."""
    from pipeline.load import pdf

    pages = []
    for scaled in (False, True):
        doc = pdfium.PdfDocument(_paragraphs(scaled))
        page = doc[0]
        pc = pdf_lines.chars(page.get_textpage(), page.get_size()[1])
        ink = [s for s, sp in zip(pc.size, pc.space, strict=True) if not sp]
        assert min(ink) == max(ink) == pytest.approx(12.0)
        pages.append(pdf.read(_paragraphs(scaled), path="p.pdf", sha256="", suffix=".pdf").raw_text)
    assert pages[0] == pages[1]
    assert pages[0].count("\n") == 1  # two paragraphs


def test_narrow_double_letters_are_not_fake_bold() -> None:
    """Two l's of Helvetica 12 pt are 2.7 pt apart, under 0.3 of the size: still two letters, since
    a fake-bold copy sits less than half the glyph's width beside it; that copy is still dropped."""
    from tests.pdf_table_factory import _raw_pdf, _text

    rows = [
        _text(72, 700, "all will fill 2011", 12),
        _text(72, 680, "Bold", 12),
        _text(72.3, 680, "Bold", 12),
    ]
    doc = pdfium.PdfDocument(_raw_pdf("\n".join(rows).encode(), b"", "1 0 0 1 0 0"))
    page = doc[0]
    got = [ln.text for ln in pdf_lines.lines(pdf_lines.chars(page.get_textpage(), page.get_size()[1]))]
    assert got == ["all will fill 2011", "Bold"]
