"""Clause tree: labels and headings of the seeds as the gold has them, and the hard shapes."""

from __future__ import annotations

import pytest

from pipeline.normalize import normalize
from pipeline.segment import label_number, segment, walk
from tests.conftest import GOLD, RAW, load_json


def _tree(text: str):  # type: ignore[no-untyped-def]
    return segment(normalize(text))


@pytest.mark.parametrize("name", ["000_020e7bca74b620b8", "004_44f96866d5556162"])
def test_seed_tree_matches_gold(name: str) -> None:
    gold = load_json(GOLD / "seeds" / f"{name}.gold.json")["clauses"]
    tree = [c for c in _tree((RAW / f"{name}.txt").read_text(encoding="utf-8")) if c.label]
    assert [(c.label, c.heading) for c in tree] == [(g["label"], g["heading"]) for g in gold]
    for c, g in zip(tree, gold, strict=True):
        got = [ch.label.replace("(", "（").replace(")", "）") for ch in c.children if ch.label]
        assert got == [x["label"] for x in g["children"]]


def test_unnumbered_opening_and_closing_nodes() -> None:
    tree = _tree(
        "关于开展评审工作的通知\n\n各单位：\n\n一、范围\n\n正文。\n\n二、条件\n\n正文。\n\n联系人：张三\n\n某某局\n\n2024年9月9日"
    )
    assert [c.id for c in tree] == ["0", "1", "2", "end"]
    assert tree[-1].text.startswith("联系人")


def test_numbering_restarts_inside_each_clause() -> None:
    tree = _tree("（一）甲\n\n1. 一项\n\n2. 二项\n\n（二）乙\n\n1. 三项")
    assert [len(c.children) for c in tree] == [2, 1]
    assert tree[1].children[0].id == "2.1"


def test_half_width_labels_and_deeper_levels() -> None:
    tree = _tree("一、条件\n\n(一) 学历\n\n1. 本科\n\n(1) 全日制\n\n① 甲")
    node = tree[0]
    depth = 0
    while node.children:
        node = node.children[0]
        depth += 1
    assert depth == 4 and node.label == "①"


def test_excerpt_that_starts_inside_a_list_keeps_the_outer_level_on_top() -> None:
    tree = _tree("3.甲甲甲甲\n\n4.乙乙乙乙\n\n第三章 评价标准\n\n第六条 专业理论知识要求")
    top = [c for c in tree if c.label]
    assert [c.label for c in top] == ["第三章"]
    assert [c.label for c in tree[0].children] == ["3.", "4."]


def test_decimal_and_date_are_not_labels() -> None:
    tree = _tree("正文\n\n2.5万元以上的项目\n\n2.2019年1月1日至12月31日期间达到退休年龄")
    labels = [c.label for c in walk(tree) if c.label]
    assert labels == ["2."]


def test_clause_spans_point_at_their_text() -> None:
    text = (RAW / "000_020e7bca74b620b8.txt").read_text(encoding="utf-8")
    norm = normalize(text)
    for c in walk(segment(norm)):
        assert norm.text[c.span[0] : c.span[1]] == c.text


@pytest.mark.parametrize(
    ("label", "number"), [("（十二）", 12), ("二十、", 20), ("3.", 3), ("(1)", 1), ("十、", 10), ("①", None)]
)
def test_label_number(label: str, number: int | None) -> None:
    assert label_number(label) == number


def test_a_long_list_keeps_its_structure() -> None:
    """5,000 items under two clauses (labels 1.–99. over and over): every id counts its siblings."""
    items = [f"{i % 99 + 1}. 第{i}项条件。\n\n（1）甲\n\n（2）乙" for i in range(5000)]
    text = "一、条件\n\n" + "\n\n".join(items) + "\n\n二、材料\n\n1. 表格\n\n2. 证书"
    tree = _tree(text)
    assert [c.id for c in tree] == ["1", "2"]
    first = tree[0].children
    assert [c.id for c in first] == [f"1.{i}" for i in range(1, 5001)]
    assert [c.label for c in first[97:101]] == ["98.", "99.", "1.", "2."]
    assert all([ch.id for ch in c.children] == [f"{c.id}.1", f"{c.id}.2"] for c in first)
    assert first[4999].text == "50. 第4999项条件。" and first[4999].children[1].text == "（2）乙"
    assert [c.id for c in tree[1].children] == ["2.1", "2.2"]
    assert len(walk(tree)) == 2 + 5000 * 3 + 2
