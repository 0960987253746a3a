"""The analyst questions in the README answer exactly as printed there, through the sandboxed query."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# a fenced block that starts with `$ python -m pipeline query …` and shows its output
EXAMPLES = re.findall(r"```\n *\$ python -m pipeline (query [^\n]*)\n(.*?)\n *```", README, re.S)


def test_readme_has_query_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[f"q{i + 1}" for i in range(len(EXAMPLES))])
def test_readme_query_prints_what_the_readme_shows(
    command: str,
    output: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.chdir(ROOT)  # the README's commands run from the repository root
    assert main(shlex.split(command)) == 0
    printed = capsys.readouterr().out
    assert printed == "".join(line.strip() + "\n" for line in output.splitlines())
