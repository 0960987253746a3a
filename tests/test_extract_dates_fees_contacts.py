"""Deadlines, fees and contacts: tables of cases grouped by origin."""

from __future__ import annotations

import pytest

from tests.conftest import facts_of, run_text

DEADLINES = [
    # (origin, text, notice year, signed, expected [(start, end)])
    ("seed", "收审材料时间为 10 月 9 日至 10 月 12 日。", 2024, "2024-09-09", [("2024-10-09", "2024-10-12")]),
    ("seed", "（网上申报必须在7月18日—9月10日完成）。", 2024, "2024-07-16", [("2024-07-18", "2024-09-10")]),
    (
        "seed",
        "申报人员现职称任职年限截止时间为2023年12月31日，业绩成果等材料截止时间为2024年3月31日。",
        2024,
        None,
        [(None, "2023-12-31"), (None, "2024-03-31")],
    ),
    ("seed", "任工程师满 5 年，即 2019 年底前取得工程师职称。", 2024, None, []),
    ("web", "其中市(地)须在8月底前报送承接的高级职称评审计划安排", 2023, None, [(None, "2023-08-31")]),
    ("web", "3月20日(星期三)17时前,申报单位须在申报系统中将申报记录提交", 2023, None, [(None, "2024-03-20")]),
    (
        "web",
        "集中报送时间为2022年第三季度最后2个工作日(即9月29日至30日)",
        2022,
        None,
        [("2022-09-29", "2022-09-30")],
    ),
    ("web", "自10月8日起开始网上申报", 2024, None, [("2024-10-08", None)]),
    ("web", "事业单位专技人才在9月30日及之前达到退休年龄的,不再提交材料", 2020, None, []),
    ("web", "任职资格从2023年9月1日开始计算。", 2023, None, []),
    ("web", "截止时间为高一级职称评审年度的12月31日。", 2022, None, []),
    ("year-roll", "材料请于1月15日前报送。", 2024, "2024-12-20", [(None, "2025-01-15")]),
]


@pytest.mark.parametrize(
    ("origin", "text", "year", "signed", "want"),
    DEADLINES,
    ids=[f"{d[0]}-{i}" for i, d in enumerate(DEADLINES)],
)
def test_deadlines(origin: str, text: str, year: int, signed: str | None, want: list) -> None:
    got = [(d.start, d.end) for d in facts_of(text, year=year, issue_date=signed).deadlines]
    assert got == want


def test_hours_of_a_window() -> None:
    d = facts_of(
        "申报资料现场受理时间为 2024 年 8 月 1 日至 9 月 10 日（工作日上午 9:00—12:00；下午 3:00—6:00）。"
    ).deadlines[0]
    assert d.hours == ("09:00-12:00", "15:00-18:00")
    assert d.event == "申报资料现场受理"


FEES = [
    (
        "seed",
        "数字经济（智能制造）副高级职称评审及面试答辩、论文鉴定收费合计 500 元/人。",
        [(500, "person", ("评审", "面试答辩", "论文鉴定"))],
    ),
    (
        "web",
        "申报人员须缴纳评审费240元;需要答辩的人员须缴纳答辩、评审费320元。",
        [(240, "person", ("评审",)), (320, "person", ("答辩", "评审"))],
    ),
    ("seed", "单项产品取得销售收入 500 万元以上。", []),
]


@pytest.mark.parametrize(("origin", "text", "want"), FEES, ids=[f"{f[0]}-{i}" for i, f in enumerate(FEES)])
def test_fees(origin: str, text: str, want: list) -> None:
    assert [(f.amount, f.per, f.covers) for f in facts_of(text).fees] == want


def test_contacts_share_phone_and_email_and_infer_area_code() -> None:
    text = "联系地址：忻州市工业和信息化局人事教育科（忻州长征西街2号）\n\n联系人：刘艾东 张楠\n\n联系电话：0350-3334038\n\n电子邮箱：gxjrsk2021@163.com"
    contacts = facts_of(text).contacts
    assert [(c.name, c.phone, c.email) for c in contacts] == [
        ("刘艾东", "0350-3334038", "gxjrsk2021@163.com"),
        ("张楠", "0350-3334038", "gxjrsk2021@163.com"),
    ]
    assert contacts[0].org == "忻州市工业和信息化局人事教育科"
    assert contacts[0].address == "忻州长征西街2号"
    bare = facts_of(
        "（三）联系人：刘宇翔；联系电话：85811227；联系地址：海州区朝阳东路 69 号", city="连云港市"
    ).contacts[0]
    assert (bare.phone, bare.phone_inferred) == ("0518-85811227", True)


