"""The report folder as a person opens it: every page kind from disk in headless Chromium.

Driven over the DevTools protocol (tests/cdp.py), so the test sees what the page did,
not only what it looks like: no console error or warning, no request but the page's
own file, the index's filters working, Chinese drawn in a real CJK font (not the empty
boxes of a missing glyph), charts that are not blank, and chart tables that hold
exactly what a DuckDB query over the same records returns.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from pipeline.compare.charts import Chart, Point, svg
from pipeline.compare.matrix import Cell
from pipeline.query.report import write_report
from pipeline.query.sql import run_query
from pipeline.query.tables import load_records
from tests.conftest import needs_chromium

pytestmark = [pytest.mark.slow, needs_chromium]
CELL = Cell(5, "5年", "3.3", "任工程师满5年")

PAGES = {
    "index": "index.html",
    "trends": "trends.html",
    "history": "history/忻州市.html",
    "compare": "compare/工程系列-2024.html",
    "review": "review/xinzhou_2024.txt.html",
    "diff": "diff/xinzhou_2023.txt__xinzhou_2024.txt.html",
}


@pytest.fixture(scope="module")
def site(demo_records: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("site") / "records"
    shutil.copytree(demo_records, data)
    write_report(data, data / "index.html")
    return data


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from tests.cdp import Browser

    b = Browser(tmp_path_factory.mktemp("chromium"))
    yield b
    b.close()


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_opens_from_disk_quietly_and_offline(kind: str, site: Path, browser: Any) -> None:
    from tests.cdp import problems, requests

    url = (site / PAGES[kind]).as_uri()
    events = browser.open(url)
    assert problems(events) == []
    assert requests(events) == [url]  # nothing fetched: no script, font, image or style from elsewhere
    assert browser.evaluate("document.documentElement.lang") == "zh-CN"
    assert browser.evaluate("document.body.innerText.length") > 200
    hrefs = browser.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href.split('#')[0])")
    targets = {Path(unquote(h.removeprefix("file://"))) for h in hrefs if h.startswith("file:")}
    assert all(t.is_file() for t in targets), [t for t in targets if not t.is_file()]
    assert all(h.startswith(("file:", "about:")) or h == "" for h in hrefs)


@pytest.mark.parametrize("kind", list(PAGES))
def test_screenshot_of_each_page_is_not_blank(kind: str, site: Path, browser: Any, tmp_path: Path) -> None:
    pytest.importorskip("PIL", reason="Pillow reads the screenshot")
    browser.open((site / PAGES[kind]).as_uri())
    ink, _ = _ink(browser.screenshot(tmp_path / f"{kind}.png"))
    assert 0.01 < ink < 0.6, f"{ink:.1%} dark pixels: blank or broken page"


def _codes() -> set[str]:
    from pipeline.lexicon import labels

    families = ("degree", "route", "basis", "kind", "level", "per", "subtype")
    return {code.split(".")[-1] for f in families for code in labels.table(f) if code}


@pytest.mark.parametrize("kind", list(PAGES))
def test_people_read_chinese_not_codes(kind: str, site: Path, browser: Any) -> None:
    browser.open((site / PAGES[kind]).as_uri())
    shown = browser.evaluate("document.body.innerText")
    leaked = {c for c in _codes() if re.search(rf"(?<![A-Za-z_]){c}(?![A-Za-z_])", shown)}
    assert leaked == set()


def test_index_links_reach_every_view(site: Path, browser: Any) -> None:
    browser.open((site / "index.html").as_uri())
    hrefs = browser.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    files = {Path(unquote(h.removeprefix("file://"))) for h in hrefs}
    assert all(f.is_file() for f in files), [f for f in files if not f.is_file()]
    parts = {f.relative_to(site).parts[0] for f in files}
    assert {"review", "diff", "history", "compare", "trends.html"} <= parts


def test_index_filters_by_place_year_series_level(site: Path, browser: Any) -> None:
    browser.open((site / "index.html").as_uri())

    def choose(**wanted: str) -> int:
        script = "".join(
            f"(s => {{ s.value = {value!r}; s.dispatchEvent(new Event('change')); }})"
            f"(document.querySelector('select[data-filter={key}]'));"
            for key, value in wanted.items()
        )
        browser.evaluate(script)
        shown = browser.evaluate("[...document.querySelectorAll('tbody tr')].filter(r => !r.hidden).length")
        assert browser.evaluate("document.getElementById('shown').textContent") == str(shown)
        return int(shown)

    assert choose(place="", year="", series="", level="") == 30
    assert choose(place="山西省 忻州市") == 5
    assert choose(year="2024") == 1
    assert choose(place="") == 6
    assert choose(series="工程系列", level="高级工程师") == 6
    options = browser.evaluate(
        "[...document.querySelectorAll('select[data-filter=year] option')].map(o => o.value)"
    )
    assert options == ["", "2020", "2021", "2022", "2023", "2024"]


def _ink(png: Path) -> tuple[float, int]:
    from PIL import Image

    with Image.open(png) as img:
        rgb = img.convert("RGB")
        grey = rgb.convert("L")
        hist: Any = grey.histogram()
        colours = len({c for _, c in (rgb.getcolors(1 << 20) or [])})
        w, h = grey.size
    return sum(hist[:200]) / (w * h), colours


def test_trend_charts_are_drawn_not_blank(site: Path, browser: Any, tmp_path: Path) -> None:
    pytest.importorskip("PIL", reason="Pillow reads the screenshot")
    browser.open((site / "trends.html").as_uri())
    assert browser.evaluate("document.querySelectorAll('div.chart svg').length") >= 6
    box = browser.evaluate(
        "(r => ({x: r.x, y: r.y, width: r.width, height: r.height}))"
        "(document.querySelector('div.chart svg').getBoundingClientRect())"
    )
    shot = tmp_path / "chart.png"
    data = browser.call("Page.captureScreenshot", session=True, format="png", clip={**box, "scale": 1})
    import base64

    shot.write_bytes(base64.b64decode(data["data"]))
    ink, colours = _ink(shot)
    assert 0.02 < ink < 0.6, f"{ink:.1%} dark pixels in the chart"
    assert colours > 20  # lines in several colours, anti-aliased text: not a flat box


def _glyph_columns(browser: Any, text: str) -> list[int]:
    """Dark pixels per column of ``text`` drawn in the page's font, at 48 px."""
    import base64
    import io

    from PIL import Image

    browser.evaluate(
        "(() => { let s = document.getElementById('probe') || document.body.appendChild("
        "Object.assign(document.createElement('span'), {id: 'probe'}));"
        "s.style.cssText = 'position:fixed;left:0;top:0;font-size:48px;background:#fff;color:#000;z-index:9';"
        f"s.textContent = {text!r}; }})()"
    )
    box = browser.evaluate(
        "(r => ({x: r.x, y: r.y, width: r.width, height: r.height}))"
        "(document.getElementById('probe').getBoundingClientRect())"
    )
    data = browser.call("Page.captureScreenshot", session=True, format="png", clip={**box, "scale": 1})
    with Image.open(io.BytesIO(base64.b64decode(data["data"]))) as img:
        grey = img.convert("L")
        w, h = grey.size
        px = grey.load()
        return [sum(px[x, y] < 128 for y in range(h)) for x in range(w)]


