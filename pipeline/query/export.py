"""Tables → files analysts open: an Excel workbook, Parquet files, or CSV files Excel reads.

Excel guesses a CSV's encoding from the system locale unless the file starts
with a UTF-8 byte-order mark, so CSV is written as ``utf-8-sig``: without it a
Chinese Windows Excel shows mojibake.  The workbook uses Chinese headers (the
English column name is in ``HEADERS`` and in the README; the words are in
``lexicon/labels.toml``) and sizes each column
to its content, CJK characters counting double, so it opens readable.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.lexicon import labels
from pipeline.query.tables import TABLE_NAMES, Tables, table_schemas

if TYPE_CHECKING:
    import pandas as pd

# column → Chinese header for the workbook, for every column of every table (lexicon/labels.toml)
HEADERS: dict[str, str] = {
    name: labels.column(name) for schema in table_schemas().values() for name, _type in schema
}
MAX_WIDTH = 60  # characters; longer cells (the source sentence) wrap instead of widening the sheet


class ExportError(Exception):
    """The target path is not one export understands (must end in .xlsx, .parquet, or /)."""


def export(tables: Tables, target: str) -> list[Path]:
    """Write the tables to ``target`` by its form; returns the files written, in table order."""
    if target.endswith((".xlsx", ".XLSX")):
        return [write_xlsx(tables, Path(target))]
    if target.endswith(".parquet"):
        return write_parquet(tables, Path(target))
    if target.endswith(("/", "\\")) or Path(target).is_dir():
        return write_csv(tables, Path(target))
    raise ExportError(f"{target}: give FILE.xlsx, FILE.parquet or a folder ending in /")


def display_width(value: object) -> int:
    """Columns a value needs in a spreadsheet: wide (CJK, full-width) characters count two."""
    text = "" if value is None else str(value)
    longest = max(
        (
            len(line) + sum(unicodedata.east_asian_width(c) in "WF" for c in line)
            for line in text.splitlines()
        ),
        default=0,
    )
    return longest


def write_xlsx(tables: Tables, path: Path) -> Path:
    """One sheet per table, Chinese headers, header row frozen and filterable, columns sized."""
    import pandas as pd
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in tables.items():
            out = _excel_ready(frame).rename(columns=lambda c: HEADERS.get(c, c))
            out.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            if len(out.columns):
                sheet.auto_filter.ref = sheet.dimensions
            for i, column in enumerate(out.columns, start=1):
                width = max([display_width(column), *(display_width(v) for v in out[column].head(2000))])
                sheet.column_dimensions[get_column_letter(i)].width = min(width, MAX_WIDTH) + 2
                sheet.cell(row=1, column=i).font = Font(bold=True)
                if width > MAX_WIDTH:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return path


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow dates → Python dates, so openpyxl writes real Excel dates rather than text."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.ArrowDtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def write_parquet(tables: Tables, path: Path) -> list[Path]:
    """``x.parquet`` → ``x.notices.parquet``, ``x.clauses.parquet``, … beside it: Parquet holds one table per file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = path.name[: -len(".parquet")]
    written = []
    for name, frame in tables.items():
        target = path.with_name(f"{stem}.{name}.parquet")
        frame.to_parquet(target, index=False)
        written.append(target)
    return written


def write_csv(tables: Tables, folder: Path) -> list[Path]:
    """``folder/<table>.csv`` per table, UTF-8 with BOM so Excel shows the Chinese, English headers for scripts."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        target = folder / f"{name}.csv"
        frame.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        written.append(target)
    return written


__all__ = ["HEADERS", "TABLE_NAMES", "ExportError", "export", "write_csv", "write_parquet", "write_xlsx"]
