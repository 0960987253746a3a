"""A query result as text: an aligned table that stays aligned with Chinese text, CSV, JSON or JSON lines.

pandas pads by code points, so a column of Chinese drifts against one of ASCII;
here each cell is padded by display width (CJK counts two), the way a terminal
draws it.  Long cells are cut with ``…`` so one sentence cannot wrap the table,
except identifiers (``record_id``, ``record_file``): a user copies those into
``review``, and a cut one names nothing.

``json`` is one JSON document (an array of row objects, one row per line, so it
also reads well in a terminal); ``jsonl`` is one object per line for streaming
tools.  Both write dates as ISO strings and DuckDB decimals as numbers.
"""

from __future__ import annotations

import decimal
import json
import math
from typing import TYPE_CHECKING

from pipeline.query.export import display_width

if TYPE_CHECKING:
    import pandas as pd

MAX_CELL = 40  # display columns
UNCUT = frozenset({"record_id", "record_file"})  # pasted into `review`: never shortened


def format_result(result: pd.DataFrame, form: str) -> str:
    """``result`` in one of the ``query --format`` forms: table, csv, json or jsonl."""
    if form == "csv":
        return str(result.to_csv(index=False, lineterminator="\n"))
    if form in ("json", "jsonl"):
        rows = [json.dumps(row, ensure_ascii=False, allow_nan=False) for row in json_rows(result)]
        if form == "jsonl":
            return "".join(row + "\n" for row in rows)
        return "[\n" + ",\n".join(rows) + "\n]\n" if rows else "[]\n"
    return render_table(result)


def json_rows(result: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as plain JSON values: NULL → null, dates → ISO strings, lists → arrays."""
    plain = result.astype(object).where(result.notna(), None)
    return [{str(k): json_value(v) for k, v in row.items()} for row in plain.to_dict(orient="records")]


def json_value(value: object) -> object:
    """One cell as a JSON value; NaN and infinities (not JSON) become null."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):  # sum() of integers is DECIMAL(38,0) in DuckDB
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    to_list = getattr(value, "tolist", None)  # DuckDB lists arrive as numpy arrays
    if callable(to_list):
        listed = to_list()
        return [json_value(v) for v in listed] if isinstance(listed, list) else json_value(listed)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    iso = getattr(value, "isoformat", None)
    return iso() if callable(iso) else str(value)


def render_table(frame: pd.DataFrame) -> str:
    """Header, a rule, one line per row, and a ``(n rows)`` footer."""
    header = [str(c) for c in frame.columns]
    limits = [None if h in UNCUT else MAX_CELL for h in header]
    body = [
        [_cell(v, limit) for v, limit in zip(row, limits, strict=True)]
        for row in frame.itertuples(index=False, name=None)
    ]
    widths = [max([display_width(h), *(display_width(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = [_line(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_line(r, widths) for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True))


def _cell(value: object, limit: int | None = MAX_CELL) -> str:
    import pandas as pd

    to_list = getattr(value, "tolist", None)
    if callable(to_list):  # DuckDB lists arrive as numpy arrays
        value = to_list()
    if value is None or (not isinstance(value, list) and pd.isna(value)):
        return "NULL"
    text = str(value).replace("\n", " ")
    if limit is None or display_width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch + "…") > limit:
            break
        out += ch
    return out + "…"
