"""OFD (GB/T 33190, China's format for official electronic documents) → text, from its own XML.

An OFD file is a zip of XML parts: ``OFD.xml`` names each document's root
(``DocBody/DocRoot``), the document lists its pages (``Pages/Page/@BaseLoc``)
and templates (``CommonData/TemplatePage``), and each page's ``Content.xml``
draws text objects in layers, optionally over a template page shared by
many pages (a form's printed labels, a letterhead). No permissive, maintained
Python reader exists (the one on PyPI depends on AGPL PyMuPDF), so this is
ours: the page and its templates give positioned glyphs (``ofd_text``), the
glyphs give lines, and the lines go through the same layout rules as a PDF's
text layer, so an OFD notice and its PDF give the same paragraphs. A page that
draws no text but an image (a scan saved as OFD) has the image OCR'd: the package
is parsed first, then its scans are read together through ``load.scanned`` (several
at once here, or one Ray task each, as a scanned PDF's pages are).
Signatures, seals and annotations are not text of the notice and are skipped.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from pipeline.errors import UnreadableInput
from pipeline.load import layout, ofd_text
from pipeline.load.layout import Line, PageLines
from pipeline.load.ofd_text import MM_TO_PT, TextLine, TextObject, deltas, floats
from pipeline.load.package import check_unpacked
from pipeline.load.scanned import ScannedPage
from pipeline.types import LoadedDocument

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_A4 = (210.0, 297.0)
_MIN_IMAGE_SHARE = 0.1  # an image covering less of a text-less page is a logo, not a scan


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name]


def _first(el: Any, name: str) -> Any:
    for c in el.iter():
        if _local(c.tag) == name:
            return c
    return None


@dataclass
class _Package:
    zf: zipfile.ZipFile
    names: dict[str, str]  # lower-cased member name -> member name

    def resolve(self, ref: str, base_dir: str) -> str:
        ref = ref.strip().replace("\\", "/")
        path = ref.lstrip("/") if ref.startswith("/") else posixpath.join(base_dir, ref)
        return posixpath.normpath(path).lstrip("/")

    def read(self, name: str) -> bytes | None:
        real = self.names.get(name.lower())
        if real is None:
            return None
        try:
            return self.zf.read(real)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError):
            return None

    def xml(self, name: str) -> Any:
        from lxml import etree

        data = self.read(name)
        if data is None:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            return None


def _text_object(el: Any) -> TextObject | None:
    boundary = floats(el.get("Boundary"), 4)
    if not boundary:
        return None
    ctm = floats(el.get("CTM"), 6)
    codes = []
    for code in _children(el, "TextCode"):
        text = code.text or ""
        x, y = code.get("X"), code.get("Y")
        codes.append(
            (
                floats(x, 1)[0] if floats(x, 1) else None,
                floats(y, 1)[0] if floats(y, 1) else None,
                text,
                tuple(deltas(code.get("DeltaX"))),
                tuple(deltas(code.get("DeltaY"))),
            )
        )
    size = floats(el.get("Size"), 1)
    return TextObject(
        (boundary[0], boundary[1], boundary[2], boundary[3]),
        (ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5]) if ctm else _IDENTITY,
        size[0] if size and size[0] > 0 else 3.5,
        tuple(codes),
    )


def _objects(root: Any) -> tuple[list[TextObject], list[tuple[str, tuple[float, float, float, float]]]]:
    """The text objects and the images (resource id, boundary) a page or template draws."""
    content = _first(root, "Content")
    texts: list[TextObject] = []
    images: list[tuple[str, tuple[float, float, float, float]]] = []
    if content is None:
        return texts, images
    for el in content.iter():
        name = _local(el.tag)
        if name == "TextObject":
            obj = _text_object(el)
            if obj is not None:
                texts.append(obj)
        elif name == "ImageObject":
            box = floats(el.get("Boundary"), 4)
            if box and el.get("ResourceID"):
                images.append((el.get("ResourceID"), (box[0], box[1], box[2], box[3])))
    return texts, images


def _media(pkg: _Package, res_paths: list[str]) -> dict[str, str]:
    """MultiMedia id -> member name, from the document's resource files."""
    out: dict[str, str] = {}
    for res in res_paths:
        root = pkg.xml(res)
        if root is None:
            continue
        base = pkg.resolve(root.get("BaseLoc") or "", posixpath.dirname(res))
        for mm in root.iter():
            if _local(mm.tag) != "MultiMedia" or not mm.get("ID"):
                continue
            file = _first(mm, "MediaFile")
            if file is not None and (file.text or "").strip():
                out[mm.get("ID")] = pkg.resolve(file.text, base)
    return out


