"""How corrections look on the review page: the mark on a corrected fact, the ``correct`` command
that would change each fact, and the list of the record's corrections with the stale ones first."""

from __future__ import annotations

import html
import json
import re
import shlex
from collections.abc import Mapping
from typing import Any

# the field a correction of each list most often changes: the command shown starts from it
MAIN_FIELD = {
    "service_years": "years",
    "requirements": "min_count",
    "deadlines": "end",
    "fees": "amount",
    "contacts": "phone",
}


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _quote(word: str) -> str:
    """Shell-quoted only when it must be: record ids and Chinese values read better bare."""
    return (
        word
        if re.fullmatch(r"[^\s'\"\\$`!*?;&|<>(){}\[\]#~=%^]+(=[^\s'\"\\$`!*?;&|<>(){}\[\]#~%^]*)?", word)
        else shlex.quote(word)
    )


def command_for(record_id: str, list_name: str, fact: Mapping[str, Any]) -> str | None:
    """``python -m pipeline correct <record id> rq-1a2b3c4d --set min_count=1 --reason "…"``."""
    ident = fact.get("id")
    if not isinstance(ident, str) or list_name not in MAIN_FIELD:
        return None
    key = MAIN_FIELD[list_name]
    assignment = _quote(f"{key}={_value(fact.get(key))}")
    return f'python -m pipeline correct {_quote(record_id)} {ident} --set {assignment} --reason "…"'


def mark(fact: Mapping[str, Any]) -> str:
    """The badge of a corrected fact, its who/when/why in the tooltip; empty for the pipeline's own."""
    c = fact.get("corrected")
    if not isinstance(c, Mapping):
        return ""
    what = "新增" if c.get("added") else "、".join(c.get("fields", []))
    tip = f"{c.get('by')} · {c.get('at')} · {what}: {c.get('reason')}"
    return f' <span class="fixed" title="{html.escape(tip)}">✎ 已更正 {html.escape(what)}</span>'


def section(record: Mapping[str, Any]) -> str:
    """The record's corrections, stale first (they need an analyst), then redundant, then applied."""
    entries = record.get("corrections") or []
    if not entries:
        return ""
    order = {"stale": 0, "redundant": 1, "applied": 2}
    e = html.escape
    items = []
    for c in sorted(entries, key=lambda c: order.get(c.get("status", ""), 3)):
        target = c.get("fact") or c.get("list") or "notice"
        values = ", ".join(f"{k}={_value(v)}" for k, v in (c.get("set") or {}).items())
        why = f" — {e(c['why'])}" if c.get("why") else ""
        items.append(
            f'<li class="{e(c.get("status", ""))}"><b>{e(c.get("status", ""))}</b> {e(c.get("op", ""))} '
            f"{e(target)} {e(values)}{why}<br><small>{e(c.get('by', ''))} · {e(c.get('at', ''))} · "
            f"{e(c.get('reason', ''))}</small></li>"
        )
    stale = sum(c.get("status") == "stale" for c in entries)
    head = (
        f"更正 Corrections（{len(entries)}，{stale} stale）"
        if stale
        else f"更正 Corrections（{len(entries)}）"
    )
    return f'<h2>{head}</h2><ul class="corrections">{"".join(items)}</ul>'


STYLE = """.fixed { background: #fde2f3; color: #8a1460; border-radius: 4px; padding: 0 4px; font-size: 12px; }
code.cmd { display: block; font-size: 11px; color: #666; white-space: pre-wrap; word-break: break-all; }
.corrections li.stale { background: #ffe3e3; } .corrections li.redundant { color: #777; }"""
