"""A notice laid out as a red-header 公文 (GB/T 9704), written by python-docx and exported by LibreOffice.

What an office's template gives and a neat render lacks: the 发文机关标志 in
red large type, a red rule under the 文号, the title in 小标宋, body in 仿宋
with two-character indents, the 附件 list, the signature and date right-aligned
with a red round seal floating over them (a ``wp:anchor`` picture with
``wrapNone``, behind the text — 衬于文字下方 — as offices place an electronic stamp), and a "— N —" page number in the footer.
The fonts are named as the templates name them (方正小标宋简体, 仿宋_GB2312):
LibreOffice substitutes what is installed, as it does on an office PC without them.

``convert`` then saves the DOCX files as PDF, Word 97, ODT, RTF and HTML in
one soffice run per target; ``scan`` and ``photo`` make colour scans and phone
photos of the PDF's pages. Nothing here is committed: the tests build it all.
"""

from __future__ import annotations

import io
import math
import random
import re
import subprocess
from pathlib import Path
from typing import Any

from scripts.make_fixtures import FONTS, plain_lines

RED = "E60012"  # the red of 公文 mastheads
_DOCNUM = re.compile(r"〔\d{4}〕\d+号$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")
_TITLE = re.compile(r"^关于.*|.*(?:通知|通告|公告)$")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_ATTACH_ITEM = re.compile(r"^\d{1,2}[.．、]\s*\S")
# soffice --convert-to filter per target suffix
TARGETS = {
    "pdf": "pdf:writer_pdf_Export",
    "doc": "doc:MS Word 97",
    "odt": "odt",
    "rtf": "rtf",
    "html": "html:HTML (StarWriter):UTF8",
}


def layout(lines: list[str]) -> list[str]:
    """The 公文 role of each line: masthead, docnum, title, body, heading, attach, sign, date, tail."""
    out = ["body"] * len(lines)
    num = next((i for i, ln in enumerate(lines[:6]) if _DOCNUM.search(ln)), -1)
    for i in range(num):
        out[i] = "masthead"
    if num >= 0:
        out[num] = "docnum"
    title = next((i for i in range(num + 1, min(num + 6, len(lines))) if _TITLE.match(lines[i])), num + 1)
    for i in range(num + 1, title + 1):
        out[i] = "title"
    dates = [i for i, ln in enumerate(lines) if _DATE.match(ln) and i > len(lines) * 0.6]
    date = dates[-1] if dates else -1
    if date >= 0:
        out[date] = "date"
        j = date - 1
        while j > title and len(lines[j]) <= 40 and not re.search(r"[，。：；,:;0-9]", lines[j]):
            out[j] = "sign"
            j -= 1
        for k in range(date + 1, len(lines)):
            out[k] = "tail"
    attach = False
    for i, ln in enumerate(lines):
        if out[i] not in {"body", "heading"}:
            attach = False
            continue
        if re.match(r"^[-\s]*附件[:：]", ln):
            out[i], attach = "attach", True
        elif attach and _ATTACH_ITEM.match(ln):
            out[i] = "attach"
        else:
            attach = False
            if _HEADING.match(ln):
                out[i] = "heading"
    return out


def seal_png(text: str, size: int = 480) -> bytes:
    """A round red seal: ring, five-pointed star, the issuer's name along the upper arc (RGBA, clear ground)."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = next(f for f in FONTS if Path(f).exists())
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    red = (230, 0, 18, 230)
    c, r = size / 2, size / 2 - 6
    draw.ellipse((c - r, c - r, c + r, c + r), outline=red, width=int(size * 0.03))
    star = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = size * 0.16 if k % 2 == 0 else size * 0.065
        star.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(font_path, int(size * 0.11))
    chars = list(text)
    span = min(math.radians(250), math.radians(24) * len(chars))
    for k, ch in enumerate(chars):
        a = -math.pi / 2 - span / 2 + span * (k + 0.5) / len(chars)
        glyph = Image.new("RGBA", (int(size * 0.14), int(size * 0.14)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        rr = r - size * 0.1
        x, y = c + rr * math.cos(a) - glyph.width / 2, c + rr * math.sin(a) - glyph.height / 2
        img.alpha_composite(glyph, (int(x), int(y)))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _font(run: Any, name: str, size: float, *, bold: bool = False, color: str | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _red_rule(paragraph: Any) -> None:
    """A red bottom border on the paragraph: how a template draws the rule under the 文号."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    ppr = paragraph._element.get_or_add_pPr()
    at = 1 if ppr.find(qn("w:pStyle")) is not None else 0  # pBdr comes before spacing, ind and jc
    ppr.insert(
        at,
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="18" w:space="1" w:color="{RED}"/></w:pBdr>'
        ),
    )


