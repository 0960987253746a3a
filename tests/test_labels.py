"""Display names in one place: every code the schema allows has one name, and every page uses it."""

from __future__ import annotations

import pytest

from pipeline.diff import labels as diff_labels
from pipeline.lexicon import labels
from pipeline.query import report, review
from pipeline.query.export import HEADERS
from pipeline.query.tables import table_schemas
from pipeline.record import schema
from tests.record_factory import blank_record

FACTS = schema()["properties"]["facts"]["properties"]


def _enum(kind: str, key: str) -> list[str]:
    return [v for v in FACTS[kind]["items"]["properties"][key]["enum"] if v is not None]


@pytest.mark.parametrize(
    ("family", "codes"),
    [
        ("degree", _enum("service_years", "degree")),
        ("route", _enum("service_years", "route")),
        ("basis", _enum("service_years", "basis")),
        ("kind", _enum("requirements", "kind")),
        ("level", _enum("requirements", "level")),
        ("title_level", _enum("service_years", "level")),
        ("per", _enum("fees", "per")),
    ],
)
def test_every_code_the_schema_allows_has_a_name(family: str, codes: list[str]) -> None:
    table = labels.table(family)
    assert set(codes) <= set(table), set(codes) - set(table)
    assert all(table[c] for c in codes if (family, c) != ("route", "regular"))


def test_every_table_column_has_a_chinese_header() -> None:
    columns = {name for s in table_schemas().values() for name, _ in s}
    assert set(HEADERS) == columns
    assert all(HEADERS[c] != c for c in columns), [c for c in columns if HEADERS[c] == c]


def _service(degree: str | None) -> dict[str, object]:
    return {
        "years": 4,
        "degree": degree,
        "basis": "title",
        "route": "regular",
        "cutoff": None,
        "clause": "1",
        "span": [0, 1],
        "text": "满",
    }


@pytest.mark.parametrize("degree", [*_enum("service_years", "degree"), None])
def test_diff_report_and_review_name_a_degree_alike(degree: str | None) -> None:
    name = labels.degree(degree)
    record = blank_record("满4年", facts={"service_years": [_service(degree)]})
    assert diff_labels.service_label(record["facts"]["service_years"][0]) == name
    assert report.thresholds(record) == f"{name}4年"  # type: ignore[arg-type]
    (fact,) = review.facts_of(record)  # type: ignore[arg-type]
    assert name in review.summary(fact)


def test_review_and_diff_share_section_titles() -> None:
    from pipeline.diff.model import SECTION_TITLES

    for kind, (label, _colour) in review.KINDS.items():
        assert label == SECTION_TITLES["cited_documents" if kind == "citations" else kind]


def test_professional_master_is_one_name() -> None:
    # diff/labels.py once said 工程类专业学位硕士 and the report 专业硕士 for the same code
    assert labels.degree("master_professional") == "专业学位硕士"
