"""Normalisation: table of what each pass must do, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize import normalize

CASES = [
    # (origin, raw, expected normalised text)
    ("seed", "任工程师满 5 年，即 2019 年底前取得", "任工程师满5年，即2019年底前取得"),
    ("seed", "机械、电子、 新材料专业", "机械、电子、新材料专业"),
    (
        "seed",
        "认真履行岗位职责、遵守纪律，热爱本职工作，认真履行岗位职\n\n责。",
        "认真履行岗位职责、遵守纪律，热爱本职工作，认真履行岗位职责。",
    ),
    ("seed", "## 二、申报条件", "二、申报条件"),
    ("seed", "#### **（四）学历认定问题**", "（四）学历认定问题"),
    ("seed", "邮箱：[lygsjxw@126.com](mailto:lygsjxw@126.com)（邮件", "邮箱：lygsjxw@126.com（邮件"),
    ("seed", "网站(<https://gxj.sxxz.gov.cn>)", "网站(https://gxj.sxxz.gov.cn)"),
    ("seed", "正文\n\n(此页无正文)\n\n公开类型", "正文\n\n公开类型"),
    ("web", "申報(bào)參加專業(yè)技術(shù)人才職稱評審", "申报参加专业技术人才职称评审"),
    ("web", "规范职称评审工作【zuò】,加强【qiáng】", "规范职称评审工作,加强"),
    ("web", "砖科,中及满 5年,工作满 18 年", "专科,中级满5年,工作满18年"),
    ("web", "应具备G家J育行政部门认可的本专Y", "应具备国家教育行政部门认可的本专业"),
    ("web", "工作满 1o年", "工作满10年"),
    ("web", "矿山设备ღ✿ღ✿,尊龙", "矿山设备,尊龙"),
    ("width", "满２０年，ＳＣＩ收录", "满20年，SCI收录"),
    ("furniture", "第一页正文\n— 3 —\n第二页", "第一页正文\n\n第二页"),
    (
        "bug",
        "高中及以上学历",
        "高中及以上学历",
    ),  # 中及 is a homophone for 中级 only where it reads as a level
]


@pytest.mark.parametrize(
    ("origin", "raw", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_case(origin: str, raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_masthead_keeps_the_space_between_two_issuers() -> None:
    text = normalize("忻州市工业和信息化局 忻州市人力资源和社会保障局\n\n忻工信函〔2024〕18号").text
    assert text.startswith("忻州市工业和信息化局 忻州市人力资源和社会保障局\n")


def test_heading_line_is_not_glued_to_its_body() -> None:
    raw = "一.关于专业技术任职资格申报评审中任职资历、退休年龄截止时间问题\n专业技术人员申报评审专业技术职务任职资格，其任职资历按截止时间计算"
    assert "\n" in normalize(raw).text


_ALPHABET = st.sampled_from(
    list(
        "一二三四五六七八九十年月日满以上项篇职称评审工程师，。；：、（）() \n0123456789１２ｏ#*-—【】[]ā业(yè)"
    )
)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=120))
def test_offsets_point_into_raw(raw: str) -> None:
    norm = normalize(raw)
    assert len(norm.raw_offsets) == len(norm.text) + 1
    assert all(0 <= o <= len(raw) for o in norm.raw_offsets)
    assert list(norm.raw_offsets) == sorted(norm.raw_offsets)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=120))
def test_normalising_twice_changes_nothing(raw: str) -> None:
    once = normalize(raw).text
    assert normalize(once).text == once
