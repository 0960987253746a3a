"""Old Word (.doc), WPS and RTF files, converted to .docx by LibreOffice and read as .docx.

No Python library reads the binary .doc/.wps formats well; LibreOffice does,
and is an ordinary system package. It is optional: without it these files get
one error line that says how to install it, and the rest of a batch goes on.
An encrypted .docx is also an OLE container (holding an ``EncryptedPackage``
stream), so it is recognised here and refused as password protected.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import EncryptedInput, MissingTool, UnreadableInput
from pipeline.load import docx
from pipeline.types import LoadedDocument

TIMEOUT_S = 120
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _soffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    if _ENCRYPTED_PACKAGE in data:
        raise EncryptedInput("password-protected Office document")
    exe = _soffice()
    if exe is None:
        kind = suffix.lstrip(".") or "this format"
        raise MissingTool(f".{kind} needs LibreOffice: apt-get install libreoffice-writer")
    src_suffix = (
        suffix
        if suffix in {".doc", ".wps", ".rtf", ".dot", ".wpt"}
        else (".rtf" if data.startswith(b"{\\rtf") else ".doc")
    )
    with tempfile.TemporaryDirectory(prefix="zhicheng-office-") as tmp:
        src = Path(tmp) / f"input{src_suffix}"
        src.write_bytes(data)
        cmd = [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp}/profile",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            subprocess.run(cmd, check=False, capture_output=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise UnreadableInput(f"LibreOffice took longer than {TIMEOUT_S} s to convert the file") from None
        out = src.with_suffix(".docx")
        if not out.exists():
            raise UnreadableInput("LibreOffice could not convert the file (damaged or not a document)")
        doc = docx.read(out.read_bytes(), path=path, sha256=sha256, suffix=".docx")
    fmt = src_suffix.lstrip(".")
    return LoadedDocument(path=path, sha256=sha256, format=fmt, raw_text=doc.raw_text)
