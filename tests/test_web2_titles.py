"""The national title system as data: the topic check, levels, level codes and series — cases by origin."""

from __future__ import annotations

import pytest

from pipeline import lexicon, titles
from pipeline.errors import NotANotice
from pipeline.extract.levels import levels, series
from pipeline.normalize import normalize
from pipeline.record import check_topic

# (origin, text) that are about titles although they never print 职称 or 评审委员会
ABOUT_TITLES = [
    (
        "web2 traditional with pinyin",
        "江西省新聞專(zhuān)業(yè)主任記(jì)者、主任編(biān)輯(jí)資格條件\n第一條 評定標準",
    ),
    (
        "web2 series names only",
        "应聘副教授职务者，近五年任现职以来应同时满足以下要求。当年不能申报副教授（副研究员）职务。",
    ),
    ("web2 statistics", "参加高级统计师资格评审的人员，在担任统计师专业职务后，应当具备下列条件。"),
    (
        "web2 agriculture heading",
        "第九条 农业技术推广研究员\n具备本标准条件第六、七、八条规定，同时具备下列三项条件：",
    ),
    ("web2 one title name beside 评审", "高级农艺师评审条件\n第一条专业理论知识要求"),
    ("web", "关于开展2023年度机械工程职称评审工作的通知"),
    ("heldout", "申报高级工程师应具备下列条件：取得工程师资格后从事本专业技术工作满5年。"),
]

NOT_ABOUT_TITLES = [
    ("cli test", "今天天气很好，我们去公园散步，然后回家做饭。"),
    ("everyday words only", "张教授说今天天气很好，记者和编辑都去了，条件不错。"),
    ("one title name, no evaluation", "招聘软件工程师一名，待遇从优，欢迎来电。"),
]


@pytest.mark.parametrize(("origin", "text"), ABOUT_TITLES, ids=[a[0] for a in ABOUT_TITLES])
def test_topic_check_knows_every_title_name_and_reads_normalised_text(origin: str, text: str) -> None:
    check_topic(normalize(text).text)


@pytest.mark.parametrize(("origin", "text"), NOT_ABOUT_TITLES, ids=[a[0] for a in NOT_ABOUT_TITLES])
def test_topic_check_refuses_other_text(origin: str, text: str) -> None:
    with pytest.raises(NotANotice):
        check_topic(normalize(text).text)


# (origin, title, body, levels, codes)
LEVELS = [
    ("seed", "关于开展2024年度全市工程系列高级工程师评审工作的通知", "", ["高级工程师"], ["deputy_senior"]),
    ("web2-012", "江西省新闻专业主任记者、主任编辑资格条件", "", ["主任记者", "主任编辑"], ["deputy_senior"]),
    ("web2-046", "辽宁省正高级会计师评审业绩成果和论文著作课题要求条件", "", ["正高级会计师"], ["senior"]),
    ("web2-022 longest first", "高级统计师考试报考条件", "", ["高级统计师"], ["deputy_senior"]),
    (
        "heldout",
        "关于开展2021年度农业系列高级农艺师、农艺师职称评审工作的通知",
        "",
        ["高级农艺师", "农艺师"],
        ["intermediate", "deputy_senior"],
    ),
    (
        "web2-024 高级 spans both",
        "关于印发《四川省出版专业技术人员高级职称申报评审基本条件》的通知",
        "",
        ["高级职称"],
        ["deputy_senior", "senior"],
    ),
    (
        "web2-020 level headings",
        None,
        "中小学教师职称评定任职资历条件\n正高级教师  \n应具有本科学历。\n高级教师\n具备博士学位。\n"
        "一级教师\n具备硕士学位。\n二级教师  \n具备学士学位。",
        ["正高级教师", "高级教师", "一级教师", "二级教师"],
        ["junior", "intermediate", "deputy_senior", "senior"],
    ),
    (
        "web2-032 labelled headings",
        None,
        "(一)初级教练\n1.基本掌握体育基础理论。\n(二)中级教练\n1.掌握体育专业理论。",
        ["初级教练", "中级教练"],
        ["junior", "intermediate"],
    ),
    (
        "web2-044 article heading",
        None,
        "第五章 能力业绩条件\n第九条 农业技术推广研究员\n具备本标准条件。",
        ["农业技术推广研究员"],
        ["senior"],
    ),
    (
        "web2-018 heading with a tail",
        None,
        "2.副教授岗位的业绩要求:\n应聘副教授职务者。\n3.副研究员岗位的申请条件\n",
        ["副教授", "副研究员"],
        ["deputy_senior"],
    ),
    ("everyday word in running text", None, "由责任编辑审读稿件。\n编辑部负责校对。", [], []),
    (
        "everyday word in a title about titles",
        "关于开展2024年度新闻系列记者、编辑职称评审工作的通知",
        "",
        ["记者", "编辑"],
        ["intermediate"],
    ),
    ("everyday word in a title about something else", "关于表彰优秀记者的通知", "", [], []),
    (
        "web skill level is no title",
        "关于开展2024年度高级技师与工程技术人才职业贯通评审工作的通知",
        "",
        [],
        [],
    ),
    (
        "web skill level beside a title",
        "关于高级技师申报评审工程师职称的通知",
        "",
        ["工程师"],
        ["intermediate"],
    ),
]


@pytest.mark.parametrize(
    ("origin", "title", "body", "want", "codes"), LEVELS, ids=[f"{c[0]}-{i}" for i, c in enumerate(LEVELS)]
)
def test_levels_keep_printed_names_and_codes_come_from_the_title_system(
    origin: str, title: str | None, body: str, want: list[str], codes: list[str]
) -> None:
    found = levels(title, body)
    assert found == want
    assert titles.level_codes(found) == codes


SERIES = [
    ("seed system name", "关于开展2024年度全市工程系列高级工程师评审工作的通知", "", "工程系列"),
    (
        "web2-024 alias in the title",
        "关于印发《四川省出版专业技术人员高级职称申报评审基本条件》的通知",
        "",
        "出版系列",
    ),
    ("web2-012 from the level names", "江西省新闻专业主任记者、主任编辑资格条件", "", "新闻系列"),
    ("web2-060 from the level names", "高级农艺师评审条件", "", "农业系列"),
    ("web2-006 body writes 系列", "资格条件", "档案系列中级职称(馆员)资格条件", "档案系列"),
    ("a name two series share decides nothing", "讲师资格条件", "", None),
    ("unknown series word", "关于做好相应系列评审工作的通知", "各相应系列", None),
]


@pytest.mark.parametrize(("origin", "title", "body", "want"), SERIES, ids=[s[0] for s in SERIES])
def test_series_from_names_aliases_and_levels(origin: str, title: str, body: str, want: str | None) -> None:
    assert series(body, title, levels(title, body)) == want


def test_every_name_has_one_level_and_every_series_all_four_levels() -> None:
    ts = titles.system()
    assert all(len(codes) == 1 for name, codes in ts.levels_of.items() if name in ts.series_of)
    for s in lexicon.load("titles")["series"]:
        assert all(s.get(code) for code in titles.LEVEL_CODES), s["name"]
