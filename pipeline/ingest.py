"""One file through every stage: load → normalize → segment → extract → record.

``ingest_file`` is what a notebook calls; the CLI adds batching, output and
exit codes on top of it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.errors import IngestError, RecordInvalid
from pipeline.extract import extract
from pipeline.load import load
from pipeline.normalize import normalize
from pipeline.record import assemble, check_topic, validate
from pipeline.segment import segment
from pipeline.types import LoadedDocument, NormalizedText


def _page_lookup(doc: LoadedDocument, norm: NormalizedText) -> Callable[[int], int | None] | None:
    if not doc.pages:
        return None
    starts = [p.start for p in doc.pages]

    def page_of(offset: int) -> int | None:
        raw = norm.raw_offsets[min(offset, len(norm.raw_offsets) - 1)]
        i = bisect.bisect_right(starts, raw) - 1
        return doc.pages[i].number if i >= 0 else None

    return page_of


def build_record(doc: LoadedDocument) -> dict[str, Any]:
    """The validated record of a loaded document."""
    norm = normalize(doc.raw_text)
    check_topic(norm.text)
    clauses = segment(norm)
    meta, facts, warnings = extract(norm.text, clauses, doc.published)
    record = assemble(doc, norm.text, clauses, meta, facts, warnings, _page_lookup(doc, norm))
    validate(record)
    return record


def ingest_file(path: str | Path) -> dict[str, Any]:
    """Read one notice file and return its policy record; raises ``IngestError`` naming the file."""
    doc = load(path)
    try:
        return build_record(doc)
    except IngestError as exc:
        exc.path = exc.path or str(path)
        raise
    except RecursionError:
        raise RecordInvalid("clause tree too deep to process", str(path)) from None
