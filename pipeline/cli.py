"""Command line: parse arguments, call the library, turn errors into one line and an exit code.

Exit codes: 0 every file gave a record, 1 some file failed (each failure is one
``error: <file>: <reason>`` line on stderr), 2 usage error.

Other stages add their own subcommands through ``COMMANDS``: each entry is a
module with ``register(subparsers)``; modules are imported lazily so that
``ingest`` does not pay for pandas, DuckDB or jieba.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.errors import IngestError

# subcommand modules of other stages: module path -> commands it registers (for lazy import)
COMMANDS: dict[str, tuple[str, ...]] = {
    "pipeline.diff.cli": ("diff", "history"),
    "pipeline.query.cli": ("query", "export", "review", "report"),
}

_SKIP_NAMES = {".gitkeep", ".DS_Store", "README.md", "Thumbs.db"}


def _files(paths: Sequence[str]) -> Iterator[tuple[str, IngestError | None]]:
    """Every file under the given paths, in a stable order; a bad path yields its error."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.name not in _SKIP_NAMES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                yield raw, IngestError("folder has no notice files", raw)
            for f in found:
                yield str(f), None
        elif p.exists():
            yield raw, None
        else:
            yield raw, IngestError("no such file or folder", raw)


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.batch import run_batch

    return run_batch(
        list(_files(args.paths)), Path(args.out), jobs=args.jobs, force=args.force, prune=args.prune
    )


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Professional-title (职称评审) notices → validated JSON policy records.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("ingest", help="read notices and write one policy record per notice")
    p.add_argument("paths", nargs="+", metavar="PATH", help="notice files or folders")
    p.add_argument(
        "--out", default="data/structured", help="folder for the records (default: data/structured)"
    )
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: number of cores)")
    p.add_argument("--force", action="store_true", help="re-ingest files whose records are up to date")
    p.add_argument("--prune", action="store_true", help="remove records whose raw file is gone")
    p.set_defaults(func=cmd_ingest)
    wanted = set((list(argv) if argv is not None else sys.argv[1:])[:1])
    for module, names in COMMANDS.items():
        if wanted and not wanted & set(names) and not wanted & {"-h", "--help"}:
            continue
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        mod.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except IngestError as exc:
        print(exc.line(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
