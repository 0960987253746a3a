#!/usr/bin/env python3
"""Render each seed notice (data/raw/*.txt) in the formats notices are published in.

    .venv/bin/python scripts/make_fixtures.py [--out tests/fixtures/formats]

For every seed: a text-layer PDF (official-document layout: centred masthead
and title, paragraphs indented two characters and wrapped at the page width, a
running header and a page number on every page), an image-only scanned PDF of
the same pages (150 dpi grayscale JPEG, a little blur, 1–2° skew), a DOCX and a
government-style HTML page (navigation, breadcrumb, publication date, footer,
related links and an attachment link around the body). Plus one small PDF with
a ruled fee table for the table reader.

Needs fpdf2 (dev extra) and a CJK TrueType font (Debian: fonts-wqy-microhei);
only this script needs them, the tests use the committed outputs.
The output is deterministic for a given fpdf2 version (fixed seed, fixed dates).
"""

from __future__ import annotations

import argparse
import html
import io
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
TITLE = re.compile(r"^(?:关于.*|.*(?:通知|通告|公告))$")
DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def plain_lines(md: str) -> list[str]:
    """The seed's markdown markup removed: what a printed copy of the notice shows."""
    out = []
    for line in md.splitlines():
        line = re.sub(r"^\s*#{1,6}\s+", "", line)
        line = line.replace("**", "")
        line = re.sub(r"\[([^\]]+)\]\(mailto:[^)]+\)", r"\1", line)
        line = re.sub(r"<(https?://[^>\s]+)>", r"\1", line)
        out.append(line.strip())
    while out and not out[0]:
        out.pop(0)
    return [ln for ln in out if ln]


def roles(lines: list[str]) -> list[str]:
    """'centre' for masthead/doc number/title, 'right' for the signature, else 'body'."""
    title = next((i for i, ln in enumerate(lines[:8]) if TITLE.match(ln)), -1)
    out = ["centre" if i <= title else "body" for i in range(len(lines))]
    for i, ln in enumerate(lines):
        if DATE.match(ln) and i > len(lines) * 0.6:
            out[i] = "right"
            j = i - 1
            while j > title and len(lines[j]) <= 30 and not re.search(r"[，。：；,:;]", lines[j]):
                out[j] = "right"
                j -= 1
    return out


_NO_LINE_START = "，。、；：？！）》”〕】,.;:)"


def wrap(pdf: object, text: str, width: float) -> list[str]:
    """Break anywhere between characters, as Word does for Chinese (fpdf2 would wait for a space)."""
    lines, cur = [], ""
    for ch in text:
        if cur and pdf.get_string_width(cur + ch) > width and ch not in _NO_LINE_START:  # type: ignore[attr-defined]
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur] if cur else lines


def make_pdf(lines: list[str], header: str, font: str) -> bytes:
    from fpdf import FPDF

    class Notice(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=9)
            self.set_y(10)
            self.cell(0, 5, header, align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-16)
            self.set_font("cjk", size=10)
            self.cell(0, 6, f"— {self.page_no()} —", align="C")

    pdf = Notice(format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(2024, 9, 9, tzinfo=__import__("datetime").UTC))
    pdf.add_font("cjk", fname=font)
    pdf.set_margins(26, 24, 26)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for ln, role in zip(lines, roles(lines), strict=True):
        big = role == "centre" and bool(TITLE.match(ln))
        pdf.set_font("cjk", size=16 if big else 13 if role == "centre" else 12)
        text = ln if role != "body" else "\u3000\u3000" + ln
        for part in wrap(pdf, text, width):
            align = {"centre": "C", "right": "R"}.get(role, "L")
            pdf.cell(0, 9 if big else 7, part, align=align, new_x="LMARGIN", new_y="NEXT")
        if role == "centre":
            pdf.ln(2)
    return bytes(pdf.output())


