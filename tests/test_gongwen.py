"""Red-header 公文 as offices publish them score like the plain text: every format, seal and all.

The fixtures are made the way an office makes them (tests/gongwen_factory.py):
python-docx writes a 公文 — red 发文机关标志, red rule under the 文号, 附件
list, signature and date with a red round seal floating over them; for two
notices the masthead sits in a floating text box, as WPS templates set it — and
LibreOffice exports it as PDF, Word 97, ODT, RTF and HTML; colour scans and
phone photos are made from the PDF's pages. Both seeds and the held-out notices
01 and 03 are made into each; every file is scored against its notice's gold
with the shared scorer. ``scripts/format_table.py`` prints the same scores as
README's "Formats" table. Nothing is committed: the session builds it all once
(LibreOffice runs in parallel, one run per target format).
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import ingest_file
from tests import gongwen_factory as gw
from tests.conftest import ROOT, SHARED, scorer

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: run `make office`"),
    pytest.mark.skipif(not (SHARED / "eval/score.py").exists(), reason="../shared/eval/score.py is absent"),
]
STEMS = tuple(gw.NOTICES)
SCANNED = "heldout-03"  # OCR is 5–10 s a page: one notice (4 pages) is scanned and photographed


@pytest.fixture(scope="session")
def gongwen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gongwen")
    gw.build(ROOT, out, str(SOFFICE))
    return out


@pytest.fixture(scope="session")
def records(gongwen: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Every notice in every text-layer format, and its .txt, ingested once (two at a time: the
    .doc/.wps/.odt/.rtf readers wait on LibreOffice)."""
    jobs = [(stem, "txt") for stem in STEMS] + [(s, f) for s in STEMS for f in gw.TEXT_FORMATS]

    def one(job: tuple[str, str]) -> dict[str, Any]:
        stem, fmt = job
        return ingest_file(ROOT / gw.NOTICES[stem][0] if fmt == "txt" else gongwen / f"{stem}.{fmt}")

    with ThreadPoolExecutor(2) as pool:
        return dict(zip(jobs, pool.map(one, jobs), strict=True))


def _attachments(record: dict[str, Any]) -> list[str]:
    """The 附件 list of the closing block: the names after 附件：, one a line."""
    end = next((c["text"] for c in record["clauses"] if c["id"] == "end"), "")
    names, inside = [], False
    for line in end.splitlines():
        line = re.sub(r"^[-\s]+", "", line)
        head = re.match(r"附件[:：]\s*(.*)", line)
        if head:
            inside, line = True, head.group(1)
        elif not (inside and re.match(r"\d{1,2}[.．、]", line)):
            inside = inside and not line.strip()  # a blank line between two items keeps the list open
            continue
        names.append(re.sub(r"^\d{1,2}[.．、]\s*", "", line).replace(" ", ""))
    return names


@pytest.mark.parametrize("fmt", gw.TEXT_FORMATS)
@pytest.mark.parametrize("stem", STEMS)
def test_format_f1(records: dict[tuple[str, str], dict[str, Any]], stem: str, fmt: str) -> None:
    """Each text-layer format within 0.01 of the plain text's macro F1 against the notice's gold."""
    record = records[(stem, fmt)]
    assert record["source"]["format"] == fmt
    txt = gw.macro_f1(records[(stem, "txt")], stem, ROOT, scorer())
    assert gw.macro_f1(record, stem, ROOT, scorer()) >= txt - 0.01


@pytest.mark.parametrize("fmt", gw.TEXT_FORMATS)
@pytest.mark.parametrize("stem", STEMS)
def test_red_header_signature_and_attachments(
    records: dict[tuple[str, str], dict[str, Any]], stem: str, fmt: str
) -> None:
    """The red 发文机关标志 is read as the issuers, the 附件 list as attachment names, and the
    seal and red rule leave nothing in the text: no rule drawn as ____ or ——, no seal text."""
    record, txt = records[(stem, fmt)], records[(stem, "txt")]
    assert record["notice"]["issuers"] == txt["notice"]["issuers"] and txt["notice"]["issuers"]
    assert record["notice"]["doc_numbers"] == txt["notice"]["doc_numbers"]
    assert record["notice"]["issue_date"] == txt["notice"]["issue_date"]
    assert _attachments(record) == _attachments(txt)
    # each issuer of the masthead (in a text box for some notices) once, as often as in the .txt
    lines = gw.plain_lines((ROOT / gw.NOTICES[stem][0]).read_text(encoding="utf-8"))
    masthead = [ln for ln, role in zip(lines, gw.layout(lines), strict=True) if role == "masthead"]
    for issuer in " ".join(masthead).split():
        assert record["text"].count(issuer) == txt["text"].count(issuer), issuer
    assert not re.search(r"_{3,}|[—－-]{6,}|━|─{3,}", record["text"])
    assert (
        record["text"].splitlines()[-1] == [ln for ln in txt["text"].splitlines() if ln.strip()][-1]
    )  # nothing after the end


def test_attachment_lists_are_found() -> None:
    """The 附件 reader of these tests finds the lists the notices print (so the test above can fail)."""
    got = {stem: _attachments(ingest_file(ROOT / txt)) for stem, (txt, _) in gw.NOTICES.items()}
    assert got["heldout-03"] == ["2022年度高级经济师资格评审申报材料目录", "诚信承诺书", "破格申报推荐表"]
    assert got["heldout-01"] == ["2023年度卫生系列副高级资格评审申报材料目录", "申报人员诚信承诺书"]
    assert len(got["004_44f96866d5556162"]) == 6 and got["000_020e7bca74b620b8"] == []


