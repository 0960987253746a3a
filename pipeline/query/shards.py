"""One shard of the query store: its record files read as JSON into Arrow tables, written as Parquet.

Split from ``store`` (which decides what to rebuild and swaps manifests) because
this is the part that must type every column exactly as ``tables._frame`` does:
the store's views are checked against a full ``load_records`` column by column.
Rows are built straight into Arrow, not through pandas (3× faster; pyarrow's
``pa.array`` still imports pandas once, ~0.2–0.4 s, to check for a Series);
``num`` columns are stored as DOUBLE and the views cast them back to BIGINT when
no shard holds a fraction.  An update merges the kept rows and the re-read ones
as slices in path order, never sorting or copying the shard's clause text.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.query.tables import TABLE_NAMES, _date, record_rows, table_schemas
from pipeline.records import GENERATED_DIRS, BadRecord, NoRecords, is_copy, read_record

if TYPE_CHECKING:
    import pyarrow as pa

REC = "_rec"  # hidden column: the record file (relative path) a row came from

# one record file as last seen: relative path, size, mtime (ns), why it could not be read, extra columns
Entry = tuple[str, int, int, "str | None", "dict[str, list[str]]"]


@dataclass
class Shard:
    """Consecutive record files (path order) and the Parquet folder holding their rows."""

    id: str
    files: list[Entry]
    fractional: dict[str, list[str]] = field(default_factory=dict)  # table → num columns with a fraction
    # its record files that are copies of another record's notice (``duplicate_of``), noted when
    # read so the views leave them out without reading a column of every shard first
    copies: list[str] = field(default_factory=list)
    # as ``fractional``, over the copies' rows alone (``fractional`` is over the others): a
    # fraction only a copy holds keeps a column DOUBLE only in the views of every copy
    copies_fractional: dict[str, list[str]] = field(default_factory=dict)
    # the manifest's form this shard was read from: an update writes the other 390 shards of
    # 100,000 records back as they were read, not re-encoded (~0.1 s)
    read_as: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        """The manifest's form: a file's extra columns as an index into the shard's few distinct sets
        (100,000 files each naming their extra keys made a 21 MB manifest, 0.7 s CPU to parse)."""
        if self.read_as is not None:
            return self.read_as
        kinds: list[dict[str, list[str]]] = []
        index: dict[str, int] = {}
        by_id: dict[int, int] = {}  # entries read from a manifest share their dict: one repr each
        files = []
        for rel, size, mtime, why, more in self.files:
            at = by_id.get(id(more))
            if at is None:
                key = repr(more)  # built sorted by table, each list sorted: equal sets, equal text
                if key not in index:
                    index[key] = len(kinds)
                    kinds.append(more)
                at = by_id[id(more)] = index[key]
            files.append((rel, size, mtime, why, at))
        return {
            "id": self.id,
            "files": files,
            "extras": kinds,
            "fractional": self.fractional,
            "copies": self.copies,
            "copies_fractional": self.copies_fractional,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Shard:
        kinds = raw["extras"]  # one dict per distinct set, shared by its files' entries
        return cls(
            raw["id"],
            [(e[0], e[1], e[2], e[3], kinds[e[4]]) for e in raw["files"]],
            raw["fractional"],
            raw["copies"],
            raw["copies_fractional"],
            raw,
        )


def order(rel: str) -> tuple[str, ...]:
    """Path order, as ``sorted(Path)`` gives it (part by part, not character by character)."""
    return tuple(rel.split("/"))


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
            # a record file first: the one check most of 100,000 entries need (``is_file`` follows
            # a link, ``is_dir`` does not, as before: a linked folder is not walked)
            if name.endswith(".json") and entry.is_file():
                st = entry.stat()
                found[prefix + name] = (st.st_size, st.st_mtime_ns)
            elif entry.is_dir(follow_symlinks=False) and not (prefix == "" and name in GENERATED_DIRS):
                _walk(entry.path, f"{prefix}{name}/", found)
        except OSError:
            continue  # vanished while listed


@dataclass
class Built:
    """A shard's rows as Arrow tables (``_rec`` included), the entries of its files and which are copies."""

    files: list[Entry]
    tables: dict[str, pa.Table]
    copies: set[str] = field(default_factory=set)