def _float_picture(run: Any, png: bytes, diameter_cm: float, x_cm: float, y_cm: float) -> None:
    """Add the picture inline, then turn its ``wp:inline`` into a ``wp:anchor`` floating over the text."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm

    run.add_picture(io.BytesIO(png), width=Cm(diameter_cm))
    inline = run._element.find(f".//{qn('wp:inline')}")
    extent = inline.find(qn("wp:extent"))
    doc_pr = inline.find(qn("wp:docPr"))
    graphic = inline.find(qn("a:graphic"))
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp", "a")} distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="251659264" behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{int(Cm(x_cm))}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{int(Cm(y_cm))}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{extent.get("cx")}" cy="{extent.get("cy")}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{doc_pr.get("id")}" name="seal"/><wp:cNvGraphicFramePr/></wp:anchor>'
    )
    anchor.append(graphic)
    inline.getparent().replace(inline, anchor)


_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def _masthead_box(paragraph: Any, lines: list[str], width_cm: float, docx_id: int) -> None:
    """The 发文机关标志 in a floating text box (``wps:txbx``), as WPS and many office templates set it."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm

    size = min(26, 440 // max(max(map(len, lines)), 1))
    paras = "".join(
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr>'
        f'<w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体"/><w:color w:val="{RED}"/>'
        f'<w:sz w:val="{size * 2}"/></w:rPr><w:t>{ln}</w:t></w:r></w:p>'
        for ln in lines
    )
    cx, cy = int(Cm(width_cm)), int(Cm(1.6 * len(lines) + 0.4))
    paragraph._element.append(
        parse_xml(
            f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="{_WPS}"><w:drawing>'
            f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251660288" '
            f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{docx_id}" name="masthead"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="{_WPS}"><wps:wsp><wps:cNvSpPr txBox="1"/>'
            f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            f"<wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx>"
            f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"/>'
            f"</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
        )
    )


def _page_number_footer(section: Any) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p = section.footer.paragraphs[0]
    p.alignment = 1
    p._element.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">— </w:t></w:r>'))
    p._element.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )
    p._element.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> —</w:t></w:r>'))


