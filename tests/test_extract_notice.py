"""Notice metadata: title, 文号, place, year, specialties, citations — cases grouped by origin."""

from __future__ import annotations

import pytest

from pipeline.extract.contacts import extract_urls
from pipeline.extract.context import Context
from pipeline.extract.notice import repair_broken_numbers, specialties
from tests.conftest import needs_shared, run_text, web_text

SPECIALTIES = [
    (
        "seed",
        "关于开展2024年度全市工程系列机械、电子、新材料专业高级工程师评审工作的通知",
        ["机械", "电子", "新材料"],
    ),
    (
        "seed",
        "关于报送2024年度数字经济（智能制造）专业高级工程师技术资格评审材料的通知",
        ["数字经济（智能制造）"],
    ),
    ("web", "江苏省数字经济(大数据)工程正高级工程师职称评审申报要求及资格条件", ["数字经济(大数据)"]),
    ("web", "关于开展2023年度机械工程职称评审工作的通知", ["机械工程"]),
    ("web", "关于做好2023年度全省职称评审工作的通知", []),
]


@pytest.mark.parametrize(
    ("origin", "title", "want"), SPECIALTIES, ids=[f"{s[0]}-{i}" for i, s in enumerate(SPECIALTIES)]
)
def test_specialties(origin: str, title: str, want: list[str]) -> None:
    assert specialties(title) == want


def _notice(text: str) -> dict:
    return run_text(text)["notice"]


def test_title_doc_number_issuers_date_place_year_of_a_masthead() -> None:
    n = _notice(
        "某某市人力资源和社会保障局 某某市工业和信息化局\n\n忻工信函〔2024〕18号\n\n"
        "关于开展2024年度全市工程系列高级工程师评审工作的通知\n\n各单位：\n\n一、评审范围\n\n忻州市各企业专业技术人员的职称评审。\n\n"
        "忻州市工业和信息化局\n\n2024年9月9日"
    )
    assert n["title"] == "关于开展2024年度全市工程系列高级工程师评审工作的通知"
    assert n["doc_numbers"] == ["忻工信函〔2024〕18号"]
    assert n["issuers"] == ["某某市人力资源和社会保障局", "某某市工业和信息化局"]
    assert (n["issue_date"], n["year"], n["series"], n["levels"]) == (
        "2024-09-09",
        2024,
        "工程系列",
        ["高级工程师"],
    )
    assert (n["province"], n["city"]) == ("山西省", "忻州市")


def test_spam_prefix_and_a_title_cut_one_character_short() -> None:
    n = _notice(
        "尊龙AG人生就是博·(中国)官方网站关于开展2023年度机械工程职称评审工作的通\n\n正文：职称评审工作。"
    )
    assert n["title"] == "关于开展2023年度机械工程职称评审工作的通知"


def test_short_city_name_heading_a_title_word() -> None:
    n = _notice("各县区人社局：\n\n2022年淮安职称申报评审资格审核要求\n\n（一）单位审核。")
    assert (n["province"], n["city"]) == ("江苏省", "淮安市")


def test_cited_documents_with_titles_and_bare_numbers() -> None:
    n = _notice(
        "根据省人社厅《关于印发〈职称评审管理实施细则〉的通知》（晋人社厅发〔2021〕28号）和《专业技术人员继续教育规定》"
        "（人社部令第 25 号），按晋人社职字[2010]37号文件执行职称评审。"
    )
    got = [(c["number"], c["title"]) for c in n["cited_documents"]]
    assert got == [
        ("晋人社厅发〔2021〕28号", "关于印发〈职称评审管理实施细则〉的通知"),
        ("人社部令第25号", "专业技术人员继续教育规定"),
        ("晋人社职字[2010]37号", None),
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("枣人社办发〔202032", ["枣人社办发〔2020〕32号"]),
        ("(鲁人社发〔202016号)", ["鲁人社发〔2020〕16号"]),
        ("〔2024〕18号", []),
    ],
)
def test_numbers_that_lost_their_closing_bracket(text: str, want: list[str]) -> None:
    assert [f.value for f in repair_broken_numbers(text)] == want


def test_watermark_address_is_not_a_url_of_the_notice() -> None:
    text = "医学全在线网站www.med126.com对召开评审会议。请登录 www.hrss.gov.cn 查询，或 https://a.gov.cn/x。"
    ctx = Context.of(text, [])
    assert extract_urls(ctx) == ["www.hrss.gov.cn", "https://a.gov.cn/x"]
    assert ctx.warnings == ["web-site watermark address ignored: www.med126.com"]


@needs_shared
@pytest.mark.xfail(
    reason="黑龙江 is implied only by 北大荒农垦集团/龙江森工 among the addressees; no gazetteer name is printed"
)
def test_province_implied_by_addressees() -> None:
    assert run_text(web_text("web-006.txt"))["notice"]["province"] == "黑龙江省"


@needs_shared
@pytest.mark.xfail(
    reason="the scrape turned 學 and 專科 into mojibake (?qū)W, ??茖W); the degree words are unreadable"
)
def test_degrees_lost_to_mojibake() -> None:
    years = {(f["years"], f["degree"]) for f in run_text(web_text("web-018.txt"))["facts"]["service_years"]}
    assert (7, "college") in years


def test_masthead_that_lost_its_separating_space() -> None:
    from pipeline.extract.notice import _orgs_in

    assert _orgs_in("忻州市工业和信息化局忻州市人力资源和社会保障局") == [
        "忻州市工业和信息化局",
        "忻州市人力资源和社会保障局",
    ]


@pytest.mark.parametrize(
    ("title", "body", "want"),
    [
        (
            "关于做好2022年度高级经济师资格评审工作的通知",
            "本年度评审专业为：工商管理、农业经济、金融。",
            ["工商管理", "农业经济", "金融"],
        ),
        (
            "关于开展2021年度农业系列高级农艺师职称评审工作的通知",
            "评审专业分为农学、植保、土肥、园艺四个专业。",
            ["农学", "植保", "土肥", "园艺"],
        ),
        ("关于开展2023年度建设工程专业中级职称评审工作的通知", "", ["建设工程"]),
    ],
)
def test_specialties_from_the_body_when_the_title_names_none(title: str, body: str, want: list[str]) -> None:
    assert specialties(title, body) == want
