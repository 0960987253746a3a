"""Docs kept honest: every command has help text and appears in the README; the example diff is current."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser(["--help"])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```", 2)[1]
    assert "make ingest" in block and "make test" in block


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    sub = _commands()[name]
    assert sub.description or sub.format_help().strip()
    assert f"python -m pipeline {name}" in README or f"pipeline {name}" in README, name


def test_example_diff_in_docs_is_current() -> None:
    records = ROOT / "data" / "structured"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "diff",
            str(records / "000_020e7bca74b620b8.txt.json"),
            str(records / "004_44f96866d5556162.txt.json"),
            "--format",
            "md",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    ).stdout
    assert out == (ROOT / "docs" / "diff-xinzhou-vs-lianyungang.md").read_text(encoding="utf-8"), (
        "regenerate docs/diff-xinzhou-vs-lianyungang.md with `python -m pipeline diff … --format md`"
    )


def test_the_layout_guide_names_only_files_that_exist() -> None:
    """docs/layout.md is where a newcomer starts: every module and vocabulary file it names is there."""
    import re

    guide = (ROOT / "docs" / "layout.md").read_text(encoding="utf-8")
    names = set(re.findall(r"`((?:pipeline/|tests/)?[\w/]+\.(?:py|toml))`", guide))
    assert len(names) > 20
    missing = []
    for name in sorted(names):
        candidates = [ROOT / name, ROOT / "pipeline" / name, ROOT / "pipeline" / "lexicon" / name]
        candidates += [ROOT / "tests" / name] + [p for p in (ROOT / "pipeline").rglob(Path(name).name)]
        if not any(c.exists() for c in candidates):
            missing.append(name)
    assert not missing, missing
