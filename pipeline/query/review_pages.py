"""The source's pages beside the review text: each page as an image, each fact's boxes drawn on it.

A reviewer of a PDF, OFD or scan checks a fact against the page it was printed on, not only
against the normalised text. The record keeps where (``page``, ``boxes`` in the page's own
units from its top-left corner); the picture of the page comes from the source file the record
names, which must be the very file it was made from (its sha256): a missing or changed file
gives a note and the text alone, never boxes drawn over a different page.

- PDF: pages rendered by PDFium (pypdfium2, the PDF reader's own library), boxes in points.
- OFD: no renderer exists for it here, so the page is redrawn from the package's own text
  objects, every character at its box on a page of the PhysicalBox's size (images and seals
  are not drawn; the note says so).
- scans: the image itself, every frame a page, boxes in the image's pixels.

Pages are embedded as PNG data URIs (OFD as inline SVG): the review page stays one file that
opens offline, from a mail attachment or a CI artefact. Only pages that hold a fact are drawn,
at most ``MAX_PAGES`` of them, so a long PDF does not make a page of tens of megabytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import IngestError

MAX_PAGES = 30
_SCALE = 1.5  # PDF points → image pixels: 108 dpi, Han characters of a 3号 body legible
_COLOURS = 64
_FORMATS = frozenset({"pdf", "ofd", "image"})


@dataclass(frozen=True)
class PageImage:
    """One page to draw: its size in the units of its facts' boxes, and its picture."""

    number: int
    width: float
    height: float
    png: bytes | None = None  # PDF pages and scans
    svg: str | None = None  # OFD pages, redrawn from their text objects


@dataclass(frozen=True)
class SourcePages:
    """The pages of a record's source worth drawing, and what the reader should know about them."""

    pages: tuple[PageImage, ...]
    note: str | None = None


@dataclass(frozen=True)
class FactBoxes:
    """A fact's boxes on one page, with what links it to its row in the fact panel."""

    anchor: str
    page: int
    boxes: Sequence[Sequence[float]]
    colour: str
    label: str


def source_path(record: Mapping[str, Any], root: Path | None = None) -> Path:
    """Where the record's source file is: its ``source.path`` (as ingest wrote it, relative to the
    folder ingest ran in) under ``root``, by default the current folder."""
    path = Path(record["source"]["path"])
    return path if path.is_absolute() else (root or Path.cwd()) / path


def source_pages(record: Mapping[str, Any], wanted: Sequence[int], root: Path | None = None) -> SourcePages:
    """The pages ``wanted`` (1-based, the pages facts stand on) of the record's source, or none
    with the reason. Only PDF, OFD and scans have pages to draw."""
    source = record["source"]
    if source.get("format") not in _FORMATS:
        return SourcePages(())
    path = source_path(record, root)
    shown = source["path"]
    try:
        data = path.read_bytes()
    except OSError:
        return SourcePages((), f"源文件 {shown} 不在：只显示文本，页面和位置框无法画出")
    if hashlib.sha256(data).hexdigest() != source.get("sha256"):
        return SourcePages((), f"源文件 {shown} 已不是生成本记录的文件（sha256 不符）：只显示文本")
    numbers = sorted(set(wanted))
    if not numbers and source["format"] == "image":
        numbers = [1]
    note = None
    if len(numbers) > MAX_PAGES:
        note = f"只画出有要素的前 {MAX_PAGES} 页（共 {len(numbers)} 页有要素）"
        numbers = numbers[:MAX_PAGES]
    try:
        pages = _READERS[source["format"]](data, numbers)
    except (OSError, ValueError, RuntimeError, IngestError) as exc:  # PdfiumError is a RuntimeError
        return SourcePages((), f"源文件 {shown} 的页面画不出（{exc.__class__.__name__}）：只显示文本")
    if source["format"] == "ofd":
        note = "OFD 页面按文件中的文字位置重绘（图像、印章不画）" + (f"；{note}" if note else "")
    return SourcePages(tuple(pages), note)


def _png(image: Any) -> bytes:
    """A page as a 64-colour PNG: a third of the bytes of full colour, and the red of a seal or
    header still red (grey would lose it)."""
    buf = io.BytesIO()
    image.quantize(colors=_COLOURS).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _pdf_pages(data: bytes, numbers: Sequence[int]) -> list[PageImage]:
    import pypdfium2 as pdfium

    out = []
    pdf = pdfium.PdfDocument(data)
    try:
        for n in numbers:
            if not 1 <= n <= len(pdf):
                continue
            page = pdf[n - 1]
            width, height = page.get_size()
            image = page.render(scale=_SCALE).to_pil().convert("RGB")
            out.append(PageImage(n, width, height, png=_png(image)))
            page.close()
    finally:
        pdf.close()
    return out


def _image_pages(data: bytes, numbers: Sequence[int]) -> list[PageImage]:
    """The scan's frames as the image loader read them (EXIF turned upright), in their pixels."""
    from PIL import Image, ImageOps

    from pipeline.load.image import MAX_PIXELS

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    out = []
    try:
        img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ValueError(str(exc)) from None
    with img:
        frames = getattr(img, "n_frames", 1)
        for n in numbers:
            if not 1 <= n <= frames:
                continue
            img.seek(n - 1)
            frame = ImageOps.exif_transpose(img.convert("RGB"))
            out.append(PageImage(n, float(frame.width), float(frame.height), png=_png(frame)))
    return out


