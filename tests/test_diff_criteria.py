"""Logic changes between two editions, in words, matched by the meaning of a group (its heading)."""

from __future__ import annotations

import copy
import json
from typing import Any

from pipeline.diff import diff_records
from tests.conftest import STRUCTURED

XINZHOU = json.loads((STRUCTURED / "000_020e7bca74b620b8.txt.json").read_text(encoding="utf-8"))


def _node(record: dict[str, Any], node_id: str) -> dict[str, Any]:
    def find(n: dict[str, Any]) -> dict[str, Any] | None:
        if n.get("id") == node_id:
            return n
        return next((f for ch in n.get("of", ()) if (f := find(ch)) is not None), None)

    found = [f for r in record["criteria"]["routes"] if (f := find(r["requires"])) is not None]
    return found[0]


def _summaries(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [c.summary for c in diff_records(a, b, clauses=False).changes if c.section == "criteria"]


def test_same_record_has_no_logic_change() -> None:
    assert _summaries(XINZHOU, XINZHOU) == []


def test_min_option_and_relaxation_changes_are_said_in_words() -> None:
    later = copy.deepcopy(XINZHOU)
    _node(later, "3.9~2")["min"] = 2  # 破格: two of the awards instead of one
    work = _node(later, "3.4")
    work["of"].append(copy.deepcopy(work["of"][0]))  # a new 工作能力 option
    degree = _node(later, "3.2")
    degree["of"] = degree["of"][:1]  # 学历可放宽到大专 dropped
    got = _summaries(XINZHOU, later)
    assert "破格申报评审条件: 须满足1项 → 须满足2项" in got
    assert "工作能力条件: 新增一项可选条件" in got
    assert "学历条件: 大专放宽取消" in got


def test_groups_are_matched_by_heading_not_clause_number() -> None:
    """Renumber every clause of the later edition: nothing is reported as changed."""
    later = copy.deepcopy(XINZHOU)

    def shift(clauses: list[dict[str, Any]]) -> None:
        for c in clauses:
            c["id"] = "9." + c["id"]
            shift(c["children"])

    def renumber(n: dict[str, Any]) -> None:
        if "ref" in n:
            n["ref"] = "9." + n["ref"]
            return
        n["id"], n["clause"] = "9." + n["id"], "9." + n["clause"]
        for ch in n.get("of", ()):
            renumber(ch)

    shift(later["clauses"])
    for r in later["criteria"]["routes"]:
        renumber(r["requires"])
    assert _summaries(XINZHOU, later) == []
