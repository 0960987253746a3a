"""Semantic diff: facts of two records matched by what they mean, not where they sit.

A fact's identity is its meaning (kind, subtype, level, group; degree, basis,
route; event; person …); its ``clause``, ``span`` and ``text`` are only
evidence. Matching on meaning is what keeps a renumbered list from showing
every later item as changed, and a shifted span from counting as a change.

Matching runs in passes from strict to loose: first facts equal in every
meaningful field (so unchanged facts never pair with an edited neighbour),
then facts that share an identity key (their difference is a *change*), then
looser keys guarded by a text-similarity floor (e.g. a level edited from 市级 to
省级 inside the same sentence). Whatever is left is added or removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.diff import labels as L
from pipeline.diff.model import Change, ChangeKind
from pipeline.lexicon import labels
from pipeline.record_types import Notice, PolicyRecord

# a fact of any kind, or a cited document: matching reads them all by key
Fact = Mapping[str, Any]
KeyFn = Callable[[Fact], Any]
TextFn = Callable[[Fact], str]

# evidence fields: where a fact was read, never what it says (nor who corrected it)
EVIDENCE = frozenset({"id", "clause", "span", "text", "phrase_span", "file", "page", "corrected"})

_LEAD_LABEL = re.compile(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]+[）)、.．]|[①-⑳])\s*")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def payload(f: Fact) -> dict[str, Any]:
    """The meaningful part of a fact: everything but its evidence."""
    return {k: v for k, v in f.items() if k not in EVIDENCE}


def _shape(text: str) -> str:
    """Text with its list label dropped and numbers masked: what stays when a threshold or number moves."""
    return _DIGITS.sub("#", _LEAD_LABEL.sub("", text or ""))


def similarity(x: str, y: str) -> float:
    """Dice over character bigrams of the masked texts; cheap and good enough to pair facts."""
    a, b = _shape(x), _shape(y)
    if a == b:
        return 1.0
    ga = [a[i : i + 2] for i in range(len(a) - 1)] or [a]
    gb = [b[i : i + 2] for i in range(len(b) - 1)] or [b]
    common = 0
    pool: dict[str, int] = {}
    for g in gb:
        pool[g] = pool.get(g, 0) + 1
    for g in ga:
        if pool.get(g, 0) > 0:
            pool[g] -= 1
            common += 1
    return 2 * common / (len(ga) + len(gb))


@dataclass(frozen=True)
class Pass:
    """One matching round: facts with equal ``key`` may pair if their texts are similar enough."""

    key: KeyFn
    min_similarity: float = 0.0
    text: TextFn | None = None


@dataclass(frozen=True)
class FactSpec:
    """How one fact list is matched and described."""

    section: str
    passes: tuple[Pass, ...]
    # typed per fact kind (labels.requirement_label takes a Requirement …), hence Any here
    label: Callable[[Any], str]
    value: Callable[[Any], str]
    text: TextFn = lambda f: str(f.get("text") or "")
    # how a changed pair reads; None: "label: value → value"
    changed: Callable[[Any, Any], str] | None = None


def _fields(*names: str) -> KeyFn:
    return lambda f: tuple(_hashable(f.get(n)) for n in names)


def _hashable(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _hashable(x)) for k, x in v.items()))
    return v


def _exact(f: Fact) -> Any:
    return _hashable(payload(f))


SPECS: tuple[FactSpec, ...] = (
    FactSpec(
        "service_years",
        (
            Pass(_fields("degree", "basis", "route")),
            Pass(_fields("basis", "route"), 0.6),
            Pass(_fields("degree"), 0.6),
        ),
        L.service_label,
        L.service_value,
    ),
    FactSpec(
        "requirements",
        (
            Pass(_fields("kind", "subtype", "level", "group")),
            Pass(_fields("kind", "subtype", "level"), 0.5),
            Pass(_fields("kind", "subtype"), 0.6),
            Pass(_fields("kind"), 0.7),
        ),
        L.requirement_label,
        L.requirement_value,
    ),
    FactSpec(
        "deadlines",
        (
            Pass(_fields("event")),
            Pass(lambda f: None, 0.5, lambda f: str(f.get("event") or "")),
        ),
        lambda f: str(f.get("event") or "日期"),
        L.window,
    ),
    FactSpec(
        "fees",
        (Pass(_fields("per", "covers")), Pass(_fields("per"), 0.3)),
        L.fee_label,
        L.fee_value,
    ),
    FactSpec(
        "contacts",
        (Pass(_fields("name")), Pass(_fields("org")), Pass(_fields("phone"))),
        L.contact_label,
        L.contact_value,
        changed=L.contact_changed,
    ),
)

CITED = FactSpec(
    "cited_documents",
    (
        Pass(_fields("number")),
        Pass(lambda f: None, 0.6, lambda f: str(f.get("title") or "")),
    ),
    L.cited_label,
    L.cited_value,
    text=lambda f: str(f.get("title") or f.get("number") or ""),
)


def pair_facts(
    a: Sequence[Fact], b: Sequence[Fact], spec: FactSpec
) -> tuple[list[tuple[Fact, Fact]], list[Fact], list[Fact]]:
    """(pairs, only in a, only in b); greedy by score within each key group, ties by position."""
    left = dict(enumerate(a))
    right = dict(enumerate(b))
    pairs: list[tuple[int, int]] = []
    for p in (Pass(_exact), *spec.passes):
        text = p.text or spec.text
        groups: dict[Any, tuple[list[int], list[int]]] = {}
        for i, f in left.items():
            groups.setdefault(p.key(f), ([], []))[0].append(i)
        for j, f in right.items():
            if (k := p.key(f)) in groups:
                groups[k][1].append(j)
        for ia, jb in groups.values():
            scored = []
            for i in ia:
                for j in jb:
                    sim = similarity(text(left[i]), text(right[j]))
                    if sim >= p.min_similarity:
                        scored.append((-sim, i, j))
            for _, i, j in sorted(scored):
                if i in left and j in right:
                    pairs.append((i, j))
                    del left[i], right[j]
    return [(a[i], b[j]) for i, j in sorted(pairs)], list(left.values()), list(right.values())


def _pos(f: Fact | None) -> int:
    span = f.get("span") if f is not None else None
    return int(span[0]) if span else 0


def _change(spec: FactSpec, kind: ChangeKind, fa: Fact | None, fb: Fact | None) -> Change:
    if kind == "added":
        assert fb is not None
        summary = f"新增{spec.label(fb)} {spec.value(fb)}"
    elif kind == "removed":
        assert fa is not None
        summary = f"删除: {spec.label(fa)} {spec.value(fa)}"
    else:
        assert fa is not None and fb is not None
        if spec.changed is not None:
            return Change(spec.section, kind, fa, fb, spec.changed(fa, fb), _pos(fb))
        la, lb = spec.label(fa), spec.label(fb)
        va, vb = spec.value(fa), spec.value(fb)
        summary = f"{la} {va} → {lb} {vb}" if la != lb else f"{la}: {va} → {vb}"
    return Change(spec.section, kind, fa, fb, summary, _pos(fb) if fb is not None else _pos(fa))


def diff_facts(a: Sequence[Fact], b: Sequence[Fact], spec: FactSpec) -> list[Change]:
    """Changes of one fact list; a paired fact changes only when its meaningful fields differ."""
    pairs, removed, added = pair_facts(a, b, spec)
    out = [_change(spec, "changed", fa, fb) for fa, fb in pairs if payload(fa) != payload(fb)]
    out += [_change(spec, "removed", f, None) for f in removed]
    out += [_change(spec, "added", None, f) for f in added]
    return out


def diff_notice(a: Notice, b: Notice) -> list[Change]:
    """Notice metadata field by field (cited documents are a fact list of their own)."""
    out: list[Change] = []
    for i, key in enumerate(L.NOTICE_FIELDS):
        zh = labels.column(key)
        va, vb = _field(a, key), _field(b, key)
        if va == vb:
            continue
        if va in (None, [], ""):
            out.append(Change("notice", "added", None, vb, f"新增{zh}: {L.plain(vb)}", i))
        elif vb in (None, [], ""):
            out.append(Change("notice", "removed", va, None, f"删除{zh}: {L.plain(va)}", i))
        else:
            out.append(Change("notice", "changed", va, vb, f"{zh}: {L.plain(va)} → {L.plain(vb)}", i))
    return out


def diff_strings(a: Sequence[str], b: Sequence[str], what: str, covered: set[str]) -> list[Change]:
    """URLs/e-mails as sets, leaving out those a contact change already reports."""
    out: list[Change] = []
    for s in sorted(set(a) - set(b)):
        if s not in covered:
            out.append(Change("contacts", "removed", s, None, f"删除{what}: {s}", 1 << 30))
    for s in sorted(set(b) - set(a)):
        if s not in covered:
            out.append(Change("contacts", "added", None, s, f"新增{what}: {s}", 1 << 30))
    return out


def _field(d: Mapping[str, Any], key: str) -> Any:
    return d.get(key)


def semantic_changes(a: PolicyRecord, b: PolicyRecord) -> list[Change]:
    """Every semantic change between two records, unordered (``order_changes`` sorts)."""
    na, nb = a["notice"], b["notice"]
    fa, fb = a["facts"], b["facts"]
    out = diff_notice(na, nb)
    for spec in SPECS:
        out += diff_facts(_field(fa, spec.section), _field(fb, spec.section), spec)
    covered = {
        str(v)
        for c in out
        if c.section == "contacts"
        for side in (c.before, c.after)
        if isinstance(side, dict)
        for v in side.values()
        if isinstance(v, str)
    }
    out += diff_strings(fa["emails"], fb["emails"], labels.column("email"), covered)
    out += diff_strings(fa["urls"], fb["urls"], labels.column("url"), covered)
    out += diff_facts(na["cited_documents"], nb["cited_documents"], CITED)
    return out
