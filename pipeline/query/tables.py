"""Records → flat tables: one pandas DataFrame per fact kind.

Analysts work in pandas, SQL and Excel, none of which read nested JSON well, so
every fact becomes one row.  Each row keeps where it came from (record id,
place, year, series, clause id, character span and the sentence it was read
from) because an analyst trusts a number only when they can see its source.

The fact tables' columns are the keys of the record types in
``pipeline.record_types``, in their order, typed from their annotations; names
are the record's own keys, except where a key is an SQL keyword
(``start``/``end`` → ``start_date``/``end_date``, ``group`` → ``group_name``,
``number`` → ``doc_number``) so that queries need no quoting.  Lists become one
string joined with ``、`` so that Excel, CSV and ``LIKE`` all see the same value;
an empty list becomes NULL.
pandas is imported inside functions: ``import pipeline`` must stay cheap.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pipeline.lexicon import labels
from pipeline.record_types import (
    EVIDENCE_KEYS,
    FACT_TYPES,
    CitedDocument,
    Clause,
    Facts,
    ISODate,
    PolicyRecord,
)
from pipeline.records import NoRecords, Problem, load_folder, record_paths

if TYPE_CHECKING:
    import pandas as pd

# column type codes: str, int (nullable integer), num (integer if every value is, else float), date, bool
Schema = tuple[tuple[str, str], ...]

# every row of every table starts with these: which notice, where, when, what series
KEY_COLUMNS: Schema = (
    ("record_id", "str"),
    ("province", "str"),
    ("city", "str"),
    ("year", "int"),
    ("series", "str"),
)
# every fact row ends with these: where in the notice it was read
SOURCE_COLUMNS: Schema = (("clause", "str"), ("span_start", "int"), ("span_end", "int"), ("text", "str"))

RENAMES = {"start": "start_date", "end": "end_date", "group": "group_name", "number": "doc_number"}
LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class Column:
    """One column of a fact table: the record key it is read from, its name in SQL, its type code."""

    key: str
    name: str
    type: str

    @property
    def header(self) -> str:
        """The Chinese header in the export workbook (lexicon/labels.toml)."""
        return labels.column(self.name)


def _type_code(annotation: Any) -> str:
    """A record type's annotation → column type code: dates, booleans and numbers keep their type."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    if ISODate in args:
        return "date"
    if bool in args:
        return "bool"
    if int in args or float in args:
        return "num"
    return "str"  # strings, and lists joined into one string


def fact_columns(entry: type) -> tuple[Column, ...]:
    """The columns of a fact type's table, in the record's key order, evidence left for the end."""
    hints = typing.get_type_hints(entry)
    return tuple(
        Column(key, RENAMES.get(key, key), _type_code(hints[key]))
        for key in hints
        if key not in EVIDENCE_KEYS and key != "corrected"
    )


# the fact lists of `facts` that become tables, each described by its record type
FACT_COLUMNS: dict[str, tuple[Column, ...]] = {kind: fact_columns(t) for kind, t in FACT_TYPES.items()}
# ``corrected``: whether an analyst's correction set or added the fact (its who/when/why stay in the record)
FACT_SCHEMAS: dict[str, Schema] = {
    kind: (*((c.name, c.type) for c in cols), ("corrected", "bool")) for kind, cols in FACT_COLUMNS.items()
}
CITATION_SCHEMA: Schema = tuple((c.name, c.type) for c in fact_columns(CitedDocument))
NOTICE_SCHEMA: Schema = (
    ("title", "str"),
    ("doc_numbers", "str"),
    ("issuers", "str"),
    ("issue_date", "date"),
    ("levels", "str"),
    ("specialties", "str"),
    ("n_clauses", "int"),
    ("n_facts", "int"),
    ("n_warnings", "int"),
    ("warnings", "str"),
    ("source_path", "str"),
    ("source_format", "str"),
    ("record_file", "str"),
    ("corrected", "bool"),
    ("duplicate_of", "str"),  # the canonical record's file when this record is a copy of its notice
    ("duplicate_reason", "str"),
)
CLAUSE_SCHEMA: Schema = (("parent", "str"), ("depth", "int"), ("label", "str"), ("heading", "str"))
# one row per node of the criteria tree: a group (op, min), a leaf (atom and its values) or a ref
CRITERIA_SCHEMA: Schema = (
    ("route", "str"),
    ("node", "str"),
    ("parent", "str"),
    ("op", "str"),
    ("min", "int"),
    ("atom", "str"),
    ("degree_in", "str"),
    ("years", "num"),
    ("basis", "str"),
    ("cutoff", "date"),
    ("kind", "str"),
    ("subtype", "str"),
    ("min_count", "num"),
    ("level", "str"),
    ("tag", "str"),
    ("status_in", "str"),
    ("doc_number", "str"),
    ("implied", "bool"),
    ("fact", "str"),
    ("ref", "str"),
)

TABLE_NAMES: tuple[str, ...] = (
    "notices",
    "clauses",
    "service_years",
    "requirements",
    "deadlines",
    "fees",
    "contacts",
    "citations",
    "criteria",
)


