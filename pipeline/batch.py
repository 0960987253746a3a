"""Many files → records in a folder, one line per file and a summary.

A failure is one ``error: <file>: <reason>`` line on stderr and never stops
the batch; a record is only ever written whole (``store.write_atomic``).
Worker processes read files in parallel; results are written in input order,
so ``--jobs 4`` writes exactly what ``--jobs 1`` writes.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import IngestError
from pipeline.store import dumps, record_name, write_atomic


@dataclass(frozen=True)
class Outcome:
    path: str
    content: str | None  # the record's JSON text
    facts: int
    warnings: int
    error: str | None


def process(path: str) -> Outcome:
    """Ingest one file in a worker; every failure comes back as data, not as an exception."""
    from pipeline.ingest import ingest_file

    try:
        record = ingest_file(path)
    except IngestError as exc:
        exc.path = exc.path or path
        return Outcome(path, None, 0, 0, exc.line())
    except Exception as exc:  # a pipeline bug must not stop the batch; it is reported like any failure
        return Outcome(path, None, 0, 0, f"error: {path}: internal error ({type(exc).__name__}: {exc})")
    n_facts = sum(len(v) for k, v in record["facts"].items() if k not in {"emails", "urls"})
    return Outcome(path, dumps(record), n_facts, len(record["warnings"]), None)


def run_batch(
    items: list[tuple[str, IngestError | None]],
    out: Path,
    *,
    jobs: int = 0,
    force: bool = False,
    prune: bool = False,
) -> int:
    """Ingest ``items`` into ``out``; returns the exit code (0 all written, 1 any failed)."""
    paths = [p for p, err in items if err is None]
    failed = [err.line() for _, err in items if err is not None]
    for line in failed:
        print(line, file=sys.stderr)
    workers = jobs or os.cpu_count() or 1
    written = warnings = 0
    if workers > 1 and len(paths) > 4:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = pool.map(process, paths, chunksize=8)
            written, warnings = _write_all(outcomes, out, failed)
    else:
        written, warnings = _write_all(map(process, paths), out, failed)
    print(f"{written} records written to {out}, {len(failed)} failed, {warnings} warnings")
    return 1 if failed else 0


def _write_all(outcomes, out: Path, failed: list[str]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    written = warnings = 0
    for o in outcomes:
        if o.error:
            failed.append(o.error)
            print(o.error, file=sys.stderr, flush=True)
            continue
        target = out / record_name(o.path)
        write_atomic(target, o.content or "")
        written += 1
        warnings += o.warnings
        print(f"ok {o.path} -> {target} ({o.facts} facts, {o.warnings} warnings)", flush=True)
    return written, warnings