def _read_files(data: Path, stats: Sequence[tuple[str, int, int]]) -> Built:
    """Read these record files as JSON into Arrow tables (path order kept)."""
    schemas = table_schemas()
    known = {name: {col for col, _ in schema} for name, schema in schemas.items()}
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    recs: dict[str, list[str]] = {name: [] for name in TABLE_NAMES}
    files: list[Entry] = []
    copies: set[str] = set()
    for rel, size, mtime in stats:
        path = data / rel if data.is_dir() else data
        try:
            record = read_record(path)
        except BadRecord as exc:
            files.append((rel, size, mtime, exc.reason, {}))
            continue
        if is_copy(record):  # the test ``load_records`` applies, on the record as read
            copies.add(rel)
        extras: dict[str, set[str]] = {}
        for table, row in record_rows(path.name, record):
            rows[table].append(row)
            recs[table].append(rel)
            more = row.keys() - known[table]
            if more:
                extras.setdefault(table, set()).update(more)
        files.append((rel, size, mtime, None, {t: sorted(k) for t, k in sorted(extras.items())}))
    return Built(files, {name: _arrow(name, rows[name], recs[name]) for name in TABLE_NAMES}, copies)


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
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    shard = Shard(secrets.token_hex(8), built.files, copies=sorted(built.copies, key=order))
    target = folder / "parts" / shard.id
    target.mkdir(parents=True)
    for name in TABLE_NAMES:
        extras = sorted({k for *_, more in built.files for k in more.get(name, ())})
        data = _canonical(name, built.tables[name], extras)
        if shard.copies:
            of_copy = pc.is_in(data[REC], value_set=pa.array(shard.copies, pa.string()))
            once, copies = (
                _fractional(name, data.filter(pc.invert(of_copy))),
                _fractional(name, data.filter(of_copy)),
            )
        else:
            once, copies = _fractional(name, data), []
        if once:
            shard.fractional[name] = once
        if copies:
            shard.copies_fractional[name] = copies
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
    kept_names = {e[0] for e in keep}
    copies = built.copies | ({c for c in old.copies if c in kept_names} if old else set())
    rels = [e[0] for e in entries]
    tables: dict[str, pa.Table] = {}
    for name in TABLE_NAMES:
        previous = None
        if old is not None and keep:
            previous = pq.read_table(folder / "parts" / old.id / f"{name}.parquet")
        tables[name] = _merge(name, previous, built.tables[name], rels, kept_names)
    if len(entries) <= 2 * size:  # the usual case: one shard, its tables as merged
        return [_write_shard(folder, Built(entries, tables, copies))]
    out = []
    for i in range(0, len(entries), size):
        piece = entries[i : i + size]
        members = pa.array([e[0] for e in piece], type=pa.string())
        subset = {n: t.filter(pc.is_in(t[REC], value_set=members)) for n, t in tables.items()}
        out.append(_write_shard(folder, Built(piece, subset, {e[0] for e in piece} & copies)))
    return out


def _runs(data: pa.Table) -> dict[str, tuple[int, int]]:
    """rel → (first row, rows) of each record file: a shard's rows are grouped by file, in path order."""
    out: dict[str, tuple[int, int]] = {}
    for i, rel in enumerate(data[REC].to_pylist()):
        start, n = out.get(rel, (i, 0))
        out[rel] = (start, n + 1)
    return out


def _merge(
    table: str, previous: pa.Table | None, fresh: pa.Table, rels: Sequence[str], kept: set[str]
) -> pa.Table:
    """The rows of ``rels`` in that order: a kept file's from ``previous``, the others' from ``fresh``.

    Slices of the two tables, not a sort and a take: one changed record then costs no copy of
    the shard's ~25 MB of clause text before it is written (the slices are zero-copy).
    """
    import pyarrow as pa

    parts = [fresh] if previous is None else [previous, fresh]
    known = {c for c, _ in table_schemas()[table]} | {REC}
    extras = sorted({c for part in parts for c in part.column_names} - known)
    fresh = _canonical(table, fresh, extras)
    if previous is None:
        return fresh
    previous = _canonical(table, previous, extras)
    runs = {True: _runs(previous), False: _runs(fresh)}
    source = {True: previous, False: fresh}
    slices: list[tuple[bool, int, int]] = []  # (from previous, first row, rows), adjacent ones joined
    for rel in rels:
        old = rel in kept
        run = runs[old].get(rel)
        if run is None:
            continue  # no rows in this table
        if slices and slices[-1][0] == old and slices[-1][1] + slices[-1][2] == run[0]:
            slices[-1] = (old, slices[-1][1], slices[-1][2] + run[1])
        else:
            slices.append((old, *run))
    if not slices:
        return fresh.slice(0, 0)
    return pa.concat_tables([source[old].slice(start, n) for old, start, n in slices])
