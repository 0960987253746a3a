"""One notice through every stage: load → normalize → segment → extract → record.

``ingest_file`` is what a notebook calls; the CLI adds batching, output and
exit codes on top of it. A notice with attachments (``pipeline/bundles.py``) is
one record: each file is loaded, normalised and segmented on its own, then the
attachments' texts follow the notice's in the record's text, each a top-level
part of the clause tree (``att1``, ``att2`` …), and facts are read once over
all of it; a fact read in an attachment names its ``file``.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pipeline import bundles
from pipeline.errors import IngestError, RecordInvalid
from pipeline.extract import extract
from pipeline.load import load, load_bytes, scanned
from pipeline.normalize import normalize
from pipeline.record import assemble, check_topic, source_path, validate
from pipeline.segment import segment
from pipeline.types import Clause, LoadedDocument, NormalizedText

_PART_GAP = "\n\n"  # between the notice's text and each attachment's: a sentence never runs across


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


def _shifted(c: Clause, by: int, prefix: str) -> Clause:
    return Clause(
        f"{prefix}.{c.id}",
        c.label,
        c.heading,
        (c.span[0] + by, c.span[1] + by),
        c.text,
        c.style,
        [_shifted(ch, by, prefix) for ch in c.children],
    )


@dataclass(frozen=True)
class _Part:
    """One file of a bundle in the record's text: where its text starts and ends, how it was read."""

    start: int
    end: int
    doc: LoadedDocument
    norm: NormalizedText
    file: str | None  # None: the notice itself


def _beside(main: str, attachment: str) -> str:
    """An attachment's path as the record names it: under the notice's own ``source.path`` folder
    (attachments always sit in the notice's folder or below it)."""
    base = Path(source_path(main)).parent
    return (base / Path(attachment).relative_to(Path(main).parent)).as_posix()


def _part_at(parts: list[_Part], offset: int) -> _Part:
    i = bisect.bisect_right([p.start for p in parts], offset) - 1
    return parts[max(i, 0)]


def build_bundle_record(
    doc: LoadedDocument, attachments: list[LoadedDocument], bundle: bundles.Bundle, notes: list[str]
) -> dict[str, Any]:
    """The validated record of a notice and its attachments (``notes``: what could not be read)."""
    norm = normalize(doc.raw_text)
    text = norm.text
    clauses = segment(norm)
    parts = [_Part(0, len(text), doc, norm, None)]
    for k, att in enumerate(attachments, 1):
        a_norm = normalize(att.raw_text)
        start = len(text) + len(_PART_GAP)
        text += _PART_GAP + a_norm.text
        name = _beside(doc.path, att.path)
        children = [_shifted(c, start, f"att{k}") for c in segment(a_norm)]
        clauses.append(
            Clause(f"att{k}", None, Path(att.path).name, (start, len(text)), a_norm.text, None, children)
        )
        parts.append(_Part(start, len(text), att, a_norm, name))
    check_topic(text)
    meta, facts, warnings = extract(text, clauses, doc.published)
    lookups = [(_page_lookup(p.doc, p.norm), _box_lookup(p.doc, p.norm)) for p in parts]

    def page_of(offset: int) -> int | None:
        part = _part_at(parts, offset)
        look = lookups[parts.index(part)][0]
        return look(offset - part.start) if look else None

    def boxes_of(span: tuple[int, int], page: int) -> list[list[float]]:
        part = _part_at(parts, span[0])
        look = lookups[parts.index(part)][1]
        inside = (span[0] - part.start, min(span[1], part.end) - part.start)
        return look(inside, page) if look else []

    own = [f"{Path(a.path).name}: {w}" for a in attachments for w in a.warnings]
    missing = [f"attachment {link} is linked from the page but not beside it" for link in bundle.missing]
    missing += bundles.missing_listed(norm.text, bundle)
    record = assemble(doc, text, clauses, meta, facts, [*warnings, *notes, *own, *missing], page_of, boxes_of)
    listed: list[Any] = [
        {"path": p.file, "sha256": p.doc.sha256, "format": p.doc.format, "clause": f"att{k}"}
        for k, p in enumerate(parts[1:], 1)
    ]
    listed += [{"path": link, "missing": True} for link in bundle.missing]
    local = {Path(link).name for link in bundle.missing} | {Path(a.path).name for a in attachments}
    listed += [a for a in doc.attachments if not any(n in unquote(a) for n in local)]
    record["source"]["attachments"] = listed
    for items in [record["notice"]["cited_documents"], *record["facts"].values()]:
        for fact in items:
            if isinstance(fact, dict) and (file := _part_at(parts, fact["span"][0]).file):
                fact["file"] = file
    validate(record)
    return record


