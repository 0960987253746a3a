"""Clause trees of unseen page shapes: headings, glued 章/条, repaired labels — table cases by class.

Each case is a short excerpt in the shape of the named file (web2, web, held-out, seed); the
last test checks the clause facets of every gold file whose clauses are scored.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.normalize import normalize
from pipeline.record import _clause
from pipeline.segment import segment
from tests.conftest import GOLD, ROOT, SHARED, load_json, needs_shared, scorer


def _top(text: str) -> list[tuple[str, str | None]]:
    return [(c.label, c.heading) for c in segment(normalize(text)) if c.label]


def _second(text: str) -> list[tuple[str, str]]:
    return [(c.label, ch.label) for c in segment(normalize(text)) if c.label for ch in c.children if ch.label]


HEADINGS = [
    # (class, origin, text, expected top-level (label, heading))
    (
        "title before the first stop, then the selection rule",
        "web2-006",
        "(一)学历、资历要求。应符合下列条件之一:\n1.具备博士学位。\n(二)专业能力要求。比较熟悉档案工作法律法规。\n"
        "(三)业绩成果要求。应具备下列成果中的2项:\n1.研究成果获奖。",
        [("(一)", "学历、资历要求"), ("(二)", "专业能力要求"), ("(三)", "业绩成果要求")],
    ),
    (
        "title before the first stop, body on the same line",
        "heldout-03",
        "一、申报范围及专业\n正文。\n二、申报条件\n正文。\n三、申报时间。申报人须于2022年10月24日至11月11日登录平台。\n",
        [("一、", "申报范围及专业"), ("二、", "申报条件"), ("三、", "申报时间")],
    ),
    (
        "title before a comma and the rule that selects its items",
        "web2-036",
        "1、专业理论知识, 符合下列条件:\n(1) 具有扎实的法律专业基础理论知识。\n2、工作能力与经历, 符合下列条件:\n"
        "(1) 具有办理较大案件的能力。\n3、论文与论 ( 译 ) 著, 符合下列条件之一:\n(1) 发表论文1篇以上。",
        [("1、", "专业理论知识"), ("2、", "工作能力与经历"), ("3、", "论文与论 ( 译 ) 著")],
    ),
    (
        "a time phrase before the rule is not a title",
        "web-004",
        "1.系统掌握专业基础理论知识和专业技术知识,具有跟踪本专业科技发展的能力。\n2.具有指导工程师工作的能力。\n"
        "3.任现职以来,符合下列条件之一:\n(1)主持完成项目1项。",
        [("1.", None), ("2.", None), ("3.", None)],
    ),
    (
        "a sentence's subject or verb before the rule is not a title",
        "unseen-page shape",
        "（一）具有良好的职业道德，符合下列条件之一：\n1.遵守法律。\n（二）申报人员，须符合以下条件：\n1.从事专业工作。",
        [("（一）", None), ("（二）", None)],
    ),
    (
        "a run of plain sentences: a short one among them is a sentence too",
        "web2-032",
        "一、遵守国家法律、法规,热爱体育事业,具有良好的职业道德。\n\n二、专职从事体育项目训练和指导工作,具备相应的专业知识,"
        "切实履行教练员岗位职责。\n\n三、具备从事教练员工作必备的身心条件。\n\n四、按照要求完成岗位培训。\n\n"
        "五、教练员申报各层级职称,还应分别具备以下条件:\n",
        [("一、", None), ("二、", None), ("三、", None), ("四、", None), ("五、", None)],
    ),
    (
        "an achievement item among long items is no title",
        "web2-010",
        "(一)获长江韬奋奖。\n(二)享受国务院特殊津贴,或获中宣部文化名家暨“四个一批”人才称号。\n"
        "(三)作为主要采编人员完成的作品获得国家级新闻奖二等奖以上1次,或省级新闻奖一等奖1次。",
        [("(一)", None), ("(二)", None), ("(三)", None)],
    ),
    (
        "a fee notice's items: sentences, one with a date before its stop",
        "web2-002",
        "一、适当调整评审费标准,调整后标准为:高级职务评审费每人280元。\n\n二、评审推荐费按上述标准调整后,收费同时予以取消。\n\n"
        "三、专业技术职务任职资格证书、专业职务聘书工本费统一按每本5元执行。\n\n"
        "四、以上收费标准自2002年8月1日起执行。各评审机构应按规定申领《收费许可证》。\n",
        [("一、", None), ("二、", None), ("三、", None), ("四、", None)],
    ),
    (
        "a whole-line title ending in a stop, beside a sure title of the same run",
        "web2-046",
        "第十二条学历、资历条件。应具有大学本科以上学历,从事会计工作5年以上。\n第十三条 工作业绩和能力。\n"
        "1.单位会计人员。应负责单位的财务会计工作。",
        [("第十二条", "学历、资历条件"), ("第十三条", "工作业绩和能力")],
    ),
    (
        "a whole-line title ending in a stop, with its body on the lines below",
        "web-056",
        "(一)任职时间计算。\n任职时间计算到2014年12月31日,任职年限须扣除脱产学习的时间。\n(二)评审经费。\n"
        "根据省物价局规定,申报人员须缴纳评审费240元。\n(三)申报材料处理。\n凡评审未通过者,不再进行复议。\n"
        "(四)评审委员会办公室设在省卫生计生委人事处,具体事务由省卫生人才交流中心承担。",
        [("(一)", "任职时间计算"), ("(二)", "评审经费"), ("(三)", "申报材料处理"), ("(四)", None)],
    ),
    (
        "an item line ending in a colon heads its sub-items",
        "web2-042",
        "1.本专业中专毕业,从事本专业技术工作15年以上;\n"
        "1.水利科学研究类工程师应具备的专业工作能力和业绩成果要求:\n(1)专业工作方面应具备下列条件之一:\n①参加科研课题。",
        [("1.", None), ("1.", "水利科学研究类工程师应具备的专业工作能力和业绩成果要求")],
    ),
    (
        "an item line ending in a colon with nothing under it is no title",
        "web2-018",
        "1.基本要求\n忠诚于人民的教育事业。\n2.副教授岗位的业绩要求:\n(1)教学工作量饱满。\n3.申报人须提交的材料清单:\n",
        [("1.", "基本要求"), ("2.", "副教授岗位的业绩要求"), ("3.", None)],
    ),
    (
        "a title glued to the body of an article",
        "web2-060",
        "第一条专业理论知识要求\n系统地掌握本专业的基础理论知识。\n"
        "第二条专业技术工作经历(能力)要求任现职期间,具备下列条件之一:\n(一)从事作物栽培工作的农业技术人员。",
        [("第一条", "专业理论知识要求"), ("第二条", "专业技术工作经历(能力)要求")],
    ),
    (
        "a short title, a space, then the body on the label line",
        "unseen-page shape",
        "一、评审范围 本次评审面向全市企事业单位。\n二、申报条件 申报人须遵守法律,具有良好品德。",
        [("一、", "评审范围"), ("二、", "申报条件")],
    ),
    (
        "a sentence that starts an article is not a glued title",
        "web-014",
        "第二条 职称评审是按照规定的评审条件和程序,对专业技术人才进行评价的活动。\n"
        "第三条本条件适用于在职在岗的专业技术人员。\n第四条按照本评定标准,经评审合格者表明其具备相应水平。",
        [("第二条", None), ("第三条", None), ("第四条", None)],
    ),
]


@pytest.mark.parametrize(
    ("cls", "origin", "text", "want"), HEADINGS, ids=[f"{h[1]}-{i}" for i, h in enumerate(HEADINGS)]
)
def test_heading_classes(cls: str, origin: str, text: str, want: list[tuple[str, str | None]]) -> None:
    assert _top(text) == want, cls


GLUED = (
    "副研究馆员评定标准第一章总则第一条为客观、公正地评价档案专业人员的学识水平,制定本评定标准。\n"
    "第二条按照本评定标准,经评审合格者,表明其已具备相应水平。\n"
    "第二章适用范围第三条本评定标准中的“档案专业人员”指:在各单位从事档案管理工作的专业人员。\n"
    "第三章申报人员技术资历鉴定标准第四条基本资历(一)本人所取得的最高学历、学位证书。\n(二)本人所取得的馆员资格证书。\n"
    "第五条主要贡献取得馆员资格证书后,在工作中做出如下贡献之一:(一)获得科技成果一等奖一项。"
)


def test_chapters_and_articles_glued_into_one_line() -> None:
    """web2-008: 第一章 after the document's name, each chapter's title run into its first article."""
    assert _top(GLUED) == [("第一章", "总则"), ("第二章", "适用范围"), ("第三章", "申报人员技术资历鉴定标准")]
    assert _second(GLUED) == [
        ("第一章", "第一条"),
        ("第一章", "第二条"),
        ("第二章", "第三条"),
        ("第三章", "第四条"),
        ("第三章", "第五条"),
    ]
    third = [ch.heading for c in segment(normalize(GLUED)) if c.label == "第三章" for ch in c.children]
    assert third == ["基本资历", "主要贡献"]


@pytest.mark.parametrize(
    "text",
    [
        "其余事项按照本办法第三章第十条规定执行。\n",  # a cross-reference: no title between 章 and 条
        "具体要求依照第二章有关规定第五条办理。\n",  # 有关规定 is running text, not a title
    ],
)
def test_cross_references_are_not_labels(text: str) -> None:
    assert _top(text) == []


COMMA_LABELS = [
    (
        "web2-026",
        "一,具有较高的专业理论水平和技术能力,在本专业某一方面有深入的研究。\n\n二、具有较丰富的专业工作经验。\n\n三、主持完成研究报告。",
        ["一、", "二、", "三、"],
    ),
    ("no second label", "一,二级建造师可申报。\n正文。", []),
    ("web-016-like", "七,具备相应学历。\n八、业绩条件。\n", ["七、", "八、"]),
]


@pytest.mark.parametrize(("origin", "text", "want"), COMMA_LABELS, ids=[c[0] for c in COMMA_LABELS])
def test_a_label_printed_with_a_comma_is_read_when_its_run_confirms_it(
    origin: str, text: str, want: list[str]
) -> None:
    assert [label for label, _ in _top(text)] == want


def test_many_comma_lines_without_a_run_are_no_labels() -> None:
    """Each 一, line looks its successor up once (an index of the 一、 labels), not by a scan."""
    assert _top("一,甲乙丙\n" * 5000 + "二,丁\n") == []


def _gold_files() -> list[tuple[str, Path, Path]]:
    sets = [
        ("web2", SHARED / "corpus" / "web2"),
        ("web", SHARED / "corpus" / "web"),
        ("heldout", ROOT / "tests" / "fixtures" / "heldout"),
    ]
    out = []
    for name, corpus in sets:
        for g in sorted((GOLD / name).glob("*.gold.json")):
            gold = load_json(g)
            if "clauses.top" in gold.get("scored", []):
                out.append((name, g, corpus / gold["source_file"]))
    return out


@needs_shared
@pytest.mark.parametrize(
    ("name", "gold_path", "source"), _gold_files(), ids=lambda x: x.name if isinstance(x, Path) else x
)
def test_clause_facets_match_every_gold(name: str, gold_path: Path, source: Path) -> None:
    """Top-level labels with headings, and second-level labels, as the scorer keys them."""
    score = scorer()
    gold = load_json(gold_path)
    record = {"clauses": [_clause(c) for c in segment(normalize(source.read_text(encoding="utf-8")))]}
    for facet in ("clauses.top", "clauses.second"):
        if facet in gold["scored"]:
            assert score._keys(facet, record) == score._keys(facet, gold), facet
