"""Stages' results → one policy record (a plain dict in the contract's shape), validated.

The dict's key order is fixed here, so that the same notice always gives the
same bytes. The JSON Schema in ``schemas/`` is the contract in machine form;
a record that breaks it is a pipeline bug and is never written.
"""

from __future__ import annotations

import functools
import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import regex

from pipeline import bundles, titles
from pipeline.criteria import build_criteria
from pipeline.errors import NotANotice, RecordInvalid
from pipeline.fact_ids import assign_ids
from pipeline.patterns import P
from pipeline.segment import ClauseIndex
from pipeline.types import Clause, Evidence, Facts, LoadedDocument, NoticeMeta

SCHEMA_VERSION = "1.0"
_SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "policy-record.schema.json"

# words of the genre that are not title names (those come from the national title system)
_TOPIC = regex.compile(
    r"专业技术职务|任职资格|技术资格|专业技术人员|专业技术人才|评审委员会|评委会|申报评审|职改"
)
_STRONG = regex.compile(r"职称|专业技术职务|任职资格|技术资格|评审委员会|职改")
# a title name next to one of these is about titles: 高级农艺师评审条件, 申报副教授
_EVALUATION = regex.compile(r"评审|评定|评聘|申报|资格|任职|晋升|聘任|认定|报考|条件")
_NEAR = 12


def check_topic(text: str) -> None:
    """Refuse text that is not about professional titles: it needs one strong word, three genre
    words or title names (主任记者, 副教授, 高级统计师: every name of titles.toml, everyday words
    like 编辑 or 教授 not counted), or one title name beside an evaluation word."""
    if _STRONG.search(text):
        return
    names = titles.find_names(text, ordinary=False)
    if len(_TOPIC.findall(text)) + len(names) >= 3:
        return
    if any(_EVALUATION.search(text, max(0, s - _NEAR), e + _NEAR) for _, (s, e) in names):
        return
    raise NotANotice("not a professional-title notice: the text never mentions 职称, 评审 or a title level")


