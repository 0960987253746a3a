"""Records → flat tables: one pandas DataFrame per fact kind.

Analysts work in pandas, SQL and Excel, none of which read nested JSON well, so
every fact becomes one row.  Each row keeps where it came from (record id,
place, year, series, clause id, character span and the sentence it was read
from) because an analyst trusts a number only when they can see its source.

Column names are the record's own keys, except where a key is an SQL keyword
(``start``/``end`` → ``start_date``/``end_date``, ``group`` → ``group_name``,
``number`` → ``doc_number``) so that queries need no quoting.  Lists become one
string joined with ``、`` so that Excel, CSV and ``LIKE`` all see the same value;
an empty list becomes NULL.
pandas is imported inside functions: ``import pipeline`` must stay cheap.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

# the fact lists of `facts` that become tables, with the record key → column renames
FACT_SCHEMAS: dict[str, Schema] = {
    "service_years": (
        ("years", "num"),
        ("degree", "str"),
        ("basis", "str"),
        ("route", "str"),
        ("cutoff", "date"),
        ("note", "str"),
        ("level", "str"),
    ),
    "requirements": (
        ("kind", "str"),
        ("subtype", "str"),
        ("min_count", "num"),
        ("unit", "str"),
        ("level", "str"),
        ("group_name", "str"),
        ("min_words", "num"),
        ("min_amount_cny", "num"),
        ("rank_max", "num"),
        ("note", "str"),
    ),
    "deadlines": (("event", "str"), ("start_date", "date"), ("end_date", "date"), ("hours", "str")),
    "fees": (("amount", "num"), ("currency", "str"), ("per", "str"), ("covers", "str")),
    "contacts": (
        ("org", "str"),
        ("name", "str"),
        ("phone", "str"),
        ("phone_inferred", "bool"),
        ("email", "str"),
        ("address", "str"),
        ("url", "str"),
    ),
}
CITATION_SCHEMA: Schema = (("doc_number", "str"), ("title", "str"))
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
)
CLAUSE_SCHEMA: Schema = (("parent", "str"), ("depth", "int"), ("label", "str"), ("heading", "str"))

RENAMES = {"start": "start_date", "end": "end_date", "group": "group_name", "number": "doc_number"}
LIST_SEPARATOR = "、"

TABLE_NAMES: tuple[str, ...] = (
    "notices",
    "clauses",
    "service_years",
    "requirements",
    "deadlines",
    "fees",
    "contacts",
    "citations",
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

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """(name, frame) pairs in a fixed order, so every export lists tables the same way."""
        for f in fields(self):
            yield f.name, getattr(self, f.name)


class NoRecords(Exception):
    """The data folder is missing or holds no record files."""


def record_files(data: Path) -> list[Path]:
    """The record files under a folder (or the one file given), sorted so loading is deterministic."""
    if data.is_file():
        return [data]
    if not data.is_dir():
        raise NoRecords(f"{data}: no such folder (run `make ingest` first)")
    found = sorted(
        p for p in data.rglob("*.json") if not any(part.startswith(".") for part in p.relative_to(data).parts)
    )
    if not found:
        raise NoRecords(f"{data}: no records (run `make ingest` first)")
    return found


def load_records(data_dir: str | Path = "data/structured") -> Tables:
    """Read every record under ``data_dir`` into Tables (see module docstring for the columns)."""
    files = record_files(Path(data_dir))
    records = [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in files]
    return tables_from_records(records)


def tables_from_records(records: Iterable[tuple[str, dict[str, Any]]]) -> Tables:
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
    return {name: out[name] for name in TABLE_NAMES}


def record_rows(file_name: str, record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (table, row) one record contributes; the unit the row-count tests reason about."""
    notice = record.get("notice") or {}
    key = {
        "record_id": record.get("record_id"),
        "province": notice.get("province"),
        "city": notice.get("city"),
        "year": notice.get("year"),
        "series": notice.get("series"),
    }
    facts = record.get("facts") or {}
    clauses = list(walk_clauses(record.get("clauses") or []))
    n_facts = sum(len(facts.get(kind) or []) for kind in FACT_SCHEMAS)
    warnings = record.get("warnings") or []
    source = record.get("source") or {}
    yield (
        "notices",
        {
            **key,
            **{
                k: _cell(notice.get(k))
                for k in ("title", "doc_numbers", "issuers", "issue_date", "levels", "specialties")
            },
            "n_clauses": len(clauses),
            "n_facts": n_facts,
            "n_warnings": len(warnings),
            "warnings": "\n".join(warnings),
            "source_path": source.get("path"),
            "source_format": source.get("format"),
            "record_file": file_name,
        },
    )
    for node, parent, depth in clauses:
        yield (
            "clauses",
            {
                **key,
                "clause": node.get("id"),
                "parent": parent,
                "depth": depth,
                "label": node.get("label"),
                "heading": node.get("heading"),
                **_span(node.get("span")),
                "text": node.get("text"),
            },
        )
    for kind in FACT_SCHEMAS:
        for fact in facts.get(kind) or []:
            yield kind, {**key, **_fact_row(fact)}
    for cited in notice.get("cited_documents") or []:
        yield "citations", {**key, **_fact_row(cited)}


def walk_clauses(
    nodes: list[dict[str, Any]], parent: str | None = None, depth: int = 0
) -> Iterator[tuple[dict[str, Any], str | None, int]]:
    """Depth-first over the clause tree: (node, parent id, depth), in document order."""
    for node in nodes:
        yield node, parent, depth
        yield from walk_clauses(node.get("children") or [], node.get("id"), depth + 1)


def _fact_row(fact: dict[str, Any]) -> dict[str, Any]:
    row = {RENAMES.get(k, k): _cell(v) for k, v in fact.items() if k not in ("span", "text", "clause")}
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
