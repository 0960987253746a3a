"""``make accuracy``: ingest the seeds, both sets of web excerpts and the held-out notices, and print the scorer table for each set.

python scripts/accuracy.py [--shared ../shared] [--verbose]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# run as `python scripts/accuracy.py`, sys.path starts at scripts/ and `pipeline` would resolve to
# whichever checkout the shared venv installed editable (another worktree): score this one
sys.path.insert(0, str(ROOT))

from pipeline.errors import IngestError  # noqa: E402
from pipeline.ingest import ingest_file  # noqa: E402
from pipeline.store import dumps, record_name  # noqa: E402


def _scorer(shared: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(name: str, files: list[Path], gold: Path, shared: Path, verbose: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            try:
                (Path(tmp) / record_name(f.name)).write_text(dumps(ingest_file(f)), encoding="utf-8")
            except IngestError as exc:
                print(exc.line(), file=sys.stderr)
        print(f"\n### {name}: {len(files)} files against {gold.relative_to(ROOT)}\n")
        argv = ["--records", tmp, "--gold", str(gold)] + (["--verbose"] if verbose else [])
        score = _scorer(shared)
        score.main(argv)
        return float(score.score(Path(tmp), gold)["macro_f1"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not (args.shared / "eval" / "score.py").exists():
        print(f"error: {args.shared}: the shared scorer and corpus are not there", file=sys.stderr)
        return 1
    run(
        "seeds",
        sorted((ROOT / "data" / "raw").glob("*.txt")),
        ROOT / "tests" / "gold" / "seeds",
        args.shared,
        args.verbose,
    )
    run(
        "web excerpts",
        sorted((args.shared / "corpus" / "web").glob("web-*.txt")),
        ROOT / "tests" / "gold" / "web",
        args.shared,
        args.verbose,
    )
    run(
        "web2 excerpts (series the first set barely has)",
        sorted((args.shared / "corpus" / "web2").glob("web2-*.txt")),
        ROOT / "tests" / "gold" / "web2",
        args.shared,
        args.verbose,
    )
    run(
        "held-out notices (written for this project, tests/fixtures/heldout)",
        sorted((ROOT / "tests" / "fixtures" / "heldout").glob("*.txt")),
        ROOT / "tests" / "gold" / "heldout",
        args.shared,
        args.verbose,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