def make_table_pdf(font: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=font)
    pdf.add_font("cjk", style="B", fname=font)  # table headings are bold
    pdf.set_font("cjk", size=11)
    pdf.add_page()
    pdf.multi_cell(
        0, 7, "\u3000\u3000评审费用按下表收取，由申报人所在单位统一缴纳。", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)
    rows = (
        ("项目", "收费标准", "备注"),
        ("评审费", "每人400元", "含面试答辩"),
        ("论文鉴定费", "每篇200元", "按实际篇数"),
    )
    with pdf.table(col_widths=(30, 40, 40), text_align="LEFT") as table:
        for row in rows:
            r = table.row()
            for cell in row:
                r.cell(cell)
    pdf.ln(3)
    pdf.multi_cell(0, 7, "\u3000\u3000以上费用不予退还。", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_encrypted_pdf(font: str) -> bytes:
    """A one-line notice that opens only with the user password "1234"."""
    from fpdf import FPDF

    pdf = FPDF(format="A5")
    pdf.set_encryption(owner_password="owner-5678", user_password="1234")
    pdf.add_font("cjk", fname=font)
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    pdf.cell(0, 8, "关于开展2024年度职称评审工作的通知")
    return bytes(pdf.output())


def make_scan(pdf_bytes: bytes, seed: int) -> bytes:
    """Each page rasterised at 150 dpi, turned 1–2°, slightly blurred, stored as grayscale JPEG."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    doc = pdfium.PdfDocument(pdf_bytes)
    images = []
    for page in doc:
        img = page.render(scale=150 / 72, grayscale=True).to_pil().convert("L")
        angle = rng.choice((-1, 1)) * rng.uniform(1.0, 2.0)
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        images.append(img)
    doc.close()
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=150, quality=20)
    return buf.getvalue()


def make_docx(lines: list[str]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    for ln, role in zip(lines, roles(lines), strict=True):
        p = doc.add_paragraph()
        run = p.add_run(ln)
        if role == "centre":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = bool(TITLE.match(ln))
        elif role == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            p.paragraph_format.first_line_indent = Pt(24)
            if re.match(r"^[一二三四五六七八九十]+、", ln):
                run.bold = True
    doc.core_properties.created = __import__("datetime").datetime(2024, 9, 9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_通知公告_{site}</title>
<meta name="PubDate" content="{published} 10:30">
</head><body>
<div class="top"><a href="/">{site}</a> <a href="/zwgk/">政务公开</a> <a href="/tzgg/">通知公告</a>
<a href="/bsfw/">办事服务</a> <a href="/hdjl/">互动交流</a> <a href="/search/">搜索</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/jgzn/">机构职能</a></li><li><a href="/zcfg/">政策法规</a></li>
<li><a href="/rsks/">人事考试</a></li><li><a href="/zcgz/">职称工作</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>
<div class="article">
<h1>{title}</h1>
<div class="info">发布时间：{published}　来源：{site}　浏览次数：1024</div>
<div class="TRS_Editor" id="zoom">
{body}
</div>
<div class="attach"><p>附件：<a href="/files/{stem}_申报表.docx">{year}年度专业技术资格评审申报表.docx</a></p>
<p><a href="/files/{stem}_汇总表.xls">申报人员汇总表.xls</a></p></div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="/tzgg/1.html">关于公布2023年度全市职称评审结果的公示</a></li>
<li><a href="/tzgg/2.html">关于做好2024年度职称评审工作的通知</a></li>
<li><a href="/tzgg/3.html">2024年度专业技术人员继续教育公需科目培训安排</a></li></ul></div>
<div class="footer"><p>主办单位：{site}　地址：人民路88号　邮编：034000</p>
<p>联系电话：0350-9999999　网站标识码：1409000001　备案号：晋ICP备12345678号-1</p>
<p>版权所有 © {site}　技术支持：某某网络科技有限公司</p></div>
</body></html>
"""


def make_html(lines: list[str], stem: str, charset: str, published: str, site: str) -> bytes:
    role = roles(lines)
    title = next(
        (ln for ln, r in zip(lines, role, strict=True) if r == "centre" and TITLE.match(ln)), lines[0]
    )
    body = []
    for ln, r in zip(lines, role, strict=True):
        style = {"centre": ' style="text-align:center"', "right": ' style="text-align:right"'}.get(r, "")
        body.append(f"<p{style}>{html.escape(ln)}</p>")
    year = re.search(r"20\d\d", title)
    page = PAGE.format(
        charset=charset,
        title=html.escape(title),
        site=site,
        published=published,
        body="\n".join(body),
        stem=stem,
        year=year.group() if year else "2024",
    )
    return page.encode("gb18030" if charset.lower().startswith("gb") else charset)


SEEDS = {
    # stem: (running header, html charset, page's posting date, site name)
    "000_020e7bca74b620b8": ("忻州市工业和信息化局文件", "utf-8", "2024-09-10", "忻州市工业和信息化局"),
    "004_44f96866d5556162": (
        "连云港市职称工作领导小组办公室",
        "gb2312",
        "2024-07-05",
        "连云港市工业和信息化局",
    ),
}


# a scanned page is ~100 KB of JPEG at 150 dpi: both seeds scanned keep the fixtures under 2 MB
SCANNED = {"000_020e7bca74b620b8", "004_44f96866d5556162"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "tests/fixtures/formats")
    args = ap.parse_args()
    font = next((f for f in FONTS if Path(f).exists()), None)
    if font is None:
        raise SystemExit("no CJK font: apt-get install fonts-wqy-microhei")
    args.out.mkdir(parents=True, exist_ok=True)
    for n, (stem, (header, charset, published, site)) in enumerate(sorted(SEEDS.items())):
        lines = plain_lines((ROOT / "data/raw" / f"{stem}.txt").read_text(encoding="utf-8"))
        pdf = make_pdf(lines, header, font)
        outputs = {
            f"{stem}.pdf": pdf,
            f"{stem}.docx": make_docx(lines),
            f"{stem}.html": make_html(lines, stem, charset, published, site),
        }
        if stem in SCANNED:
            outputs[f"{stem}.scan.pdf"] = make_scan(pdf, seed=n)
        for name, data in outputs.items():
            (args.out / name).write_bytes(data)
            print(f"{name:40} {len(data) // 1024:5d} KB")
    (args.out / "fee_table.pdf").write_bytes(make_table_pdf(font))
    (args.out / "encrypted.pdf").write_bytes(make_encrypted_pdf(font))


if __name__ == "__main__":
    main()
