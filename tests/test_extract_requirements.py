"""Requirements: (sentence, expected multiset of (kind, subtype, min_count)), grouped by origin."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import facts_of

SEED = [
    (
        "1. 主持或作为主要技术骨干完成省（部）级以上科研项目、工程技术项目 1 项以上，并经相关部门或机构验收通过。",
        [("project", None, 1)],
    ),
    (
        "4. 主持或作为主要技术骨干参与企业新建或技改项目、科研项目，获得省级以上技改资金、科技资金支持 1 项以上，或市级以上技改资金、科技资金支持 2 项以上。",
        [("funding", None, 1), ("funding", None, 2)],
    ),
    (
        "5. 主持或作为主要技术骨干参与创建的试点示范获批高新技术企业、省级智能制造标杆项目等 1 项以上。",
        [("honor", None, 1)],
    ),
    (
        "9. 主持或作为主要技术骨干研发的拳头产品 1 项以上，单项产品取得销售收入 500 万元以上。",
        [("product", None, 1)],
    ),
    (
        "10. 主持或作为主要技术骨干完成新技术、新工艺、新产品、新材料的开发或推广应用 3 项以上。",
        [("project", None, 3)],
    ),
    (
        "4. 作为主要发明人获得发明专利 1 项以上，或实用新型专利 2 项以上。",
        [("patent", "invention", 1), ("patent", "utility_model", 2)],
    ),
    (
        "6. 完成工程设计或施工项目获市级优秀设计奖 1 项或优秀工程奖 1 项以上（大、中型企业优秀设计奖 1 项以上或优秀工程奖 2 项以上）。",
        [("award", None, 1), ("award", None, 1), ("award", None, 1), ("award", None, 2)],
    ),
    (
        "2. 除1规定以外发表的其它学术论文或专业技术报告总计3篇以上（学术论文3篇以上的不再提交专业技术报告）。",
        [("paper", "general", 3)],
    ),
    (
        "3. 作为主要作者，出版1部学术、技术专著，且本人撰写部分不少于5万字（同时须提交一篇答辩材料）。",
        [("book", None, 1)],
    ),
    (
        "任现职以来年度考核合格以上等次累计不低于 5 次（工程类专业学位硕士不低于 4 次、博士不低于 2 次）。",
        [("assessment", None, 5), ("assessment", None, 4), ("assessment", None, 2)],
    ),
    ("每年至少参加1门公共科目学习并考核合格", [("course", None, 1)]),
    (
        "主持完成并已颁布实施的省级以上行业标准、规程、工法、专业教材等1项可替代1篇论文;授权发明专利可替代1篇论文;",
        [("standard", None, 1)],
    ),
    ("《专业技术人员简介表》20份（规格A3）；公示期不少于 5 个工作日。", []),
    ("专业技术人才业绩突出指取得“业绩成果条件”1-8 项中的一项及以上成果。", []),
]
WEB = [
    (
        "(5)作为主要发明人(排名前3)获得国家授权的、与本专业相关的1项以上发明专利,或作为主要完成人(排名前3)获得国家授权的、与本专业相关的2项以上新型实用专利、外观设计专利或软件著作权;",
        [
            ("patent", "invention", 1),
            ("patent", "utility_model", 2),
            ("patent", "design", 2),
            ("software_copyright", None, 2),
        ],
    ),
    (
        "(4)作为主要参与者(排名前5)完成2项以上省(部)级科研项目,或主持完成2项以上市(厅)级科研项目;",
        [("project", None, 2), ("project", None, 2)],
    ),
    (
        "(3)作为主要完成人,完成1项以上市(厅)级本专业相关科研项目、规划方案或研究课题,对项目的完成有重大贡献。",
        [("project", None, 1), ("plan", None, 1)],
    ),
    (
        "2.获得G家授权的发明专利两项以上,或是实用新型专利3项以上,均为第一发明人;",
        [("patent", "invention", 2), ("patent", "utility_model", 3)],
    ),
    (
        "7.作为第一起草人,主持编制过1项G家行业技术标准、技术规范,或2项省级技术标准、技术规范",
        [("standard", None, 1), ("standard", None, 2)],
    ),
    (
        "(6)作为第一作者在核心期刊上发表1篇以上本专业学术论文,或作为第一作者在正式公开发行的学术刊物上发表2篇以上本专业学术论文",
        [("paper", "core", 1), ("paper", "general", 2)],
    ),
    ("2.《申报评审高级工程师人员花名册》一式1份,按Excel电子报表版本打印。", []),
    (
        "1. 作为主要完成人,获得省(部)级科学技术奖(及相应奖项)二等奖1项以上或三等奖2项以上(排名前5,以个人奖励证书为准)。",
        [("award", None, 1), ("award", None, 2)],
    ),
    (
        "(3)作为主要完成人,完成1项以上市(厅)级本专业相关科研项目、规划方案或研究课题,对项目的完成有重大贡献。",
        [("project", None, 1), ("plan", None, 1)],
    ),
    (
        "(5)作为主要起草人,参与制定本专业相关1项以上国家标准、行业标准或地方标准,或3项以上团体标准,标准已获批",
        [("standard", None, 1), ("standard", None, 3)],
    ),
    (
        "4.参加完成1项以上有技术难度的快递工程技术项目(包括制定技术标准、技术规范、新产品开发、新技术推广)或技术改进项目",
        [("project", None, 1)],
    ),
    ("6.主持或作为前三完成人承担过2项以上重点新产品的研制、设计制造、安装或调试工作", [("project", None, 2)]),
    ("(一)作为主要技术负责人,主持完成2项以上省(部)级以上大数据", [("project", None, 2)]),
    (
        "(7)参与编写并正式出版1部以上专著(省级以上出版社,个人承担5万字以上),或参编1本以上教材(个人承担5万字以上)。",
        [("book", None, 1), ("book", None, 1)],
    ),
    ("申报时,申报人应选取1至3项标志性工作业绩,作为代表个人专业技术能力和水平的成果提交评审", []),
    ("今年,高级评审淘汰率不低于10%,中级评审淘汰率不低于15%", []),
    (
        "3.获得授权发明专利1项，或实用新型专利、软件著作权合计3项以上；",
        [("patent", "invention", 1), ("patent", "utility_model", 3), ("software_copyright", None, 3)],
    ),
    ("（3）作為主要選育人，選育通過省級以上審（認）定的農作物新品種1個；", [("other", None, 1)]),
    ("（2）主持推廣農業新技術、新品種2項以上，推廣面積累計達到1萬畝以上；", [("project", None, 2)]),
    (
        "发表本专业学术论文2篇以上，其中至少1篇发表在北大中文核心期刊上；",
        [("paper", "general", 2), ("paper", "core", 1)],
    ),
    ("任现职以来年度考核均为合格以上等次，其中至少有1次为优秀等次。", [("assessment", None, 1)]),
    ("从思想政治、学识水平、专业能力、工作业绩、奖励加分等六个方面进行考核测评", []),
]


def _got(text: str) -> Counter:
    return Counter((f.kind, f.subtype, f.min_count) for f in facts_of(text).requirements)


@pytest.mark.parametrize(("text", "want"), SEED, ids=[f"seed-{i}" for i in range(len(SEED))])
def test_seed(text: str, want: list) -> None:
    assert _got(text) == Counter(want)


@pytest.mark.parametrize(("text", "want"), WEB, ids=[f"web-{i}" for i in range(len(WEB))])
def test_web(text: str, want: list) -> None:
    assert _got(text) == Counter(want)


def test_amounts_words_and_ranks_ride_along() -> None:
    book = facts_of("出版本专业著作1部(本人撰写5万字以上)以上;").requirements[0]
    assert book.min_words == 50000
    product = facts_of("研发的拳头产品 1 项以上，单项产品取得销售收入 500 万元以上。").requirements[0]
    assert product.min_amount_cny == 5_000_000
    award = facts_of("获得省（部）级科学技术奖三等奖1项以上（排名前5，以个人奖励证书为准）。").requirements[0]
    assert (award.rank_max, award.level) == (5, "provincial")
