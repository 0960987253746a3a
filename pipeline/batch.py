"""Many files → records in a folder: incremental, parallel, visible, crash-safe.

- Incremental: ``<out>/.manifest.json`` remembers, per raw file, the sha256 of
  its bytes, the pipeline's fingerprint (a hash of its code, vocabulary and
  schema) and the outcome. A file whose bytes and pipeline are unchanged is
  skipped (a failure is reported again without re-reading it); ``--force``
  re-ingests everything; records whose raw file is gone are reported and, with
  ``--prune``, removed.
- Parallel: worker processes; results are written in input order, so
  ``--jobs 4`` writes exactly what ``--jobs 1`` writes.
- Visible: a progress bar on a terminal, one plain line per file otherwise,
  and a summary at the end.
- Crash-safe: every record and the manifest are written atomically; leftovers
  of a killed run (temporary files) are removed at the next start, and a file
  whose record was written but not yet entered in the manifest is simply
  ingested again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pipeline.errors import IngestError
from pipeline.store import dumps, record_name, write_atomic

MANIFEST = ".manifest.json"
JOURNAL = ".manifest.jsonl"  # one line per outcome since the manifest was last written


@dataclass(frozen=True)
class Outcome:
    """What one file gave: a record's JSON text, or the error line."""

    path: str
    sha256: str | None
    content: str | None
    facts: int
    warnings: int
    error: str | None


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    warnings: int = 0
    failed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)


