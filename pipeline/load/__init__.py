"""Files → ``LoadedDocument``, dispatched on the file's real type (its first bytes), not its suffix.

A ``.pdf`` that is really a zip archive is refused as an archive; a ``.txt``
that is really a PNG takes the image path; a zip is told apart by its members
(a spreadsheet named ``.docx`` is called a spreadsheet). The size is checked
before a byte is read, so a huge file is refused without filling memory.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from pipeline.errors import EmptyInput, IngestError, TooLarge, UnreadableInput, UnsupportedFormat
from pipeline.load import package
from pipeline.load.limits import MAX_BYTES, MB
from pipeline.types import LoadedDocument

__all__ = ["MAX_BYTES", "load", "load_bytes", "read_input", "sniff"]

# magic prefix -> format key
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"BM", "image"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x7fELF", "program"),
    (b"MZ", "program"),
    (b"\x1f\x8b", "archive"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"BZh", "archive"),
    (b"\xfd7zXZ\x00", "archive"),
    (b"{\\rtf", "rtf"),
)

# format key -> module in this package that reads it (imported only when needed)
_LOADERS = {
    "text": "pipeline.load.text",
    "pdf": "pipeline.load.pdf",
    "image": "pipeline.load.image",
    "docx": "pipeline.load.docx",
    "ole": "pipeline.load.office",
    "rtf": "pipeline.load.office",
    "odt": "pipeline.load.office",
    "html": "pipeline.load.html",
    "ofd": "pipeline.load.ofd",
    "xlsx": "pipeline.load.sheet",
    "ods": "pipeline.load.sheet",
    "xls": "pipeline.load.sheet",
}

_REFUSED = {
    "program": "an executable program, not a notice",
    "record": "a policy record written by this pipeline, not a notice (ingest the raw notice instead)",
    "archive": package.REFUSED["archive"],
}


def sniff(head: bytes, suffix: str) -> str:
    """The format key of a file from its first bytes (and, for text, its suffix)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind == "image" and magic == b"BM" and suffix not in {".bmp"}:
                continue  # "BM" also starts ordinary text
            if kind == "program" and magic == b"MZ" and suffix in {".txt", ".md", ".html", ".htm"}:
                continue
            return kind
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith(b"{") and b'"schema_version"' in probe:
        # our own output (a records folder copied next to the notices): its text field would
        # pass the topic check and ingest the notice a second time
        return "record"
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        suffix in {".html", ".htm"} and probe[:1] == b"<"
    ):
        return "html"
    return "text"


def read_input(path: str | Path) -> bytes:
    """The bytes of one file, after the checks that need no reading (a folder, too large, empty);
    every failure is an ``IngestError`` naming the file. Apart from ``load_bytes`` because
    ``--executor ray`` reads a file where it is and sends the bytes to a worker that may be on a
    machine without it."""
    p = Path(path)
    shown = str(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise UnsupportedFormat("is a folder, not a file", shown)
    except FileNotFoundError:
        raise UnreadableInput("no such file", shown) from None
    except PermissionError:
        raise UnreadableInput("permission denied", shown) from None
    if size > MAX_BYTES:
        raise TooLarge(
            f"file is {size / MB:.0f} MB, larger than any notice (limit {MAX_BYTES // MB} MB)",
            shown,
        )
    if size == 0:
        raise EmptyInput("empty file", shown)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read file ({exc.strerror})", shown) from None


def load(path: str | Path) -> LoadedDocument:
    """Read one file into a ``LoadedDocument``; every failure is an ``IngestError`` naming the file."""
    return load_bytes(read_input(path), str(path))


def load_bytes(data: bytes, shown: str) -> LoadedDocument:
    """A file's bytes into a ``LoadedDocument``; ``shown`` is its path as given (it names the file in
    errors and picks the reader of a text file by its suffix), the file itself is never opened."""
    kind = sniff(data[:64], Path(shown).suffix.lower())
    if kind == "zip":
        kind = package.zip_kind(data)
        if kind == "damaged":
            raise UnreadableInput("damaged zip/docx file", shown)
        if kind == "docx-damaged":
            raise UnreadableInput(package.REFUSED[kind], shown)
        if kind in package.REFUSED and kind not in _LOADERS:  # a reader added for a kind takes it
            raise UnsupportedFormat(package.REFUSED[kind], shown)
    if kind == "ole":
        kind = package.ole_kind(data)
    if kind in _REFUSED:
        raise UnsupportedFormat(_REFUSED[kind], shown)
    if kind not in _LOADERS:
        raise UnsupportedFormat(f"unsupported file type ({kind})", shown)
    module = importlib.import_module(_LOADERS[kind])
    sha = hashlib.sha256(data).hexdigest()
    try:
        doc: LoadedDocument = module.read(data, path=shown, sha256=sha, suffix=Path(shown).suffix.lower())
    except IngestError as exc:
        exc.path = exc.path or shown
        raise
    if not doc.raw_text.strip():
        raise EmptyInput("no text in file", shown)
    return doc
