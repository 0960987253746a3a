"""The record tables cached as Parquet, so ``query`` does not re-read every JSON file on every call.

Parsing JSON dominates a query over many records (10,000 seed-sized records are
~800 MB of JSON: about 40 s to load, against ~0.2 s for the query itself).
The first ``query`` over a folder writes each table as one Parquet file; later
calls let DuckDB read only the tables and columns a query names.

The cache lives outside the data folder (``$XDG_CACHE_HOME/zhicheng-pipeline``,
default ``~/.cache``), so it never shows up in git, and it is keyed by the
folder's absolute path.  It is rebuilt whenever the fingerprint of the record
files (names, sizes, modification times) changes, so a re-ingest is never
answered from stale tables.  The record files that could not be read when the
cache was built are kept beside it, so every later query names them again
rather than quietly answering without them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.query.tables import TABLE_NAMES, load_records
from pipeline.records import Problem, record_paths

FINGERPRINT = "fingerprint"
PROBLEMS = "problems.json"


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhicheng-pipeline" / "tables"


def cache_dir(data: Path) -> Path:
    """One cache folder per data folder (by absolute path)."""
    key = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:16]
    return cache_root() / key


def fingerprint(data: Path) -> str:
    """Changes whenever a record file is added, removed, rewritten or touched."""
    h = hashlib.sha256()
    for path in record_paths(data):
        st = path.stat()
        h.update(
            f"{path.relative_to(data) if data.is_dir() else path.name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode()
        )
    return h.hexdigest()


def _read_problems(path: Path, data: Path) -> list[Problem] | None:
    """The problems stored with the cache, their paths spelt from ``data`` as given this time."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return [Problem(data / rel if data.is_dir() else data, reason) for rel, reason in stored]
    except (OSError, ValueError, TypeError):
        return None  # an old or damaged cache: rebuild it


def cached_tables(data: Path, problems: list[Problem] | None = None) -> dict[str, Path]:
    """table → Parquet file, fresh for the records now under ``data`` (rebuilt if they changed).

    The files that could not be read are appended to ``problems`` (else named on stderr),
    whether the tables were built now or earlier.
    """
    folder = cache_dir(data)
    current = fingerprint(data)
    stamp = folder / FINGERPRINT
    files = {name: folder / f"{name}.parquet" for name in TABLE_NAMES}
    if stamp.is_file() and stamp.read_text() == current and all(p.is_file() for p in files.values()):
        known = _read_problems(folder / PROBLEMS, data)
        if known is not None:
            _report(known, problems)
            return files
    folder.parent.mkdir(parents=True, exist_ok=True)
    # build beside, then swap in: a concurrent reader sees the old cache or the new one, never half
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=folder.parent))
    found: list[Problem] = []
    try:
        for name, frame in load_records(data, found).items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / PROBLEMS).write_text(
            json.dumps([[_relative(p.path, data), p.reason] for p in found], ensure_ascii=False),
            encoding="utf-8",
        )
        (staging / FINGERPRINT).write_text(current)
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        with contextlib.suppress(OSError):  # another process swapped in the same tables first
            staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _report(found, problems)
    return files


def _relative(path: Path, data: Path) -> str:
    return path.relative_to(data).as_posix() if data.is_dir() else path.name


def _report(found: list[Problem], problems: list[Problem] | None) -> None:
    if problems is None:
        import sys

        for p in found:
            print(p.line(), file=sys.stderr)
    else:
        problems.extend(found)
