"""Stable fact ids: what a fact is and the sentence it stands in, never its list index or offset.

Corrections (`data/corrections/`) and the criteria tree point at facts by id, so an id must
survive what a newer pipeline changes around the fact: other facts found or lost in the same
list, clauses renumbered, offsets shifted by a normaliser fix. It therefore hashes the fact's
own values and its sentence, not its position. Two facts with the same values in the same
sentence (rare: a sentence that repeats itself) are told apart by their order, ``~2``, ``~3``.
A fact whose values the pipeline now reads differently gets a new id; that is on purpose: a
correction made to the old reading is then reported as stale rather than applied to a
different fact.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

# one short prefix per fact list, so an id also says what kind of fact it names
PREFIX = {
    "service_years": "sy",
    "requirements": "rq",
    "deadlines": "dl",
    "fees": "fe",
    "contacts": "ct",
}

# evidence and free-text fields that do not say what the fact is
_NOT_IDENTITY = frozenset(
    {"id", "clause", "span", "text", "phrase_span", "file", "page", "boxes", "note", "corrected"}
)


def fact_id(kind: str, fact: dict[str, Any]) -> str:
    """``rq-1a2b3c4d``: the list's prefix and 32 bits of a hash of the values and the sentence."""
    values = {k: v for k, v in fact.items() if k not in _NOT_IDENTITY}
    key = orjson.dumps([kind, fact.get("text", ""), values], option=orjson.OPT_SORT_KEYS)
    return f"{PREFIX[kind]}-{hashlib.sha1(key).hexdigest()[:8]}"


def assign_ids(kind: str, facts: list[dict[str, Any]]) -> None:
    """Give every fact of one list its id, as the first key, in place."""
    seen: dict[str, int] = {}
    for i, fact in enumerate(facts):
        base = fact_id(kind, fact)
        n = seen[base] = seen.get(base, 0) + 1
        ident = base if n == 1 else f"{base}~{n}"
        facts[i] = {"id": ident, **{k: v for k, v in fact.items() if k != "id"}}