@dataclass(frozen=True)
class _Scan:
    """An image a text-less page draws over at least ``_MIN_IMAGE_SHARE`` of it: its scan, to OCR."""

    page: int  # the number of the page drawing it
    rid: str  # its resource id
    member: str  # its file in the package ("" when no resource names one)
    box: tuple[float, float, float, float]  # where the page draws it: x, y, width, height in mm


class _Unusable(Exception):
    """A scan that cannot be OCR'd; ``warning`` says why, as the document's warnings put it."""

    def __init__(self, warning: str) -> None:
        super().__init__(warning)
        self.warning = warning


def _decoded(pkg: _Package, scan: _Scan) -> Any:
    """The scan's image, decoded; ``_Unusable`` when it is missing from the package or undecodable."""
    from PIL import Image, UnidentifiedImageError

    from pipeline.load.image import MAX_PIXELS

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    data = pkg.read(scan.member)
    if data is None:
        raise _Unusable(f"page {scan.page}: image {scan.rid} is missing from the package")
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise _Unusable(f"page {scan.page}: image {scan.member} cannot be decoded, not OCR'd") from None
    return img


def _scan_image(pkg: _Package, scan: _Scan) -> Any:
    """The scan decoded and readied for OCR."""
    from pipeline.load import scan_clean

    return scan_clean.clean(_decoded(pkg, scan))  # an OFD of a colour scan carries the seal's red too


def _unusable(pkg: _Package, scans: list[_Scan]) -> dict[int, str]:
    """The scans that cannot be OCR'd, by index, with their warnings. Each image is decoded here
    and dropped: ``scanned.read_pages`` needs an image for every page it is given, and a
    truncated file fails only when decoded in full. Keeping the images instead would hold a
    long scan's every page in memory; decoding twice costs milliseconds a page against seconds
    of OCR."""
    out: dict[int, str] = {}
    for index, scan in enumerate(scans):
        try:
            _decoded(pkg, scan).close()
        except _Unusable as exc:
            out[index] = exc.warning
    return out


def _placed(seen: ScannedPage, box: tuple[float, float, float, float]) -> list[Line]:
    """A scan's OCR'd lines put where the page draws the image (mm → points)."""
    bx, by, bw, bh = box
    sx, sy = bw / seen.width * MM_TO_PT, bh / seen.height * MM_TO_PT
    return [
        layout.spread_boxes(
            Line(
                ln.text,
                bx * MM_TO_PT + ln.x0 * sx,
                bx * MM_TO_PT + ln.x1 * sx,
                by * MM_TO_PT + ln.top * sy,
                by * MM_TO_PT + ln.bottom * sy,
                ln.size * sx,
            )
        )
        for ln in seen.ocr.lines
    ]


@dataclass(frozen=True)
class OfdPage:
    page: PageLines
    lines: tuple[TextLine, ...]  # with each character's box; empty when the page was OCR'd
    ocr: bool


@dataclass(frozen=True)
class _Draft:
    """A page as parsed: its lines are still to come from OCR when it has ``scans``."""

    page: PageLines
    lines: tuple[TextLine, ...]
    ocr: bool
    scans: tuple[int, ...]  # indices into the package's scans, in the order the page draws them


