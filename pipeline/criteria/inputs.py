"""What ``check`` reads: record files (validated by pipeline/records.py) or raw notices (ingested now)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.errors import IngestError


def _record(path: Path) -> dict[str, Any]:
    """A record file; one made before ``criteria`` existed is passed through so the check can say so."""
    from pipeline.records import read_record

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if isinstance(data, dict) and "criteria" not in data and "record_id" in data and "facts" in data:
        return data
    return dict(read_record(path))


def gather(
    inputs: list[str], data: str | None, *, all_copies: bool = False
) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """(source, record) pairs in the order given (a folder's records sorted), and error lines.

    A folder's copies of a notice held by another of its records (``duplicate_of``) are left out
    unless ``all_copies``: an applicant hears of each notice once. Files named are always read."""
    from pipeline.ingest import ingest_file
    from pipeline.records import NoRecords, is_copy, record_paths

    paths: list[Path] = [Path(p) for p in inputs]
    from_folder: dict[Path, bool] = {}
    problems: list[str] = []
    if data or not inputs:
        try:
            found = record_paths(Path(data or "data/structured"))
            from_folder.update((p, True) for p in found if p not in paths)
            paths.extend(found)
        except NoRecords as exc:
            problems.append(f"error: {exc}")
    out: list[tuple[str, dict[str, Any]]] = []
    for p in paths:
        try:
            record = _record(p) if p.suffix == ".json" else ingest_file(p)
        except IngestError as exc:
            exc.path = exc.path or str(p)
            problems.append(exc.line())
            continue
        if from_folder.get(p) and not all_copies and is_copy(record):
            continue
        out.append((p.as_posix(), record))
    return out, problems
