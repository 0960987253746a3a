"""PDF → text, page by page: the text layer and ruled tables through pypdfium2, OCR when needed.

pypdfium2 reads a clean Chinese page in about a millisecond and gives every
character with its box, which is what rebuilding paragraphs, dropping fake-bold
doubles and spotting running headers needs. On pages that draw enough ruling
lines to hold a table, ``pdf_tables`` reads ruled criteria and fee tables cell by
cell from PDFium's path objects, as pdfplumber's ``find_tables`` would; pdfplumber
itself (some 30× slower: pdfminer parses the page again) is opened only for a page
that reader cannot decide. Each row becomes one line, cells joined by `` | ``. A
page whose text layer is missing or garbled (private-use or replacement characters
from a broken CID font, almost no Chinese) is rendered and OCR'd instead. The
characters' lines are rebuilt in ``pdf_lines``.
"""

from __future__ import annotations

import contextlib
import statistics
from dataclasses import replace
from typing import Any

import regex

from pipeline.errors import EmptyInput, EncryptedInput, UnreadableInput
from pipeline.load import layout, pdf_lines, pdf_tables
from pipeline.load.layout import Line, PageLines
from pipeline.types import LoadedDocument

_MIN_TABLE_PATHS = 4
# runs, not characters: one substitution per Han character costs ~0.1 µs, as much as the rest of
# the check on a page
_HAN_RUN = regex.compile(r"\p{Han}+")
_CELL_BREAK = regex.compile(r"\s*\n\s*")
_BAD = regex.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


def garbled(text: str) -> bool:
    """True when a page's text layer cannot be the notice printed on it.

    Broken CID fonts give private-use or replacement characters, or Latin
    gibberish where Chinese was printed; a scan gives no text at all.
    """
    ink = "".join(text.split())
    if len(ink) < 10:
        return True
    bad = len(_BAD.findall(text))  # over the text: \x0b, \x0c and \x1c-\x1f count as spaces
    if bad > 0.05 * len(ink):
        return True
    han = len(ink) - len(_HAN_RUN.sub("", ink))
    if han >= 0.1 * len(ink):  # the usual Chinese page: no need to count the Latin letters
        return False
    alnum = sum(1 for c in ink if c.isascii() and c.isalnum())
    return alnum < 0.5 * len(ink)


_EMPTY_TREE = regex.compile(rb"/Count\s*0(?![0-9])")
_PAGE_OBJECT = regex.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_LOAD_ERRORS = {
    2: "file cannot be opened",
    3: "truncated or corrupt (no valid PDF structure)",
    6: "unsupported security handler",
}


