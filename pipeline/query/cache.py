"""The record tables cached as Parquet shards, so ``query`` does not re-read every JSON file on every call.

Parsing and validating JSON dominates a query over many records (100,000
seed-sized records are ~12 GB of JSON: minutes to load, against well under a
second for a grouped query).  The first ``query`` over a folder builds the
store (``pipeline.query.store``); later calls list the folder, bring the store
up to date for just the record files that were added, changed or removed, and
let DuckDB read only the tables and columns a query names.

The cache lives outside the data folder (``$XDG_CACHE_HOME/zhicheng-pipeline``,
default ``~/.cache``), so it never shows up in git, and it is keyed by the
folder's absolute path.  A record file whose name, size or modification time
changed is read again before the query runs, so a re-ingest is never answered
from stale tables.  The record files that could not be read stay in the
store's manifest, so every later query names them again rather than quietly
answering without them.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pipeline.query import store
from pipeline.query.tables import TABLE_NAMES, table_schemas
from pipeline.records import NoRecords, Problem


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhicheng-pipeline" / "store"


def cache_dir(data: Path) -> Path:
    """One cache folder per data folder (by absolute path)."""
    key = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:16]
    return cache_root() / key


@dataclass
class CachedTables:
    """One SELECT per table over its Parquet shards, and the files those SELECTs may read.

    Holds the store's shared read lock until ``close()`` (or until collected), so no
    writer deletes a shard these views still read.
    """

    views: dict[str, str]
    files: tuple[Path, ...]
    folder: Path
    _lock: IO[bytes] | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> CachedTables:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cached_tables(
    data: Path,
    problems: list[Problem] | None = None,
    *,
    shard_size: int = store.SHARD,
    jobs: int | None = None,
    all_copies: bool = False,
) -> CachedTables:
    """The tables of the records now under ``data``, from the store brought up to date first.

    The files that could not be read are appended to ``problems`` (else named on stderr),
    whether they were read now or earlier. NoRecords when no record file could be read.
    The store keeps every copy of a notice; the views leave the copies out (``duplicate_of``)
    unless ``all_copies``, as ``load_records`` does.
    """
    now = store.scan(data)  # NoRecords before anything is made in the cache
    folder = cache_dir(data)
    folder.mkdir(parents=True, exist_ok=True)
    lock = _shared_lock(folder)
    manifest = store.read_manifest(folder)
    if manifest is None or not store.fresh(manifest, now):
        lock.close()  # a writer deletes old shards only when no reader holds the lock: not even us
        written = store.update(folder, data, size=shard_size, jobs=jobs, seen=(manifest, now))
        lock = _shared_lock(folder)
        manifest = (
            written if written.stamp == store.stamp_now(folder) else store.read_manifest(folder) or written
        )
    found = store.problems_of(manifest, data)
    if len(found) == sum(1 for _ in manifest.entries()):
        lock.close()
        for p in found:
            print(p.line(), file=sys.stderr)
        raise NoRecords(f"{data}: none of its {len(found)} record files could be read")
    _report(found, problems)
    # as ``load_records``: a record file named directly is read even when it is a copy
    return _views(folder, manifest, lock, all_copies=all_copies or data.is_file())


def _shared_lock(folder: Path) -> IO[bytes]:
    handle = (folder / "read.lock").open("ab")
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def _views(
    folder: Path, manifest: store.Manifest, lock: IO[bytes], *, all_copies: bool = False
) -> CachedTables:
    views: dict[str, str] = {}
    files: list[Path] = []
    # a copy's rows are the canonical record's rows again: each notice counts once. The copies
    # are named as literals (a filter keeps the rows' order; an anti-join would not), from the
    # manifest: each shard noted its copies when it read them. The columns are the ones the
    # rows shown bring, as ``load_records`` gives them: a key or a fraction only a copy holds
    # shows only with every copy
    copies = set() if all_copies else {c for s in manifest.shards for c in s.copies}
    once = f" WHERE _rec NOT IN ({', '.join(_literal(c) for c in sorted(copies))})" if copies else ""
    beyond: dict[str, set[str]] = {table: set() for table in TABLE_NAMES}
    stored: set[str] = set()  # tables whose Parquet files differ in columns: read by name
    for shard in manifest.shards:
        # entries share one dict per distinct set of extra columns: each set looked at once
        shown = {id(e[4]): e[4] for e in shard.files if e[4] and e[0] not in copies}
        every = {id(e[4]): e[4] for e in shard.files if e[4]} if shard.copies else shown
        for more in shown.values():
            for table, keys in more.items():
                beyond[table].update(keys)
        for more in every.values():
            stored.update(more)
    for table in TABLE_NAMES:
        parts = [folder / "parts" / s.id / f"{table}.parquet" for s in manifest.shards]
        files.extend(parts)
        extras = sorted(beyond[table])
        fractional = {c for s in manifest.shards for c in s.fractional.get(table, ())}
        if all_copies:
            fractional.update(c for s in manifest.shards for c in s.copies_fractional.get(table, ()))
        num = {c for c, kind in table_schemas()[table] if kind == "num"}
        select = ", ".join(
            f'CAST("{c}" AS BIGINT) AS "{c}"' if c in num and c not in fractional else f'"{c}"'
            for c in (name.replace('"', '""') for name in store.view_columns(table, extras))
        )
        listed = ", ".join(_literal(str(p)) for p in parts)
        union = ", union_by_name = true" if table in stored else ""
        views[table] = f"SELECT {select} FROM read_parquet([{listed}]{union}){once}"
    return CachedTables(views, tuple(files), folder, lock)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _report(found: list[Problem], problems: list[Problem] | None) -> None:
    if problems is None:
        for p in found:
            print(p.line(), file=sys.stderr)
    else:
        problems.extend(found)
