"""Changes in who may apply, in words: groups of conditions matched by meaning, never by number.

A group is named by the heading of the clause it stands for (学历条件, 工作能力条件, 破格申报评审条件)
or, for a route's root, by the route (破格, 高技能人才); two notices' groups of the same name are
the same condition whatever their clause numbers. Reported: routes added or dropped, a group's
quantifier (须满足1项 → 2项), options added or dropped, the 大专 relaxation of a 学历 rule.
"""

from __future__ import annotations

from typing import Any

from pipeline.criteria.vocab import data as criteria_words
from pipeline.diff.model import Change
from pipeline.lexicon import labels

Node = dict[str, Any]


def _headings(clauses: list[dict[str, Any]], out: dict[str, str]) -> dict[str, str]:
    for c in clauses:
        if c.get("heading"):
            out[c["id"]] = c["heading"]
        _headings(c["children"], out)
    return out


def _route_name(route: dict[str, Any]) -> str:
    return labels.route(route["route"]) or "常规申报"


def _groups(node: Node, headings: dict[str, str], out: dict[str, list[Node]], root: str) -> None:
    if "op" not in node:
        return
    name = root if not out else headings.get(node["clause"])
    if name:
        out.setdefault(name, []).append(node)
    for ch in node["of"]:
        _groups(ch, headings, out, root)


def _rule(node: Node) -> str:
    if node["op"] == "any":
        return f"须满足{node.get('min', 1)}项"
    return labels.name("op", node["op"]).format(n=node.get("min", 1))


def _lowest_degree(node: Node) -> str | None:
    ladder: list[str] = criteria_words()["degree"]["ladder"]
    found = [d for leaf in _leaves(node) if leaf.get("atom") == "degree" for d in leaf["in"] if d in ladder]
    return min(found, key=ladder.index) if found else None


def _leaves(node: Node) -> list[Node]:
    return [node] if "atom" in node else [x for ch in node.get("of", ()) for x in _leaves(ch)]


def _clauses(node: Node) -> set[str]:
    return {leaf["clause"] for leaf in _leaves(node)}


def _compare(name: str, a: Node, b: Node, touched: tuple[set[str], set[str]]) -> list[str]:
    """Words for one group's change; an option added or dropped with its fact is already said there."""
    out = []
    explained = bool(_clauses(a) & touched[0] or _clauses(b) & touched[1])
    if (a["op"], a.get("min", 1)) != (b["op"], b.get("min", 1)):
        out.append(f"{name}: {_rule(a)} → {_rule(b)}")
    elif a["op"] in ("any", "all", "none") and not explained:
        kind = {"any": "可选条件", "all": "必备条件", "none": "不得申报情形"}[a["op"]]
        more = len(b["of"]) - len(a["of"])
        if more:
            count = "一" if abs(more) == 1 else str(abs(more))
            out.append(f"{name}: {'新增' if more > 0 else '减少'}{count}项{kind}")
    if "学历" in name:
        lo_a, lo_b = _lowest_degree(a), _lowest_degree(b)
        if lo_a != lo_b and lo_a and lo_b:
            ladder: list[str] = criteria_words()["degree"]["ladder"]
            if ladder.index(lo_a) < ladder.index(lo_b):
                out.append(f"{name}: {labels.degree(lo_a)}放宽取消")
            else:
                out.append(f"{name}: 放宽到{labels.degree(lo_b)}")
    return out


def _touched(facts: list[Change]) -> tuple[set[str], set[str]]:
    """Clauses of ``a`` and of ``b`` whose facts the fact diff already reports as removed or added."""
    before = {str(c.before["clause"]) for c in facts if isinstance(c.before, dict) and c.before.get("clause")}
    after = {str(c.after["clause"]) for c in facts if isinstance(c.after, dict) and c.after.get("clause")}
    return before, after


def criteria_changes(a: dict[str, Any], b: dict[str, Any], facts: list[Change] | None = None) -> list[Change]:
    """The logic changes from record ``a`` to record ``b``, one Change per sentence."""
    touched = _touched(facts or [])
    if "criteria" not in a or "criteria" not in b:
        return []
    ha, hb = _headings(a["clauses"], {}), _headings(b["clauses"], {})
    routes_a = {_route_name(r): r for r in a["criteria"]["routes"]}
    routes_b = {_route_name(r): r for r in b["criteria"]["routes"]}
    out: list[Change] = []
    order = 0
    for name in routes_a.keys() - routes_b.keys():
        out.append(
            Change("criteria", "removed", routes_a[name]["route"], None, f"取消申报途径：{name}", order)
        )
    for name in routes_b.keys() - routes_a.keys():
        out.append(Change("criteria", "added", None, routes_b[name]["route"], f"新增申报途径：{name}", order))
    for route in [n for n in routes_b if n in routes_a]:
        ga: dict[str, list[Node]] = {}
        gb: dict[str, list[Node]] = {}
        _groups(routes_a[route]["requires"], ha, ga, route)
        _groups(routes_b[route]["requires"], hb, gb, route)
        for name in gb:
            if name not in ga:
                out.append(Change("criteria", "added", None, name, f"{route}: 新增条件组 {name}", order))
                continue
            for x, y in zip(ga[name], gb[name], strict=False):
                for words in _compare(name, x, y, touched):
                    order += 1
                    out.append(Change("criteria", "changed", _rule(x), _rule(y), words, order))
        for name in ga.keys() - gb.keys():
            out.append(Change("criteria", "removed", name, None, f"{route}: 删除条件组 {name}", order))
    return out
