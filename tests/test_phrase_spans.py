"""Every fact's ``phrase_span``: the exact words it was read from, inside its sentence's ``span``.

Checked two ways: table cases (the phrase each extractor reports for a printed rule), and an
invariant over every fact of every record of the seeds and both sets of web excerpts — the phrase
lies inside the sentence, is printed text without blanks around it, and holds what the fact says
(the count, the years, the amount, the phone, the cited number).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.numbers import NUMBER, parse_number
from pipeline.ingest import ingest_file
from tests.conftest import RAW, SHARED, run_text

EXCERPTS = sorted(RAW.glob("*.txt")) + [
    p for d in ("web", "web2") for p in sorted((SHARED / "corpus" / d).glob(f"{d}-*.txt"))
]
_NUMBERS = regex.compile(NUMBER)


def _phrase(record: dict[str, Any], fact: dict[str, Any]) -> str:
    a, b = fact["phrase_span"]
    return str(record["text"][a:b])


def _numbers_in(phrase: str) -> set[float]:
    return {n for m in _NUMBERS.finditer(phrase) if (n := parse_number(m.group())) is not None}


def _says_what_the_fact_says(kind: str, fact: dict[str, Any], phrase: str) -> bool:
    if kind == "service_years":  # 可提前1年申报 shortens a rule: the phrase prints the 1
        return fact["years"] in _numbers_in(phrase) or "提前" in phrase
    if kind == "requirements":
        return bool(_numbers_in(phrase))
    if kind == "deadlines":
        return bool(regex.search(r"\d|[一二三四五六七八九十]+[月日]", phrase))
    if kind == "fees":
        return str(fact["amount"]) in phrase.replace(",", "").replace("，", "")
    if kind == "contacts":
        digits = regex.sub(r"\D", "", phrase)
        return bool(
            (fact["phone"] and fact["phone"].split("-")[-1] in digits)
            or (fact["name"] and fact["name"] in phrase)
        )
    return True


@pytest.mark.parametrize("path", EXCERPTS, ids=lambda p: p.name)
def test_every_fact_names_the_phrase_it_was_read_from(path: Path) -> None:
    if not path.exists():
        pytest.skip("../shared is not beside the repository")
    record = ingest_file(path)
    items = [("cited", c) for c in record["notice"]["cited_documents"]] + [
        (kind, f) for kind, facts in record["facts"].items() if kind not in ("emails", "urls") for f in facts
    ]
    for kind, fact in items:
        (s, e), (a, b) = fact["span"], fact["phrase_span"]
        phrase = _phrase(record, fact)
        assert s <= a < b <= e, (kind, fact)
        assert phrase == phrase.strip(), (kind, phrase)
        assert _says_what_the_fact_says(kind, fact, phrase), (kind, fact, phrase)
        if kind == "cited":  # a number broken over a line (〔2020\n〕16号) is printed as it stands
            digits = regex.sub(r"\D", "", fact["number"])
            assert digits in regex.sub(r"\D", "", phrase), (fact, phrase)


@pytest.mark.parametrize(
    ("kind", "text", "phrase"),
    [
        # seeds: the count and the thing it counts, without the verb or the list's joints
        (
            "requirements",
            "一、申报条件\n作为主要发明人获得发明专利1项以上，或实用新型专利2项以上。",
            "发明专利1项以上",
        ),
        (
            "requirements",
            "一、申报条件\n作为主要发明人获得发明专利1项以上，或实用新型专利2项以上。",
            "实用新型专利2项以上",
        ),
        ("requirements", "一、申报条件\n任现职以来，公开发表1篇以上学术论文。", "1篇以上学术论文"),
        (
            "requirements",
            "一、申报条件\n主持完成市级科研项目、工程技术项目2项以上。",
            "市级科研项目、工程技术项目2项以上",
        ),
        ("service_years", "一、申报条件\n取得助理工程师资格后，从事专业技术工作满4年。", "满4年"),
        ("fees", "一、收费\n评审费每人300元，由申报人缴纳。", "300元"),
        ("deadlines", "一、时间安排\n请于2024年9月10日前报送材料。", "2024年9月10日"),
        ("contacts", "联系人：刘宇翔；联系电话：0518-85811227；", "联系人：刘宇翔；联系电话：0518-85811227"),
    ],
)
def test_phrase_of_a_printed_rule(kind: str, text: str, phrase: str) -> None:
    record = run_text("关于做好2024年度职称评审工作的通知\n" + text)
    phrases = [_phrase(record, f) for f in record["facts"][kind]]
    assert phrase in phrases, phrases


def test_a_cited_document_phrase_is_title_and_number_with_its_bracket() -> None:
    record = run_text(
        "关于做好2024年度职称评审工作的通知\n根据《关于深化职称制度改革的意见》（人社部发〔2019〕16号）要求。"
    )
    (cited,) = record["notice"]["cited_documents"]
    assert _phrase(record, cited) == "《关于深化职称制度改革的意见》（人社部发〔2019〕16号）"


_RULE = st.tuples(
    st.sampled_from(["发明专利", "学术论文", "科研项目", "专著", "从事专业技术工作满", "评审费"]),
    st.integers(1, 9),
    st.sampled_from(["项以上", "篇", "年", "部以上", "元"]),
    st.sampled_from(["，", "；", "。", "或", "、"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_RULE, min_size=1, max_size=6))
def test_phrases_lie_in_their_sentences_whatever_the_rules(rules: list[tuple[str, int, str, str]]) -> None:
    body = "".join(f"{w}{n}{u}{sep}" for w, n, u, sep in rules)
    record = run_text(f"关于做好2024年度职称评审工作的通知\n一、申报条件\n{body}\n")
    text = record["text"]
    for kind, facts in record["facts"].items():
        for f in facts:
            if isinstance(f, dict):
                (s, e), (a, b) = f["span"], f["phrase_span"]
                assert s <= a < b <= e and text[a:b].strip() == text[a:b], (kind, f)
