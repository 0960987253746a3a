"""Write a notice's text as an OFD file, laid out the way a 公文 is: A4, 28 characters a line.

The tests build their OFD fixtures with this at test time (zipfile + XML), so no
generated OFD is committed. The layout follows GB/T 9704 (the 公文 format):
156 mm text width, 16 pt 仿宋 (5.6 mm) on a 10 mm pitch, 22 lines a page, body
paragraphs indented two characters, masthead and title centred, signature and
date right-aligned, a page number "— N —" at the foot of every page. Each
printed line is one TextObject, and the objects of a page are written in
reverse order so the reader must order them by position, not by the file.
Widths use ``g N v`` runs for DeltaX, as real producers (Suwell, iOFD) write them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from scripts.make_fixtures import plain_lines, roles

NS = "http://www.ofdspec.org/2016"
SIZE = 5.6  # mm, 三号
LEFT, TOP, WIDTH, PITCH, LINES = 28.0, 37.0, 156.0, 10.0, 22
_NO_LINE_START = "，。、；：？！）》”〕】,.;:)"


def _w(ch: str) -> float:
    return SIZE if ord(ch) >= 0x2E80 else SIZE / 2


def _wrap(text: str, first_indent: float) -> list[str]:
    """Break between any two Chinese characters, but never inside a Latin word or URL (as Word does)."""
    lines, cur, width = [], "", first_indent
    for word in re.findall(r"[!-~]+|.", text):
        w = sum(_w(ch) for ch in word)
        if cur and width + w > WIDTH + 0.01 and word[0] not in _NO_LINE_START:
            lines.append(cur)
            cur, width = "", 0.0
        cur += word
        width += w
    return [*lines, cur] if cur else lines


def _delta_x(text: str, width: float | None) -> str:
    """The advances between glyphs, runs of equal ones written ``g N v``; a justified line spread to ``width``."""
    steps = [_w(ch) for ch in text[:-1]]
    if width is not None and steps:
        extra = (width - sum(_w(ch) for ch in text)) / len(steps)
        steps = [round(s + extra, 3) for s in steps]
    parts = []
    for value, run in groupby(steps):
        n = len(list(run))
        parts.append(f"g {n} {value:g}" if n > 1 else f"{value:g}")
    return " ".join(parts)


def _text_object(oid: int, text: str, x: float, y: float, justify: float | None = None) -> str:
    width = justify or sum(_w(ch) for ch in text)
    return (
        f'<ofd:TextObject ID="{oid}" Font="2" Size="{SIZE}" Boundary="{x:.2f} {y:.2f} {width:.2f} {SIZE * 1.2:.2f}">'
        f'<ofd:TextCode X="0" Y="{SIZE * 0.88:.2f}" DeltaX="{_delta_x(text, justify)}">{escape(text)}</ofd:TextCode>'
        "</ofd:TextObject>"
    )


Printed = tuple[str, float, float | None]  # text, x, the width a justified line is spread to


def layout(text: str) -> list[list[Printed]]:
    """Pages of printed lines from a notice's text; body lines but a paragraph's last are justified."""
    lines = plain_lines(text)
    printed: list[Printed] = []
    for line, role in zip(lines, roles(lines), strict=True):
        if role == "centre":
            for piece in _wrap(line, 0.0):
                printed.append((piece, LEFT + (WIDTH - sum(_w(c) for c in piece)) / 2, None))
        elif role == "right":
            printed.append((line, LEFT + WIDTH - 2 * SIZE - sum(_w(c) for c in line), None))
        else:
            pieces = _wrap(line, 2 * SIZE)
            for i, piece in enumerate(pieces):
                indent = 2 * SIZE if i == 0 else 0.0
                justify = WIDTH - indent if i + 1 < len(pieces) else None
                printed.append((piece, LEFT + indent, justify))
    return [printed[i : i + LINES] for i in range(0, len(printed), LINES)]


def _page(lines: list[Printed], number: int) -> str:
    objects = [_text_object(10 + i, t, x, TOP + i * PITCH, j) for i, (t, x, j) in enumerate(lines)]
    foot = f"— {number} —"
    objects.append(_text_object(99, foot, LEFT + WIDTH / 2 - 10, 297 - 20))
    body = "".join(reversed(objects))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}">'
        "<ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area>"
        f'<ofd:Content><ofd:Layer ID="3">{body}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def make_ofd(text: str, extra: dict[str, bytes] | None = None) -> bytes:
    """An OFD package of the notice ``text`` (markdown-ish seed text, as data/raw holds)."""
    pages = layout(text)
    page_refs = "".join(
        f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
    )
    members = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            "<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
        ),
        "Doc_0/PublicRes.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
            '<ofd:Fonts><ofd:Font ID="2" FontName="仿宋"/></ofd:Fonts></ofd:Res>'
        ),
    }
    for i, lines in enumerate(pages):
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = _page(lines, i + 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        for name, blob in (extra or {}).items():
            z.writestr(name, blob)
    return buf.getvalue()


Box = tuple[float, float, float, float]  # x, y, width, height in mm, as an OFD Boundary
Drawn = tuple[bytes | None, Box]  # an image file (None: named by the package but not in it) and its boundary
A4: Box = (0.0, 0.0, 210.0, 297.0)


def _image_layer(drawn: Sequence[Drawn], first_id: int) -> str:
    return "".join(
        f'<ofd:ImageObject ID="{500 + first_id + i}" ResourceID="{first_id + i}"'
        f' CTM="{w:g} 0 0 {h:g} 0 0" Boundary="{x:g} {y:g} {w:g} {h:g}"/>'
        for i, (_, (x, y, w, h)) in enumerate(drawn)
    )


def make_image_ofd(pages: Sequence[Sequence[Drawn]], template: Sequence[Drawn] = ()) -> bytes:
    """An OFD whose pages draw images and no text, as a scanner's OFD export is: page i draws the
    images of ``pages[i]``, over a template page drawing ``template`` when that is given."""
    drawn = [*template, *(d for page in pages for d in page)]
    media = "".join(
        f'<ofd:MultiMedia ID="{i}" Type="Image"><ofd:MediaFile>img_{i}.png</ofd:MediaFile></ofd:MultiMedia>'
        for i in range(len(drawn))
    )
    page_refs = "".join(
        f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
    )
    uses = '<ofd:Template TemplateID="90"/>' if template else ""
    members = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            + ('<ofd:TemplatePage ID="90" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else "")
            + f"<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>{page_refs}"
            "</ofd:Pages></ofd:Document>"
        ),
        "Doc_0/DocumentRes.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
            f"<ofd:MultiMedias>{media}</ofd:MultiMedias></ofd:Res>"
        ),
    }
    if template:
        members["Doc_0/Tpls/Tpl_0/Content.xml"] = (
            f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="1">{_image_layer(template, 0)}'
            "</ofd:Layer></ofd:Content></ofd:Page>"
        )
    first = len(template)
    for i, page in enumerate(pages):
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<ofd:Page xmlns:ofd="{NS}">{uses}<ofd:Content><ofd:Layer ID="2">{_image_layer(page, first)}'
            "</ofd:Layer></ofd:Content></ofd:Page>"
        )
        first += len(page)
    for i, (data, _) in enumerate(drawn):
        if data is not None:
            members[f"Doc_0/Res/img_{i}.png"] = data
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members.items():
            z.writestr(name, blob)
    return buf.getvalue()


def page_png(pdf: Path, index: int, dpi: int = 110) -> bytes:
    """Page ``index`` of a PDF rendered in grey, as a scanner saves a page it writes into an OFD."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        buf = io.BytesIO()
        doc[index].render(scale=dpi / 72, grayscale=True).to_pil().save(buf, "PNG")
        return buf.getvalue()
    finally:
        doc.close()
