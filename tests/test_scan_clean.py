"""The scan cleaner on drawn pages (no OCR, no LibreOffice): what it removes, keeps and cuts out."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.load import scan_clean
from tests import gongwen_factory as gw

RED = (230, 0, 18)


def _page() -> Image.Image:
    """An A4 page at 100 dpi: a red masthead, a red rule, black body lines, a seal over two of them."""
    img = Image.new("RGB", (827, 1169), "white")
    d = ImageDraw.Draw(img)
    for k in range(8):  # the masthead: thick red strokes in a text line
        d.rectangle((150 + 70 * k, 120, 200 + 70 * k, 128), fill=RED)
        d.rectangle((170 + 70 * k, 100, 178 + 70 * k, 160), fill=RED)
    d.rectangle((110, 240, 717, 244), fill=RED)  # the rule
    for y in range(300, 1000, 40):
        d.rectangle((110, y, 717, y + 4), fill="black")
    seal = Image.open(__import__("io").BytesIO(gw.seal_png("洛阳市人力资源和社会保障局", 170)))
    img.paste(seal, (520, 820), seal)
    for y in (860, 900):  # signature and date over the seal (the seal sits under the text)
        d.rectangle((480, y, 700, y + 4), fill="black")
    return img


def _red(a: np.ndarray) -> np.ndarray:
    a = a.astype(int)
    return (a[..., 0] > 150) & (a[..., 0] - np.maximum(a[..., 1], a[..., 2]) > 70)


def test_seal_and_rule_to_paper_masthead_to_ink_black_kept() -> None:
    page = _page()
    src = np.asarray(page)
    out = np.asarray(scan_clean.clean(page))
    red = _red(src)
    seal = red.copy()
    seal[:700] = False
    assert seal.sum() > 1000 and (out[seal] > 200).mean() > 0.97
    assert (out[238:247, 110:718] > 200).mean() > 0.95  # the rule
    masthead = red[:200]
    assert (out[:200][masthead] < 110).mean() > 0.95
    black = np.asarray(page.convert("L")) < 60
    assert (out[black] < 110).mean() > 0.97  # body lines and the signature over the seal


def test_grey_scan_keeps_its_geometry_and_ink() -> None:
    page = _page().convert("L")
    out = scan_clean.clean(page)
    assert out.size == page.size and out.mode == "L"
    assert (np.asarray(out)[np.asarray(page) < 60] < 110).mean() > 0.97


@pytest.mark.parametrize("size", [(10, 10), (63, 400)])
def test_thumbnails_pass_through(size: tuple[int, int]) -> None:
    assert scan_clean.clean(Image.new("RGB", size, RED)).size == size


def test_uneven_light_evened() -> None:
    page = np.asarray(_page().convert("L")).astype(float)
    ramp = np.linspace(1.0, 0.6, page.shape[1])[None, :]
    dim = Image.fromarray((page * ramp).astype(np.uint8))
    out = np.asarray(scan_clean.clean(dim))
    paper = np.asarray(_page().convert("L")) > 250
    assert np.percentile(out[paper], 5) > 220  # the dark side's paper is white again


def test_photo_page_cut_out_of_the_desk() -> None:
    page = _page()
    shot = gw.photo(page, 7)
    out = scan_clean.clean(shot)
    assert out.width < 0.9 * shot.width
    assert abs(out.width / out.height - page.width / page.height) < 0.02
    assert np.asarray(out)[4:-4, 4:-4].mean() > 0.9 * np.asarray(page.convert("L")).mean()
