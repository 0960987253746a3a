"""The record types agree with the JSON Schema: same keys, same required keys, at every level."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline import record_types as rt
from pipeline.record import schema

FACTS = ("facts", "properties")


def _at(path: tuple[str, ...]) -> dict[str, Any]:
    node: dict[str, Any] = schema()
    for key in path:
        node = node[key]
    if "$ref" in node:
        node = schema()["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


# schema object (as a path into the schema) → the TypedDict that describes it
OBJECTS: list[tuple[tuple[str, ...], type]] = [
    ((), rt.PolicyRecord),
    (("properties", "source"), rt.Source),
    (("properties", "notice"), rt.Notice),
    (("properties", "notice", "properties", "cited_documents", "items"), rt.CitedDocument),
    (("definitions", "clause"), rt.Clause),
    (("properties", "facts"), rt.Facts),
    *[(("properties", "facts", "properties", kind, "items"), cls) for kind, cls in rt.FACT_TYPES.items()],
]


@pytest.mark.parametrize(("path", "cls"), OBJECTS, ids=[c.__name__ for _, c in OBJECTS])
def test_typed_keys_are_the_schema_properties(path: tuple[str, ...], cls: type) -> None:
    node = _at(path)
    assert set(cls.__annotations__) == set(node["properties"])
    assert cls.__required_keys__ == set(node.get("required", ()))  # type: ignore[attr-defined]


def test_every_fact_list_of_the_schema_has_a_type() -> None:
    lists = {
        k for k, v in _at(("properties", "facts"))["properties"].items() if v["items"]["type"] == "object"
    }
    assert lists == set(rt.FACT_TYPES)


def test_dates_are_typed_as_dates() -> None:
    """A key the schema gives the date pattern is an ISODate, so the tables make it a date column."""
    import typing

    for path, cls in OBJECTS:
        hints = typing.get_type_hints(cls)
        for key, prop in _at(path)["properties"].items():
            is_date = prop.get("pattern") == r"^\d{4}-\d{2}-\d{2}$"
            assert (rt.ISODate in typing.get_args(hints[key])) == is_date, (cls.__name__, key)