@functools.cache
def schema() -> dict[str, Any]:
    """schemas/policy-record.schema.json beside the package (the project installs editable)."""
    data: dict[str, Any] = json.loads(_SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every non-recursive ``$ref`` replaced by its definition.

    fastjsonschema resolves a ``$ref`` at validation time through ``locals()``, which made the
    span and fact-id checks most of the cost of validating a record; inlined, they are plain code.
    The clause tree refers to itself and keeps its ``$ref``.
    """
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        name = ref.removeprefix("#/definitions/")
        if len(node) == 1 and name in defs and name not in ("clause", "criteria_node"):
            return _inline_refs(defs[name], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _undocumented(node: Any) -> Any:
    """The schema without its ``description`` strings: fastjsonschema builds each failing branch's
    definition, descriptions and all, into the exception it raises, and a criteria node fails two."""
    if isinstance(node, dict):
        return {
            k: _undocumented(v) for k, v in node.items() if not (k == "description" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_undocumented(v) for v in node]
    return node


def _discriminated(node: dict[str, Any]) -> dict[str, Any]:
    """The criteria node's ``oneOf`` (a reference, a group, a leaf) as the ``if``/``then`` that
    accepts exactly the same nodes, decided by the keys that tell them apart.

    fastjsonschema checks a ``oneOf`` by trying every branch and catching the failures: two
    exceptions a node, half the cost of validating a record. With ``ref`` alone (A), a group
    (B: needs ``op`` and ``of``) and a leaf (C: needs ``atom``): a node with ``op`` and ``of``
    is never A, so it must be B or C and not both; one without is never B, so it is A or C,
    which a node with ``atom`` can only be C and one without only A. A schema of another shape
    keeps its ``oneOf``.
    """
    branches = node.get("oneOf")
    if not isinstance(branches, list) or len(branches) != 3:
        return node
    ref, group, leaf = branches
    if not (
        ref.get("required") == ["ref"]
        and ref.get("additionalProperties") is False
        and set(ref.get("properties", {})) == {"ref"}
        and {"op", "of"} <= set(group.get("required", ()))
        and "atom" in leaf.get("required", ())
    ):
        return node
    rest = {k: v for k, v in node.items() if k != "oneOf"}
    return {
        **rest,
        "if": {"required": ["op", "of"]},
        "then": {
            "if": {"required": ["atom"]},
            "then": {"if": group, "then": {"not": leaf}, "else": leaf},
            "else": group,
        },
        "else": {"if": {"required": ["atom"]}, "then": leaf, "else": ref},
    }


def fast_schema() -> dict[str, Any]:
    """The schema as the validator checks it: the same records accepted and refused
    (``tests/test_record_schema.py`` compares it with the schema as written), at a third of the cost."""
    full = _undocumented(schema())
    defs = dict(full.get("definitions", {}))
    if "criteria_node" in defs:
        defs["criteria_node"] = _discriminated(defs["criteria_node"])
    full["definitions"] = defs
    inlined: dict[str, Any] = _inline_refs(full, defs)
    return inlined


@functools.cache
def _validator() -> Any:
    import fastjsonschema

    return fastjsonschema.compile(fast_schema())


def validate(record: dict[str, Any]) -> None:
    import fastjsonschema

    try:
        _validator()(record)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise RecordInvalid(f"record breaks the schema: {exc.message}") from None


def _slug(*parts: str | int | None) -> str:
    words = [P(r"[^\p{Han}A-Za-z0-9]+").sub("", str(p)) for p in parts if p]
    return "-".join(w for w in words if w) or "notice"


def record_id(meta: NoticeMeta, sha256: str) -> str:
    spec = "".join(meta.specialties)[:16]
    return f"{_slug(meta.city or meta.province or 'unknown', meta.year or 'nd', meta.series or 'series', spec)}-{sha256[:10]}"


def _evidence(ev: Evidence) -> dict[str, Any]:
    return {
        "clause": ev.clause,
        "span": [ev.span[0], ev.span[1]],
        "text": ev.text,
        "phrase_span": [ev.phrase[0], ev.phrase[1]],
    }


_FIELD_NAMES: dict[str, tuple[str, ...]] = {}


def _field_names(key: str, cls: Any) -> tuple[str, ...]:
    """A fact class's field names minus its evidence, looked up once per class."""
    names = _FIELD_NAMES.get(key)
    if names is None:
        names = _FIELD_NAMES[key] = tuple(f.name for f in fields(cls) if f.name != "evidence")
    return names


def _fact(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _field_names(type(obj).__name__, type(obj)):
        value = getattr(obj, name)
        if isinstance(value, tuple):
            value = list(value)
        out[name] = value
    out.update(_evidence(obj.evidence))
    return out


def _clause(c: Clause) -> dict[str, Any]:
    return {
        "id": c.id,
        "label": c.label,
        "heading": c.heading,
        "text": c.text,
        "span": [c.span[0], c.span[1]],
        "children": [_clause(ch) for ch in c.children],
    }


def source_path(path: str) -> str:
    """A record's ``source.path``: relative to the working folder, or the file's name outside it."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.name


def completeness_warnings(meta: NoticeMeta, facts: Facts) -> list[str]:
    """What a full notice has and this one lacks: a partial notice or criteria excerpt still gets a record."""
    out = []
    if not meta.title:
        out.append("no title found: partial notice or criteria excerpt")
    if not meta.issue_date:
        out.append("no signing date found")
    if not meta.year:
        out.append("evaluation year not stated")
    if not meta.province and not meta.city:
        out.append("place (province/city) not found")
    if not (facts.service_years or facts.requirements or facts.deadlines):
        out.append("no eligibility rule or deadline found")
    return out


def _clause_id(index: ClauseIndex, offset: int) -> str:
    clause = index.at(offset)
    return clause.id if clause else "0"


def assemble(
    doc: LoadedDocument,
    text: str,
    clauses: list[Clause],
    meta: NoticeMeta,
    facts: Facts,
    warnings: list[str],
    page_of: Any = None,
    boxes_of: Any = None,
) -> dict[str, Any]:
    """The record dict, in the contract's key order."""
    notice = {
        "title": meta.title,
        "doc_numbers": list(meta.doc_numbers),
        "issuers": list(meta.issuers),
        "issue_date": meta.issue_date,
        "province": meta.province,
        "city": meta.city,
        "year": meta.year,
        "series": meta.series,
        "levels": list(meta.levels),
        "level_codes": titles.level_codes(meta.levels),
        "specialties": list(meta.specialties),
        "cited_documents": [
            {"number": c.number, "title": c.title, **_evidence(c.evidence)} for c in meta.cited_documents
        ],
    }
    listed = bundles.listed_spans(text)
    if listed:  # the 附件 list as printed: what the notice says comes with it, read or not
        index = ClauseIndex(clauses)  # the clause a fact's evidence names, found the same way
        notice["attachments_listed"] = [
            {
                "number": n,
                "name": name,
                "clause": _clause_id(index, span[0]),
                "span": list(span),
                "text": name,
            }
            for n, name, span in listed
        ]
    source: dict[str, Any] = {
        "path": source_path(doc.path),
        "sha256": doc.sha256,
        "format": doc.format,
        "ocr": doc.ocr,
    }
    if doc.pages:
        source["pages"] = len(doc.pages)
    if doc.attachments:
        source["attachments"] = list(doc.attachments)
    fact_lists: dict[str, Any] = {}
    for f in fields(facts):
        items = getattr(facts, f.name)
        if f.name in {"emails", "urls"}:
            fact_lists[f.name] = list(items)
            continue
        rendered = [_fact(x) for x in items]
        if page_of is not None:
            for r in rendered:
                page = page_of(r["span"][0])
                if page is not None:
                    r["page"] = page
                    boxes = boxes_of(tuple(r["span"]), page) if boxes_of is not None else None
                    if boxes:
                        r["boxes"] = boxes
        assign_ids(f.name, rendered)
        fact_lists[f.name] = rendered
    rendered_clauses = [_clause(c) for c in clauses]
    criteria, criteria_warnings = build_criteria(text, rendered_clauses, fact_lists)
    all_warnings = (
        list(doc.warnings) + list(warnings) + completeness_warnings(meta, facts) + criteria_warnings
    )
    record = {
        "schema_version": SCHEMA_VERSION,
        "record_id": record_id(meta, doc.sha256),
        "source": source,
        "text": text,
        "notice": notice,
        "clauses": rendered_clauses,
        "facts": fact_lists,
        "criteria": criteria,
        "warnings": list(dict.fromkeys(all_warnings)),
    }
    return record
