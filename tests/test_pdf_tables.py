"""The PDFium table reader (pipeline/load/pdf_tables.py) against pdfplumber's ``find_tables``.

pdfplumber is the reference: on every page of every table PDF at hand — the
committed fixtures, the pages of tests/pdf_table_factory.py (merged cells, inner
rules only, thin filled rectangles, line segments, a ruled box that is no table,
dashes, a rounded frame, a 斜线表头, a scaled form XObject, fake bold) and
LibreOffice's export of Word tables — the fast reader either gives the same
tables, rows, cells and loader lines, or says it cannot decide (and the loader
asks pdfplumber). The pages it may not decide
are named, so a change that sends more pages to pdfplumber fails here too.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.load import load, pdf_lines, pdf_tables
from pipeline.load import pdf as pdf_loader
from tests import pdf_table_factory as factory

FIXTURES = Path(__file__).parent / "fixtures/formats"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# left to pdfplumber: curves along the grid; a fake-bold copy PDFium leaves out of the text
UNDECIDED = {"rounded_frame.pdf", "fake_bold_table.pdf"}


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, abs_tol=1e-3)  # PDFium's single floats against pdfminer's doubles


def _same_tables(ours: list[pdf_tables.Table], ref: list[pdf_tables.Table]) -> bool:
    return len(ours) == len(ref) and all(
        all(map(_close, a.bbox, b.bbox))
        and len(a.rows) == len(b.rows)
        and all(
            ra.cells == rb.cells and _close(ra.top, rb.top) and _close(ra.bottom, rb.bottom)
            for ra, rb in zip(a.rows, b.rows, strict=True)
        )
        for a, b in zip(ours, ref, strict=True)
    )


def _same_lines(ours: list[Any], ref: list[Any]) -> bool:
    return len(ours) == len(ref) and all(
        a.text == b.text
        and a.keep == b.keep
        and all(map(_close, (a.x0, a.top, a.bottom), (b.x0, b.top, b.bottom)))
        for a, b in zip(ours, ref, strict=True)
    )


def compare(path: Path) -> tuple[int, int, list[int]]:
    """Both readers on every page of ``path``: (pages, tables found, pages left undecided).

    Asserts identical tables and lines wherever the fast reader decides.
    """
    import pdfplumber
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    tables, undecided = 0, []
    with pdfplumber.open(path) as plumber:
        for index, page in enumerate(doc):
            height = page.get_size()[1]
            textpage = page.get_textpage()
            ours = pdf_tables.find_tables(page, textpage, height)
            ref = pdf_loader._plumber_tables(plumber.pages[index])
            if ours is None:
                undecided.append(index)
                continue
            assert _same_tables(ours, ref), (path.name, index, ours, ref)
            lines = pdf_lines.lines(pdf_lines.chars(textpage, height))
            got, want = pdf_loader._with_tables(lines, ours), pdf_loader._with_tables(lines, ref)
            assert _same_lines(got, want), (path.name, index, got, want)
            tables += len(ours)
    pages = len(doc)
    doc.close()
    return pages, tables, undecided


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("tables")
    paths = []
    for name, make in factory.FPDF_PAGES.items():
        paths.append(out / f"{name}.pdf")
        paths[-1].write_bytes(make())
    return paths


def test_fixtures_read_as_pdfplumber_reads_them() -> None:
    files = sorted(p for p in FIXTURES.glob("*.pdf") if p.name != "encrypted.pdf")
    results = {p.name: compare(p) for p in files}
    assert results["fee_table.pdf"] == (1, 1, [])
    assert all(not undecided for _, _, undecided in results.values())


def test_made_tables_read_as_pdfplumber_reads_them(made: list[Path]) -> None:
    results = {p.name: compare(p) for p in made}
    assert {name for name, (_, _, undecided) in results.items() if undecided} == UNDECIDED
    found = {name: tables for name, (_, tables, undecided) in results.items() if not undecided}
    assert found == {
        "merged_cells.pdf": 1,
        "inner_rules_only.pdf": 0,  # without the frame the inner rules close one cell: no table
        "thin_rectangles.pdf": 1,
        "line_grid.pdf": 1,
        "ruled_box.pdf": 0,  # one box is one cell, and a table needs two
        "dashed_rules.pdf": 1,
        "form_table.pdf": 2,
        "diagonal_header.pdf": 1,
    }


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: run `make office`")
def test_word_tables_read_as_pdfplumber_reads_them(tmp_path: Path) -> None:
    (path,) = factory.office_pdfs(str(SOFFICE), tmp_path)
    assert compare(path) == (1, 3, [])


def test_merged_cells_once_then_none(made: list[Path]) -> None:
    """A merged cell's text once, ``None`` in the slots it covers, as pdfplumber gives them."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(next(p for p in made if p.name == "merged_cells.pdf"))[0]
    (table,) = pdf_tables.find_tables(page, page.get_textpage(), page.get_size()[1]) or []
    cells = [row.cells for row in table.rows]
    assert cells[0] == ("系列", "评审条件", None, "备注")
    assert cells[1][0] == "工程" and cells[2][0] is None
    assert cells[3] == ("合计 total", None, None, None)


def test_loader_needs_no_pdfplumber_for_a_table_it_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes) -> Any:
        raise AssertionError("pdfplumber opened")

    monkeypatch.setattr(pdf_loader, "_plumber", refuse)
    assert "评审费 | 每人400元 | 含面试答辩" in load(FIXTURES / "fee_table.pdf").raw_text.splitlines()


def test_loader_falls_back_to_pdfplumber_where_undecided(
    made: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[bytes] = []
    real = pdf_loader._plumber

    def counting(data: bytes) -> Any:
        opened.append(data)
        return real(data)

    monkeypatch.setattr(pdf_loader, "_plumber", counting)
    lines = load(next(p for p in made if p.name == "rounded_frame.pdf")).raw_text.splitlines()
    assert opened and "评审费 | 400元" in lines
