"""The record tables kept as Parquet shards, so one changed record costs one shard, not the folder.

A folder of 100,000 records is ~12 GB of JSON; reading and validating it takes
minutes, so ``query`` must never do it twice.  The records, in path order, are
cut into shards of ~256 files; each shard is one Parquet file per table
(``parts/<shard>/<table>.parquet``) plus a hidden ``_rec`` column naming the
record file of every row.  ``manifest.json`` lists the shards in order and,
per record file, the size and modification time it had when read, the reason
it could not be read (if so) and any columns beyond the schema it brought.

A query lists the folder (``os.scandir``: names, sizes, mtimes; ~0.3 s for
100,000 files, no hashing) and compares it with the manifest.  A new, changed
or removed file rebuilds only its shard: the other rows of that shard come
from the old Parquet, only the changed file is read as JSON.  The new shard
gets a new folder and the manifest is swapped in with one rename, so a
concurrent reader sees the old store or the new one, never half; writers take
turns on ``write.lock``.  Readers hold a shared ``read.lock`` while their
views are open, and the shards no manifest names any more are deleted only
when no reader holds it (else the next writer does it).

Shards follow path order, so the views read rows in exactly the order a full
load gives; shard boundaries keep where they were, a shard past twice its size
is split and an empty one dropped.  Two things depend on every record, not on
one: whether a ``num`` column is all integers (then BIGINT, else DOUBLE) and
which extra columns exist.  Shards store ``num`` as DOUBLE and record which
columns held a fraction; the views cast and pick the columns from the manifest.
A store written for other table schemas (a newer pipeline) is rebuilt whole.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from pipeline.query.tables import TABLE_NAMES, _date, record_rows, table_schemas
from pipeline.records import GENERATED_DIRS, BadRecord, NoRecords, Problem, read_record

if TYPE_CHECKING:
    import pyarrow as pa

STORE_VERSION = 1
SHARD = 256  # record files per shard: an update reads ~256 records' rows from Parquet, not JSON
MANIFEST = "manifest.json"
REC = "_rec"  # hidden column: the record file (relative path) a row came from

# one record file as last seen: relative path, size, mtime (ns), why it could not be read, extra columns
Entry = tuple[str, int, int, "str | None", "dict[str, list[str]]"]


@dataclass
class Shard:
    """Consecutive record files (path order) and the Parquet folder holding their rows."""

    id: str
    files: list[Entry]
    fractional: dict[str, list[str]] = field(default_factory=dict)  # table → num columns with a fraction

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "files": self.files, "fractional": self.fractional}


def order(rel: str) -> tuple[str, ...]:
    """Path order, as ``sorted(Path)`` gives it (part by part, not character by character)."""
    return tuple(rel.split("/"))


def schema_key() -> str:
    """Changes with the tables' columns, so a newer pipeline never reads an old store."""
    return hashlib.sha256(repr((STORE_VERSION, sorted(table_schemas().items()))).encode()).hexdigest()


def scan(data: Path) -> dict[str, tuple[int, int]]:
    """rel → (size, mtime_ns) of every record file, by the rules of ``records.record_paths``."""
    if data.is_file():
        st = data.stat()
        return {data.name: (st.st_size, st.st_mtime_ns)}
    if not data.is_dir():
        raise NoRecords(f"{data}: no such folder (run `make ingest` first)")
    found: dict[str, tuple[int, int]] = {}
    _walk(str(data), "", found)
    if not found:
        raise NoRecords(f"{data}: no records (run `make ingest` first)")
    return found


