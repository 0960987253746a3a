"""Criteria scorer: a record's ``criteria`` against hand-made gold, after normalising both trees.

Normalising makes two trees that say the same thing compare equal: ids, spans
and texts are dropped, a group of one child is that child, ``all`` inside
``all`` (and ``any`` of min 1 inside ``any`` of min 1) is flattened, children
are sorted, a ``ref`` counts as a reference (its target is checked by the
seeds' exact match). A leaf is compared by what it asks: degree words; years
and basis; kind, subtype, count and implied; tag; status words. Then routes,
groups (op, min, number of children), leaves and root-to-leaf paths are
counted as multisets and scored with precision, recall and F1.

Run: ``.venv/bin/python -m tests.criteria_score`` for the figures per excerpt.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLD = Path(__file__).parent / "gold" / "criteria"

Norm = tuple[Any, ...]


def leaf_key(n: dict[str, Any]) -> Norm:
    atom = n["atom"]
    if atom in ("degree", "status"):
        return (atom, tuple(sorted(n["in"])))
    if atom == "years":
        return (atom, float(n["years"]), n["basis"])
    if atom == "count":
        return (atom, n["kind"], n.get("subtype"), float(n["min_count"]), bool(n.get("implied")))
    if atom == "text":
        return (atom, n["tag"])
    return (atom,)


def normalise(n: dict[str, Any]) -> Norm:
    if "ref" in n:
        return ("ref",)
    if "atom" in n:
        return ("leaf", leaf_key(n))
    op, k = n["op"], n.get("min", 1) if n["op"] == "any" else 0
    kids: list[Norm] = []
    for ch in n["of"]:
        c = normalise(ch)
        if c[0] == "group" and c[1] == op and c[2] == k and op in ("all", "any") and (op == "all" or k == 1):
            kids.extend(c[3])
        else:
            kids.append(c)
    if len(kids) == 1 and op != "none":
        return kids[0]
    return ("group", op, k, tuple(sorted(kids, key=repr)))


def tree(criteria: dict[str, Any]) -> list[tuple[str, Norm]]:
    return sorted(((r["route"], normalise(r["requires"])) for r in criteria["routes"]), key=repr)


def _walk(
    route: str, n: Norm, path: tuple[Any, ...], leaves: Counter, paths: Counter, groups: Counter
) -> None:
    if n[0] == "group":
        groups[(route, n[1], n[2], len(n[3]))] += 1
        for ch in n[3]:
            _walk(route, ch, (*path, (n[1], n[2])), leaves, paths, groups)
        return
    key = n[1] if n[0] == "leaf" else ("ref",)
    leaves[(route, key)] += 1
    paths[(route, path, key)] += 1


def parts(criteria: dict[str, Any]) -> dict[str, Counter]:
    out = {"routes": Counter(), "groups": Counter(), "leaves": Counter(), "paths": Counter()}
    for route, n in tree(criteria):
        out["routes"][route] += 1
        _walk(route, n, (), out["leaves"], out["paths"], out["groups"])
    return out


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: Counter, want: Counter) -> None:
        hit = sum((got & want).values())
        self.tp += hit
        self.fp += sum(got.values()) - hit
        self.fn += sum(want.values()) - hit

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def score(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, PRF]:
    """(record criteria, gold criteria) pairs → P/R/F1 per aspect, micro-averaged."""
    out = {k: PRF() for k in ("routes", "groups", "leaves", "paths")}
    for got, want in pairs:
        g, w = parts(got), parts(want)
        for k, prf in out.items():
            prf.add(g[k], w[k])
    return out


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def main() -> None:
    from pipeline.ingest import ingest_file

    root = Path(__file__).parent.parent
    pairs = []
    for g in gold_files():
        gold = load_gold(g)
        if "record" in gold:
            continue
        rec = ingest_file(root / gold["source"])
        one = score([(rec["criteria"], gold)])
        print(f"{g.stem:10} " + "  ".join(f"{k} {v.f1:.2f}" for k, v in one.items()))
        pairs.append((rec["criteria"], gold))
    total = score(pairs)
    print("overall    " + "  ".join(f"{k} P {v.p:.2f} R {v.r:.2f} F1 {v.f1:.2f}" for k, v in total.items()))


if __name__ == "__main__":
    main()
