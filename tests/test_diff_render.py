"""Renderers and CLI of the diff: JSON shape, Markdown sections, raw files on the fly, history."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.diff import diff_records
from pipeline.diff.render import to_html, to_json, to_markdown
from pipeline.store import dumps
from tests.conftest import RAW, ROOT, run_text

XINZHOU = RAW / "000_020e7bca74b620b8.txt"
LIANYUNGANG = RAW / "004_44f96866d5556162.txt"
NEXT_YEAR = ROOT / "tests" / "fixtures" / "diff" / "000_xinzhou_2025.txt"


@pytest.fixture(scope="module")
def pair() -> tuple[dict[str, Any], dict[str, Any]]:
    return run_text(XINZHOU.read_text(encoding="utf-8")), run_text(NEXT_YEAR.read_text(encoding="utf-8"))


def test_json_has_the_issue_shape(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data = json.loads(to_json(diff_records(*pair)))
    assert list(data) == ["a", "b", "changes", "clauses"]
    assert data["a"]["year"] == 2024 and data["b"]["year"] == 2025
    for c in data["changes"]:
        assert list(c) == ["section", "change", "before", "after", "summary"]
        assert c["change"] in {"added", "removed", "changed"}
        assert (c["before"] is None) == (c["change"] == "added")
        assert (c["after"] is None) == (c["change"] == "removed")
    fee = next(c for c in data["changes"] if c["section"] == "fees")
    assert fee["after"]["amount"] == 400 and fee["summary"] == "新增评审费 400元/人"
    changed = [c for c in data["clauses"] if c["change"] == "changed"]
    assert changed and all(any(op != "equal" for op, _, _ in c["inline"]) for c in changed)


def test_sections_come_in_the_fixed_order(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    from pipeline.diff.model import SECTIONS

    seen = [c.section for c in diff_records(*pair).changes]
    assert seen == sorted(seen, key=SECTIONS.index)


def test_markdown_summary_then_redline(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    md = to_markdown(diff_records(*pair))
    assert md.index("## 语义变化") < md.index("## 条款对照")
    assert "- ~ 发明专利（业绩成果条件）: 1项以上 → 2项以上" in md
    assert "发明专利~~1~~**2**项以上" in md  # inline mark on the changed word only
    assert "#### 删除 3.4.7 7." in md
    assert "条未变" in md  # unchanged clauses folded


def test_self_diff_renders_as_no_change(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result = diff_records(pair[0], pair[0])
    assert "无变化。" in to_markdown(result)
    assert json.loads(to_json(result))["changes"] == []
    assert "<del>" not in to_html(result) and "<ins>" not in to_html(result)


def test_cli_diffs_raw_notices_and_records(
    tmp_path: Path, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    rec = tmp_path / "a.json"
    rec.write_text(dumps(pair[0]), encoding="utf-8")
    out_md, out_json = tmp_path / "d.md", tmp_path / "d.json"
    assert main(["diff", str(rec), str(NEXT_YEAR), "--out", str(out_md)]) == 0
    assert main(["diff", str(XINZHOU), str(NEXT_YEAR), "--format", "json", "--out", str(out_json)]) == 0
    assert "收审材料: 2024-10-09~10-12 → 2025-10-13~10-17" in out_md.read_text(encoding="utf-8")
    first = out_json.read_text(encoding="utf-8")
    assert main(["diff", str(XINZHOU), str(NEXT_YEAR), "--format", "json", "--out", str(out_json)]) == 0
    assert out_json.read_text(encoding="utf-8") == first  # byte-identical on a second run


def test_cli_bad_input_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["diff", str(bad), str(XINZHOU)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {bad}: ") and "\n" not in err
    assert main(["diff", str(tmp_path / "missing.txt"), str(XINZHOU)]) == 1


def test_history_lists_years_in_order_with_changes(
    tmp_path: Path, pair: tuple[dict[str, Any], dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    # written newest first, so the order must come from the records, not the file names
    (tmp_path / "a_2025.json").write_text(dumps(pair[1]), encoding="utf-8")
    (tmp_path / "b_2024.json").write_text(dumps(pair[0]), encoding="utf-8")
    (tmp_path / "c_lyg.json").write_text(
        dumps(run_text(LIANYUNGANG.read_text(encoding="utf-8"))), encoding="utf-8"
    )
    assert main(["history", "--city", "忻州市", "--series", "工程系列", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.index("- 2024 忻工信函〔2024〕18号") < out.index("- 2025 忻工信函〔2025〕21号")
    assert "### 2024 忻工信函〔2024〕18号 → 2025 忻工信函〔2025〕21号" in out
    assert "发明专利（业绩成果条件）: 1项以上 → 2项以上" in out
    assert "连云港" not in out
    assert main(["history", "--city", "忻州市", "--data", str(tmp_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 1 and len(data[0]["records"]) == 2 and data[0]["steps"][0]["changes"]
    assert main(["history", "--city", "太原市", "--data", str(tmp_path)]) == 1


def test_ingest_start_up_does_not_load_jieba() -> None:
    """The diff CLI module is imported for ``diff``; jieba only when a redline is built."""
    code = (
        "import sys; from pipeline.cli import build_parser; "
        "build_parser(['diff']); build_parser(['ingest']); import pipeline.diff, pipeline.diff.render; "
        "assert 'jieba' not in sys.modules, 'jieba imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
def test_make_diff_target(tmp_path: Path) -> None:
    out = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "diff", f"A={XINZHOU}", f"B={NEXT_YEAR}", "FORMAT=json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out)["b"]["year"] == 2025
