"""Corrections: every kind applied, kept across re-ingests, reported stale or redundant, refused
with its exact message when wrong, and seen by query, diff and the scorer."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline import batch
from pipeline.cli import _files, main
from pipeline.corrections import store
from pipeline.corrections.apply import apply
from pipeline.corrections.model import Correction
from tests.conftest import RAW, ROOT, scorer

SEED = "000_020e7bca74b620b8.txt"
REC = SEED + ".json"
AT = ["--by", "li", "--at", "2026-12-01T23:40:00Z"]
# facts of seed 000, by their stable ids
INVENTION = "rq-8c11acb1"  # 发明专利1项以上 (one sentence with the utility-model patent rq-020cf0f4)
UTILITY = "rq-020cf0f4"
AWARD3 = "rq-8a166eae"  # 获得市级科技成果奖3项以上。
WINDOW = "dl-e82341c6"  # 收审材料时间为10月9日至10月12日。


def ingest(raw: Path, out: Path, **kw: Any) -> list[str]:
    stream = io.StringIO()
    code = batch.run_batch(list(_files([str(raw)], out)), out, jobs=1, stream=stream, **kw)
    assert code == 0, stream.getvalue()
    return stream.getvalue().splitlines()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def record(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / REC).read_text(encoding="utf-8"))
    return data


def fact(rec: dict[str, Any], ident: str) -> dict[str, Any] | None:
    for facts in rec["facts"].values():
        for f in facts:
            if isinstance(f, dict) and f.get("id") == ident:
                return f
    return None


@pytest.fixture()
def folder(tmp_path: Path) -> tuple[Path, Path]:
    raw, out = tmp_path / "raw", tmp_path / "records"
    raw.mkdir()
    shutil.copy(RAW / SEED, raw / SEED)
    ingest(raw, out)
    return raw, out


def _all_kinds(capsys: pytest.CaptureFixture[str], out: Path) -> None:
    data = ["--data", str(out)]
    for args in (
        [REC, INVENTION, "--set", "min_count=2", "--reason", "原文为2项以上"],
        [REC, UTILITY, "--remove", "--reason", "not a requirement"],
        [
            REC,
            "--add",
            "fees",
            "--text",
            "收审材料时间为10月9日至10月12日",
            "--set",
            "amount=300",
            "--reason",
            "r",
        ],
        [
            REC,
            "--notice",
            "--set",
            "series=工程技术系列",
            "--set",
            "levels=高级工程师、正高级工程师",
            "--reason",
            "r",
        ],
    ):
        code, _, err = cli(capsys, "correct", *args, *AT, *data)
        assert code == 0, err


def _check_all_kinds(rec: dict[str, Any]) -> None:
    invention = fact(rec, INVENTION)
    assert invention is not None and invention["min_count"] == 2
    assert invention["corrected"] == {
        "by": "li",
        "at": "2026-12-01T23:40:00Z",
        "reason": "原文为2项以上",
        "fields": ["min_count"],
    }
    assert fact(rec, UTILITY) is None
    [added] = [f for f in rec["facts"]["fees"] if f.get("corrected", {}).get("added")]
    assert added["amount"] == 300 and added["currency"] == "CNY" and added["covers"] == []
    assert rec["text"][added["span"][0] : added["span"][1]] == "收审材料时间为10月9日至10月12日"
    assert rec["notice"]["series"] == "工程技术系列"
    assert rec["notice"]["levels"] == ["高级工程师", "正高级工程师"]
    assert [c["status"] for c in rec["corrections"]] == ["applied"] * 4
    assert rec["corrections"][1]["was"]["id"] == UTILITY


def test_each_kind_applied_at_once_and_again_by_a_changed_pipeline(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = folder
    _all_kinds(capsys, out)
    at_once = (out / REC).read_bytes()
    _check_all_kinds(record(out))
    assert ingest(raw, out)[-1].endswith("1 unchanged, 0 failed, 0 warnings")  # the manifest knows
    monkeypatch.setattr(batch, "fingerprint", lambda: "a-newer-pipeline")
    lines = ingest(raw, out)
    assert lines[-1] == f"1 records written to {out}, 0 failed, 0 warnings"
    assert (out / REC).read_bytes() == at_once  # a fresh reading with the corrections applied
    assert ingest(raw, out, force=True) and (out / REC).read_bytes() == at_once


def test_an_edited_corrections_file_is_applied_on_the_next_ingest(folder: tuple[Path, Path]) -> None:
    raw, out = folder
    pristine = (out / REC).read_bytes()
    line = Correction(op="set", fact=AWARD3, values={"min_count": 4}, by="wang", at="2026-12-02", reason="r")
    store.append(store.path_for(out, REC), line)
    ingest(raw, out)
    awarded = fact(record(out), AWARD3)
    assert awarded is not None and awarded["min_count"] == 4 and awarded["corrected"]["by"] == "wang"
    store.path_for(out, REC).unlink()  # a correction taken back
    ingest(raw, out)
    assert "corrections" not in record(out)
    assert (out / REC).read_bytes() == pristine


def test_a_correction_whose_fact_left_the_notice_is_stale_and_kept(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    raw, out = folder
    code, _, err = cli(
        capsys, "correct", REC, WINDOW, "--set", "end=2024-10-13", "--reason", "r", *AT, "--data", str(out)
    )
    assert code == 0, err
    text = (raw / SEED).read_text(encoding="utf-8")
    (raw / SEED).write_text(text.replace("收审材料时间为 10 月 9 日至 10 月 12 日。", ""), encoding="utf-8")
    lines = ingest(raw, out)
    cfile = store.path_for(out, REC)
    stale = (
        f'stale: {cfile}:1: set {WINDOW} end="2024-10-13": fact {WINDOW} is gone, '
        "and its sentence is no longer in the notice"
    )
    assert stale in lines
    assert ingest(raw, out)[-2] == stale  # said again on every run, the record unchanged
    assert len(cfile.read_text(encoding="utf-8").splitlines()) == 1
    assert record(out)["corrections"][0]["status"] == "stale"
    code, listing, _ = cli(capsys, "corrections", "--stale", "--data", str(out))
    assert listing.splitlines()[0].startswith(f"stale: {cfile}:1: set {WINDOW}")
    assert listing.splitlines()[-1] == "1 correction in 1 file: 0 applied, 0 redundant, 1 stale"
    from pipeline.query.review import render_page

    assert '<li class="stale"><b>stale</b> set dl-e82341c6 end=2024-10-13' in render_page(record(out))  # type: ignore[arg-type]


def test_a_correction_the_pipeline_now_agrees_with_is_redundant(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    raw, out = folder
    data = ["--data", str(out)]
    assert cli(capsys, "correct", REC, AWARD3, "--set", "min_count=4", "--reason", "r", *AT, *data)[0] == 0
    assert cli(capsys, "correct", REC, "--notice", "--set", "year=2025", "--reason", "r", *AT, *data)[0] == 0
    text = (raw / SEED).read_text(encoding="utf-8")
    (raw / SEED).write_text(
        text.replace("市级科技成果奖 3 项", "市级科技成果奖 4 项").replace("2024年度", "2025年度"),
        encoding="utf-8",
    )
    lines = ingest(raw, out)
    rec = record(out)
    new_id = next(f["id"] for f in rec["facts"]["requirements"] if "市级科技成果奖4项" in f["text"])
    cfile = store.path_for(out, REC)
    assert (
        f"redundant: {cfile}:1: set {AWARD3} min_count=4: the pipeline now reads min_count=4 itself ({new_id})"
        in lines
    )
    assert f"redundant: {cfile}:2: notice year=2025: the pipeline now finds year=2025 itself" in lines
    assert "corrected" not in rec["notice"] and "corrected" not in fact(rec, new_id)  # type: ignore[operator]


REFUSALS = [
    (
        [REC, INVENTION, "--set", "min_count=2", "--text", "发明专利1项以上"],
        "error: {rec}: --text goes with --add",
    ),
    ([REC, "--remove", "--add", "fees"], "error: {rec}: --remove and --add cannot be combined"),
    (
        [REC, INVENTION, "--notice", "--set", "year=2025"],
        "error: {rec}: --notice takes no FACT_ID (got rq-8c11acb1)",
    ),
    ([REC, INVENTION], "error: {rec}: nothing to correct: give --set FIELD=VALUE, or --remove"),
    (
        ["nosuch.txt", INVENTION, "--set", "min_count=2"],
        "error: nosuch.txt: no such record file, and no record with that id under {out}",
    ),
    ([REC, "rq-deadbeef", "--set", "min_count=2"], "error: {rec}: no fact rq-deadbeef in this record"),
    (
        [REC, INVENTION, "--set", "min_cont=2"],
        "error: {rec}: requirements has no field min_cont; fields: kind, subtype, min_count, unit, level, group, min_words, min_amount_cny, rank_max, note, boxes",
    ),
    ([REC, INVENTION, "--set", "min_count=两"], 'error: {rec}: min_count must be a number above 0, got "两"'),
    (
        [REC, INVENTION, "--set", "level=state"],
        'error: {rec}: level must be one of national, provincial, municipal, enterprise, association or null, got "state"',
    ),
    (
        [REC, WINDOW, "--set", "end=10月13日"],
        'error: {rec}: end must be a date YYYY-MM-DD or null, got "10月13日"',
    ),
    ([REC, INVENTION, "--set", "min_count"], 'error: {rec}: --set takes FIELD=VALUE, got "min_count"'),
    (
        [REC, INVENTION, "--set", "span=[1,2]"],
        "error: {rec}: span says where the fact was read and cannot be set: --remove it and --add it again",
    ),
    (
        [REC, INVENTION, "--set", "min_count=1"],
        "error: {rec}: nothing to correct: rq-8c11acb1 already has min_count=1",
    ),
    (
        [REC, "--add", "requirements", "--text", "发明专利9项以上", "--set", "kind=patent"],
        'error: {rec}: the text "发明专利9项以上" is not in the notice',
    ),
    (
        [REC, "--add", "requirements", "--text", "专利", "--set", "kind=patent"],
        'error: {rec}: the text "专利" stands 6 times in the notice; quote more of its sentence',
    ),
    (
        [REC, "--add", "requirements", "--text", "发明专利1项以上", "--set", "kind=patent"],
        "error: {rec}: a new requirements fact needs min_count, unit: add --set min_count=… --set unit=…",
    ),
    (
        [REC, "--add", "awards", "--text", "x"],
        'error: {rec}: --add takes one of service_years, requirements, deadlines, fees, contacts, got "awards"',
    ),
    (
        [REC, "--notice", "--set", "year=二〇二四"],
        'error: {rec}: year must be a whole number of at least 1949 or null, got "二〇二四"',
    ),
    (
        [REC, "--notice", "--set", "town=x"],
        "error: {rec}: the notice has no field town; fields: title, doc_numbers, issuers, issue_date, province, city, year, series, levels, level_codes, specialties",
    ),
    (
        [REC, INVENTION, "--set", "min_count=2", "--at", "yesterday"],
        'error: {rec}: --at must be an ISO timestamp like 2026-12-01T23:40:00Z, got "yesterday"',
    ),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[m.split(": ", 2)[-1][:40] for _, m in REFUSALS])
def test_bad_input_gets_one_line_and_changes_nothing(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    _raw, out = folder
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, stdout, err = cli(capsys, "correct", *args, "--reason", "r", "--data", str(out))
    assert (code, stdout) == (1, "")
    assert err == message.format(out=out, rec=out / REC) + "\n"
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not store.folder(out).exists()


def test_query_and_diff_see_the_corrected_values(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.diff.match import semantic_changes
    from pipeline.query.tables import load_records

    _raw, out = folder
    before = record(out)
    assert (
        cli(
            capsys,
            "correct",
            REC,
            INVENTION,
            "--set",
            "min_count=2",
            "--reason",
            "r",
            *AT,
            "--data",
            str(out),
        )[0]
        == 0
    )
    rq = load_records(out).requirements
    row = rq[rq["id"] == INVENTION].iloc[0]
    assert row["min_count"] == 2 and bool(row["corrected"]) is True
    assert int(rq["corrected"].sum()) == 1
    code, table, _ = cli(
        capsys,
        "query",
        "SELECT id, min_count FROM requirements WHERE corrected",
        "--data",
        str(out),
        "--no-cache",
    )
    assert code == 0 and f"{INVENTION}  2" in table
    changes = semantic_changes(before, record(out))  # type: ignore[arg-type]
    [change] = changes  # only the corrected count: the mark itself is not a change
    assert change.change == "changed" and change.before["min_count"] == 1 and change.after["min_count"] == 2


def test_gold_from_a_corrected_record_scores_one(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _raw, out = folder
    _all_kinds(capsys, out)
    gold_dir = tmp_path / "gold"
    code, stdout, err = cli(capsys, "gold", REC, "--data", str(out), "--out", str(gold_dir / "g.json"))
    assert code == 0, err
    assert stdout == f"{gold_dir / 'g.json'}\n"
    gold = json.loads((gold_dir / "g.json").read_text(encoding="utf-8"))
    assert gold["source_file"] == SEED and "4 corrections applied (by li)" in gold["notes"]
    result = scorer().score(out, gold_dir)
    assert result["macro_f1"] == 1.0
    assert all(v["f1"] == 1.0 for v in result["facets"].values()), result["facets"]
    assert result["facets"]["requirements"]["gold"] == len(record(out)["facts"]["requirements"])


def test_corrections_outlive_prune_and_follow_no_other_record(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    raw, out = folder
    assert (
        cli(
            capsys,
            "correct",
            REC,
            INVENTION,
            "--set",
            "min_count=2",
            "--reason",
            "r",
            *AT,
            "--data",
            str(out),
        )[0]
        == 0
    )
    (raw / SEED).rename(raw / "moved.txt")
    lines = ingest(raw, out, prune=True)
    cfile = store.path_for(out, REC)
    assert f"stale: {cfile}: its record {out / REC} is gone; its 1 corrections are kept" in lines
    assert cfile.exists() and not (out / REC).exists()
    assert "corrections" not in json.loads((out / "moved.txt.json").read_text(encoding="utf-8"))
    code, listing, _ = cli(capsys, "corrections", "--data", str(out))
    assert code == 0
    assert listing.splitlines()[0] == (
        f"stale: {cfile}:1: set {INVENTION} min_count=2: its record {out / REC} is gone (li, 2026-12-01T23:40:00Z: r)"
    )


def test_a_correct_killed_before_the_record_was_written_is_finished_by_ingest(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The corrections file is written first; the record after. Killed between the two, the next
    ``correct`` refuses to build on a record that misses a line, and ingest applies it."""
    raw, out = folder
    cfile = store.path_for(out, REC)
    store.append(
        cfile, Correction(op="set", fact=INVENTION, values={"min_count": 2}, by="li", at="t", reason="r")
    )
    code, _, err = cli(
        capsys, "correct", REC, AWARD3, "--set", "min_count=4", "--reason", "r", "--data", str(out)
    )
    assert code == 1
    assert err == (
        f"error: {out / REC}: the record does not show the corrections in {cfile} "
        "(changed since the last ingest): run `python -m pipeline ingest` first\n"
    )
    ingest(raw, out)
    assert fact(record(out), INVENTION)["min_count"] == 2  # type: ignore[index]
    assert (
        cli(capsys, "correct", REC, AWARD3, "--set", "min_count=4", "--reason", "r", "--data", str(out))[0]
        == 0
    )