@dataclass(frozen=True)
class Tables:
    """The records as tables; field order is the order of TABLE_NAMES (sheets, files, docs)."""

    notices: pd.DataFrame
    clauses: pd.DataFrame
    service_years: pd.DataFrame
    requirements: pd.DataFrame
    deadlines: pd.DataFrame
    fees: pd.DataFrame
    contacts: pd.DataFrame
    citations: pd.DataFrame
    criteria: pd.DataFrame

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """(name, frame) pairs in a fixed order, so every export lists tables the same way."""
        for f in fields(self):
            yield f.name, getattr(self, f.name)


def record_files(data: Path) -> list[Path]:
    """The record files under a folder (or the one file given): ``pipeline.records`` decides."""
    return record_paths(data)


def load_records(
    data_dir: str | Path = "data/structured",
    problems: list[Problem] | None = None,
    *,
    all_copies: bool = False,
) -> Tables:
    """Read every good record under ``data_dir`` into Tables (see module docstring for the columns).

    A damaged record file is appended to ``problems`` when given, else named on stderr; the
    other records still load. NoRecords when the folder holds no readable record. Each notice
    counts once: records that are copies of another (``duplicate_of``) are left out unless
    ``all_copies``, and then their ``notices`` row names the canonical record.
    """
    loaded = load_folder(Path(data_dir), all_copies=all_copies)
    if problems is None:
        loaded.print_problems()
    else:
        problems.extend(loaded.problems)
    return tables_from_records((p.name, record) for p, record in loaded.records)


def tables_from_records(records: Iterable[tuple[str, PolicyRecord]]) -> Tables:
    """(file name, record) pairs → Tables; split from load_records so tests and benchmarks skip the disk."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    for file_name, record in records:
        for table, row in record_rows(file_name, record):
            rows[table].append(row)
    schemas = table_schemas()
    return Tables(**{name: _frame(rows[name], schemas[name]) for name in TABLE_NAMES})


def table_schemas() -> dict[str, Schema]:
    """Full column list of every table, key columns first, source columns last."""
    out: dict[str, Schema] = {
        "notices": KEY_COLUMNS + NOTICE_SCHEMA,
        "clauses": (*KEY_COLUMNS, ("clause", "str"), *CLAUSE_SCHEMA, *SOURCE_COLUMNS[1:]),
    }
    for kind, schema in FACT_SCHEMAS.items():
        out[kind] = KEY_COLUMNS + schema + SOURCE_COLUMNS
    out["citations"] = KEY_COLUMNS + CITATION_SCHEMA + SOURCE_COLUMNS
    out["criteria"] = KEY_COLUMNS + CRITERIA_SCHEMA + SOURCE_COLUMNS
    return {name: out[name] for name in TABLE_NAMES}


def record_rows(file_name: str, record: PolicyRecord) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (table, row) one record contributes; the unit the row-count tests reason about."""
    notice = record["notice"]
    key = {
        "record_id": record["record_id"],
        "province": notice["province"],
        "city": notice["city"],
        "year": notice["year"],
        "series": notice["series"],
    }
    facts = record["facts"]
    clauses = list(walk_clauses(record["clauses"]))
    lists: dict[str, Sequence[Mapping[str, Any]]] = {kind: _list(facts, kind) for kind in FACT_COLUMNS}
    warnings = record["warnings"]
    source = record["source"]
    yield (
        "notices",
        {
            **key,
            "title": notice["title"],
            "doc_numbers": _cell(notice["doc_numbers"]),
            "issuers": _cell(notice["issuers"]),
            "issue_date": notice["issue_date"],
            "levels": _cell(notice["levels"]),
            "specialties": _cell(notice["specialties"]),
            "n_clauses": len(clauses),
            "n_facts": sum(len(items) for items in lists.values()),
            "n_warnings": len(warnings),
            "warnings": "\n".join(warnings),
            "source_path": source["path"],
            "source_format": source["format"],
            "record_file": file_name,
            "corrected": "corrected" in notice,
            "duplicate_of": record.get("duplicate_of", {}).get("of"),
            "duplicate_reason": record.get("duplicate_of", {}).get("reason"),
        },
    )
    for node, parent, depth in clauses:
        yield (
            "clauses",
            {
                **key,
                "clause": node["id"],
                "parent": parent,
                "depth": depth,
                "label": node["label"],
                "heading": node["heading"],
                **_span(node["span"]),
                "text": node["text"],
            },
        )
    for kind, items in lists.items():
        for fact in items:
            yield kind, {**key, **_fact_row(fact)}
    for cited in notice["cited_documents"]:
        yield "citations", {**key, **_fact_row(cited)}
    criteria: Mapping[str, Any] = cast(Mapping[str, Any], record).get("criteria", {})
    index = {
        n["id"]: n
        for r in criteria.get("routes", [])
        for n, _ in _walk_criteria(r["requires"], None)
        if "id" in n
    }
    for route in criteria.get("routes", []):
        for criterion, parent in _walk_criteria(route["requires"], None):
            yield "criteria", {**key, "route": route["route"], **_criteria_row(criterion, parent, index)}


