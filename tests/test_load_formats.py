"""Every published format of a seed notice gives the record its .txt gives.

Fixtures come from scripts/make_fixtures.py (committed outputs). Accuracy is
scored with the shared scorer (../shared/eval/score.py), imported by path.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import build_record, ingest_file
from pipeline.load import load, pdf_lines
from pipeline.load import pdf as pdf_loader
from pipeline.load.layout import Line
from pipeline.load.ocr import OcrPage, clean_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests/fixtures/formats"
GOLD = ROOT / "tests/gold/seeds"
SCORER = ROOT.parent / "shared/eval/score.py"
SEEDS = ("000_020e7bca74b620b8", "004_44f96866d5556162")


@functools.cache
def _scorer() -> Any:
    if not SCORER.exists():
        pytest.skip(f"shared scorer not found at {SCORER} (the ../shared checkout is absent)")
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _f1(record: dict[str, Any], stem: str, tmp: Path) -> float:
    """Macro F1 of one record against its seed gold, whatever file it was read from."""
    rec_dir, gold_dir = tmp / "records", tmp / "gold"
    rec_dir.mkdir(exist_ok=True)
    gold_dir.mkdir(exist_ok=True)
    record = {**record, "source": {**record["source"], "path": f"{stem}.txt"}}
    (rec_dir / "r.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (gold_dir / "g.json").write_text(
        (GOLD / f"{stem}.gold.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return float(_scorer().score(rec_dir, gold_dir)["macro_f1"])


@functools.cache
def _txt_f1(stem: str, tmp: str) -> float:
    return _f1(ingest_file(ROOT / "data/raw" / f"{stem}.txt"), stem, Path(tmp))


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html"])
@pytest.mark.parametrize("stem", SEEDS)
def test_format_scores_like_txt(stem: str, suffix: str, tmp_path: Path) -> None:
    record = ingest_file(FIXTURES / f"{stem}{suffix}")
    assert record["source"]["format"] == suffix.lstrip(".")
    (tmp_path / "txt").mkdir()
    assert _f1(record, stem, tmp_path) >= _txt_f1(stem, str(tmp_path / "txt")) - 0.02


@pytest.mark.parametrize("stem", SEEDS)
def test_pdf_pages_and_page_furniture(stem: str) -> None:
    doc = load(FIXTURES / f"{stem}.pdf")
    assert len(doc.pages) >= 4 and not doc.ocr
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    assert all(a.end <= b.start for a, b in zip(doc.pages, doc.pages[1:], strict=False))
    assert doc.pages[-1].end == len(doc.raw_text)
    assert not re.search(r"—\s*\d+\s*—", doc.raw_text)  # the "— 3 —" page numbers
    assert "文件\n" not in doc.raw_text and "领导小组办公室\n关于" not in doc.raw_text  # running header


@pytest.mark.parametrize("stem", SEEDS)
def test_pdf_rebuilds_the_seed_paragraphs(stem: str) -> None:
    """Wrapped PDF lines are joined back: nearly every seed paragraph is one line again."""
    import regex

    seed = (ROOT / "data/raw" / f"{stem}.txt").read_text(encoding="utf-8")
    squash = lambda s: regex.sub(r"[\s#*<>]|\[|\]|\(mailto:[^)]*\)", "", s)  # noqa: E731
    want = {squash(ln) for ln in seed.splitlines() if squash(ln)}
    got = {squash(ln) for ln in load(FIXTURES / f"{stem}.pdf").raw_text.splitlines()}
    assert len(want & got) >= 0.95 * len(want), sorted(want - got)[:5]


def test_pdf_fee_table_read_as_rows() -> None:
    doc = load(FIXTURES / "fee_table.pdf")
    lines = doc.raw_text.splitlines()
    assert "项目 | 收费标准 | 备注" in lines
    assert "评审费 | 每人400元 | 含面试答辩" in lines
    assert lines[0].startswith("评审费用按下表收取") and lines[-1] == "以上费用不予退还。"


def test_pdf_text_layer_is_fast() -> None:
    import time

    start = time.perf_counter()
    doc = load(FIXTURES / f"{SEEDS[0]}.pdf")
    per_page = (time.perf_counter() - start) / len(doc.pages)
    assert per_page < 0.5


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("关于开展2024年度全市工程系列高级工程师评审工作的通知，各有关单位：", False),
        ("Notice on the 2024 evaluation of senior engineers in the city", False),
        ("\ue01a\ue02b\ue11c\ue0f1\ue002\ue0aa\ue1b3 \ue0c4\ue0d5\ue0e6\ue0f7\ue018", True),
        ("关于\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd通知", True),
        ("!\"#$%&'()*+,-./!\"#$%&'()*+,-./:;<=>?@", True),
        ("", True),
    ],
)
def test_garbled_text_layer_detection(text: str, bad: bool) -> None:
    assert pdf_loader.garbled(text) is bad


def test_garbled_page_goes_to_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose text layer is private-use glyphs is rendered and OCR'd, with a warning."""
    from pipeline.load import ocr

    real_chars = pdf_lines.chars

    def broken(textpage: Any, height: float) -> pdf_lines.PageChars:
        pc = real_chars(textpage, height)
        return pdf_lines.PageChars.from_columns("\ue123" * len(pc), pc.columns, pc.is_generated)

    calls: list[Any] = []

    def fake_ocr(image: Any, settings: Any = None) -> OcrPage:
        calls.append(image.size)
        line = Line("关于开展职称评审工作的通知", 300, 900, 200, 240, 40)
        return OcrPage((line,), 0.5)

    monkeypatch.setattr(pdf_lines, "chars", broken)
    monkeypatch.setattr(ocr, "recognize", fake_ocr)
    doc = load(FIXTURES / "fee_table.pdf")
    assert doc.ocr and calls
    assert doc.raw_text == "关于开展职称评审工作的通知"
    assert any("garbled" in w for w in doc.warnings)
    assert any("low OCR confidence" in w for w in doc.warnings)


