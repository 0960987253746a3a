"""Table tests of the builder's combining rules, one small notice per row (cases in the shapes of several excerpts).

Each row is a notice a careful reader can judge at a glance and the tree it states, normalised
by the scorer (ids, spans and wrappers dropped, children sorted), so a row says only *how* the
conditions combine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import ingest_file
from tests import criteria_score as cs

HEAD = "高级工程师职称评审\n"


def tree(tmp_path: Path, body: str) -> list[tuple[str, Any]]:
    p = tmp_path / "n.txt"
    p.write_text(HEAD + body, encoding="utf-8")
    return cs.tree(ingest_file(p)["criteria"])


def leaf(*key: Any) -> tuple[str, tuple[Any, ...]]:
    return ("leaf", key)


def group(op: str, k: int, *kids: Any) -> tuple[Any, ...]:
    return ("group", op, k, tuple(sorted(kids, key=repr)))


def deg(*d: str) -> tuple[str, tuple[Any, ...]]:
    return leaf("degree", tuple(sorted(d)))


def yrs(n: float, basis: str = "title") -> tuple[str, tuple[Any, ...]]:
    return leaf("years", float(n), basis)


def cnt(
    kind: str, n: float, subtype: str | None = None, implied: bool = False
) -> tuple[str, tuple[Any, ...]]:
    return leaf("count", kind, subtype, float(n), implied)


RULES = [
    # A section whose own sentence is 之一 is one condition whose items are the choices (web2-006's
    # 学历、资历要求。应符合下列条件之一), even when its heading makes it look like a container.
    (
        "一、申报条件\n（一）学历、资历要求。应符合下列条件之一:\n1.具备博士学位。\n"
        "2.具备硕士学位,取得工程师职称后,从事专业技术工作满2年。\n"
        "3.具备大学本科学历,取得工程师职称后,从事专业技术工作满5年。",
        group(
            "any",
            1,
            deg("doctor"),
            group("all", 0, deg("master"), yrs(2)),
            group("all", 0, deg("bachelor"), yrs(5)),
        ),
    ),
    # A bare 业绩成果条件 heading over numbered achievements: alternatives (web-024); an item's
    # 并获得省部级以上表彰 after its count is a second demand of that item; an item naming an award
    # without a number is an implied count.
    (
        "三、业绩成果条件\n1.主持或作为主要完成人获得省级科技进步奖;\n2.获得授权的发明专利两项以上;\n"
        "3.主持完成2项以上大中型工程设计;并获得省部级以上表彰;",
        group(
            "any",
            1,
            cnt("award", 1, implied=True),
            cnt("patent", 2, "invention"),
            group("all", 0, cnt("project", 2), cnt("honor", 1, implied=True)),
        ),
    ),
    # A substitute without a count of its own (seed 004's 授权发明专利可替代1篇论文): an alternative
    # to the paper it replaces; its 1篇 is the paper's.
    (
        "（六）论文要求\n1.在专业期刊上发表本专业论文1篇(字数不少于3000字)。授权发明专利可替代1篇论文;",
        group("any", 1, cnt("paper", 1, "general"), cnt("patent", 1, "invention", implied=True)),
    ),
    # Two rows of one degree joined by 或 are alternatives (web-004's doctor rows).
    (
        "二、资历条件\n1.具备博士学位,取得工程师职称后从事本专业技术工作满2年;或具备博士学位,从事本专业技术工作满3年。",
        group(
            "any",
            1,
            group("all", 0, deg("doctor"), yrs(2)),
            group("all", 0, deg("doctor"), yrs(3, "work")),
        ),
    ),
    # An item whose heading is itself a condition (web-024's 2.按要求完成继续教育培训学习。) keeps it.
    (
        "二、基本条件\n1.按要求完成继续教育培训学习。每年参加继续教育公需课学习不少于24小时。\n2.遵守职业道德。",
        group("all", 0, cnt("course", 24), leaf("text", "continuing_education"), leaf("text", "ethics")),
    ),
    # 并通过验收 after a count is a demand of its own (all in the item); 符合下列条件中的2条以上 is any 2.
    (
        "四、业绩条件,符合下列条件中的2条以上:\n(1)完成2项以上重大工程项目,并通过验收。\n"
        "(2)获得市级以上先进工作者称号。\n(3)作为第一作者在核心期刊上发表论文2篇以上。",
        group(
            "any",
            2,
            group("all", 0, cnt("project", 2), leaf("text", "accepted")),
            cnt("honor", 1, implied=True),
            cnt("paper", 2, "core"),
        ),
    ),
]


UPB = ("bachelor", "second_bachelor", "master", "master_professional", "doctor")

# Excerpts without a 申报条件 heading (web2-016, web-002 shapes): whole route lists.
FLAT = [
    # (二) announces a list of its own children and is still an item of the 之一 run above it; the
    # paragraphs after its last item are back at the level of the text (the segmenter hangs them on
    # item 2); the head 主持完成…5项以上,且符合下列条件之一: keeps its own count beside its list;
    # 业绩显著 beside years alone is a demand of its own.
    (
        "符合下列条件之一:\n\n(一)具备大学本科以上学历,取得高级工程师职称后,从事本专业技术工作满5年。\n\n"
        "(二)从事本专业技术工作满10年,业绩显著,并具备下列条件之一:\n\n1.获得省级科学技术二等奖以上。\n\n"
        "2.获得国家发明专利金奖。\n\n熟练掌握本专业的法律法规和技术标准。\n\n"
        "主持完成大中型工程项目5项以上,且符合下列条件之一:\n\n(一)发表核心期刊论文2篇以上。\n\n(二)出版专著1部以上。",
        [
            (
                "regular",
                group(
                    "all",
                    0,
                    group(
                        "any",
                        1,
                        group("all", 0, deg(*UPB), yrs(5)),
                        group(
                            "all",
                            0,
                            yrs(10, "work"),
                            leaf("text", "outstanding"),
                            group("any", 1, cnt("award", 1, implied=True), cnt("award", 1, implied=True)),
                        ),
                    ),
                    leaf("text", "knowledge"),
                    cnt("project", 5),
                    group("any", 1, cnt("paper", 2, "core"), cnt("book", 1)),
                ),
            )
        ],
    ),
    # A 破格 rule that prints its own years (不具备上述规定学历…满8年; 具备上述规定学历…满4年, where 上述
    # is the 本科以上 of the row above) replaces the regular degree and years: it refers only to the
    # other sections (专业理论知识要求:, 工作经历要求:), which a heading line ends the list before.
    (
        "学历、资历要求:\n符合下列条件之一,可申报:\n(一)具备大学本科以上学历,取得高级工程师职称后,从事本专业技术工作满5年。\n"
        "(二)不具备上述规定学历要求,取得高级工程师职称后,从事本专业技术工作满8年,符合下列条件之一,可破格申报;"
        "或具备上述规定学历条件,取得高级工程师职称后,从事本专业技术工作满4年,符合下列条件之一,可破格申报:\n"
        "1. 获得省级科学技术二等奖以上。\n2. 在生产一线从事本专业技术工作累计满30年。\n"
        "专业理论知识要求:\n熟练掌握本专业的法律法规和技术标准。\n工作经历要求:\n须具备下列条件之一:\n"
        "(一)主持完成2项以上省级以上工程项目。",
        [
            (
                "exceptional",
                group(
                    "all",
                    0,
                    group("any", 1, yrs(8), group("all", 0, deg(*UPB), yrs(4))),
                    group("any", 1, cnt("award", 1, implied=True), yrs(30, "work")),
                    ("ref",),
                    ("ref",),
                ),
            ),
            ("regular", group("all", 0, deg(*UPB), yrs(5), leaf("text", "knowledge"), cnt("project", 2))),
        ],
    ),
    # Two years in one row joined by ,或 are alternatives under the row's degree.
    (
        "符合下列条件,可申报:\n(一)具备大学本科以上学历,担任审计机构负责人累计满5年,或在会计师事务所专职执业满5年。\n"
        "(二)遵守职业道德。",
        [
            (
                "regular",
                group(
                    "all",
                    0,
                    deg(*UPB),
                    group("any", 1, yrs(5, "post"), yrs(5, "work")),
                    leaf("text", "ethics"),
                ),
            )
        ],
    ),
]


@pytest.mark.parametrize(("body", "want"), RULES, ids=[f"rule-{i}" for i in range(len(RULES))])
def test_rule(tmp_path: Path, body: str, want: Any) -> None:
    assert tree(tmp_path, body) == [("regular", want)]


@pytest.mark.parametrize(("body", "want"), FLAT, ids=[f"flat-{i}" for i in range(len(FLAT))])
def test_flat_excerpt_rule(tmp_path: Path, body: str, want: Any) -> None:
    assert tree(tmp_path, body) == want


def test_praise_before_the_count_is_no_condition() -> None:
    """web2-036 (2): 意见被采纳…挽回重大损失1件以上 — 采纳 describes the case counted, it adds nothing."""
    root = Path(__file__).resolve().parent.parent
    crit = ingest_file(root / ".." / "shared" / "corpus" / "web2" / "web2-036.txt")["criteria"]
    tags = [n for r in crit["routes"] for n in _leaves(r["requires"]) if n.get("clause") == "4.2"]
    assert [n["atom"] for n in tags] == ["count", "count"]


def _leaves(n: dict[str, Any]) -> list[dict[str, Any]]:
    return [n] if "atom" in n else [x for ch in n.get("of", ()) for x in _leaves(ch)]