def make_docx(text: str, *, masthead_box: bool = False) -> bytes:
    """The notice as a red-header 公文 .docx; ``masthead_box`` sets the 发文机关标志 in a floating text box."""
    import datetime

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    lines = plain_lines(text)
    roles = layout(lines)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_number_footer(section)
    width_cm = 21 - 2.8 - 2.6
    sign = [ln for ln, r in zip(lines, roles, strict=True) if r == "sign"]
    seal_text = (sign[-1] if sign else lines[0]).split()[-1]
    seal = seal_png(seal_text)
    if masthead_box:
        _masthead_box(
            doc.add_paragraph(),
            [ln for ln, r in zip(lines, roles, strict=True) if r == "masthead"],
            width_cm,
            90,
        )
    for i, (ln, role) in enumerate(zip(lines, roles, strict=True)):
        if masthead_box and role == "masthead":
            continue
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(28)
        run = p.add_run(ln)
        if role == "masthead":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(44)
            _font(run, "方正小标宋简体", min(26, 440 // max(len(ln), 1)), color=RED)  # set to fit one line
        elif role == "docnum":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_before = Pt(18)
            _font(run, "仿宋_GB2312", 16)
            _red_rule(p)
            fmt.space_after = Pt(24)
        elif role == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(36)
            _font(run, "方正小标宋简体", 22)
        elif role in {"sign", "date"}:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Cm(1.2) if len(ln) <= 16 else Cm(0)
            _font(run, "仿宋_GB2312", 16)
            if role == "sign" and (i == 0 or roles[i - 1] != "sign"):
                fmt.space_before = Pt(28)
                # the stamp: centred over the signature and date, half a line above the first
                _float_picture(p.add_run(), seal, 4.2, width_cm - 5.6, -0.6)
            if role == "date" and "sign" not in roles:
                _float_picture(p.add_run(), seal, 4.2, width_cm - 5.0, -1.6)
        elif role == "attach":
            fmt.left_indent = Cm(1.1) if not re.match(r"^[-\s]*附件", ln) else Cm(0)
            fmt.first_line_indent = Cm(1.1) if re.match(r"^[-\s]*附件", ln) else Cm(2.2)
            _font(run, "仿宋_GB2312", 16)
        else:
            fmt.first_line_indent = Pt(32)
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _font(run, "黑体" if role == "heading" else "仿宋_GB2312", 16)
    doc.core_properties.created = datetime.datetime(2024, 9, 9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def convert(docx_files: list[Path], out: Path, soffice: str, targets: tuple[str, ...]) -> None:
    """Each .docx saved in every target format: one soffice run per target, each in its own profile.

    The runs are started together (two at a time, one per core) so the slow start-up of
    LibreOffice is paid in parallel; each writes to ``out`` under the source's stem.
    """
    pending = list(targets)
    running: list[subprocess.Popen[bytes]] = []
    while pending or running:
        while pending and len(running) < 2:
            fmt = pending.pop(0)
            profile = (out / f"profile-{fmt}").as_uri()
            cmd = [soffice, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={profile}"]
            cmd += ["--convert-to", TARGETS[fmt], "--outdir", str(out), *map(str, docx_files)]
            running.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        running[0].wait(timeout=300)
        running.pop(0)


def render_pages(pdf: Path, dpi: int = 200, pages: tuple[int, ...] | None = None) -> list[Any]:
    """The PDF's pages as RGB images (colour: the masthead and the seal stay red)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    out = [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in pages or range(len(doc))]
    doc.close()
    return out


def _perspective(img: Any, corners: list[tuple[float, float]], size: tuple[int, int], fill: Any) -> Any:
    """``img`` (whole) mapped onto the quad ``corners`` (tl, tr, br, bl) of a canvas of ``size``."""
    import numpy as np
    from PIL import Image

    w, h = img.size
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    # PIL's PERSPECTIVE maps output → input: solve for the 8 coefficients from the canvas corners
    a = []
    for (x, y), (u, v) in zip(corners, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    coeffs = np.linalg.solve(np.array(a, float), np.array([c for p in src for c in p], float))
    return img.transform(size, Image.PERSPECTIVE, tuple(coeffs), Image.BICUBIC, fillcolor=fill)


def scan(img: Any, seed: int) -> Any:
    """A colour office scan: mild keystone (a few pixels), uneven light (a gradient), JPEG quality 60."""
    import numpy as np
    from PIL import Image

    rng = random.Random(seed)
    w, h = img.size
    k = [rng.uniform(2, 7) for _ in range(8)]
    quad = [(k[0], k[1]), (w - k[2], k[3] * 0.5), (w - k[4] * 0.5, h - k[5]), (k[6] * 0.3, h - k[7])]
    img = _perspective(img, quad, (w, h), (255, 255, 255))
    arr = np.asarray(img).astype(np.float32)
    ys, xs = np.mgrid[0:h, 0:w]
    light = 1.0 - 0.22 * (xs / w) * (0.6 + 0.4 * ys / h)  # darker towards one corner, as a lid lets in light
    arr = np.clip(arr * light[..., None] + rng.uniform(-4, 4), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=60)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def photo(img: Any, seed: int) -> Any:
    """A phone photo of the printed page: on a darker desk, turned a little, in perspective, soft focus."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    w, h = img.size
    cw, ch = int(w * 1.18), int(h * 1.14)
    angle = math.radians(rng.choice((-1, 1)) * rng.uniform(1.5, 3.0))
    cx, cy = cw / 2, ch / 2
    base = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    quad = []
    for n, (x, y) in enumerate(base):
        x *= 1 - (0.03 if n in (0, 1) else 0.0)  # the top edge farther from the lens: shorter
        xr = x * math.cos(angle) - y * math.sin(angle) + cx + rng.uniform(-8, 8)
        yr = x * math.sin(angle) + y * math.cos(angle) + cy + rng.uniform(-8, 8)
        quad.append((xr, yr))
    desk = (92, 78, 64)
    out = _perspective(img, quad, (cw, ch), desk)
    arr = np.asarray(out).astype(np.float32)
    ys, xs = np.mgrid[0:ch, 0:cw]
    light = 0.95 - 0.18 * ((xs - cw * 0.3) ** 2 + (ys - ch * 0.35) ** 2) / (cw**2 + ch**2)
    arr = np.clip(arr * light[..., None], 0, 255).astype(np.uint8)
    out = Image.fromarray(arr).filter(ImageFilter.GaussianBlur(1.0))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=80)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


# the notices made into 公文: both seeds and the two held-out notices that print a 附件 list
NOTICES = {
    "000_020e7bca74b620b8": (
        "data/raw/000_020e7bca74b620b8.txt",
        "tests/gold/seeds/000_020e7bca74b620b8.gold.json",
    ),
    "004_44f96866d5556162": (
        "data/raw/004_44f96866d5556162.txt",
        "tests/gold/seeds/004_44f96866d5556162.gold.json",
    ),
    "heldout-01": ("tests/fixtures/heldout/heldout-01.txt", "tests/gold/heldout/heldout-01.gold.json"),
    "heldout-03": ("tests/fixtures/heldout/heldout-03.txt", "tests/gold/heldout/heldout-03.gold.json"),
}
# notices whose masthead is a floating text box rather than paragraphs
MASTHEAD_IN_A_BOX = {"004_44f96866d5556162", "heldout-01"}
# text-layer formats, as the files are named; .wps is the Word 97 file under Kingsoft's suffix:
# LibreOffice reads WPS 文字 files but has no filter that writes them
TEXT_FORMATS = ("docx", "pdf", "doc", "wps", "odt", "rtf", "html")


def build(root: Path, out: Path, soffice: str) -> None:
    """Every notice of ``NOTICES`` as a 公文 .docx and its LibreOffice exports, written to ``out``."""
    import shutil

    sources = []
    for stem, (txt, _gold) in NOTICES.items():
        path = out / f"{stem}.docx"
        text = (root / txt).read_text(encoding="utf-8")
        path.write_bytes(make_docx(text, masthead_box=stem in MASTHEAD_IN_A_BOX))
        sources.append(path)
    convert(sources, out, soffice, ("pdf", "doc", "odt", "rtf", "html"))
    for stem in NOTICES:
        shutil.copy(out / f"{stem}.doc", out / f"{stem}.wps")


def image_pdf(images: list[Any], path: Path) -> None:
    """Page images saved as an image-only PDF, JPEG quality 60: what a scanner or a phone app writes."""
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=200, quality=60)


def macro_f1(record: dict[str, Any], stem: str, root: Path, scorer: Any) -> float:
    """The shared scorer's macro F1 of one record against its notice's gold, whatever file it came from."""
    import json
    import tempfile

    gold = json.loads((root / NOTICES[stem][1]).read_text(encoding="utf-8"))
    record = {**record, "source": {**record["source"], "path": gold["source_file"]}}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "r").mkdir()
        (Path(tmp) / "g").mkdir()
        (Path(tmp) / "r" / "r.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        (Path(tmp) / "g" / "g.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        return float(scorer.score(Path(tmp) / "r", Path(tmp) / "g")["macro_f1"])
