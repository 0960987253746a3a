"""Shared test helpers: where the seeds, web excerpts and gold live, and a one-call pipeline."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
STRUCTURED = ROOT / "data" / "structured"
GOLD = Path(__file__).resolve().parent / "gold"
SHARED = ROOT.parent / "shared"
WEB = SHARED / "corpus" / "web"

needs_shared = pytest.mark.skipif(
    not WEB.is_dir(), reason="../shared/corpus/web is not beside the repository"
)


def web_text(name: str) -> str:
    return (WEB / name).read_text(encoding="utf-8")


def scorer() -> Any:
    """The shared accuracy scorer, imported from ../shared/eval/score.py."""
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_text(text: str) -> dict[str, Any]:
    """A record for a text given inline, through every stage after loading."""
    import hashlib

    from pipeline.ingest import build_record
    from pipeline.types import LoadedDocument

    doc = LoadedDocument(
        path="inline.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), format="txt", raw_text=text
    )
    return build_record(doc)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def facts_of(text: str, year: int | None = 2024, issue_date: str | None = None, city: str | None = None):  # type: ignore[no-untyped-def]
    """Facts of a snippet, read as if it stood in a notice of ``year`` (signed ``issue_date``, in ``city``)."""
    from pipeline.extract import FACT_EXTRACTORS
    from pipeline.extract.context import Context
    from pipeline.normalize import normalize
    from pipeline.segment import segment
    from pipeline.types import Facts

    norm = normalize(text)
    clauses = segment(norm)
    ctx = Context.of(norm.text, clauses, year=year, issue_date=issue_date, city=city)
    return Facts(**{name: extractor(ctx) for name, extractor in FACT_EXTRACTORS})


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (run `make browser`; needs apt-get)"
)
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # this machine's network is closed: no background calls
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium(tmp: Path, *args: str, check: bool = True):  # type: ignore[no-untyped-def]
    """Run Debian's chromium headless with a fresh profile under ``tmp``."""
    assert CHROMIUM is not None
    cmd = [CHROMIUM, *_CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=check)
