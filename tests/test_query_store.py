"""The incremental query store answers exactly what a full load answers, after any adds, changes and removals.

The reference is ``load_records`` (every JSON file read now, into pandas); the
store is compared with it table by table, every column and every row in order,
through the same DuckDB ``SELECT *`` an analyst runs.  Shards of two records
make every folder here span several shards, so boundaries, splits and dropped
shards are all exercised by a handful of files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.query import store
from pipeline.query.cache import cache_dir, cached_tables
from pipeline.query.sql import connect, run_query
from pipeline.query.tables import TABLE_NAMES, load_records
from pipeline.records import NoRecords, Problem, record_paths
from tests.conftest import ROOT, STRUCTURED

SEEDS = [orjson.loads(p.read_bytes()) for p in record_paths(STRUCTURED)]
# "a/…" sorts before "a-b/…" by path, after it character by character: the order a full load gives
NAMES = ["a.json", "a/1.json", "a/2.json", "a-b/1.json", "b.json", "c/d/e.json", "z.json"]
_clock = iter(range(1_700_000_000_000_000_000, 1_800_000_000_000_000_000, 1_000_000_000))


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def variant(kind: str, n: int) -> bytes:
    """A seed record changed by ``kind``: a new year, a fractional service year, a key beyond the schema,
    a copy of another record's notice (``duplicate_of``, with a fraction and a key of its own)."""
    record: dict[str, Any] = json.loads(json.dumps(SEEDS[n % len(SEEDS)]))
    record["notice"]["year"] = 2000 + n
    record["record_id"] = f"r-{kind}-{n}"
    if kind == "fraction" and record["facts"]["service_years"]:
        record["facts"]["service_years"][0]["years"] = 2.5
    if kind == "extra" and record["facts"]["requirements"]:
        record["facts"]["requirements"][0]["novel_key"] = [n, "x"]
    if kind == "copy":  # with a fraction and a key of its own, which only all_copies shows
        record["duplicate_of"] = {"of": "a.json", "reason": "same 文号 and title"}
        if record["facts"]["service_years"]:
            record["facts"]["service_years"][0]["years"] = 3.5
        if record["facts"]["requirements"]:
            record["facts"]["requirements"][0]["copy_key"] = "x"
    if kind == "bad":
        return b'{"record_id": "cut'
    return orjson.dumps(record)


def put(data: Path, name: str, body: bytes) -> None:
    """Write a record file with a new mtime (a rewrite within one clock tick is not what is tested here)."""
    path = data / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    stamp = next(_clock)
    os.utime(path, ns=(stamp, stamp))


def select_all(source: Any) -> Iterator[tuple[str, pd.DataFrame]]:
    """Every table as ``SELECT *`` gives it (no ORDER BY: rows must come in path order), one connection."""
    con = connect(source)
    try:
        for table in TABLE_NAMES:
            yield (
                table,
                con.sql(f"SELECT * FROM {table}").to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype),
            )
    finally:
        con.close()


def assert_same_as_full_load(data: Path, size: int = 2) -> list[Problem]:
    """The store's tables equal ``load_records``'s, each notice once and with every copy, and it
    names the same bad files; its problems."""
    for all_copies in (False, True):
        expected_problems: list[Problem] = []
        reference = dict(select_all(load_records(data, expected_problems, all_copies=all_copies)))
        problems: list[Problem] = []
        with cached_tables(data, problems, shard_size=size, all_copies=all_copies) as cached:
            for table, frame in select_all(cached):
                pd.testing.assert_frame_equal(
                    frame, reference[table], obj=f"{table}, all_copies={all_copies}"
                )
        assert problems == expected_problems
    return problems


def shard_ids(data: Path) -> list[str]:
    manifest = store.read_manifest(cache_dir(data))
    assert manifest is not None
    return [s.id for s in manifest.shards]


