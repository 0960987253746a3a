"""Trend charts: which rows are charted, what they draw, and the page without a CJK font."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.compare import charts
from pipeline.compare.matrix import Matrix, build, select
from pipeline.records import load_folder


@pytest.fixture(scope="module")
def xinzhou(demo_records: Path) -> Matrix:
    return build(select((r for _, r in load_folder(demo_records).records), place="忻州市"))


def test_key_rows_are_charted_as_trends_toml_says(xinzhou: Matrix) -> None:
    found = {c.criterion: c for c in charts.charts(xinzhou)}
    assert "发明专利（业绩成果条件）" in found and "博士·任现职称年限" in found
    assert not any("项目" in name or "奖项" in name for name in found)  # not listed in trends.toml
    doctor = found["博士·任现职称年限"]
    assert charts.data_of(doctor) == {
        "忻州市": [(2020, 2.0), (2021, 1.0), (2022, 1.0), (2023, 1.0), (2024, 1.0)]
    }
    assert doctor.unit == "年"


def test_chart_svg_is_inline_deterministic_and_labels_changes(xinzhou: Matrix) -> None:
    if charts.cjk_font() is None:
        pytest.skip("no CJK font (make browser installs fonts-wqy-microhei)")
    (doctor,) = [c for c in charts.charts(xinzhou) if c.criterion == "博士·任现职称年限"]
    first, again = charts.svg(doctor), charts.svg(doctor)
    assert first == again and first.startswith("<svg")
    assert "<text" not in first  # text drawn as paths: the page needs no font
    assert not re.search(r"""(?:href|src)=["']https?:""", first.replace('xmlns:xlink="http', ""))


def test_table_below_each_chart_keeps_clause_and_sentence(xinzhou: Matrix) -> None:
    (patent,) = [c for c in charts.charts(xinzhou) if c.criterion == "发明专利（业绩成果条件）"]
    table = charts.table(patent)
    assert table.count('data-value="1"') == 5 and table.count("<small>条款 3.5.4</small>") == 5
    assert "发明专利" in re.findall(r'title="([^"]+)"', table)[0]


def test_without_a_cjk_font_tables_stay_and_one_warning_says_why(
    xinzhou: Matrix, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(charts, "CJK_FONTS", ("No Such Font",))
    charts.cjk_font.cache_clear()
    try:
        page = charts.charts_html(xinzhou)
        charts.charts_html(xinzhou)
    finally:
        charts.cjk_font.cache_clear()
    assert "<svg" not in page and page.count('<table class="chart-data"') == len(charts.charts(xinzhou))
    assert "未找到中文字体" in page
    assert capsys.readouterr().err == f"warning: {charts.NO_FONT}\n"


def test_history_html_page(demo_records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.html"
    code = main(
        ["history", "--data", str(demo_records), "--city", "大同市", "--format", "html", "--out", str(out)]
    )
    assert code == 0 and capsys.readouterr().err == ""
    page = out.read_text(encoding="utf-8")
    assert "<h1>大同市 历年职称评审条件</h1>" in page
    assert page.count('<table class="chart-data"') == page.count('<div class="chart">') > 5
    assert page.count("<h3>") == 4  # 2020→2021 … 2023→2024
    assert '<table class="compare">' in page and "<script" not in page