def test_fixture_is_a_red_header_gongwen(gongwen: Path) -> None:
    """The fixture is what the tests claim: a floating seal, a red rule and red masthead in the
    DOCX, and in LibreOffice's PDF a seal image drawn over the page's text, in red."""
    import zipfile

    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    xml = zipfile.ZipFile(gongwen / "heldout-03.docx").read("word/document.xml").decode()
    assert "<wp:anchor" in xml and "<wp:wrapNone/>" in xml and "<wp:inline" not in xml
    assert f'w:color="{gw.RED}"' in xml and f'<w:color w:val="{gw.RED}"/>' in xml
    boxed = zipfile.ZipFile(gongwen / "heldout-01.docx").read("word/document.xml").decode()
    assert "<w:txbxContent>" in boxed and "宜昌市卫生健康委员会</w:t></w:r></w:p></w:txbxContent>" in boxed
    pdf = pdfium.PdfDocument(gongwen / "heldout-03.pdf")
    last = pdf[len(pdf) - 1]
    assert any(True for _ in last.get_objects(filter=(c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
    assert _red(last.render(scale=1).to_pil()).sum() > 1000  # the seal is printed, in red
    first = pdf[0].render(scale=1).to_pil()
    assert _red(first.crop((0, 0, first.width, first.height // 4))).sum() > 1000  # red masthead


def _red(image: Any) -> Any:
    import numpy as np

    a = np.asarray(image.convert("RGB")).astype(int)
    return (a[..., 0] > 150) & (a[..., 0] - np.maximum(a[..., 1], a[..., 2]) > 70)


def test_scan_clean_drops_the_seal_and_keeps_the_red_masthead(gongwen: Path) -> None:
    """Without OCR: after cleaning a colour scan, the seal's ring is paper white and the red
    masthead is as dark as black ink; a phone photo's page is cut out to the page's shape."""
    import numpy as np

    from pipeline.load import scan_clean

    first, last = gw.render_pages(gongwen / f"{SCANNED}.pdf", pages=(0, 3))
    for page, seed in ((first, 1), (last, 2)):
        scanned = gw.scan(page, seed)
        clean = np.asarray(scan_clean.clean(scanned))
        red = _red(scanned)
        ys = np.nonzero(red)[0]
        assert red.sum() > 3000
        if page is last:  # the seal: the red pixels turn to paper, the black ink beneath stays
            assert (clean[red] > 200).mean() > 0.95
            assert (clean < 100).sum() > 0.5 * (np.asarray(page.convert("L")) < 100).sum()
        else:  # the masthead turns to ink, the red rule under the 文号 to paper
            rule = red.sum(axis=1) > 0.6 * red.shape[1]  # the rule spans the text width
            assert rule.any() and ys.max() < page.height / 3
            top = int(np.nonzero(rule)[0].min()) - 4
            assert (clean[:top][red[:top]] < 128).mean() > 0.85  # as dark as body text
            assert (clean[red & rule[:, None]] > 150).mean() > 0.95  # lighter than any ink
    photo = gw.photo(last, 3)
    cut = scan_clean.clean(photo)
    assert abs(cut.width / cut.height - last.width / last.height) < 0.02
    assert cut.width < photo.width * 0.9 and abs(cut.width - last.width) < 0.05 * last.width
    assert np.asarray(cut)[5:-5, 5:-5].mean() > 225  # no desk left inside the page


@pytest.fixture(scope="session")
def scanned(gongwen: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The notice's pages as a colour office scan and as phone photos, each an image-only PDF."""
    out = tmp_path_factory.mktemp("scans")
    pages = gw.render_pages(gongwen / f"{SCANNED}.pdf")
    files = {"scan": out / f"{SCANNED}.scan.pdf", "photo": out / f"{SCANNED}.photo.pdf"}
    gw.image_pdf([gw.scan(p, n) for n, p in enumerate(pages)], files["scan"])
    gw.image_pdf([gw.photo(p, n) for n, p in enumerate(pages)], files["photo"])
    return files


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "floor"), [("scan", 0.95), ("photo", 0.90)])
def test_scan_f1(scanned: dict[str, Path], kind: str, floor: float) -> None:
    """A colour scan (keystone, uneven light, JPEG 60) ≥ 0.95; phone photos of the pages ≥ 0.90.
    The red masthead is read as the issuers; the seal's ring text never reaches the text."""
    record = ingest_file(scanned[kind])
    assert record["source"]["ocr"] is True and record["source"]["pages"] == 4
    assert gw.macro_f1(record, SCANNED, ROOT, scorer()) >= floor
    assert record["notice"]["issuers"] == ["洛阳市人力资源和社会保障局"]
    assert record["text"].rstrip().endswith("洛阳市人力资源和社会保障局\n2022年10月17日")
    assert record["text"].count("洛阳市人力资源和社会保障局") == 3  # masthead, title, signature: no seal text


def test_pdf_tables_read_as_pdfplumber_reads_them(gongwen: Path) -> None:
    """On every page of LibreOffice's 公文 PDFs the PDFium table reader decides, and agrees with
    pdfplumber (tests/test_pdf_tables.py)."""
    from tests.test_pdf_tables import compare

    for stem in STEMS:
        pages, _tables, undecided = compare(gongwen / f"{stem}.pdf")
        assert pages and not undecided, stem
