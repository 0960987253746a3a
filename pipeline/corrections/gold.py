"""A (corrected) record → a gold file in the shared scorer's form (``../shared/eval/score.py``).

An analyst who has corrected a record has checked it; written out as gold it becomes an accuracy
case that keeps the pipeline from making the same mistake again. The gold holds the values the
scorer reads (notice metadata, the clause tree's labels and headings, the facts without their
ids and offsets), and each fact's sentence so the next reader can check it; ``notes`` says which
record and which corrections it came from, and that facets no analyst touched are the pipeline's
own reading until someone checks them.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from pipeline.corrections.fields import LISTS

_DROP = frozenset({"id", "clause", "span", "phrase_span", "file", "page", "corrected"})


def _clauses(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"label": n["label"], "heading": n["heading"], "children": _clauses(n["children"])}
        for n in nodes
        if n["label"]  # unnumbered nodes (preamble, signature) are not scored
    ]


def gold_of(record: dict[str, Any]) -> dict[str, Any]:
    notice = {k: v for k, v in record["notice"].items() if k != "corrected"}
    notice["cited_documents"] = [
        {"number": c["number"], "title": c["title"]} for c in record["notice"]["cited_documents"]
    ]
    applied = [c for c in record.get("corrections", []) if c["status"] == "applied"]
    people = sorted({c["by"] for c in applied})
    notes = f"Written by `python -m pipeline gold` from record {record['record_id']}"
    notes += (
        f" with {len(applied)} corrections applied (by {', '.join(people)})."
        if applied
        else " (no corrections)."
    )
    notes += " Facets no analyst corrected are the pipeline's reading: check them before trusting this file."
    facts: dict[str, Any] = {
        name: [{k: v for k, v in f.items() if k not in _DROP} for f in record["facts"][name]]
        for name in LISTS
    }
    facts["emails"] = list(record["facts"]["emails"])
    facts["urls"] = list(record["facts"]["urls"])
    return {
        "source_file": PurePath(record["source"]["path"]).name,
        "notes": notes,
        "notice": notice,
        "clauses": _clauses(record["clauses"]),
        "facts": facts,
    }