def _walk_criteria(
    node: Mapping[str, Any], parent: str | None
) -> Iterator[tuple[Mapping[str, Any], str | None]]:
    yield node, parent
    for child in node.get("of", ()):
        yield from _walk_criteria(child, node.get("id"))


def _criteria_row(node: Mapping[str, Any], parent: str | None, index: Mapping[str, Any]) -> dict[str, Any]:
    """A node as a row: the atom's values in their columns (degree/status words joined).

    A ``ref`` row carries the clause, span and text of the node it points at, so it too leads to a sentence.
    """
    if "ref" in node:
        target = index.get(node["ref"], {})
        where = {"clause": target.get("clause"), **_span(target.get("span")), "text": target.get("text")}
        return {"parent": parent, "ref": node["ref"], **where}
    row: dict[str, Any] = {
        "node": node["id"],
        "parent": parent,
        "op": node.get("op"),
        "min": node.get("min", 1) if node.get("op") == "any" else None,
        "atom": node.get("atom"),
        "clause": node["clause"],
        **_span(node["span"]),
        "text": node["text"],
    }
    atom = node.get("atom")
    if atom in ("degree", "status"):
        row["degree_in" if atom == "degree" else "status_in"] = _cell(node["in"])
    for key in (
        "years",
        "basis",
        "cutoff",
        "kind",
        "subtype",
        "min_count",
        "level",
        "tag",
        "implied",
        "fact",
    ):
        if key in node:
            row[key] = node[key]
    if "number" in node:
        row["doc_number"] = node["number"]
    return row


def _list(facts: Facts, kind: str) -> Sequence[Mapping[str, Any]]:
    items: Sequence[Mapping[str, Any]] = cast(Mapping[str, Any], facts)[kind]
    return items


def walk_clauses(
    nodes: list[Clause], parent: str | None = None, depth: int = 0
) -> Iterator[tuple[Clause, str | None, int]]:
    """Depth-first over the clause tree: (node, parent id, depth), in document order."""
    for node in nodes:
        yield node, parent, depth
        yield from walk_clauses(node["children"], node["id"], depth + 1)


def _fact_row(fact: Mapping[str, Any]) -> dict[str, Any]:
    row = {
        RENAMES.get(k, k): _cell(v)
        for k, v in fact.items()
        if k not in ("span", "text", "clause", "corrected")
    }
    if "id" in fact:  # a fact of a list (cited documents have no id and are never corrected)
        row["corrected"] = "corrected" in fact
    return {**row, "clause": fact.get("clause"), **_span(fact.get("span")), "text": fact.get("text")}


def _span(span: Any) -> dict[str, Any]:
    start, end = span if isinstance(span, list) and len(span) == 2 else (None, None)
    return {"span_start": start, "span_end": end}


def _cell(value: Any) -> Any:
    """A JSON value as one table cell: lists joined, objects as compact JSON, scalars as they are."""
    if isinstance(value, list):
        if not value:
            return None  # an empty list is "none stated": NULL, so `IS NULL` finds it
        return LIST_SEPARATOR.join(
            _cell(v) if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _frame(rows: list[dict[str, Any]], schema: Schema) -> pd.DataFrame:
    """Rows → a DataFrame with fixed columns and typed, nullable dtypes (same types when empty).

    Keys a newer extractor adds beyond the schema are kept, after the known columns, sorted.
    """
    import pandas as pd

    known = [name for name, _ in schema]
    extra = sorted({k for row in rows for k in row} - set(known))
    columns = [*known[:-4], *extra, *known[-4:]] if known[-1] == "text" else [*known, *extra]
    data = {col: [row.get(col) for row in rows] for col in columns}
    types = dict(schema)
    return pd.DataFrame({col: _series(data[col], types.get(col, "obj")) for col in columns}, columns=columns)


def _series(values: list[Any], kind: str) -> Any:
    """A column with a nullable dtype chosen by its type code, so DuckDB and Excel see real types."""
    import pandas as pd
    import pyarrow as pa

    if kind == "int":
        return pd.array(values, dtype="Int64")
    if kind == "num":
        present = [v for v in values if v is not None]
        integral = all(isinstance(v, int) or (isinstance(v, float) and v.is_integer()) for v in present)
        if integral:
            return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        return pd.array(values, dtype="Float64")
    if kind == "date":
        return pd.array([_date(v) for v in values], dtype=pd.ArrowDtype(pa.date32()))
    if kind == "bool":
        return pd.array(values, dtype="boolean")
    if kind == "str":
        return pd.array([None if v is None else str(v) for v in values], dtype="string")
    # unknown extra keys: strings when they all are, else compact JSON text
    return pd.array(
        [
            None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
            for v in values
        ],
        dtype="string",
    )


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


__all__ = [
    "FACT_COLUMNS",
    "TABLE_NAMES",
    "Column",
    "NoRecords",
    "Tables",
    "load_records",
    "tables_from_records",
]
