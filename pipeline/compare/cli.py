"""``compare``: the criteria of many notices side by side, in four formats.

``--year`` compares places in one year; ``--place`` follows one place over the
years; both narrowed by ``--series`` and ``--level``. Records are read through
``pipeline.records``: a damaged file is named on stderr (exit status 1) and the
comparison is made of the rest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

DEFAULT_DATA = "data/structured"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "compare", help="criteria of many notices side by side (one column per notice, one row per criterion)"
    )
    p.add_argument("--data", default=DEFAULT_DATA, help=f"folder of records (default: {DEFAULT_DATA})")
    p.add_argument("--series", help="only this series, e.g. 工程系列")
    p.add_argument("--level", help="only notices for this level, e.g. 高级工程师")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--year", type=int, help="only this year: places side by side")
    which.add_argument("--place", help="only this province or city: its years side by side")
    p.add_argument(
        "--format", choices=("md", "html", "json", "xlsx"), default="md", help="output format (default: md)"
    )
    p.add_argument("--out", help="write to this file instead of standard output (needed for xlsx)")
    p.add_argument(
        "--all-copies",
        action="store_true",
        help="also every copy of a notice that another record holds; by default each notice is one column",
    )
    p.set_defaults(func=cmd_compare)


def title(args: argparse.Namespace) -> str:
    """职称评审条件对比 · 江苏省 · 工程系列: the filters, in words."""
    parts = [args.place, args.year and f"{args.year}年度", args.series, args.level]
    return " · ".join(["职称评审条件对比", *(str(p) for p in parts if p)])


def cmd_compare(args: argparse.Namespace) -> int:
    from pipeline.compare.matrix import build, select
    from pipeline.compare.render import RENDERERS
    from pipeline.records import NoRecords, load_folder

    if args.format == "xlsx" and not args.out:
        print("error: --format xlsx writes a workbook: give --out FILE.xlsx", file=sys.stderr)
        return 2
    try:
        loaded = load_folder(Path(args.data), all_copies=args.all_copies)
    except NoRecords as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    loaded.print_problems()
    records = select(
        (r for _, r in loaded.records), series=args.series, level=args.level, year=args.year, place=args.place
    )
    if not records:
        wanted = title(args).removeprefix("职称评审条件对比").removeprefix(" · ") or "anything"
        print(f"error: {args.data}: no records match {wanted}", file=sys.stderr)
        return 1
    matrix = build(records)
    if args.format == "xlsx":
        from pipeline.compare.xlsx import write_xlsx

        write_xlsx(matrix, Path(args.out))
        print(args.out)
    else:
        renderer = RENDERERS[args.format]
        text = renderer(matrix) if args.format == "json" else renderer(matrix, title(args))  # type: ignore[call-arg]
        if args.out:
            from pipeline.store import write_atomic

            write_atomic(Path(args.out), text)
        else:
            sys.stdout.write(text)
    return 1 if loaded.problems else 0
