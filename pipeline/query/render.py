"""A query result as an aligned text table that stays aligned with Chinese text.

pandas pads by code points, so a column of Chinese drifts against one of ASCII;
here each cell is padded by display width (CJK counts two), the way a terminal
draws it.  Long cells are cut with ``…`` so one sentence cannot wrap the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.query.export import display_width

if TYPE_CHECKING:
    import pandas as pd

MAX_CELL = 40  # display columns


def render_table(frame: pd.DataFrame) -> str:
    """Header, a rule, one line per row, and a ``(n rows)`` footer."""
    header = [str(c) for c in frame.columns]
    body = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    widths = [max([display_width(h), *(display_width(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = [_line(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_line(r, widths) for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True))


def _cell(value: object) -> str:
    import pandas as pd

    to_list = getattr(value, "tolist", None)
    if callable(to_list):  # DuckDB lists arrive as numpy arrays
        value = to_list()
    if value is None or (not isinstance(value, list) and pd.isna(value)):
        return "NULL"
    text = str(value).replace("\n", " ")
    if display_width(text) <= MAX_CELL:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch + "…") > MAX_CELL:
            break
        out += ch
    return out + "…"
