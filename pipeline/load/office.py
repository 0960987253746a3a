"""Old Word (.doc), WPS, RTF and OpenDocument text (.odt) files, converted to .docx by LibreOffice and read as .docx.

No Python library reads the binary .doc/.wps formats well; LibreOffice does,
and is an ordinary system package. It is optional: without it these files get
one error line that says how to install it, and the rest of a batch goes on.
An encrypted .docx is also an OLE container (holding an ``EncryptedPackage``
stream), so it is recognised here and refused as password protected.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
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


def _source_suffix(data: bytes, suffix: str) -> str:
    """The suffix LibreOffice is shown: it picks its import filter from it, so a misnamed file gets its real one."""
    if data.startswith(b"{\\rtf"):
        return ".rtf"
    if data.startswith(b"PK"):
        return ".odt"  # the loader sends only OpenDocument text zips here
    return suffix if suffix in {".doc", ".wps", ".dot", ".wpt"} else ".doc"


def convert(data: bytes, src_suffix: str, timeout: float = TIMEOUT_S) -> bytes:
    """The file as .docx bytes, converted by LibreOffice in a profile of its own.

    Each call gets a fresh user profile (``-env:UserInstallation``) in its own
    temporary folder: LibreOffice locks its profile, so parallel workers sharing
    one would wait on or break each other. The converter runs in its own process
    group, and a conversion that outlives ``timeout`` is killed with the whole
    group (soffice starts a child, ``soffice.bin``, that killing the parent leaves).
    """
    exe = _soffice()
    if exe is None:
        kind = src_suffix.lstrip(".") or "this format"
        raise MissingTool(f".{kind} needs LibreOffice: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory(prefix="zhicheng-office-") as tmp:
        src = Path(tmp) / f"input{src_suffix}"
        src.write_bytes(data)
        cmd = [
            exe,
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(src),
        ]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, cwd=tmp
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise UnreadableInput(f"LibreOffice took longer than {timeout:g} s to convert the file") from None
        finally:
            _kill_group(proc)  # a child left behind after a normal exit would hold the profile
        out = src.with_suffix(".docx")
        if not out.exists():
            raise UnreadableInput("LibreOffice could not convert the file (damaged or not a document)")
        return out.read_bytes()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    if _ENCRYPTED_PACKAGE in data:
        raise EncryptedInput("password-protected Office document")
    src_suffix = _source_suffix(data, suffix)
    doc = docx.read(convert(data, src_suffix), path=path, sha256=sha256, suffix=".docx")
    fmt = src_suffix.lstrip(".")
    fmt = {"dot": "doc", "wpt": "wps"}.get(fmt, fmt)
    return LoadedDocument(path=path, sha256=sha256, format=fmt, raw_text=doc.raw_text, warnings=doc.warnings)
