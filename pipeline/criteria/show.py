"""The criteria tree as indented lines: for a terminal, the review page and test failure messages."""

from __future__ import annotations

from typing import Any

from pipeline.lexicon import labels

_SKIP = frozenset({"id", "clause", "span", "text", "atom", "fact"})


def leaf_words(node: dict[str, Any]) -> str:
    """One leaf in a line: its atom and the values that say what it asks."""
    values = {k: v for k, v in node.items() if k not in _SKIP and v not in (None, False)}
    return f"{node['atom']} " + " ".join(f"{k}={v}" for k, v in values.items())


def lines(node: dict[str, Any], depth: int = 0) -> list[str]:
    pad = "  " * depth
    if "ref" in node:
        return [f"{pad}→ {node['ref']}"]
    if "op" in node:
        head = f"{pad}{node['id']} {node['op']}" + (f"({node['min']})" if node.get("min", 1) != 1 else "")
        return [head, *(line for ch in node["of"] for line in lines(ch, depth + 1))]
    return [f"{pad}{node['id']} {leaf_words(node)}"]


def render(criteria: dict[str, Any]) -> str:
    out = []
    for r in criteria["routes"]:
        waives = f" waives {','.join(r['waives'])}" if r["waives"] else ""
        out.append(f"route {r['route']} ({labels.route(r['route']) or '常规'}) clause {r['clause']}{waives}")
        out.extend(lines(r["requires"], 1))
    return "\n".join(out)
