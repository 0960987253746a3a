"""Corrections files: where a record's corrections live, read line by line, written atomically.

``DIR/x.txt.json`` ↔ ``DIR/corrections/x.txt.jsonl``. Writing goes through a temporary file
that is fsynced and renamed (``store.write_atomic(durable=True)``): an analyst's work must
survive a ``kill -9`` and a power cut, unlike a record, which can always be ingested again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pipeline.corrections.model import Correction, CorrectionError
from pipeline.store import write_atomic

FOLDER = "corrections"
SUFFIX = ".jsonl"


class BadCorrections(Exception):
    """A corrections file that cannot be read; ``line()`` is ``error: FILE:N: reason``."""

    def __init__(self, path: Path, reason: str, lineno: int = 0) -> None:
        super().__init__(reason)
        self.path, self.reason, self.lineno = path, reason, lineno

    def line(self) -> str:
        where = f"{self.path}:{self.lineno}" if self.lineno else str(self.path)
        return f"error: {where}: {self.reason}"


def folder(records: Path) -> Path:
    return records / FOLDER


def path_for(records: Path, record_name: str) -> Path:
    """The corrections file of the record file named ``record_name`` in the folder ``records``."""
    return folder(records) / (record_name.removesuffix(".json") + SUFFIX)


def record_name_of(corrections_file: Path) -> str:
    return corrections_file.name.removesuffix(SUFFIX) + ".json"


def of_record(record_file: Path) -> Path:
    return path_for(record_file.parent, record_file.name)


def sha256(path: Path) -> str | None:
    """The hash the manifest keeps to know when a record's corrections changed; None: no file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def read(path: Path) -> list[tuple[int, Correction]]:
    """(line number, correction) for every non-blank line; BadCorrections names the first bad one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise BadCorrections(path, f"cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise BadCorrections(path, f"not a JSON object ({exc.msg})", n) from None
        try:
            out.append((n, Correction.from_json(data)))
        except CorrectionError as exc:
            raise BadCorrections(path, str(exc), n) from None
    return out


def append(path: Path, correction: Correction) -> int:
    """Add a correction at the end of the file (created if need be); returns its line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += correction.line() + "\n"
    write_atomic(path, text, durable=True)
    return len(text.splitlines())


def files(records: Path) -> list[Path]:
    """Every corrections file of a records folder, sorted."""
    where = folder(records)
    if not where.is_dir():
        return []
    return sorted(p for p in where.glob("*" + SUFFIX) if p.is_file() and not p.name.startswith("."))


def rename(records: Path, old_record: str, new_record: str) -> None:
    """A record renamed by the batch takes its corrections with it (never over another's)."""
    old, new = path_for(records, old_record), path_for(records, new_record)
    if old.exists() and not new.exists():
        os.replace(old, new)


def clean_leftovers(records: Path) -> None:
    for tmp in folder(records).glob(".*.tmp"):
        tmp.unlink(missing_ok=True)
