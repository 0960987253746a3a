"""A record and its corrections → the corrected record, and what became of each correction.

Corrections are applied in file order to the pipeline's output, each to the record as the ones
before it left it, so applying one more correction to a corrected record gives exactly what a
fresh ingest gives (the ``correct`` command relies on this). A corrected fact keeps its pipeline
id, so later corrections still find it; an added fact gets the id its values and quoted text
give. Nothing is dropped: a correction whose target is gone is *stale*, one the pipeline now
agrees with is *redundant*; both stay in the file, and the record's ``corrections`` list holds
every one with its status, so the review page and the ``corrections`` command can show them.
``record_id`` is never changed: links and history point at it.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from pipeline.corrections import fields
from pipeline.corrections.model import Correction, Outcome
from pipeline.fact_ids import fact_id


class Refused(Exception):
    """A correction that would be stale or redundant the moment it is made (``correct`` refuses it)."""


def _shape(text: str) -> str:
    return re.sub(r"\d+(?:\.\d+)?", "#", text)


def _mark(c: Correction, changed: list[str] | None = None, added: bool = False) -> dict[str, Any]:
    mark: dict[str, Any] = {"by": c.by, "at": c.at, "reason": c.reason}
    if changed:
        mark["fields"] = changed
    if added:
        mark["added"] = True
    return mark


def _show(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in values.items())


def occurrences(text: str, quote: str) -> list[int]:
    out, i = [], text.find(quote)
    while i >= 0 and quote:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def clause_at(clauses: list[dict[str, Any]], start: int, end: int) -> str:
    """The id of the deepest clause whose span holds ``[start, end)``."""
    best = ""
    nodes = list(clauses)
    while nodes:
        node = nodes.pop(0)
        a, b = node["span"]
        if a <= start and end <= b:
            best = node["id"]
            nodes = list(node["children"])
    return best or (clauses[0]["id"] if clauses else "0")


def _bad_values(list_name: str | None, values: dict[str, Any]) -> str | None:
    known = fields.fields_of(list_name)
    for key, value in values.items():
        if key not in known:
            return f"field {key} no longer exists in the schema"
        problem = fields.check(key, value, known[key])
        if problem:
            return problem
    return None


class _Applier:
    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.facts: dict[str, list[dict[str, Any]]] = record["facts"]

    def find(self, ident: str) -> tuple[str, int] | None:
        name = fields.list_of(ident)
        if name is None:
            return None
        for i, fact in enumerate(self.facts[name]):
            if fact.get("id") == ident:
                return name, i
        return None

    def siblings(self, c: Correction, name: str) -> list[dict[str, Any]]:
        """Facts of the same list read from the target's sentence, or from that sentence with
        other numbers in it (the notice changed a count, or the pipeline reads it differently)."""
        if not c.text:
            return []
        shape = _shape(c.text)
        return [f for f in self.facts[name] if _shape(f.get("text", "")) == shape]

    def gone(self, c: Correction) -> tuple[str, str]:
        """Status and reason for a set/remove whose fact id is no longer in the record. Redundant
        only when it cannot be wrong: the sentence now gives exactly one fact, and it agrees."""
        name = fields.list_of(c.fact or "")
        if name is None:
            return "stale", f"{c.fact} is not a fact id"
        same = self.siblings(c, name)
        if c.op == "set" and len(same) == 1 and all(same[0].get(k) == v for k, v in c.values.items()):
            return "redundant", f"the pipeline now reads {_show(c.values)} itself ({same[0]['id']})"
        if c.op == "remove" and not same and c.text and c.text in self.record["text"]:
            return "redundant", "the pipeline no longer finds a fact in its sentence"
        if same:
            ids = ", ".join(f["id"] for f in same)
            return "stale", f"fact {c.fact} is gone; its sentence now gives {ids}: check them"
        if c.text and c.text not in self.record["text"]:
            return "stale", f"fact {c.fact} is gone, and its sentence is no longer in the notice"
        return "stale", f"fact {c.fact} is no longer in the record"

    def apply(self, c: Correction) -> tuple[str, str | None, dict[str, Any]]:
        """(status, why, extra keys for the record's list of corrections)."""
        return getattr(self, "_" + c.op)(c)

    def _set(self, c: Correction) -> tuple[str, str | None, dict[str, Any]]:
        where = self.find(c.fact or "")
        if where is None:
            return (*self.gone(c), {})
        name, i = where
        bad = _bad_values(name, c.values)
        if bad:
            return "stale", bad, {}
        fact = self.facts[name][i]
        changed = {k: v for k, v in c.values.items() if fact.get(k) != v or k not in fact}
        if not changed:
            return "redundant", f"the pipeline now finds {_show(c.values)} itself", {}
        was = {k: fact.get(k) for k in changed}
        previous = fact.get("corrected", {}).get("fields", [])
        fact.update(changed)
        fact.pop("corrected", None)
        fact["corrected"] = _mark(c, sorted({*previous, *changed}))
        return "applied", None, {"was": was}

    def _remove(self, c: Correction) -> tuple[str, str | None, dict[str, Any]]:
        where = self.find(c.fact or "")
        if where is None:
            return (*self.gone(c), {})
        name, i = where
        return "applied", None, {"was": self.facts[name].pop(i)}

    def _add(self, c: Correction) -> tuple[str, str | None, dict[str, Any]]:
        name = c.list or ""
        if name not in fields.LISTS:
            return "stale", f"there is no fact list {name}", {}
        text: str = self.record["text"]
        quote = c.quote or ""
        found = occurrences(text, quote)
        if not found:
            return "stale", "the quoted text is no longer in the notice", {}
        if len(found) > 1:
            return "stale", f"the quoted text now stands {len(found)} times in the notice", {}
        start, end = found[0], found[0] + len(quote)
        for fact in self.facts[name]:
            a, b = fact["span"]
            if a < end and start < b and all(fact.get(k) == v for k, v in c.values.items()):
                return "redundant", f"the pipeline now finds it itself ({fact['id']})", {}
        values = {**fields.defaults(name), **c.values}
        bad = _bad_values(name, c.values) or _missing(name, values)
        if bad:
            return "stale", bad, {}
        order = list(fields.item_schema(name)["properties"])
        body = dict(
            sorted(values.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        )
        body.update(
            clause=clause_at(self.record["clauses"], start, end),
            span=[start, end],
            text=quote,
            phrase_span=[start, end],
        )
        taken = {f["id"] for f in self.facts[name]}
        base = ident = fact_id(name, body)
        n = 1
        while ident in taken:
            n += 1
            ident = f"{base}~{n}"
        new = {"id": ident, **body, "corrected": _mark(c, added=True)}
        position = sum(1 for f in self.facts[name] if f["span"][0] <= start)
        self.facts[name].insert(position, new)
        return "applied", None, {"fact": ident}

    def _notice(self, c: Correction) -> tuple[str, str | None, dict[str, Any]]:
        bad = _bad_values(None, c.values)
        if bad:
            return "stale", bad, {}
        notice = self.record["notice"]
        changed = {k: v for k, v in c.values.items() if notice.get(k) != v}
        if not changed:
            return "redundant", f"the pipeline now finds {_show(c.values)} itself", {}
        was = {k: notice.get(k) for k in changed}
        previous = notice.get("corrected", {}).get("fields", [])
        notice.update(changed)
        notice.pop("corrected", None)
        notice["corrected"] = _mark(c, sorted({*previous, *changed}))
        return "applied", None, {"was": was}


def _missing(name: str, values: dict[str, Any]) -> str | None:
    missing = [k for k in fields.required(name) if k not in values]
    if missing:
        return f"a new {name} fact needs {', '.join(missing)}"
    return None


def apply(
    record: dict[str, Any], corrections: list[tuple[int, Correction]]
) -> tuple[dict[str, Any], list[Outcome]]:
    """The corrected copy of ``record`` (the input is left as it was) and one outcome per
    correction. With no corrections the record comes back unchanged, without a ``corrections`` key."""
    out = copy.deepcopy(record)
    out.pop("corrections", None)
    if not corrections:
        return out, []
    applier = _Applier(out)
    listed: list[dict[str, Any]] = []
    outcomes: list[Outcome] = []
    for lineno, c in corrections:
        status, why, extra = applier.apply(c)
        entry = {**c.to_json(), "status": status}
        if why:
            entry["why"] = why
        entry.update(extra)
        listed.append(entry)
        outcomes.append(Outcome(c, status, why, lineno))  # type: ignore[arg-type]
    out["corrections"] = listed
    if "criteria" in out:
        # the tree's leaves copy their facts' values: rebuilt from the corrected facts, so `check`
        # and the criteria table see what the analyst set, and a removed fact leaves no leaf behind
        from pipeline.criteria import build_criteria

        out["criteria"], _ = build_criteria(out["text"], out["clauses"], out["facts"])
    return out, outcomes


def listed_corrections(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's list of corrections as the file's lines were (status and results left out)."""
    keys = {"status", "why", "was"}
    out = []
    for entry in record.get("corrections", []):
        plain = {k: v for k, v in entry.items() if k not in keys}
        if plain.get("op") == "add":
            plain.pop("fact", None)
        out.append(plain)
    return out