def test_a_corrections_file_that_cannot_be_read_fails_its_record_and_keeps_the_old_one(
    folder: tuple[Path, Path],
) -> None:
    raw, out = folder
    before = (out / REC).read_bytes()
    cfile = store.path_for(out, REC)
    cfile.parent.mkdir()
    cfile.write_text('{"op": "set", "fact": "rq-1"\n', encoding="utf-8")
    stream = io.StringIO()
    assert batch.run_batch(list(_files([str(raw)], out)), out, stream=stream, force=True) == 1
    assert f"    {cfile}:1: not a JSON object (Expecting ',' delimiter)" in stream.getvalue()
    assert (out / REC).read_bytes() == before


def test_two_analysts_correcting_at_once_both_keep_their_line(folder: tuple[Path, Path]) -> None:
    _raw, out = folder
    cmds = [
        [
            sys.executable,
            "-m",
            "pipeline",
            "correct",
            REC,
            ident,
            "--set",
            "min_count=5",
            "--reason",
            "r",
            "--data",
            str(out),
        ]
        for ident in (INVENTION, AWARD3)
    ]
    procs = [
        subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0], [p.stderr.read() for p in procs if p.stderr]
    rec = record(out)
    assert fact(rec, INVENTION)["min_count"] == 5 and fact(rec, AWARD3)["min_count"] == 5  # type: ignore[index]
    assert len(store.path_for(out, REC).read_text(encoding="utf-8").splitlines()) == 2


