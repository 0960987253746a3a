"""``diff`` and ``history`` subcommands.

``diff A B`` takes record JSON files or raw notices (ingested on the fly, so
an analyst can compare two downloads without a batch run first). ``history``
walks a folder of records for one place and diffs each year against the one
before it. Heavy imports (jieba, ingest) happen inside the commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, cast

from pipeline.errors import IngestError
from pipeline.record_types import PolicyRecord


def load_any(path: str) -> PolicyRecord:
    """A record from a ``.json`` record file, or from a raw notice by ingesting it now.

    A damaged record file is a BadRecord (an IngestError), so the CLI prints its one line.
    """
    p = Path(path)
    if not p.exists():
        raise IngestError("no such file", path)
    if p.suffix.lower() == ".json":
        from pipeline.records import read_record

        return read_record(p)
    from pipeline.ingest import ingest_file

    return cast(PolicyRecord, ingest_file(p))


def _emit(text: str, out: str | None) -> None:
    if out:
        from pipeline.store import write_atomic

        write_atomic(Path(out), text)
    else:
        sys.stdout.write(text)


def cmd_diff(args: argparse.Namespace) -> int:
    from pipeline.diff import diff_records
    from pipeline.diff.render import render

    result = diff_records(load_any(args.a), load_any(args.b))
    _emit(render(result, args.format), args.out)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from pipeline.diff.history import find_records, history_json, history_markdown
    from pipeline.records import NoRecords, Problem

    problems: list[Problem] = []
    try:
        records = find_records(Path(args.data), args.city, args.series, problems, all_copies=args.all_copies)
    except NoRecords as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem.line(), file=sys.stderr)
    if not records:
        where = f"{args.city}" + (f" {args.series}" if args.series else "")
        print(f"error: {args.data}: no records for {where}", file=sys.stderr)
        return 1
    if args.format == "html":
        from pipeline.compare.pages import history_html

        text = history_html(records, args.city)
    else:
        text = history_json(records) if args.format == "json" else history_markdown(records, args.city)
    _emit(text, args.out)
    return 1 if problems else 0


def register(subparsers: Any) -> None:
    """Add ``diff`` and ``history`` to the main parser (called by ``pipeline.cli``)."""
    p = subparsers.add_parser("diff", help="what changed between two notices (records or raw files)")
    p.add_argument("a", metavar="A", help="record JSON or raw notice (before / left)")
    p.add_argument("b", metavar="B", help="record JSON or raw notice (after / right)")
    p.add_argument(
        "--format", choices=("md", "html", "json"), default="md", help="output format (default: md)"
    )
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=cmd_diff)

    h = subparsers.add_parser("history", help="a place's records in year order, with changes year to year")
    h.add_argument("--city", required=True, help="city (or province) as in notice.city, e.g. 忻州市")
    h.add_argument("--series", help="only this series, e.g. 工程系列")
    h.add_argument("--data", default="data/structured", help="folder of records (default: data/structured)")
    h.add_argument(
        "--format",
        choices=("md", "json", "html"),
        default="md",
        help="output format; html adds trend charts (default: md)",
    )
    h.add_argument("--out", help="write to this file instead of standard output")
    h.add_argument(
        "--all-copies",
        action="store_true",
        help="also every copy of a notice that another record holds; by default each notice counts once",
    )
    h.set_defaults(func=cmd_history)
