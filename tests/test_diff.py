"""Semantic diff: self-diff is empty, one edit is one change, renumbering is no change.

The text-level tests edit a seed notice the way a real revision would and run
both versions through the whole pipeline, so they also catch records whose
facts move or renumber between runs.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.diff import diff_records
from pipeline.diff.match import payload
from tests.conftest import RAW, ROOT, run_text
from tests.record_factory import blank_record

XINZHOU = "000_020e7bca74b620b8.txt"
LIANYUNGANG = "004_44f96866d5556162.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "diff"
FACT_LISTS = ("service_years", "requirements", "deadlines", "fees", "contacts")


def raw(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds() -> dict[str, dict[str, Any]]:
    return {name: run_text(raw(name)) for name in (XINZHOU, LIANYUNGANG)}


def edited(name: str, old: str, new: str) -> dict[str, Any]:
    text = raw(name)
    assert text.count(old) == 1, f"edit anchor {old!r} must occur once in {name}"
    return run_text(text.replace(old, new))


# ------------------------------------------------------------ self-diff


@pytest.mark.parametrize("name", [XINZHOU, LIANYUNGANG])
def test_seed_against_itself_has_no_changes(seeds: dict[str, dict[str, Any]], name: str) -> None:
    result = diff_records(seeds[name], copy.deepcopy(seeds[name]))
    assert result.changes == ()
    assert result.clauses and {c.status for c in result.clauses} == {"unchanged"}
    assert not result.has_changes


# random records: the matching must not depend on the seeds' particular facts
_words = st.sampled_from(
    ["主持完成", "省级以上", "科研项目", "发明专利", "学术论文", "评审", "联系人", "材料收审"]
)
_text = st.lists(_words, min_size=1, max_size=6).map("".join)
_span = st.tuples(st.integers(0, 5000), st.integers(0, 200)).map(lambda t: [t[0], t[0] + t[1]])
_clause = st.sampled_from(["1", "2.1", "3.4.1", "3.4.2", "end"])


def _fact(**fields: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({**fields, "clause": _clause, "span": _span, "text": _text})


FACTS = {
    "requirements": _fact(
        kind=st.sampled_from(["award", "patent", "paper", "project", "standard", "assessment"]),
        subtype=st.sampled_from([None, "invention", "core"]),
        min_count=st.integers(1, 6),
        unit=st.sampled_from(["项", "篇", "次"]),
        level=st.sampled_from([None, "provincial", "municipal"]),
        group=st.sampled_from(["工作能力条件", "业绩成果条件", "破格"]),
        min_words=st.sampled_from([None, 2000]),
    ),
    "service_years": _fact(
        years=st.integers(1, 20),
        degree=st.sampled_from([None, "doctor", "master", "bachelor"]),
        basis=st.sampled_from(["title", "work"]),
        route=st.sampled_from(["regular", "exceptional"]),
        cutoff=st.sampled_from([None, "2019-12-31", "2020-12-31"]),
        note=st.none(),
    ),
    "deadlines": _fact(
        event=st.sampled_from(["网上申报", "材料收审", "完成评审"]),
        start=st.sampled_from([None, "2024-10-09"]),
        end=st.sampled_from(["2024-10-12", "2024-11-30"]),
        hours=st.just([]),
    ),
    "fees": _fact(
        amount=st.integers(100, 900),
        currency=st.just("CNY"),
        per=st.sampled_from([None, "person"]),
        covers=st.sampled_from([[], ["评审"], ["评审", "论文鉴定"]]),
    ),
    "contacts": _fact(
        org=st.sampled_from([None, "市工信局"]),
        name=st.sampled_from([None, "刘艾东", "张楠"]),
        phone=st.sampled_from(["0350-3334038", "0350-3334066"]),
        email=st.none(),
        address=st.none(),
        url=st.none(),
    ),
}
# the field a "threshold edit" changes in each list, and how
THRESHOLD = {
    "requirements": ("min_count", lambda v: v + 1),
    "service_years": ("years", lambda v: v + 1),
    "deadlines": ("end", lambda v: "2025-01-15"),
    "fees": ("amount", lambda v: v + 1000),
    "contacts": ("phone", lambda v: "0350-9999999"),
}


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    facts = {k: draw(st.lists(s, max_size=8)) for k, s in FACTS.items()}
    notice = {"city": "忻州市", "year": draw(st.integers(2020, 2026)), "series": "工程系列"}
    return blank_record(record_id="r", notice=notice, facts=facts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_record_against_itself_has_no_changes(record: dict[str, Any]) -> None:
    assert diff_records(record, copy.deepcopy(record)).changes == ()


@settings(max_examples=150, deadline=None)
@given(records(), st.randoms(use_true_random=False), st.integers(1, 500))
def test_reordered_facts_with_moved_evidence_are_no_change(
    record: dict[str, Any], rnd: Any, shift: int
) -> None:
    """A renumbered notice moves clauses and spans and may list facts in another order."""
    other = copy.deepcopy(record)
    for facts in other["facts"].values():
        rnd.shuffle(facts)
        for f in facts:
            f["span"] = [f["span"][0] + shift, f["span"][1] + shift]
            f["clause"] = "9." + f["clause"]
    assert diff_records(record, other).changes == ()


@settings(max_examples=200, deadline=None)
@given(records(), st.sampled_from(sorted(THRESHOLD)), st.data())
def test_one_threshold_edit_is_exactly_one_change(
    record: dict[str, Any], section: str, data: st.DataObject
) -> None:
    facts = record["facts"][section]
    if not facts:
        facts.append(data.draw(FACTS[section]))
    i = data.draw(st.integers(0, len(facts) - 1))
    field, bump = THRESHOLD[section]
    other = copy.deepcopy(record)
    old = other["facts"][section][i]
    new = {**old, field: bump(old[field])}
    other["facts"][section][i] = new
    changes = diff_records(record, other).changes
    assert len(changes) == 1, [c.summary for c in changes]
    (c,) = changes
    assert (c.section, c.change) == (section, "changed")
    assert payload(c.before) == payload(old) and payload(c.after) == payload(new)


# ------------------------------------------------------------ one edit in a real notice, per fact kind

TEXT_EDITS = [
    # (seed, old, new, section, words the summary must show)
    (XINZHOU, "发明专利 1 项以上", "发明专利 2 项以上", "requirements", ["发明专利", "1项以上 → 2项以上"]),
    (XINZHOU, "累计不低于 5 次", "累计不低于 6 次", "requirements", ["年度考核", "5次以上 → 6次以上"]),
    (
        XINZHOU,
        "标准（规程、规范）、省级工法 2 项以上",
        "标准（规程、规范）、省级工法 3 项以上",
        "requirements",
        ["省级标准", "2项以上 → 3项以上"],
    ),
    (
        XINZHOU,
        "获博士学位的，任工程师满 2 年",
        "获博士学位的，任工程师满 3 年",
        "service_years",
        ["博士", "满2年", "满3年"],
    ),
    (LIANYUNGANG, "从事本专业技术工作满2年", "从事本专业技术工作满3年", "service_years", ["博士", "满3年"]),
    (
        XINZHOU,
        "10 月 9 日至 10 月 12 日",
        "10 月 9 日至 10 月 15 日",
        "deadlines",
        ["收审材料", "2024-10-09~10-12 → 2024-10-09~10-15"],
    ),
    (LIANYUNGANG, "收费合计 500 元/人", "收费合计 600 元/人", "fees", ["500元/人 → 600元/人"]),
    (
        LIANYUNGANG,
        "联系电话：85811227",
        "联系电话：85811228",
        "contacts",
        ["刘宇翔", "0518-85811227 → 0518-85811228"],
    ),
    (
        XINZHOU,
        "（晋人社厅发〔2021〕28号）",
        "（晋人社厅发〔2022〕30号）",
        "cited_documents",
        ["职称评审管理实施细则", "〔2022〕30号"],
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "section", "words"), TEXT_EDITS, ids=[f"{e[3]}:{e[2]}" for e in TEXT_EDITS]
)
def test_one_edit_in_the_text_is_one_change(
    seeds: dict[str, dict[str, Any]], name: str, old: str, new: str, section: str, words: list[str]
) -> None:
    result = diff_records(seeds[name], edited(name, old, new))
    assert [c.section for c in result.changes] == [section], [c.summary for c in result.changes]
    (c,) = result.changes
    assert c.change == "changed"
    for w in words:
        assert w in c.summary, c.summary
    statuses = [cl.status for cl in result.clauses]
    assert statuses.count("changed") == 1 and set(statuses) <= {"changed", "unchanged"}


def test_removed_list_item_with_renumbering_is_only_that_removal(seeds: dict[str, dict[str, Any]]) -> None:
    """工作能力条件 item 7 removed, 8–10 renumbered 7–9: one removal, no item after it changed."""
    text = raw(XINZHOU)
    item7 = "7. 主持或作为主要技术骨干编制完成市级以上行业发展规划、大型企业总体规划总计 2 项以上，并经专家评审和相关部门鉴定认可。\n\n"
    assert text.count(item7) == 1
    text = text.replace(item7, "")
    for old, new in (
        ("8. 主持或作为主要编制人", "7. 主持或作为主要编制人"),
        ("9. 主持或作为主要技术骨干研发", "8. 主持或作为主要技术骨干研发"),
        ("10. 主持或作为主要技术骨干完成新技术", "9. 主持或作为主要技术骨干完成新技术"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    after = run_text(text)
    # the renumbering really moved the later facts to other clause ids
    assert {f["clause"] for f in after["facts"]["requirements"]} != {
        f["clause"] for f in seeds[XINZHOU]["facts"]["requirements"]
    }
    result = diff_records(seeds[XINZHOU], after)
    assert [(c.section, c.change) for c in result.changes] == [("requirements", "removed")], [
        c.summary for c in result.changes
    ]
    assert result.changes[0].before["kind"] == "plan"
    assert result.changes[0].summary == "删除: 市级规划（工作能力条件） 2项以上"
    statuses = [c.status for c in result.clauses]
    assert statuses.count("removed") == 1 and set(statuses) == {"removed", "unchanged"}
    (gone,) = [c for c in result.clauses if c.status == "removed"]
    assert gone.a is not None and gone.a.id == "3.4.7"


# ------------------------------------------------------------ a realistic next-year notice

EXPECTED_YOY = {
    ("notice", "changed", "年度: 2024 → 2025"),
    ("notice", "changed", "文号: 忻工信函〔2024〕18号 → 忻工信函〔2025〕21号"),
    ("notice", "changed", "印发日期: 2024-09-09 → 2025-09-08"),
    ("service_years", "changed", "不限学历: 任现职称满5年，2019-12-31前 → 任现职称满5年，2020-12-31前"),
    (
        "service_years",
        "changed",
        "专业学位硕士: 任现职称满4年，2020-12-31前 → 任现职称满4年，2021-12-31前",
    ),
    ("service_years", "changed", "博士: 任现职称满2年，2022-12-31前 → 任现职称满3年，2022-12-31前"),
    ("requirements", "changed", "发明专利（业绩成果条件）: 1项以上 → 2项以上"),
    ("requirements", "removed", "删除: 市级规划（工作能力条件） 2项以上"),
    ("deadlines", "changed", "收审材料: 2024-10-09~10-12 → 2025-10-13~10-17"),
    ("fees", "added", "新增评审费 400元/人"),
}


def test_year_over_year_report_is_complete_with_few_false_changes(seeds: dict[str, dict[str, Any]]) -> None:
    """tests/fixtures/diff/000_xinzhou_2025.txt: the Xinzhou seed edited as next year's notice."""
    after = run_text((FIXTURES / "000_xinzhou_2025.txt").read_text(encoding="utf-8"))
    result = diff_records(seeds[XINZHOU], after)
    got = {(c.section, c.change, c.summary) for c in result.changes}
    assert got >= EXPECTED_YOY, sorted(EXPECTED_YOY - got)
    sections = {(c.section, c.change) for c in result.changes}
    assert ("contacts", "added") in sections and any(
        c.section == "contacts" and c.after and c.after.get("name") == "王磊" for c in result.changes
    )
    assert ("cited_documents", "changed") in sections
    assert ("notice", "changed") in sections
    # title + new contact + cited document are real too; allow one false change at most
    # (known record bug: the extractor gives 张楠 the new contact's phone, see the diff report)
    real = len(EXPECTED_YOY) + 3
    assert real <= len(result.changes) <= real + 1, [c.summary for c in result.changes]
    statuses = [c.status for c in result.clauses]
    assert statuses.count("removed") == 1 and statuses.count("added") == 1
    assert statuses.count("changed") <= 6 and statuses.count("unchanged") >= 50


