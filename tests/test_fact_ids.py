"""Fact ids: unique in a record, stable when the text around a fact changes, new when the fact does."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.fact_ids import assign_ids, fact_id
from pipeline.ingest import ingest_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))
FACT_LISTS = ("service_years", "requirements", "deadlines", "fees", "contacts")


def _ingest(text: str, tmp_path: Path, name: str) -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest_file(path)


def _ids(record: dict) -> dict[str, dict]:
    return {f["id"]: f for name in FACT_LISTS for f in record["facts"][name]}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_fact_has_an_id_unique_in_its_record(seed: Path) -> None:
    record = ingest_file(seed)
    facts = [f for name in FACT_LISTS for f in record["facts"][name]]
    assert facts
    assert len({f["id"] for f in facts}) == len(facts)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_ids_survive_text_added_before_the_fact(seed: Path, tmp_path: Path) -> None:
    """A preamble sentence added at the top shifts every offset; no id may change."""
    text = seed.read_text(encoding="utf-8")
    before = _ids(ingest_file(seed))
    lines = text.split("\n")
    shifted = "\n".join([lines[0], "（本通知另附说明一份，请各单位认真阅读。）", *lines[1:]])
    after = _ids(_ingest(shifted, tmp_path, seed.name))
    assert set(before) <= set(after)
    moved = [i for i in before if before[i]["span"] != after[i]["span"]]
    assert moved, "the added line should have shifted the spans"


def test_an_id_changes_when_the_fact_is_read_differently() -> None:
    fact = {
        "kind": "patent",
        "subtype": "invention",
        "min_count": 1,
        "text": "发明专利1项以上",
        "span": [0, 8],
    }
    assert fact_id("requirements", fact) != fact_id("requirements", {**fact, "min_count": 2})
    assert fact_id("requirements", fact) == fact_id(
        "requirements", {**fact, "span": [40, 48], "clause": "3.2"}
    )


def test_two_alike_facts_in_one_sentence_are_numbered_in_order() -> None:
    same = {"kind": "award", "subtype": None, "min_count": 1, "text": "获奖1项或获奖1项"}
    facts = [dict(same), dict(same), {**same, "min_count": 2}]
    assign_ids("requirements", facts)
    first, second, third = (f["id"] for f in facts)
    assert second == f"{first}~2"
    assert "~" not in third
    assert all(next(iter(f)) == "id" for f in facts)
