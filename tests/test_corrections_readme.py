"""The README's "Correcting a record" run prints exactly what the README shows, line for line."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import RAW, ROOT, scorer

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.search(r"## Correcting a record\n.*?```\n(.*?)```", README, re.S)


def _steps() -> list[tuple[str, list[str]]]:
    assert BLOCK, "README has no Correcting a record example"
    steps: list[tuple[str, list[str]]] = []
    for line in BLOCK.group(1).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def test_the_readme_correction_run_is_true(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(RAW, tmp_path / "data" / "raw")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    steps = _steps()
    assert len(steps) >= 6
    for command, expected in steps:
        words = shlex.split(command)
        assert words[:3] == ["python", "-m", "pipeline"], command
        main(words[3:])
        captured = capsys.readouterr()
        assert (captured.out + captured.err).splitlines() == expected, command
    gold = Path("gold/000_020e7bca74b620b8.gold.json")
    assert json.loads(gold.read_text(encoding="utf-8"))["source_file"] == "000_020e7bca74b620b8.txt"
    records = tmp_path / "one"
    records.mkdir()
    shutil.copy(tmp_path / "demo" / "000_020e7bca74b620b8.txt.json", records)
    assert scorer().score(records, gold.parent)["macro_f1"] == 1.0
