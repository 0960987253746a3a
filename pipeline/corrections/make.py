"""The ``correct`` command's arguments → one checked correction, or the one reason it is refused.

Everything is checked against the record as it stands before anything is written: the fact id
exists, each field is one the schema has, each value fits its field, a quoted text stands exactly
once in the notice, a new fact has every field it needs, and the correction changes something.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pipeline.corrections import fields
from pipeline.corrections.apply import occurrences
from pipeline.corrections.model import Correction, CorrectionError


def timestamp(given: str | None) -> str:
    """``--at`` as given (checked), else now in UTC to the second: taken once, here, never by ingest."""
    if given is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    try:
        dt.datetime.fromisoformat(given)
    except ValueError:
        raise CorrectionError(
            f"--at must be an ISO timestamp like 2026-12-01T23:40:00Z, got {json.dumps(given)}"
        ) from None
    return given


def _pairs(items: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise CorrectionError(f"--set takes FIELD=VALUE, got {json.dumps(item, ensure_ascii=False)}")
        out.append((key.strip(), value))
    return out


def _values(list_name: str | None, items: list[str]) -> dict[str, Any]:
    known = fields.fields_of(list_name)
    owner = "the notice" if list_name is None else list_name
    values: dict[str, Any] = {}
    for key, text in _pairs(items):
        if key not in known:
            if key in fields.FIXED:
                raise CorrectionError(
                    f"{key} says where the fact was read and cannot be set: --remove it and --add it again"
                )
            raise CorrectionError(f"{owner} has no field {key}; fields: {', '.join(known)}")
        value = fields.parse(text, known[key])
        problem = fields.check(key, value, known[key])
        if problem:
            raise CorrectionError(problem)
        values[key] = value
    return values


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def build(record: dict[str, Any], args: Any, by: str, at: str) -> tuple[Correction, str]:
    """(the correction, a one-line account of what it changes) for the ``correct`` arguments."""
    reason = (args.reason or "").strip()
    if not reason:
        raise CorrectionError("--reason must say why (it is kept with the correction)")
    modes = [m for m, on in (("--remove", args.remove), ("--add", args.add), ("--notice", args.notice)) if on]
    if len(modes) > 1:
        raise CorrectionError(f"{' and '.join(modes)} cannot be combined")
    base: dict[str, Any] = {"by": by, "at": at, "reason": reason}
    if args.notice or args.add:
        if args.fact:
            raise CorrectionError(f"{modes[0]} takes no FACT_ID (got {args.fact})")
        if args.notice:
            return _notice(record, args, base)
        return _add(record, args, base)
    if not args.fact:
        raise CorrectionError(
            "give the FACT_ID to correct (see `python -m pipeline review`), --add LIST or --notice"
        )
    name = fields.list_of(args.fact)
    target = None
    if name is not None:
        target = next((f for f in record["facts"][name] if f.get("id") == args.fact), None)
    if name is None or target is None:
        raise CorrectionError(f"no fact {args.fact} in this record")
    if args.remove:
        if args.set:
            raise CorrectionError("--remove takes no --set")
        c = Correction(op="remove", fact=args.fact, text=target["text"], **base)
        return c, f"removed {args.fact} ({target['text']})"
    if not args.set:
        raise CorrectionError("nothing to correct: give --set FIELD=VALUE, or --remove")
    values = _values(name, args.set)
    changed = {k: v for k, v in values.items() if k not in target or target[k] != v}
    if not changed:
        raise CorrectionError(f"nothing to correct: {args.fact} already has {_assignments(values)}")
    c = Correction(op="set", fact=args.fact, text=target["text"], values=values, **base)
    change = ", ".join(f"{k} {_show(target.get(k))} → {_show(v)}" for k, v in changed.items())
    return c, f"{args.fact} {change}"


def _assignments(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_show(v)}" for k, v in values.items())


def _notice(record: dict[str, Any], args: Any, base: dict[str, Any]) -> tuple[Correction, str]:
    if not args.set:
        raise CorrectionError("--notice needs --set FIELD=VALUE")
    values = _values(None, args.set)
    notice = record["notice"]
    changed = {k: v for k, v in values.items() if notice.get(k) != v}
    if not changed:
        raise CorrectionError(f"nothing to correct: the notice already has {_assignments(values)}")
    change = ", ".join(f"{k} {_show(notice.get(k))} → {_show(v)}" for k, v in changed.items())
    return Correction(op="notice", values=values, **base), f"notice {change}"


def _add(record: dict[str, Any], args: Any, base: dict[str, Any]) -> tuple[Correction, str]:
    name = args.add
    if name not in fields.LISTS:
        raise CorrectionError(f"--add takes one of {', '.join(fields.LISTS)}, got {_show(name)}")
    quote = args.text
    if not quote:
        raise CorrectionError("--add needs --text: the words of the notice the fact is read from")
    found = occurrences(record["text"], quote)
    if not found:
        raise CorrectionError(f"the text {_show(quote)} is not in the notice")
    if len(found) > 1:
        raise CorrectionError(
            f"the text {_show(quote)} stands {len(found)} times in the notice; quote more of its sentence"
        )
    values = _values(name, args.set or [])
    missing = [k for k in fields.required(name) if k not in {**fields.defaults(name), **values}]
    if missing:
        hint = " ".join(f"--set {k}=…" for k in missing)
        raise CorrectionError(f"a new {name} fact needs {', '.join(missing)}: add {hint}")
    start = found[0]
    return (
        Correction(op="add", list=name, quote=quote, values=values, **base),
        f"added to {name}: {_assignments(values)} at {start}–{start + len(quote)}",
    )
