"""The batch's hook: a record's JSON as the pipeline wrote it → with its corrections applied.

Called by ``pipeline.batch`` for every record it is about to write, in the parent process and in
input order, so ``--jobs 4`` still writes what ``--jobs 1`` writes. A record without a corrections
file costs one ``stat``. A corrections file that cannot be read fails its record (the old record
file stays, the next run tries again): writing the record uncorrected would silently undo an
analyst's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from pipeline.corrections import store
from pipeline.corrections.apply import apply
from pipeline.errors import RecordInvalid
from pipeline.record import validate
from pipeline.store import dumps


@dataclass(frozen=True)
class Corrected:
    content: str
    facts: int
    sha256: str | None  # of the corrections file; None when the record has none
    report: list[str]  # one ``stale: …`` / ``redundant: …`` line per correction not applied


def count_facts(record: dict[str, object]) -> int:
    facts = record["facts"]
    assert isinstance(facts, dict)
    return sum(len(v) for k, v in facts.items() if k not in {"emails", "urls"})


def corrected(out: Path, name: str, content: str, facts: int) -> Corrected:
    """Apply ``DIR/corrections/<name>.jsonl``; BadCorrections when the file cannot be read."""
    path = store.path_for(out, name)
    sha = store.sha256(path)
    if sha is None:
        return Corrected(content, facts, None, [])
    entries = store.read(path)
    if not entries:
        return Corrected(content, facts, sha, [])
    record, outcomes = apply(orjson.loads(content), entries)
    try:
        validate(record)
    except RecordInvalid as exc:  # a value that fits its field but not the record: never written
        raise store.BadCorrections(path, f"the corrections break the record ({exc.reason})") from None
    report = [o.describe(str(path)) for o in outcomes if o.status != "applied"]
    return Corrected(dumps(record), count_facts(record), sha, report)


def orphans(out: Path, wanted: set[str]) -> list[str]:
    """Corrections files whose record is gone (pruned, or its notice removed): kept, and said."""
    lines = []
    for path in store.files(out):
        name = store.record_name_of(path)
        if name in wanted or (out / name).exists():
            continue
        try:
            n = len(store.read(path))
        except store.BadCorrections:
            n = 0
        lines.append(f"stale: {path}: its record {out / name} is gone; its {n} corrections are kept")
    return lines