def _read_attachments(bundle: bundles.Bundle) -> tuple[list[LoadedDocument], list[str]]:
    """The bundle's attachments as loaded; one that cannot be read is a warning, not a failure."""
    docs, notes = [], []
    for path in bundle.attachments:
        try:
            docs.append(load(path))
        except IngestError as exc:
            notes.append(f"attachment {path.name} not read: {exc.reason}")
    return docs, notes


def ingest_file(path: str | Path) -> dict[str, Any]:
    """Read one notice file (with its attachments, when it has any) and return its policy record;
    raises ``IngestError`` naming the file."""
    try:
        bundle = bundles.bundle_of(path)
        if bundle is None:
            return build_record(load(path))
        attachments, notes = _read_attachments(bundle)
        return build_bundle_record(load(path), attachments, bundle, notes)
    except IngestError as exc:
        exc.path = exc.path or str(path)
        raise
    except RecursionError:
        raise RecordInvalid("clause tree too deep to process", str(path)) from None


def ingest_bytes(
    data: bytes,
    path: str,
    source: str,
    bundle: bundles.Bundle | None = None,
    attachments: tuple[tuple[str, bytes | None, str], ...] = (),
    pages: scanned.Elsewhere | None = None,
) -> dict[str, Any]:
    """The record of a file's bytes, read on a machine that may not have the file: ``path`` as
    given names it in errors, ``source`` is the record's ``source.path`` as the machine that has
    the file works it out (``record.source_path``), so the record is the one ``ingest_file`` gives.
    A bundle's attachments come beside it as (path as given, bytes, or None and why the machine
    that has them could not read them), since the reading machine cannot look for them.
    ``pages``: the scans of the notice (part 0) and of its attachments (part k: ``attachments[k-1]``)
    are OCR'd elsewhere (``load.scanned``); raises ``scanned.NeedsOcr`` with every part's scans
    when some are still to be read, after loading each part once."""
    try:
        wanted: list[scanned.Scans] = []
        kept: dict[scanned.Page, scanned.ScannedPage] = {}
        loaded = _part(data, path, pages, 0, wanted, kept)
        docs, notes = [], []
        for k, (att_path, att_data, why) in enumerate(attachments, 1):
            # named as seen from ``source``, so ``_beside`` puts it where ``ingest_file`` does
            seen = Path(source).parent / Path(att_path).relative_to(Path(path).parent)
            try:
                if att_data is None:
                    raise IngestError(why, att_path)
                if (att := _part(att_data, seen.as_posix(), pages, k, wanted, kept)) is not None:
                    docs.append(att)
            except IngestError as exc:
                notes.append(f"attachment {Path(att_path).name} not read: {exc.reason}")
        if wanted or loaded is None:
            raise scanned.NeedsOcr(tuple(wanted), kept)
        doc = dataclasses.replace(loaded, path=source)
        if bundle is None:
            return build_record(doc)
        return build_bundle_record(doc, docs, bundle, notes)
    except IngestError as exc:
        exc.path = exc.path or str(path)
        raise
    except RecursionError:
        raise RecordInvalid("clause tree too deep to process", str(path)) from None


def _part(
    data: bytes,
    shown: str,
    pages: scanned.Elsewhere | None,
    part: int,
    wanted: list[scanned.Scans],
    kept: dict[scanned.Page, scanned.ScannedPage],
) -> LoadedDocument | None:
    """Part ``part`` of a notice loaded, or None when its scans are still to be OCR'd elsewhere:
    they are added to ``wanted`` (and what was OCR'd here meanwhile to ``kept``), so a first pass
    goes on to the next part rather than stopping at this one."""
    with scanned.elsewhere(pages, part) as here:
        try:
            return load_bytes(data, shown)
        except scanned.NeedsOcr as wait:
            wanted.extend(wait.scans)
            return None
        finally:
            kept.update(here)
