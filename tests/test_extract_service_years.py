"""Service years: (sentence, expected multiset of (years, degree)), grouped by origin."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import facts_of

SEED = [
    ("任工程师满 5 年，即 2019 年底前取得工程师职称或对应的专业技术人员职业资格且聘任的；", [(5, None)]),
    (
        "获得工程类专业学位研究生的工程技术人员，可提前 1 年参加相应专业职称评审，即任工程师满 4 年，2020 年底前取得工程师职称；",
        [(4, "master_professional")],
    ),
    (
        "获博士学位的，任工程师满 2 年，即 2022 年底前取得工程师职称或对应的专业技术人员职业资格且聘任的。",
        [(2, "doctor")],
    ),
    (
        "对在基层一线直接从事本专业技术技能工作满 20 年，且目前仍在一线岗位工作、业绩突出的专业技术人才和高技能人才，学历可放宽到大专。",
        [(20, "college")],
    ),
    ("1. 具备博士学位,取得工程师职称后从事本专业技术工作满2年;", [(2, "doctor")]),
    (
        "2. 具备硕士学历或学位,或具备第二学士学位,取得工程师职称后,从事本专业技术工作满5年(获得工程类专业硕士学位的工程技术人才可提前1年申报);",
        [(5, "master"), (5, "second_bachelor"), (4, "master_professional")],
    ),
    ("3. 获得大学本科学历或学士学位,取得中级职称后从事专业技术工作满5年;", [(5, "bachelor")]),
    (
        "4. 不具备上述规定学历(学位)要求,取得工程师职称后,从事本专业技术工作满5年,成绩显著、贡献突出,可破格申报；或具备上述规定学历（学位）条件，可破格1年申报：",
        [(5, "below_required")],
    ),
    ("公示期不少于 5 个工作日，记录期限为 3 年。", []),
]
WEB = [
    (
        "3.理工类大学本科毕业或取得学士学位后,从事本专业技术工作10年以上,取得并被聘任工程师5年以上;",
        [(10, "bachelor"), (5, "bachelor")],
    ),
    (
        "1.具备博士学位,取得工程师职称后从事本专业技术工作满2年;或具备博士学位,从事本专业技术工作满3年。",
        [(2, "doctor"), (3, "doctor")],
    ),
    ("砖科,中及满 5年,工作满 18 年", [(5, "college"), (18, "college")]),
    ("硕士学位或研究生,本科或学士学位,中及满5年", [(5, "master"), (5, "bachelor")]),
    ("(5)大學專科學歷,聘任助理工程師4年以上,並從事專業技術工作7年以上;", [(4, "college"), (7, "college")]),
    (
        "2.具备硕士学位或第二学士学位,且取得本专业助理工程师职称后从事技术工作满2年,其中,取得工程类专业硕士学位,可提前1年申报;",
        [(2, "master"), (2, "second_bachelor"), (1, "master_professional")],
    ),
    ("副高级\n\n本科及以上毕业\n\n任中级职务满5年", [(5, "bachelor")]),
    ("中级\n\n大专、本科毕业\n\n任助理级职务满4年", [(4, "college"), (4, "bachelor")]),
    ("有以下情况的人员,近3年内不得申报;自查实的下年起三年内不予申报。", []),
    (
        "具备规定学历、担任主治医师职务满4年，或不具备规定学历、担任主治医师职务满7年，可破格申报：",
        [(4, None), (7, "below_required")],
    ),
    (
        "高级会计师\n大学专科学历\n取得会计师职称后从事会计工作满5年，且累计从事会计工作13年以上",
        [(5, "college"), (13, "college")],
    ),
    (
        "2.具备硕士学位，取得工程师职称后，从事本专业技术工作满5年；\n获得工程硕士专业学位的工程技术人才，申报年限可提前1年。",
        [(5, "master"), (4, "master_professional")],
    ),
]


def _got(text: str) -> Counter:
    return Counter((f.years, f.degree) for f in facts_of(text).service_years)


@pytest.mark.parametrize(("text", "want"), SEED, ids=[f"seed-{i}" for i in range(len(SEED))])
def test_seed(text: str, want: list) -> None:
    assert _got(text) == Counter(want)


@pytest.mark.parametrize(("text", "want"), WEB, ids=[f"web-{i}" for i in range(len(WEB))])
def test_web(text: str, want: list) -> None:
    assert _got(text) == Counter(want)


def test_basis_route_and_cutoff() -> None:
    f = facts_of("任工程师满 5 年，即 2019 年底前取得工程师职称。").service_years[0]
    assert (f.basis, f.route, f.cutoff) == ("title", "regular", "2019-12-31")
    g = facts_of(
        "1. 取得本专业（工种）高级技师（一级）国家职业资格证书或技能等级证书后，从事本专业（工种）工作满4年；"
    ).service_years[0]
    assert g.basis == "skill_level"


def test_reference_to_degree_stated_elsewhere() -> None:
    """web-002: 具备上述规定学历 takes the one degree the sibling clause above names."""
    text = "（一）具备大学本科以上学历或学士以上学位,满5年。\n（二）或具备上述规定学历(学位)条件,取得高级工程师职称后,从事本专业技术工作满4年"
    assert (4, "bachelor") in _got(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "副高级\n\n本科及以上毕业\n\n任中级职务满5年\n\n助理级\n\n中专毕业\n\n任员级职务满4年\n\n大专毕业\n\n任员级职务满2年",
            [(5, "deputy_senior"), (4, "junior"), (2, "junior")],
        ),
        ("| 级别 | 学历 | 年限 |\n| 副高级 | 本科 | 任中级职务满5年 |", [(5, "deputy_senior")]),
        ("任工程师满 5 年，即 2019 年底前取得工程师职称。", [(5, None)]),
    ],
)
def test_level_a_table_row_leads_to(text: str, want: list) -> None:
    """The 中级 of 任中级职务 is the title held; the row's level cell is the one sought, as a level code."""
    assert [(f.years, f.level) for f in facts_of(text).service_years] == want
