"""The pages built on the matrix: a place's history, a year's places, the trends across places.

All are single static files in the style of ``render.page``: no script, font,
image or stylesheet from elsewhere (charts are inline SVG), so the report's
folder opens from disk, from a mail attachment or a CI artefact alike.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence

from pipeline.compare.charts import charts_html
from pipeline.compare.matrix import build, select
from pipeline.compare.render import page, table_html
from pipeline.diff.history import timelines
from pipeline.lexicon import labels
from pipeline.record_types import PolicyRecord

Links = Mapping[str, str]


def _changes(records: Sequence[PolicyRecord]) -> str:
    """Year to year, what the diff says changed (the clause redline is on the diff pages)."""
    from pipeline.diff import diff_records

    e = html.escape
    parts = []
    for prev, cur in itertools.pairwise(records):
        result = diff_records(prev, cur, clauses=False)
        head = f"{prev['notice']['year'] or '?'}年 → {cur['notice']['year'] or '?'}年（{len(result.changes)} 项变化）"
        items = "".join(
            f"<li><b>{e(labels.group(section))}</b><ul>"
            + "".join(f"<li>{e(c.summary)}</li>" for c in changes)
            + "</ul></li>"
            for section, changes in result.by_section()
        )
        parts.append(f"<h3>{e(head)}</h3>" + (f"<ul>{items}</ul>" if items else "<p>无变化。</p>"))
    return "".join(parts)


def history_html(
    records: Sequence[PolicyRecord], place: str, links: Links | None = None, nav: str = ""
) -> str:
    """One place over the years, per timeline: trend charts with their tables, the changes, the matrix."""
    e = html.escape
    body = []
    for key, recs in timelines(records):
        recs = select(recs)
        matrix = build(recs)
        body.append(f"<h2>{e(key)}（{len(recs)} 份通知）</h2>")
        body.append(charts_html(matrix, "主要门槛历年变化"))
        if len(recs) > 1:
            body.append("<h2>逐年变化</h2>" + _changes(recs))
        body.append("<h2>条件对比</h2>" + table_html(matrix, links))
    return page(f"{place} 历年职称评审条件", "\n".join(body), nav)


def trends_html(records: Sequence[PolicyRecord], links: Links | None = None, nav: str = "") -> str:
    """Per series, the key thresholds of every place over the years, a line per place."""
    e = html.escape
    body = []
    for series in sorted({r["notice"]["series"] or "" for r in records}):
        recs = [r for r in records if (r["notice"]["series"] or "") == series]
        matrix = build(select(recs))
        places = sorted({r["notice"]["city"] or r["notice"]["province"] or "" for r in recs})
        body.append(f"<h2>{e(series or '未注明系列')}（{len(recs)} 份通知，{len(places)} 个地区）</h2>")
        body.append(charts_html(matrix, "主要门槛：各地历年") or '<p class="note">没有可作图的门槛。</p>')
    return page("职称评审主要门槛趋势", "\n".join(body), nav)


def compare_html(
    records: Sequence[PolicyRecord], title: str, links: Links | None = None, nav: str = ""
) -> str:
    from pipeline.compare.render import to_html

    return to_html(build(select(records)), title, links, nav)