_Note = str | int  # a warning, or where scan i's warning goes (missing, undecodable, low confidence)


def _document(
    pkg: _Package, doc_path: str, first_number: int, notes: list[_Note], scans: list[_Scan]
) -> list[_Draft]:
    """The pages of one document, in order. The images of its text-less pages are added to
    ``scans`` (document order), to be OCR'd together with every other document's."""
    root = pkg.xml(doc_path)
    if root is None:
        raise UnreadableInput(f"damaged OFD: {doc_path} is missing or not XML")
    doc_dir = posixpath.dirname(doc_path)
    common = _first(root, "CommonData")
    default_box = _A4
    templates: dict[str, str] = {}
    res_paths: list[str] = []
    if common is not None:
        area = _first(common, "PhysicalBox")
        box = floats(area.text if area is not None else None, 4)
        if box and box[2] > 0 and box[3] > 0:
            default_box = (box[2], box[3])
        for tpl in _children(common, "TemplatePage"):
            if tpl.get("ID") and tpl.get("BaseLoc"):
                templates[tpl.get("ID")] = pkg.resolve(tpl.get("BaseLoc"), doc_dir)
        for name in ("PublicRes", "DocumentRes"):
            for res in _children(common, name):
                if (res.text or "").strip():
                    res_paths.append(pkg.resolve(res.text, doc_dir))
    media = _media(pkg, res_paths)
    pages_el = _first(root, "Pages")
    out: list[_Draft] = []
    for page_el in _children(pages_el, "Page") if pages_el is not None else []:
        number = first_number + len(out)
        loc = page_el.get("BaseLoc") or ""
        page_path = pkg.resolve(loc, doc_dir)
        page = pkg.xml(page_path) if loc else None
        if page is None:
            notes.append(f"page {number}: {page_path or 'its content'} is missing or not XML, skipped")
            continue
        area = _first(page, "Area")
        box = floats(
            _first(area, "PhysicalBox").text
            if area is not None and _first(area, "PhysicalBox") is not None
            else None,
            4,
        )
        width, height = (box[2], box[3]) if box and box[2] > 0 and box[3] > 0 else default_box
        texts, images = _objects(page)
        used = [t.get("TemplateID") for t in _children(page, "Template")]
        for tid in used:
            tpl = pkg.xml(templates.get(tid or "", ""))
            if tpl is None:
                notes.append(f"page {number}: template {tid} is missing or not XML")
                continue
            t_texts, t_images = _objects(tpl)
            texts += t_texts
            images = t_images + images
        slanted = [t for obj in texts if (t := ofd_text.diagonal_text(obj).strip())]
        if slanted:
            notes.append(f"page {number}: slanted text not read (a watermark): {' '.join(slanted)[:60]}")
        glyphs = [g for obj in texts for g in ofd_text.glyphs(obj)]
        text_lines = tuple(ofd_text.lines(glyphs))
        mine: list[int] = []
        if not text_lines:
            for rid, (bx, by, bw, bh) in images:
                if bw * bh >= _MIN_IMAGE_SHARE * width * height:
                    mine.append(len(scans))
                    notes.append(len(scans))
                    scans.append(_Scan(number, rid, media.get(rid, ""), (bx, by, bw, bh)))
        page_lines = PageLines(number, width * MM_TO_PT, height * MM_TO_PT, tuple(t.line for t in text_lines))
        out.append(_Draft(page_lines, text_lines, not text_lines and bool(images), tuple(mine)))
    return out


@contextlib.contextmanager
def _opened(data: bytes) -> Iterator[_Package]:
    check_unpacked(data, "OFD")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise UnreadableInput("damaged OFD file (not a readable zip)") from None
    with zf:
        yield _Package(zf, {n.lower(): n for n in zf.namelist()})


