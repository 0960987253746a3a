"""All records → one ``index.html``: a row per notice, linking its review page and last year's diff.

The index is the analyst's entry point: it answers "what do we have, and what
changed since last year" at a glance, and every number on it is one click from
the sentence it came from (the review page), with year-over-year diff pages
from ``pipeline.diff``.  Works from the records directly (read through
``pipeline.records``), so ``make report`` needs neither pandas nor DuckDB.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from pipeline.lexicon import labels
from pipeline.query.review import render_page, render_with_pages
from pipeline.record_types import PolicyRecord
from pipeline.records import Problem, load_folder
from pipeline.store import write_atomic

Record = PolicyRecord


def timeline_key(record: Record) -> tuple[str, ...]:
    """Notices that follow one another year by year: same place, series and specialties."""
    n = record["notice"]
    return (n["province"] or "", n["city"] or "", n["series"] or "", "、".join(n["specialties"]))


def previous_years(records: list[tuple[str, Record]]) -> dict[str, str]:
    """record file → the file of the latest earlier-year notice on the same timeline."""
    out: dict[str, str] = {}
    by_key: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for name, r in records:
        year = r["notice"]["year"]
        if isinstance(year, int) and any(timeline_key(r)[:3]):
            by_key.setdefault(timeline_key(r), []).append((year, name))
    for entries in by_key.values():
        entries.sort()
        for year, name in entries:
            earlier = [n for y, n in entries if y < year]
            if earlier:
                out[name] = earlier[-1]
    return out


def thresholds(record: Record) -> str:
    """The regular-route years of service by degree, and how many counted thresholds the notice sets."""
    facts = record["facts"]
    years: dict[str | None, float] = {}
    for f in facts["service_years"]:
        if f["route"] == "regular":
            d = f["degree"]
            years[d] = min(years.get(d, f["years"]), f["years"])
    parts = [
        f"{labels.degree(d)}{_num(y)}年"
        for d, y in sorted(years.items(), key=lambda kv: labels.degree_order(kv[0]))
    ]
    n_req = len(facts["requirements"])
    if n_req:
        parts.append(f"业绩条件{n_req}条")
    return "；".join(parts)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def deadline_summary(record: Record) -> str:
    """The evaluation's window: earliest start (or end) to latest end among its deadlines."""
    dates = sorted(d for f in record["facts"]["deadlines"] for d in (f["start"], f["end"]) if d)
    if not dates:
        return ""
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}"


def _diff_html(old: Record, new: Record) -> str:
    from pipeline.diff import diff_records
    from pipeline.diff.render import to_html

    return str(to_html(diff_records(old, new)))


def write_report(
    data: Path,
    out: Path,
    problems: list[Problem] | None = None,
    *,
    all_copies: bool = False,
    source_root: Path | None = None,
) -> Path:
    """Write ``out`` (index.html), ``review/<record>.html`` and ``diff/<old>__<new>.html`` beside it.

    Damaged record files go to ``problems`` (else stderr) and get no row; the rest still do. With
    ``source_root`` (the folder ingest ran in) the review pages of PDFs, OFDs and scans draw their
    source's pages with the facts' boxes, as ``review`` does; without it they show the text alone,
    since drawing pages costs a render per page and a national corpus has millions.
    """
    loaded = load_folder(data, all_copies=all_copies)
    if problems is None:
        loaded.print_problems()
    else:
        problems.extend(loaded.problems)
    records = [(p.name.removesuffix(".json"), record) for p, record in loaded.records]
    by_name = dict(records)
    base = out.parent
    previous = previous_years(records)
    from pipeline.compare.site import write_views

    views = write_views(base, records)
    repeated = _repeated(records)
    rows = []
    for name, record in sorted(records, key=_sort_key):
        review = render_page(record) if source_root is None else render_with_pages(record, source_root)
        write_atomic(base / "review" / f"{name}.html", review)
        diff_link = ""
        if name in previous:
            target = f"diff/{previous[name]}__{name}.html"
            write_atomic(base / target, _diff_html(by_name[previous[name]], record))
            old_year = by_name[previous[name]]["notice"]["year"]
            diff_link = f'<a href="{html.escape(target)}">对比{old_year}年</a>'
        more = [f'<a href="{html.escape(views.history[name])}">历年</a>' if name in views.history else ""]
        more.append(
            f'<a href="{html.escape(views.compare[name])}">同年各地</a>' if name in views.compare else ""
        )
        rows.append(_row(name, record, diff_link, more, name in repeated))
    from pipeline.compare.site import links_html

    write_atomic(out, _page(rows, len(records), links_html(views), _filters(records)))
    return out