def _walk(folder: str, prefix: str, found: dict[str, tuple[int, int]]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except PermissionError:
        return  # as rglob: an unreadable folder holds nothing
    for entry in entries:
        name = entry.name
        if name.startswith("."):  # manifest, journal, locks, temp files
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if not (prefix == "" and name in GENERATED_DIRS):
                    _walk(entry.path, f"{prefix}{name}/", found)
            elif name.endswith(".json") and entry.is_file():
                st = entry.stat()
                found[prefix + name] = (st.st_size, st.st_mtime_ns)
        except OSError:
            continue  # vanished while listed


@dataclass
class Built:
    """A shard's rows as Arrow tables (``_rec`` included) and the entries of its files."""

    files: list[Entry]
    tables: dict[str, pa.Table]


def _read_files(data: Path, stats: Sequence[tuple[str, int, int]]) -> Built:
    """Read these record files as JSON into Arrow tables (path order kept)."""
    schemas = table_schemas()
    known = {name: {col for col, _ in schema} for name, schema in schemas.items()}
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    recs: dict[str, list[str]] = {name: [] for name in TABLE_NAMES}
    files: list[Entry] = []
    for rel, size, mtime in stats:
        path = data / rel if data.is_dir() else data
        try:
            record = read_record(path)
        except BadRecord as exc:
            files.append((rel, size, mtime, exc.reason, {}))
            continue
        extras: dict[str, set[str]] = {}
        for table, row in record_rows(path.name, record):
            rows[table].append(row)
            recs[table].append(rel)
            more = row.keys() - known[table]
            if more:
                extras.setdefault(table, set()).update(more)
        files.append((rel, size, mtime, None, {t: sorted(k) for t, k in sorted(extras.items())}))
    return Built(files, {name: _arrow(name, rows[name], recs[name]) for name in TABLE_NAMES})


def _arrow(table: str, rows: list[dict[str, Any]], recs: list[str]) -> pa.Table:
    """Rows → Arrow columns typed as ``tables._frame`` types them (num as DOUBLE; no pandas: 3× faster)."""
    import pyarrow as pa

    schema = table_schemas()[table]
    extras = sorted({k for row in rows for k in row} - {c for c, _ in schema})
    columns = [*schema, *((c, "obj") for c in extras)]
    arrays = [_column([row.get(col) for row in rows], kind) for col, kind in columns]
    return pa.table([*arrays, pa.array(recs, pa.string())], names=[*(c for c, _ in columns), REC])


def _column(values: list[Any], kind: str) -> pa.Array:
    import pyarrow as pa

    if kind == "int":
        return pa.array(values, pa.int64())
    if kind == "num":
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    if kind == "date":
        return pa.array([_date(v) for v in values], pa.date32())
    if kind == "bool":
        return pa.array(values, pa.bool_())
    if kind == "str":
        return pa.array([None if v is None else str(v) for v in values], pa.string())
    # keys beyond the schema: strings when they are, else compact JSON text
    text = [
        None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values
    ]
    return pa.array(text, pa.string())


def _canonical(table: str, data: pa.Table, extras: Sequence[str]) -> pa.Table:
    """Fixed column order and types (num as DOUBLE), ``extras`` after the schema's columns, ``_rec`` last."""
    import pyarrow as pa

    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "num": pa.float64(),
        "date": pa.date32(),
        "bool": pa.bool_(),
    }
    columns = [(c, types[kind]) for c, kind in table_schemas()[table]]
    columns += [(c, pa.string()) for c in extras] + [(REC, pa.string())]
    arrays = [
        data.column(name).cast(kind) if name in data.column_names else pa.nulls(len(data), type=kind)
        for name, kind in columns
    ]
    return pa.table(arrays, names=[c for c, _ in columns])


def _fractional(table: str, data: pa.Table) -> list[str]:
    """The num columns holding a value that is not a whole number (they stay DOUBLE in the views)."""
    import pyarrow.compute as pc

    out = []
    for col, kind in table_schemas()[table]:
        if kind != "num":
            continue
        values = pc.drop_null(data.column(col).cast("float64"))
        if len(values) and not pc.all(pc.equal(values, pc.floor(values))).as_py():
            out.append(col)
    return out


