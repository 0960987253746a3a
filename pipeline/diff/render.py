"""DiffResult → Markdown, JSON or one self-contained HTML page.

All three read the same ``DiffResult`` in the same order, so they never
disagree; none of them looks at a clock, a locale or a dict's accidental
order, so the same pair of records always renders byte-identically.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Sequence

from pipeline.diff.model import SECTION_TITLES, ClauseDiff, ClauseRef, DiffResult, Segment, Side

MARK = {"changed": "~", "removed": "−", "added": "+"}
STATUS_ZH = {"changed": "修改", "removed": "删除", "added": "新增", "unchanged": "未变"}
# added/removed clause text in Markdown is cut here; the HTML page shows it whole
MD_EXCERPT = 160


def to_json(result: DiffResult) -> str:
    """The issue's JSON shape, keys in a fixed order, UTF-8, trailing newline."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def _ref_name(ref: ClauseRef) -> str:
    return f"{ref.id} {ref.label or ''}{ref.heading or ''}".strip()


def _clause_title(c: ClauseDiff) -> str:
    if c.a and c.b:
        return _ref_name(c.a) if c.a.id == c.b.id else f"{_ref_name(c.a)} → {_ref_name(c.b)}"
    ref = c.a or c.b
    assert ref is not None
    return _ref_name(ref)


def _body(ref: ClauseRef) -> str:
    from pipeline.diff.clauses import body

    return body(ref)


def runs(clauses: Sequence[ClauseDiff]) -> Iterator[ClauseDiff | list[ClauseDiff]]:
    """Clause diffs with each run of unchanged clauses gathered into one list (to fold)."""
    run: list[ClauseDiff] = []
    for c in clauses:
        if c.status == "unchanged":
            run.append(c)
            continue
        if run:
            yield run
            run = []
        yield c
    if run:
        yield run


def _counts(result: DiffResult) -> str:
    n = {s: sum(1 for c in result.clauses if c.status == s) for s in STATUS_ZH}
    return f"修改 {n['changed']} 条，删除 {n['removed']} 条，新增 {n['added']} 条，未变 {n['unchanged']} 条（已折叠）"


def _side_rows(a: Side, b: Side) -> list[tuple[str, str, str]]:
    return [
        ("通知", a.title or "", b.title or ""),
        ("地区/年度/系列", a.name, b.name),
        ("文号", "、".join(a.doc_numbers), "、".join(b.doc_numbers)),
        ("来源", a.source or "", b.source or ""),
    ]


# ---------------------------------------------------------------- Markdown


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _md_inline(segments: Sequence[Segment]) -> str:
    out = []
    for s in segments:
        if s.op == "equal":
            out.append(s.a)
            continue
        if s.a:
            out.append(f"~~{s.a}~~")
        if s.b:
            out.append(f"**{s.b}**")
    return "".join(out)


def _excerpt(text: str) -> str:
    return text if len(text) <= MD_EXCERPT else text[:MD_EXCERPT] + "…"


def to_markdown(result: DiffResult) -> str:
    """A report for a terminal or a wiki: header table, changes by section, then the redline."""
    a, b = result.a, result.b
    lines = [f"# 职称评审通知对比：{a.name} → {b.name}", "", "| | A | B |", "| --- | --- | --- |"]
    lines += [f"| {k} | {_md_cell(x)} | {_md_cell(y)} |" for k, x, y in _side_rows(a, b)]
    lines += ["", f"## 语义变化（{len(result.changes)} 项）", ""]
    if not result.changes:
        lines += ["无变化。", ""]
    for section, changes in result.by_section():
        lines += [f"### {SECTION_TITLES[section]}", ""]
        lines += [f"- {MARK[c.change]} {c.summary}" for c in changes]
        lines.append("")
    lines += ["## 条款对照", "", _counts(result) + "。删除线为 A 有 B 无，粗体为 B 新增。", ""]
    for item in runs(result.clauses):
        if isinstance(item, list):
            lines += [
                f"*…{len(item)} 条未变（{item[0].a.id if item[0].a else ''}–{item[-1].a.id if item[-1].a else ''}）…*",
                "",
            ]
            continue
        lines += [f"#### {STATUS_ZH[item.status]} {_clause_title(item)}", ""]
        if item.status == "changed":
            lines += [_md_inline(item.segments), ""]
        else:
            ref = item.a or item.b
            assert ref is not None
            lines += ["> " + _excerpt(_body(ref)), ""]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:0 auto;max-width:1280px;padding:16px 24px;color:#1f2328;line-height:1.6;background:#fff}
