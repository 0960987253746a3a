"""Which pipeline wrote a record: a hash of what decides it, kept in the manifest (a changed
pipeline re-ingests every file) and compared by ``--executor ray`` with each worker's own (a
worker machine with another checkout would write other records)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def fingerprint() -> str:
    """A hash of everything that decides a record: the package's code, lexicon and the schema."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    # the analysis packages (diff, query) do not change records
    files = sorted(
        p
        for p in root.rglob("*")
        if p.suffix in {".py", ".toml", ".tsv"} and p.relative_to(root).parts[0] not in {"diff", "query"}
    )
    schema = root.parent / "schemas" / "policy-record.schema.json"
    for p in [*files, schema]:
        if p.exists():
            h.update(p.relative_to(root.parent).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]
