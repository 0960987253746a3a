"""The validator checks the schema in a faster form (``record.fast_schema``): it must accept and
refuse exactly the records the schema as written accepts and refuses."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

import fastjsonschema
import pytest

from pipeline import record as rec
from tests.conftest import ROOT

STRUCTURED = ROOT / "data" / "structured"


def _as_written() -> Any:
    return fastjsonschema.compile(rec.schema())


def _accepts(validator: Any, data: Any) -> bool:
    try:
        validator(data)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def _records() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(STRUCTURED.glob("*.json"))]


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("of", ()):
        if isinstance(child, dict):
            yield from _nodes(child)


_VALUES: list[Any] = ["x", "", 3, None, [], [0, 1], {}, "all", "any", "bogus", "degree", True]
_KEYS = ["ref", "op", "of", "atom", "id", "clause", "span", "text", "min", "years", "in", "extra"]


def _mutated(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The record with one to three keys of one criteria node removed, added or changed."""
    out = copy.deepcopy(record)
    nodes = [n for route in out["criteria"]["routes"] for n in _nodes(route["requires"])]
    node = rng.choice(nodes)
    for _ in range(rng.randint(1, 3)):
        key = rng.choice(_KEYS)
        if key in node and rng.random() < 0.5:
            del node[key]
        elif key == "of":
            node[key] = rng.choice([[], [{"ref": "n1"}], [{"atom": "text"}], "x"])
        else:
            node[key] = rng.choice(_VALUES)
    if rng.random() < 0.2:  # a bare reference, or one with something beside it
        node.clear()
        node["ref"] = rng.choice(["n1", 3])
        if rng.random() < 0.5:
            node[rng.choice(_KEYS)] = rng.choice(_VALUES)
    return out


def test_the_records_of_the_seeds_pass_both_forms() -> None:
    written, fast = _as_written(), rec._validator()
    records = _records()
    assert records
    for r in records:
        assert _accepts(written, r) and _accepts(fast, r)


@pytest.mark.parametrize("seed", range(4))
def test_the_fast_form_refuses_exactly_what_the_schema_refuses(seed: int) -> None:
    rng = random.Random(seed)
    written, fast = _as_written(), rec._validator()
    outcomes = set()
    for base in _records():
        for _ in range(150):
            mutated = _mutated(base, rng)
            want = _accepts(written, mutated)
            assert _accepts(fast, mutated) == want, json.dumps(mutated["criteria"], ensure_ascii=False)[:2000]
            outcomes.add(want)
    assert outcomes == {True, False}  # both kinds were tried


def test_a_schema_of_another_shape_keeps_its_one_of() -> None:
    node = {"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}
    assert rec._discriminated(node) == node
