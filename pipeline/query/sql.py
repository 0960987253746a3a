"""SQL over the record tables with DuckDB, embedded and sandboxed: analysts' SQL can only read the tables.

DuckDB is a whole database engine: out of the box a query can write files
(``COPY … TO``), open other databases (``ATTACH``), read any file or URL
(``read_csv('/etc/passwd')``, ``glob``), install and load extensions and
change its own settings.  So every query runs on a connection locked down
before the user's SQL is even parsed for execution:

1. The SQL is split with DuckDB's own parser and must be exactly one
   statement of type SELECT (which covers ``WITH … SELECT``, ``FROM t``,
   ``VALUES``, ``SUMMARIZE``, ``DESCRIBE`` and ``SHOW``).  Anything else —
   ``COPY``, ``ATTACH``, ``INSTALL``/``LOAD``, ``SET``, ``PRAGMA``,
   ``CREATE``, ``DROP``, ``CALL``, a second statement — is refused by name.
   ``EXPLAIN`` is refused too: ``EXPLAIN ANALYZE`` runs the statement inside
   it, and judging only the outer statement would let that one through.
2. The views are created first (over the pandas frames, or over the cached
   Parquet shards); then file access is switched off except for exactly those
   Parquet files (``allowed_paths``), extension auto-loading and Python
   variable lookup are switched off, and the configuration is locked, so the
   statement cannot switch any of it back on.
3. The statement runs in a worker thread; the calling thread waits at most
   ``timeout`` seconds and otherwise interrupts it, and a Ctrl-C while waiting
   interrupts it as well, so neither leaves a query running.

DuckDB's own errors are multi-line and sometimes suggest system tables
(``Did you mean "pg_enum"?``); ``QueryError`` turns them into one line that
names our tables instead.  The pandas frames are registered as views (zero
copy through Arrow), so a query sees exactly the rows ``load_records`` gives.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.query.cache import CachedTables
from pipeline.query.tables import TABLE_NAMES, Tables

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


class QueryError(Exception):
    """The SQL could not run: unknown table or column, syntax error, bad cast, not a SELECT. One line."""


class QueryTimeout(QueryError):
    """The query ran longer than its time limit and was interrupted."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"query took longer than {seconds:g} s")
        self.seconds = seconds


_UNKNOWN_TABLE = re.compile(r"Table with name (\S+) does not exist")
_NO_FILES = re.compile(r'Cannot access (?:file|directory) "([^"]*)" - file system operations are disabled')
# the first word of a statement, after any comments: what the user typed, for the refusal message
_LEADING_WORD = re.compile(r"(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*\(*\s*([A-Za-z_]+)", re.S)
EXAMPLE = "SELECT city, count(*) FROM requirements GROUP BY city"

# set on every connection after the views exist and before any user SQL runs; the lock is last
LOCKDOWN = (
    "SET enable_external_access = false",
    "SET autoload_known_extensions = false",
    "SET autoinstall_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET python_enable_replacements = false",
    "SET lock_configuration = true",
)

Source = Tables | CachedTables | Mapping[str, Path]


