"""Table cases of the wrap rule (load/layout.py): when does a printed line continue the one above?

The geometry is a 公文 page in points: text from x=77 to x=521, 15 pt characters, 公文-style
indented paragraphs. Each case names where it was seen.
"""

from __future__ import annotations

import pytest

from pipeline.load.layout import Line, _is_wrap, _Margins

M = _Margins(left=77.0, right=521.0, indents=True, body_size=15.0)


def _line(text: str, x0: float, x1: float, top: float) -> Line:
    return Line(text, x0, x1, top, top + 15.0, 15.0)


CASES = [
    # (a, b, wraps, where)
    (
        _line("业绩成果、论文、学历（学位）证等材料截止时间为", 79.9, 520.2, 534.0),
        _line("2024年3月31日。", 78.7, 200.0, 559.8),
        True,
        "seed 004 as a colour scan: a date after 为 is its object, not a signature date",
    ),
    (
        _line("申报人员须按要求提交材料，材料截止时间为", 79.9, 470.0, 534.0),
        _line("2024年3月31日。", 78.7, 200.0, 559.8),
        True,
        "a keystoned scan leaves the line three characters shy of the margin",
    ),
    (
        _line("山西省人力资源和社会保障厅办公室关于做好评审工作。", 79.9, 520.2, 534.0),
        _line("2024年3月31日", 78.7, 200.0, 559.8),
        False,
        "a sentence that ended: the date below it starts a block",
    ),
    (
        _line("申报人员须按要求提交材料，材料截止时间", 79.9, 430.0, 534.0),
        _line("另行通知。", 78.7, 150.0, 559.8),
        False,
        "a short line that could end there is a paragraph's end",
    ),
]


@pytest.mark.parametrize(("a", "b", "wraps", "where"), CASES, ids=[c[3][:40] for c in CASES])
def test_wrap(a: Line, b: Line, wraps: bool, where: str) -> None:
    assert _is_wrap(a, b, M, True, 10.6) is wraps, where


def test_an_ocr_title_with_digits_wraps_onto_its_second_line() -> None:
    """Seed 004 as a colour scan: the title's digits make OCR measure it at 1.13× the body."""
    m = _Margins(left=77.0, right=521.0, indents=True, body_size=17.3)
    a = Line("关于报送2024年度数字经济（智能制造）", 90.5, 504.9, 120.0, 140.0, 19.5)
    b = Line("专业高级工程师技术资格评审材料的通知", 101.9, 499.9, 146.0, 166.0, 20.2)
    assert _is_wrap(a, b, m, True, 10.6)