def _ofd_pages(data: bytes, numbers: Sequence[int]) -> list[PageImage]:
    """Each OFD page as SVG: its characters where the package places them, at their box's height."""
    from pipeline.load.ofd import read_pages

    pages, _ = read_pages(data)
    e = html.escape
    out = []
    for p in pages:
        page = p.page
        if page.number not in numbers:
            continue
        chars = []
        for line in page.lines:
            if line.boxes is None or len(line.boxes) != len(line.text):
                continue
            for c, box in zip(line.text, line.boxes, strict=True):
                if box is None or c.isspace():
                    continue
                x0, top, x1, bottom = box
                size = max(bottom - top, 1.0)
                chars.append(
                    f'<text x="{x0:.1f}" y="{bottom - 0.12 * size:.1f}" font-size="{size:.1f}"'
                    f' textLength="{max(x1 - x0, 0.1):.1f}">{e(c)}</text>'
                )
        svg = (
            f'<svg class="ofd" viewBox="0 0 {page.width:.1f} {page.height:.1f}" preserveAspectRatio="none"'
            f' role="img" aria-label="第{page.number}页"><rect width="100%" height="100%" fill="#fff"/>'
            f"{''.join(chars)}</svg>"
        )
        out.append(PageImage(page.number, page.width, page.height, svg=svg))
    return out


_READERS = {"pdf": _pdf_pages, "ofd": _ofd_pages, "image": _image_pages}


def fact_boxes(facts: Sequence[tuple[str, Mapping[str, Any], str, str]]) -> list[FactBoxes]:
    """(anchor, fact, colour, label) → the boxes of the facts that carry a page and boxes."""
    out = []
    for anchor, fact, colour, label in facts:
        page, boxes = fact.get("page"), fact.get("boxes")
        if fact.get("file"):
            continue  # read in an attachment: its page is that file's, not the notice's drawn here
        if isinstance(page, int) and boxes:
            out.append(FactBoxes(anchor, page, boxes, colour, label))
    return out


def render(pages: SourcePages, boxes: Sequence[FactBoxes]) -> str:
    """The pages column: each page's picture with an SVG layer of boxes, each box a link to its
    fact's row (``#row-<anchor>``); the row links back to ``#box-<anchor>``."""
    e = html.escape
    parts = [f'<p class="pages-note">{e(pages.note)}</p>'] if pages.note else []
    for page in pages.pages:
        rects = []
        for fb in boxes:
            if fb.page != page.number:
                continue
            for k, (x0, y0, x1, y1) in enumerate(fb.boxes):
                ident = f' id="box-{fb.anchor}"' if k == 0 else ""
                rects.append(
                    f'<a href="#row-{fb.anchor}"><rect{ident} class="box" data-fact="{fb.anchor}"'
                    f' x="{x0:.1f}" y="{y0:.1f}" width="{max(x1 - x0, 0.5):.1f}" height="{max(y1 - y0, 0.5):.1f}"'
                    f' style="stroke:{fb.colour};fill:{fb.colour}"><title>{e(fb.label)}</title></rect></a>'
                )
        if page.png is not None:
            picture = f'<img src="data:image/png;base64,{base64.b64encode(page.png).decode()}" alt="第{page.number}页">'
        else:
            picture = page.svg or ""
        parts.append(
            f'<figure class="page" id="page-{page.number}" data-page="{page.number}"'
            f' style="aspect-ratio:{page.width:.1f}/{page.height:.1f}">{picture}'
            f'<svg class="boxes" viewBox="0 0 {page.width:.1f} {page.height:.1f}" preserveAspectRatio="none">'
            f"{''.join(rects)}</svg><figcaption>第 {page.number} 页</figcaption></figure>"
        )
    return f'<section id="pages">{"".join(parts)}</section>' if parts else ""


STYLE = """
#pages { flex: 3; padding: 12px; background: #eee; max-height: 100vh; overflow-y: auto; position: sticky; top: 0; }
#pages .pages-note { font-size: 13px; color: #7a4b00; background: #fff4e5; padding: 4px 8px; margin: 0 0 8px; }
figure.page { position: relative; margin: 0 0 16px; background: #fff; box-shadow: 0 1px 4px #999; }
figure.page > img, figure.page > svg.ofd { position: absolute; inset: 0; width: 100%; height: 100%; }
figure.page > svg.boxes { position: absolute; inset: 0; width: 100%; height: 100%; }
figure.page svg.ofd text { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; fill: #222; }
figure.page rect.box { fill-opacity: 0.25; stroke-width: 1; }
figure.page rect.box:target, figure.page a:hover rect.box { fill-opacity: 0.55; stroke: #d33; stroke-width: 2; }
figure.page figcaption { position: absolute; bottom: -14px; right: 0; font-size: 11px; color: #666; }
aside li:target { background: #ffe9a8; }
"""
