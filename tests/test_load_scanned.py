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
from tests.ofd_factory import A4, make_image_ofd, page_png

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


def _ofd(pages: int) -> bytes:
    """A scan saved as OFD: each page draws the scan's page as one image, and no text."""
    return make_image_ofd([[(page_png(SCAN, n, dpi=40), A4)] for n in range(pages)])


def _elsewhere(data: bytes, name: str) -> tuple[scanned.Scans, Any]:
    """The pages the first pass asks for, and the document built from them read one by one."""
    with pytest.raises(scanned.NeedsOcr) as asked, scanned.elsewhere(scanned.Elsewhere()):
        load_bytes(data, name)
    (scans,) = asked.value.scans
    done = {(0, i): scanned.read_page(scans.kind, data, i) for i in reversed(scans.pages)}  # in any order
    with scanned.elsewhere(scanned.Elsewhere(done)):
        return scans, load_bytes(data, name)


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [("scan.pdf", _pdf, "pdf"), ("scan.tif", _tiff, "image"), ("scan.ofd", _ofd, "ofd")],
    ids=["pdf", "tiff", "ofd"],
)
def test_pages_read_elsewhere_give_the_document_read_here(name: str, make: Any, kind: str) -> None:
    data = make(3)
    here = load_bytes(data, name)
    scans, there = _elsewhere(data, name)
    assert scans == scanned.Scans(kind, (0, 1, 2))
    assert _same(there, here)
    assert [w for w in here.warnings if "low OCR confidence" in w] == [
        f"page {n}: low OCR confidence (0.50)" for n in (1, 2, 3)
    ]


def test_an_ofd_image_that_cannot_be_read_keeps_its_warning_in_place() -> None:
    """The images OCR can read are asked for (by their place among the page-sized images of
    text-less pages); the others keep their warnings where a page-by-page reading puts them."""
    png = page_png(SCAN, 0, dpi=40)
    halves = [(png, (0.0, 0.0, 210.0, 148.0)), (png, (0.0, 148.0, 210.0, 149.0))]
    logo = (png, (5.0, 5.0, 20.0, 20.0))  # too small a share of the page to be its scan: never read
    data = make_image_ofd([[(png, A4)], [(b"not an image", A4)], [*halves, logo], [(None, A4)]])
    here = load_bytes(data, "scan.ofd")
    scans, there = _elsewhere(data, "scan.ofd")
    assert scans == scanned.Scans("ofd", (0, 2, 3))
    assert _same(there, here)
    assert here.warnings == (
        "page 1: low OCR confidence (0.50)",
        "page 2: image Doc_0/Res/img_1.png cannot be decoded, not OCR'd",
        "page 3: low OCR confidence (0.50)",
        "page 3: low OCR confidence (0.50)",
        "page 4: image 5 is missing from the package",
    )
    assert [here.raw_text[p.start : p.end].count("关于开展职称评审工作的通知") for p in here.pages] == [
        1,
        0,
        2,
        0,
    ]


def test_a_single_scanned_page_is_read_where_the_document_is() -> None:
    data = _pdf(1)
    with scanned.elsewhere(scanned.Elsewhere()):
        there = load_bytes(data, "one.pdf")
    assert _same(there, load_bytes(data, "one.pdf"))


BROKEN_XLS = b"\xd0\xcf\x11\xe0 broken"


def _notice() -> bytes:
    from tests.test_bundles import SEED

    return SEED.encode("utf-8")


@pytest.mark.parametrize(
    ("files", "asked", "kept"),
    [
        (  # a text notice: its attachments' scans, a single photo read in the first pass
            {"通知.txt": _notice, "附件1 评审条件.pdf": lambda: _pdf(3), "附件2 照片.tif": lambda: _tiff(1)},
            [scanned.Scans("pdf", (0, 1, 2), 1)],
            {(2, 0)},
        ),
        (  # a scanned notice and a scanned attachment: both asked for at once
            {"通知.pdf": lambda: _pdf(2), "附件1 申报表.tif": lambda: _tiff(3)},
            [scanned.Scans("pdf", (0, 1), 0), scanned.Scans("image", (0, 1, 2), 1)],
            set(),
        ),
        (  # a part is its place among the attachments sent, not its clause (an unreadable one has none)
            {"通知.txt": _notice, "附件1 申报表.xls": lambda: BROKEN_XLS, "附件2 条件.pdf": lambda: _pdf(2)},
            [scanned.Scans("pdf", (0, 1), 2)],
            set(),
        ),
    ],
    ids=["attachments", "notice-and-attachment", "after-unreadable"],
)
def test_a_bundles_scans_read_elsewhere_give_the_record_read_here(
    tmp_path: Any, files: dict[str, Any], asked: list[scanned.Scans], kept: set[scanned.Page]
) -> None:
    """The first pass loads every part of the notice and asks for each part's scans under its
    part; given those pages, read one by one from their part's bytes, and the pages it read itself,
    the last pass builds the record that reading every part here builds."""
    from pipeline import bundles
    from pipeline.ingest import ingest_bytes
    from pipeline.record import source_path
    from pipeline.store import dumps

    folder = tmp_path / "n1"
    folder.mkdir()
    for name, make in files.items():
        (folder / name).write_bytes(make())
    main = next(p for p in folder.iterdir() if p.name.startswith("通知"))
    bundle = bundles.bundle_of(main)
    assert bundle is not None
    sent = tuple((str(p), p.read_bytes(), "") for p in bundle.attachments)
    read = [main.read_bytes(), *(data for _, data, _ in sent)]  # part -> its bytes
    args = (read[0], str(main), source_path(main), bundle, sent)
    here = ingest_bytes(*args)
    with pytest.raises(scanned.NeedsOcr) as first:
        ingest_bytes(*args, scanned.Elsewhere())
    assert list(first.value.scans) == asked
    assert set(first.value.kept) == kept
    done = {(s.part, i): scanned.read_page(s.kind, read[s.part], i) for s in asked for i in s.pages}
    there = ingest_bytes(*args, scanned.Elsewhere({**first.value.kept, **done}))
    assert dumps(there) == dumps(here)
    # every scanned page is in the record, once: its stand-in line names its shade
    assert here["text"].count("灰度") == len(done) + len(kept)
