"""Deadlines on unseen page shapes: one window per dash, month-only steps, stamps that are not steps.

Rows: (origin, text, notice year, expected [(start, end)]), in the shape of the named file.
"""

from __future__ import annotations

import pytest

from tests.conftest import facts_of

WINDOWS = [
    # a window written with any dash is ONE deadline, never two one-day ones
    ("issue-12", "网上申报时间为8月23日-8月29日。", 2024, [("2024-08-23", "2024-08-29")]),
    (
        "heldout-06",
        "（三）纸质材料报送时间为10月16日—10月20日，逾期不予受理。",
        2023,
        [("2023-10-16", "2023-10-20")],
    ),
    (
        "heldout-08",
        "（一）网上申报：2025年6月16日—7月15日，申报人在线填报。",
        2025,
        [("2025-06-16", "2025-07-15")],
    ),
    ("full-width hyphen", "报送时间：8月23日－8月29日。", 2024, [("2024-08-23", "2024-08-29")]),
    ("horizontal bar", "报送时间：8月23日―8月29日。", 2024, [("2024-08-23", "2024-08-29")]),
    ("unicode hyphen", "报送时间：8月23日‐8月29日。", 2024, [("2024-08-23", "2024-08-29")]),
    ("wave dash", "报送时间：8月23日〜8月29日。", 2024, [("2024-08-23", "2024-08-29")]),
    ("spaced hyphen", "报送时间：8月23日 - 8月29日。", 2024, [("2024-08-23", "2024-08-29")]),
    ("double em dash", "报送时间：8月23日——8月29日。", 2024, [("2024-08-23", "2024-08-29")]),
    ("one 日 for both days", "报送时间：8月23-29日。", 2024, [("2024-08-23", "2024-08-29")]),
    ("dotted dates", "报送时间：2022.8.23-2022.8.29。", 2022, [("2022-08-23", "2022-08-29")]),
    ("ISO dates", "网上申报时间：2022-08-23至2022-09-05。", 2022, [("2022-08-23", "2022-09-05")]),
    (
        "two steps, one line",
        "（一）网上申报：8月23日-8月29日；（二）材料报送：9月1日-9月5日",
        2024,
        [("2024-08-23", "2024-08-29"), ("2024-09-01", "2024-09-05")],
    ),
]

MONTHS = [
    (
        "web2-040",
        "（四）评审材料受理时间:2022年10月。省卫生健康委受理高级卫生专业技术资格评审材料,评审时间另行通知。",
        2022,
        [("2022-10-01", "2022-10-31")],
    ),
    ("month only, no year", "申报时间为10月份。", 2024, [("2024-10-01", "2024-10-31")]),
    ("cut-off month", "任职年限截止时间:2023年12月。", 2024, [(None, "2023-12-31")]),
    ("web2-040 template", "应注明“经公示(公示日期为××年××月××日至××日),材料真实,同意上报”。", 2022, []),
]

NOT_STEPS = [
    ("web2-002", "时间:2022-08-08 17:42 来源:浙江省物价局、财政厅", 2022, []),
    ("web2-006", "发布日期: 2021-12-14 15:39 | 来源: 天津市人力资源和社会保障局", 2021, []),
    ("web2-022", "更新时间:2012-12-18 13:23:16来源:", 2012, []),
    ("posting time in words", "发布时间：2024年9月9日 10:30", 2024, []),
    ("web2-002 effective date", "四、以上收费标准自2002年8月1日起执行。", 2002, []),
    ("effective date", "本办法自2024年1月1日起施行。", 2024, []),
    (
        "web2-028 inline signature",
        "湖北省职称改革工作领导小组办公室2013年8月30日湖北省文物、博物专业申报评审条件",
        2013,
        [],
    ),
    ("web2-018 birth date", "凡1972年1月1日以后出生的教师,申请副教授职务者要有学生工作经历。", 2024, []),
    ("a body's own step stays", "市人社局2024年9月1日前完成审核。", 2024, [(None, "2024-09-01")]),
    (
        "a figures-only date with a cut-off word stays",
        "请于2024-09-30前报送材料。",
        2024,
        [(None, "2024-09-30")],
    ),
]


def _rows(name: str, rows: list) -> list:  # type: ignore[type-arg]
    return [pytest.param(t, y, w, id=f"{name}-{o}") for o, t, y, w in rows]


@pytest.mark.parametrize(
    ("text", "year", "want"), _rows("window", WINDOWS) + _rows("month", MONTHS) + _rows("not-step", NOT_STEPS)
)
def test_deadline_classes(text: str, year: int, want: list) -> None:
    assert [(d.start, d.end) for d in facts_of(text, year=year).deadlines] == want


def test_month_window_names_its_event() -> None:
    d = facts_of("（四）评审材料受理时间:2022年10月。", year=2022).deadlines[0]
    assert d.event == "评审材料受理"
    assert d.evidence.text.startswith("（四）评审材料受理时间")
