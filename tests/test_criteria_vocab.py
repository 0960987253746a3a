"""Table tests of the quantifier phrases and the other criteria vocabulary (pipeline/lexicon/criteria.toml)."""

from __future__ import annotations

import pytest

from pipeline.criteria import vocab

QUANTIFIERS = [
    ("须承担完成下列工作项目之一：", ("any", 1)),
    ("取得的业绩、成果须符合下列条件之一：", ("any", 1)),
    ("具备下列条件中两项以上", ("any", 2)),
    ("满足其中3项", ("any", 3)),
    ("符合下列条件中的2条以上 :", ("any", 2)),
    ("应具备下列成果中的2项:", ("any", 2)),
    ("专业技术人才业绩突出指取得“业绩成果条件”第1-8项中的一项及以上成果", ("any", 1)),
    ("学术科研成果须符合第1-7条的其中1条:", ("any", 1)),
    ("达到下列条件标准1项:", ("any", 1)),
    ("下列人员不得申报：", ("none", 0)),
    ("公务员、离退休人员不得申报;", ("none", 0)),
    ("当年达到国家法定退休年龄的人员不得参加申报", ("none", 0)),
    ("申报工程师,应具备下列条件:", ("all", 0)),
    ("须同时具备", ("all", 0)),
    ("三、业绩成果条件", ("any", 1)),  # a bare 业绩 heading over items: each is one way
    ("（四）业绩要求：", ("any", 1)),
    ("二、基本条件要求", None),
    ("作为主要发明人获得发明专利1项以上", None),
    ("凡不属于上述专业范围的不予受理", None),
]


@pytest.mark.parametrize(("phrase", "want"), QUANTIFIERS)
def test_quantifier(phrase: str, want: tuple[str, int] | None) -> None:
    q = vocab.quantifier(phrase)
    assert (None if q is None else (q.op, q.min)) == want


@pytest.mark.parametrize(
    ("word", "n"),
    [("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("3", 3), ("半", None)],
)
def test_cn_number(word: str, n: int | None) -> None:
    assert vocab.cn_number(word) == n


@pytest.mark.parametrize(
    ("text", "upward", "want"),
    [
        (
            "须具有本专业或相近专业大学本科及以上学历",
            False,
            ["bachelor", "second_bachelor", "master", "master_professional", "doctor"],
        ),
        ("具备博士学位", False, ["doctor"]),
        ("具备硕士学位", False, ["master", "master_professional"]),
        (
            "学历可放宽到大专",
            True,
            ["college", "bachelor", "second_bachelor", "master", "master_professional", "doctor"],
        ),
        ("不具备上述规定学历", False, []),
    ],
)
def test_degree_set(text: str, upward: bool, want: list[str]) -> None:
    assert vocab.degree_set(text, upward=upward) == want


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("必须遵守中华人民共和国宪法、法律和法规；具备良好的职业道德", "ethics"),
        ("并经相关部门或机构验收通过", "accepted"),
        ("成绩显著、贡献突出", "outstanding"),
        ("积极参加继续教育", "continuing_education"),
        ("系统掌握专业基础理论知识和专业技术知识", "knowledge"),
        ("具有指导工程师工作的能力", "ability"),
    ],
)
def test_tag(text: str, tag: str) -> None:
    assert vocab.tags(text)[0][0] == tag


@pytest.mark.parametrize(
    ("heading", "route"),
    [
        ("破格申报评审条件", ("exceptional", None)),
        ("高技能人才申报专业技术职称评审", ("high_skill", "high_skill")),
        ("从机关流动到企事业单位人员职称评审", ("transfer", "transfer")),
        ("引进高层次人才职称认定", ("green_channel", "introduced_talent")),
        ("“绿色通道”申报条件", ("green_channel", None)),
        ("学历条件", None),
    ],
)
def test_route_of(heading: str, route: tuple[str, str | None] | None) -> None:
    assert vocab.route_of(heading, "") == route


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("作为主要完成人（前3名）获得省级科学技术二等奖", "award"),
        ("主持完成省级科技计划项目（基金）或省级重点工程项目", "project"),
        ("主持或作为主要编制人参与编制的技术标准、规范、规程、工法等正式颁布实施", "standard"),
        ("国家知识产权局中国专利金奖、银奖、优秀奖的主要发明人", "award"),
        ("具有指导助理工程师工作的能力", None),
    ],
)
def test_implied_kind(text: str, kind: str | None) -> None:
    got = vocab.implied_kind(text)
    assert (got[0] if got else None) == kind
