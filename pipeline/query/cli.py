"""Subcommands over the records: query, export, review, report.

Thin on purpose: each command parses its arguments, calls the library and
turns the library's named errors into one ``error: …`` line and exit status 1.
A record file that cannot be read is named the same way, after the command has
served the other records (exit status 1 then too, as ``ingest`` does).
Heavy libraries are imported inside the commands, never at module import,
because ``pipeline.cli`` imports this module to build its parser.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.records import Problem

DEFAULT_DATA = "data/structured"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add query, export, review and report to the ``python -m pipeline`` parser."""
    p = subparsers.add_parser("query", help="run SQL (DuckDB) over the record tables")
    p.add_argument("sql", metavar="SQL", help='e.g. "SELECT city, count(*) FROM requirements GROUP BY city"')
    p.add_argument("--data", default=DEFAULT_DATA, help=f"folder of records (default: {DEFAULT_DATA})")
    p.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output form (default: table)"
    )
    p.add_argument(
        "--no-cache", action="store_true", help="read the JSON records directly, skip the Parquet cache"
    )
    p.set_defaults(func=cmd_query)

    p = subparsers.add_parser("export", help="write the record tables to Excel, Parquet or CSV")
    p.add_argument("--data", default=DEFAULT_DATA, help=f"folder of records (default: {DEFAULT_DATA})")
    p.add_argument(
        "--to",
        required=True,
        metavar="TARGET",
        help="FILE.xlsx, FILE.parquet (one file per table) or DIR/ (CSV)",
    )
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("review", help="one HTML page showing a record's facts highlighted in its text")
    p.add_argument("record", metavar="RECORD", help="a record file, or a record id found under --data")
    p.add_argument(
        "--data", default=DEFAULT_DATA, help=f"folder searched for a record id (default: {DEFAULT_DATA})"
    )
    p.add_argument("--out", help="page to write (default: <record file>.html beside the current folder)")
    p.set_defaults(func=cmd_review)

    p = subparsers.add_parser("report", help="index.html over all records, linking review pages and diffs")
    p.add_argument("--data", default=DEFAULT_DATA, help=f"folder of records (default: {DEFAULT_DATA})")
    p.add_argument("--out", help="index page to write (default: <data>/index.html)")
    p.set_defaults(func=cmd_report)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _named(problems: list[Problem]) -> int:
    """Print each record file that was skipped; exit status 1 if there was any (the rest still served)."""
    for problem in problems:
        print(problem.line(), file=sys.stderr)
    return 1 if problems else 0


def cmd_query(args: argparse.Namespace) -> int:
    from pipeline.query.cache import cached_tables
    from pipeline.query.sql import QueryError, run_query
    from pipeline.query.tables import NoRecords, load_records

    problems: list[Problem] = []
    try:
        data = Path(args.data)
        source = load_records(data, problems) if args.no_cache else cached_tables(data, problems)
        result = run_query(source, args.sql)
    except (NoRecords, QueryError) as exc:
        _named(problems)
        return _fail(str(exc))
    sys.stdout.write(format_result(result, args.format))
    return _named(problems)


def format_result(result: object, form: str) -> str:
    """A query result as text: an aligned table, CSV, or JSON lines (one object per row)."""
    import pandas as pd

    assert isinstance(result, pd.DataFrame)
    if form == "csv":
        return str(result.to_csv(index=False, lineterminator="\n"))
    if form == "json":
        import json

        plain = result.astype(object).where(result.notna(), None)
        rows = plain.to_dict(orient="records")
        return "".join(json.dumps(row, ensure_ascii=False, default=_json_value) + "\n" for row in rows)
    from pipeline.query.render import render_table

    return render_table(result)


def _json_value(value: object) -> object:
    """Dates as ISO strings, arrays (DuckDB lists) as JSON lists, anything else as its string form."""
    to_list = getattr(value, "tolist", None)
    if callable(to_list):
        return to_list()
    iso = getattr(value, "isoformat", None)
    return iso() if callable(iso) else str(value)


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.query.export import ExportError, export
    from pipeline.query.tables import NoRecords, load_records

    problems: list[Problem] = []
    try:
        written = export(load_records(args.data, problems), args.to)
    except (NoRecords, ExportError) as exc:
        _named(problems)
        return _fail(str(exc))
    for path in written:
        print(path)
    return _named(problems)


def cmd_review(args: argparse.Namespace) -> int:
    from pipeline.query.review import RecordNotFound, find_record, write_review
    from pipeline.records import BadRecord, read_record

    problems: list[Problem] = []
    try:
        path = find_record(args.record, Path(args.data), problems)
        record = read_record(path)
    except RecordNotFound as exc:
        _named(problems)
        return _fail(str(exc))
    except BadRecord as exc:
        print(exc.line(), file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else Path(path.name.removesuffix(".json") + ".html")
    write_review(record, out)
    print(out)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.query.report import write_report
    from pipeline.query.tables import NoRecords

    out = Path(args.out) if args.out else Path(args.data) / "index.html"
    problems: list[Problem] = []
    try:
        write_report(Path(args.data), out, problems)
    except NoRecords as exc:
        return _fail(str(exc))
    print(out)
    return _named(problems)