def _write_shard(folder: Path, built: Built) -> Shard:
    """Write one shard's Parquet folder (a fresh id: a reader of the old manifest is never disturbed)."""
    import pyarrow.parquet as pq

    shard = Shard(secrets.token_hex(8), built.files)
    target = folder / "parts" / shard.id
    target.mkdir(parents=True)
    for name in TABLE_NAMES:
        extras = sorted({k for *_, more in built.files for k in more.get(name, ())})
        data = _canonical(name, built.tables[name], extras)
        fractional = _fractional(name, data)
        if fractional:
            shard.fractional[name] = fractional
        pq.write_table(data, target / f"{name}.parquet")
    return shard


def build_shard(folder: Path, data: Path, stats: Sequence[tuple[str, int, int]]) -> Shard:
    """A shard from JSON only (the cold build's unit of work; top-level so a process pool can run it)."""
    return _write_shard(folder, _read_files(data, stats))


def rebuild_shard(
    folder: Path,
    data: Path,
    old: Shard | None,
    keep: list[Entry],
    fresh: list[tuple[str, int, int]],
    size: int,
) -> list[Shard]:
    """``old``'s rows for the files in ``keep``, plus ``fresh`` read as JSON: one shard, or several if it grew."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    built = _read_files(data, fresh)
    entries = sorted([*keep, *built.files], key=lambda e: order(e[0]))
    if not entries:
        return []
    names = pa.array([e[0] for e in entries], type=pa.string())
    kept = pa.array([e[0] for e in keep], type=pa.string())
    tables: dict[str, pa.Table] = {}
    for name in TABLE_NAMES:
        parts = [built.tables[name]]
        if old is not None and keep:
            previous = pq.read_table(folder / "parts" / old.id / f"{name}.parquet")
            parts.insert(0, previous.filter(pc.is_in(previous[REC], value_set=kept)))
        joined = _align(name, parts)
        position = pc.index_in(joined[REC], value_set=names)
        tables[name] = joined.take(pc.sort_indices(position))  # stable: a record's rows keep their order
    pieces = (
        [entries]
        if len(entries) <= 2 * size
        else [entries[i : i + size] for i in range(0, len(entries), size)]
    )
    out = []
    for piece in pieces:
        members = pa.array([e[0] for e in piece], type=pa.string())
        subset = {n: t.filter(pc.is_in(t[REC], value_set=members)) for n, t in tables.items()}
        out.append(_write_shard(folder, Built(piece, subset)))
    return out


def _align(table: str, parts: list[pa.Table]) -> pa.Table:
    """Concatenate a table's pieces, whose extra columns may differ (a missing one is NULL)."""
    import pyarrow as pa

    known = {c for c, _ in table_schemas()[table]} | {REC}
    extras = sorted({c for part in parts for c in part.column_names} - known)
    return pa.concat_tables([_canonical(table, part, extras) for part in parts])


@dataclass
class Manifest:
    schema: str
    shards: list[Shard]

    def entries(self) -> Iterator[Entry]:
        for shard in self.shards:
            yield from shard.files


def read_manifest(folder: Path) -> Manifest | None:
    """The store's manifest, or None when there is none, it is damaged or it is for other schemas."""
    try:
        raw = orjson.loads((folder / MANIFEST).read_bytes())
        shards = [
            Shard(s["id"], [(e[0], e[1], e[2], e[3], e[4]) for e in s["files"]], s["fractional"])
            for s in raw["shards"]
        ]
        manifest = Manifest(raw["schema"], shards)
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None
    return manifest if manifest.schema == schema_key() else None


def write_manifest(folder: Path, manifest: Manifest) -> None:
    tmp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    body = {
        "version": STORE_VERSION,
        "schema": manifest.schema,
        "shards": [s.as_json() for s in manifest.shards],
    }
    tmp.write_bytes(orjson.dumps(body))
    os.replace(tmp, folder / MANIFEST)


@contextlib.contextmanager
def _locked(path: Path, mode: int) -> Iterator[IO[bytes]]:
    handle = path.open("ab")
    try:
        fcntl.flock(handle, mode)
        yield handle
    finally:
        handle.close()


