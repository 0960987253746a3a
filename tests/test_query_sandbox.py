"""`query` is a sandbox: analysts' SQL reads the record tables and nothing else, and cannot run forever.

Each attack is run through the CLI as a user would type it, checking the one
line they see and that nothing happened on disk; the lockdown of the
connection itself is checked separately, because the statement check in front
of it is only the first of two walls.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.query.cache import cached_tables
from pipeline.query.sql import QueryError, QueryTimeout, connect, run_query
from pipeline.query.tables import TABLE_NAMES, load_records
from tests.conftest import ROOT, STRUCTURED

TABLES = ", ".join(TABLE_NAMES)
NO_FILES = f"a query reads only the record tables ({TABLES}), no files"
# ~10^16 rows: only an interrupt ends it
SLOW = "SELECT count(*) AS n FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = 7"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _own_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


def query(capsys: pytest.CaptureFixture[str], sql: str, *extra: str) -> tuple[int, str, str]:
    code = main(["query", sql, "--data", str(STRUCTURED), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def refused(kind: str) -> str:
    return f"error: only one SELECT statement is allowed (got {kind})\n"


@pytest.mark.parametrize(
    ("sql", "line"),
    [
        ("COPY (SELECT * FROM notices) TO '{tmp}/leak.csv'", refused("COPY")),
        ("COPY notices TO '{tmp}/leak.csv' (FORMAT csv)", refused("COPY")),
        ("ATTACH '{tmp}/leak.db' AS leak", refused("ATTACH")),
        ("INSTALL httpfs", refused("INSTALL")),
        ("LOAD httpfs", refused("LOAD")),
        ("SET enable_external_access = true", refused("SET")),
        ("RESET lock_configuration", refused("RESET")),
        ("PRAGMA enable_profiling", refused("PRAGMA")),
        ("CREATE TABLE leak AS SELECT * FROM notices", refused("CREATE")),
        ("DROP VIEW notices", refused("DROP")),
        ("CALL pragma_version()", refused("CALL")),
        ("EXPORT DATABASE '{tmp}/leak'", refused("EXPORT")),
        ("EXPLAIN ANALYZE COPY notices TO '{tmp}/leak.csv'", refused("EXPLAIN")),
        ("WITH t AS (SELECT 1) INSERT INTO notices SELECT * FROM t", refused("INSERT")),
        ("/* quiet */ -- still\n  copy notices to '{tmp}/leak.csv'", refused("COPY")),
        ("PIVOT notices ON city", refused("PIVOT")),
        ("SELECT 1; COPY notices TO '{tmp}/leak.csv'", refused("2 statements")),
        ("SELECT 1; SELECT 2", refused("2 statements")),
        ("SELECT * FROM read_csv('/etc/passwd')", f"error: /etc/passwd: {NO_FILES}\n"),
        ("SELECT * FROM read_text('/etc/hostname')", f"error: /etc/hostname: {NO_FILES}\n"),
        ("SELECT * FROM read_parquet('/etc/passwd')", f"error: /etc/passwd: {NO_FILES}\n"),
        ("SELECT * FROM glob('/root/*')", f"error: /root/*: {NO_FILES}\n"),
        ("SELECT * FROM read_json('{tmp}/*.json')", f"error: {{tmp}}/*.json: {NO_FILES}\n"),
        (
            "SELECT * FROM read_csv('https://example.com/a.csv')",
            f"error: https://example.com/a.csv: {NO_FILES}\n",
        ),
        ("SELECT * FROM '/etc/passwd'", f"error: no table named /etc/passwd; tables: {TABLES}\n"),
        (
            "SELECT getenv('HOME')",
            "error: Catalog Error: Scalar Function with name getenv does not exist\n",
        ),
        (
            "SELECT * FROM query('COPY notices TO ''{tmp}/leak.csv''')",
            "error: Parser Error: Expected a single SELECT statement\n",
        ),
    ],
)
def test_attempt_is_refused_in_one_line_and_touches_nothing(
    sql: str, line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql = sql.replace("{tmp}", str(tmp_path))
    code, out, err = query(capsys, sql)
    assert (code, out, err) == (1, "", line.replace("{tmp}", str(tmp_path)))
    assert list(tmp_path.iterdir()) == []  # nothing written: no CSV, no database, no export folder


def test_direct_json_tables_are_locked_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = query(capsys, "SELECT * FROM read_csv('/etc/passwd')", "--no-cache")
    assert (code, err) == (1, f"error: /etc/passwd: {NO_FILES}\n")


def test_reads_summaries_and_ctes_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = query(
        capsys,
        "WITH n AS (FROM notices) SELECT current_setting('enable_external_access') AS ext, count(*) AS n FROM n",
        "--format",
        "csv",
    )
    assert (code, out, err) == (0, "ext,n\nFalse,2\n", "")
    assert query(capsys, "SUMMARIZE fees")[0] == 0
    assert query(capsys, "DESCRIBE requirements")[0] == 0


@pytest.mark.parametrize("cached", [True, False], ids=["parquet", "frames"])
@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT 1) TO '{tmp}/leak.csv'",
        "ATTACH '{tmp}/leak.db'",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('{tmp}/*')",
    ],
)
def test_connection_itself_has_no_file_access(cached: bool, statement: str, tmp_path: Path) -> None:
    # the lockdown holds even for a statement that got past the SELECT-only check
    tables = cached_tables(STRUCTURED) if cached else load_records(STRUCTURED)
    con = connect(tables)
    try:
        with pytest.raises(duckdb.PermissionException, match="file system operations are disabled"):
            con.sql(statement.replace("{tmp}", str(tmp_path)))
        assert con.sql("SELECT count(*) FROM notices").fetchall() == [(2,)]
    finally:
        con.close()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "setting",
    [
        "SET enable_external_access = true",
        "SET allowed_directories = ['/']",
        "SET autoload_known_extensions = true",
        "SET lock_configuration = false",
        "RESET lock_configuration",
    ],
)
def test_configuration_is_locked(setting: str) -> None:
    con = connect(cached_tables(STRUCTURED))
    try:
        with pytest.raises(duckdb.InvalidInputException, match="the configuration has been locked"):
            con.execute(setting)
    finally:
        con.close()


def test_only_the_cached_tables_are_readable(tmp_path: Path) -> None:
    cached = cached_tables(STRUCTURED)
    notices = next(p for p in cached.files if p.name == "notices.parquet")
    stranger = notices.with_name("stranger.parquet")  # beside a shard the views do read
    stranger.write_bytes(notices.read_bytes())
    try:
        con = connect(cached)
        with pytest.raises(duckdb.PermissionException):
            con.sql(f"SELECT * FROM read_parquet('{stranger}')")
        con.close()
    finally:
        stranger.unlink()


def test_timeout_interrupts_a_runaway_query() -> None:
    with pytest.raises(QueryTimeout, match=r"^query took longer than 0\.5 s$"):
        run_query(load_records(STRUCTURED), SLOW, timeout=0.5)
    assert issubclass(QueryTimeout, QueryError)


def test_timeout_is_one_line_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert query(capsys, SLOW, "--timeout", "1") == (
        1,
        "",
        "error: query took longer than 1 s (--timeout)\n",
    )


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_timeout_must_be_positive_seconds(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["query", "SELECT 1", "--timeout", value])
    assert stop.value.code == 2
    assert capsys.readouterr().err.endswith(
        f"error: argument --timeout: invalid number of seconds value: '{value}'\n"
    )


def test_ctrl_c_is_a_clean_exit(cache: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    cached_tables(STRUCTURED)  # warm, so the signal lands in the query, not the cache build
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "query", SLOW, "--data", str(STRUCTURED), "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)  # start-up and imports take ~1-2 s; the query then runs until interrupted
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, out, err) == (130, "", "interrupted\n")


@pytest.mark.parametrize(
    ("sql", "views"),
    [
        ("SELECT count(*) FROM requirements", {"requirements"}),
        ('SELECT * FROM "Requirements" r JOIN notices USING (record_id)', {"requirements", "notices"}),
        ("WITH f AS (SELECT * FROM fees) SELECT * FROM f, main.contacts", {"fees", "contacts"}),
        ("SELECT 'fees' AS word -- deadlines", {"fees", "deadlines"}),  # a view too many: harmless
        ("SELECT notices_seen FROM (SELECT 1 AS notices_seen)", set()),  # a word containing a name
        ("SHOW TABLES", set(TABLE_NAMES)),
        ("SELECT table_name FROM information_schema.tables", set(TABLE_NAMES)),
        ("SELECT view_name FROM duckdb_views()", set(TABLE_NAMES)),
    ],
)
def test_a_query_gets_the_views_it_names(sql: str, views: set[str]) -> None:
    from pipeline.query.sql import _named

    assert set(_named(cached_tables(STRUCTURED).views, sql)) == views


def test_a_query_lists_every_table_and_reads_only_those_it_names() -> None:
    cached = cached_tables(STRUCTURED)
    listed = run_query(cached, "SELECT table_name FROM information_schema.tables ORDER BY table_name")
    assert sorted(listed["table_name"]) == sorted(TABLE_NAMES)
    assert run_query(cached, "SELECT count(*) AS n FROM notices")["n"][0] == 2
    other = next(p for p in cached.files if p.name == "requirements.parquet")
    con = connect(cached, "SELECT count(*) FROM notices")
    try:
        with pytest.raises(duckdb.PermissionException):
            con.sql(f"SELECT * FROM read_parquet('{other}')")
    finally:
        con.close()
