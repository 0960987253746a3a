"""Contacts, e-mails and URLs of reposted pages: the host's adverts are not the notice's — cases by origin."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import run_text

HEAD = "关于开展2024年度全市工程系列高级工程师评审工作的通知\n\n各单位：\n\n一、申报条件\n\n取得工程师职称后从事专业技术工作满5年。\n\n"


def _facts(text: str) -> tuple[dict[str, Any], list[str]]:
    record = run_text(text)
    return record["facts"], record["warnings"]


# (origin, page furniture printed around a notice, whether a phone/e-mail/URL was there to drop)
ADVERTS = [
    (
        "web2-020 an agency's 联系我们 block with QQ",
        "联系我们\n联系:周老师 电话:15871464096 邮箱:739885088@qq.com 地址:武汉市洪山区石牌岭路317号 "
        "网址:www.hbzc.org,www.hbzcpsdl.com/ Q Q:739885088\n业务范围\n产品信息\n\n",
        True,
    ),
    (
        "web2-036 微信号",
        "律师职称怎么评定:\n\n微信号:jy002002007\n添加微信好友, 获取更多信息\n复制微信号\n\n",
        False,
    ),
    ("web2-046 a 400 service hotline", "服务热线\n400 180 8892\n提示 | |\n", False),
    (
        "web2-002 the copied page's own address",
        "原文网址:http://rsj.jinhua.gov.cn/art/2022/3/24/art_1229165033_58715002.html\n\n"
        "分享到:\n  • 扫码加建筑类考试老师微信\n  • .先添加客服,再由客服按实际情况推荐给考试老师\n",
        True,
    ),
    (
        "heldout-04 a government site's footer",
        "主办单位：绵阳市农业农村局 电话：0816-2222333 网站标识码：5107000031\n",
        True,
    ),
    ("web host's 来源 link", "来源：http://www.zcpdw.com/zczn/118.html\n", True),
    ("agency hotline", "职称代评代办，全国咨询热线：400-618-9090 联系我们：王老师 13800001111\n", True),
    (
        "web2-044 an advert glued into a sentence",
        "6.创建新的学科领域,经省级主管部门鉴定认可论.文.服.务.QQ:81995535,填补省内空白。\n",
        False,
    ),
    (
        "web2-012 an advert glued into a sentence",
        "(二)年度考核不合格者论.文.客.服.QQ,80018565,延期2年申报。咨询电话:80018565\n",
        True,
    ),
]


@pytest.mark.parametrize(("origin", "furniture", "dropped"), ADVERTS, ids=[a[0] for a in ADVERTS])
@pytest.mark.parametrize("where", ["before", "after"])
def test_site_and_advert_furniture_gives_no_contact(
    origin: str, furniture: str, dropped: bool, where: str
) -> None:
    text = furniture + HEAD if where == "before" else HEAD + furniture
    facts, warnings = _facts(text)
    assert (facts["contacts"], facts["emails"], facts["urls"]) == ([], [], [])
    assert any("advert" in w for w in warnings) == dropped


# (origin, the notice's own contact lines, names, phones, emails, urls)
REAL = [
    (
        "seed two people, one phone and an e-mail",
        "联系人：刘艾东 张楠\n联系电话：0350-3334038\n邮箱：gxjrsk2021@163.com\n网址：https://gxj.sxxz.gov.cn\n",
        ["刘艾东", "张楠"],
        ["0350-3334038"],
        ["gxjrsk2021@163.com"],
        ["https://gxj.sxxz.gov.cn"],
    ),
    (
        "heldout-08 office, person, landline and mobile",
        "湖南省工业和信息化厅人事教育处：谭晓敏，0731-88951236，18907312645，邮箱：hngxtrjc@126.com\n",
        ["谭晓敏"],
        ["0731-88951236", "18907312645"],
        ["hngxtrjc@126.com"],
        [],
    ),
    (
        "heldout a QQ mailbox is a real address when no advert cue is near",
        "联系人：王老师\n咨询电话：0717-6881234\n邮箱：123456789@qq.com\n",
        ["王老师"],
        ["0717-6881234"],
        ["123456789@qq.com"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("origin", "lines", "names", "phones", "emails", "urls"), REAL, ids=[r[0] for r in REAL]
)
def test_real_contacts_stay_beside_a_site_footer(
    origin: str, lines: str, names: list[str], phones: list[str], emails: list[str], urls: list[str]
) -> None:
    footer = "\n联系我们\n客服QQ:80018565 服务热线:400-180-8892\n版权所有 某某职称网\n"
    facts, _ = _facts(HEAD + "二、联系方式\n\n" + lines + footer)
    assert sorted({c["name"] for c in facts["contacts"] if c["name"]}) == sorted(names)
    assert sorted({c["phone"] for c in facts["contacts"] if c["phone"]}) == sorted(phones)
    assert facts["emails"] == emails
    assert facts["urls"] == urls
