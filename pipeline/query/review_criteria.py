"""The criteria tree on the review page, beside the text: each node a link to its sentence.

The page highlights facts; a node's sentence is reached through the highlight that covers the
start of its span (or the first one after it), so every link lands on a ``seg-N`` that exists.
"""

from __future__ import annotations

import bisect
import html
from typing import Any

from pipeline.criteria.describe import need
from pipeline.lexicon import labels


def _op_words(node: dict[str, Any]) -> str:
    words = labels.name("op", node["op"])
    return words.format(n=node.get("min", 1))


def panel(criteria: dict[str, Any] | None, starts: list[int], ends: list[int]) -> str:
    """``<h2>`` and nested lists of the routes; ``starts``/``ends`` are the page's segments in order."""
    e = html.escape

    def target(pos: int) -> int:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and ends[i] > pos:
            return i
        return min(i + 1, len(starts) - 1) if starts else 0

    def item(node: dict[str, Any], negate: bool = False) -> str:
        if "ref" in node:
            return f"<li>同第 {e(node['ref'])} 项条件</li>"
        link = f'<a href="#seg-{target(node["span"][0])}">' if starts else "<a>"
        if "op" in node:
            kids = "".join(item(ch, negate or node["op"] == "none") for ch in node["of"])
            return f"<li>{link}{e(_op_words(node))}</a> <small>条款 {e(node['clause'])}</small><ul>{kids}</ul></li>"
        return f"<li>{link}{e(need(node, negate))}</a> <small>条款 {e(node['clause'])}</small></li>"

    routes = (criteria or {}).get("routes", [])
    if not routes:
        return "<h2>申报条件 Criteria</h2><p>未读出申报条件</p>"
    body = "".join(
        f"<h3>{e(labels.route(r['route']) or '常规申报')}（第{e(r['clause'])}条）</h3><ul>{item(r['requires'])}</ul>"
        for r in routes
    )
    return f"<h2>申报条件 Criteria</h2>{body}"