def _repeated(records: list[tuple[str, Record]]) -> set[str]:
    """Record files that share place, series, specialties and year with another: likely duplicates."""
    seen: dict[tuple[Any, ...], list[str]] = {}
    for name, r in records:
        seen.setdefault((*timeline_key(r), r["notice"]["year"]), []).append(name)
    return {n for names in seen.values() if len(names) > 1 for n in names}


FILTERS = (("place", "地区"), ("year", "年度"), ("series", "系列"), ("level", "层级"))


def _facets(record: Record) -> dict[str, list[str]]:
    """The values a row is filtered by (a notice may name several levels)."""
    n = record["notice"]
    return {
        "place": [" ".join(x for x in (n["province"], n["city"]) if x) or "未识别地区"],
        "year": [str(n["year"] or "")],
        "series": [n["series"] or ""],
        "level": list(n["levels"]) or [""],
    }


def _filters(records: list[tuple[str, Record]]) -> str:
    """One drop-down per facet, its options the values the records have."""
    e = html.escape
    out = []
    for key, zh in FILTERS:
        values = sorted({v for _, r in records for v in _facets(r)[key] if v})
        options = "".join(f'<option value="{e(v)}">{e(v)}</option>' for v in values)
        out.append(
            f'<label>{zh} <select data-filter="{key}"><option value="">全部</option>{options}</select></label>'
        )
    return "".join(out)


def _sort_key(item: tuple[str, Record]) -> tuple[Any, ...]:
    name, r = item
    n = r["notice"]
    return (n["province"] or "~", n["city"] or "", n["series"] or "", n["year"] or 0, name)


def _row(name: str, record: Record, diff_link: str, more: list[str], repeated: bool) -> str:
    e = html.escape
    n = record["notice"]
    place = " ".join(x for x in (n["province"], n["city"]) if x) or "未识别地区"
    n_facts = sum(
        len(v) for k, v in record["facts"].items() if isinstance(v, list) and k not in ("urls", "emails")
    )
    warnings = record["warnings"]
    cells = [
        e(place),
        e(str(n["year"] or "")),
        e(n["series"] or ""),
        e("、".join(n["levels"])),
        e("、".join(n["specialties"])),
        e(thresholds(record)),
        e(deadline_summary(record)),
        str(n_facts),
        f'<span class="flag" title="{e(chr(10).join(warnings))}">⚠ {len(warnings)}</span>'
        if warnings
        else "0",
        f'<a href="review/{e(name)}.html" title="{e(n["title"] or "")}">核对</a>',
        diff_link,
        *more,
    ]
    if repeated:
        cells[0] += ' <span class="flag" title="同一地区、系列、年度另有一份通知">重复?</span>'
    facets = "".join(f' data-{k}="{e("|".join(v))}"' for k, v in _facets(record).items())
    flagged = ' class="flagged"' if warnings or repeated else ""
    return f"<tr{flagged}{facets}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


# plain inline script: no library, no network; rows hide when any chosen facet does not match
_SCRIPT = """
(function () {
  var selects = document.querySelectorAll("select[data-filter]");
  var rows = document.querySelectorAll("tbody tr");
  var shown = document.getElementById("shown");
  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var ok = true;
      selects.forEach(function (s) {
        if (s.value && row.dataset[s.dataset.filter].split("|").indexOf(s.value) < 0) { ok = false; }
      });
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n;
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
})();
"""


def _page(rows: list[str], count: int, links: str = "", filters: str = "") -> str:
    headers = [
        "地区",
        "年度",
        "系列",
        "层级",
        "专业",
        "主要门槛",
        "时间窗口",
        "要素",
        "警告",
        "核对页",
        "上年对比",
        "历年",
        "同年各地",
    ]
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>职称评审通知 · {count} 条记录</title>
<style>
body {{ font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 20px; color: #222; }}
table {{ border-collapse: collapse; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }}
th {{ background: #f0f0f0; position: sticky; top: 0; }}
tr:nth-child(even) td {{ background: #fafafa; }}
tr.flagged td {{ background: #fff4e5; }}
.flag {{ color: #b35c00; font-weight: bold; }}
nav a {{ margin-right: 12px; }}
.filters label {{ margin-right: 12px; }}
</style>
</head>
<body>
<h1>职称评审通知 · {count} 条记录</h1>
{links}
<p>每行一份通知；“核对页”显示原文中每个要素的位置，“上年对比”列出与上一年度同地区同系列通知的变化，
“历年”是该地区历年门槛的趋势图与对比表，“同年各地”是同一年度同系列各地通知的条件对比。标黄的行有警告或疑似重复。</p>
<p class="filters">{filters} 显示 <span id="shown">{count}</span> / {count} 条</p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<script>{_SCRIPT}</script>
</body>
</html>
"""
