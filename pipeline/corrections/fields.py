"""Which fields a correction may set, and whether a value fits: both read from the record schema.

The schema is the one authority on what a fact holds, so a field it does not list cannot be set
and a value it refuses is refused before anything is written. A value on the command line is
text; it is read as the field's type wants it (``2`` is a number for ``min_count`` and the text
``"2"`` for ``unit``; ``null`` is null where the field allows it; a list is JSON or ``、``/``,``
separated), then checked against the field's own schema (type, enum, pattern, minimum).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from pipeline.fact_ids import PREFIX
from pipeline.record import schema

LISTS: tuple[str, ...] = tuple(PREFIX)  # the fact lists that hold objects with ids
BY_PREFIX = {prefix: name for name, prefix in PREFIX.items()}
# where a fact was read, and what names it: moved only by removing it and adding it again
FIXED = frozenset({"id", "clause", "span", "text", "phrase_span", "file", "page", "corrected"})
# notice metadata a correction may set (cited documents are objects with evidence of their own)
NOTICE_FIXED = frozenset({"cited_documents", "attachments_listed", "corrected"})
DATE = r"^\d{4}-\d{2}-\d{2}$"


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    if ref.startswith("#/definitions/"):
        resolved: dict[str, Any] = schema()["definitions"][ref.rsplit("/", 1)[1]]
        return resolved
    return node


def item_schema(list_name: str) -> dict[str, Any]:
    node: dict[str, Any] = schema()["properties"]["facts"]["properties"][list_name]["items"]
    return node


def fields_of(list_name: str | None) -> dict[str, dict[str, Any]]:
    """field → its schema, for a fact list (or the notice, ``None``), fixed fields left out."""
    if list_name is None:
        props = schema()["properties"]["notice"]["properties"]
        return {k: _resolve(v) for k, v in props.items() if k not in NOTICE_FIXED}
    props = item_schema(list_name)["properties"]
    return {k: _resolve(v) for k, v in props.items() if k not in FIXED}


def list_of(fact_id: str) -> str | None:
    """``rq-1a2b3c4d`` → ``requirements``; None for an id of no list."""
    return BY_PREFIX.get(fact_id.split("-", 1)[0])


def _types(prop: dict[str, Any]) -> set[str]:
    kind = prop.get("type")
    types = set(kind) if isinstance(kind, list) else {kind} if kind else set()
    if "enum" in prop:
        types |= {"null" if v is None else "string" for v in prop["enum"]}
    if "const" in prop:
        types.add("string")
    return types


def describe(prop: dict[str, Any]) -> str:
    """What a field takes, in words: ``a number above 0``, ``one of national, provincial… or null``."""
    types = _types(prop)
    null = " or null" if "null" in types else ""
    if "enum" in prop:
        return "one of " + ", ".join(str(v) for v in prop["enum"] if v is not None) + null
    if "const" in prop:
        return json.dumps(prop["const"], ensure_ascii=False)
    if "array" in types:
        return "a list of text (JSON, or separated by 、 or ,)"
    if prop.get("pattern") == DATE:
        return "a date YYYY-MM-DD" + null
    if "integer" in types:
        return "a whole number" + _bound(prop) + null
    if "number" in types:
        return "a number" + _bound(prop) + null
    if "boolean" in types:
        return "true or false"
    return "text" + null


def _bound(prop: dict[str, Any]) -> str:
    if "exclusiveMinimum" in prop:
        return f" above {prop['exclusiveMinimum']}"
    if "minimum" in prop:
        return f" of at least {prop['minimum']}"
    return ""


def parse(text: str, prop: dict[str, Any]) -> Any:
    """A value typed on the command line, read as the field wants it (not yet checked)."""
    types = _types(prop)
    if text == "null" and "null" in types:
        return None
    if "array" in types:
        if text.startswith("["):
            try:
                return json.loads(text)
            except ValueError:
                return text
        return [
            part.strip() for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()
        ]
    if types & {"number", "integer", "boolean"}:
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, float) and value.is_integer() and "integer" in types:
            return int(value)
        return value
    return text


@functools.cache
def _checker(blob: str) -> Any:
    import fastjsonschema

    return fastjsonschema.compile(json.loads(blob))


def fits(value: Any, prop: dict[str, Any]) -> bool:
    import fastjsonschema

    try:
        _checker(json.dumps(prop, sort_keys=True))(value)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def check(field: str, value: Any, prop: dict[str, Any]) -> str | None:
    """None when the value fits, else ``min_count must be a number above 0, got "两"``."""
    if fits(value, prop):
        return None
    return f"{field} must be {describe(prop)}, got {json.dumps(value, ensure_ascii=False)}"


def defaults(list_name: str) -> dict[str, Any]:
    """What a new fact holds before its ``--set`` values: null, [] or the one allowed value for
    every required field that has one; the fields without (``kind``, ``min_count``) must be set."""
    item = item_schema(list_name)
    out: dict[str, Any] = {}
    for key in item.get("required", ()):
        if key in FIXED:
            continue
        prop = _resolve(item["properties"][key])
        types = _types(prop)
        if "const" in prop:
            out[key] = prop["const"]
        elif "null" in types:
            out[key] = None
        elif "array" in types:
            out[key] = []
    return out


def required(list_name: str) -> list[str]:
    item = item_schema(list_name)
    return [k for k in item.get("required", ()) if k not in FIXED]
