"""Trend charts of a comparison's key thresholds: inline SVG, drawn here, nothing fetched.

Which rows are charted is data (``lexicon/trends.toml``). A chart has one line
per place over the years, and the years where a place's value moved are
labelled with the new value. matplotlib draws with its SVG backend and writes
text as paths, so the page needs no font at all to show Chinese; matplotlib
itself needs a CJK font to draw them, the one ``make browser`` installs
(Debian ``fonts-wqy-microhei``). Without one, Chinese would come out as empty
boxes, so charts are left out with one warning and the data tables (always
below each chart) carry the numbers alone.

Output is deterministic (fixed hash salt, no date), so a report regenerated
from the same records is byte-identical.
"""

from __future__ import annotations

import functools
import html
import io
import itertools
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline import lexicon
from pipeline.compare.matrix import Cell, Column, Matrix, Row

# tried in order; the first matplotlib knows is used
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "SimHei")
NO_FONT = (
    "no CJK font found (install Debian fonts-wqy-microhei: `make browser`): charts left out, tables kept"
)


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    cell: Cell


@dataclass(frozen=True)
class Chart:
    """One charted criterion: a line of points per place, and the unit of its values."""

    criterion: str
    unit: str
    lines: dict[str, list[Point]]

    @property
    def years(self) -> list[int]:
        return sorted({p.year for pts in self.lines.values() for p in pts})


def _wanted(row: Row) -> str | None:
    """The unit of the row's chart, or None when ``trends.toml`` does not chart it."""
    for spec in lexicon.load("trends")["chart"]:
        fields = {k: v for k, v in spec.items() if k not in ("section", "unit")}
        if row.section == spec["section"] and all(row.fact.get(k) == v for k, v in fields.items()):
            return str(spec["unit"])
    return None


def _place(col: Column) -> str:
    return col.city or col.province or "未识别地区"


def charts(matrix: Matrix) -> list[Chart]:
    """The key rows that have a number in at least two notices, as charts, in row order."""
    out = []
    for row in matrix.rows:
        unit = _wanted(row)
        if unit is None:
            continue
        lines: dict[str, list[Point]] = {}
        for col, cell in zip(matrix.columns, row.cells, strict=True):
            if cell is not None and isinstance(cell.value, int | float) and col.year is not None:
                lines.setdefault(_place(col), []).append(Point(col.year, float(cell.value), cell))
        if sum(len(p) for p in lines.values()) >= 2:
            out.append(Chart(row.criterion, unit, lines))
    return out


@functools.cache
def cjk_font() -> str | None:
    """The CJK font matplotlib will draw with, or None (warned once)."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in known:
            return name
    print(f"warning: {NO_FONT}", file=sys.stderr)
    return None


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def svg(chart: Chart) -> str:
    """The chart as an inline ``<svg>`` element (no XML prolog), text drawn as paths."""
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    font = cjk_font()
    assert font is not None
    with plt.rc_context(
        {
            "svg.fonttype": "path",
            "svg.hashsalt": "zhicheng",
            "font.family": "sans-serif",
            "font.sans-serif": [font, "DejaVu Sans"],
            "axes.unicode_minus": False,
        }
    ):
        fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=72)
        try:
            for place, points in chart.lines.items():
                xs = [p.year for p in points]
                ys = [p.value for p in points]
                (line,) = ax.plot(xs, ys, marker="o", label=place)
                for prev, cur in itertools.pairwise(points):
                    if cur.value != prev.value:
                        ax.annotate(
                            _num(cur.value),
                            (cur.year, cur.value),
                            textcoords="offset points",
                            xytext=(0, 6),
                            ha="center",
                            color=line.get_color(),
                            fontsize=9,
                        )
            ax.set_title(chart.criterion, fontsize=11)
            ax.set_ylabel(chart.unit)
            ax.set_xticks(chart.years)
            ax.set_xticklabels([f"{y}年" for y in chart.years])
            low = min(p.value for pts in chart.lines.values() for p in pts)
            high = max(p.value for pts in chart.lines.values() for p in pts)
            ax.set_ylim(min(0, low), high * 1.25 + 0.5)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(axis="y", alpha=0.3)
            ax.legend(fontsize=8, loc="lower right", ncol=min(3, len(chart.lines)))
            fig.tight_layout()
            buf = io.StringIO()
            fig.savefig(buf, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def table(chart: Chart) -> str:
    """The chart's numbers as a table: a row per place, a column per year; clause and sentence kept."""
    e = html.escape
    years = chart.years
    head = "".join(f"<th>{y}年</th>" for y in years)
    body = []
    for place, points in chart.lines.items():
        by_year = {p.year: p for p in points}
        cells = "".join(
            f'<td data-value="{_num(p.value)}" title="{e(p.cell.text)}">{_num(p.value)}'
            f"<small>条款 {e(p.cell.clause)}</small></td>"
            if (p := by_year.get(y))
            else "<td>—</td>"
            for y in years
        )
        body.append(f"<tr><th>{e(place)}</th>{cells}</tr>")
    return (
        f'<table class="chart-data" data-criterion="{e(chart.criterion)}"><thead><tr>'
        f"<th>地区（{e(chart.unit)}）</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def charts_html(matrix: Matrix, heading: str = "主要门槛趋势") -> str:
    """Every chart of the matrix, each followed by its data table; tables alone without a CJK font."""
    found = charts(matrix)
    if not found:
        return ""
    draw = cjk_font() is not None
    parts = [f"<h2>{html.escape(heading)}</h2>"]
    if not draw:
        parts.append('<p class="note">未找到中文字体，图表从略；数据见下表。</p>')
    for chart in found:
        figure = f'<div class="chart">{svg(chart)}</div>' if draw else ""
        parts.append(f'<section class="trend">{figure}{table(chart)}</section>')
    return "\n".join(parts)


def data_of(chart: Chart) -> Mapping[str, Sequence[tuple[int, Any]]]:
    """place → [(year, value)]: what the chart draws, for tests and notebooks."""
    return {place: [(p.year, p.value) for p in pts] for place, pts in chart.lines.items()}
