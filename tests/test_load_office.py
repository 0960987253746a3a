"""Old Word, RTF, OpenDocument and WPS files, read through LibreOffice, score like the seed's .txt.

The fixtures are made at test time the way an office makes them: python-docx
writes the seed as a .docx, LibreOffice saves it as .doc, .rtf and .odt. A
Kingsoft WPS ``.wps`` is an OLE compound file in the Word 97 binary format, so
the .doc is also read under a ``.wps`` name (a file WPS itself wrote is not
available here). Without LibreOffice (``make office`` installs it) the tests
skip and say so; the "not installed" message has its own test in
test_load_errors.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import UnreadableInput
from pipeline.ingest import ingest_file
from pipeline.load import load, office
from scripts.make_fixtures import make_docx, plain_lines
from tests.conftest import GOLD, RAW, SHARED, scorer

SEEDS = ("000_020e7bca74b620b8", "004_44f96866d5556162")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: run `make office`"
)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each seed as .docx (python-docx), then .doc, .rtf and .odt saved from it by LibreOffice."""
    out = tmp_path_factory.mktemp("office")
    sources = []
    for stem in SEEDS:
        path = out / f"{stem}.docx"
        path.write_bytes(make_docx(plain_lines((RAW / f"{stem}.txt").read_text(encoding="utf-8"))))
        sources.append(str(path))
    for fmt in ("doc", "rtf", "odt"):
        profile = (out / f"profile-{fmt}").as_uri()
        subprocess.run(
            [str(SOFFICE), "--headless", "--norestore", f"-env:UserInstallation={profile}",
             "--convert-to", fmt, "--outdir", str(out), *sources],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    for stem in SEEDS:
        shutil.copy(out / f"{stem}.doc", out / f"{stem}.wps")
    return out


def _f1(record: dict[str, Any], stem: str, tmp: Path) -> float:
    tmp.mkdir()
    (tmp / "r").mkdir()
    (tmp / "g").mkdir()
    record = {**record, "source": {**record["source"], "path": f"{stem}.txt"}}
    (tmp / "r/r.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (tmp / "g/g.json").write_text((GOLD / "seeds" / f"{stem}.gold.json").read_text(encoding="utf-8"))
    return float(scorer().score(tmp / "r", tmp / "g")["macro_f1"])


@needs_soffice
@pytest.mark.skipif(not (SHARED / "eval/score.py").exists(), reason="../shared/eval/score.py is absent")
@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt", ".wps"])
@pytest.mark.parametrize("stem", SEEDS)
def test_office_format_scores_like_txt(made: Path, stem: str, suffix: str, tmp_path: Path) -> None:
    record = ingest_file(made / f"{stem}{suffix}")
    assert record["source"]["format"] == suffix.lstrip(".")
    txt = _f1(ingest_file(RAW / f"{stem}.txt"), stem, tmp_path / "txt")
    assert _f1(record, stem, tmp_path / "office") >= txt - 0.01


@needs_soffice
def test_doc_named_docx_is_read_as_doc(made: Path, tmp_path: Path) -> None:
    """A Word 97 file saved under .docx goes by its bytes (OLE), not its name."""
    p = tmp_path / "通知.docx"
    shutil.copy(made / f"{SEEDS[1]}.doc", p)
    doc = load(p)
    assert doc.format == "doc" and doc.raw_text == load(made / f"{SEEDS[1]}.doc").raw_text


@needs_soffice
def test_damaged_doc_is_one_error_line(tmp_path: Path) -> None:
    p = tmp_path / "坏.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(UnreadableInput) as err:
        load(p)
    assert (
        err.value.line() == f"error: {p}: LibreOffice could not convert the file (damaged or not a document)"
    )


def test_hung_conversion_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A converter that never returns is killed with its children after the timeout."""
    fake = tmp_path / "soffice"
    pidfile = tmp_path / "child.pid"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pidfile}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setattr(office, "_soffice", lambda: str(fake))
    with pytest.raises(UnreadableInput, match=r"LibreOffice took longer than 0\.5 s to convert the file"):
        office.convert(b"{\\rtf1 x}", ".rtf", timeout=0.5)
    child = int(pidfile.read_text())
    assert _gone_within(child, seconds=5.0), f"child {child} of the killed converter is still running"


def _gone_within(pid: int, *, seconds: float) -> bool:
    """SIGKILL is delivered at once but a loaded machine may take a moment to tear the process
    down; dead means absent from /proc or a zombie waiting for its reaper."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                return True
        except (FileNotFoundError, ProcessLookupError):
            return True
        time.sleep(0.05)
    return False
