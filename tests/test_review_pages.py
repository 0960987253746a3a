"""The review page of a PDF, OFD or scan: the source's pages with every fact's boxes drawn on them.

Unit cases read the HTML the page is made of (one figure per page that holds a fact, one box per
fact box, each box linked to its fact's row and back; a missing or changed source gives a note
and the text alone); the browser case opens a PDF's page in Chromium and checks the image loaded
and every box is drawn inside its page.
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.ingest import ingest_file
from pipeline.query.review import write_review
from tests.conftest import RAW, ROOT, needs_chromium, run_text

PDF = ROOT / "tests" / "fixtures" / "formats" / "004_44f96866d5556162.pdf"


@pytest.fixture(scope="module")
def pdf_record() -> dict[str, Any]:
    record = ingest_file(PDF)
    assert record["source"]["path"] == "tests/fixtures/formats/004_44f96866d5556162.pdf"
    return record


def _boxed(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f
        for k, items in record["facts"].items()
        if k not in ("emails", "urls")
        for f in items
        if f.get("boxes")
    ]


def _page(record: dict[str, Any], tmp_path: Path, root: Path = ROOT) -> str:
    return write_review(record, tmp_path / "review.html", root).read_text(encoding="utf-8")


def test_pdf_pages_are_drawn_with_a_box_per_fact_box(pdf_record: dict[str, Any], tmp_path: Path) -> None:
    page = _page(pdf_record, tmp_path)
    boxed = _boxed(pdf_record)
    pages = sorted({f["page"] for f in boxed})
    assert re.findall(r'<figure class="page" id="page-(\d+)"', page) == [str(p) for p in pages]
    assert page.count('<img src="data:image/png;base64,') == len(pages)
    assert page.count('class="box"') == sum(len(f["boxes"]) for f in boxed) > 0
    # every box links to its fact's row, and that row links back to the fact's first box
    for anchor in set(re.findall(r'data-fact="([\w-]+)"', page)):
        assert f'<li id="row-{anchor}">' in page
        assert f'href="#box-{anchor}"' in page and f'<rect id="box-{anchor}"' in page
    assert page.count('class="onpage"') == len(boxed)


def test_box_coordinates_are_the_record_s_in_the_page_s_units(
    pdf_record: dict[str, Any], tmp_path: Path
) -> None:
    page = _page(pdf_record, tmp_path)
    fact = _boxed(pdf_record)[0]
    x0, y0, x1, y1 = fact["boxes"][0]
    assert f'x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}"' in page
    assert 'viewBox="0 0 595.' in page  # an A4 page in points, the unit of PDF boxes


def test_review_with_pages_is_deterministic(pdf_record: dict[str, Any], tmp_path: Path) -> None:
    a = write_review(pdf_record, tmp_path / "a.html", ROOT).read_bytes()
    b = write_review(pdf_record, tmp_path / "b.html", ROOT).read_bytes()
    assert a == b


def test_a_missing_source_leaves_the_text_and_says_so(pdf_record: dict[str, Any], tmp_path: Path) -> None:
    page = _page(pdf_record, tmp_path, root=tmp_path)
    assert "源文件 tests/fixtures/formats/004_44f96866d5556162.pdf 不在：只显示文本" in page
    assert '<figure class="page"' not in page and '<section id="text">' in page
    assert 'class="onpage"' not in page  # no link to a box that is not drawn


def test_a_changed_source_is_not_drawn_under_the_old_boxes(
    pdf_record: dict[str, Any], tmp_path: Path
) -> None:
    changed = copy.deepcopy(pdf_record)
    changed["source"]["sha256"] = "0" * 64
    page = _page(changed, tmp_path)
    assert "已不是生成本记录的文件（sha256 不符）" in page and '<figure class="page"' not in page


def test_a_text_record_has_no_pages_column(tmp_path: Path) -> None:
    record = ingest_file(RAW.relative_to(ROOT) / "004_44f96866d5556162.txt")
    page = _page(record, tmp_path)
    assert '<section id="pages">' not in page and "figure.page" not in page


def test_ofd_pages_are_redrawn_from_their_text_objects(tmp_path: Path) -> None:
    from tests.ofd_factory import make_ofd

    path = tmp_path / "n.ofd"
    path.write_bytes(make_ofd((RAW / "004_44f96866d5556162.txt").read_text(encoding="utf-8")))
    record = ingest_file(path)
    page = _page(record, tmp_path, root=tmp_path)  # outside the current folder, source.path is its name
    boxed = _boxed(record)
    assert boxed and page.count('<svg class="ofd"') == len({f["page"] for f in boxed})
    assert "OFD 页面按文件中的文字位置重绘" in page
    assert ">连</text>" in page  # the notice's own characters, placed at their boxes
    assert page.count('class="box"') == sum(len(f["boxes"]) for f in boxed)


def test_a_scan_is_shown_as_itself_with_its_boxes(tmp_path: Path) -> None:
    from PIL import Image

    scan = tmp_path / "scan.png"
    Image.new("RGB", (1240, 1754), "white").save(scan)
    record = run_text((RAW / "004_44f96866d5556162.txt").read_text(encoding="utf-8"))
    record["source"] = {
        "path": "scan.png",
        "sha256": hashlib.sha256(scan.read_bytes()).hexdigest(),
        "format": "image",
        "ocr": True,
    }
    fact = record["facts"]["service_years"][0]
    fact.update(page=1, boxes=[[100.0, 200.0, 900.0, 240.0], [100.0, 250.0, 500.0, 290.0]])
    page = _page(record, tmp_path, root=tmp_path)
    assert page.count('<img src="data:image/png;base64,') == 1
    assert 'viewBox="0 0 1240.0 1754.0"' in page  # the scan's pixels are its boxes' unit
    assert page.count('class="box"') == 2


def test_review_command_draws_pages_from_source_root(pdf_record: dict[str, Any], tmp_path: Path) -> None:
    from pipeline.store import write_atomic

    rec = tmp_path / "r.json"
    from pipeline.store import dumps

    write_atomic(rec, dumps(pdf_record))
    out = tmp_path / "page.html"
    assert main(["review", str(rec), "--out", str(out), "--source-root", str(ROOT)]) == 0
    assert '<figure class="page"' in out.read_text(encoding="utf-8")


@pytest.mark.slow
@needs_chromium
def test_browser_shows_the_page_image_and_a_box_per_fact(pdf_record: dict[str, Any], tmp_path: Path) -> None:
    from tests.cdp import Browser, problems, requests

    page = write_review(pdf_record, tmp_path / "review.html", ROOT)
    browser = Browser(tmp_path / "chromium", width=1600, height=1000)
    try:
        events = browser.open(page.as_uri())
        assert problems(events) == []
        assert [u for u in requests(events) if not u.startswith("data:")] == [page.as_uri()]
        loaded = browser.evaluate(
            "[...document.querySelectorAll('figure.page img')].map(i => i.complete && i.naturalWidth > 500)"
        )
        drawn = browser.evaluate(
            """[...document.querySelectorAll('rect.box')].map(r => {
                 const b = r.getBoundingClientRect(), f = r.closest('figure').getBoundingClientRect();
                 return [r.dataset.fact, b.width > 1 && b.height > 1 && b.left >= f.left - 1
                         && b.right <= f.right + 1 && b.top >= f.top - 1 && b.bottom <= f.bottom + 1,
                         !!document.getElementById('row-' + r.dataset.fact)];
               })"""
        )
    finally:
        browser.close()
    boxed = _boxed(pdf_record)
    assert loaded and all(loaded)
    assert len(drawn) == sum(len(f["boxes"]) for f in boxed)
    assert all(inside and row for _, inside, row in drawn)
    assert len({anchor for anchor, _, _ in drawn}) == len(boxed)  # a box for every fact with boxes


def test_a_fact_read_in_an_attachment_gets_no_box_on_the_notice_s_pages(
    pdf_record: dict[str, Any], tmp_path: Path
) -> None:
    record = copy.deepcopy(pdf_record)
    fact = _boxed(record)[0]
    fact["file"] = "附件1 评审条件.pdf"  # its page 2 is the attachment's, not the notice's page 2
    page = _page(record, tmp_path)
    assert page.count('class="box"') == sum(len(f["boxes"]) for f in _boxed(record)) - len(fact["boxes"])


def test_report_draws_pages_only_with_source_root(pdf_record: dict[str, Any], tmp_path: Path) -> None:
    """`report --source-root` gives its review pages the source's pages and boxes, as `review`
    does; without it (a render per page is costly over a whole corpus) they show the text alone."""
    from pipeline.store import dumps, write_atomic

    data = tmp_path / "records"
    write_atomic(data / "r.json", dumps(pdf_record))
    plain, drawn = tmp_path / "plain" / "index.html", tmp_path / "drawn" / "index.html"
    assert main(["report", "--data", str(data), "--out", str(plain)]) == 0
    assert main(["report", "--data", str(data), "--out", str(drawn), "--source-root", str(ROOT)]) == 0
    assert '<figure class="page"' not in (plain.parent / "review" / "r.html").read_text(encoding="utf-8")
    page = (drawn.parent / "review" / "r.html").read_text(encoding="utf-8")
    assert page.count('class="box"') == sum(len(f["boxes"]) for f in _boxed(pdf_record)) > 0
    # a source root where the file is not: the note, and the text still there
    assert main(["report", "--data", str(data), "--out", str(plain), "--source-root", str(tmp_path)]) == 0
    missing = (plain.parent / "review" / "r.html").read_text(encoding="utf-8")
    assert "不在：只显示文本" in missing and '<figure class="page"' not in missing
