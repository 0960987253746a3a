"""SQL over the record tables with DuckDB, embedded: nothing to start, nothing to configure.

The pandas frames are registered as DuckDB views (zero copy through Arrow), so a
query sees exactly the rows ``load_records`` gives.  DuckDB's own errors are
multi-line and sometimes suggest system tables (``Did you mean "pg_enum"?``);
``QueryError`` turns them into one line that names our tables instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.query.tables import TABLE_NAMES, Tables

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


class QueryError(Exception):
    """The SQL could not run: unknown table or column, syntax error, bad cast. One line, for humans."""


_UNKNOWN_TABLE = re.compile(r"Table with name (\S+) does not exist")


Source = Tables | Mapping[str, Path]


def connect(tables: Source) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table: over DataFrames, or over cached Parquet files."""
    import duckdb

    con = duckdb.connect(database=":memory:")
    if isinstance(tables, Tables):
        for name, frame in tables.items():
            con.register(name, frame)
    else:
        for name, path in tables.items():
            literal = str(path).replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{literal}')")
    return con


def run_query(tables: Source, sql: str) -> pd.DataFrame:
    """Run one SQL statement and return its result as a DataFrame; raise QueryError on failure."""
    import duckdb

    if not sql.strip():
        raise QueryError("empty query; try: SELECT city, count(*) FROM requirements GROUP BY city")
    con = connect(tables)
    try:
        relation = con.sql(sql)
        if relation is None:
            raise QueryError("the statement returned no rows; use SELECT (the tables are read-only views)")
        # through Arrow, not .df(): DuckDB's DATE stays a date instead of a midnight timestamp
        import pandas as pd

        return relation.to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype)
    except duckdb.Error as exc:
        raise QueryError(explain(exc)) from None
    finally:
        con.close()


def explain(exc: Exception) -> str:
    """A DuckDB error as one line: the first line of its message, our table names when it is about a table."""
    message = str(exc).strip()
    unknown = _UNKNOWN_TABLE.search(message)
    if unknown:
        return f"no table named {unknown.group(1)}; tables: {', '.join(TABLE_NAMES)}"
    first = message.splitlines()[0] if message else type(exc).__name__
    return first.rstrip("!")