def _open(data: bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == 4 or "password" in str(exc).lower():
            raise EncryptedInput("password-protected PDF") from None
        if _EMPTY_TREE.search(data) and not _PAGE_OBJECT.search(data):
            # PDFium refuses an empty page tree, with an error code left from whatever failed before
            raise EmptyInput("PDF has no pages") from None
        reason = _LOAD_ERRORS.get(exc.err_code or 0, "cannot be parsed")
        raise UnreadableInput(f"damaged PDF: {reason}") from None


def _drawn(page: Any, kind: int, enough: int) -> int:
    """How many objects of ``kind`` the page draws, itself or in a form it draws, counted up to ``enough``.

    Raw calls rather than ``page.get_objects``, which wraps every object of the
    page (every text run too) in a Python object only to read its type.
    """
    import pypdfium2.raw as c

    n = 0
    for i in range(c.FPDFPage_CountObjects(page.raw)):
        obj = c.FPDFPage_GetObject(page.raw, i)
        kind_i = c.FPDFPageObj_GetType(obj)
        if kind_i == kind:
            n += 1
        elif kind_i == c.FPDF_PAGEOBJ_FORM:
            for j in range(c.FPDFFormObj_CountObjects(obj)):
                n += c.FPDFPageObj_GetType(c.FPDFFormObj_GetObject(obj, j)) == kind
        if n >= enough:
            return enough
    return n


def _path_count(page: Any) -> int:
    import pypdfium2.raw as c

    return _drawn(page, c.FPDF_PAGEOBJ_PATH, _MIN_TABLE_PATHS)


MAX_SCAN_DPI = 200  # above this only the detector's own downscaling sees the pixels


def _scan_dpi(page: Any) -> int:
    """The resolution to render a scanned page at: the scan's own (its largest image's pixels per
    inch), between ``ocr.SETTINGS.dpi`` and ``MAX_SCAN_DPI``. Rendering a 200 dpi colour scan at
    150 dpi loses the strokes of small type the recogniser needs (a seed's 公文 scan: macro F1
    0.90 at 150 dpi, 1.00 at its own 200); rendering a 150 dpi scan higher only adds pixels."""
    import pypdfium2.raw as c

    from pipeline.load import ocr

    best, dpi = 0.0, float(ocr.SETTINGS.dpi)
    try:
        for obj in page.get_objects(filter=[c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            px_w, _ = obj.get_px_size()
            area = (right - left) * (top - bottom)
            if area > best and right - left > 0:
                best, dpi = area, px_w / ((right - left) / 72)
    except Exception:  # an image PDFium cannot measure: the default resolution
        return ocr.SETTINGS.dpi
    return int(min(max(round(dpi), ocr.SETTINGS.dpi), MAX_SCAN_DPI))


def _has_images(page: Any) -> bool:
    import pypdfium2.raw as c

    return _drawn(page, c.FPDF_PAGEOBJ_IMAGE, 1) > 0


def _cell(text: str | None) -> str:
    return layout.clean_line(_CELL_BREAK.sub("", text or ""))


def _plumber_tables(plumber_page: Any) -> list[pdf_tables.Table]:
    """pdfplumber's ``find_tables`` on the page, as ``pdf_tables`` gives them: the fallback and the reference."""
    return [
        pdf_tables.Table(
            tuple(t.bbox),
            tuple(
                pdf_tables.Row(row.bbox[1], row.bbox[3], tuple(cells))
                for row, cells in zip(t.rows, t.extract(), strict=False)
            ),
        )
        for t in plumber_page.find_tables()
    ]


def _with_tables(lines: list[Line], found: list[pdf_tables.Table]) -> list[Line]:
    """Replace the lines inside each ruled table by one line per table row."""
    tables = [t for t in found if len(t.rows) >= 2]
    if not tables:
        return lines
    out = list(lines)
    for t in tables:
        x0, top, x1, bottom = t.bbox
        inside = [
            ln
            for ln in out
            if top - 1 <= (ln.top + ln.bottom) / 2 <= bottom + 1 and ln.x0 >= x0 - 2 and ln.x1 <= x1 + 2
        ]
        size = statistics.median(ln.size for ln in inside) if inside else 10.0
        rows = []
        for row in t.rows:
            text = " | ".join(_cell(c) for c in row.cells if c is not None and _cell(c))
            if text:
                rows.append(Line(text, x0, x0, row.top, row.bottom, size, keep=True))
        out = [ln for ln in out if ln not in inside] + rows
    out.sort(key=lambda ln: ln.top)
    return out


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    pdf = _open(data)
    plumber = None
    try:
        if len(pdf) == 0:
            raise EmptyInput("PDF has no pages")
        pages: list[PageLines] = []
        warnings: list[str] = []
        scans: list[tuple[int, bool]] = []  # pages to OCR: index, whether a (garbled) text layer was there
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
                chars = pdf_lines.chars(textpage, height)
            except Exception as exc:  # pdfium raises its own error for a broken page object
                raise UnreadableInput(f"damaged PDF: page {index + 1} cannot be read ({exc})") from None
            if garbled(chars.text):
                if chars.text.strip() or _has_images(page):
                    scans.append((index, bool(chars.text.strip())))
                pages.append(PageLines(index + 1, width, height, ()))
                continue
            lines = pdf_lines.lines(chars)
            if _path_count(page) >= _MIN_TABLE_PATHS:
                tables = pdf_tables.find_tables(page, textpage, height)
                if tables is None:  # something only pdfplumber reads the way it does: it reads this page
                    if plumber is None:
                        plumber = _plumber(data)
                    tables = _plumber_tables(plumber.pages[index]) if plumber is not None else []
                lines = _with_tables(lines, tables)
            pages.append(PageLines(index + 1, width, height, tuple(lines)))
        if scans:
            _ocr(pdf, scans, pages, warnings)
        raw, spans, boxes = layout.assemble_boxes(layout.drop_furniture(pages))
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
    return LoadedDocument(
        path=path,
        sha256=sha256,
        format="pdf",
        raw_text=raw,
        pages=spans,
        ocr=bool(scans),
        warnings=tuple(warnings),
        boxes=boxes,
    )


def _ocr(pdf: Any, scans: list[tuple[int, bool]], pages: list[PageLines], warnings: list[str]) -> None:
    """Render and OCR the scanned pages into ``pages`` (several at once, see ``ocr.recognize_pages``;
    or elsewhere, one page per Ray task: ``scanned``)."""
    from pipeline.load import ocr, scanned

    read = scanned.read_pages("pdf", [index for index, _ in scans], lambda index: _scan_image(pdf, index))
    for (index, had_text), seen in zip(scans, read, strict=True):
        page = pages[index]
        # a photo's page is cut out and warped: the OCR'd image's own size scales its lines back
        sx, sy = seen.width / page.width, seen.height / page.height
        lines = [
            layout.spread_boxes(
                Line(ln.text, ln.x0 / sx, ln.x1 / sx, ln.top / sy, ln.bottom / sy, ln.size / sx)
            )
            for ln in seen.ocr.lines
        ]
        if had_text:
            warnings.append(f"page {index + 1}: text layer is garbled, read by OCR instead")
        if seen.ocr.confidence < ocr.LOW_CONFIDENCE:
            warnings.append(f"page {index + 1}: low OCR confidence ({seen.ocr.confidence:.2f})")
        pages[index] = replace(pages[index], lines=tuple(lines))


def _scan_image(pdf: Any, index: int) -> Any:
    """Page ``index`` rendered at its scan's resolution and readied for OCR."""
    from pipeline.load import scan_clean

    page = pdf[index]
    scale = _scan_dpi(page) / 72
    # in colour: the seal's red is told from black ink by its hue (scan_clean)
    return scan_clean.clean(page.render(scale=scale).to_pil())


def ocr_page(data: bytes, index: int) -> Any:
    """Page ``index`` of the PDF ``data`` OCR'd on its own (a Ray page task: ``load.scanned``)."""
    from pipeline.load import scanned

    pdf = _open(data)
    try:
        return scanned.recognized(_scan_image(pdf, index))
    finally:
        pdf.close()


def _plumber(data: bytes) -> Any:
    import io

    import pdfplumber

    with contextlib.suppress(Exception):  # tables are a refinement: the text layer already has the words
        return pdfplumber.open(io.BytesIO(data))
    return None
