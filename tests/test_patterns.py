"""The shared text pieces: a table of cases for each (patterns.py)."""

from __future__ import annotations

import pytest

from pipeline.patterns import (
    EDGE_PAGE_NUMBER,
    PAGE_NUMBER_LINE,
    PHRASE_DELIMS,
    SENTENCE,
    STARTS_BLOCK,
    cells,
    cells_above,
    cn_to_int,
    grade_level,
    line_end,
    line_start,
    lines_above,
    office_suffix,
    org_suffix,
    part_end,
    part_start,
    row_level,
)
from pipeline.patterns import P as compiled


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("任工程师满5年。发表论文2篇；获奖1项", ["任工程师满5年", "发表论文2篇", "获奖1项"]),
        ("请按时报送！逾期不予受理？", ["请按时报送", "逾期不予受理"]),
        ("甲;乙!丙?丁\n戊", ["甲", "乙", "丙", "丁", "戊"]),
        ("职称评审范围和对象? 答:在我区工作满1年", ["职称评审范围和对象", " 答:在我区工作满1年"]),
        # inside a word: a URL's query, a scrape's glyph residue (或?qū)W士 for 或学士)
        ("见index.html?id=5页;或?qū)W士学位", ["见index.html?id=5页", "或?qū)W士学位"]),
        ("不分句，逗号不算", ["不分句，逗号不算"]),
    ],
)
def test_sentence(text: str, sentences: list[str]) -> None:
    assert [m.group(0) for m in SENTENCE.finditer(text)] == sentences


@pytest.mark.parametrize(
    ("text", "pos", "start", "end"),
    [
        ("本科学历，取得中级职称后，从事专业技术工作满5年", 23, 13, 24),
        ("没有逗号的句子", 3, 0, 7),
        ("a,b，c", 5, 4, 5),
    ],
)
def test_comma_part(text: str, pos: int, start: int, end: int) -> None:
    assert part_start(text, 0, pos) == start
    assert part_end(text, pos, len(text)) == end


@pytest.mark.parametrize(
    ("text", "pos", "start"),
    [
        ("收费标准：评审费300元", 8, 5),
        ("其中，至少1篇", 6, 3),
        ("前一句。后一句", 6, 4),
    ],
)
def test_phrase_start(text: str, pos: int, start: int) -> None:
    assert part_start(text, 0, pos, PHRASE_DELIMS) == start


def test_part_start_never_before_its_bound() -> None:
    assert part_start("a，bc，d", 3, 4) == 3


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ("| 高级 | 500元 |", ["高级", "500元"]),
        ("高级\t500元", ["高级", "500元"]),
        ("a||b", ["a", "", "b"]),
        ("一个单元格", ["一个单元格"]),
    ],
)
def test_cells(line: str, row: list[str]) -> None:
    assert cells(line) == row


def test_lines_above_nearest_first_blank_lines_included() -> None:
    text = "first\n\nsecond\nthird\nhere"
    pos = text.index("here") + 2
    assert [text[a:b] for a, b in lines_above(text, pos)] == ["third", "second", "", "first"]
    assert [line for _, _, line in cells_above(text, pos, 3)] == ["third", "second", "first"]
    assert list(lines_above(text, 2)) == []


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("两", 2),
        ("一百二十", 120),
        ("〇", 0),
    ],
)
def test_cn_to_int(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize("not_numeral", ["", "五年", "abc"])
def test_cn_to_int_refuses(not_numeral: str) -> None:
    assert cn_to_int(not_numeral) is None


@pytest.mark.parametrize(
    ("name", "is_org"),
    [
        ("忻州市人力资源和社会保障局", True),
        ("湖南省职称改革工作领导小组", True),
        ("某某科技有限公司", True),
        ("专业技术人员管理处", True),
        ("湖南省人民政府", True),
        ("申报条件", False),
        ("2024年", False),
    ],
)
def test_org_suffix(name: str, is_org: bool) -> None:
    assert bool(compiled(f"(?:{org_suffix()})$").search(name)) is is_org


@pytest.mark.parametrize(("office", "ok"), [("人事处", True), ("办公室", True), ("评审委员会", False)])
def test_office_suffix(office: str, ok: bool) -> None:
    assert bool(compiled(f"(?:{office_suffix()})$").search(office)) is ok


@pytest.mark.parametrize(
    ("cell", "grade", "row"),
    [("正高级", True, True), ("中级", True, True), ("高级工程师", False, True), ("本科及以上", False, False)],
)
def test_levels(cell: str, grade: bool, row: bool) -> None:
    assert bool(grade_level().fullmatch(cell)) is grade
    assert bool(row_level().fullmatch(cell)) is row


@pytest.mark.parametrize(
    ("line", "anywhere", "at_edge"),
    [
        ("— 3 —", True, True),
        ("第3页，共10页", True, True),
        ("第 3 页 共 10 页", True, True),
        ("3/10", True, True),
        ("3", False, True),
        ("Page 2 of 5", False, True),
        ("第三章 附则", False, False),
        ("3年以上", False, False),
    ],
)
def test_page_number(line: str, anywhere: bool, at_edge: bool) -> None:
    assert bool(PAGE_NUMBER_LINE.fullmatch(line)) is anywhere
    assert bool(EDGE_PAGE_NUMBER.match(line)) is at_edge


@pytest.mark.parametrize(
    ("line", "starts"),
    [
        ("一、申报条件", True),
        ("（二）学历要求", True),
        ("3. 材料", True),
        ("①论文", True),
        ("第三章 附则", True),
        ("附件：申报表", True),
        ("联系人：张三", True),
        ("抄报：省人社厅", True),
        ("2024年5月6日", True),
        ("2.5万元", False),
        ("申报人员须于", False),
    ],
)
def test_starts_block(line: str, starts: bool) -> None:
    assert bool(STARTS_BLOCK.match(line)) is starts


@pytest.mark.parametrize(
    ("text", "pos", "start", "end"),
    [("one\ntwo\nthree", 5, 4, 7), ("one\ntwo", 0, 0, 3), ("one\ntwo", 6, 4, 7), ("", 0, 0, 0)],
)
def test_line_bounds(text: str, pos: int, start: int, end: int) -> None:
    assert (line_start(text, pos), line_end(text, pos)) == (start, end)
