"""The report's views beyond one notice: a history page per place, a comparison per series and
year, the trends across places; all written beside ``index.html`` and linked from it.

File names are the place, series and year themselves (``history/忻州市.html``) so that a
person browsing the folder finds a page by name; links are percent-encoded, so they work
from disk in any browser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from pipeline.compare.pages import compare_html, history_html, trends_html
from pipeline.diff.history import _place_matches
from pipeline.record_types import PolicyRecord
from pipeline.store import write_atomic

TRENDS = "trends.html"


@dataclass
class Views:
    """What was written: per record file, its history and comparison pages; the site's nav bar."""

    history: dict[str, str] = field(default_factory=dict)
    compare: dict[str, str] = field(default_factory=dict)
    pages: list[tuple[str, str]] = field(default_factory=list)  # (title, href) for the index


def _safe(name: str) -> str:
    """A file name from a place or series: path separators and control characters out."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "未注明"


def href(path: str) -> str:
    return quote(path, safe="/#")


def nav(depth: int) -> str:
    """The bar at the top of every view: back to the index, to the trends."""
    up = "../" * depth
    return f'<nav><a href="{up}index.html">← 全部通知</a><a href="{up}{TRENDS}">主要门槛趋势</a></nav>'


def write_views(base: Path, records: Sequence[tuple[str, PolicyRecord]]) -> Views:
    """Write history/, compare/ and trends.html under ``base``; ``records``: (file stem, record)."""
    views = Views()
    review = {r["record_id"]: f"../review/{href(name)}.html" for name, r in records}
    plain = [r for _, r in records]
    places = sorted({r["notice"]["city"] or r["notice"]["province"] or "" for r in plain} - {""})
    for place in places:
        mine = [r for r in plain if _place_matches(r, place)]
        target = f"history/{_safe(place)}.html"
        write_atomic(base / target, history_html(sorted(mine, key=_year), place, review, nav(1)))
        views.pages.append((f"{place} 历年", href(target)))
        for name, r in records:
            if (r["notice"]["city"] or r["notice"]["province"]) == place:
                views.history[name] = href(target)
    groups: dict[tuple[str, int], list[tuple[str, PolicyRecord]]] = {}
    for name, r in records:
        year = r["notice"]["year"]
        if isinstance(year, int):
            groups.setdefault((r["notice"]["series"] or "", year), []).append((name, r))
    for (series, year), members in sorted(groups.items()):
        if len(members) < 2:
            continue
        target = f"compare/{_safe(series)}-{year}.html"
        title = f"职称评审条件对比 · {year}年度 · {series or '未注明系列'}"
        write_atomic(base / target, compare_html([r for _, r in members], title, review, nav(1)))
        views.pages.append((f"{year} {series} 各地对比", href(target)))
        for name, _ in members:
            views.compare[name] = href(target)
    write_atomic(base / TRENDS, trends_html(plain, nav=nav(0)))
    views.pages.insert(0, ("主要门槛趋势", TRENDS))
    return views


def _year(r: PolicyRecord) -> tuple[int, str]:
    return (r["notice"]["year"] or 0, r["record_id"])


def links_html(views: Views) -> str:
    e = html.escape
    return "<nav>" + "".join(f'<a href="{e(h)}">{e(t)}</a>' for t, h in views.pages) + "</nav>"
