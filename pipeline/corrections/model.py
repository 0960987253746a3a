"""One correction: a line of a corrections file, parsed and checked for its own shape.

Lines are JSON because a correction may set a value to ``null`` (TOML has none) and because one
line per change diffs and merges well in git. Keys are written in one order, so the file an
analyst reads is the file the command wrote:

    {"op": "set", "fact": "rq-1a2b3c4d", "text": "<the fact's sentence>", "set": {"min_count": 2}, "by": "li", "at": "2026-12-01T23:40:00Z", "reason": "原文为2项以上"}
    {"op": "remove", "fact": "dl-0badf00d", "text": "…", "by": …, "at": …, "reason": …}
    {"op": "add", "list": "requirements", "quote": "发明专利2项以上", "set": {"kind": "patent", …}, …}
    {"op": "notice", "set": {"city": "忻州市"}, …}

``text`` is the sentence the corrected fact was read from when the correction was made: when the
fact's id is gone it tells "the pipeline now reads this sentence differently" (check it) from
"the sentence is gone" (stale) and "the pipeline no longer finds it" (a removal now redundant).
``at`` is given or taken once by the ``correct`` command: ingest never reads the clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Op = Literal["set", "remove", "add", "notice"]
OPS: tuple[str, ...] = ("set", "remove", "add", "notice")
Status = Literal["applied", "redundant", "stale"]


class CorrectionError(Exception):
    """A correction that cannot be made or read; ``str()`` is the reason the user sees."""


@dataclass(frozen=True)
class Correction:
    op: Op
    by: str
    at: str
    reason: str
    fact: str | None = None  # set, remove: the target fact's id
    list: str | None = None  # add: the fact list it goes into
    quote: str | None = None  # add: the text of the notice the new fact is read from
    text: str | None = None  # set, remove: the target's sentence when the correction was made
    values: dict[str, Any] = field(default_factory=dict)  # set, add, notice: field → value

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op}
        for key in ("fact", "list", "quote", "text"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.op in ("set", "add", "notice"):
            out["set"] = dict(self.values)
        out.update(by=self.by, at=self.at, reason=self.reason)
        return out

    def line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    @property
    def target(self) -> str:
        """What it changes, for listings: a fact id, ``new requirements``, ``notice``."""
        if self.op == "add":
            return str(self.list)
        if self.op == "notice":
            return "notice"
        return str(self.fact)

    def summary(self) -> str:
        """``set rq-1a2b3c4d min_count=2``, ``remove dl-…``, ``notice city="忻州市"``."""
        parts = [self.op] if self.op == "notice" else [self.op, self.target]
        return " ".join(x for x in (*parts, self.change()) if x)

    def change(self) -> str:
        """``min_count=2``, ``city="忻州市"`` (empty for a removal): what it says, in one short phrase."""
        if self.op == "remove":
            return ""
        parts = [f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in self.values.items()]
        if self.op == "add":
            parts.insert(0, f"at {json.dumps(self.quote, ensure_ascii=False)}")
        return " ".join(parts)

    @classmethod
    def from_json(cls, data: object) -> Correction:
        """A parsed line as a correction; CorrectionError says which key is wrong."""
        if not isinstance(data, dict):
            raise CorrectionError("a correction is a JSON object")
        op = data.get("op")
        if op not in OPS:
            raise CorrectionError(
                f"op must be one of {', '.join(OPS)}, got {json.dumps(op, ensure_ascii=False)}"
            )
        for key in ("by", "at", "reason"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                raise CorrectionError(f"{key} must be a non-empty string")
        needs = {
            "set": ("fact", "set"),
            "remove": ("fact",),
            "add": ("list", "quote", "set"),
            "notice": ("set",),
        }
        for key in needs[op]:
            if key not in data:
                raise CorrectionError(f"an {op!r} correction needs {key!r}")
        for key in ("fact", "list", "quote", "text"):
            if key in data and not isinstance(data[key], str):
                raise CorrectionError(f"{key} must be a string")
        values = data.get("set", {})
        if not isinstance(values, dict) or (op in ("set", "notice") and not values):
            raise CorrectionError("set must be an object of field: value, not empty")
        known = {"op", "fact", "list", "quote", "text", "set", "by", "at", "reason"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise CorrectionError(f"unknown key {unknown[0]!r}")
        return cls(
            op=op,
            by=data["by"],
            at=data["at"],
            reason=data["reason"],
            fact=data.get("fact"),
            list=data.get("list"),
            quote=data.get("quote"),
            text=data.get("text"),
            values=dict(values),
        )


@dataclass(frozen=True)
class Outcome:
    """What became of one correction on one record: applied, redundant (the pipeline now agrees)
    or stale (its target is gone), with the reason for the last two."""

    correction: Correction
    status: Status
    why: str | None = None
    line: int = 0  # line of the corrections file, 1-based; 0 when not from a file

    def describe(self, where: str) -> str:
        """``stale: FILE:3: set rq-1a2b3c4d min_count=2: <why>`` (ingest and ``corrections``)."""
        c = self.correction
        at = f"{where}:{self.line}" if self.line else where
        return f"{self.status}: {at}: {c.summary()}: {self.why}"
