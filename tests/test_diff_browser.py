"""The HTML diff in a real headless browser (Debian's chromium, installed by ``make browser``).

Checks what a reader would see: the page renders to a non-blank screenshot of
a laptop-sized window, the headings and the inline marks are in the DOM
chromium built, and the page loads nothing from the network.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.diff import diff_records
from pipeline.diff.render import to_html
from tests.conftest import RAW, ROOT, chromium, needs_chromium, run_text

pytestmark = [pytest.mark.slow, needs_chromium]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    a = run_text((RAW / "000_020e7bca74b620b8.txt").read_text(encoding="utf-8"))
    b = run_text((ROOT / "tests" / "fixtures" / "diff" / "000_xinzhou_2025.txt").read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("html") / "diff.html"
    out.write_text(to_html(diff_records(a, b)), encoding="utf-8")
    return out


def test_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert "<script" not in html and "@import" not in html


def test_dom_has_summary_on_top_and_side_by_side_redline(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    h1 = re.findall(r"<h1[^>]*>(.*?)</h1>", dom)
    h2 = re.findall(r"<h2[^>]*>(.*?)</h2>", dom)
    assert h1 == ["职称评审通知对比：忻州市 2024 工程系列 → 忻州市 2025 工程系列"]
    assert [re.sub(r"（.*", "", h) for h in h2] == ["语义变化", "条款对照"]
    sections = re.findall(r'<h3 class="section" data-section="(\w+)">', dom)
    assert sections[:4] == ["notice", "service_years", "requirements", "deadlines"] and "fees" in sections
    assert "<del>1</del>" in dom and "<ins>2</ins>" in dom  # 发明专利 1 → 2 marked in place
    assert dom.count('<tr class="removed">') == 1 and dom.count('<tr class="added">') == 1
    assert "条未变（点击展开）" in dom


def _png_stats(path: Path) -> tuple[int, int, float]:
    from PIL import Image

    with Image.open(path) as img:
        grey = img.convert("L")
        w, h = grey.size
        hist: Any = grey.histogram()
    ink = sum(hist[:200])  # pixels clearly darker than the white page
    return w, h, ink / (w * h)


def test_screenshot_on_a_laptop_screen_is_not_blank(page: Path, tmp_path: Path) -> None:
    pytest.importorskip("PIL", reason="Pillow is needed to read the screenshot")
    shot = tmp_path / "diff.png"
    chromium(tmp_path, "--window-size=1366,900", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    w, h, ink = _png_stats(shot)
    assert (w, h) == (1366, 900)
    assert 0.01 < ink < 0.5, f"{ink:.3%} dark pixels: blank or broken page"
    # an empty page renders blank: the check above can fail
    empty = tmp_path / "empty.html"
    empty.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    blank = tmp_path / "blank.png"
    chromium(tmp_path, "--window-size=1366,900", f"--screenshot={blank}", empty.as_uri())
    assert _png_stats(blank)[2] < 0.001
