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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.records import Problem

DEFAULT_DATA = "data/structured"
DEFAULT_TIMEOUT = 300.0  # seconds; the grouped count over 10,000 records takes 0.3 s, a runaway join forever


ALL_COPIES_HELP = (
    "also every copy of a notice that another record holds (the PDF beside the web page, reposts); "
    "by default each notice counts once"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add query, export, review and report to the ``python -m pipeline`` parser."""
    p = subparsers.add_parser("query", help="run SQL (DuckDB) over the record tables")
    p.add_argument("sql", metavar="SQL", help='e.g. "SELECT city, count(*) FROM requirements GROUP BY city"')
    p.add_argument("--data", default=DEFAULT_DATA, help=f"folder of records (default: {DEFAULT_DATA})")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json", "jsonl"),
        default="table",
        help="output form: aligned table, CSV, one JSON array, or one JSON object per line (default: table)",
    )
    p.add_argument(
        "--no-cache", action="store_true", help="read the JSON records directly, skip the Parquet store"
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"interrupt the query after this long (default: {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument("--all-copies", action="store_true", help=ALL_COPIES_HELP)
    p.set_defaults(func=cmd_query)

    p = subparsers.add_parser("export", help="write the record tables to Excel, Parquet or CSV")
    p.add_argument("--data", default=DEFAULT_DATA, help=f"folder of records (default: {DEFAULT_DATA})")
    p.add_argument(
        "--to",
        required=True,
        metavar="TARGET",
        help="FILE.xlsx, FILE.parquet (one file per table) or DIR/ (CSV)",
    )
    p.add_argument(
        "--labels",
        choices=("zh", "code"),
        help="zh: Chinese headers and names for codes (default for xlsx and CSV); "
        "code: the record's own names (Parquet always)",
    )
    p.add_argument("--all-copies", action="store_true", help=ALL_COPIES_HELP)
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("review", help="one HTML page showing a record's facts highlighted in its text")
    p.add_argument("record", metavar="RECORD", help="a record file, or a record id found under --data")
    p.add_argument(
        "--data", default=DEFAULT_DATA, help=f"folder searched for a record id (default: {DEFAULT_DATA})"
    )
    p.add_argument(
        "--out", help="page to write (default: <data>/review/<record>.html, where `report` links to it)"
    )
    p.add_argument(
        "--source-root",
        default=".",
        help="folder the record's source.path is relative to, for drawing a PDF/OFD/scan's pages"
        " (default: the current folder, where ingest ran)",
    )
    p.set_defaults(func=cmd_review)

    p = subparsers.add_parser("report", help="index.html over all records, linking review pages and diffs")
    p.add_argument("--data", default=DEFAULT_DATA, help=f"folder of records (default: {DEFAULT_DATA})")
    p.add_argument("--out", help="index page to write (default: <data>/index.html)")
    p.add_argument("--all-copies", action="store_true", help=ALL_COPIES_HELP)
    p.add_argument(
        "--source-root",
        help="folder the records' source.path is relative to (where ingest ran): review pages of"
        " PDFs, OFDs and scans then draw their pages with each fact's boxes (default: text only)",
    )
    p.set_defaults(func=cmd_report)


def _seconds(text: str) -> float:
    """A positive number of seconds, for argparse (which turns the ValueError into a usage error)."""
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise ValueError(text)
    return value


_seconds.__name__ = "number of seconds"  # argparse names the type in its message


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _named(problems: list[Problem]) -> int:
    """Print each record file that was skipped; exit status 1 if there was any (the rest still served)."""
    for problem in problems:
        print(problem.line(), file=sys.stderr)
    return 1 if problems else 0


def cmd_query(args: argparse.Namespace) -> int:
    from pipeline.query.cache import CachedTables, cached_tables
    from pipeline.query.sql import QueryError, QueryTimeout, run_query, single_select
    from pipeline.query.tables import NoRecords, load_records

    problems: list[Problem] = []
    source: Any = None
    try:
        single_select(args.sql)  # a refused statement is refused before any record is read
        data = Path(args.data)
        if args.no_cache:
            source = load_records(data, problems, all_copies=args.all_copies)
        else:  # the store keeps every copy; its views leave copies out unless --all-copies
            source = cached_tables(data, problems, all_copies=args.all_copies)
        result = run_query(source, args.sql, timeout=args.timeout)
    except QueryTimeout as exc:
        _named(problems)
        return _fail(f"{exc} (--timeout)")
    except (NoRecords, QueryError) as exc:
        _named(problems)
        return _fail(str(exc))
    finally:
        if isinstance(source, CachedTables):
            source.close()  # the store's read lock: a writer may now drop the shards it replaced
    from pipeline.query.render import format_result

    sys.stdout.write(format_result(result, args.format))
    return _named(problems)


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.query.export import ExportError, export
    from pipeline.query.tables import NoRecords, load_records

    problems: list[Problem] = []
    try:
        written = export(load_records(args.data, problems, all_copies=args.all_copies), args.to, args.labels)
    except (NoRecords, ExportError) as exc:
        _named(problems)
        return _fail(str(exc))
    for path in written:
        print(path)
    return _named(problems)


def cmd_review(args: argparse.Namespace) -> int:
    from pipeline.query.export import os_reason
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
    out = Path(args.out) if args.out else review_page(path, Path(args.data))
    try:
        write_review(record, out, Path(args.source_root))
    except OSError as exc:
        return _fail(f"{out}: {os_reason(exc, out)}")
    print(out)
    return 0


def review_page(record: Path, data: Path) -> Path:
    """Where ``review`` writes by default: ``<data>/review/<record>.html``, the page ``report`` links to.

    Never the current folder (a page per look would litter wherever the user
    stands); a record outside ``data`` gets ``review/`` beside its own file.
    """
    page = record.name.removesuffix(".json") + ".html"
    try:
        relative = record.resolve().relative_to(data.resolve())
    except ValueError:
        return record.parent / "review" / page
    return data / "review" / relative.parent / page


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.query.report import write_report
    from pipeline.query.tables import NoRecords

    out = Path(args.out) if args.out else Path(args.data) / "index.html"
    problems: list[Problem] = []
    try:
        root = Path(args.source_root) if args.source_root else None
        write_report(Path(args.data), out, problems, all_copies=args.all_copies, source_root=root)
    except NoRecords as exc:
        return _fail(str(exc))
    print(out)
    return _named(problems)