def test_area_code_table_is_in_step_with_phonenumbers() -> None:
    pytest.importorskip("phonenumbers")
    from scripts.area_codes import OUT, render

    assert OUT.read_text(encoding="utf-8") == render(), "run scripts/area_codes.py"


def test_each_contact_label_keeps_its_own_phone() -> None:
    """Bug: with two 联系人 blocks close together, the second phone went to a person of the first."""
    text = (
        "联系人：刘艾东 张楠\n\n联系电话：0350-3334038\n\n联系人：王磊（材料收审）\n\n联系电话：0350-3334066"
    )
    got = [(c.name, c.phone) for c in facts_of(text).contacts]
    assert got == [("刘艾东", "0350-3334038"), ("张楠", "0350-3334038"), ("王磊", "0350-3334066")]


FEE_TABLES = [
    (
        "pipes",
        "收费标准如下：\n| 级别 | 评审费 | 答辩费 |\n| 高级 | 500元/人 | 300元/人 |\n| 中级 | 300元/人 | 200元/人 |",
        [
            (500, ("评审",), "高级"),
            (300, ("答辩",), "高级"),
            (300, ("评审",), "中级"),
            (200, ("答辩",), "中级"),
        ],
    ),
    ("tabs", "级别\t评审费\n高级\t400元\n初级\t100元", [(400, ("评审",), "高级"), (100, ("评审",), "初级")]),
    (
        "one cell per line",
        "收费标准\n\n高级\n\n评审费\n\n500元/人\n\n中级\n\n评审费\n\n300元/人",
        [(500, ("评审",), "高级"), (300, ("评审",), "中级")],
    ),
]


@pytest.mark.parametrize(("shape", "text", "want"), FEE_TABLES, ids=[f[0] for f in FEE_TABLES])
def test_fee_tables_read_as_rows(shape: str, text: str, want: list) -> None:
    assert [(f.amount, f.covers, f.level) for f in facts_of(text).fees] == want


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("申报时间：2024年9月1日—9月30日，逾期不予受理。", "申报"),
        ("收审材料时间为 10 月 9 日至 10 月 12 日。", "收审材料"),
        (
            "3月20日(星期三)17时前,申报单位须在申报系统中将申报记录提交",
            "申报单位须在申报系统中将申报记录提交",
        ),
    ],
)
def test_event_labels_come_from_the_words_around_the_date(text: str, event: str) -> None:
    assert facts_of(text).deadlines[0].event == event


@pytest.mark.parametrize(
    ("run", "names"),
    [
        ("刘艾东张楠", ["刘艾东", "张楠"]),
        ("张三李四", ["张三", "李四"]),
        ("王立华", []),
        ("欧阳修明王五", ["欧阳修明", "王五"]),
    ],
)
def test_names_printed_without_a_separator(run: str, names: list[str]) -> None:
    """OCR drops the space in 联系人：刘艾东 张楠; every name starts with a common surname."""
    from pipeline.extract.contacts import _split_names

    assert _split_names(run) == names


@pytest.mark.parametrize(
    ("line", "name", "phone"),
    [
        ("联系人：王静怡联系电话：0717-6881234", "王静怡", "0717-6881234"),
        ("联系人：陈晓峰手机：13802945716", "陈晓峰", "13802945716"),
        ("联系人：赵明远    联系电话：0379-63219875", "赵明远", "0379-63219875"),
    ],
)
def test_name_run_into_the_next_label(line: str, name: str, phone: str) -> None:
    """OCR loses the gap between a name and the 联系电话 after it (a scan of 王静怡    联系电话)."""
    contacts = run_text(f"关于开展职称评审工作的通知\n{line}")["facts"]["contacts"]
    assert [(c["name"], c["phone"]) for c in contacts] == [(name, phone)]