def test_apply_leaves_its_input_alone_and_a_record_without_corrections_unchanged() -> None:
    rec = json.loads((ROOT / "data" / "structured" / REC).read_text(encoding="utf-8"))
    same, outcomes = apply(rec, [])
    assert same == rec and outcomes == []
    c = Correction(op="remove", fact=INVENTION, text="x", by="a", at="t", reason="r")
    fixed, [outcome] = apply(rec, [(1, c)])
    assert outcome.status == "applied" and fact(rec, INVENTION) is not None and fact(fixed, INVENTION) is None


def test_an_added_fact_the_pipeline_now_finds_is_redundant_and_not_added_twice() -> None:
    rec = json.loads((ROOT / "data" / "structured" / REC).read_text(encoding="utf-8"))
    values = {"kind": "patent", "subtype": "invention", "min_count": 1, "unit": "项"}
    c = Correction(
        op="add", list="requirements", quote="发明专利1项以上", values=values, by="a", at="t", reason="r"
    )
    fixed, [outcome] = apply(rec, [(1, c)])
    assert (outcome.status, outcome.why) == ("redundant", f"the pipeline now finds it itself ({INVENTION})")
    assert len(fixed["facts"]["requirements"]) == len(rec["facts"]["requirements"])


def test_the_correction_types_are_the_schema_definitions() -> None:
    from pipeline import record_types as rt
    from pipeline.record import schema

    for cls, name in ((rt.Corrected, "corrected"), (rt.Correction, "correction")):
        node = schema()["definitions"][name]
        assert set(cls.__annotations__) == set(node["properties"])
        assert cls.__required_keys__ == set(node["required"])  # type: ignore[attr-defined]


