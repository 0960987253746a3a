"""Clauses + facts → the criteria tree of a record (contract: ../shared/spec/criteria.md).

The clause tree already says which sentences belong together; what it does not
say is how they combine. The rules here are the ones a careful reader applies:
a section's sentence 符合下列条件之一 makes its list an ``any``; sections of
申报条件 all hold at once; several 任职年限 rows for different degrees are
alternatives; a list item marked 破格, a 高技能人才 section or a 转评 section is a
route of its own. Every ``years`` and printed ``count`` leaf is a fact of the
flat lists, named by its id, so the tree can never disagree with them.
"""

from __future__ import annotations

from typing import Any

from pipeline.criteria import vocab
from pipeline.criteria.flat import flat_sections
from pipeline.criteria.leaves import Reader, clause_sentences, own_text

Node = dict[str, Any]


class _Builder:
    def __init__(self, text: str, clauses: list[dict[str, Any]], facts: dict[str, Any]) -> None:
        self.text = text
        self.byid: dict[str, dict[str, Any]] = {}
        self.parent: dict[str, str | None] = {}
        self._index(clauses, None)
        self.reader = Reader(text, facts, self.parent)
        self.warnings: list[str] = []

    def _index(self, clauses: list[dict[str, Any]], parent: str | None) -> None:
        for c in clauses:
            self.byid[c["id"]] = c
            self.parent[c["id"]] = parent
            self._index(c["children"], c["id"])

    # ---- one clause → one node --------------------------------------------------
    def clause_node(
        self, c: dict[str, Any], item: bool = False, extracted: list[tuple[str, Node]] | None = None
    ) -> Node | None:
        """The condition a clause states, or None when it states none."""
        own = own_text(c)
        if c.get("heading") and vocab.is_info_heading(c["heading"]) and not self.reader.has_facts(c["id"]):
            return None
        nodes = self.reader.sentence_nodes(c, clause_sentences(c, own), item=item and not c["children"])
        relax = [n for n in nodes if n.pop("_relax", False)]
        nodes = [n for n in nodes if n not in relax]
        if c["children"]:
            group = self.list_node(c, own, extracted)
            if group is not None:
                nodes.append(group)
        if not nodes and not relax:
            return None
        main = nodes[0] if len(nodes) == 1 else _group(c, "all", nodes)
        if relax:
            return _group(c, "any", [main, *relax] if nodes else relax)
        return main

    def list_node(self, c: dict[str, Any], own: str, extracted: list[tuple[str, Node]] | None) -> Node | None:
        q = vocab.quantifier(own)
        items: list[Node] = []
        for ch in c["children"]:
            if extracted is not None and "破格" in own_text(ch):
                node = self.clause_node(ch, item=True)
                if node is not None:
                    extracted.append((ch["id"], node))
                continue
            if q is not None and q.op == "none":
                items.extend(self.reader.status_leaves(ch))
                continue
            node = self.clause_node(ch, item=True)
            if node is not None:
                items.append(node)
        if not items:
            return None
        if q is None or q.op == "all":
            return items[0] if len(items) == 1 and q is None else _group(c, "all", items)
        if q.op == "none":
            return _group(c, "none", items)
        group = _group(c, "any", items)
        group["min"] = q.min
        return group

    # ---- the record's routes ----------------------------------------------------
    def condition_roots(self, clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The sections that hold the conditions: 申报条件 at the shallowest depth that has one."""
        level = [c for c in clauses if c["id"] not in ("0", "end")]
        while level:
            hits = [
                c
                for c in level
                if c.get("heading")
                and vocab.is_conditions_heading(c["heading"])
                and not vocab.is_info_heading(c["heading"])
            ]
            if hits:
                return hits
            level = [ch for c in level for ch in c["children"]]
        return []

    def none_lists(self, clauses: list[dict[str, Any]], inside: set[str]) -> list[Node]:
        """不得申报 lists anywhere in the notice: they bar a person from every route."""
        out = []
        for c in self.byid.values():
            if c["id"] in inside:
                continue
            own = own_text(c)
            q = vocab.quantifier(own)
            if q is None or q.op != "none":
                continue
            leaves = [leaf for ch in c["children"] for leaf in self.reader.status_leaves(ch)]
            leaves = leaves or self.reader.status_leaves(c)
            if any(leaf["atom"] == "status" for leaf in leaves):
                out.append(_group(c, "none", leaves))
        return out

    def routes(self, clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
        roots = self.condition_roots(clauses)
        inside = {d for r in roots for d in _descendants(r)}
        bars = self.none_lists(clauses, inside)
        regular: list[Node] = []
        special: list[tuple[str, str | None, dict[str, Any], Node, str | None]] = []
        for root in roots:
            sections = root["children"] or [root]
            q = vocab.quantifier(own_text(root)) if root["children"] else None
            if q is not None and q.op == "any":
                # 学历、资历要求。应符合下列条件之一: the root is one condition, its items the choices
                sections = [root]
            for sec in sections:
                heading = sec.get("heading") or ""
                route = vocab.route_of(heading, own_text(sec))
                extracted: list[tuple[str, Node]] = []
                node = self.clause_node(sec, extracted=extracted if route is None else None)
                if route is not None:
                    if node is None and route[1]:
                        node = self.reader.status_leaf(sec, route[1])
                        route = (route[0], None)
                    if node is not None:
                        special.append((route[0], route[1], sec, node, None))
                    continue
                if node is not None:
                    regular.append(node)
                for cid, item in extracted:
                    special.append(("exceptional", None, self.byid[cid], item, sec["id"]))
        if not roots:
            loose: list[tuple[str, Node]] = []
            regular = flat_sections(self, [c for c in clauses if c["id"] != "end"], self.text, loose)
            special.extend(("exceptional", None, self.byid[cid], node, None) for cid, node in loose)
            if regular:
                whole = {"id": clauses[0]["id"], "span": [0, len(self.text)], "text": self.text}
                roots = [dict(whole, children=[])]
        out: list[dict[str, Any]] = []
        if regular or bars:
            first = roots[0] if roots else None
            of = sorted(bars + regular, key=lambda n: n["span"][0])
            if first is not None and regular:
                out.append(_route("regular", first, _group(first, "all", of), []))
        special.extend(self.stray_routes(special, regular, bars))
        for name, status, sec, node, host in special:
            out.append(self.special_route(name, status, sec, node, host, regular, bars, roots))
        return out

    def stray_routes(
        self,
        special: list[tuple[str, str | None, dict[str, Any], Node, str | None]],
        regular: list[Node],
        bars: list[Node],
    ) -> list[tuple[str, str | None, dict[str, Any], Node, str | None]]:
        """A 转评 or 高技能 rule printed outside 申报条件 (in 申报程序): a route of its own, from its clause."""
        placed = {f for n in regular + bars + [sp[3] for sp in special] for f in _fact_ids(n)}
        statuses = {e["route"]: e.get("status") or None for e in vocab.data()["route"]}
        out: list[tuple[str, str | None, dict[str, Any], Node, str | None]] = []
        done: set[str] = set()
        for f in self.reader.all_years():
            route = f["route"]
            if f["id"] in placed or route in ("regular", "relaxation") or f["clause"] in done:
                continue
            c = self.byid.get(f["clause"])
            node = self.clause_node(c) if c is not None else None
            if c is None or node is None:
                continue
            done.add(c["id"])
            out.append((route, statuses.get(route) if route != "exceptional" else None, c, node, None))
        return out

    def special_route(
        self,
        route: str,
        status: str | None,
        sec: dict[str, Any],
        node: Node,
        host: str | None,
        regular: list[Node],
        bars: list[Node],
        roots: list[dict[str, Any]],
    ) -> dict[str, Any]:
        waives = self.waived(sec, roots)
        members: list[Node] = []
        if status:
            members.append(self.reader.status_leaf(sec, status))
        if node.get("op") == "all" and node["clause"] == sec["id"]:
            node["of"][:0] = members
            members = []
        members.append(node)
        has_refs = _has_refs(node)
        if route == "exceptional" and not has_refs:
            # a 破格 rule that states its own years (不具备上述学历…满5年) replaces the regular rule of
            # degree and years: only the other conditions still hold for it
            own = _atoms(node) & {"years"}
            members.extend(
                {"ref": n["clause"]}
                for n in regular
                if n["clause"] not in waives
                and n["clause"] != host
                and not (own and _atoms(n) & {"years", "degree"})
            )
        members.extend({"ref": b["clause"]} for b in bars)
        if len(members) == 1:
            requires = node
        elif node.get("op") == "all" and node["clause"] == sec["id"]:
            node["of"].extend(members[1:])
            requires = node
        else:
            requires = _group(sec, "all", members)
        return _route(route, sec, requires, waives)

    def waived(self, sec: dict[str, Any], roots: list[dict[str, Any]]) -> list[str]:
        """Sections a 破格 route does not need: 不受学历、资历条件限制 → the 学历 and 资历 sections."""
        m = vocab.compiled("waiver").search(sec["text"])
        if not m:
            return []
        words = [w for w in vocab.data()["waiver"]["words"] if w in m.group("what")]
        out = []
        for root in roots:
            for s in root["children"]:
                heading = s.get("heading") or ""
                if s["id"] != sec["id"] and any(w in heading for w in words):
                    out.append(s["id"])
        return out


def _descendants(c: dict[str, Any]) -> list[str]:
    return [c["id"], *(d for ch in c["children"] for d in _descendants(ch))]


def _atoms(node: Node) -> set[str]:
    return {node["atom"]} if "atom" in node else {a for ch in node.get("of", ()) for a in _atoms(ch)}


def _has_refs(node: Node) -> bool:
    return "ref" in node or any(_has_refs(ch) for ch in node.get("of", ()))


def _group(c: dict[str, Any], op: str, of: list[Node]) -> Node:
    return {"clause": c["id"], "span": list(c["span"]), "text": c["text"], "op": op, "of": of}


def _route(route: str, c: dict[str, Any], requires: Node, waives: list[str]) -> dict[str, Any]:
    return {
        "route": route,
        "clause": c["id"],
        "span": list(c["span"]),
        "waives": waives,
        "requires": requires,
    }


def _assign_ids(routes: list[dict[str, Any]]) -> None:
    """Pre-order: the first node of a clause is named by the clause, the rest ``clause~k``."""
    counters: dict[str, int] = {}

    def visit(node: Node) -> None:
        if "ref" in node:
            return
        c = node["clause"]
        k = counters.get(c)
        node_id = c if k is None else f"{c}~{k}"
        counters[c] = (k or 0) + 1
        node_items = {"id": node_id, **{kk: v for kk, v in node.items() if kk != "id"}}
        node.clear()
        node.update(node_items)
        for ch in node.get("of", ()):
            visit(ch)

    for r in routes:
        visit(r["requires"])


def _resolve_refs(routes: list[dict[str, Any]], warnings: list[str]) -> None:
    """A ``ref`` names a clause; point it at the node that clause stands for, or drop it with a warning."""
    top: dict[str, str] = {}

    def collect(node: Node) -> None:
        if "ref" in node:
            return
        top.setdefault(node["clause"], node["id"])
        for ch in node.get("of", ()):
            collect(ch)

    for r in routes:
        collect(r["requires"])

    def fix(node: Node) -> None:
        kept = []
        for ch in node.get("of", ()):
            if "ref" in ch:
                target = top.get(ch["ref"])
                if target is None:
                    warnings.append(
                        f"criteria: clause {node['clause']} refers to clause {ch['ref']}, which states no condition"
                    )
                    continue
                kept.append({"ref": target})
            else:
                fix(ch)
                kept.append(ch)
        if "of" in node:
            node["of"] = kept

    for r in routes:
        fix(r["requires"])


def _fact_ids(node: Node) -> list[str]:
    own = [node["fact"]] if "fact" in node else []
    return own + [f for ch in node.get("of", ()) for f in _fact_ids(ch)]


def _unplaced(routes: list[dict[str, Any]], facts: dict[str, Any]) -> list[str]:
    """Years and counts of the flat lists that no route holds: said, never silently dropped."""
    placed = {f for r in routes for f in _fact_ids(r["requires"])}
    out = []
    for kind in ("service_years", "requirements"):
        for f in facts.get(kind, []):
            if f["id"] not in placed:
                out.append(
                    f"criteria: {f['id']} (clause {f['clause']}: {f['text'][:30]}) is not placed in any route"
                )
    return out


def build_criteria(
    text: str, clauses: list[dict[str, Any]], facts: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The record's ``criteria`` and what could not be placed in it (as warning lines)."""
    b = _Builder(text, clauses, facts)
    routes = b.routes(clauses)
    _assign_ids(routes)
    _resolve_refs(routes, b.warnings)
    b.warnings.extend(_unplaced(routes, facts))
    return {"routes": routes}, b.warnings
