"""Export: the workbook, Parquet and CSV files hold exactly the rows of the tables, readable in Excel."""

from __future__ import annotations

import errno
import importlib
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.query.export import HEADERS, ExportError, display_width, export
from pipeline.query.tables import TABLE_NAMES, Tables, load_records
from tests.conftest import STRUCTURED


@pytest.fixture(scope="module")
def tables() -> Tables:
    return load_records(STRUCTURED)


@pytest.fixture(scope="module")
def workbook(tables: Tables, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "records.xlsx"
    assert export(tables, str(path)) == [path]
    return path


def test_xlsx_has_one_sheet_per_table(workbook: Path) -> None:
    assert load_workbook(workbook, read_only=True).sheetnames == list(TABLE_NAMES)


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_xlsx_round_trips_through_pandas(table: str, tables: Tables, workbook: Path) -> None:
    original = getattr(tables, table)
    # clause ids like "3" are text cells; pandas would guess numbers without the dtype
    back = pd.read_excel(
        workbook, sheet_name=table, engine="openpyxl", dtype={HEADERS["clause"]: str}
    ).rename(columns={v: k for k, v in HEADERS.items()})
    assert list(back.columns) == list(original.columns)
    assert len(back) == len(original)
    for col in ("record_id", "clause", "text"):
        if col in original.columns:
            expected = original[col].astype(object).where(original[col].notna(), None).tolist()
            got = back[col].astype(object).where(back[col].notna(), None).tolist()
            assert got == expected, col


def test_xlsx_headers_are_chinese_and_columns_sized(workbook: Path) -> None:
    sheet = load_workbook(workbook)["requirements"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["记录编号", "省份", "城市", "年度"]
    widths = {
        sheet.cell(row=1, column=i + 1).value: sheet.column_dimensions[chr(ord("A") + i)].width
        for i in range(len(headers))
        if i < 26
    }
    assert widths["城市"] >= display_width("连云港市")  # wide enough for the longest city
    assert widths["年度"] < widths["原文"] <= 62  # short columns stay narrow, long text is capped
    assert sheet.freeze_panes == "A2"


def test_xlsx_dates_are_real_dates(workbook: Path) -> None:
    sheet = load_workbook(workbook)["deadlines"]
    col = [c.value for c in sheet[1]].index("结束日期") + 1
    values = [sheet.cell(row=r, column=col).value for r in range(2, sheet.max_row + 1)]
    assert values and all(hasattr(v, "year") for v in values if v is not None)


def test_csv_has_bom_and_same_rows(tables: Tables, tmp_path: Path) -> None:
    written = export(tables, str(tmp_path) + "/")
    assert [p.name for p in written] == [f"{t}.csv" for t in TABLE_NAMES]
    for path in written:
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf", path.name
        back = pd.read_csv(path, encoding="utf-8-sig")
        assert len(back) == len(getattr(tables, path.stem)), path.name
    assert "忻州市" in (tmp_path / "notices.csv").read_text(encoding="utf-8-sig")


def test_parquet_one_file_per_table_same_rows(tables: Tables, tmp_path: Path) -> None:
    written = export(tables, str(tmp_path / "records.parquet"))
    assert [p.name for p in written] == [f"records.{t}.parquet" for t in TABLE_NAMES]
    for path, (name, frame) in zip(written, tables.items(), strict=True):
        back = pd.read_parquet(path)
        assert len(back) == len(frame) and list(back.columns) == list(frame.columns), name


def test_unknown_target_form_is_refused(tables: Tables, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"give FILE\.xlsx, FILE\.parquet or a folder ending in /"):
        export(tables, str(tmp_path / "records.txt"))


def test_chinese_headers_are_unique() -> None:
    # two columns under one header could not be told apart after a round trip
    assert len(set(HEADERS.values())) == len(HEADERS)


def _disk_fills_on(call: int) -> Callable[..., None]:
    """A writer that writes half a file on its ``call``-th use and then fails as a full disk does."""
    calls = {"n": 0}
    written: list[Path] = []

    def write(self: object, path: object, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if hasattr(path, "write"):  # openpyxl saves into pandas' open handle
            path.write(b"PK\x03\x04 half a zip")
        else:
            assert isinstance(path, (str, os.PathLike))
            Path(path).write_bytes(b"half a file")
            written.append(Path(path))
        if calls["n"] >= call:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    write.written = written  # type: ignore[attr-defined]
    return write


@pytest.mark.parametrize(
    ("target", "patch", "call", "failed"),
    [
        ("out/r.xlsx", "openpyxl.workbook.workbook.Workbook.save", 1, "out/r.xlsx"),
        ("out/r.parquet", "pandas.DataFrame.to_parquet", 3, "out/r.service_years.parquet"),
        ("out/", "pandas.DataFrame.to_csv", 5, "out/deadlines.csv"),
    ],
    ids=["xlsx", "parquet", "csv"],
)
def test_full_disk_is_one_line_and_leaves_nothing_half_written(
    target: str,
    patch: str,
    call: int,
    failed: str,
    tables: Tables,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pipeline.cli import main

    module, cls, method = patch.rsplit(".", 2)
    writer = _disk_fills_on(call)
    monkeypatch.setattr(getattr(importlib.import_module(module), cls), method, writer)
    code = main(["export", "--data", str(STRUCTURED), "--to", f"{tmp_path}/{target}"])
    out, err = capsys.readouterr()
    assert (code, out, err) == (1, "", f"error: {tmp_path / failed}: no space left on device\n")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # no corrupt workbook, no temp files
    if not target.endswith(".xlsx"):  # the half files were really written, beside their targets
        assert len(writer.written) == call  # type: ignore[attr-defined]
        assert all(p.parent == (tmp_path / failed).parent for p in writer.written)  # type: ignore[attr-defined]


def test_a_failed_export_keeps_the_previous_complete_files(
    tables: Tables, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = export(tables, str(tmp_path) + "/")
    before = {p: p.read_bytes() for p in written}
    monkeypatch.setattr(pd.DataFrame, "to_csv", _disk_fills_on(2))
    with pytest.raises(ExportError, match="no space left on device"):
        export(tables, str(tmp_path) + "/")
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_export_under_a_file_names_the_file_in_the_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    blocker = tmp_path / "report"
    blocker.write_text("not a folder")
    target = blocker / "r.xlsx"
    code = main(["export", "--data", str(STRUCTURED), "--to", str(target)])
    assert (code, capsys.readouterr().err) == (1, f"error: {target}: {blocker} is a file, not a folder\n")
    assert sorted(tmp_path.iterdir()) == [blocker]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_export_into_a_read_only_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import main

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code = main(["export", "--data", str(STRUCTURED), "--to", str(folder / "r.xlsx")])
        assert (code, capsys.readouterr().err) == (1, f"error: {folder / 'r.xlsx'}: permission denied\n")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
