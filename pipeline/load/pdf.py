"""PDF → text, page by page: the text layer through pypdfium2, tables through pdfplumber, OCR when needed.

pypdfium2 reads a clean Chinese page in about a millisecond and gives every
character with its box, which is what rebuilding paragraphs, dropping fake-bold
doubles and spotting running headers needs. pdfplumber is some 30× slower, so
it is opened only for pages that draw enough ruling lines to hold a table; its
``find_tables`` reads ruled criteria and fee tables cell by cell, and each row
becomes one line, cells joined by `` | ``. A page whose text layer is missing or
garbled (private-use or replacement characters from a broken CID font, almost no
Chinese) is rendered and OCR'd instead.
"""

from __future__ import annotations

import contextlib
import itertools
import statistics
from dataclasses import dataclass
from typing import Any

import regex

from pipeline.errors import EmptyInput, EncryptedInput, UnreadableInput
from pipeline.load import layout
from pipeline.load.layout import Line, PageLines
from pipeline.types import LoadedDocument

OCR_DPI = 200
_MIN_TABLE_PATHS = 4
_HAN = regex.compile(r"\p{Han}")
_BAD = regex.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class _Char:
    c: str
    left: float
    right: float
    top: float
    bottom: float
    size: float
    generated: bool


def garbled(text: str) -> bool:
    """True when a page's text layer cannot be the notice printed on it.

    Broken CID fonts give private-use or replacement characters, or Latin
    gibberish where Chinese was printed; a scan gives no text at all.
    """
    chars = [c for c in text if not c.isspace()]
    if len(chars) < 10:
        return True
    bad = len(_BAD.findall(text))
    if bad > 0.05 * len(chars):
        return True
    han = len(_HAN.findall(text))
    alnum = sum(1 for c in chars if c.isascii() and c.isalnum())
    return han < 0.1 * len(chars) and alnum < 0.5 * len(chars)


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


def _chars(textpage: Any, height: float) -> list[_Char]:
    import pypdfium2.raw as c

    raw = textpage.raw
    out = []
    rect = c.FS_RECTF()
    for i in range(textpage.count_chars()):
        code = c.FPDFText_GetUnicode(raw, i)
        if not code:
            continue
        # the loose box spans the font's ascent to descent: "一" and "、" sit on one line
        c.FPDFText_GetLooseCharBox(raw, i, rect)
        size = c.FPDFText_GetFontSize(raw, i) or (rect.top - rect.bottom)
        generated = bool(c.FPDFText_IsGenerated(raw, i))
        out.append(
            _Char(chr(code), rect.left, rect.right, height - rect.top, height - rect.bottom, size, generated)
        )
    return out


def _is_cjk(ch: str) -> bool:
    return bool(_HAN.match(ch)) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _lines(chars: list[_Char]) -> list[Line]:
    """Characters in content order → lines, dropping fake-bold doubles and generated CJK gaps."""
    groups: list[list[_Char]] = []
    cur: list[_Char] = []
    for ch in chars:
        if ch.c in "\r\n":
            continue
        if ch.c.isspace() and (ch.right - ch.left) <= 0 and ch.generated:
            if cur:
                cur.append(ch)
            continue
        if cur:
            ink = [x for x in cur if not x.c.isspace()]
            last = ink[-1] if ink else cur[-1]
            mid = (ch.top + ch.bottom) / 2
            if (
                last.c == ch.c
                and abs(last.left - ch.left) < 0.3 * ch.size
                and abs(last.top - ch.top) < 0.3 * ch.size
            ):
                continue  # fake bold: the same glyph printed again a hair to the side
            new_line = not (
                min(x.top for x in ink or cur) - 0.2 * ch.size
                <= mid
                <= max(x.bottom for x in ink or cur) + 0.2 * ch.size
            )
            if new_line or ch.left < last.left - 2 * ch.size:
                groups.append(cur)
                cur = []
        cur.append(ch)
    if cur:
        groups.append(cur)
    lines = []
    for g in _same_rows(groups):
        ink = [x for x in g if not x.c.isspace()]
        if not ink:
            continue
        text: list[str] = []
        boxes: list[layout.Box | None] = []
        for i, ch in enumerate(g):
            if ch.c.isspace():
                prev = g[i - 1].c if i else ""
                nxt = g[i + 1].c if i + 1 < len(g) else ""
                if ch.generated and (_is_cjk(prev) or _is_cjk(nxt)):
                    continue
                if not text or text[-1] == " ":
                    continue
                text.append(" ")
                boxes.append(None)
            else:
                text.append(ch.c)
                boxes.append((ch.left, ch.top, ch.right, ch.bottom))
        while text and text[-1] == " ":
            text.pop()
            boxes.pop()
        joined = "".join(text)
        cleaned = layout.clean_line(joined)
        size = statistics.median(x.size for x in ink)
        lines.append(
            Line(
                cleaned,
                min(x.left for x in ink),
                max(x.right for x in ink),
                min(x.top for x in ink),
                max(x.bottom for x in ink),
                size,
                boxes=tuple(boxes) if cleaned == joined else None,
            )
        )
    # one unit for the whole page: a per-line unit (half its own size) sorts a 22 pt title line
    # above the 16 pt 文号 line printed over it
    unit = max(statistics.median(ln.size for ln in lines) * 0.5, 1) if lines else 1
    lines.sort(key=lambda ln: round(ln.top / unit))
    return lines


