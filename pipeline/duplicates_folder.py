"""The batch's post-pass for ``pipeline.duplicates``: the folder's records linked, cached, rewritten.

Split from the rule so each stays readable: here is what touches the folder — the signature
cache ``DIR/.duplicates.json`` (a record's signature is kept by its record file's sha256, so a
re-run reads only new records; a record the batch has just written comes with its ``Sketch``,
made by the worker, so it is not read either), the manifest's digest of the set last linked (an
unchanged set costs nothing), and the rewriting of each record whose link changed, atomically,
with its new sha256 in the manifest and the journal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pipeline.duplicates import (
    BY_NUMBER,
    Copy,
    Link,
    Sketch,
    candidates,
    conflict,
    copy_of,
    link,
    same_number_and_title,
    signature,
    text_reason,
)
from pipeline.store import dumps, write_atomic

CACHE = ".duplicates.json"  # signatures of the records last linked, by record name
MANIFEST_KEY = "duplicates"  # the manifest's digest of the records last linked: unchanged → no work
VERSION = "4"  # part of the digest and the cache: a changed rule relinks every folder


def digest(state: Mapping[str, str]) -> str:
    """The set of (record name, record sha256) the links were last computed over."""
    h = hashlib.sha256(VERSION.encode())
    for name in sorted(state):
        h.update(f"{name}\t{state[name]}\n".encode())
    return h.hexdigest()


@dataclass
class _Entry:
    sha256: str
    copy: Copy
    signature: str
    link: Link | None  # what the record file says now


def _read_cache(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("version") != VERSION
        or not isinstance(data.get("records"), dict)
    ):
        return {}
    return data["records"]


def _from_cache(name: str, sha: str, cached: Any) -> _Entry | None:
    if not isinstance(cached, dict) or cached.get("sha256") != sha:
        return None
    try:
        link = Link(**cached["link"]) if cached.get("link") else None
        c = cached["copy"]
        copy = Copy(
            name=name,
            title=c["title"],
            doc_numbers=frozenset(c["doc_numbers"]),
            year=c["year"],
            province=c["province"],
            city=c["city"],
            issuers=frozenset(c["issuers"]),
            ocr=c["ocr"],
            missing=c["missing"],
            format_rank=c["format_rank"],
            warnings=c["warnings"],
        )
        return _Entry(sha, copy, cached["signature"], link)
    except (KeyError, TypeError):
        return None


def _cache_json(entry: _Entry) -> dict[str, Any]:
    c = entry.copy
    return {
        "sha256": entry.sha256,
        "signature": entry.signature,
        "link": entry.link.as_json() if entry.link else None,
        "copy": {
            "title": c.title,
            "doc_numbers": sorted(c.doc_numbers),
            "year": c.year,
            "province": c.province,
            "city": c.city,
            "issuers": sorted(c.issuers),
            "ocr": c.ocr,
            "missing": c.missing,
            "format_rank": c.format_rank,
            "warnings": c.warnings,
        },
    }


def _load(path: Path) -> dict[str, Any]:
    record = orjson.loads(path.read_bytes())
    if not isinstance(record, dict):
        raise ValueError("not a record")
    return record


def _current_link(record: Mapping[str, Any]) -> Link | None:
    dup = record.get("duplicate_of")
    return Link(dup["of"], dup["reason"]) if isinstance(dup, dict) else None


def link_folder(
    out: Path,
    records: Mapping[str, str],
    state: dict[str, Any],
    *,
    rewritten: Callable[[str, str], None] = lambda name, sha: None,
    say: Callable[[str], None] = lambda line: None,
    known: Mapping[str, tuple[str, Sketch]] | None = None,
) -> None:
    """Link the copies among ``records`` ({record name: sha256 of its file as written}) in ``out``.

    ``known`` ({record name: (sha256 of the file, its sketch)}) spares reading the records the
    batch has just written; one whose file has another sha256 now is read as any other.

    ``state`` is the manifest, whose ``duplicates`` digest says whether the set changed since the
    last linking (then nothing is read). ``rewritten(name, sha)`` hears of every record file
    rewritten with its new sha256; ``say`` gets one line per link made or removed.
    """
    if state.get(MANIFEST_KEY) == digest(records):
        return
    cache = _read_cache(out)
    entries: dict[str, _Entry] = {}
    complete = True
    for name in sorted(records):
        entry = _from_cache(name, records[name], cache.get(name))
        fresh = (known or {}).get(name)
        if entry is None and fresh is not None and fresh[0] == records[name]:
            made = fresh[1]
            entry = _Entry(
                records[name], dataclasses.replace(made.copy, name=name), made.signature, made.link
            )
        if entry is None:
            try:
                record = _load(out / name)
                sig = signature(record.get("text") or "")
                entry = _Entry(records[name], copy_of(name, record), sig, _current_link(record))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                complete = False  # a record file gone or damaged: the batch repairs it next run
                continue
        entries[name] = entry
    copies = {name: e.copy for name, e in entries.items()}

    @functools.lru_cache(maxsize=4096)  # pairs come sorted, so one side repeats: few reads, bounded memory
    def text(name: str) -> str:
        try:
            return str(_load(out / name).get("text") or "")
        except (OSError, ValueError):
            return ""

    scored = []
    for a, b in candidates(copies, {n: e.signature for n, e in entries.items()}):
        # pair_reason's rule, each record's text read only when the texts must decide
        if conflict(copies[a], copies[b]):
            continue
        if same_number_and_title(copies[a], copies[b]):
            found: tuple[float, str] | None = BY_NUMBER
        else:
            found = text_reason(text(a), text(b))
        if found is not None:
            scored.append((a, b, *found))
    links = link(copies, scored)
    for name, entry in entries.items():
        want = links.get(name)
        if want == entry.link:
            continue
        try:
            record = _load(out / name)
            record.pop("duplicate_of", None)
            if want is not None:
                record["duplicate_of"] = want.as_json()
            content = dumps(record)
            write_atomic(out / name, content)
        except (OSError, ValueError) as exc:
            complete = False
            say(f"error: {out / name}: cannot link its copies: {exc}")
            continue
        was = entry.link
        entry.sha256 = hashlib.sha256(content.encode("utf-8")).hexdigest()
        entry.link = want
        records = {**records, name: entry.sha256}
        rewritten(name, entry.sha256)
        if want is None:
            say(f"unlinked: {out / name} is no longer a copy of {out / was.of if was else 'another record'}")
        else:
            say(f"copy: {out / name} is a copy of {out / want.of} ({want.reason})")
    with contextlib.suppress(OSError):  # only a cache: without it the next run reads the records again
        write_atomic(
            out / CACHE,
            json.dumps(
                {"version": VERSION, "records": {n: _cache_json(e) for n, e in sorted(entries.items())}},
                ensure_ascii=False,
                sort_keys=True,
            )
            + "\n",
        )
    if complete:
        state[MANIFEST_KEY] = digest(records)
    else:
        state.pop(MANIFEST_KEY, None)


def link_copies(
    out: Path,
    entries: dict[str, Any],
    manifest: dict[str, Any],
    journal: Callable[[str, dict[str, Any]], None],
    say: Callable[[str], None],
    known: Mapping[str, tuple[str, Sketch]] | None = None,
) -> None:
    """The batch's post-pass over its manifest ``entries`` ({raw path: entry}): every record
    rewritten gets its new sha256 in its entry, and the entry goes to the journal at once, so a
    run killed before the manifest is written does not take its own links for damage."""
    by_name = {e["record"]: p for p, e in sorted(entries.items()) if isinstance(e.get("record_sha256"), str)}

    def rewritten(name: str, sha: str) -> None:
        path = by_name[name]
        entries[path]["record_sha256"] = sha
        journal(path, entries[path])

    records = {name: entries[path]["record_sha256"] for name, path in by_name.items()}
    link_folder(out, records, manifest, rewritten=rewritten, say=say, known=known)