# a few corrections of one record, in any order: what `correct` builds one at a time (each on the
# record the previous ones left) is what ingest builds from the whole file at once
_CHOICES = [
    Correction(op="set", fact=INVENTION, values={"min_count": 3}, by="a", at="t", reason="r"),
    Correction(op="set", fact=INVENTION, values={"level": "national"}, by="b", at="t", reason="r"),
    Correction(op="remove", fact=UTILITY, text="x", by="a", at="t", reason="r"),
    Correction(op="set", fact=UTILITY, values={"min_count": 4}, by="a", at="t", reason="r"),
    Correction(op="notice", values={"year": 2030}, by="a", at="t", reason="r"),
    Correction(
        op="add",
        list="fees",
        quote="收审材料时间为10月9日至10月12日",
        values={"amount": 9},
        by="a",
        at="t",
        reason="r",
    ),
]


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (5, 4, 0, 5), (2, 0, 3, 1, 4, 5)])
def test_corrections_one_at_a_time_give_what_the_whole_file_gives(order: tuple[int, ...]) -> None:
    base = json.loads((ROOT / "data" / "structured" / REC).read_text(encoding="utf-8"))
    entries = [(i + 1, _CHOICES[k]) for i, k in enumerate(order)]
    at_once, _ = apply(base, entries)
    step = base
    for lineno, c in entries:
        listed = step.get("corrections", [])
        step, _ = apply(step, [(lineno, c)])
        step["corrections"] = [*listed, *step["corrections"]]
    assert step == at_once


def _leaves(node: dict[str, Any]) -> list[dict[str, Any]]:
    if "of" in node:
        return [leaf for child in node["of"] for leaf in _leaves(child)]
    return [node]


def test_the_criteria_tree_follows_corrected_facts() -> None:
    """`check` reads the tree: a corrected count must reach its leaf, a removed fact leave no leaf."""
    record = json.loads((ROOT / "data" / "structured" / f"{SEED}.json").read_text(encoding="utf-8"))

    def leaves_of(rec: dict[str, Any]) -> dict[str, dict[str, Any]]:
        found = [leaf for route in rec["criteria"]["routes"] for leaf in _leaves(route["requires"])]
        return {leaf["fact"]: leaf for leaf in found if leaf.get("fact")}

    assert leaves_of(record)[INVENTION]["min_count"] == 1
    fixed, _ = apply(
        record,
        [
            (1, Correction(op="set", fact=INVENTION, values={"min_count": 2}, by="li", at="t", reason="r")),
            (2, Correction(op="remove", fact=UTILITY, text="x", by="li", at="t", reason="r")),
        ],
    )
    assert leaves_of(fixed)[INVENTION]["min_count"] == 2
    assert UTILITY not in leaves_of(fixed)