@pytest.mark.parametrize("kind", ["index", "compare", "review"])
def test_chinese_is_drawn_in_a_cjk_font_not_boxes(kind: str, site: Path, browser: Any) -> None:
    pytest.importorskip("PIL", reason="Pillow reads the screenshot")
    browser.open((site / PAGES[kind]).as_uri())
    # a missing glyph is the same empty box for every character: two different strings would match
    a, b = _glyph_columns(browser, "忻州市"), _glyph_columns(browser, "连云港")
    assert sum(a) > 100 and sum(b) > 100
    assert a != b


def test_charts_draw_chinese_with_the_cjk_font(site: Path) -> None:
    from pipeline.compare.charts import cjk_font

    font = cjk_font()
    assert font is not None, "install fonts-wqy-microhei (make browser)"
    page = (site / "trends.html").read_text(encoding="utf-8")
    # with text as paths, matplotlib names each glyph <font>-<glyph index>; index 0 is the
    # "missing glyph" box
    glyphs = set(re.findall(r'<path id="([A-Za-z]+)-([0-9a-f]+)"', page))
    assert {g for g in glyphs if g[0] == font.replace(" ", "")} and all(i != "0" for _, i in glyphs)
    chart = Chart("忻州市·任现职称年限", "年", {"忻州市": [Point(2023, 5, CELL), Point(2024, 4, CELL)]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawn = svg(chart)
    assert not [w for w in caught if "missing" in str(w.message)]
    # the title's six characters are six distinct glyphs of the CJK font
    assert (
        len({i for f, i in re.findall(r'<path id="([A-Za-z]+)-([0-9a-f]+)"', drawn) if f != "DejaVuSans"})
        >= 6
    )


def _chart_table(browser: Any, criterion: str) -> set[tuple[str, int, float]]:
    rows = browser.evaluate(
        f"(t => [...t.tBodies[0].rows].flatMap(r => [...r.cells].slice(1).map((c, i) => "
        f"[r.cells[0].textContent, t.tHead.rows[0].cells[i + 1].textContent, c.dataset.value])))"
        f"([...document.querySelectorAll('table.chart-data')].find(t => t.dataset.criterion === {json.dumps(criterion)}))"
    )
    return {(p, int(y.removesuffix("年")), float(v)) for p, y, v in rows if v is not None}


@pytest.mark.parametrize(
    ("criterion", "sql"),
    [
        (
            "发明专利（业绩成果条件）",
            "SELECT city, year, min_count FROM requirements WHERE kind = 'patent' AND subtype = 'invention'",
        ),
        (
            "博士·任现职称年限",
            "SELECT city, year, years FROM service_years "
            "WHERE degree = 'doctor' AND route = 'regular' AND basis = 'title'",
        ),
        ("评审、面试答辩、论文鉴定费", "SELECT city, year, amount FROM fees"),
    ],
)
def test_chart_tables_equal_the_query(criterion: str, sql: str, site: Path, browser: Any) -> None:
    browser.open((site / "trends.html").as_uri())
    shown = _chart_table(browser, criterion)
    frame = run_query(load_records(site), sql)
    expected = {(str(c), int(y), float(v)) for c, y, v in frame.itertuples(index=False)}
    assert shown == expected and len(shown) >= 10