def _parsed(pkg: _Package) -> tuple[list[_Draft], list[_Scan], list[_Note]]:
    """Every page of every document in the package, in order; the scans to OCR; the warnings."""
    root = pkg.xml("OFD.xml")
    if root is None:
        raise UnreadableInput("damaged OFD: OFD.xml is missing or not XML")
    roots = [
        pkg.resolve(el.text, "")
        for body in root.iter()
        if _local(body.tag) == "DocBody"
        for el in _children(body, "DocRoot")
        if (el.text or "").strip()
    ]
    if not roots:
        raise UnreadableInput("damaged OFD: OFD.xml names no document (DocBody/DocRoot)")
    notes: list[_Note] = []
    scans: list[_Scan] = []
    pages: list[_Draft] = []
    for doc_path in roots:
        pages += _document(pkg, doc_path, len(pages) + 1, notes, scans)
    return pages, scans, notes


def _warnings(
    notes: list[_Note], scans: list[_Scan], unusable: dict[int, str], readings: dict[int, ScannedPage]
) -> list[str]:
    """The warnings in the order a page-by-page reading gives them: each scan's where it was drawn."""
    out: list[str] = []
    for note in notes:
        if isinstance(note, str):
            out.append(note)
        elif note in unusable:
            out.append(unusable[note])
        else:
            # imported only once a scan was read: a text OFD never needs the OCR module
            from pipeline.load.ocr import LOW_CONFIDENCE

            if (score := readings[note].ocr.confidence) < LOW_CONFIDENCE:
                out.append(f"page {scans[note].page}: low OCR confidence ({score:.2f})")
    return out


def _finished(draft: _Draft, scans: list[_Scan], readings: dict[int, ScannedPage]) -> OfdPage:
    """The page with the lines of the scans it draws (those that could be read), in its order."""
    if not draft.scans:
        return OfdPage(draft.page, draft.lines, draft.ocr)
    lines = [ln for i in draft.scans if i in readings for ln in _placed(readings[i], scans[i].box)]
    return OfdPage(replace(draft.page, lines=tuple(lines)), draft.lines, draft.ocr)


def read_pages(data: bytes) -> tuple[list[OfdPage], list[str]]:
    """Every page of every document in the package, in order, and what was skipped.

    The package is parsed whole first, then the scans of all its text-less pages are OCR'd
    together (``scanned.read_pages``: several at once here, or one Ray task each); their lines
    and warnings go where reading them page by page would put them."""
    with _opened(data) as pkg:
        drafts, scans, notes = _parsed(pkg)
        unusable = _unusable(pkg, scans)
        readings: dict[int, ScannedPage] = {}
        indices = [i for i in range(len(scans)) if i not in unusable]
        if indices:
            from pipeline.load import scanned

            read = scanned.read_pages("ofd", indices, lambda i: _scan_image(pkg, scans[i]))
            readings = dict(zip(indices, read, strict=True))
    return [_finished(d, scans, readings) for d in drafts], _warnings(notes, scans, unusable, readings)


def ocr_page(data: bytes, index: int) -> ScannedPage:
    """Scan ``index`` of the OFD ``data`` OCR'd on its own (a Ray page task: ``load.scanned``).

    ``index`` counts the scans the package's XML selects, in document order, the unusable ones
    too (``read_pages`` asks for the others only): so only this one image is decoded here, not
    every image before it."""
    from pipeline.load import scanned

    with _opened(data) as pkg:
        _, scans, _ = _parsed(pkg)
        try:
            image = _scan_image(pkg, scans[index])
        except _Unusable as exc:  # the first reading left it out: not a page this file asks for
            raise UnreadableInput(f"damaged OFD: {exc.warning}") from None
        return scanned.recognized(image)


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    pages, warnings = read_pages(data)
    raw, spans, boxes = layout.assemble_boxes(layout.drop_furniture([p.page for p in pages]))
    return LoadedDocument(
        path=path,
        sha256=sha256,
        format="ofd",
        raw_text=raw,
        pages=spans,
        ocr=any(p.ocr for p in pages),
        warnings=tuple(warnings),
        boxes=boxes,
    )