h1{font-size:22px;margin:8px 0 12px}h2{font-size:18px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
h3{font-size:15px;margin:14px 0 4px}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border:1px solid #d0d7de;padding:6px 8px;vertical-align:top;text-align:left;word-break:break-all}
th{background:#f6f8fa}
ul.changes{margin:4px 0 8px;padding-left:20px}
li.changed::marker{content:"~ ";color:#9a6700}li.removed::marker{content:"− ";color:#cf222e}
li.added::marker{content:"+ ";color:#1a7f37}
del{background:#ffebe9;color:#82071e}ins{background:#dafbe1;color:#116329;text-decoration:none}
tr.removed td.a{background:#fff5f5}tr.added td.b{background:#f0fff4}
td.id{width:0;white-space:nowrap;color:#57606a;font-size:12px}
.tag{font-size:12px;color:#57606a}
details summary{cursor:pointer;color:#57606a}
.clausetext{white-space:pre-wrap}
"""


def _h(s: str | None) -> str:
    return html.escape(s or "", quote=True)


def _html_inline(segments: Sequence[Segment], side: str) -> str:
    out = []
    for s in segments:
        if s.op == "equal":
            out.append(_h(s.a))
        elif side == "a" and s.a:
            out.append(f"<del>{_h(s.a)}</del>")
        elif side == "b" and s.b:
            out.append(f"<ins>{_h(s.b)}</ins>")
    return "".join(out)


def _cell(ref: ClauseRef | None, content: str, cls: str) -> str:
    if ref is None:
        return f'<td class="{cls}"></td>'
    return f'<td class="{cls}"><div class="tag">{_h(_ref_name(ref))}</div><div class="clausetext">{content}</div></td>'


def _html_row(c: ClauseDiff) -> str:
    if c.status == "changed":
        left = _cell(c.a, _html_inline(c.segments, "a"), "a")
        right = _cell(c.b, _html_inline(c.segments, "b"), "b")
    else:
        left = _cell(c.a, _h(_body(c.a)) if c.a else "", "a")
        right = _cell(c.b, _h(_body(c.b)) if c.b else "", "b")
    return f'<tr class="{c.status}">{left}{right}</tr>'


def _html_fold(run: list[ClauseDiff]) -> str:
    inner = "".join(
        f'<p><span class="tag">{_h(_ref_name(c.a))}</span> {_h(_body(c.a))}</p>'
        for c in run
        if c.a is not None
    )
    return f'<tr class="unchanged"><td colspan="2"><details><summary>{len(run)} 条未变（点击展开）</summary>{inner}</details></td></tr>'


def to_html(result: DiffResult) -> str:
    """One page, no scripts or network: summary on top, side-by-side redline below."""
    a, b = result.a, result.b
    head_rows = "".join(
        f"<tr><th>{_h(k)}</th><td>{_h(x)}</td><td>{_h(y)}</td></tr>" for k, x, y in _side_rows(a, b)
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>职称评审通知对比：{_h(a.name)} → {_h(b.name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<h1 id="title">职称评审通知对比：{_h(a.name)} → {_h(b.name)}</h1>',
        f'<table class="sides"><tr><th style="width:120px"></th><th>A</th><th>B</th></tr>{head_rows}</table>',
        f'<h2 id="changes">语义变化（{len(result.changes)} 项）</h2>',
    ]
    if not result.changes:
        parts.append("<p>无变化。</p>")
    for section, changes in result.by_section():
        parts.append(
            f'<h3 class="section" data-section="{section}">{_h(SECTION_TITLES[section])}</h3><ul class="changes">'
        )
        parts += [f'<li class="{c.change}">{_h(c.summary)}</li>' for c in changes]
        parts.append("</ul>")
    parts += [
        '<h2 id="clauses">条款对照</h2>',
        f"<p>{_h(_counts(result))}</p>",
        f'<table class="redline"><tr><th>A：{_h(a.name)}</th><th>B：{_h(b.name)}</th></tr>',
    ]
    for item in runs(result.clauses):
        parts.append(_html_fold(item) if isinstance(item, list) else _html_row(item))
    parts += ["</table>", "</body></html>"]
    return "\n".join(parts) + "\n"


RENDERERS = {"md": to_markdown, "json": to_json, "html": to_html}


def render(result: DiffResult, fmt: str = "md") -> str:
    """Dispatch on the CLI's ``--format`` value."""
    return RENDERERS[fmt](result)
