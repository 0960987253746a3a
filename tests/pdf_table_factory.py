"""PDF pages with ruled tables drawn the ways producers draw them, for comparing table readers.

fpdf2 pages (each a function returning the PDF's bytes): merged cells (column
and row spans), a table with only its inner rules, a grid of filled thin
rectangles, a grid of line segments with wrapped and mixed Chinese/Latin text,
a ruled box around a paragraph that is no table, dashed rules, a table in a
rounded frame (curves); and, written by hand, a grid inside a scaled form
XObject and the same with a fake-bold heading. ``office_pdfs`` has LibreOffice export python-docx
tables (a grid, merged cells, a borderless table with inner rules) as Word
users make them. Deterministic for given fpdf2 / LibreOffice versions.
"""

from __future__ import annotations

import datetime
import io
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def _pdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.datetime(2024, 9, 9, tzinfo=datetime.UTC))  # same bytes every run
    pdf.add_font("cjk", fname=FONT)
    pdf.add_font("cjk", style="B", fname=FONT)
    pdf.set_font("cjk", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 7, "\u3000\u3000申报材料按下表要求报送。", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    return pdf


def merged_cells() -> bytes:
    pdf = _pdf()
    with pdf.table(col_widths=(30, 40, 40, 30), text_align="LEFT") as table:
        r = table.row()
        r.cell("系列")
        r.cell("评审条件", colspan=2)
        r.cell("备注")
        r = table.row()
        r.cell("工程", rowspan=2)
        r.cell("学历")
        r.cell("本科以上")
        r.cell("")
        r = table.row()
        r.cell("年限")
        r.cell("满5年")
        r.cell("破格另议")
        r = table.row()
        r.cell("合计 total", colspan=4)
    pdf.ln(3)
    pdf.multi_cell(0, 7, "\u3000\u3000以上材料一式两份。", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def inner_rules_only() -> bytes:
    pdf = _pdf()
    with pdf.table(col_widths=(30, 40, 40), text_align="LEFT", borders_layout="INTERNAL") as table:
        for row in (
            ("项目", "收费标准", "备注"),
            ("评审费", "每人400元", "含答辩"),
            ("鉴定费", "每篇200元", ""),
        ):
            r = table.row()
            for cell in row:
                r.cell(cell)
    return bytes(pdf.output())


def _grid_text(pdf: Any, xs: list[float], ys: list[float], rows: list[list[str]]) -> None:
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            pdf.set_xy(xs[j] + 1, ys[i] + 1)
            pdf.multi_cell(xs[j + 1] - xs[j] - 2, 5, text)


_ROWS = [
    ["序号", "材料名称", "份数"],
    ["1", "申报表（一式三份，A4纸双面打印）", "3"],
    ["2", "学历证书 copy of diploma", "1"],
    ["3", "业绩成果材料", "若干"],
]


def thin_rectangles() -> bytes:
    """Rules drawn as filled rectangles 0.5 pt thick, as some report writers do."""
    pdf = _pdf()
    xs, ys = [20.0, 40.0, 130.0, 170.0], [40.0, 52.0, 70.0, 82.0, 94.0]
    t = 0.5 / 72 * 25.4
    pdf.set_fill_color(0, 0, 0)
    for y in ys:
        pdf.rect(xs[0], y, xs[-1] - xs[0], t, style="F")
    for x in xs:
        pdf.rect(x, ys[0], t, ys[-1] - ys[0], style="F")
    _grid_text(pdf, xs, ys, _ROWS)
    return bytes(pdf.output())


def line_grid() -> bytes:
    """Rules as separate line segments, one per cell side, wrapped and mixed text in the cells."""
    pdf = _pdf()
    xs, ys = [20.0, 40.0, 90.0, 170.0], [40.0, 52.0, 70.0, 82.0, 94.0]
    for i in range(len(ys) - 1):
        for j in range(len(xs) - 1):
            pdf.line(xs[j], ys[i], xs[j + 1], ys[i])
            pdf.line(xs[j], ys[i], xs[j], ys[i + 1])
    for j in range(len(xs) - 1):
        pdf.line(xs[j], ys[-1], xs[j + 1], ys[-1])
    for i in range(len(ys) - 1):
        pdf.line(xs[-1], ys[i], xs[-1], ys[i + 1])
    _grid_text(pdf, xs, ys, _ROWS)
    return bytes(pdf.output())


def ruled_box() -> bytes:
    """A paragraph in a ruled box with a rule above and below the page's text: lines, no table."""
    pdf = _pdf()
    pdf.line(20, 30, 190, 30)
    pdf.rect(20, 40, 170, 30)
    pdf.set_xy(22, 42)
    pdf.multi_cell(166, 6, "特别提示：申报人须对所提交材料的真实性负责，凡弄虚作假者，取消其当年申报资格。")
    pdf.line(20, 80, 190, 80)
    pdf.line(20, 82, 190, 82)
    return bytes(pdf.output())


def dashed_rules() -> bytes:
    """A grid of dashed rules, one line with a dash pattern each: edges as if solid."""
    pdf = _pdf()
    xs, ys = [20.0, 60.0, 120.0], [40.0, 52.0, 64.0, 76.0]
    pdf.set_dash_pattern(dash=2, gap=0.5)
    for y in ys:
        pdf.line(xs[0], y, xs[-1], y)
    for x in xs:
        pdf.line(x, ys[0], x, ys[-1])
    pdf.set_dash_pattern()
    _grid_text(pdf, xs, ys, [["项目", "标准"], ["评审费", "400元"], ["鉴定费", "200元"]])
    return bytes(pdf.output())


def rounded_frame() -> bytes:
    """A table inside a frame with rounded corners: curves, which the fast reader leaves to pdfplumber."""
    pdf = _pdf()
    pdf.rect(15, 35, 160, 50, round_corners=True, corner_radius=4)
    with pdf.table(col_widths=(30, 40), width=100, text_align="LEFT") as table:
        for row in (("项目", "标准"), ("评审费", "400元"), ("鉴定费", "200元")):
            r = table.row()
            for cell in row:
                r.cell(cell)
    return bytes(pdf.output())


def diagonal_header() -> bytes:
    """A 斜线表头: the top-left cell split by a slash, its two labels either side."""
    pdf = _pdf()
    xs, ys = [20.0, 60.0, 100.0, 140.0], [40.0, 56.0, 68.0, 80.0]
    for y in ys:
        pdf.line(xs[0], y, xs[-1], y)
    for x in xs:
        pdf.line(x, ys[0], x, ys[-1])
    pdf.line(xs[0], ys[0], xs[1], ys[1])
    pdf.set_xy(45, 41)
    pdf.cell(14, 6, "年度")
    pdf.set_xy(21, 49)
    pdf.cell(14, 6, "系列")
    _grid_text(pdf, xs, ys, [["", "2023", "2024"], ["工程", "120人", "135人"], ["经济", "80人", "96人"]])
    return bytes(pdf.output())


FPDF_PAGES: dict[str, Callable[[], bytes]] = {
    f.__name__: f
    for f in (
        merged_cells,
        inner_rules_only,
        thin_rectangles,
        line_grid,
        ruled_box,
        dashed_rules,
        rounded_frame,
        diagonal_header,
    )
}


def _docx() -> bytes:
    """Four Word tables: a full grid (shaded heading, a cell wrapped over lines), one with merged
    cells, one with inner rules only, one in 公文 body size (16 pt, where LibreOffice's gap
    between Chinese and digits is over pdfplumber's 3 pt word gap)."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    doc.add_paragraph("一、申报条件按下表执行。")
    grid = doc.add_table(rows=3, cols=3)
    grid.style = "Table Grid"
    rows = (
        ("级别", "学历", "年限"),
        ("高级", "本科及以上学历，取得中级职称后从事本专业技术工作满5年", "满5年"),
        ("中级", "大专", "满4年"),
    )
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
            if r == 0:  # a shaded heading row: a filled rectangle under each cell
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), "D9D9D9")
                grid.cell(r, c)._tc.get_or_add_tcPr().append(shading)
    doc.add_paragraph("二、材料清单如下。")
    merged = doc.add_table(rows=4, cols=3)
    merged.style = "Table Grid"
    merged.cell(0, 0).merge(merged.cell(0, 2)).text = "申报材料清单"
    merged.cell(1, 0).merge(merged.cell(2, 0)).text = "必交"
    for r, c, text in ((1, 1, "申报表"), (1, 2, "3份"), (2, 1, "诚信承诺书"), (2, 2, "1份"), (3, 0, "选交")):
        merged.cell(r, c).text = text
    merged.cell(3, 1).merge(merged.cell(3, 2)).text = "业绩材料 papers"
    doc.add_paragraph("三、收费标准。")
    inner = doc.add_table(rows=3, cols=2)
    borders = OxmlElement("w:tblBorders")
    for side in ("insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        borders.append(el)
    inner._tbl.tblPr.append(borders)
    for r, row in enumerate((("项目", "标准"), ("评审费", "400元"), ("鉴定费", "200元"))):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    doc.add_paragraph("四、公文正文字号（三号）的表格。")
    big = doc.add_table(rows=2, cols=3)
    big.style = "Table Grid"
    for r, row in enumerate((("系列", "年限", "费用"), ("工程", "满5年", "每人400元"))):
        for c, text in enumerate(row):
            big.cell(r, c).paragraphs[0].add_run(text).font.size = Pt(16)
    doc.add_paragraph("以上费用不予退还。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def office_pdfs(soffice: str, out: Path) -> list[Path]:
    """The Word tables above exported by LibreOffice as PDF."""
    src = out / "word_tables.docx"
    src.write_bytes(_docx())
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return [out / "word_tables.pdf"]


def _raw_pdf(content: bytes, form: bytes, form_matrix: str) -> bytes:
    """A one-page PDF written by hand: ``content`` draws the form XObject ``/F1`` and Helvetica text."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /H 5 0 R >> /XObject << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [%s]"
        b" /Resources << /Font << /H 5 0 R >> >> /Length %d >>\nstream\n%s\nendstream"
        % (form_matrix.encode(), len(form), form),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text(x: float, y: float, s: str, size: int = 10, *, scaled: bool = False) -> str:
    """Text set at ``size`` by ``Tf``, or (``scaled``) by a 1-point font in a scaled text matrix,
    as Ghostscript writes it."""
    if scaled:
        return f"BT /H 1 Tf {size} 0 0 {size} {x} {y} Tm ({s}) Tj ET"
    return f"BT /H {size} Tf {x} {y} Td ({s}) Tj ET"


def form_table(fake_bold: bool = False) -> bytes:
    """A grid drawn inside a form XObject under a scaling matrix, in tenths of a point as Word's
    writer does, its cells' text (Helvetica) on the page, a bar closed with h under it, and a
    second table of re-rectangles, its text in a scaled text matrix; ``fake_bold`` prints the
    heading row twice, 0.3 pt apart."""
    grid = []
    xs, ys = [1000, 2000, 3500, 5000], [7000, 6800, 6600, 6400]  # tenths of a point
    for y in ys:
        grid.append(f"{xs[0]} {y} m {xs[-1]} {y} l S")
    for x in xs:
        grid.append(f"{x} {ys[0]} m {x} {ys[-1]} l S")
    grid.append(f"{xs[0]} 6200 m {xs[-1]} 6200 l {xs[-1]} 6195 l {xs[0]} 6195 l h f")  # a thin bar, closed
    form = ("5 w " + " ".join(grid)).encode()
    rows = [["Item", "Fee", "Note"], ["Review", "400 yuan", "per person"], ["Paper", "200", ""]]
    text = []
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if cell:
                x, y = xs[j] / 10 + 3, ys[i] / 10 - 14
                text.append(_text(x, y, cell))
                if i == 0 and fake_bold:
                    text.append(_text(x + 0.3, y, cell))
    page = ["q 0.1 0 0 0.1 0 0 cm /F1 Do Q", *text]
    # a second table: rectangles with re, 2 x 2, below
    for r in range(2):
        for c in range(2):
            page.append(f"{100 + 120 * c} {500 - 20 * r} 120 20 re S")
            page.append(_text(104 + 120 * c, 506 - 20 * r, f"r{r}c{c}", scaled=True))
    return _raw_pdf("\n".join(page).encode(), form, "1 0 0 1 0 0")


def fake_bold_table() -> bytes:
    """``form_table`` with its heading in fake bold: pdfminer keeps both copies, PDFium one."""
    return form_table(fake_bold=True)


FPDF_PAGES["form_table"] = form_table
FPDF_PAGES["fake_bold_table"] = fake_bold_table
