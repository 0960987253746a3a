"""History of one place: its records in year order, each diffed against the previous one.

Records of different series (工程系列 vs 卫生系列) or specialties are not one
line of succession, so they form separate timelines; comparing them year to
year would report the series change as the news.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.diff import diff_records
from pipeline.lexicon import labels
from pipeline.record_types import PolicyRecord as Record
from pipeline.records import Problem, iter_records


def _place_matches(record: Record, place: str) -> bool:
    n = record["notice"]
    want = place.strip()
    names = [x for x in (n["city"], n["province"]) if x]
    return any(name == want or name.rstrip("市省") == want.rstrip("市省") for name in names)


def find_records(
    folder: Path,
    city: str,
    series: str | None = None,
    problems: list[Problem] | None = None,
    *,
    all_copies: bool = False,
) -> list[Record]:
    """Records under ``folder`` for that place (and series), sorted by year, issue date, id.

    Read through ``pipeline.records``: a damaged file goes to ``problems`` (or stderr), never
    silently out of the history.
    """
    out: list[Record] = []
    for _path, record in iter_records(folder, problems, all_copies=all_copies):
        if not _place_matches(record, city):
            continue
        if series and (record["notice"]["series"] or "") != series:
            continue
        out.append(record)
    return sorted(out, key=_order)


def _order(r: Record) -> tuple[Any, ...]:
    n = r["notice"]
    return (n["year"] or 0, n["issue_date"] or "", r["record_id"])


def timelines(records: Sequence[Record]) -> list[tuple[str, list[Record]]]:
    """One timeline per (series, specialties), in order of first appearance (records are sorted)."""
    lines: dict[str, list[Record]] = {}
    for r in records:
        n = r["notice"]
        key = f"{n['series'] or '未注明系列'} · {'、'.join(n['specialties']) or '全部专业'}"
        lines.setdefault(key, []).append(r)
    return list(lines.items())


def _label(r: Record) -> str:
    n = r["notice"]
    return f"{n['year'] or '?'} {'、'.join(n['doc_numbers']) or r['record_id']}"


def history_markdown(records: Sequence[Record], place: str) -> str:
    """Per timeline: the list of records, then the semantic changes between neighbours."""
    lines = [f"# {place} 历年职称评审通知", ""]
    for key, recs in timelines(records):
        lines += [f"## {key}", ""]
        for r in recs:
            lines.append(f"- {_label(r)} · {r['notice']['title'] or ''} · `{r['source']['path']}`")
        lines.append("")
        for prev, cur in itertools.pairwise(recs):
            result = diff_records(prev, cur, clauses=False)
            lines += [f"### {_label(prev)} → {_label(cur)}（{len(result.changes)} 项变化）", ""]
            if not result.changes:
                lines += ["无变化。", ""]
            for section, changes in result.by_section():
                lines.append(f"- **{labels.group(section)}**")
                lines += [f"  - {c.summary}" for c in changes]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def history_json(records: Sequence[Record]) -> str:
    """The same as data: timelines with their records' ids and year-to-year changes."""
    data = []
    for key, recs in timelines(records):
        steps = []
        for prev, cur in itertools.pairwise(recs):
            result = diff_records(prev, cur, clauses=False)
            steps.append(
                {
                    "from": prev["record_id"],
                    "to": cur["record_id"],
                    "changes": [c.to_json() for c in result.changes],
                }
            )
        data.append({"timeline": key, "records": [r["record_id"] for r in recs], "steps": steps})
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
