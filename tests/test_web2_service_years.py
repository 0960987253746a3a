"""Service years on unseen page shapes, one table per error class, cases from several sets.

Each row: (origin, text, expected [(years, degree)]) — the scorer's key — in the shape of the
named file. Classes: numbers that are not years of service; Chinese-numeral years and 博士毕业满N年;
degree words (高中 and 中等师范 are ``secondary``, 副高职 is no 高职); front-line tenure without 满;
enumerations and parentheses that carry their own degree; a reference to the degree above.
"""

from __future__ import annotations

import pytest

from tests.conftest import facts_of


def _got(text: str) -> list[tuple[float, str | None]]:
    return [(f.years, f.degree) for f in facts_of(text).service_years]


NOT_SERVICE = [
    (
        "web2-032",
        "(1)训练两年以上的运动员,达到全国优秀水平。\n(2)训练一年以上的运动员,四名输送至上级训练组织。",
        [],
    ),
    (
        "web2-018",
        "有下列情形之一者,当年不能申报:\n(1)前一年度考核不合格;\n(2)受到党纪、政纪处分后未满两年;",
        [],
    ),
    ("heldout-style hours", "每年参加继续教育不少于90学时,其中专业科目60学时。", []),
    ("age", "申报人年龄须满35周岁以上。", []),
    ("counts of papers", "任现职以来发表论文3篇以上,其中核心期刊2篇。", []),
    ("web2-040", "年度考核未达到合格等次者任期顺延一年。", []),
]

CHINESE_NUMERALS = [
    (
        "web2-018",
        "现职岗位满五年以上(博士毕业满两年可申请副高职)。",
        [(5, None), (2, "doctor")],
    ),
    (
        "web2-032",
        "3.具备大学专科学历、本科学历或学士学位,从事体育项目训练工作满一年,经考核合格;",
        [(1, "college"), (1, "bachelor")],
    ),
    ("web-like", "取得工程师职称后,从事本专业技术工作满十年。", [(10, None)]),
]

RESTATED = [
    (
        "web2-018",
        "现职岗位满五年以上(博士毕业满两年可申请副高职)。\n应聘副教授职务者,近五年(博士毕业满两年)任现职以来应同时满足以下要求:",
        [(5, None), (2, "doctor")],
    ),
]

DEGREE_WORDS = [
    (
        "web2-006",
        "5.具备高中毕业学历,取得助理馆员职称后,在相应专业技术岗位任职满7年。",
        [(7, "secondary")],
    ),
    (
        "web2-020",
        "具备中等师范学校毕业学历,并在小学(幼儿园)三级教师岗位从事教学工作3年以上。",
        [(3, "secondary")],
    ),
    ("web2-018", "博士毕业满两年可申请副高职。", [(2, "doctor")]),
    (
        "web2-046 (glyph residue for 学)",
        "应具有大学本科以上学历或?qū)W士以上学位,取得高级会计师资格后,从事会计工作5年以上。",
        [(5, "bachelor")],
    ),
    ("web-018 (glyph residue for 学)", "或?qū)W士学位,聘任助理工程师2年以上,;", [(2, "bachelor")]),
]

FRONTLINE = [
    (
        "web2-020",
        "具备博士学位,在一级教师岗位从事教学工作2年以上且最近连续2年在教育教学一线从事教学工作;",
        [(2, "doctor"), (2, "doctor")],
    ),
    (
        "web2-020",
        "具备学士学位或高等教育本科毕业学历,或具备高等教育专科毕业学历在初中或小学(幼儿园)从事教学工作,"
        "在二级教师岗位从事教学工作4年以上且*近连续3年在教育教学一线从事教学工作;",
        [(4, "bachelor"), (4, "college"), (3, "bachelor"), (3, "college")],
    ),
    ("not front line", "近三年连续考核合格。", []),
]

ENUMERATIONS = [
    (
        "web2-056",
        "即博士研究生毕业后从事相关专业技术工作、硕士研究生毕业后从事相关专业技术工作满3年以上。",
        [(3, "master")],
    ),
    (
        "web2-056",
        "博士研究生毕业后从事相关专业技术工作满2年以上;硕士研究生毕业后从事相关专业技术工作满7年以上;",
        [(2, "doctor"), (7, "master")],
    ),
    (
        "degree list",
        "具备硕士、学士学位、高等教育本科毕业学历,在一级教师岗位从事教学工作5年以上;",
        [(5, "master"), (5, "bachelor")],
    ),
]

