"""Tables → files analysts open: an Excel workbook, Parquet files, or CSV files Excel reads.

Excel guesses a CSV's encoding from the system locale unless the file starts
with a UTF-8 byte-order mark, so CSV is written as ``utf-8-sig``: without it a
Chinese Windows Excel shows mojibake.  The workbook uses Chinese headers (the
English column name is in ``HEADERS`` and in the README; the words are in
``lexicon/labels.toml``) and sizes each column
to its content, CJK characters counting double, so it opens readable.

Every file is written to a temporary name in its target folder and renamed
into place only when complete (for Parquet and CSV, only when every table's
file is complete), so a full disk or a killed export never leaves a workbook
Excel calls corrupt; the failure is one ``ExportError`` naming the file and
the reason.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Callable
from functools import partial
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
    """The target is not a form export understands, or a file could not be written (path and reason)."""


def export(tables: Tables, target: str) -> list[Path]:
    """Write the tables to ``target`` by its form; returns the files written, in table order."""
    if target.endswith((".xlsx", ".XLSX")):
        return [write_xlsx(tables, Path(target))]
    if target.endswith(".parquet"):
        return write_parquet(tables, Path(target))
    if target.endswith(("/", "\\")) or Path(target).is_dir():
        return write_csv(tables, Path(target))
    raise ExportError(f"{target}: give FILE.xlsx, FILE.parquet or a folder ending in /")


def os_reason(exc: OSError, target: Path | None = None) -> str:
    """The reason half of an error line: ``no space left on device``, or which parent is a file."""
    if target is not None and isinstance(exc, (FileExistsError, NotADirectoryError)):
        # mkdir/open under a file says "File exists"/"Not a directory"; name the file in the way
        for parent in target.parents:
            if parent.exists():
                if not parent.is_dir():
                    return f"{parent} is a file, not a folder"
                break
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def _make_folder(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{target}: {os_reason(exc, target)}") from None


def write_all(targets: list[tuple[Path, Callable[[Path], None]]]) -> list[Path]:
    """Write each (path, writer) to a temporary file beside it, then rename them all into place.

    All or nothing: if any writer fails (a full disk, no permission), every
    temporary file is removed, no target is touched, and ExportError names the
    file that failed and why.  (Renames within one folder do not need space, so
    the second loop does not fail for the reasons the first one does.)
    """
    done: list[tuple[Path, Path]] = []
    try:
        for target, write in targets:
            _make_folder(target)
            # hidden, and keeping the suffix (pandas picks the Excel writer by it)
            tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp{target.suffix}")
            done.append((tmp, target))
            try:
                write(tmp)
            except OSError as exc:
                raise ExportError(f"{target}: {os_reason(exc, target)}") from None
        for tmp, target in done:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise ExportError(f"{target}: {os_reason(exc, target)}") from None
    except BaseException:
        for tmp, _ in done:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    return [target for target, _ in targets]


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
    write_all([(path, partial(_xlsx, tables))])
    return path


def _xlsx(tables: Tables, path: Path) -> None:
    import pandas as pd
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

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
    stem = path.name[: -len(".parquet")]
    return write_all(
        [
            (path.with_name(f"{stem}.{name}.parquet"), partial(_parquet, frame))
            for name, frame in tables.items()
        ]
    )


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


def write_csv(tables: Tables, folder: Path) -> list[Path]:
    """``folder/<table>.csv`` per table, UTF-8 with BOM so Excel shows the Chinese, English headers for scripts."""
    return write_all([(folder / f"{name}.csv", partial(_csv, frame)) for name, frame in tables.items()])


def _csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


__all__ = [
    "HEADERS",
    "TABLE_NAMES",
    "ExportError",
    "export",
    "os_reason",
    "write_all",
    "write_csv",
    "write_parquet",
    "write_xlsx",
]
