"""Fee schedules on unseen page shapes: one fee per printed amount, by level or by item.

Rows: (origin, text, expected [(amount, per)]), in the shape of the named file.
"""

from __future__ import annotations

import pytest

from tests.conftest import facts_of

SCHEDULES = [
    (
        "web2-002",
        "一、调整后标准为:高级职务评审费每人280元,中级职务评审费每人180元,初级职务评审费每人100元。"
        "高、中级职务评审推荐费分别调整为每人150元和80元。",
        [(280, "person"), (180, "person"), (100, "person"), (150, "person"), (80, "person")],
    ),
    ("web2-002", "三、专业技术职务任职资格证书、专业职务聘书工本费统一按每本5元执行。", [(5, None)]),
    (
        "web2-048",
        "天津市人才考评中心行政事业性收费标准\n|\n序号\n|\n收费项目\n|\n收费标准\n|\n7\n|\n"
        "助理社会工作师、社会工作师职业水平考试(客观题)每人每科56元\n|\n津发改价费[2016]125号\n|\n|\n"
        "助理社会工作师、社会工作师职业水平考试(主观题)每人每科60元\n|\n",
        [(56, "person"), (60, "person")],
    ),
    (
        "收费标准公示 (pipe table, bare numbers under a 元 header)",
        "收费标准公示\n| 项目 | 级别 | 收费标准（元/人） |\n| --- | --- | --- |\n| 评审费 | 正高级 | 500 |\n"
        "| 评审费 | 副高级 | 400 |\n| 评审费 | 中级 | 200 |\n",
        [(500, "person"), (400, "person"), (200, "person")],
    ),
    (
        "收费目录 (unit column)",
        "职称评审收费目录\n序号 | 收费项目 | 计费单位 | 标准（元）\n1 | 高级评审费 | 人 | 300\n2 | 中级评审费 | 人 | 150\n",
        [(300, "person"), (150, "person")],
    ),
    (
        "heldout-03",
        "五、评审费用。按照豫发改收费〔2017〕1209号文件规定，评审费每人500元，由申报人缴纳。",
        [(500, "person")],
    ),
]

NOT_FEES = [
    ("reward", "对获奖人员奖励每人5000元。", []),
    ("amounts in 万元 under a 元 header", "| 年份 | 人数 | 收费金额（万元） |\n| 2023 | 50 | 300 |", []),
    ("funding threshold", "科研经费达到80万元。", []),
]


@pytest.mark.parametrize(
    ("text", "want"),
    [pytest.param(t, w, id=f"schedule-{o}") for o, t, w in SCHEDULES]
    + [pytest.param(t, w, id=f"not-fee-{o}") for o, t, w in NOT_FEES],
)
def test_fee_classes(text: str, want: list) -> None:
    assert [(f.amount, f.per) for f in facts_of(text).fees] == want


def test_a_table_row_gives_its_level_and_what_it_pays_for() -> None:
    fees = facts_of("收费标准\n| 项目 | 级别 | 收费标准（元/人） |\n| 评审费 | 正高级 | 500 |\n").fees
    assert [(f.level, f.covers) for f in fees] == [("正高级", ("评审",))]
    assert fees[0].evidence.text.endswith("| 评审费 | 正高级 | 500 |")


def test_the_second_amount_of_a_respective_list_shares_the_first_ones_terms() -> None:
    fees = facts_of("高、中级职务评审推荐费分别调整为每人150元和80元。").fees
    assert [f.covers for f in fees] == [("评审推荐",), ("评审推荐",)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("收费标准：正高级600元/人，副高级500元/人，中级300元/人。", ["正高级", "副高级", "中级"]),
        ("评审费：高级 500 元，中级 300 元。", ["高级", "中级"]),
        ("高级:500元/人;中级:300元/人;初级:100元/人(收费)", ["高级", "中级", "初级"]),
    ],
)
def test_each_amount_takes_the_level_named_nearest_before_it(text: str, want: list[str]) -> None:
    assert [f.level for f in facts_of(text).fees] == want
