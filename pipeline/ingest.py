"""One file through every stage: load → normalize → segment → extract → record.

``ingest_file`` is what a notebook calls; the CLI adds batching, output and
exit codes on top of it.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.errors import IngestError, RecordInvalid
from pipeline.extract import extract
from pipeline.load import load, load_bytes
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


def _box_lookup(
    doc: LoadedDocument, norm: NormalizedText
) -> Callable[[tuple[int, int], int], list[list[float]]] | None:
    """The boxes a span of the record's text covers on one page, one box per run of characters on a line."""
    if not doc.boxes or not doc.pages:
        return None
    pages = {p.number: p for p in doc.pages}
    count = len(doc.boxes) // 4

    def boxes_of(span: tuple[int, int], page: int) -> list[list[float]]:
        where = pages.get(page)
        if where is None:
            return []
        out: list[list[float]] = []
        for offset in range(span[0], min(span[1], len(norm.raw_offsets) - 1)):
            raw = norm.raw_offsets[offset]
            if not (where.start <= raw < where.end) or raw >= count:
                continue
            x0, y0, x1, y1 = doc.boxes[4 * raw : 4 * raw + 4]
            if math.isnan(x0):
                continue
            last = out[-1] if out else None
            height = y1 - y0
            if last and abs(y0 - last[1]) < 0.5 * height and x0 >= last[0] - 0.5 * height:
                last[:] = [min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1)]
            else:
                out.append([x0, y0, x1, y1])
        return [[round(v, 1) for v in box] for box in out]

    return boxes_of


def build_record(doc: LoadedDocument) -> dict[str, Any]:
    """The validated record of a loaded document."""
    norm = normalize(doc.raw_text)
    check_topic(norm.text)
    clauses = segment(norm)
    meta, facts, warnings = extract(norm.text, clauses, doc.published)
    record = assemble(
        doc, norm.text, clauses, meta, facts, warnings, _page_lookup(doc, norm), _box_lookup(doc, norm)
    )
    validate(record)
    return record


def ingest_file(path: str | Path) -> dict[str, Any]:
    """Read one notice file and return its policy record; raises ``IngestError`` naming the file."""
    return _record(load(path), path)


def ingest_bytes(data: bytes, path: str, source: str) -> dict[str, Any]:
    """The record of a file's bytes, read on a machine that may not have the file: ``path`` as
    given names it in errors, ``source`` is the record's ``source.path`` as the machine that has
    the file works it out (``record.source_path``), so the record is the one ``ingest_file`` gives."""
    return _record(dataclasses.replace(load_bytes(data, path), path=source), path)


def _record(doc: LoadedDocument, path: str | Path) -> dict[str, Any]:
    try:
        return build_record(doc)
    except IngestError as exc:
        exc.path = exc.path or str(path)
        raise
    except RecursionError:
        raise RecordInvalid("clause tree too deep to process", str(path)) from None