def single_select(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> str:
    """The one SELECT statement in ``sql``, or QueryError saying what was given instead.

    Parsing only: on ``con`` when given, else on a bare connection with no tables,
    so that the CLI can refuse a statement before it reads any record.
    """
    import duckdb

    parser = con if con is not None else duckdb.connect(database=":memory:")
    try:
        statements = parser.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(explain(exc)) from None
    finally:
        if con is None:
            parser.close()
    if not statements:
        raise QueryError(f"empty query; try: {EXAMPLE}")
    if len(statements) > 1:
        raise QueryError(f"only one SELECT statement is allowed (got {len(statements)} statements)")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise QueryError(f"only one SELECT statement is allowed (got {statement_kind(statement)})")
    return str(statement.query)


def statement_kind(statement: Any) -> str:
    """The statement's leading keyword (``INSTALL``, ``PIVOT``), else DuckDB's type name (after ``WITH``)."""
    match = _LEADING_WORD.match(statement.query)
    word = match.group(1).upper() if match else ""
    if word and word != "WITH":
        return word
    return str(statement.type.name)


# a query that asks the catalog which tables there are sees every view, named or not
_CATALOG = re.compile(r"information_schema|duckdb_|pg_|sqlite_|\bshow\b", re.I)


def _named(views: Mapping[str, str], sql: str | None) -> dict[str, str]:
    """The views ``sql`` may read: those whose name it contains as a word (in a string or a comment
    too: one view too many costs only its creation), all when it reads the catalog or is None."""
    if sql is None or _CATALOG.search(sql):
        return dict(views)
    return {n: v for n, v in views.items() if re.search(rf"(?<![\w$]){re.escape(n)}(?![\w$])", sql, re.I)}


def connect(tables: Source, sql: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table, locked down (see the module docstring).

    Given the query, only the store's views it names are created, and only their Parquet files
    allowed: DuckDB reads the schema of a view's shards when the view is created (~50 ms a fact
    table at 100,000 records) and parses every allowed path (~100 ms for all tables' 3,500
    files), which together were half of a grouped query's time."""
    import duckdb

    con = duckdb.connect(database=":memory:")
    _fill(con, tables, sql)
    return con


def _fill(con: duckdb.DuckDBPyConnection, tables: Source, sql: str | None) -> None:
    """The views on ``con``, then the lockdown."""
    allowed: list[str] = []
    if isinstance(tables, Tables):
        for name, frame in tables.items():
            con.register(name, frame)
    elif isinstance(tables, CachedTables):
        named = _named(tables.views, sql)
        # a shard's file of a table is ``parts/<shard>/<table>.parquet``
        allowed.extend(str(p) for p in tables.files if p.stem in named)
        for name, select in named.items():
            con.execute(f"CREATE VIEW {name} AS {select}")
    else:
        for name, path in tables.items():
            allowed.append(str(path))
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_literal(str(path))})")
    # the views read their Parquet files when a query runs, so exactly those stay readable
    con.execute(f"SET allowed_paths = [{', '.join(_literal(p) for p in allowed)}]")
    for setting in LOCKDOWN:
        con.execute(setting)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def run_query(tables: Source, sql: str, timeout: float | None = None) -> pd.DataFrame:
    """Run one SELECT and return its result; QueryError on bad or refused SQL, QueryTimeout after ``timeout`` s."""
    import duckdb

    con = duckdb.connect(database=":memory:")  # one connection parses and runs: ~35 ms each
    try:
        query = single_select(sql, con)
        _fill(con, tables, query)
        table = _run_interruptible(con, query, timeout)
    finally:
        con.close()
    # through Arrow, not .df(): DuckDB's DATE stays a date instead of a midnight timestamp
    import pandas as pd

    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _run_interruptible(con: duckdb.DuckDBPyConnection, sql: str, timeout: float | None) -> Any:
    """Run ``sql`` in a worker thread; interrupt it on timeout or Ctrl-C (KeyboardInterrupt re-raised).

    The main thread waits instead of running the query itself because Python only
    delivers Ctrl-C to the main thread between bytecodes; inside DuckDB it would
    surface as DuckDB's own ``RuntimeError`` (or not at all).
    """
    import duckdb

    box: dict[str, Any] = {}
    finished = threading.Event()

    def work() -> None:
        try:
            box["result"] = con.sql(sql).to_arrow_table()
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc
        finally:
            finished.set()

    # waits on an Event, not Thread.join: a Ctrl-C inside join() marks a running thread stopped (3.11)
    threading.Thread(target=work, name="duckdb-query", daemon=True).start()
    try:
        finished.wait(timeout)
    except KeyboardInterrupt:
        con.interrupt()
        finished.wait()
        raise
    if not finished.is_set():
        con.interrupt()
        finished.wait()
        if "result" not in box:  # it may have finished between the wait and the interrupt
            raise QueryTimeout(timeout or 0)
    error = box.get("error")
    if isinstance(error, duckdb.Error):
        raise QueryError(explain(error)) from None
    if error is not None:
        raise error
    return box["result"]


def explain(exc: Exception) -> str:
    """A DuckDB error as one line: the first line of its message, our table names when it is about a table."""
    message = str(exc).strip()
    unknown = _UNKNOWN_TABLE.search(message)
    if unknown:
        return f"no table named {unknown.group(1)}; tables: {', '.join(TABLE_NAMES)}"
    no_files = _NO_FILES.search(message)
    if no_files:
        return (
            f"{no_files.group(1)}: a query reads only the record tables ({', '.join(TABLE_NAMES)}), no files"
        )
    first = message.splitlines()[0] if message else type(exc).__name__
    return first.rstrip("!")
