"""The check's result for people: a terminal table, Markdown, or an HTML page an applicant can read."""

from __future__ import annotations

import html
import json
from typing import Any

from pipeline.lexicon import labels


def _route(code: str | None) -> str:
    return (labels.route(code) or "常规申报") if code else "—"


def _verdict(code: str) -> str:
    return labels.name("verdict", code)


def _rows(route: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(status, clause, need, have) for each failed and unknown condition of a route."""
    out = [("未满足", f["clause"], f["need"], f["have"]) for f in route["failed"]]
    out += [("待确认", u["clause"], u["need"], u["have"]) for u in route["unknown"]]
    return out


def table(doc: dict[str, Any]) -> str:
    lines = [f"申报人：{doc['profile']}"]
    for r in doc["results"]:
        lines.append("")
        lines.append(f"{r['title'] or r['record_id']}（{r['source']}）")
        best = f"，按{_route(r['route'])}" if r["route"] else ""
        lines.append(f"  结论：{_verdict(r['verdict'])}{best}")
        if r.get("note"):
            lines.append(f"  说明：{r['note']}")
        for route in r["routes"]:
            lines.append(
                f"  - {_route(route['route'])}（第{route['clause']}条）：{_verdict(route['verdict'])}"
            )
            for status, clause, need, have in _rows(route):
                lines.append(f"      {status} [{clause}] 要求：{need}；本人：{have}")
    return "\n".join(lines) + "\n"


def markdown(doc: dict[str, Any]) -> str:
    lines = [f"# 申报资格核对：{doc['profile']}", ""]
    for r in doc["results"]:
        lines.append(f"## {r['title'] or r['record_id']}")
        lines.append("")
        best = f"（{_route(r['route'])}）" if r["route"] else ""
        lines.append(f"**结论：{_verdict(r['verdict'])}**{best} — `{r['source']}`")
        lines.append("")
        for route in r["routes"]:
            lines.append(
                f"### {_route(route['route'])}（第{route['clause']}条）：{_verdict(route['verdict'])}"
            )
            rows = _rows(route)
            if rows:
                lines += ["", "| 情况 | 条款 | 通知要求 | 本人情况 |", "|---|---|---|---|"]
                lines += [f"| {s} | {c} | {n} | {h} |" for s, c, n, h in rows]
            lines.append("")
    return "\n".join(lines)


_CSS = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.6}"
    ".eligible{color:#060}.possible{color:#a60}.ineligible{color:#a00}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}"
)


def page(doc: dict[str, Any]) -> str:
    e = html.escape
    body = [f"<h1>申报资格核对：{e(doc['profile'])}</h1>"]
    body.append("<p>“待确认”是本人资料未写明、需要对照通知原文自行确认的条件。</p>")
    for r in doc["results"]:
        body.append(f"<h2>{e(r['title'] or r['record_id'])}</h2>")
        best = f"（{e(_route(r['route']))}）" if r["route"] else ""
        body.append(
            f'<p class="{e(r["verdict"])}"><strong>结论：{e(_verdict(r["verdict"]))}</strong>{best}</p>'
        )
        if r.get("note"):
            body.append(f"<p>{e(r['note'])}</p>")
        for route in r["routes"]:
            body.append(
                f'<h3 class="{e(route["verdict"])}">{e(_route(route["route"]))}（第{e(route["clause"])}条）：'
                f"{e(_verdict(route['verdict']))}</h3>"
            )
            rows = _rows(route)
            if rows:
                body.append("<table><tr><th>情况</th><th>条款</th><th>通知要求</th><th>本人情况</th></tr>")
                body += [
                    f"<tr><td>{e(s)}</td><td>{e(c)}</td><td>{e(n)}</td><td>{e(h)}</td></tr>"
                    for s, c, n, h in rows
                ]
                body.append("</table>")
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>申报资格核对</title>'
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def render(doc: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return {"table": table, "md": markdown, "html": page}[fmt](doc)