def update(folder: Path, data: Path, *, size: int = SHARD, jobs: int | None = None) -> Manifest:
    """Bring the store in ``folder`` up to date with ``data`` (writers take turns); the manifest now current."""
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / "write.lock", fcntl.LOCK_EX):
        now = scan(data)
        manifest = read_manifest(folder)
        if manifest is None or not fresh(manifest, now):
            manifest = _apply(folder, data, manifest, now, size, jobs)
            write_manifest(folder, manifest)
        _collect(folder, manifest)
    return manifest


def fresh(manifest: Manifest, now: dict[str, tuple[int, int]]) -> bool:
    """Whether the manifest lists exactly these files with these sizes and mtimes."""
    seen = 0
    for rel, size, mtime, *_ in manifest.entries():
        if now.get(rel) != (size, mtime):
            return False
        seen += 1
    return seen == len(now)


def _apply(
    folder: Path,
    data: Path,
    manifest: Manifest | None,
    now: dict[str, tuple[int, int]],
    size: int,
    jobs: int | None,
) -> Manifest:
    stale = 0 if manifest is None else sum(now.get(e[0]) != (e[1], e[2]) for e in manifest.entries())
    new = set(now) - ({e[0] for e in manifest.entries()} if manifest else set())
    if manifest is None or not manifest.shards or 2 * (stale + len(new)) > len(now):
        return Manifest(schema_key(), cold_build(folder, data, now, size, jobs))
    firsts = [order(s.files[0][0]) for s in manifest.shards]
    touched: dict[int, list[tuple[str, int, int]]] = {}
    for rel in sorted(new, key=order):
        touched.setdefault(max(0, bisect.bisect_right(firsts, order(rel)) - 1), []).append((rel, *now[rel]))
    for i, shard in enumerate(manifest.shards):
        for rel, fsize, mtime, *_ in shard.files:
            if now.get(rel) != (fsize, mtime):
                touched.setdefault(i, [])
                if rel in now:
                    touched[i].append((rel, *now[rel]))
    shards: list[Shard] = []
    for i, shard in enumerate(manifest.shards):
        if i not in touched:
            shards.append(shard)
            continue
        keep = [e for e in shard.files if now.get(e[0]) == (e[1], e[2])]
        shards.extend(
            rebuild_shard(folder, data, shard, keep, sorted(touched[i], key=lambda s: order(s[0])), size)
        )
    return Manifest(manifest.schema, shards)


def cold_build(
    folder: Path, data: Path, now: dict[str, tuple[int, int]], size: int = SHARD, jobs: int | None = None
) -> list[Shard]:
    """Every record read as JSON, a shard at a time (memory stays one shard's), on up to ``jobs`` processes."""
    stats = [(rel, *now[rel]) for rel in sorted(now, key=order)]
    chunks = [stats[i : i + size] for i in range(0, len(stats), size)]
    workers = min(jobs or default_jobs(), len(chunks))
    if workers <= 1:
        return [build_shard(folder, data, chunk) for chunk in chunks]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(build_shard, [folder] * len(chunks), [data] * len(chunks), chunks))


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _collect(folder: Path, manifest: Manifest) -> None:
    """Delete the shards no manifest names, if no reader holds the read lock now (else leave them)."""
    parts = folder / "parts"
    if not parts.is_dir():
        return
    live = {s.id for s in manifest.shards}
    dead = [p for p in parts.iterdir() if p.name not in live]
    if not dead:
        return
    with (folder / "read.lock").open("ab") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        for path in dead:
            shutil.rmtree(path, ignore_errors=True)


def view_columns(table: str, extras: Sequence[str]) -> list[str]:
    """The columns ``tables._frame`` gives: extras sorted, before the source columns of a fact table."""
    known = [name for name, _ in table_schemas()[table]]
    return [*known[:-4], *extras, *known[-4:]] if known[-1] == "text" else [*known, *extras]


def problems_of(manifest: Manifest, data: Path) -> list[Problem]:
    return [
        Problem(data / rel if data.is_dir() else data, why) for rel, _, _, why, _ in manifest.entries() if why
    ]
