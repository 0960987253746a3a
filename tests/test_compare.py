"""The comparison matrix: criteria matched by meaning across notices, every cell with its source."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.compare.matrix import Matrix, build, select
from pipeline.records import load_folder
from tests.conftest import STRUCTURED


def matrix_of(data: Path, **filters: object) -> Matrix:
    return build(select((r for _, r in load_folder(data).records), **filters))  # type: ignore[arg-type]


def row(matrix: Matrix, criterion: str) -> list[object]:
    (found,) = [r for r in matrix.rows if r.criterion == criterion]
    return [c.value if c else None for c in found.cells]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape_is_the_issues(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "compare", "--data", str(STRUCTURED), "--format", "json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"columns", "rows"}
    assert [c["city"] for c in data["columns"]] == ["忻州市", "连云港市"]  # by province name: 山西省, 江苏省
    assert all(
        set(c) == {"record_id", "province", "city", "year", "series", "source"} for c in data["columns"]
    )
    for r in data["rows"]:
        assert set(r) == {"criterion", "cells", "differs"} and len(r["cells"]) == 2
        for cell in r["cells"]:
            assert cell is None or set(cell) == {"value", "display", "clause", "text"}
    (patent,) = [r for r in data["rows"] if r["criterion"] == "发明专利（业绩成果条件）"]
    assert patent["cells"][0] == {
        "value": 1,
        "display": "1项以上",
        "clause": "3.5.4",
        "text": patent["cells"][0]["text"],
    }
    assert "发明专利" in patent["cells"][0]["text"] and patent["cells"][1] is None


def test_every_cell_quotes_its_notice() -> None:
    records = {r["record_id"]: r for _, r in load_folder(STRUCTURED).records}
    matrix = matrix_of(STRUCTURED)
    for r in matrix.rows:
        for col, cell in zip(matrix.columns, r.cells, strict=True):
            if cell is not None:
                assert cell.text and cell.text in records[col.record_id]["text"], r.criterion


def test_rows_match_by_meaning_not_by_clause_or_heading() -> None:
    matrix = matrix_of(STRUCTURED)
    # the two cities file 博士 under different clauses; 著作 under different group headings
    assert row(matrix, "博士·任现职称年限") == [2, 2]
    books = next(r for r in matrix.rows if r.criterion == "著作（学术技术条件）")
    assert [c.clause for c in books.cells if c] == ["3.6.3", "2.6.1"]
    assert books.differs == ()  # same value, named differently: not a difference
    assert books.cells[1] is not None and books.cells[1].display.startswith("著作（论文、著作要求）：")
    # a 破格 threshold never shares a row with a regular one
    for r in matrix.rows:
        names = {c.display.split("：")[0] for c in r.cells if c and "：" in c.display}
        assert ("破格" in r.criterion) == all("破格" in n for n in names | {r.criterion}), r.criterion


def test_differs_marks_cells_off_the_most_common_value(demo_records: Path) -> None:
    matrix = matrix_of(demo_records, place="忻州市")
    assert [c.year for c in matrix.columns] == [2020, 2021, 2022, 2023, 2024]
    assert row(matrix, "实用新型专利（业绩成果条件）") == [2, 2, 3, 3, 3]
    for r in matrix.rows:
        plain = [c.plain for c in r.cells if c]
        usual = Counter(plain).most_common(1)[0][0]
        assert list(r.differs) == [i for i, c in enumerate(r.cells) if c and c.plain != usual]
    (utility,) = [r for r in matrix.rows if r.criterion == "实用新型专利（业绩成果条件）"]
    assert utility.differs == (0, 1)


def test_year_compares_places_and_blanks_where_a_notice_is_silent(demo_records: Path) -> None:
    matrix = matrix_of(demo_records, year=2024, series="工程系列", level="高级工程师")
    assert [c.province for c in matrix.columns] == ["山西省"] * 3 + ["江苏省"] * 3
    assert {c.year for c in matrix.columns} == {2024}
    fee = [r for r in matrix.rows if r.section == "fees"]
    assert fee and all(c is None for c in fee[0].cells[:3]) and all(fee[0].cells[3:])


def test_markdown_bolds_differences_and_keeps_sentences(
    demo_records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "compare", "--data", str(demo_records), "--place", "忻州市", "--format", "md")
    assert code == 0 and out.startswith("# 职称评审条件对比 · 忻州市\n")
    line = next(x for x in out.splitlines() if x.startswith("| 实用新型专利（业绩成果条件） |"))
    assert line.count("**2项以上**") == 2 and line.count("3项以上 [3.5.4]") == 3
    assert "[^1]: " in out


def test_xlsx_one_sheet_frozen_header_sentences_as_comments(demo_records: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp.xlsx"
    assert (
        main(
            [
                "compare",
                "--data",
                str(demo_records),
                "--place",
                "忻州市",
                "--format",
                "xlsx",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    wb = load_workbook(out)
    assert wb.sheetnames == ["条件对比"]
    sheet = wb["条件对比"]
    assert sheet.freeze_panes == "B2"
    assert [c.value for c in sheet[1]] == ["条件", *(f"忻州市 {y} 工程系列" for y in range(2020, 2025))]
    r = next(
        i
        for i in range(2, sheet.max_row + 1)
        if sheet.cell(row=i, column=1).value == "发明专利（业绩成果条件）"
    )
    cell = sheet.cell(row=r, column=2)
    assert cell.value == "1项以上" and cell.comment is not None
    assert cell.comment.text.startswith("条款 3.5.4：") and "发明专利" in cell.comment.text


def test_html_has_clause_and_sentence_behind_every_cell(demo_records: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp.html"
    assert (
        main(
            ["compare", "--data", str(demo_records), "--year", "2024", "--format", "html", "--out", str(out)]
        )
        == 0
    )
    page = out.read_text(encoding="utf-8")
    assert page.count('data-clause="') == page.count("<small>条款 ") > 100
    assert 'class="differs"' in page and "<script" not in page


def test_clear_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "compare", "--data", str(STRUCTURED), "--year", "1999")
    assert (code, err) == (1, f"error: {STRUCTURED}: no records match 1999年度\n")
    code, _, err = run(capsys, "compare", "--data", str(STRUCTURED), "--format", "xlsx")
    assert (code, err) == (2, "error: --format xlsx writes a workbook: give --out FILE.xlsx\n")
    code, _, err = run(capsys, "compare", "--data", str(tmp_path / "none"))
    assert code == 1 and err.startswith(f"error: {tmp_path / 'none'}: no such folder")


@pytest.mark.parametrize("form", ["md", "html", "json", "xlsx"])
def test_committed_records_in_every_format(form: str, tmp_path: Path) -> None:
    out = tmp_path / f"cmp.{form}"
    assert main(["compare", "--data", str(STRUCTURED), "--format", form, "--out", str(out)]) == 0
    if form == "xlsx":
        sheet = load_workbook(out)["条件对比"]
        assert sheet.max_column == 3 and sheet.max_row > 40
    else:
        text = out.read_text(encoding="utf-8")
        assert "博士·任现职称年限" in text and "连云港市" in text
