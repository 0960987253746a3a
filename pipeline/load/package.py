"""Zip-based files: which document they are, and whether unpacking one is safe.

DOCX, XLSX, PPTX, ODT and OFD are all zip archives; only the list of members
tells them apart, and that list (the central directory) is read without
unpacking anything. A user who saved a spreadsheet as ``.docx`` is told it is
a spreadsheet, not to "unpack it first".

The central directory also states every member's unpacked size. A zip bomb (a
small file whose XML unpacks to hundreds of MB) is refused from those sizes
before python-docx or lxml sees a byte of it: zipfile never yields more than
a member's stated size, so the stated sizes bound what reading can cost.
"""

from __future__ import annotations

import io
import zipfile

from pipeline.errors import TooLarge
from pipeline.load.limits import MAX_RATIO, MAX_UNPACKED_BYTES, MB, RATIO_FLOOR_BYTES

MAX_MEMBERS = 10_000

# ODF keeps its type in a tiny first member called "mimetype"
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/epub+zip": "epub",
}

# kind -> the reason a file of that kind is not read
REFUSED = {
    "docx-damaged": "damaged Word file: no word/document.xml",
    "xlsx": "a spreadsheet (xlsx), not a notice document",
    "ods": "a spreadsheet (ods), not a notice document",
    "pptx": "a presentation (pptx), not a notice document",
    "odp": "a presentation (odp), not a notice document",
    "odt": "an OpenDocument text (odt), not read: save it as .docx or PDF",
    "ofd": "an OFD document, not read: save it as PDF",
    "epub": "an e-book (epub), not a notice document",
    "archive": "a compressed archive, not a notice (unpack it first)",
}


def _mimetype(z: zipfile.ZipFile) -> str:
    try:
        info = z.getinfo("mimetype")
    except KeyError:
        return ""
    if info.file_size > 100:
        return ""
    try:
        return z.read(info).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError):
        return ""


def zip_kind(data: bytes) -> str:
    """``docx``, a key of ``REFUSED``, or ``damaged`` when the zip cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            mimetype = _mimetype(z)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return "damaged"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if mimetype in _ODF:
        return _ODF[mimetype]
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names or any(n.startswith("word/") for n in names):
        return "docx-damaged"  # an Office package with Word's folder but not its text
    return "archive"


_OLE_WORD = "WordDocument".encode("utf-16-le")
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE_BOOKS = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))


def ole_kind(data: bytes) -> str:
    """``xls`` for an Excel/WPS 表格 (.et) compound file (a Workbook stream), else ``ole`` (Word, WPS 文字)."""
    if _OLE_WORD in data or _OLE_ENCRYPTED in data:
        return "ole"
    return "xls" if any(name in data for name in _OLE_BOOKS) else "ole"


def check_unpacked(data: bytes, label: str) -> None:
    """Raise ``TooLarge`` when the zip's members, as stated, would unpack past a notice's size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return  # the reader reports a damaged file in its own words
    if len(infos) > MAX_MEMBERS:
        raise TooLarge(f"{label} holds {len(infos)} files, more than any notice (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise TooLarge(
            f"{label} unpacks to {-(-total // MB)} MB, larger than any notice "
            f"(limit {MAX_UNPACKED_BYTES // MB} MB)"
        )
    for i in infos:
        if i.file_size >= RATIO_FLOOR_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise TooLarge(
                f"{label} part {i.filename} unpacks to {ratio} times its packed size, "
                f"a zip bomb, not a document (limit {MAX_RATIO} times)"
            )
