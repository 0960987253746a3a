"""Spreadsheets (.xlsx, .xls, .et, .ods) → one line per row, cells joined by `` | ``.

Criteria and fee tables are often published as a workbook attached to the
notice (附件2 评审条件.xls). Each row becomes one line, the way the PDF and Word
readers print a table row, so the extractors read a row of a sheet exactly as
a row of a table in the body. python-calamine (Rust's calamine) reads all four
formats, including the binary BIFF of .xls and of WPS's .et, at some 10× the
speed of openpyxl, and never evaluates formulas: a cell shows its cached value.

A merged range prints its value once in a row (a title spanning five columns
is one cell, not five), but on every row it spans downward, as a Word table's
vertically merged cell does, so a level cell spanning three criteria rows
still names the level of each. Hidden sheets are not part of what was
published: they are skipped with a warning. Dates print as 2024年10月9日,
whole numbers without ``.0``.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pipeline.errors import EncryptedInput, UnreadableInput
from pipeline.load.package import check_unpacked
from pipeline.types import LoadedDocument

MAX_ROWS = 100_000  # a sheet longer than this is a data dump, not a criteria table


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
    if isinstance(value, dt.datetime):
        day = f"{value.year}年{value.month}月{value.day}日"
        return day if (value.hour, value.minute) == (0, 0) else f"{day} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, dt.timedelta):
        return str(value)
    text = "".join(part.strip() for part in str(value).splitlines())  # a wrapped cell is one phrase
    return " ".join(text.split())


def _rows(sheet: Any) -> list[list[str]]:
    grid = [[_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    merged = getattr(sheet, "merged_cell_ranges", None) or []
    for (r0, c0), (r1, c1) in merged:
        value = grid[r0][c0] if r0 < len(grid) and c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                grid[r][c] = value if c == c0 else ""
    return grid


def _format(kind: str, suffix: str) -> str:
    if kind == "xls":
        return "et" if suffix in {".et", ".ett"} else "xls"
    return kind


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    from python_calamine import CalamineWorkbook, PasswordError

    kind = (
        "xls"
        if data.startswith(b"\xd0\xcf\x11\xe0")
        else ("ods" if b"opendocument" in data[:200] else "xlsx")
    )
    if kind != "xls":
        check_unpacked(data, "spreadsheet")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise EncryptedInput("password-protected spreadsheet") from None
    except Exception as exc:  # calamine raises its own error types, and ValueError for a broken file
        raise UnreadableInput(f"damaged spreadsheet ({exc.__class__.__name__})") from None
    lines: list[str] = []
    warnings: list[str] = []
    sheets = []
    for meta in book.sheets_metadata:
        if str(meta.visible).rsplit(".", 1)[-1] != "Visible":
            warnings.append(f"sheet {meta.name}: hidden, not read")
            continue
        try:
            grid = _rows(book.get_sheet_by_name(meta.name))
        except Exception as exc:  # a chart sheet or a damaged one: the others are still read
            warnings.append(f"sheet {meta.name}: cannot be read ({exc.__class__.__name__})")
            continue
        if len(grid) > MAX_ROWS:
            warnings.append(f"sheet {meta.name}: {len(grid)} rows, only the first {MAX_ROWS} read")
            grid = grid[:MAX_ROWS]
        rows = [" | ".join(c for c in row if c) for row in grid]
        if any(rows):
            sheets.append((meta.name, [r for r in rows if r]))
    for name, rows in sheets:
        if len(sheets) > 1:
            lines.append(name)  # which sheet the rows below come from
        lines.extend(rows)
    return LoadedDocument(
        path=path,
        sha256=sha256,
        format=_format(kind, suffix),
        raw_text="\n".join(lines),
        warnings=tuple(warnings),
    )