def test_cities_of_different_notices_still_compare(seeds: dict[str, dict[str, Any]]) -> None:
    """Xinzhou vs Lianyungang: what one has and the other lacks, both ways, and every section present."""
    result = diff_records(seeds[XINZHOU], seeds[LIANYUNGANG])
    kinds = {(c.section, c.change) for c in result.changes}
    assert {
        ("fees", "added"),
        ("deadlines", "removed"),
        ("deadlines", "added"),
        ("notice", "changed"),
    } <= kinds
    assert ("requirements", "removed") in kinds and ("requirements", "added") in kinds
    # every fact of either side is accounted for: paired, or reported added/removed
    for section in FACT_LISTS:
        na = len(seeds[XINZHOU]["facts"][section])
        nb = len(seeds[LIANYUNGANG]["facts"][section])
        # (the contacts section also lists bare URLs and e-mails, as strings)
        gone = sum(
            1
            for c in result.changes
            if c.section == section and c.change == "removed" and isinstance(c.before, dict)
        )
        new = sum(
            1
            for c in result.changes
            if c.section == section and c.change == "added" and isinstance(c.after, dict)
        )
        assert na - gone == nb - new, section


def test_diff_is_deterministic(seeds: dict[str, dict[str, Any]]) -> None:
    one = json.dumps(diff_records(seeds[XINZHOU], seeds[LIANYUNGANG]).to_json(), ensure_ascii=False)
    two = json.dumps(
        diff_records(copy.deepcopy(seeds[XINZHOU]), copy.deepcopy(seeds[LIANYUNGANG])).to_json(),
        ensure_ascii=False,
    )
    assert one == two
