"""Records → tables: one row per fact, nothing lost, nothing invented, every row traceable to its source."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.query.tables import TABLE_NAMES, load_records, tables_from_records, walk_clauses
from tests.conftest import ROOT, STRUCTURED, WEB, needs_shared
from tests.record_factory import blank_record


def _records(folder: Path) -> list[dict[str, Any]]:
    # hidden files (the batch .manifest.json) are not records
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.json"))
        if not p.name.startswith(".")
    ]


def _expected_rows(records: list[dict[str, Any]]) -> dict[str, int]:
    """Counted straight from the JSON, independently of tables.py."""
    out = {name: 0 for name in TABLE_NAMES}
    for r in records:
        out["notices"] += 1
        out["clauses"] += len(list(walk_clauses(r["clauses"])))
        out["citations"] += len(r["notice"].get("cited_documents") or [])
        for kind in ("service_years", "requirements", "deadlines", "fees", "contacts"):
            out[kind] += len(r["facts"].get(kind) or [])
    return out


@pytest.fixture(scope="module")
def web_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not WEB.is_dir():
        pytest.skip("../shared/corpus/web is not beside the repository")
    out = tmp_path_factory.mktemp("webrecs")
    subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(WEB), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    return out


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_row_count_equals_facts_in_committed_records(table: str) -> None:
    tables = load_records(STRUCTURED)
    expected = _expected_rows(_records(STRUCTURED))
    assert expected["requirements"] > 0  # the seeds have requirements: a zero here means no records were read
    assert len(getattr(tables, table)) == expected[table]


@needs_shared
@pytest.mark.parametrize("table", TABLE_NAMES)
def test_row_count_equals_facts_in_web_records(table: str, web_records: Path) -> None:
    tables = load_records(web_records)
    assert len(getattr(tables, table)) == _expected_rows(_records(web_records))[table]


def test_every_row_carries_its_notice_and_source() -> None:
    tables = load_records(STRUCTURED)
    records = {r["record_id"]: r for r in _records(STRUCTURED)}
    for name, frame in tables.items():
        for col in ("record_id", "province", "city", "year", "series"):
            assert col in frame.columns, (name, col)
        if name == "notices":
            continue
        for row in frame.itertuples(index=False):
            record = records[row.record_id]
            assert row.city == record["notice"]["city"] and row.year == record["notice"]["year"]
            # the span points at the source sentence inside the record's text
            assert record["text"][row.span_start : row.span_end].strip(), (name, row.clause)
            assert row.clause and row.text


def test_empty_facts_give_typed_empty_tables() -> None:
    record = blank_record(
        notice={"city": "忻州市", "province": "山西省", "year": 2024, "series": "工程系列", "levels": []},
        clauses=[{"id": "0", "label": None, "heading": None, "text": "t", "span": [0, 1], "children": []}],
        warnings=["w"],
    )
    tables = tables_from_records([("x.json", record)])  # type: ignore[list-item]
    assert len(tables.notices) == 1 and len(tables.clauses) == 1 and len(tables.deadlines) == 0
    assert str(tables.deadlines["end_date"].dtype).startswith("date32")
    assert str(tables.notices["year"].dtype) == "Int64"
    assert tables.notices["levels"].isna().all()  # an empty list is NULL, not ""


def test_lists_are_joined_and_renamed_keys_are_sql_friendly() -> None:
    tables = load_records(STRUCTURED)
    assert {"start_date", "end_date"} <= set(tables.deadlines.columns)
    assert "group_name" in tables.requirements.columns and "doc_number" in tables.citations.columns
    assert tables.notices["issuers"].str.contains("、").any()


def test_load_is_deterministic() -> None:
    a, b = load_records(STRUCTURED), load_records(STRUCTURED)
    for (name, x), (_, y) in zip(a.items(), b.items(), strict=True):
        assert x.equals(y), name


def test_lazy_reexport_from_package() -> None:
    import pipeline

    assert pipeline.load_records is load_records
    with pytest.raises(AttributeError):
        _ = pipeline.no_such_name  # type: ignore[attr-defined]


def test_import_pipeline_does_not_import_pandas() -> None:
    code = "import sys, pipeline, pipeline.cli; assert 'pandas' not in sys.modules and 'duckdb' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