@pytest.mark.parametrize(
    "text",
    [
        "根据忻工信函〔2024〕18号文件执行。",
        "对在基层一线工作满20年的人员。",
        "取得“业绩成果条件”1-8项中的一项。",
        "2024年度职称评审工作。",
    ],
)
def test_document_numbers_ages_and_ranges_are_not_dates(text: str) -> None:
    assert facts_of(text).deadlines == []


def test_office_person_phone_entries_without_a_contact_label() -> None:
    text = (
        "五、联系方式\n\n湖南省人力资源和社会保障厅专业技术人员管理处：彭立军，0731-89991263；\n"
        "湖南省工业和信息化厅人事教育处：谭晓敏，0731-88951236，18907312645；"
    )
    got = [(c.org, c.name, c.phone) for c in facts_of(text).contacts]
    assert got == [
        ("湖南省人力资源和社会保障厅专业技术人员管理处", "彭立军", "0731-89991263"),
        ("湖南省工业和信息化厅人事教育处", "谭晓敏", "0731-88951236"),
        ("湖南省工业和信息化厅人事教育处", "谭晓敏", "18907312645"),
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "申报人员资历计算截止到2025年12月31日，2025年9月30日前达到法定退休年龄的不再申报。",
            [(None, "2025-12-31")],
        ),
        ("评审会议拟于9月下旬召开，答辩时间另行通知。", []),
    ],
)
def test_age_rules_and_vague_dates_inside_a_sentence_with_a_deadline(text: str, want: list) -> None:
    assert [(d.start, d.end) for d in facts_of(text, year=2025).deadlines] == want


def test_event_label_drops_the_clause_number() -> None:
    assert facts_of("（一）网上申报：2025年6月16日—7月15日，在线填报。").deadlines[0].event == "网上申报"


MONEY = [
    # (printed, amount in integer yuan)
    ("评审费500元/人。", 500),
    ("评审费500.00元/人。", 500),
    ("评审费 1200 元/人。", 1200),
]


@pytest.mark.parametrize(("text", "amount"), MONEY)
def test_fee_amounts_are_integer_yuan(text: str, amount: int) -> None:
    (fee,) = facts_of(text).fees
    assert fee.amount == amount and type(fee.amount) is int


def test_fee_in_jiao_is_reported_not_rounded() -> None:
    from pipeline.extract.context import Context
    from pipeline.extract.fees import extract_fees

    ctx = Context.of("资料复印费12.5元/人。", [])
    assert extract_fees(ctx) == []
    assert ctx.warnings == ["fee amount not in whole yuan, not read: 12.5元/人"]


FEE_TABLES_MORE = [
    # a flattened table whose header cell is longer than 20 characters: a cell is up to 30
    (
        "long header cell",
        "专业技术资格评审及面试答辩收费标准（按级别）\n高级\n500元/人\n中级\n300元/人",
        [(500, "高级"), (300, "中级")],
    ),
    # the header a few blank lines above a pipe row
    ("pipe row below blank lines", "| 级别 | 评审费 |\n\n\n| 高级 | 450元 |", [(450, "高级")]),
]


@pytest.mark.parametrize(("shape", "text", "want"), FEE_TABLES_MORE, ids=[f[0] for f in FEE_TABLES_MORE])
def test_more_fee_tables(shape: str, text: str, want: list) -> None:
    assert [(f.amount, f.level) for f in facts_of(text).fees] == want


@pytest.mark.parametrize(
    "text",
    [
        "评审费300元/人！答辩费200元/人？请按时缴纳。",
        "任工程师满5年！本科毕业，从事专业技术工作满10年。",
        "发表论文2篇以上！获得市级奖励1项以上？",
        "申报时间为9月1日至9月30日！逾期不予受理。",
    ],
)
def test_every_fact_quotes_one_sentence(text: str) -> None:
    """A fact's sentence is a sentence as patterns.SENTENCE cuts it, whatever extractor read it."""
    from pipeline.patterns import SENTENCE

    # a sentence is quoted with or without the mark that ends it
    sentences = {
        m.group(0).strip() + end for m in SENTENCE.finditer(text) for end in ("", text[m.end() : m.end() + 1])
    }
    facts = facts_of(text)
    found = [*facts.fees, *facts.service_years, *facts.requirements, *facts.deadlines]
    assert found
    for fact in found:
        assert fact.evidence.text in sentences, fact