@functools.cache
def fingerprint() -> str:
    """A hash of everything that decides a record: the package's code, lexicon and the schema."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    # the analysis packages (diff, query) do not change records
    files = sorted(
        p
        for p in root.rglob("*")
        if p.suffix in {".py", ".toml", ".tsv"} and p.relative_to(root).parts[0] not in {"diff", "query"}
    )
    schema = root.parent / "schemas" / "policy-record.schema.json"
    for p in [*files, schema]:
        if p.exists():
            h.update(p.relative_to(root.parent).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _sha256(path: str) -> str | None:
    try:
        if Path(path).stat().st_size > 50 * 1024 * 1024:
            return None
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def process(path: str) -> Outcome:
    """Ingest one file (in a worker); every failure comes back as data, not as an exception."""
    from pipeline.ingest import ingest_file

    try:
        record = ingest_file(path)
    except IngestError as exc:
        exc.path = exc.path or path
        return Outcome(path, _sha256(path), None, 0, 0, exc.line())
    except Exception as exc:  # a pipeline bug must not stop the batch: reported like any failure
        line = f"error: {path}: internal error ({type(exc).__name__}: {exc})"
        return Outcome(path, _sha256(path), None, 0, 0, line)
    n_facts = sum(len(v) for k, v in record["facts"].items() if k not in {"emails", "urls"})
    return Outcome(path, record["source"]["sha256"], dumps(record), n_facts, len(record["warnings"]), None)


def _whole(record: Path) -> bool:
    """A record file that exists and is not empty (an empty one is what a power cut can leave)."""
    try:
        return record.stat().st_size > 0
    except OSError:
        return False


def _read_manifest(out: Path) -> dict[str, Any]:
    """The manifest, with the journal of a run that was killed replayed on top of it."""
    data: dict[str, Any] = {"pipeline": None, "files": {}}
    try:
        loaded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(loaded, dict) and isinstance(loaded.get("files"), dict):
            data = loaded
    except (OSError, ValueError):
        pass
    try:
        lines = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # the last line of a killed run may be cut short
        if entry.get("pipeline") == data.get("pipeline") or data.get("pipeline") is None:
            data["pipeline"] = entry.get("pipeline")
            data["files"][entry["path"]] = entry["entry"]
    return data


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    write_atomic(
        out / MANIFEST,
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        durable=True,
    )
    (out / JOURNAL).unlink(missing_ok=True)


def _clean_leftovers(out: Path) -> None:
    """Temporary files of a run that was killed before it could rename them."""
    if out.is_dir():
        for tmp in out.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


class _Reporter:
    """Plain lines when not on a terminal (CI, pipes); a rich progress bar on one."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.stream = stream
        self.progress: Any = None
        if stream.isatty() and total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
            )
            self.progress.start()
            self.task = self.progress.add_task("", total=total)

    def line(self, text: str, *, error: bool = False) -> None:
        if self.progress is not None:
            if error:
                self.progress.console.print(text, markup=False, highlight=False)
            return
        print(text, file=sys.stderr if error else self.stream, flush=True)

    def advance(self, path: str) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=Path(path).name)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _outcomes(paths: list[str], jobs: int) -> Iterator[Outcome]:
    if jobs > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(process, paths, chunksize=max(1, min(16, len(paths) // (jobs * 4) or 1)))
    else:
        yield from map(process, paths)


def run_batch(
    items: Iterable[tuple[str, IngestError | None]],
    out: Path,
    *,
    jobs: int = 0,
    force: bool = False,
    prune: bool = False,
    stream: TextIO | None = None,
) -> int:
    """Ingest ``items`` into ``out``; returns the exit code (0 all written, 1 any failed)."""
    stream = stream or sys.stdout
    items = list(items)
    out.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(out)
    manifest = _read_manifest(out)
    version = fingerprint()
    if manifest.get("pipeline") != version:
        force = True  # the pipeline changed: every record may differ
    manifest["pipeline"] = version
    entries: dict[str, Any] = manifest["files"]
    summary = Summary()
    todo: list[str] = []
    reporter = _Reporter(len(items), stream)
    for path, err in items:
        if err is not None:
            summary.failed.append(err.line())
            reporter.line(err.line(), error=True)
            continue
        entry = entries.get(path)
        if not force and entry and entry.get("sha256") == _sha256(path):
            if entry.get("error"):
                summary.failed.append(entry["error"])
                reporter.line(entry["error"] + " (unchanged since the last run)", error=True)
            elif _whole(out / entry["record"]):
                summary.skipped += 1
                reporter.advance(path)
                continue
            else:
                todo.append(path)
                continue
            reporter.advance(path)
            continue
        todo.append(path)
    workers = jobs or os.cpu_count() or 1
    journal = (out / JOURNAL).open("a", encoding="utf-8")
    try:
        for o in _outcomes(todo, workers):
            reporter.advance(o.path)
            if o.error:
                summary.failed.append(o.error)
                reporter.line(o.error, error=True)
                entries[o.path] = {"sha256": o.sha256, "error": o.error}
            else:
                name = record_name(o.path)
                write_atomic(out / name, o.content or "")
                summary.written += 1
                summary.warnings += o.warnings
                entries[o.path] = {"sha256": o.sha256, "record": name, "warnings": o.warnings}
                reporter.line(f"ok {o.path} -> {out / name} ({o.facts} facts, {o.warnings} warnings)")
            journal.write(
                json.dumps(
                    {"pipeline": version, "path": o.path, "entry": entries[o.path]}, ensure_ascii=False
                )
                + "\n"
            )
            journal.flush()
    finally:
        journal.close()
        reporter.close()
        _prune(out, entries, {p for p, _ in items}, prune, summary)
        _write_manifest(out, manifest)
    _print_summary(summary, out, stream)
    return 1 if summary.failed else 0


def _prune(out: Path, entries: dict[str, Any], seen: set[str], prune: bool, summary: Summary) -> None:
    """Records whose raw file no longer exists: reported, and removed with --prune."""
    for path in sorted(entries):
        if path in seen or Path(path).exists():
            continue
        record = entries[path].get("record")
        if prune:
            if record:
                (out / record).unlink(missing_ok=True)
            del entries[path]
            summary.pruned.append(path)
        else:
            summary.stale.append(path)


def _print_summary(s: Summary, out: Path, stream: TextIO) -> None:
    """The end of a run: stale and pruned records, a small table with the failures and their
    reasons, then one line that scripts can read."""
    for path in s.stale:
        print(f"stale: {path} is gone; its record is kept (use --prune to remove it)", file=stream)
    for path in s.pruned:
        print(f"pruned: record of {path} removed", file=stream)
    if s.failed:
        rows = [
            ("written", str(s.written)),
            ("unchanged", str(s.skipped)),
            ("warnings", str(s.warnings)),
            ("failed", str(len(s.failed))),
        ]
        print("summary", file=stream)
        for name, value in rows:
            print(f"  {name:<10}{value:>6}", file=stream)
        for line in s.failed:
            print(f"    {line.removeprefix('error: ')}", file=stream)
    parts = [f"{s.written} records written to {out}"]
    if s.skipped:
        parts.append(f"{s.skipped} unchanged")
    parts.append(f"{len(s.failed)} failed")
    parts.append(f"{s.warnings} warnings")
    print(", ".join(parts), file=stream)
