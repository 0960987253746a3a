"""A small valid policy record for tests that build one by hand (readers take whole records only)."""

from __future__ import annotations

from typing import Any

from pipeline.fact_ids import PREFIX, assign_ids
from pipeline.record import validate


def blank_record(text: str = "t", **parts: Any) -> dict[str, Any]:
    """A schema-valid record with nothing extracted; ``notice``/``facts`` entries given are merged in."""
    record: dict[str, Any] = {
        "schema_version": "1.0",
        "record_id": "x-2024",
        "source": {"path": "x.txt", "sha256": "0" * 64, "format": "txt", "ocr": False},
        "text": text,
        "notice": {
            "title": None,
            "doc_numbers": [],
            "issuers": [],
            "issue_date": None,
            "province": None,
            "city": None,
            "year": None,
            "series": None,
            "levels": [],
            "specialties": [],
            "cited_documents": [],
            **parts.pop("notice", {}),
        },
        "clauses": parts.pop("clauses", []),
        "facts": {
            "service_years": [],
            "requirements": [],
            "deadlines": [],
            "fees": [],
            "contacts": [],
            "emails": [],
            "urls": [],
            **parts.pop("facts", {}),
        },
        "warnings": parts.pop("warnings", []),
    }
    record.update(parts)
    for kind in PREFIX:  # facts written by hand get their ids as the pipeline gives them
        facts = record["facts"][kind]
        if any("id" not in f for f in facts):
            assign_ids(kind, facts)
    validate(record)
    return record
