"""``correct``, ``corrections`` and ``gold``: the analysts' commands over a records folder.

``correct`` checks the correction against the record, then writes, in this order and each
atomically, under the folder's ingest lock: the corrections file (fsynced: it is the analyst's
work), the record with the correction applied (so ``query`` sees it at once), and the manifest
entry (so the next ingest knows the record file is what it should be). A kill between any two
leaves nothing lost: the next ingest sees the corrections file changed and applies it again.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_DATA = "data/structured"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "correct",
        help="correct a fact or the notice metadata of a record; kept in DIR/corrections/, applied on every ingest",
    )
    p.add_argument("record", metavar="RECORD", help="a record file, or a record id found under --data")
    p.add_argument(
        "fact", metavar="FACT_ID", nargs="?", help="the fact's id (rq-1a2b3c4d); none with --add/--notice"
    )
    p.add_argument("--set", action="append", metavar="FIELD=VALUE", help="a field's right value (repeatable)")
    p.add_argument("--remove", action="store_true", help="the fact is not in the notice: remove it")
    p.add_argument("--add", metavar="LIST", help="add a fact the pipeline missed to LIST (requirements, …)")
    p.add_argument(
        "--text", help="with --add: the words of the notice it is read from (must stand there once)"
    )
    p.add_argument("--notice", action="store_true", help="correct the notice metadata (title, city, year …)")
    p.add_argument("--reason", required=True, help="why: kept with the correction")
    p.add_argument("--by", help="who (default: your login name)")
    p.add_argument("--at", help="when, ISO 8601 (default: now, UTC)")
    p.add_argument(
        "--data", default=DEFAULT_DATA, help=f"folder searched for a record id (default: {DEFAULT_DATA})"
    )
    p.set_defaults(func=cmd_correct)

    p = subparsers.add_parser(
        "corrections", help="list the corrections of a records folder and what became of them"
    )
    p.add_argument("--data", default=DEFAULT_DATA, help=f"folder of records (default: {DEFAULT_DATA})")
    p.add_argument("--stale", action="store_true", help="only the stale ones (their target is gone)")
    p.set_defaults(func=cmd_corrections)

    p = subparsers.add_parser("gold", help="write a gold file (the scorer's form) from a corrected record")
    p.add_argument("record", metavar="RECORD", help="a record file, or a record id found under --data")
    p.add_argument(
        "--data", default=DEFAULT_DATA, help=f"folder searched for a record id (default: {DEFAULT_DATA})"
    )
    p.add_argument("--out", help="gold file to write (default: <notice file name>.gold.json here)")
    p.set_defaults(func=cmd_gold)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _record(ref: str, data: str) -> tuple[Path, dict[str, Any]]:
    """The record file and its record; raises _Stop with the line to print."""
    from pipeline.query.review import RecordNotFound, find_record
    from pipeline.records import BadRecord, read_record

    try:
        path = find_record(ref, Path(data), [])
        return path, dict(read_record(path))
    except RecordNotFound as exc:
        raise _Stop(f"error: {exc}") from None
    except BadRecord as exc:
        raise _Stop(exc.line()) from None


class _Stop(Exception):
    """One line for stderr, exit status 1."""


def cmd_correct(args: argparse.Namespace) -> int:
    try:
        return _correct(args)
    except _Stop as exc:
        print(str(exc), file=sys.stderr)
        return 1


def _correct(args: argparse.Namespace) -> int:
    from pipeline.corrections import store
    from pipeline.corrections.apply import apply, listed_corrections
    from pipeline.corrections.make import build, timestamp
    from pipeline.corrections.model import CorrectionError
    from pipeline.manifest import FolderUnusable, locked
    from pipeline.record import validate
    from pipeline.store import dumps, write_atomic

    path, record = _record(args.record, args.data)
    try:
        if args.text and not args.add:
            raise CorrectionError("--text goes with --add")
        at = timestamp(args.at)
        correction, account = build(record, args, (args.by or _user()).strip() or "unknown", at)
    except CorrectionError as exc:
        raise _Stop(f"error: {path}: {exc}") from None
    out = path.parent
    corrections_file = store.of_record(path)
    try:
        with locked(out, lambda line: print(line, file=sys.stderr)):
            path, record = _record(str(path), args.data)  # as it is now that we hold the lock
            try:
                entries = store.read(corrections_file)
            except store.BadCorrections as exc:
                raise _Stop(exc.line()) from None
            if listed_corrections(record) != [c.to_json() for _, c in entries]:
                raise _Stop(
                    f"error: {path}: the record does not show the corrections in {corrections_file} "
                    "(changed since the last ingest): run `python -m pipeline ingest` first"
                )
            fixed, outcomes = apply(record, [(0, correction)])
            if outcomes[0].status != "applied":
                raise _Stop(f"error: {path}: {outcomes[0].why}")
            fixed["corrections"] = [*record.get("corrections", []), *fixed["corrections"]]
            validate(fixed)
            lineno = store.append(corrections_file, correction)
            content = dumps(fixed)
            write_atomic(path, content)
            _update_manifest(out, path.name, content, corrections_file)
    except FolderUnusable as exc:
        raise _Stop(exc.line) from None
    except OSError as exc:
        raise _Stop(f"error: {path}: cannot write: {exc.strerror or exc}") from None
    print(f"corrected {path}: {account}")
    print(f"kept as line {lineno} of {corrections_file}")
    return 0


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _update_manifest(out: Path, name: str, content: str, corrections_file: Path) -> None:
    """The record file the next ingest finds is the one it would write: say so in the manifest."""
    import hashlib

    from pipeline.corrections import store
    from pipeline.manifest import MANIFEST, read_manifest, write_manifest

    if not (out / MANIFEST).exists():
        return
    manifest = read_manifest(out)
    for entry in manifest["files"].values():
        if entry.get("record") == name and "error" not in entry:
            entry["record_sha256"] = hashlib.sha256(content.encode("utf-8")).hexdigest()
            entry["corrections_sha256"] = store.sha256(corrections_file)
    write_manifest(out, manifest)


def cmd_corrections(args: argparse.Namespace) -> int:
    from pipeline.corrections import store
    from pipeline.corrections.apply import listed_corrections
    from pipeline.records import BadRecord, read_record

    data = Path(args.data)
    files = store.files(data)
    counts = {"applied": 0, "redundant": 0, "stale": 0, "not yet applied": 0}
    status = 0
    for path in files:
        try:
            entries = store.read(path)
        except store.BadCorrections as exc:
            print(exc.line(), file=sys.stderr)
            status = 1
            continue
        record_file = data / store.record_name_of(path)
        listed: list[dict[str, Any]] = []
        gone = not record_file.exists()
        if not gone:
            try:
                record: dict[str, Any] = dict(read_record(record_file))
            except BadRecord as exc:
                print(exc.line(), file=sys.stderr)
                status = 1
                record = {}  # listed stays empty: shown as not yet applied
            if listed_corrections(record) == [c.to_json() for _, c in entries]:
                listed = list(record.get("corrections", []))
        for i, (lineno, c) in enumerate(entries):
            why: str | None
            if gone:
                state, why = "stale", f"its record {record_file} is gone"
            elif listed:
                state, why = listed[i]["status"], listed[i].get("why")
            else:
                state, why = "not yet applied", "run `python -m pipeline ingest`"
            counts[state] += 1
            if args.stale and state != "stale":
                continue
            tail = f": {why}" if why else ""
            print(f"{state}: {path}:{lineno}: {c.summary()}{tail} ({c.by}, {c.at}: {c.reason})")
    total = sum(counts.values())
    if not files:
        print(f"no corrections under {store.folder(data)}")
        return status
    parts = ", ".join(f"{n} {k}" for k, n in counts.items() if n or k != "not yet applied")
    print(f"{total} correction{'s' * (total != 1)} in {len(files)} file{'s' * (len(files) != 1)}: {parts}")
    return status


def cmd_gold(args: argparse.Namespace) -> int:
    from pipeline.corrections.gold import gold_of
    from pipeline.store import write_atomic

    try:
        _path, record = _record(args.record, args.data)
    except _Stop as exc:
        print(str(exc), file=sys.stderr)
        return 1
    gold = gold_of(record)
    out = Path(args.out) if args.out else Path(Path(gold["source_file"]).stem + ".gold.json")
    try:
        write_atomic(out, json.dumps(gold, ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        return _fail(f"{out}: cannot write: {exc.strerror or exc}")
    print(out)
    return 0
