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
draws no text but an image (a scan saved as OFD) has the image OCR'd.
Signatures, seals and annotations are not text of the notice and are skipped.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any

from pipeline.errors import UnreadableInput
from pipeline.load import layout, ofd_text
from pipeline.load.layout import Line, PageLines
from pipeline.load.ofd_text import MM_TO_PT, TextLine, TextObject, deltas, floats
from pipeline.load.package import check_unpacked
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


def _ocr_images(
    pkg: _Package,
    images: list[tuple[str, tuple[float, float, float, float]]],
    media: dict[str, str],
    page_area: float,
    number: int,
    warnings: list[str],
) -> list[Line]:
    from PIL import Image, UnidentifiedImageError

    from pipeline.load import ocr, scan_clean
    from pipeline.load.image import MAX_PIXELS

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    out: list[Line] = []
    for rid, (bx, by, bw, bh) in images:
        if bw * bh < _MIN_IMAGE_SHARE * page_area:
            continue
        data = pkg.read(media.get(rid, ""))
        if data is None:
            warnings.append(f"page {number}: image {rid} is missing from the package")
            continue
        try:
            img = Image.open(io.BytesIO(data))
            img.load()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
            warnings.append(f"page {number}: image {media[rid]} cannot be decoded, not OCR'd")
            continue
        img = scan_clean.clean(img)  # an OFD of a colour scan carries the seal's red too
        result = ocr.recognize(img)
        if result.confidence < ocr.LOW_CONFIDENCE:
            warnings.append(f"page {number}: low OCR confidence ({result.confidence:.2f})")
        sx, sy = bw / img.width * MM_TO_PT, bh / img.height * MM_TO_PT
        for ln in result.lines:
            out.append(
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
            )
    return out


@dataclass(frozen=True)
class OfdPage:
    page: PageLines
    lines: tuple[TextLine, ...]  # with each character's box; empty when the page was OCR'd
    ocr: bool


def _document(pkg: _Package, doc_path: str, first_number: int, warnings: list[str]) -> list[OfdPage]:
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
    out: list[OfdPage] = []
    for page_el in _children(pages_el, "Page") if pages_el is not None else []:
        number = first_number + len(out)
        loc = page_el.get("BaseLoc") or ""
        page_path = pkg.resolve(loc, doc_dir)
        page = pkg.xml(page_path) if loc else None
        if page is None:
            warnings.append(f"page {number}: {page_path or 'its content'} is missing or not XML, skipped")
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
                warnings.append(f"page {number}: template {tid} is missing or not XML")
                continue
            t_texts, t_images = _objects(tpl)
            texts += t_texts
            images = t_images + images
        slanted = [t for obj in texts if (t := ofd_text.diagonal_text(obj).strip())]
        if slanted:
            warnings.append(f"page {number}: slanted text not read (a watermark): {' '.join(slanted)[:60]}")
        glyphs = [g for obj in texts for g in ofd_text.glyphs(obj)]
        text_lines = tuple(ofd_text.lines(glyphs))
        if text_lines:
            lines = tuple(t.line for t in text_lines)
            ocr = False
        else:
            lines = tuple(_ocr_images(pkg, images, media, width * height, number, warnings))
            ocr = bool(lines) or any(True for _ in images)
        out.append(OfdPage(PageLines(number, width * MM_TO_PT, height * MM_TO_PT, lines), text_lines, ocr))
    return out


def read_pages(data: bytes) -> tuple[list[OfdPage], list[str]]:
    """Every page of every document in the package, in order, and what was skipped."""
    check_unpacked(data, "OFD")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise UnreadableInput("damaged OFD file (not a readable zip)") from None
    with zf:
        pkg = _Package(zf, {n.lower(): n for n in zf.namelist()})
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
        warnings: list[str] = []
        pages: list[OfdPage] = []
        for doc_path in roots:
            pages += _document(pkg, doc_path, len(pages) + 1, warnings)
    return pages, warnings


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