REFERENCES = [
    (
        "web-002",
        "(一)具备大学本科以上学历或学士以上学位,取得高级工程师职称后,从事本专业技术工作满5年。\n"
        "(二)不具备上述规定学历(学位)要求,取得高级工程师职称后,从事本专业技术工作满5年,可破格申报;"
        "或具备上述规定学历(学位)条件,取得高级工程师职称后,从事本专业技术工作满4年,可破格申报:",
        [(5, "bachelor"), (5, "below_required"), (4, "bachelor")],
    ),
    (
        "heldout-01",
        "1.具备博士学位,担任主治医师职务满2年;\n2.具备硕士学位,担任主治医师职务满4年;\n"
        "3.具备本科学历,担任主治医师职务满5年;\n"
        "4.具备规定学历、担任主治医师职务满4年,或不具备规定学历、担任主治医师职务满7年,可破格申报:",
        [(2, "doctor"), (4, "master"), (5, "bachelor"), (4, None), (7, "below_required")],
    ),
]


def _table(name: str, rows: list) -> list:  # type: ignore[type-arg]
    return [pytest.param(t, w, id=f"{name}-{o}-{i}") for i, (o, t, w) in enumerate(rows)]


@pytest.mark.parametrize(
    ("text", "want"),
    _table("not-service", NOT_SERVICE)
    + _table("numerals", CHINESE_NUMERALS)
    + _table("restated", RESTATED)
    + _table("degrees", DEGREE_WORDS)
    + _table("frontline", FRONTLINE)
    + _table("enumeration", ENUMERATIONS)
    + _table("reference", REFERENCES),
)
def test_service_year_classes(text: str, want: list) -> None:
    assert _got(text) == want


LEVELS = [
    # (origin, text, expected [(years, level code)])
    (
        "web2-020",
        "正高级教师\n应具有大学本科及以上学历,在教学一线从事教学工作20年以上,并在高级教师岗位从事教学工作5年以上。\n"
        "高级教师\n具备硕士学位,在一级教师岗位从事教学工作5年以上;",
        [(20, "senior"), (5, "senior"), (5, "deputy_senior")],
    ),
    ("web-046-like", "| 级别 | 学历 | 年限 |\n| 助理级 | 大专 | 从事专业技术工作满3年 |", [(3, "junior")]),
    ("prose", "具备大学本科学历,取得中级职称后从事专业技术工作满5年。", [(5, None)]),
    (
        "prose with level leads",
        "正高级:具备大学本科以上学历,取得副高级职称后从事本专业工作满5年;副高级:具备硕士学位,取得中级职称后满4年。",
        [(5, "senior"), (4, "deputy_senior")],
    ),
    (
        "web-032-like heading",
        "（二）中级工程师\n1.具备大学本科学历,取得助理工程师职称后从事本专业技术工作满4年。",
        [(4, "intermediate")],
    ),
    (
        "web2-054-like article heading",
        "第十条 副高级任职资格评审条件\n一、学历资历\n具备硕士学位,取得中级职称后满4年。",
        [(4, "deputy_senior")],
    ),
    ("heading names no level", "二、申报条件\n具备本科学历,取得中级职称后满5年。", [(5, None)]),
    ("3-tier table", "高级\n\n本科\n\n任中级职务满5年", [(5, None)]),  # 高级 names no one level
]


@pytest.mark.parametrize(
    ("origin", "text", "want"), LEVELS, ids=[f"{r[0]}-{i}" for i, r in enumerate(LEVELS)]
)
def test_level_code_of_the_rule(origin: str, text: str, want: list) -> None:
    assert [(f.years, f.level) for f in facts_of(text).service_years] == want


@pytest.mark.xfail(
    reason="a PDF scrape with a space between every character (web2-004) is not closed up by normalize"
)
def test_spaced_out_characters() -> None:
    assert _got("获 得 硕 士 研 究 生 学 位 学 历, 担 任 助 理 级 满2年, 认 定 中 级 资 格;") == [
        (2, "master")
    ]


def test_years_right_after_the_work_they_count() -> None:
    """web2-004: 从事专业工作2年 is a minimum without 满 or 以上; 工作30年来 tells history."""
    assert _got("大专毕业,见习一年期满,从事专业工作2年,认定助级资格;") == [(2, "college")]
    assert _got("从事档案工作30年来,成绩显著。") == []
