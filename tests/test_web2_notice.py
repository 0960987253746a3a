"""Notice metadata of reposted and flattened pages — one table per error class, cases by origin.

The texts are short excerpts in the shape of the pages named in each case (web, web2, held-out,
seed) or written for this project in the same shape; the whole files are scored by
scripts/accuracy.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import run_text


def _notice(text: str) -> dict[str, Any]:
    return run_text(text)["notice"]


BODY = "\n\n一、申报条件\n\n取得中级职称后从事专业技术工作满5年。\n"

# (origin, text, title)
TITLES = [
    (
        "web2-022 headline above the posting line",
        "当前位置: 首页 > 统计师 > 统计师报考指南 > 高级统计师考试报考条件\n\n高级统计师考试报考条件\n\n"
        "更新时间:2012-12-18 13:23:16 来源:|0 浏览0收藏0\n\n参加高级统计师资格评审的人员应具备下列条件。"
        + BODY,
        "高级统计师考试报考条件",
    ),
    (
        "web2-032 headline below a site header that looks like a title",
        "工程师职称评定网\n\n工程师职称申报评审条件\n\n当前位置:首页>职称评定指南\n\n@教练员,评职称要满足这些条件\n\n"
        "时间:2020-11-09   访问量:2554\n\n近日,人力资源社会保障部印发指导意见。" + BODY,
        "@教练员,评职称要满足这些条件",
    ),
    (
        "web2-052 posting line with source first",
        "树人论文网\n\n政工师申报条件有什么\n\n来源: 树人论文网发表时间:2018-08-03\n简要:政工师申报条件有什么?"
        + BODY,
        "政工师申报条件有什么",
    ),
    (
        "web2-056 bare timestamp under a news headline",
        "中国台湾网移动版\n\n50多项台湾地区职业资格可在闽直接采认\n\n2019-07-18 11:33:00\n来源:中国新闻网\n\n"
        "福建启动台湾地区职业资格直接采认相应职称工作。" + BODY,
        "50多项台湾地区职业资格可在闽直接采认",
    ),
    (
        "web2-046 breadcrumb one crumb per line, body glued to the last",
        "提示 | |\n高级会计师 >\n高级会计师评审资讯 >\n2025年高会评审条件 >\n"
        "辽宁省正高级会计师评审业绩成果和论文著作课题要求条件 二节 正高级会计师具体条件\n第十二条 学历、资历条件。应具有大学本科以上学历。",
        "辽宁省正高级会计师评审业绩成果和论文著作课题要求条件",
    ),
    (
        "web2-004 a first line that runs the title into spaced-out body text",
        "1宁夏回族自治区职称申报评审相关问题解答 为 进 一 步 宣 传 和 普 及 职 称 评 审 政 策 , 提 高 职 称 评 审 的 透 明 度"
        "和 公 信 力 , 方 便 专 业 技 术 人 员 申 报 评 审 , 现 将 职 称 评 审 申 报 相 关问 题 解 答 如 下 :"
        + BODY,
        "宁夏回族自治区职称申报评审相关问题解答",
    ),
    (
        "web2-048 a fee schedule's heading",
        "|\n天津市人才考评中心行政事业性收费标准\n|\n|\n序号\n|\n收费项目\n|\n收费标准\n|\n1\n|\n职称评审\n|\n每人每科60元\n|",
        "天津市人才考评中心行政事业性收费标准",
    ),
    (
        "web2-024 issuers run into the title",
        "四川省新闻出版局 四川省人力资源和社会保障厅关于印发《四川省出版专业技术人员高级职称申报评审基本条件》的通知\n\n"
        "各市(州)新闻出版局:\n\n现将基本条件印发给你们。" + BODY,
        "关于印发《四川省出版专业技术人员高级职称申报评审基本条件》的通知",
    ),
    (
        "web2-028 a flattened PDF: title, number and addressees on one line",
        "1、 关于印发湖北省文物、博物专业专业技术职务任职资格申报评审条件(修订试行) 的通知鄂职改办2013128 号各市、州、"
        "省直管市、神农架林区人力资源和社会保障局(职改办) ,省直有关部门、大型企事业单位人事处(人力资源部):现将湖北省文物、"
        "博物专业专业技术职务任职资格申报评审条件(修订试行) 印发给你们,请遵照执行。" + BODY,
        "关于印发湖北省文物、博物专业专业技术职务任职资格申报评审条件(修订试行)的通知",
    ),
    (
        "web2-020 a Q&A page headed by its question, under an agency's advert",
        "联系我们\n联系:周老师 电话:15871464096 地址:武汉市洪山区石牌岭路317号 Q Q:739885088\n业务范围\n产品信息\n\n"
        "中小学教师评职称要什么条件?\n\n中小学教师职称评定任职资历条件\n\n正高级教师\n应具有本科学历,从事教学工作20年以上。",
        "中小学教师评职称要什么条件?",
    ),
    (
        "web posting line opened by its source, in brackets",
        "某某职称网\n\n湖南省工程系列职称评审条件汇总\n\n[ 文章来源：湖南人社 | 发布日期：2023-04-12 ]\n\n各系列评审条件如下。"
        + BODY,
        "湖南省工程系列职称评审条件汇总",
    ),
    (
        "web posting line opened by its editor",
        "工程师职称申报指南\n\n2024年高级经济师评审答辩安排\n责任编辑：小王  点击：120\n\n各位考生请注意。"
        + BODY,
        "2024年高级经济师评审答辩安排",
    ),
    (
        "heldout-04 traditional page: the 关于 title wins over furniture",
        "當前位置：首頁 > 政務公開 > 通知公告\n\n關於開展2021年度農業系列高級農藝師、農藝師職稱評審工作的通知\n\n"
        "發布時間：2021-08-06 09:30    來源：市農業農村局    瀏覽次數：1536" + BODY,
        "关于开展2021年度农业系列高级农艺师、农艺师职称评审工作的通知",
    ),
]


NOT_TITLES = [
    (
        "web nav bar above the posting line",
        "首页 政务动态 政务公开 政民互动\n发布时间：2024-01-02 09:00\n\n各单位职称申报工作安排如下。" + BODY,
    ),
    (
        "web a site's name above its posting line",
        "某某人才网\n发布时间：2024-01-02 09:00\n\n各单位职称申报工作安排如下。" + BODY,
    ),
    (
        "web2-044 a chapter heading",
        "第五章 能力业绩条件\n第九条 农业技术推广研究员\n具备本标准条件第六、七、八条规定。",
    ),
    ("web a rule sentence ending in 条件", "各单位：\n申报人员应具备下列基本条件\n\n取得中级职称。" + BODY),
]


@pytest.mark.parametrize(("origin", "text"), NOT_TITLES, ids=[t[0] for t in NOT_TITLES])
def test_page_furniture_and_rule_sentences_are_not_titles(origin: str, text: str) -> None:
    assert _notice(text)["title"] is None


@pytest.mark.parametrize(("origin", "text", "want"), TITLES, ids=[t[0] for t in TITLES])
def test_title_of_reposted_and_flattened_pages(origin: str, text: str, want: str) -> None:
    assert _notice(text)["title"] == want


# (origin, text, issuers, issue_date)
SIGNATURES = [
    (
        "web2-002 signers joined by 、, signature inside the last clause",
        "关于调整专业技术职务任职资格评审收费标准的通知\n\n各市物价局:\n\n一、评审费每人280元。\n\n"
        "四、以上收费标准自2002年8月1日起执行。\n\n浙江省物价局、浙江省财政厅\n\n2002年7月29日\n\n原文网址:http://rsj.jinhua.gov.cn/art/1.html",
        ["浙江省物价局", "浙江省财政厅"],
        "2002-07-29",
    ),
    (
        "web2-024 an 印发 notice signs above the rules it issues",
        "四川省新闻出版局 四川省人力资源和社会保障厅关于印发《四川省出版专业技术人员高级职称申报评审基本条件》的通知\n\n"
        "各市(州)新闻出版局:\n\n现将基本条件印发给你们,请认真贯彻执行。\n\n四川省新闻出版局          四川省人力资源和社会保障厅\n\n"
        "2024年11月4日\n\n四川省出版专业技术人员高级职称申报评审基本条件\n\n第一章 总则\n\n第一条 为深化职称制度改革,制定本条件。",
        ["四川省新闻出版局", "四川省人力资源和社会保障厅"],
        "2024-11-04",
    ),
    (
        "web2-028 signature and date run into the text",
        "关于印发湖北省文物、博物专业专业技术职务任职资格申报评审条件(修订试行) 的通知鄂职改办2013128 号各市、州人力资源和社会保障局"
        "(职改办):现将评审条件印发给你们,请遵照执行。自本通知下发之日起,原评审条件即停止执行。湖北省职称改革工作领导小组办公室2013 年 8 月"
        " 30 日湖北省文物、博物专业专业技术职务任职资格申报评审条件第一章总则第一条为了客观公正评价文物、博物专业人员,制定本条件。",
        ["湖北省职称改革工作领导小组办公室"],
        "2013-08-30",
    ),
    (
        "heldout-04 a site-name line above the title gives way to the full signature",
        "綿陽市農業農村局\n首頁 | 機構概況 | 政務公開\n\n關於開展2021年度農業系列高級農藝師、農藝師職稱評審工作的通知\n\n"
        "各縣市區農業農村局:\n\n一、評審範圍\n\n從事農業技術工作的專業技術人員。\n\n綿陽市農業農村局        綿陽市人力資源和社會保障局\n"
        "2021年8月2日",
        ["绵阳市农业农村局", "绵阳市人力资源和社会保障局"],
        "2021-08-02",
    ),
    (
        "issue-12 party and zone bodies",
        "湘江新区党工委组织部 湘江新区管委会\n\n关于开展2024年度工程系列职称评审工作的通知\n\n各单位：\n\n"
        "一、评审范围\n\n新区企业专业技术人员。\n\n湘江新区管委会\n\n2024年6月3日",
        ["湘江新区党工委组织部", "湘江新区管委会"],
        "2024-06-03",
    ),
    (
        "issue-12 a party body and a new area glued in one masthead",
        "中共湘江新区工作委员会组织部湘江新区管理委员会\n关于做好2023年度湘江新区工程系列中级职称评审工作的通知\n湘新组〔2023〕7号\n"
        "各单位：\n一、评审范围\n新区企业专业技术人员。\n中共湘江新区工作委员会组织部        湘江新区管理委员会\n2023年8月20日",
        ["中共湘江新区工作委员会组织部", "湘江新区管理委员会"],
        "2023-08-20",
    ),
    (
        "seed masthead and signature agree",
        "忻州市工业和信息化局 忻州市人力资源和社会保障局\n\n关于开展2024年度全市工程系列高级工程师评审工作的通知\n\n各单位：\n\n"
        "一、评审范围\n\n企业专业技术人员。\n\n忻州市工业和信息化局\n\n2024年9月9日",
        ["忻州市工业和信息化局", "忻州市人力资源和社会保障局"],
        "2024-09-09",
    ),
]


@pytest.mark.parametrize(("origin", "text", "issuers", "date"), SIGNATURES, ids=[s[0] for s in SIGNATURES])
def test_issuers_and_signing_date_wherever_the_page_put_them(
    origin: str, text: str, issuers: list[str], date: str
) -> None:
    n = _notice(text)
    assert (n["issuers"], n["issue_date"]) == (issuers, date)


POSTING_TIMES = [
    (
        "web2-022",
        "高级统计师考试报考条件\n\n更新时间:2012-12-18 13:23:16 来源:|0 浏览0收藏0\n\n参加高级统计师资格评审的人员。"
        + BODY,
    ),
    (
        "web2-034",
        "所属栏目:期刊论文百科问答 发布日期:2021-10-20 15:46 热度:1660\n一级播音员职称评定标准是什么呢?"
        + BODY,
    ),
    (
        "web2-006",
        "档案系列中级职称(馆员)资格条件\n发布日期: 2021-12-14 15:39   |   来源: 天津市人力资源和社会保障局"
        + BODY,
    ),
]


@pytest.mark.parametrize(("origin", "text"), POSTING_TIMES, ids=[p[0] for p in POSTING_TIMES])
def test_a_posting_time_is_not_the_issue_date_nor_the_year(origin: str, text: str) -> None:
    n = _notice(text)
    assert (n["issue_date"], n["year"]) == (None, None)


def test_a_breadcrumb_year_is_not_the_evaluation_year() -> None:
    n = _notice(
        "高级会计师 >\n2025年高会评审条件 >\n辽宁省正高级会计师评审条件 二节 具体条件\n第十二条 学历、资历条件。取得高级会计师资格后从事会计工作5年以上。"
    )
    assert n["year"] is None


# (origin, text, own 文号, cited numbers)
NUMBERS = [
    (
        "web2-048 a column of approval numbers is cited, not the page's own",
        "|\n天津市人才考评中心行政事业性收费标准\n|\n|\n序号\n|\n批准收费的机关及文号\n|\n1\n|\n职称评审\n|\n津价费[2006]273号\n|\n"
        "2\n|\n津发改价费[2012]814号\n|",
        [],
        ["津价费[2006]273号", "津发改价费[2012]814号"],
    ),
    (
        "web2-028 a number that lost both brackets, right after the title",
        "关于印发湖北省文物、博物专业专业技术职务任职资格申报评审条件(修订试行) 的通知鄂职改办2013128 号各市、州人力资源和社会保障局"
        "(职改办):现将评审条件印发给你们,请遵照执行,原评审条件即停止执行,以本通知为准。湖北省职称改革工作领导小组办公室2013 年 8 月 30 日",
        ["鄂职改办〔2013〕128号"],
        [],
    ),
    (
        "issue-12 a word glued in front of a cited number",
        "关于做好2021年度职称评审工作的通知\n\n各单位：\n\n一、评审范围\n\n鉴于粤人社规〔2020〕33号已对评审作出规定，现通知如下。"
        "另据湘人社发〔2019〕5号文件精神执行。",
        [],
        ["粤人社规〔2020〕33号", "湘人社发〔2019〕5号"],
    ),
    (
        "seed masthead number",
        "忻州市工业和信息化局\n\n忻工信函〔2024〕18号\n\n关于开展2024年度全市工程系列高级工程师评审工作的通知\n\n各单位：\n\n"
        "一、依据\n\n按照晋人社厅发〔2021〕28号执行。",
        ["忻工信函〔2024〕18号"],
        ["晋人社厅发〔2021〕28号"],
    ),
]


@pytest.mark.parametrize(("origin", "text", "own", "cited"), NUMBERS, ids=[n[0] for n in NUMBERS])
def test_own_and_cited_document_numbers(origin: str, text: str, own: list[str], cited: list[str]) -> None:
    n = _notice(text)
    assert n["doc_numbers"] == own
    assert [c["number"] for c in n["cited_documents"]] == cited


# (origin, text, province, city)
PLACES = [
    (
        "web2-048 municipality",
        "天津市人才考评中心行政事业性收费标准\n职称评审每人每科60元。",
        "天津市",
        "天津市",
    ),
    (
        "web-016 municipality named in the body",
        "各单位职称申报材料汇总到《重庆市职称申报综合情况(公示)表》,在本单位公示。",
        "重庆市",
        "重庆市",
    ),
    (
        "issue-12 county office",
        "关于开展2024年度职称评审工作的通知\n\n各单位：\n\n一、由长沙县人社局统一受理职称申报材料。",
        "湖南省",
        "长沙市",
    ),
    (
        "issue-12 new area",
        "湘江新区管委会\n\n关于开展2024年度工程系列职称评审工作的通知\n\n各单位：\n\n一、新区企业专业技术人员。",
        "湖南省",
        "长沙市",
    ),
    (
        "web-026 county-level city issuer",
        "鹤山市人民政府\n\n职称申报有效材料时段是指申报人取得业绩成果的计算时间段。",
        "广东省",
        "江门市",
    ),
    (
        "issue-12 province named only in the body, by an office",
        "一、申报条件\n\n"
        + "取得中级职称后从事专业技术工作满5年，业绩突出。" * 30
        + "\n\n二、材料由河南省人力资源和社会保障厅统一受理。",
        "河南省",
        None,
    ),
    (
        "provincial notice naming a county in its body stays provincial",
        "湖南省人力资源和社会保障厅\n\n关于开展2024年度职称评审工作的通知\n\n各单位：\n\n一、长沙县人社局负责本县申报。",
        "湖南省",
        None,
    ),
    (
        "web2-020 an agency's address in its advert places nothing",
        "联系我们\n联系:周老师 电话:15871464096 地址:武汉市洪山区石牌岭路317号 Q Q:739885088\n\n中小学教师评职称要什么条件?\n"
        "正高级教师\n应具有本科学历。",
        None,
        None,
    ),
    (
        "a district two cities share places nothing",
        "鼓楼区人社局关于开展职称评审工作的通知\n\n一、申报条件。",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("origin", "text", "province", "city"), PLACES, ids=[p[0] for p in PLACES])
def test_place_from_counties_new_areas_municipalities_and_body_offices(
    origin: str, text: str, province: str | None, city: str | None
) -> None:
    n = _notice(text)
    assert (n["province"], n["city"]) == (province, city)


@pytest.mark.parametrize(
    "title",
    ["关于做好2023年度湘江新区工程系列中级职称评审工作的通知", "档案系列中级职称(馆员)资格条件"],
)
def test_a_level_is_no_specialty(title: str) -> None:
    assert _notice(title + BODY)["specialties"] == []


# (origin, page, issuers): a page with neither masthead nor signature names its source
SOURCES = [
    (
        "web2-006 the source is the issuing bureau",
        "档案系列中级职称(馆员)资格条件\n发布日期: 2021-12-14 15:39   |   来源: 天津市人力资源和社会保障局   |  \n"
        + BODY,
        ["天津市人力资源和社会保障局"],
    ),
    (
        "web-020 a source between author and time",
        "关于转发《实施意见》的通知\n\n作者:人才开发与专业技术人员管理科 来源:枣庄市人力资源和社会保障局 时间:2023-11-13\n"
        + BODY,
        ["枣庄市人力资源和社会保障局"],
    ),
    (
        "web-040 an abbreviated source names no issuer",
        "岳阳市2024年职称评审材料申报补充通知\n编稿时间: 2024-08-27 09:14 来源: 市人社局\n" + BODY,
        [],
    ),
    (
        "web2-056 a news site is no issuer",
        "50多项台湾地区职业资格可在闽直接采认\n2019-07-18 11:33:00\n来源:中国新闻网\n" + BODY,
        [],
    ),
]


@pytest.mark.parametrize(("origin", "text", "issuers"), SOURCES, ids=[s[0] for s in SOURCES])
def test_issuer_from_the_posting_lines_source(origin: str, text: str, issuers: list[str]) -> None:
    assert _notice(text)["issuers"] == issuers


# (origin, notice, year): the signing year stands in for the evaluation year of a round only
YEARS = [
    (
        "web2-024 an 印发 notice of standing criteria",
        "关于印发《四川省出版专业技术人员高级职称申报评审基本条件》的通知\n\n各单位:\n\n现将基本条件印发给你们。\n\n"
        "四川省新闻出版局\n\n2024年11月4日",
        None,
    ),
    (
        "web2-002 a fee schedule",
        "关于调整专业技术职务任职资格评审收费标准的通知\n\n各单位:\n\n一、评审费每人280元。\n\n浙江省物价局\n\n2002年7月29日",
        None,
    ),
    (
        "web-056 a round of evaluation signed without 年度",
        "关于做好卫生系列高级专业技术职务任职资格评审工作的通知\n\n各单位:\n\n一、任职时间计算到2014年12月31日。\n\n"
        "四川省卫生计生委\n\n2014年8月28日",
        2014,
    ),
]


@pytest.mark.parametrize(("origin", "text", "year"), YEARS, ids=[y[0] for y in YEARS])
def test_signing_year_stands_in_for_a_round_only(origin: str, text: str, year: int | None) -> None:
    assert _notice(text)["year"] == year
