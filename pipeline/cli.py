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
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pipeline.errors import IngestError
from pipeline.manifest import MANIFEST, reason
from pipeline.workers import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Input

# subcommand modules of other stages: module path -> commands it registers (for lazy import)
COMMANDS: dict[str, tuple[str, ...]] = {
    "pipeline.diff.cli": ("diff", "history"),
    "pipeline.query.cli": ("query", "export", "review", "report"),
    "pipeline.corrections.cli": ("correct", "corrections", "gold"),
    "pipeline.criteria.cli": ("check",),
    "pipeline.compare.cli": ("compare",),
}

_SKIP_NAMES = {".gitkeep", ".DS_Store", "README.md", "Thumbs.db"}
# what `ingest` and `report` write into a records folder: never input
_GENERATED_FILES = {"index.html", "trends.html"}
# corrections: the analysts' files beside the records
_GENERATED_DIRS = {"review", "diff", "history", "compare", "corrections"}


def _records_folder(folder: Path, out: Path) -> bool:
    """The output folder, or any folder an earlier ingest wrote records into."""
    return folder == out or (folder / MANIFEST).is_file()


def _generated(name: str) -> bool:
    return name.endswith(".json") or name in _GENERATED_FILES


def _walk(root: Path, out: Path, unreadable: list[OSError]) -> list[Path]:
    """Files under ``root`` in a stable order, leaving out hidden files and what the pipeline wrote;
    folders that cannot be listed go to ``unreadable`` (os.walk would skip them without a word)."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(root, onerror=unreadable.append):
        here = Path(folder)
        generated = _records_folder(here.resolve(), out)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (generated and d in _GENERATED_DIRS)]
        found.extend(
            here / n
            for n in names
            if not n.startswith(".")
            and n not in _SKIP_NAMES
            and not (generated and _generated(n))
            and (here / n).is_file()
        )
    return sorted(found, key=lambda f: f.relative_to(root).parts)


def _files(paths: Sequence[str], out: Path) -> Iterator[Input]:
    """Every file under the given paths, in a stable order, each with its path relative to the
    folder it was found in (a file given directly: its name); a bad path yields its error."""
    from pipeline import bundles  # only ingest walks folders: --help and the other commands skip it

    out = out.resolve()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            unreadable: list[OSError] = []
            found = bundles.mains(_walk(p, out, unreadable))  # a notice's attachments go with it
            for exc in unreadable:
                where = str(exc.filename or raw)
                yield Input(
                    where, Path(where).name, IngestError(f"cannot read the folder: {reason(exc)}", where)
                )
            if not found and not unreadable:
                yield Input(raw, p.name, IngestError("folder has no notice files", raw))
            for f in found:
                yield Input(str(f), f.relative_to(p).as_posix(), None)
        elif p.exists():
            if _records_folder(p.resolve().parent, out) and _generated(p.name):
                why = f"written by this pipeline into the records folder {p.parent}, not a notice"
                yield Input(raw, p.name, IngestError(why, raw))
            else:
                yield Input(raw, p.name, None)
        else:
            yield Input(raw, p.name, IngestError("no such file or folder", raw))


def _at_least(minimum: float, kind: type[int] | type[float], what: str) -> Callable[[str], float]:
    """An argparse type: a number of at least ``minimum``, with a message that says so."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{what}, got {text}")
        return value

    return parse


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.batch import Limits, run_batch
    from pipeline.executors import make

    out = Path(args.out)
    limits = Limits(timeout_s=args.timeout_per_file, memory_mb=args.memory_per_file)
    if args.address is not None and args.executor != "ray":
        raise IngestError("--address is the Ray cluster to use: give it with --executor ray")
    executor = make(args.executor, jobs=args.jobs, address=args.address)
    return run_batch(
        list(_files(args.paths, out)),
        out,
        force=args.force,
        prune=args.prune,
        limits=limits,
        executor=executor,
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
    p.add_argument(
        "--jobs",
        type=_at_least(1, int, "must be a whole number of at least 1"),
        default=None,
        help="worker processes (default: number of cores); with --executor ray and no --address, "
        "the CPUs of the Ray started for the run",
    )
    p.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="local: worker processes on this machine (default); ray: Ray tasks, see --address",
    )
    p.add_argument(
        "--address",
        metavar="auto|HOST:PORT",
        default=None,
        help="the Ray cluster to run on (auto: the one `ray start` began here); "
        "default: a Ray started on this machine for the run",
    )
    p.add_argument(
        "--timeout-per-file",
        type=_at_least(0.001, float, "must be a number of seconds above 0"),
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"give up on a file after this long; it is reported as failed (default: {DEFAULT_TIMEOUT_S:g})",
    )
    p.add_argument(
        "--memory-per-file",
        type=_at_least(0, int, "must be a whole number of megabytes, 0 for no limit"),
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help=f"give up on a file whose worker uses more memory; 0: no limit (default: {DEFAULT_MEMORY_MB})",
    )
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