def test_ocr_text_cleanup() -> None:
    assert clean_text("各县区职称办, 市有关单位:") == "各县区职称办，市有关单位："
    assert clean_text("(二)在我市 相关 岗位") == "（二）在我市相关岗位"
    assert clean_text("09:00-12:00 http://a.b/c") == "09:00-12:00 http://a.b/c"


def test_docx_numbering_and_tables() -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("关于开展2024年度职称评审工作的通知")
    doc.add_paragraph("申报条件", style="List Number")
    doc.add_paragraph("评审程序", style="List Number")
    table = doc.add_table(rows=2, cols=3)
    for r, row in enumerate((("项目", "收费标准", "备注"), ("评审费", "每人400元", "含答辩"))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    merged = doc.add_table(rows=1, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合计"
    merged.cell(0, 2).text = "400元"
    doc.add_paragraph("以上费用不予退还。")
    buf = io.BytesIO()
    doc.save(buf)
    from pipeline.load import docx as docx_loader

    lines = docx_loader.read(buf.getvalue(), path="t.docx", sha256="0", suffix=".docx").raw_text.splitlines()
    assert lines[1:3] == ["1.申报条件", "2.评审程序"]
    assert lines[3:6] == ["项目 | 收费标准 | 备注", "评审费 | 每人400元 | 含答辩", "合计 | 400元"]
    assert lines[-1] == "以上费用不予退还。"


@pytest.mark.parametrize("stem", SEEDS)
def test_html_body_attachments_and_date(stem: str) -> None:
    doc = load(FIXTURES / f"{stem}.html")
    for furniture in ("政务公开", "相关链接", "备案号", "0350-9999999", "浏览次数", "关于公布2023年度"):
        assert furniture not in doc.raw_text
    assert len(doc.attachments) == 2
    assert doc.attachments[0].endswith("_申报表.docx>") and "申报表.docx <" in doc.attachments[0]
    assert doc.published in {"2024-09-10", "2024-07-05"}
    record = build_record(doc)
    assert record["source"]["attachments"] == list(doc.attachments)
    assert "通知" in (record["notice"]["title"] or "")


def test_html_declared_gb2312_charset_is_read() -> None:
    raw = (FIXTURES / f"{SEEDS[1]}.html").read_bytes()
    assert b"charset=gb2312" in raw
    assert "连云港市工业和信息化局" in load(FIXTURES / f"{SEEDS[1]}.html").raw_text


def test_html_date_and_title_fallbacks(tmp_path: Path) -> None:
    page = (
        "<html><head><meta charset='utf-8'></head><body><div class='nav'><a href='/'>首页</a></div>"
        "<h1>关于开展2024年度工程系列职称评审工作的通知</h1><p>发布日期：2024年9月9日</p>"
        "<div id='c'><p>各有关单位：</p><p>现将2024年度工程系列高级工程师评审工作有关事项通知如下，请按要求报送材料。</p>"
        "<p><a href='f.PDF?id=3'>附件1</a></p></div></body></html>"
    )
    p = tmp_path / "n.html"
    p.write_text(page, encoding="utf-8")
    doc = load(p)
    assert doc.published == "2024-09-09"
    assert doc.raw_text.splitlines()[0] == "关于开展2024年度工程系列职称评审工作的通知"
    assert doc.attachments == ("附件1 <f.PDF?id=3>",)


@pytest.mark.slow
@pytest.mark.parametrize("stem", SEEDS)
def test_scanned_pdf_is_ocred_and_scores(stem: str, tmp_path: Path) -> None:
    """An image-only scan (150 dpi, blurred, skewed 1–2°) is OCR'd page by page to F1 ≥ 0.90."""
    doc = load(FIXTURES / f"{stem}.scan.pdf")
    assert doc.ocr and len(doc.pages) >= 4
    assert not any("garbled" in w for w in doc.warnings)  # no text layer at all is not a garbled one
    record = build_record(doc)
    assert record["source"]["ocr"] is True
    assert _f1(record, stem, tmp_path) >= 0.90
    # each fact's boxes, shared out of its OCR lines, lie where the text-layer PDF prints that fact
    key = lambda f: (f["years"], f["degree"], f["basis"], f["route"], f["level"])  # noqa: E731 (ids hash OCR'd text)
    printed: dict[Any, Any] = {}
    for f in ingest_file(FIXTURES / f"{stem}.pdf")["facts"]["service_years"]:
        printed.setdefault(key(f), f)
    seen: dict[Any, Any] = {}
    for f in record["facts"]["service_years"]:
        seen.setdefault(key(f), f)
    both = [(f, printed[k]) for k, f in seen.items() if k in printed]
    assert both and all(f["boxes"] for f, _ in both)
    near = [f for f, p in both if f["page"] == p["page"] and abs(f["boxes"][0][1] - p["boxes"][0][1]) < 12]
    assert len(near) >= 0.8 * len(both)


@pytest.mark.slow
def test_png_with_txt_suffix_takes_the_ocr_path(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(FIXTURES / f"{SEEDS[1]}.scan.pdf")
    image = pdf[0].render(scale=150 / 72, grayscale=True).to_pil()
    image = image.crop((0, 0, image.width, image.height // 3))  # masthead, number and title: one OCR call
    p = tmp_path / "notice.txt"
    image.save(p, "PNG")
    doc = load(p)
    assert doc.format == "image" and doc.ocr
    assert "连工信职称〔2024〕14号" in doc.raw_text
    assert "关于报送2024年度数字经济" in doc.raw_text.replace(" ", "")


def test_pdf_fact_boxes_hold_the_fact_text() -> None:
    """The text PDFium finds inside a fact's boxes is the fact's sentence (on its page)."""
    import pypdfium2 as pdfium
    import regex

    path = FIXTURES / f"{SEEDS[1]}.pdf"
    record = ingest_file(path)
    pdf = pdfium.PdfDocument(path)
    squash = lambda s: regex.sub(r"[\s|]", "", s)  # noqa: E731
    checked = 0
    for fact in record["facts"]["fees"] + record["facts"]["service_years"]:
        page = pdf[fact["page"] - 1]
        height = page.get_size()[1]
        text = page.get_textpage()
        inside = "".join(
            text.get_text_bounded(x0 + 0.5, height - y1 + 0.5, x1 - 0.5, height - y0 - 0.5)
            for x0, y0, x1, y1 in fact["boxes"]
        )
        if squash(inside) == squash(fact["text"]):
            checked += 1
    assert checked >= 0.9 * len(record["facts"]["fees"] + record["facts"]["service_years"]) > 0


def test_ocr_pages_come_back_in_order_with_bounded_read_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages OCR'd several at once come back in page order; the renderer is never run far ahead."""
    import dataclasses
    import random
    import threading
    import time

    from pipeline.load import ocr

    rendered: list[int] = []
    done: list[int] = []
    threads: set[str] = set()

    def fake(image: int, settings: Any = None) -> OcrPage:
        time.sleep(random.Random(image).uniform(0, 0.02))  # pages finish out of order
        threads.add(threading.current_thread().name)
        done.append(image)
        return OcrPage((Line(str(image), 0, 1, 0, 1, 1),), 1.0)

    def pages() -> Any:
        for n in range(12):
            assert len(rendered) - len(done) <= 2 * 3  # never more than twice the threads waiting
            rendered.append(n)
            yield n

    monkeypatch.setattr(ocr, "recognize", fake)
    settings = dataclasses.replace(ocr.SETTINGS, pages=3)
    got = [int(page.lines[0].text) for page in ocr.recognize_pages(pages(), settings)]
    assert got == list(range(12))
    assert len(threads) > 1 and all(name.startswith("ocr") for name in threads)


def test_ocr_engine_is_built_with_the_chosen_settings() -> None:
    """What SETTINGS says reaches rapidocr's config (a misspelt parameter key would be ignored)."""
    from pipeline.load import ocr

    engine = ocr._engine()
    assert engine.cfg.Det.limit_side_len == ocr.SETTINGS.limit_side
    assert engine.cfg.Det.limit_type == ocr.SETTINGS.limit_type
    assert engine.use_cls is ocr.SETTINGS.use_cls
    assert engine.cfg.Rec.rec_batch_num == ocr.SETTINGS.rec_batch
    assert engine.cfg.EngineConfig.onnxruntime.intra_op_num_threads == ocr.SETTINGS.threads
    assert engine.cfg.Det.model_path.endswith(ocr.SETTINGS.det.partition(":")[2])


@pytest.mark.parametrize(("resolution", "dpi"), [(150, 150), (200, 200), (96, 150), (600, 200)])
def test_a_scan_is_rendered_at_its_own_resolution_within_bounds(
    tmp_path: Path, resolution: int, dpi: int
) -> None:
    """A 200 dpi colour scan read at 150 dpi loses small strokes; a 96 dpi one is not rendered
    coarser than the OCR default, a 600 dpi one no finer than the detector can use."""
    import pypdfium2
    from PIL import Image

    from pipeline.load.pdf import _scan_dpi

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (int(8.27 * resolution), int(11.69 * resolution)), "white").save(
        path, "PDF", resolution=resolution
    )
    assert _scan_dpi(pypdfium2.PdfDocument(path)[0]) == dpi
