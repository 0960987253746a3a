"""``load.scanned``: a document's scans read page by page elsewhere give the document read here.

OCR is replaced by a stand-in that reads each page image's pixels into a line (and a low score,
so the warnings are exercised): what is tested is the loaders' two passes — which pages they
ask for, and that the pages given back land where reading them here would put them, with the
same warnings in the same order. That OCR itself reads a page the same in any process is the
Ray tests' (tests/test_ray.py, tests/test_ray_cluster.py).
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest

from pipeline.load import load_bytes, ocr, scanned
from pipeline.load.layout import Line
from tests.conftest import ROOT

SCAN = ROOT / "tests/fixtures/formats/004_44f96866d5556162.scan.pdf"


def _stand_in(image: Any, settings: Any = None) -> ocr.OcrPage:
    import numpy as np

    shade = int(np.asarray(image.convert("L")).mean() * 1000)
    lines = (
        Line("关于开展职称评审工作的通知", 100.0, 700.0, 80.0, 110.0, 24.0),
        Line(
            f"第{image.width}×{image.height}页，灰度{shade}，申报人员应当符合条件。",
            60.0,
            900.0,
            200.0,
            225.0,
            20.0,
        ),
    )
    return ocr.OcrPage(lines, 0.5)


@pytest.fixture(autouse=True)
def stand_in_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "recognize", _stand_in)


def _same(a: Any, b: Any) -> bool:
    """Equal documents (their character boxes compared as bytes: a box OCR does not give is NaN)."""
    boxes = (a.boxes.tobytes() if a.boxes else None) == (b.boxes.tobytes() if b.boxes else None)
    return boxes and dataclasses.replace(a, boxes=None) == dataclasses.replace(b, boxes=None)


def _pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(pdfium.PdfDocument(SCAN), list(range(pages)))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _tiff(frames: int) -> bytes:
    from PIL import Image, ImageDraw

    images = []
    for n in range(frames):
        image = Image.new("RGB", (600 + 40 * n, 800), "white")
        ImageDraw.Draw(image).rectangle((50, 60 + 30 * n, 400, 90 + 30 * n), fill="black")
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="TIFF", save_all=True, append_images=images[1:])
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "kind"), [("scan.pdf", _pdf, "pdf"), ("scan.tif", _tiff, "image")], ids=["pdf", "tiff"]
)
def test_pages_read_elsewhere_give_the_document_read_here(name: str, make: Any, kind: str) -> None:
    data = make(3)
    here = load_bytes(data, name)
    with pytest.raises(scanned.NeedsOcr) as asked, scanned.elsewhere(scanned.Elsewhere()):
        load_bytes(data, name)
    assert asked.value.scans == scanned.Scans(kind, (0, 1, 2))
    done = {i: scanned.read_page(kind, data, i) for i in reversed(asked.value.scans.pages)}  # any order
    with scanned.elsewhere(scanned.Elsewhere(done)):
        there = load_bytes(data, name)
    assert _same(there, here)
    assert [w for w in here.warnings if "low OCR confidence" in w] == [
        f"page {n}: low OCR confidence (0.50)" for n in (1, 2, 3)
    ]


def test_a_single_scanned_page_is_read_where_the_document_is() -> None:
    data = _pdf(1)
    with scanned.elsewhere(scanned.Elsewhere()):
        there = load_bytes(data, "one.pdf")
    assert _same(there, load_bytes(data, "one.pdf"))
