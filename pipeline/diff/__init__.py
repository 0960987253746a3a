"""Diff two policy records: semantic changes first, then a clause-level redline.

Public entry point: ``diff_records(a, b) -> DiffResult``. Records are the
records of ``pipeline.ingest.ingest_file`` or ``pipeline.records.read_record``.
Rendering lives in ``pipeline.diff.render``; the CLI in ``pipeline.diff.cli``.
"""

from __future__ import annotations

from pipeline.diff.model import SECTIONS, Change, ClauseDiff, ClauseRef, DiffResult, Side
from pipeline.record_types import PolicyRecord

__all__ = ["Change", "ClauseDiff", "DiffResult", "Side", "diff_records"]


def side(record: PolicyRecord) -> Side:
    """The header of one record in a report."""
    n = record["notice"]
    return Side(
        record_id=record["record_id"],
        source=record["source"]["path"],
        title=n["title"],
        city=n["city"],
        province=n["province"],
        year=n["year"],
        series=n["series"],
        doc_numbers=tuple(n["doc_numbers"]),
    )


def _parent(cid: str) -> str | None:
    return cid.rsplit(".", 1)[0] if "." in cid else None


def _first_words(ref: ClauseRef, n: int = 24) -> str:
    """A clause's opening words when it has no heading: enough to find it in the notice."""
    text = "".join(ref.text.split())
    if ref.label and text.startswith("".join(ref.label.split())):
        text = text[len("".join(ref.label.split())) :]
    return text[:n] + ("…" if len(text) > n else "")


def _clause_changes(clauses: list[ClauseDiff], facts: list[Change]) -> list[Change]:
    """Added/removed clauses that no fact change already explains, topmost only.

    A removed list item that held a threshold is reported once, as the removed
    threshold; a removed paragraph with no fact (e.g. a 不得申报 rule) would be
    invisible in the semantic summary without this.
    """
    explained: dict[str, set[str]] = {"removed": set(), "added": set()}
    for change in facts:
        for kind, fact in (("removed", change.before), ("added", change.after)):
            if isinstance(fact, dict) and fact.get("clause"):
                cid = str(fact["clause"])
                while cid:
                    explained[kind].add(cid)
                    cid = _parent(cid) or ""
    gone = {c.a.id for c in clauses if c.status == "removed" and c.a}
    new = {c.b.id for c in clauses if c.status == "added" and c.b}
    out: list[Change] = []
    for k, c in enumerate(clauses):
        ref = c.a if c.status == "removed" else c.b if c.status == "added" else None
        if ref is None:
            continue
        same = gone if c.status == "removed" else new
        parent = _parent(ref.id)
        if ref.id in explained[c.status] or (parent is not None and parent in same):
            continue
        name = f"{ref.label or ''}{ref.heading or _first_words(ref)}"
        if c.status == "removed":
            out.append(Change("clauses", "removed", ref.to_json(), None, f"删除条款 {ref.id} {name}", k))
        else:
            out.append(Change("clauses", "added", None, ref.to_json(), f"新增条款 {ref.id} {name}", k))
    return out


def order_changes(changes: list[Change]) -> tuple[Change, ...]:
    """Fixed section order; changed, removed, added; then position in the notice: byte-stable output."""
    rank = {s: i for i, s in enumerate(SECTIONS)}
    kinds = {"changed": 0, "removed": 1, "added": 2}
    return tuple(
        sorted(changes, key=lambda c: (rank.get(c.section, len(rank)), kinds[c.change], c.order, c.summary))
    )


def diff_records(a: PolicyRecord, b: PolicyRecord, *, clauses: bool = True) -> DiffResult:
    """Compare record ``a`` (before / left) with record ``b`` (after / right).

    ``clauses=False`` skips the redline (and jieba) when only the semantic
    changes are wanted, e.g. for a quick history over many years.
    """
    from pipeline.diff.match import semantic_changes

    facts = semantic_changes(a, b)
    redline: list[ClauseDiff] = []
    if clauses:
        from pipeline.diff.clauses import diff_clauses

        redline = diff_clauses(a["clauses"], b["clauses"])
        facts += _clause_changes(redline, facts)
    return DiffResult(side(a), side(b), order_changes(facts), tuple(redline))
