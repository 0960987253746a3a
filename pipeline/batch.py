"""Many files → records in a folder: incremental, parallel, visible, crash-safe, never lossy.

- Named by place: a record is named by its file's path relative to the folder given on the
  command line (``a/通知.pdf`` → ``a__通知.pdf.json``; a file given directly: its name), and two
  inputs never share a name (``store.record_names``). A folder written with other names is
  migrated: a record whose name changed is renamed (or ingested again), and the old file goes.
- Incremental: the manifest (``pipeline.manifest``) remembers, per raw file, the sha256 of its
  bytes, the pipeline's fingerprint (a hash of its code, vocabulary and schema), and the record
  with the sha256 of the record file as written. A file whose bytes and pipeline are unchanged
  and whose record file is still what was written is skipped (a failure is reported again
  without re-reading it); a record file that is missing or was changed is written again and
  reported (``repaired: …``); ``--force`` re-ingests everything; records whose raw file is gone
  are reported and, with ``--prune``, removed.
- Parallel and bounded: worker processes with a time and memory budget per file
  (``pipeline.workers``); results are written in input order, so ``--jobs 4`` writes exactly
  what ``--jobs 1`` writes.
- Visible: a progress bar on a terminal, one plain line per file otherwise, and a summary.
- Crash-safe and shared: every record and the manifest are written atomically, the folder is
  locked for the run, leftovers of a killed run are removed at the next start, and a file whose
  record was written but not yet entered in the manifest is simply ingested again.
- An output folder that cannot be written gives one line and stops the batch; a record that
  cannot be written (a full disk) gives one line for that file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.corrections import ingest as corrections
from pipeline.corrections import store as corrections_store
from pipeline.duplicates_folder import link_copies
from pipeline.executors import Executor, Local
from pipeline.fingerprint import fingerprint
from pipeline.manifest import (
    FOLDER_ERRNOS,
    MANIFEST,
    FolderUnusable,
    Journal,
    clean_leftovers,
    locked,
    prepare,
    read_manifest,
    reason,
    write_manifest,
)
from pipeline.store import record_names, write_atomic
from pipeline.workers import Input, Limits, Outcome, file_sha256, process

if TYPE_CHECKING:
    from pipeline.duplicates import Sketch

__all__ = ["Input", "Limits", "Outcome", "fingerprint", "process", "run_batch"]


@dataclass
class Summary:
    written: int = 0
    repaired: int = 0
    skipped: int = 0
    warnings: int = 0
    failed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    # corrections not applied (stale, redundant) and corrections files whose record is gone
    corrections: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)


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


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record_state(out: Path, entry: dict[str, Any], shared: Counter[str]) -> str:
    """``ok`` when the record file is byte for byte what was written; ``missing``/``changed`` when
    it is not; ``unknown`` when the manifest cannot tell (an older manifest, a name two entries
    shared before records were named by place)."""
    name, written = entry.get("record"), entry.get("record_sha256")
    if not isinstance(name, str) or not isinstance(written, str) or shared[name] > 1:
        return "unknown"
    try:
        data = (out / name).read_bytes()
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "changed"
    return "ok" if hashlib.sha256(data).hexdigest() == written else "changed"


_REPAIR = {"missing": "record file is missing", "changed": "record file changed since it was written"}


@dataclass
class _Plan:
    todo: list[str] = field(default_factory=list)
    repairs: dict[str, str] = field(default_factory=dict)  # path -> why its record is written again
    released: set[str] = field(default_factory=set)  # record names no longer wanted by their file
    # records written as their worker made them: (sha256, sketch) for the duplicate pass
    sketches: dict[str, tuple[str, Sketch]] = field(default_factory=dict)


def run_batch(
    items: Iterable[Input],
    out: Path,
    *,
    jobs: int | None = None,
    force: bool = False,
    prune: bool = False,
    limits: Limits | None = None,
    stream: TextIO | None = None,
    executor: Executor | None = None,
) -> int:
    """Ingest ``items`` into ``out`` (read by ``executor``, default ``jobs`` local worker
    processes); returns the exit code (0 all written, 1 any failed)."""
    stream = stream or sys.stdout
    items = list(items)
    summary = Summary()
    reporter = _Reporter(len(items), stream)
    good: dict[str, Input] = {}
    for item in items:
        if item.error is not None:
            summary.failed.append(item.error.line())
            reporter.line(item.error.line(), error=True)
        else:  # a file reached twice (given directly and inside a folder given) is ingested once
            good.setdefault(os.path.realpath(item.path), item)
    try:
        prepare(out)
        with locked(out, lambda text: reporter.line(text, error=True)):
            run = executor or Local(jobs)
            _run_locked(list(good.values()), out, run, force, prune, limits or Limits(), summary, reporter)
    except FolderUnusable as exc:
        summary.failed.append(exc.line)
        reporter.line(exc.line, error=True)
    finally:
        reporter.close()
    _print_summary(summary, out, stream)
    return 1 if summary.failed else 0


def _run_locked(
    items: list[Input],
    out: Path,
    executor: Executor,
    force: bool,
    prune: bool,
    limits: Limits,
    summary: Summary,
    reporter: _Reporter,
) -> None:
    clean_leftovers(out)
    corrections_store.clean_leftovers(out)
    manifest = read_manifest(out)
    version = fingerprint()
    if manifest.get("pipeline") != version:
        force = True  # the pipeline changed: every record may differ
    manifest["pipeline"] = version
    entries: dict[str, Any] = manifest["files"]
    paths = {i.path for i in items}
    taken = {e["record"] for p, e in entries.items() if p not in paths and isinstance(e.get("record"), str)}
    names = record_names({i.path: i.relative for i in items}, taken)
    journal = Journal(out, version)
    folder_error: FolderUnusable | None = None
    plan = _Plan()
    try:
        plan = _plan(items, names, entries, out, force, limits, summary, reporter, journal)
        with contextlib.closing(executor.outcomes(plan.todo, limits)) as results:
            for o in results:
                _take(o, names[o.path], entries, plan, out, limits, summary, reporter)
                if o.path in entries:
                    journal.add(o.path, entries[o.path])
    except FolderUnusable as exc:
        folder_error = exc
    finally:
        if folder_error is None:
            _prune(out, entries, paths, prune, summary, plan.released)
            link_copies(
                out,
                entries,
                manifest,
                journal.add,
                lambda t: reporter.line(t, error=t.startswith("error:")),
                known=plan.sketches,
            )
        journal.close()
        if folder_error is None:
            wanted = {e["record"] for e in entries.values() if isinstance(e.get("record"), str)}
            summary.corrections.extend(corrections.orphans(out, wanted))
            try:
                write_manifest(out, manifest)
            except OSError as exc:
                line = f"error: {out / MANIFEST}: {reason(exc)}"
                summary.failed.append(line)
                reporter.line(line, error=True)
    if folder_error is not None:
        raise folder_error


def _plan(
    items: list[Input],
    names: dict[str, str],
    entries: dict[str, Any],
    out: Path,
    force: bool,
    limits: Limits,
    summary: Summary,
    reporter: _Reporter,
    journal: Journal,
) -> _Plan:
    """Which files to read: skip those whose record is present and current, rename records whose
    name changed, repeat unchanged failures."""
    plan = _Plan()
    shared = Counter(e["record"] for e in entries.values() if isinstance(e.get("record"), str))
    for item in items:
        path, name, entry = item.path, names[item.path], entries.get(item.path)
        if force or not entry or entry.get("sha256") != file_sha256(path):
            plan.todo.append(path)
            continue
        if entry.get("error"):
            if isinstance(entry.get("limits"), dict) and limits.allow_more_than(entry["limits"]):
                plan.todo.append(path)  # it ran out of time or memory, and now has more
                continue
            summary.failed.append(entry["error"])
            reporter.line(entry["error"] + " (unchanged since the last run)", error=True)
            reporter.advance(path)
            continue
        state = _record_state(out, entry, shared)
        if state == "ok" and entry["record"] != name and shared[name] == 0:
            old = entry["record"]
            try:
                os.replace(out / old, out / name)
            except OSError as exc:
                if exc.errno in FOLDER_ERRNOS:
                    raise FolderUnusable(out, f"cannot write here: {reason(exc)}") from None
                plan.todo.append(path)
                continue
            corrections_store.rename(out, old, name)
            shared[old] -= 1
            shared[name] += 1
            entry["record"] = name
            journal.add(path, entry)
            reporter.line(f"renamed: {out / old} -> {out / name}")
        if state == "ok" and entry["record"] == name:
            corrections_file = corrections_store.path_for(out, name)
            if entry.get("corrections_sha256") != corrections_store.sha256(corrections_file):
                plan.todo.append(path)  # its corrections changed: applied again to a fresh reading
                continue
            summary.skipped += 1
            # a stale correction is said on every run until an analyst deals with it
            summary.corrections.extend(entry.get("corrections_report", []))
            reporter.advance(path)
            continue
        if state in _REPAIR:
            plan.repairs[path] = f"repaired: {out / entry['record']}: {_REPAIR[state]}"
        plan.todo.append(path)
    return plan


def _take(
    o: Outcome,
    name: str,
    entries: dict[str, Any],
    plan: _Plan,
    out: Path,
    limits: Limits,
    summary: Summary,
    reporter: _Reporter,
) -> None:
    """One outcome into the folder and the manifest."""
    reporter.advance(o.path)
    if o.error:
        summary.failed.append(o.error)
        reporter.line(o.error, error=True)
        entry: dict[str, Any] = {"sha256": o.sha256, "error": o.error}
        if o.limited:
            entry["limits"] = {"timeout_s": limits.timeout_s, "memory_mb": limits.memory_mb}
        entries[o.path] = entry
        return
    old = entries.get(o.path, {}).get("record")
    if isinstance(old, str) and old != name:
        corrections_store.rename(out, old, name)  # before they are applied under the new name
    try:
        fixed = corrections.corrected(out, name, o.content or "", o.facts)
    except corrections_store.BadCorrections as exc:
        summary.failed.append(exc.line())  # the old record and manifest entry stay: tried again next run
        reporter.line(exc.line(), error=True)
        return
    content = fixed.content
    try:
        write_atomic(out / name, content)
    except OSError as exc:
        if exc.errno in FOLDER_ERRNOS:
            raise FolderUnusable(out, f"cannot write here: {reason(exc)}") from None
        line = f"error: {o.path}: cannot write {out / name}: {reason(exc)}"
        summary.failed.append(line)  # the manifest keeps what it had: the next run tries again
        reporter.line(line, error=True)
        return
    if isinstance(old, str) and old != name:
        plan.released.add(old)
    entries[o.path] = {
        "sha256": o.sha256,
        "record": name,
        "record_sha256": _sha(content),
        "warnings": o.warnings,
    }
    if o.sketch is not None and content == o.content:  # not corrected: the worker's sketch holds
        plan.sketches[name] = (entries[o.path]["record_sha256"], o.sketch)
    if fixed.sha256 is not None:
        entries[o.path]["corrections_sha256"] = fixed.sha256
    if fixed.report:
        entries[o.path]["corrections_report"] = fixed.report
    summary.written += 1
    summary.warnings += o.warnings
    if o.path in plan.repairs:
        summary.repaired += 1
        reporter.line(plan.repairs[o.path])
    reporter.line(f"ok {o.path} -> {out / name} ({fixed.facts} facts, {o.warnings} warnings)")
    summary.corrections.extend(fixed.report)


def _prune(
    out: Path, entries: dict[str, Any], seen: set[str], prune: bool, summary: Summary, released: set[str]
) -> None:
    """Records whose raw file no longer exists: reported, and removed with --prune; record files
    no entry names any more (renamed, or pruned) are removed."""
    for path in sorted(entries):
        if path in seen or Path(path).exists():
            continue
        if prune:
            record = entries.pop(path).get("record")
            if isinstance(record, str):
                released.add(record)
            summary.pruned.append(path)
        else:
            summary.stale.append(path)
    wanted = {e.get("record") for e in entries.values()}
    for record in sorted(released - wanted):
        with contextlib.suppress(OSError):
            (out / record).unlink(missing_ok=True)


def _print_summary(s: Summary, out: Path, stream: TextIO) -> None:
    """The end of a run: stale and pruned records, a small table with the failures and their
    reasons, then one line that scripts can read."""
    for path in s.stale:
        print(f"stale: {path} is gone; its record is kept (use --prune to remove it)", file=stream)
    for path in s.pruned:
        print(f"pruned: record of {path} removed", file=stream)
    for line in s.corrections:
        print(line, file=stream)
    if s.failed:
        rows = [
            ("written", str(s.written)),
            *([("repaired", str(s.repaired))] if s.repaired else []),
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
    if s.repaired:
        parts.append(f"{s.repaired} repaired")
    if s.skipped:
        parts.append(f"{s.skipped} unchanged")
    parts.append(f"{len(s.failed)} failed")
    parts.append(f"{s.warnings} warnings")
    print(", ".join(parts), file=stream)
