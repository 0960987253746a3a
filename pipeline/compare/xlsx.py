"""The comparison matrix as one Excel sheet: criteria down, notices across, sentences as comments.

One sheet so that an analyst can sort and filter it as it is; the header row
and the criterion column are frozen so both stay in view while scrolling; each
cell's sentence and clause id ride along as the cell's comment, so the number
and its source are one hover apart, as on the HTML page. Differing cells are
filled amber, as on the HTML page.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.compare.matrix import Matrix
from pipeline.query.export import display_width

MAX_WIDTH = 40


def write_xlsx(matrix: Matrix, path: Path) -> Path:
    """Write the workbook atomically: a half-written file never takes the name."""
    import os
    import tempfile

    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "条件对比"
    header = ["条件", *(f"{c.name} {c.series or ''}".strip() for c in matrix.columns)]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, col in enumerate(matrix.columns, start=2):
        sheet.cell(row=1, column=i).comment = Comment(f"{col.record_id}\n{col.source}", "zhicheng")
    amber = PatternFill("solid", fgColor="FFE9B3")
    for r, row in enumerate(matrix.rows, start=2):
        sheet.cell(row=r, column=1, value=row.criterion).font = Font(bold=True)
        for c, cell in enumerate(row.cells):
            if cell is None:
                continue
            target = sheet.cell(row=r, column=c + 2, value=cell.display)
            target.comment = Comment(f"条款 {cell.clause}：{cell.text}", "zhicheng", width=320, height=160)
            target.alignment = Alignment(wrap_text=True, vertical="top")
            if c in row.differs:
                target.fill = amber
    sheet.freeze_panes = "B2"
    for i, name in enumerate(header, start=1):
        values = [name, *(sheet.cell(row=r, column=i).value for r in range(2, len(matrix.rows) + 2))]
        width = max(display_width(v) for v in values)
        sheet.column_dimensions[get_column_letter(i)].width = min(width, MAX_WIDTH) + 2
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
