"""The one way every command reads records: find the files, parse, validate, name the bad ones.

``query``, ``export``, ``report``, ``review``, ``history`` and ``diff`` all read
records through here, so they agree on what a record folder holds (record
files only: never the manifest, its journal, lock or temporary files, or the
pages ``report`` writes beside the records) and on what a bad record is (one
the schema refuses). A bad file costs its own line, ``error: <path>: <reason>``,
never a traceback and never the other records: a truncated or hand-edited file
is skipped and named, the rest still serve.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import orjson

from pipeline.errors import IngestError, RecordInvalid
from pipeline.record_types import PolicyRecord

# folders in a records folder that hold no records: the pages ``report`` writes, the corrections
GENERATED_DIRS = frozenset({"review", "diff", "history", "compare", "corrections"})
_REQUIRED = ("schema_version", "record_id", "source", "text", "notice", "clauses", "facts", "warnings")


class BadRecord(IngestError):
    """A record file that cannot be read as a policy record; ``line()`` is what the user sees."""


class NoRecords(Exception):
    """The data folder is missing or holds no record files."""


@dataclass(frozen=True)
class Problem:
    """A record file that was skipped, and why."""

    path: Path
    reason: str

    def line(self) -> str:
        return f"error: {self.path}: {self.reason}"


def _is_record_file(rel: Path) -> bool:
    parts = rel.parts
    if any(part.startswith(".") for part in parts):  # manifest, journal, locks, temp files
        return False
    if len(parts) > 1 and parts[0] in GENERATED_DIRS:
        return False
    return rel.suffix == ".json"


def record_paths(data: Path) -> list[Path]:
    """The record files under a folder (or the one file given), sorted so loading is deterministic."""
    if data.is_file():
        return [data]
    if not data.is_dir():
        raise NoRecords(f"{data}: no such folder (run `make ingest` first)")
    found = sorted(p for p in data.rglob("*.json") if p.is_file() and _is_record_file(p.relative_to(data)))
    if not found:
        raise NoRecords(f"{data}: no records (run `make ingest` first)")
    return found


def _reason(exc: json.JSONDecodeError) -> str:
    """Why the JSON did not parse; a file that stops mid-value is called truncated, the usual cause."""
    if not exc.doc.strip():
        return "empty file, not a record"
    where = f"line {exc.lineno} column {exc.colno}"
    if exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string"):
        return f"truncated: the JSON ends early ({exc.msg}: {where})"
    return f"not valid JSON ({exc.msg}: {where})"


def parse_record(data: object, path: Path | str) -> PolicyRecord:
    """An already-parsed JSON value as a record, or BadRecord saying what is wrong with it."""
    from pipeline.record import validate

    if not isinstance(data, dict):
        raise BadRecord(
            f"not a policy record: the file holds a JSON {_json_kind(data)}, not an object", str(path)
        )
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise BadRecord(f"not a policy record: no {', '.join(missing)}", str(path))
    try:
        validate(data)
    except RecordInvalid as exc:
        where = exc.reason.removeprefix("record breaks the schema: ").removeprefix("data.")
        raise BadRecord(f"not a policy record: {where}", str(path)) from None
    except RecursionError:
        raise BadRecord("not a policy record: clauses nested too deeply", str(path)) from None
    return cast(PolicyRecord, data)


def _json_kind(value: object) -> str:
    names = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def read_record(path: Path) -> PolicyRecord:
    """One record file, parsed and validated; any fault is a BadRecord naming the file."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise BadRecord("is a folder, not a record file", str(path)) from None
    except OSError as exc:
        raise BadRecord(f"cannot read ({exc.strerror or exc.__class__.__name__})", str(path)) from None
    try:
        data = orjson.loads(raw)  # 2.5× faster than json; the standard library explains a failure
    except orjson.JSONDecodeError:
        data = _parse_slowly(raw, path)
    return parse_record(data, path)


def _parse_slowly(raw: bytes, path: Path) -> object:
    """Parse with the standard library, whose errors say where and why (or accept what orjson refused)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut inside a multi-byte character
            raise BadRecord("truncated: the file ends inside a character", str(path)) from None
        raise BadRecord("not UTF-8 text, not a record", str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRecord(_reason(exc), str(path)) from None
    except RecursionError:
        raise BadRecord("not valid JSON: nested too deeply", str(path)) from None


def is_copy(record: Mapping[str, object]) -> bool:
    """A record the batch linked to another copy of its notice (``pipeline.duplicates``)."""
    return isinstance(record.get("duplicate_of"), dict)


def iter_records(
    data: Path, problems: list[Problem] | None = None, *, all_copies: bool = False
) -> Iterator[tuple[Path, PolicyRecord]]:
    """(path, record) for every good record under ``data``, in path order.

    A bad file is appended to ``problems`` when the caller collects them, else
    printed at once as its ``error:`` line on stderr; either way the next file
    is read. NoRecords when the folder is missing or has no record files.
    Copies of a notice held by another record (``duplicate_of``) are left out of a folder, so every
    command counts a notice once, unless ``all_copies``; a record file named directly is always read.
    """
    keep_copies = all_copies or data.is_file()
    for path in record_paths(data):
        try:
            record = read_record(path)
        except BadRecord as exc:
            problem = Problem(path, exc.reason)
            if problems is None:
                print(problem.line(), file=sys.stderr)
            else:
                problems.append(problem)
            continue
        if keep_copies or not is_copy(record):
            yield path, record


@dataclass(frozen=True)
class Loaded:
    """Every record of a folder that could be read, and the files that could not."""

    records: list[tuple[Path, PolicyRecord]]
    problems: list[Problem]

    def print_problems(self) -> None:
        for p in self.problems:
            print(p.line(), file=sys.stderr)


def load_folder(data: Path, *, all_copies: bool = False) -> Loaded:
    """All of ``data`` at once (each notice once unless ``all_copies``); NoRecords when not one
    file in it is a readable record."""
    problems: list[Problem] = []
    records = list(iter_records(data, problems, all_copies=all_copies))
    if not records and problems:
        Loaded(records, problems).print_problems()
        raise NoRecords(f"{data}: none of its {len(problems)} record files could be read")
    return Loaded(records, problems)
