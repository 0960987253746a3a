"""The comparison matrix as JSON, Markdown and one self-contained HTML page.

Every cell keeps its clause id and sentence in every form: the JSON carries
them, Markdown gives the clause id beside the value (the sentence would make
the table unreadable, so sentences follow as numbered notes), and HTML shows
the clause under the value with the sentence on hover. A cell that differs
from its row's most common value is bold (Markdown) or shaded (HTML).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

from pipeline.compare.matrix import Cell, Matrix

CSS = """
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  margin: 20px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
thead th { background: #f0f0f0; position: sticky; top: 0; }
th.criterion { background: #f7f7f7; position: sticky; left: 0; max-width: 16em; }
td.differs { background: #ffe9b3; font-weight: bold; }
td.blank { background: #fbfbfb; color: #bbb; }
td small { display: block; color: #888; font-weight: normal; }
p.note { color: #555; font-size: 13px; }
nav a { margin-right: 12px; }
section.trend { display: inline-block; vertical-align: top; margin: 0 16px 16px 0; }
table.chart-data { font-size: 12px; }
"""


def to_json(matrix: Matrix) -> str:
    return json.dumps(matrix.to_json(), ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(matrix: Matrix, title: str = "职称评审条件对比") -> str:
    """A pipe table with ``值 [条款]`` cells (differing ones bold), then each cell's sentence once."""
    head = ["条件", *(f"{c.name} {c.series or ''}".strip() for c in matrix.columns)]
    lines = [f"# {title}", "", "| " + " | ".join(_md(h) for h in head) + " |"]
    lines.append("|" + "---|" * len(head))
    sentences: dict[str, int] = {}
    for row in matrix.rows:
        cells = [_md(row.criterion)]
        for i, cell in enumerate(row.cells):
            if cell is None:
                cells.append("")
                continue
            note = sentences.setdefault(cell.text, len(sentences) + 1)
            value = f"**{_md(cell.display)}**" if i in row.differs else _md(cell.display)
            cells.append(f"{value} [{cell.clause}][^{note}]")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "粗体：与该行最常见的值不同；空白：该通知未作规定。", ""]
    lines += [f"[^{n}]: {_md(text)}" for text, n in sentences.items()]
    return "\n".join(lines).rstrip() + "\n"


def _cell_html(cell: Cell | None, differs: bool) -> str:
    if cell is None:
        return '<td class="blank" title="该通知未作规定">—</td>'
    e = html.escape
    cls = ' class="differs"' if differs else ""
    return (
        f'<td{cls} title="{e(cell.text)}" data-clause="{e(cell.clause)}">'
        f"{e(cell.display)}<small>条款 {e(cell.clause)}</small></td>"
    )


def table_html(matrix: Matrix, links: Mapping[str, str] | None = None) -> str:
    """The matrix as an HTML table; ``links``: record id → its review page, for the column headers."""
    e = html.escape
    links = links or {}
    heads = []
    for c in matrix.columns:
        name = f"{e(c.name)}<br><small>{e(c.series or '')}</small>"
        if c.record_id in links:
            name = f'<a href="{e(links[c.record_id])}" title="{e(c.source)}">{name}</a>'
        heads.append(f'<th title="{e(c.source)}">{name}</th>')
    body = []
    for row in matrix.rows:
        cells = "".join(_cell_html(cell, i in row.differs) for i, cell in enumerate(row.cells))
        body.append(f'<tr><th class="criterion">{e(row.criterion)}</th>{cells}</tr>')
    return (
        f'<table class="compare"><thead><tr><th class="criterion">条件</th>{"".join(heads)}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def page(title: str, body: str, nav: str = "") -> str:
    """A whole page with the shared style: no script, font or image from outside the file."""
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
<style>{CSS}</style>
</head>
<body>
{nav}
<h1>{e(title)}</h1>
{body}
</body>
</html>
"""


def to_html(
    matrix: Matrix, title: str = "职称评审条件对比", links: Mapping[str, str] | None = None, nav: str = ""
) -> str:
    note = (
        f'<p class="note">{len(matrix.columns)} 份通知 · {len(matrix.rows)} 项条件。'
        "每格下方是条款编号，鼠标停留显示原文句子；黄色：与该行最常见的值不同；“—”：该通知未作规定。</p>"
    )
    return page(title, note + table_html(matrix, links), nav)


RENDERERS = {"json": to_json, "md": to_markdown, "html": to_html}