def test_adds_changes_and_removals_answer_like_a_full_load(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for i, name in enumerate(NAMES):
        put(data, name, variant("plain", i))
    assert_same_as_full_load(data)
    put(data, "a/1.json", variant("fraction", 10))  # years becomes DOUBLE for every record
    assert_same_as_full_load(data)
    put(data, "a/0.json", variant("extra", 11))  # a column beyond the schema appears
    assert_same_as_full_load(data)
    put(data, "c/d/e.json", variant("copy", 12))  # a copy: left out unless all_copies
    put(data, "b.json", variant("copy", 13))
    assert_same_as_full_load(data)
    put(data, "b.json", variant("plain", 14))  # … and a notice of its own again
    assert_same_as_full_load(data)
    (data / "a/0.json").unlink()  # … and goes again
    (data / "a/1.json").unlink()  # years is whole numbers again: BIGINT
    assert_same_as_full_load(data)
    for name in NAMES[2:6]:
        (data / name).unlink()  # shards emptied and dropped
    assert_same_as_full_load(data)
    for i in range(9):  # one shard grows past twice its size and is split
        put(data, f"y{i}.json", variant("plain", 20 + i))
    assert_same_as_full_load(data)
    assert len(shard_ids(data)) >= 4


def test_one_changed_record_rewrites_one_shard(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for i, name in enumerate(NAMES):
        put(data, name, variant("plain", i))
    assert_same_as_full_load(data)
    before = shard_ids(data)
    put(data, "b.json", variant("plain", 40))
    assert_same_as_full_load(data)
    after = shard_ids(data)
    assert len(before) == len(after) and sum(a != b for a, b in zip(before, after, strict=True)) == 1
    # the replaced shard's folder is gone once no reader holds the store
    assert sorted(p.name for p in (cache_dir(data) / "parts").iterdir()) == sorted(after)


OPS = st.lists(
    st.tuples(
        st.sampled_from(["put", "put", "remove"]),
        st.sampled_from(NAMES),
        st.sampled_from(["plain", "plain", "fraction", "extra", "copy", "bad"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_sequence_of_edits_answers_like_a_full_load(
    tmp_path: Path, ops: list[tuple[str, str, str]]
) -> None:
    data = tmp_path / f"data-{next(_clock)}"
    put(data, "start.json", variant("plain", 0))
    for n, (op, name, kind) in enumerate(ops):
        if op == "put":
            put(data, name, variant(kind, n))
        elif (data / name).exists():
            (data / name).unlink()
        if all(p.read_bytes().startswith(b'{"record_id": "cut') for p in record_paths(data)):
            continue  # no readable record: NoRecords, tested on its own
        assert_same_as_full_load(data)


def test_bad_records_are_named_on_every_query_until_fixed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for i, name in enumerate(NAMES[:4]):
        put(data, name, variant("plain", i))
    put(data, "a/2.json", variant("bad", 0))
    line = f"{data / 'a/2.json'}: truncated: the JSON ends early"
    for _ in range(2):  # built, then answered from the store
        (problem,) = assert_same_as_full_load(data)
        assert f"{problem.path}: {problem.reason}".startswith(line)
    put(data, "z.json", variant("plain", 9))  # an unrelated update keeps it named
    assert len(assert_same_as_full_load(data)) == 1
    put(data, "a/2.json", variant("plain", 5))
    assert assert_same_as_full_load(data) == []


def test_a_folder_of_only_bad_records_is_no_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    put(data, "a.json", variant("bad", 0))
    for _ in range(2):
        with pytest.raises(NoRecords, match=r"none of its 1 record files could be read$"):
            cached_tables(data)
        assert capsys.readouterr().err.startswith(f"error: {data / 'a.json'}: truncated")


def test_a_store_for_other_table_schemas_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    for i, name in enumerate(NAMES):
        put(data, name, variant("plain", i))
    assert_same_as_full_load(data)
    before = set(shard_ids(data))
    # a newer pipeline (another column, another schema key): not one old shard is reused
    monkeypatch.setattr(store, "schema_key", lambda: "a newer pipeline's tables")
    assert_same_as_full_load(data)
    assert not before & set(shard_ids(data))
    assert sorted(p.name for p in (cache_dir(data) / "parts").iterdir()) == sorted(shard_ids(data))


def test_a_damaged_manifest_and_a_dead_writers_leftovers_are_cleaned_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    put(data, "a.json", variant("plain", 0))
    assert_same_as_full_load(data)
    (cache_dir(data) / store.MANIFEST).write_bytes(b'{"schema": ')
    # what a writer killed mid-update leaves: a half-written manifest, a shard no manifest names
    (cache_dir(data) / f".{store.MANIFEST}.999.tmp").write_bytes(b'{"sch')
    (cache_dir(data) / "parts" / "0123456789abcdef").mkdir()
    assert_same_as_full_load(data)
    assert sorted(p.name for p in (cache_dir(data) / "parts").iterdir()) == sorted(shard_ids(data))
    assert not list(cache_dir(data).glob(".*.tmp"))


def test_a_reader_keeps_its_shards_while_a_writer_replaces_them(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for i, name in enumerate(NAMES):
        put(data, name, variant("plain", i))
    first = cached_tables(data, shard_size=2)
    put(data, "b.json", variant("plain", 50))
    with cached_tables(data, shard_size=2) as second:
        assert run_query(second, "SELECT max(year) AS y FROM notices")["y"][0] == 2050
    # the first reader still holds the read lock: its old shard was not deleted under it
    assert run_query(first, "SELECT max(year) AS y FROM notices")["y"][0] == 2000 + len(NAMES) - 1
    first.close()
    put(data, "z.json", variant("plain", 60))
    assert_same_as_full_load(data)  # the next writer collects what the first reader kept alive
    assert sorted(p.name for p in (cache_dir(data) / "parts").iterdir()) == sorted(shard_ids(data))


def test_concurrent_queries_on_a_changing_folder_agree(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for i, name in enumerate(NAMES):
        put(data, name, variant("plain", i))
    sql = "SELECT count(*) AS n, max(year) AS y FROM notices"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "pipeline", "query", sql, "--data", str(data), "--format", "csv"]
    for round_ in range(2):  # a cold build, then an update, each raced by three processes
        procs = [
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(3)
        ]
        outputs = {
            (p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs if p.stdout and p.stderr
        }
        assert outputs == {(0, f"n,y\n{len(NAMES)},{[2006, 2050][round_]}\n", "")}
        put(data, "a.json", variant("plain", 50))
    assert_same_as_full_load(data, size=store.SHARD)


def test_scan_finds_exactly_the_record_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for name in ["a.json", "n/b.json", "n/m/c.json", "review/x.json", "n/review/d.json", ".hidden.json"]:
        put(data, name, b"{}")
    for name in [".journal/e.json", "x.json/f.txt", "notes.txt", "corrections/g.json"]:
        put(data, name, b"{}")
    (data / "linked").symlink_to(data / "n", target_is_directory=True)
    (data / "alias.json").symlink_to(data / "a.json")
    listed = sorted(store.scan(data), key=store.order)
    assert listed == [p.relative_to(data).as_posix() for p in record_paths(data)]
    assert listed == ["a.json", "alias.json", "n/b.json", "n/m/c.json", "n/review/d.json"]


def test_the_sandbox_holds_on_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    put(data, "a.json", variant("extra", 0))
    with cached_tables(data) as cached:
        con = connect(cached)
        try:
            assert con.sql("SELECT count(*) FROM requirements WHERE novel_key IS NOT NULL").fetchall() == [
                (1,)
            ]
            with pytest.raises(Exception, match="file system operations are disabled"):
                con.sql(f"SELECT * FROM read_json('{data}/a.json')")
        finally:
            con.close()
