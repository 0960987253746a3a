"""The records folder's own files: the manifest, its journal, the lock, and what can go wrong there.

``.manifest.json`` maps each raw file (its path as given) to the sha256 of its bytes and either
the record it gave (the record's name and the sha256 of the record file as written) or the
error line. ``.manifest.jsonl`` is the journal of the run in progress, one line per outcome, so
a killed run loses nothing it finished. ``.ingest.lock`` is held (``flock``) for the whole run:
a second ingest into the same folder waits, then reads the manifest the first one left, so
neither loses the other's entries and neither removes the other's temporary files.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

MANIFEST = ".manifest.json"
JOURNAL = ".manifest.jsonl"  # one line per outcome since the manifest was last written
LOCK = ".ingest.lock"

_open = os.open  # one name for tests to stand a read-only disk in for

# a write that fails for one of these fails for every file: the folder itself is unusable
FOLDER_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.ENOENT}


class FolderUnusable(Exception):
    """The output folder cannot be created or written: one line, and the batch stops."""

    def __init__(self, folder: Path, reason: str) -> None:
        super().__init__(reason)
        self.line = f"error: {folder}: {reason}"


def reason(exc: OSError) -> str:
    """``No space left on device`` → ``no space left on device``: reads like the other reasons."""
    text = exc.strerror or type(exc).__name__
    return text[:1].lower() + text[1:]


def _file_in_the_way(folder: Path) -> Path | None:
    for parent in [folder, *folder.parents]:
        if parent.exists() or parent.is_symlink():
            return None if parent.is_dir() else parent
    return None


def prepare(out: Path) -> None:
    """Create ``out``; raises ``FolderUnusable`` with the reason a user can act on."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = _file_in_the_way(out)
        if blocker is None or blocker == out:
            raise FolderUnusable(out, "is a file, not a folder") from None
        raise FolderUnusable(out, f"{blocker} is a file, not a folder") from None
    except OSError as exc:
        raise FolderUnusable(out, f"cannot create the folder: {reason(exc)}") from None


@contextmanager
def locked(out: Path, notify: Callable[[str], None]) -> Iterator[None]:
    """Hold the folder's lock; says once that it waits when another ingest holds it."""
    try:
        fd = _open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise FolderUnusable(out, f"cannot write here: {reason(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            notify(f"waiting: another ingest is writing to {out}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def read_manifest(out: Path) -> dict[str, Any]:
    """The manifest, with the journal of a run that was killed replayed on top of it."""
    data: dict[str, Any] = {"pipeline": None, "files": {}}
    try:
        loaded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(loaded, dict) and isinstance(loaded.get("files"), dict):
            data = loaded
    except (OSError, ValueError):
        pass
    try:
        lines = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # the last line of a killed run may be cut short
        if not isinstance(entry, dict) or not isinstance(entry.get("entry"), dict):
            continue
        if entry.get("pipeline") == data.get("pipeline") or data.get("pipeline") is None:
            data["pipeline"] = entry.get("pipeline")
            if entry["entry"]:
                data["files"][entry["path"]] = entry["entry"]
            else:  # an empty entry: the file was pruned
                data["files"].pop(entry["path"], None)
    return data


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    from pipeline.store import write_atomic  # here: the CLI imports this module, --help needs no orjson

    write_atomic(
        out / MANIFEST,
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        durable=True,
    )
    (out / JOURNAL).unlink(missing_ok=True)


def clean_leftovers(out: Path) -> None:
    """Temporary files of a run that was killed before it could rename them (under the lock, so
    never those of a run still going)."""
    for tmp in out.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


class Journal:
    """Appends one line per outcome; a journal that cannot be written is given up quietly, since
    the manifest written at the end (whose failure is reported) holds the same entries."""

    def __init__(self, out: Path, version: str) -> None:
        self.version = version
        self.file: Any
        try:
            self.file = (out / JOURNAL).open("a", encoding="utf-8")
        except OSError as exc:
            if exc.errno in FOLDER_ERRNOS:
                raise FolderUnusable(out, f"cannot write here: {reason(exc)}") from None
            self.file = None

    def add(self, path: str, entry: dict[str, Any]) -> None:
        if self.file is None:
            return
        line = json.dumps({"pipeline": self.version, "path": path, "entry": entry}, ensure_ascii=False)
        try:
            self.file.write(line + "\n")
            self.file.flush()
        except OSError:
            self.close()

    def close(self) -> None:
        if self.file is not None:
            with suppress(OSError):
                self.file.close()
            self.file = None
