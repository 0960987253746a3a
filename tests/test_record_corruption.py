"""Random damage to a records folder: no command crashes, every bad file is named, good records serve.

The damage is what happens to real folders: a copy cut off at some byte, a key
deleted or given a value of the wrong type by hand, stray JSON files that are
not records, empty files, binary junk. Each example builds a folder of the two
committed records plus a few damaged files and runs query, export, report,
review, history and diff in-process (an escaping exception fails the test).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from tests.conftest import STRUCTURED

GOOD = ("000_020e7bca74b620b8.txt.json", "004_44f96866d5556162.txt.json")
SEEDS = {name: (STRUCTURED / name).read_bytes() for name in GOOD}

# keys the schema requires, so deleting one always breaks the record
REQUIRED_PATHS: list[tuple[str | int, ...]] = [
    ("notice",),
    ("facts",),
    ("source",),
    ("record_id",),
    ("text",),
    ("notice", "year"),
    ("notice", "cited_documents"),
    ("facts", "requirements"),
    ("facts", "urls"),
    ("source", "sha256"),
    ("facts", "service_years", 0, "years"),
    ("facts", "requirements", 0, "kind"),
    ("facts", "contacts", 0, "span"),
    ("clauses", 0, "children"),
    ("notice", "cited_documents", 0, "number"),
]
# keys whose value is swapped for one of another JSON type (an object for a scalar or list, a list for an object)
TYPED_PATHS: list[tuple[str | int, ...]] = [
    *REQUIRED_PATHS,
    ("warnings",),
    ("notice", "title"),
    ("facts", "deadlines", 0, "end"),
    ("facts", "service_years", 0, "degree"),
    ("clauses", 0, "span"),
    ("source", "ocr"),
]


def _pick(record: Any, path: tuple[str | int, ...]) -> tuple[Any, str | int]:
    *parents, last = path
    for key in parents:
        record = record[key]
    return record, last


def _deleted(seed: bytes, path: tuple[str | int, ...]) -> bytes:
    record = json.loads(seed)
    parent, last = _pick(record, path)
    del parent[last]
    return json.dumps(record, ensure_ascii=False).encode()


def _retyped(seed: bytes, path: tuple[str | int, ...]) -> bytes:
    record = copy.deepcopy(json.loads(seed))
    parent, last = _pick(record, path)
    parent[last] = [] if isinstance(parent[last], dict) else {"x": 1}
    return json.dumps(record, ensure_ascii=False).encode()


_seed = st.sampled_from(GOOD).map(SEEDS.__getitem__)
_stray = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
DAMAGE = st.one_of(
    _seed.flatmap(lambda s: st.integers(0, len(s.rstrip()) - 1).map(lambda n: s[:n])),  # cut off
    st.tuples(_seed, st.sampled_from(REQUIRED_PATHS)).map(lambda t: _deleted(*t)),
    st.tuples(_seed, st.sampled_from(TYPED_PATHS)).map(lambda t: _retyped(*t)),
    _stray.map(lambda v: json.dumps(v).encode()),  # JSON, not a record
    st.just(b""),
    st.binary(min_size=1, max_size=64),
)


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _named(stderr: str, bad: list[Path]) -> None:
    lines = stderr.splitlines()
    assert "Traceback" not in stderr
    for path in bad:
        assert sum(line.startswith(f"error: {path}: ") for line in lines) == 1, (path, stderr)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DAMAGE, min_size=1, max_size=4))
def test_no_command_crashes_and_every_bad_file_is_named(damage: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        for name, content in SEEDS.items():
            (data / name).write_bytes(content)
        bad = []
        for i, content in enumerate(damage):
            path = data / ("sub" if i % 2 else "") / f"bad_{i}.json"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(content)
            bad.append(path)
        old_cache = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")
        try:
            code, out, err = _run(
                "query", "SELECT record_file FROM notices ORDER BY 1", "--data", str(data), "--format", "csv"
            )
        finally:
            if old_cache is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = old_cache
        assert code == 1 and out == "record_file\n" + "".join(f"{n}\n" for n in GOOD)
        _named(err, bad)

        code, out, err = _run("export", "--data", str(data), "--to", f"{root / 'csv'}/")
        assert code == 1 and (root / "csv" / "notices.csv").read_text(encoding="utf-8-sig").count("\n") == 3
        _named(err, bad)

        code, out, err = _run("report", "--data", str(data), "--out", str(root / "site" / "index.html"))
        assert code == 1 and "2 条记录" in (root / "site" / "index.html").read_text(encoding="utf-8")
        _named(err, bad)

        code, out, err = _run("history", "--city", "连云港市", "--data", str(data), "--format", "json")
        assert code == 1 and json.loads(out)[0]["records"] == [json.loads(SEEDS[GOOD[1]])["record_id"]]
        _named(err, bad)

        for path in bad:
            code, out, err = _run("review", str(path), "--out", str(root / "page.html"))
            assert (code, out) == (1, "")
            _named(err, [path])
            code, out, err = _run("diff", str(data / GOOD[0]), str(path), "--format", "json")
            assert (code, out) == (1, "")
            _named(err, [path])
        assert not (root / "page.html").exists()
