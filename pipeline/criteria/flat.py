"""Excerpts without a 申报条件 heading: the top-level clauses are the conditions, read as runs.

A web excerpt is often a bare list: "具备下列条件之一:" at the end of one
paragraph, then items numbered 1. 2. 3. that the segmenter puts beside it,
not under it. Here a clause whose last sentence is a quantifier ending in a
colon takes the siblings after it as its list, and a clause whose list
sentence stands in a paragraph of its own lends its children to the level
above, where they belong.
"""

from __future__ import annotations

from typing import Any, Protocol

import regex

from pipeline.criteria import vocab
from pipeline.criteria.leaves import own_text

Node = dict[str, Any]
_LAST = regex.compile(r"[^。；;\n]+[：:]\s*$")


class _Builds(Protocol):
    def clause_node(self, c: dict[str, Any], item: bool = False, extracted: Any = None) -> Node | None: ...

    def list_node(self, c: dict[str, Any], own: str, extracted: Any) -> Node | None: ...


def tail_quantifier(text: str) -> vocab.Quantifier | None:
    """The quantifier of a text's last sentence when that sentence introduces a list (ends with a colon)."""
    m = _LAST.search(text.rstrip())
    if not m:
        return None
    return vocab.quantifier(m.group())


def _group(c: dict[str, Any], q: vocab.Quantifier, items: list[Node], text: str) -> Node:
    lo = min(n["span"][0] for n in items)
    hi = max(n["span"][1] for n in items)
    lo = min(lo, c["span"][0])
    node: Node = {"clause": c["id"], "span": [lo, hi], "text": text[lo:hi], "op": q.op, "of": items}
    if q.op == "any":
        node["min"] = q.min
    return node


def flat_sections(
    b: _Builds, sections: list[dict[str, Any]], text: str, extracted: list[tuple[str, Node]]
) -> list[Node]:
    """The conditions of a run of sibling clauses, lists attached to the sentence that announces them.

    A clause marked 破格 is not a condition of the run but a route of its own: it goes to ``extracted``.
    """
    out: list[Node] = []
    sections = [part for c in sections for part in detach_tail(c)]
    i = 0
    while i < len(sections):
        c = sections[i]
        own = own_text(c)
        q = tail_quantifier(own)
        if _detached(c):
            head = b.clause_node(_bare(c))
            if head is not None:
                out.append(head)
            _append_list(b, c, out)
            i += 1
            continue
        if "破格" in own:
            node = b.clause_node(c)
            if node is not None:
                extracted.append((c["id"], node))
            i += 1
            continue
        node = b.clause_node(c, extracted=extracted)
        i += 1
        if q is None or c["children"] or q.op not in ("any", "all"):
            if node is not None:
                out.append(node)
            continue
        items: list[Node] = []
        lends: dict[str, Any] | None = None
        while i < len(sections):
            nxt = sections[i]
            # a sibling that announces a list of its own children is still an item of this run
            # ((二)…满4年,并具备下列条件之一: 1. 2.); one whose list follows it starts a new run
            if tail_quantifier(own_text(nxt)) is not None and (not nxt["children"] or _detached(nxt)):
                if _detached(sections[i]):
                    lends = sections[i]
                    head = b.clause_node(_bare(lends), item=True)
                    if head is not None:
                        items.append(head)
                    i += 1
                break
            item = b.clause_node(sections[i], item=True)
            if item is not None and "破格" in own_text(sections[i]):
                extracted.append((sections[i]["id"], item))
            elif item is not None:
                items.append(item)
            i += 1
        if node is not None:  # the head's own conditions hold beside its list (…5次以上,且…之一:)
            out.append(node)
        if items:
            out.append(_group(c, q, items, text))
        if lends is not None:
            _append_list(b, lends, out)
    return out


# where a list's last item ends: a blank line, or a line that is a heading of its own (专业理论知识要求:)
_TAIL = regex.compile(
    r"\n\s*\n(?!\s*[(（]?[\d一二三四五六七八九十]+[)）.、．])|\n(?=[^\n。；;：:]{2,24}[：:]\s*\n)"
)


def detach_tail(c: dict[str, Any]) -> list[dict[str, Any]]:
    """A section, and what follows the last item of its list when that is no part of the item.

    An unnumbered paragraph after a list's last item is back at the level of the text around
    the list (the segmenter can only hang it on that item): 系统掌握…审计专业理论 after item 2,
    专业理论知识要求: after item 4. It is returned as a section of its own, after this one.
    """
    if not c["children"]:
        return [c]
    path = [c]
    while path[-1]["children"]:
        path.append(path[-1]["children"][-1])
    last = path[-1]
    m = _TAIL.search(last["text"])
    if m is None or not last["text"][m.end() :].strip():
        return [c]
    cut = last["span"][0] + m.start()
    tail_text = last["text"][m.end() :]
    tail = {
        "id": last["id"],
        "label": None,
        "heading": None,
        "children": [],
        "text": tail_text,
        "span": [last["span"][0] + m.end(), last["span"][1]],
    }
    item = dict(last, text=last["text"][: m.start()], span=[last["span"][0], cut])
    for node in reversed(path[:-1]):
        item = dict(
            node,
            children=[*node["children"][:-1], item],
            span=[node["span"][0], cut],
            text=node["text"][: cut - node["span"][0]],
        )
    return [item, tail]


def _detached(c: dict[str, Any]) -> bool:
    """A clause whose list sentence stands in a paragraph of its own, after the clause's own condition."""
    own = own_text(c)
    return bool(c["children"]) and tail_quantifier(own) is not None and "\n\n" in own.strip()


def _bare(c: dict[str, Any]) -> dict[str, Any]:
    own = own_text(c)
    cut = own.rstrip().rfind("\n")
    return dict(c, children=[], text=own[:cut])


def _append_list(b: _Builds, c: dict[str, Any], out: list[Node]) -> None:
    own = own_text(c)
    group = b.list_node(c, own[own.rstrip().rfind("\n") :], None)
    if group is not None:
        out.append(group)
