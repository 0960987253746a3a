"""OFD (GB/T 33190) read from its own XML: real files from several producers, and seed notices as OFD.

The real files are in ../shared/corpus/ofd/ (README there: ofdrw's test resources);
they are read from there, never copied. The seed OFDs are written at test time
by tests/ofd_factory.py and scored against the seed gold like every other format.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import NotANotice, TooLarge, UnreadableInput
from pipeline.ingest import ingest_file
from pipeline.load import load
from pipeline.load.ofd_text import deltas
from tests.conftest import GOLD, RAW, SHARED, scorer
from tests.ofd_factory import A4, make_image_ofd, make_ofd, page_png

CORPUS = SHARED / "corpus/ofd"
needs_shared = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus/ofd is not beside the repository"
)
SEEDS = ("000_020e7bca74b620b8", "004_44f96866d5556162")
HELDOUT = Path(__file__).parent / "fixtures/heldout"


def _real(name: str) -> list[str]:
    return load(CORPUS / name).raw_text.splitlines()


def _in_order(lines: list[str], *wanted: str) -> bool:
    """Each wanted line appears, in this order."""
    at = [lines.index(w) for w in wanted]
    return at == sorted(at)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("g 3 1.5 2", [1.5, 1.5, 1.5, 2.0]),
        ("5.57 2.77 g 2 5.57", [5.57, 2.77, 5.57, 5.57]),
        ("", []),
        ("1 x 2", [1.0]),  # a malformed number ends the list: the glyphs after it take default widths
    ],
)
def test_delta_repeat_syntax(text: str, values: list[float]) -> None:
    assert deltas(text) == values


@needs_shared
def test_gov_document_reads_header_number_title_body_in_order() -> None:
    doc = load(CORPUS / "gov-document-luqiao.ofd")
    lines = doc.raw_text.splitlines()
    assert doc.format == "ofd" and not doc.ocr and len(doc.pages) == 2
    assert _in_order(
        lines, "测试符路桥区卫生局文件", "路卫发〔2011〕76号", "关于同意张阿三同志辞职的批复", "区中医院："
    )
    # one paragraph per line: the wrapped lines of the body are joined again
    assert (
        "张阿三，男，1978年2月出生，籍贯江西新建，2001年9月参加工作，本科学历，主治医师，系区中医院职工。"
        in lines
    )
    assert lines[-3:-1] == ["测试符路桥区卫生局办公室", "2011年3月10日"]


@needs_shared
def test_gov_document_is_judged_by_its_text() -> None:
    """The file is read, then refused for what it says (a resignation reply, not a 职称 notice)."""
    with pytest.raises(NotANotice) as err:
        ingest_file(CORPUS / "gov-document-luqiao.ofd")
    assert err.value.line().endswith(
        ": not a professional-title notice: the text never mentions 职称, 评审 or a title level"
    )


@needs_shared
def test_multi_page_numbered_paragraphs_keep_their_order() -> None:
    doc = load(CORPUS / "multi-paragraph.ofd")
    numbers = [int(m.group(1)) for ln in doc.raw_text.splitlines() if (m := re.match(r"(\d+)、", ln))]
    assert len(doc.pages) == 11 and len(numbers) > 200
    # four numbered lists, each counting up from 1 without a gap or a swap across the 11 pages
    assert all(b in (a + 1, 1) for a, b in itertools.pairwise(numbers))
    assert numbers.count(1) == 4
    assert "1、一日不见兮，思之如狂。――《凤求凰·琴歌》" in doc.raw_text.splitlines()


@needs_shared
def test_form_template_text_and_cells_on_one_row() -> None:
    lines = _real("form-with-table.ofd")
    # 中华人民共和国 / 建筑工程施工许可证 are drawn by the template page, one glyph an object, scaled by a CTM
    assert any(ln.startswith("中华人民共和国") for ln in lines)
    assert any(ln.startswith("建筑工程施工许可证") for ln in lines)
    assert "合同工期 2020年10月09日至2021年04月07日 合同价格 5140.1238万元" in lines
    assert "中华观测中心1#楼 2202.7 2202.7 0 3 0" in lines


@needs_shared
def test_certificate_delta_y_lines_and_watermark_warning() -> None:
    doc = load(CORPUS / "property-certificate.ofd")
    lines = doc.raw_text.splitlines()
    # one TextCode stepping back with DeltaX and down with DeltaY prints four lines
    assert _in_order(
        lines,
        "不动产权证书号：",
        "鲁(2020)泰安市不动产权第0009455号",
        "抵押方式：一般抵押",
        "担保债权数额：35万元",
    )
    assert lines[0] == "鲁（2020）泰安市不动产证明第0014777号"
    assert doc.warnings == ("page 1: slanted text not read (a watermark): 事由户籍办理房产证明",)
    assert "事由户籍" not in doc.raw_text


@needs_shared
def test_invoice_repeat_deltas_and_template_labels() -> None:
    lines = _real("invoice.ofd")
    assert _in_order(lines, "浙江增值税电子普通发票", "发票代码：033002000211", "发票号码：83089647")
    assert "开票日期：2020年07月23日" in lines
    assert "价税合计（大写） 伍佰贰拾陆圆整 （小写）¥526.00" in lines


@needs_shared
def test_rotated_text_reads_along_its_columns() -> None:
    """Single glyphs turned by a CTM stack into columns; each column reads in its own direction."""
    lines = _real("horizontal-text-shuke.ofd")
    assert lines[:2] == ["一二三四", "一二三四"]  # top-to-bottom column, then a bottom-to-top one


def _f1(record: dict[str, Any], gold: Path, tmp: Path) -> float:
    rec_dir, gold_dir = tmp / "records", tmp / "gold"
    rec_dir.mkdir(exist_ok=True)
    gold_dir.mkdir(exist_ok=True)
    stem = gold.name.removesuffix(".gold.json")
    record = {**record, "source": {**record["source"], "path": f"{stem}.txt"}}
    (rec_dir / "r.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (gold_dir / "g.json").write_text(gold.read_text(encoding="utf-8"))
    return float(scorer().score(rec_dir, gold_dir)["macro_f1"])


NOTICES = [
    *((RAW / f"{s}.txt", GOLD / "seeds" / f"{s}.gold.json") for s in SEEDS),
    # held-out notices; 06's long centred title once swallowed the first line of the body
    *((HELDOUT / f"heldout-0{i}.txt", GOLD / "heldout" / f"heldout-0{i}.gold.json") for i in (2, 6)),
]


@needs_shared
@pytest.mark.parametrize(("txt", "gold"), NOTICES, ids=[t.stem for t, _ in NOTICES])
def test_notice_as_ofd_scores_like_its_txt(txt: Path, gold: Path, tmp_path: Path) -> None:
    path = tmp_path / f"{txt.stem}.ofd"
    path.write_bytes(make_ofd(txt.read_text(encoding="utf-8")))
    record = ingest_file(path)
    assert record["source"]["format"] == "ofd" and record["source"]["pages"] >= 3
    (tmp_path / "txt").mkdir()
    (tmp_path / "ofd").mkdir()
    plain = _f1(ingest_file(txt), gold, tmp_path / "txt")
    assert _f1(record, gold, tmp_path / "ofd") >= plain - 0.01
    assert not re.search(r"—\s*\d+\s*—", json.dumps(record, ensure_ascii=False))  # page numbers dropped


def _package(tmp_path: Path, members: dict[str, str | bytes], name: str = "n.ofd") -> Path:
    p = tmp_path / name
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members.items():
            z.writestr(member, data)
    return p


def test_ofd_without_doc_root_is_one_error_line(tmp_path: Path) -> None:
    p = _package(tmp_path, {"OFD.xml": "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>"}, "notice.docx")
    with pytest.raises(UnreadableInput) as err:
        load(p)
    assert err.value.line() == f"error: {p}: damaged OFD: OFD.xml names no document (DocBody/DocRoot)"


def test_missing_page_is_a_warning(tmp_path: Path) -> None:
    body = (
        "申报人员须具备相应的专业技术职务任职资格，并在本单位专业技术岗位工作满规定年限，业绩突出，群众认可。"
    )
    data = make_ofd(f"关于开展职称评审工作的通知\n\n各单位：\n\n{body * 2}\n\n一、申报条件\n\n{body}\n")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members: dict[str, str | bytes] = {n: z.read(n) for n in z.namelist()}
    members["Doc_0/Document.xml"] = str(members["Doc_0/Document.xml"], "utf-8").replace(
        "</ofd:Pages>", '<ofd:Page ID="7" BaseLoc="Pages/Page_9/Content.xml"/></ofd:Pages>'
    )
    doc = load(_package(tmp_path, members))
    assert doc.warnings == ("page 2: Doc_0/Pages/Page_9/Content.xml is missing or not XML, skipped",)
    assert doc.raw_text.splitlines()[0] == "关于开展职称评审工作的通知"


def test_ofd_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    p = _package(tmp_path, {"OFD.xml": "<x/>", "Doc_0/Pages/Page_0/Content.xml": " " * (60 * 1024 * 1024)})
    with pytest.raises(TooLarge) as err:
        load(p)
    assert err.value.line() == f"error: {p}: OFD unpacks to 61 MB, larger than any notice (limit 50 MB)"


def test_pages_with_only_an_image_are_ocred(tmp_path: Path) -> None:
    """A scan saved as OFD: each page draws one image and no text, so the images are OCR'd (the
    pages together, ``load.scanned``) and their lines put on their own pages, inside the page."""
    pytest.importorskip("rapidocr")
    import numpy as np

    from pipeline.load.ofd_text import MM_TO_PT

    pdf = Path(__file__).parent / "fixtures/formats" / f"{SEEDS[0]}.pdf"
    p = tmp_path / "scan.ofd"
    p.write_bytes(make_image_ofd([[(page_png(pdf, n), A4)] for n in range(2)]))
    doc = load(p)
    assert doc.ocr and [page.number for page in doc.pages] == [1, 2]
    first, second = (doc.raw_text[page.start : page.end] for page in doc.pages)
    assert "忻工信函" in first and "18号" in first
    assert "（二）学历条件" in second.splitlines()
    boxes = np.asarray(doc.boxes).reshape(-1, 4)
    placed = boxes[~np.isnan(boxes).any(axis=1)]
    assert len(placed) > 500
    assert (placed >= 0).all() and (placed[:, [0, 2]] <= 210 * MM_TO_PT).all()
    assert (placed[:, [1, 3]] <= 297 * MM_TO_PT).all()


def test_facts_carry_their_boxes_on_the_page(tmp_path: Path) -> None:
    """Every fact from an OFD names its page and where its sentence is printed there, line by line."""
    from pipeline.load.ofd_text import MM_TO_PT
    from tests.ofd_factory import LEFT, PITCH, SIZE, TOP, WIDTH

    path = tmp_path / "n.ofd"
    path.write_bytes(make_ofd((RAW / f"{SEEDS[1]}.txt").read_text(encoding="utf-8")))
    record = ingest_file(path)
    facts = [f for kind in ("service_years", "requirements", "fees") for f in record["facts"][kind]]
    assert facts and all(f["page"] >= 1 and f["boxes"] for f in facts)
    for fact in facts:
        for x0, y0, x1, y1 in fact["boxes"]:
            assert LEFT * MM_TO_PT - 0.5 <= x0 < x1 <= (LEFT + WIDTH) * MM_TO_PT + 0.5
            # each box is one printed line: its baseline sits on the 10 mm line pitch
            line = (y1 / MM_TO_PT - SIZE * 0.12 - TOP - SIZE * 0.88) / PITCH
            assert abs(line - round(line)) < 0.01 and 0 < y1 - y0 < 1.1 * SIZE * MM_TO_PT