def _same_rows(groups: list[list[_Char]]) -> list[list[_Char]]:
    """Groups printed on one row merged, their characters in left-to-right order.

    Content order is not reading order in every producer: LibreOffice draws a line's spaces,
    or its “quotes” in the Western font, after the Chinese text of the line, so the row
    arrives in two or three pieces (`王静怡联 系电话`, a `“ ”` line of its own).
    """
    rows: list[tuple[float, float, list[_Char]]] = []
    for g in groups:
        ink = [x for x in g if not x.c.isspace()]
        if not ink:
            rows.append((0.0, 0.0, g))
            continue
        top, bottom = min(x.top for x in ink), max(x.bottom for x in ink)
        for n, (rt, rb, rg) in enumerate(rows):
            overlap = min(bottom, rb) - max(top, rt)
            if rb > rt and overlap > 0.6 * min(bottom - top, rb - rt):
                rows[n] = (min(rt, top), max(rb, bottom), rg + g)
                break
        else:
            rows.append((top, bottom, g))
    out = []
    for _top, _bottom, g in rows:
        if any(b.left < a.left - 0.5 * a.size for a, b in itertools.pairwise(g) if not b.generated):
            g = sorted(g, key=lambda x: x.left)  # stable: a generated space stays before its character
        out.append(g)
    return out


def _path_count(page: Any) -> int:
    import pypdfium2.raw as c

    n = 0
    for _obj in page.get_objects(filter=(c.FPDF_PAGEOBJ_PATH,), max_depth=2):
        n += 1
        if n >= _MIN_TABLE_PATHS:
            break
    return n


def _has_images(page: Any) -> bool:
    import pypdfium2.raw as c

    return any(True for _ in page.get_objects(filter=(c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _cell(text: str | None) -> str:
    return layout.clean_line(regex.sub(r"\s*\n\s*", "", text or ""))


def _with_tables(lines: list[Line], plumber_page: Any) -> list[Line]:
    """Replace the lines inside each ruled table by one line per table row."""
    tables = [t for t in plumber_page.find_tables() if len(t.rows) >= 2]
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
        for row, cells in zip(t.rows, t.extract(), strict=False):
            text = " | ".join(_cell(c) for c in cells if c is not None and _cell(c))
            if text:
                rows.append(Line(text, x0, x0, row.bbox[1], row.bbox[3], size, keep=True))
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
        used_ocr = False
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
                chars = _chars(textpage, height)
            except Exception as exc:  # pdfium raises its own error for a broken page object
                raise UnreadableInput(f"damaged PDF: page {index + 1} cannot be read ({exc})") from None
            text = "".join(ch.c for ch in chars)
            if garbled(text):
                if not text.strip() and not _has_images(page):
                    pages.append(PageLines(index + 1, width, height, ()))
                    continue
                from pipeline.load import ocr, scan_clean

                # in colour: the seal's red is told from black ink by its hue (scan_clean)
                image = scan_clean.clean(page.render(scale=OCR_DPI / 72).to_pil())
                result = ocr.recognize(image)
                used_ocr = True
                sx, sy = image.width / width, image.height / height  # a photo's page is cut out and warped
                lines = [
                    layout.spread_boxes(
                        Line(ln.text, ln.x0 / sx, ln.x1 / sx, ln.top / sy, ln.bottom / sy, ln.size / sx)
                    )
                    for ln in result.lines
                ]
                if text.strip():
                    warnings.append(f"page {index + 1}: text layer is garbled, read by OCR instead")
                if result.confidence < ocr.LOW_CONFIDENCE:
                    warnings.append(f"page {index + 1}: low OCR confidence ({result.confidence:.2f})")
                pages.append(PageLines(index + 1, width, height, tuple(lines)))
                continue
            lines = _lines(chars)
            if _path_count(page) >= _MIN_TABLE_PATHS:
                if plumber is None:
                    plumber = _plumber(data)
                if plumber is not None:
                    lines = _with_tables(lines, plumber.pages[index])
            pages.append(PageLines(index + 1, width, height, tuple(lines)))
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
        ocr=used_ocr,
        warnings=tuple(warnings),
        boxes=boxes,
    )


def _plumber(data: bytes) -> Any:
    import io

    import pdfplumber

    with contextlib.suppress(Exception):  # tables are a refinement: the text layer already has the words
        return pdfplumber.open(io.BytesIO(data))
    return None
