"""``pipeline check``: a profile against records or raw notices; parsing and printing only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add ``check`` to the main parser (called by ``pipeline.cli``)."""
    p = subparsers.add_parser("check", help="who may apply: an applicant profile against notices' criteria")
    p.add_argument(
        "--profile", required=True, help="applicant profile, .json or .toml (../shared/spec/criteria.md)"
    )
    p.add_argument("inputs", nargs="*", metavar="RECORD_OR_RAW", help="record JSON files or raw notices")
    p.add_argument(
        "--data", help="folder of records to check (default: data/structured when no input is given)"
    )
    p.add_argument(
        "--format", choices=("table", "md", "html", "json"), default="table", help="output (default: table)"
    )
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument(
        "--all-copies",
        action="store_true",
        help="with --data: also every copy of a notice that another record holds; by default each notice once",
    )
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from pipeline.criteria.check import check_records
    from pipeline.criteria.inputs import gather
    from pipeline.criteria.profile import load_profile
    from pipeline.criteria.render import render

    profile = load_profile(args.profile)
    records, problems = gather(args.inputs, args.data, all_copies=args.all_copies)
    for line in problems:
        print(line, file=sys.stderr)
    doc = check_records(records, profile)
    text = render(doc, args.format)
    if args.out:
        from pipeline.store import write_atomic

        write_atomic(Path(args.out), text)
    else:
        sys.stdout.write(text)
    return 1 if problems else 0
