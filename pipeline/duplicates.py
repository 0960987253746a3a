"""One record per notice: copies of one notice in a records folder are linked to one canonical record.

The same notice reaches a collection several times — the PDF and the web page, a repost on a
mirror site with its menus and footer around it — and each copy gives a record of its own. After
a batch has written its records, ``link_folder`` decides over the folder's whole set of records
which are copies of one notice, picks one of each group as canonical and writes into every other
copy ``"duplicate_of": {"of": <canonical record's name>, "reason": …}``.

Why the rule looks like this:

- **Editions are not copies.** This year's notice of a city repeats most of last year's text, so
  similarity alone would join them. Two records whose 文号 share none, whose years differ, whose
  provinces or cities differ or whose issuers share none are never one notice (``conflict``),
  however alike their text; a group never holds two records that conflict, even through a third.
- **Then one of three reasons**: the same 文号 and title (``same 文号 and title``); near-identical
  text (``text similarity 0.97``: rapidfuzz's Indel similarity of the normalised texts); or the
  shorter text found almost whole inside one at most twice its length (``text containment 0.98``:
  the longest common subsequence over the shorter length — a repost with site furniture around it).
- **Scales to 100,000 notices**: pairs are only scored when they share a 文号 or collide in a
  MinHash LSH index of character 3-grams (datasketch); each record's signature is kept in
  ``DIR/.duplicates.json`` keyed by its record file's sha256, so a re-run reads only new records.
- **Deterministic over the set**: the canonical copy is the best of its group by text layer over
  OCR, complete over excerpt (the parts a full notice has: title, date, year, place, rules),
  document formats over web pages over plain text, fewer warnings (a repost's furniture costs
  some), then the record name; groups are built from
  the pairs in a fixed order. A re-ingest that adds a copy rewrites the links it changes, each
  record atomically, to exactly the bytes a run from scratch writes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pipeline.store import dumps, write_atomic

CACHE = ".duplicates.json"  # signatures of the records last linked, by record name
MANIFEST_KEY = "duplicates"  # the manifest's digest of the records last linked: unchanged → no work
VERSION = "4"  # part of the digest and the cache: a changed rule relinks every folder

SIMILAR = 0.90  # Indel similarity of two whole texts
CONTAINED = 0.95  # share of the shorter text found in order inside the longer
CONTAINED_MIN_SHARE = (
    0.5  # …when the shorter is at least half as long: below it, any text "contains" a short one
)
SHINGLE = 3
NUM_PERM = 64
LSH_THRESHOLD = 0.5  # Jaccard of 3-gram sets; a repost's furniture or an OCR copy stays far above it

# document formats (what was signed and published) over web pages over plain text scrapes
_FORMAT_RANK = {"pdf": 0, "ofd": 0, "docx": 0, "doc": 0, "wps": 0, "rtf": 0, "odt": 0, "html": 1}
_TEXT_FORMATS = {"txt": 2, "md": 2}


@dataclass(frozen=True)
class Copy:
    """What the pair rule and the canonical choice read of one record."""

    name: str
    title: str | None
    doc_numbers: frozenset[str]
    year: int | None
    province: str | None
    city: str | None
    issuers: frozenset[str]
    ocr: bool
    missing: int  # parts of a full notice this record lacks
    format_rank: int
    warnings: (
        int  # a repost's furniture (a site's phone, a second title) costs warnings; a clean copy has fewer
    )

    def rank(self) -> tuple[int, int, int, int, str]:
        return (int(self.ocr), self.missing, self.format_rank, self.warnings, self.name)


@dataclass(frozen=True)
class Link:
    of: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"of": self.of, "reason": self.reason}


def copy_of(name: str, record: Mapping[str, Any]) -> Copy:
    notice, facts, source = record["notice"], record["facts"], record["source"]
    missing = sum(
        [
            not notice.get("title"),
            not notice.get("issue_date"),
            not notice.get("year"),
            not (notice.get("province") or notice.get("city")),
            not (facts.get("service_years") or facts.get("requirements") or facts.get("deadlines")),
        ]
    )
    fmt = source.get("format", "")
    return Copy(
        name=name,
        title=notice.get("title") or None,
        doc_numbers=frozenset(notice.get("doc_numbers") or ()),
        year=notice.get("year"),
        province=notice.get("province"),
        city=notice.get("city"),
        issuers=frozenset(notice.get("issuers") or ()),
        ocr=bool(source.get("ocr")),
        missing=missing,
        format_rank=_FORMAT_RANK.get(fmt, _TEXT_FORMATS.get(fmt, 3)),
        warnings=len(record.get("warnings") or ()),
    )


def conflict(a: Copy, b: Copy) -> str | None:
    """Why two records cannot be one notice (two editions, two places), or None."""
    if a.doc_numbers and b.doc_numbers and not a.doc_numbers & b.doc_numbers:
        return "different 文号"
    if a.year is not None and b.year is not None and a.year != b.year:
        return "different years"
    if a.province and b.province and a.province != b.province:
        return "different provinces"
    if a.city and b.city and a.city != b.city:
        return "different cities"
    if a.issuers and b.issuers and not a.issuers & b.issuers:
        return "different issuers"
    return None


def pair_reason(a: Copy, b: Copy, text_a: str, text_b: str) -> tuple[float, str] | None:
    """(strength, reason) when ``a`` and ``b`` are copies of one notice, else None."""
    if conflict(a, b):
        return None
    if a.doc_numbers & b.doc_numbers and a.title and a.title == b.title:
        return 2.0, "same 文号 and title"
    from rapidfuzz.distance import Indel, LCSseq

    short, long_ = sorted((len(text_a), len(text_b)))
    if not short or short < CONTAINED_MIN_SHARE * long_:
        return None  # neither reason can hold: spare the comparison
    # the cut-offs let rapidfuzz stop as soon as a pair cannot reach them (most candidates)
    similarity = Indel.normalized_similarity(text_a, text_b, score_cutoff=SIMILAR)
    if similarity >= SIMILAR:
        return similarity, f"text similarity {_two(similarity)}"
    contained = LCSseq.similarity(text_a, text_b, score_cutoff=math.ceil(CONTAINED * short)) / short
    if contained >= CONTAINED:
        return contained, f"text containment {_two(contained)}"
    return None


def _two(score: float) -> str:
    """Two decimals, cut rather than rounded: 1.00 only for texts that are equal."""
    return f"{math.floor(score * 100 + 1e-9) / 100:.2f}"


def _shingles(text: str) -> set[bytes]:
    """Character 3-grams with white space left out (a PDF's line breaks, a page's spacing)."""
    text = "".join(text.split())
    return {text[i : i + SHINGLE].encode("utf-8") for i in range(max(1, len(text) - SHINGLE + 1))}


@functools.cache
def _permutations() -> Any:
    """Computed once, not once per record (half a millisecond each)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations


def signature(text: str) -> str:
    """The MinHash of a text's character 3-grams, as base64 of its uint32 values."""
    from datasketch import MinHash

    # CRC-32 (zlib, in C) hashes a shingle 30x faster than datasketch's default SHA-1, which took
    # most of the time; MinHash's own random permutations follow it, so its quality is enough
    m = MinHash(
        num_perm=NUM_PERM, seed=1, scheme="affine32", hashfunc=zlib.crc32, permutations=_permutations()
    )
    m.update_batch(list(_shingles(text)))  # a minimum: the order of the shingles never matters
    return base64.b64encode(m.hashvalues.astype("<u4").tobytes()).decode("ascii")


def candidates(copies: Mapping[str, Copy], signatures: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pairs worth scoring, each once as (smaller name, larger name), sorted: a shared 文号 or an
    LSH collision. Never all pairs: 100,000 notices would be 5·10⁹ of them."""
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    pairs: set[tuple[str, str]] = set()
    by_number: dict[str, list[str]] = {}
    for name in sorted(copies):
        for number in copies[name].doc_numbers:
            by_number.setdefault(number, []).append(name)
    for names in by_number.values():
        pairs.update((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for name in sorted(signatures):
        values = np.frombuffer(base64.b64decode(signatures[name]), dtype="<u4")
        m = LeanMinHash(seed=1, hashvalues=values, scheme="affine32")
        for other in lsh.query(m):
            pairs.add((min(name, other), max(name, other)))
        lsh.insert(name, m)
    return sorted(pairs)


def link(copies: Mapping[str, Copy], scored: Iterable[tuple[str, str, float, str]]) -> dict[str, Link]:
    """Groups from the scored pairs, strongest first, never joining two records that conflict;
    every member but the best of its group links to that one."""
    group: dict[str, list[str]] = {name: [name] for name in copies}
    edges: dict[tuple[str, str], str] = {}
    for a, b, _, reason in sorted(scored, key=lambda s: (-s[2], s[0], s[1])):
        edges[(a, b)] = reason
        ga, gb = group[a], group[b]
        if ga is gb or any(conflict(copies[x], copies[y]) for x in ga for y in gb):
            continue
        ga.extend(gb)
        for member in gb:
            group[member] = ga
    links: dict[str, Link] = {}
    for members in {id(g): g for g in group.values()}.values():
        best = min(members, key=lambda n: copies[n].rank())
        for member in sorted(members):
            if member == best:
                continue
            direct = edges.get((min(member, best), max(member, best)))
            if direct is None:  # joined through another copy: say which
                via = min(
                    (n for n in members if (min(member, n), max(member, n)) in edges),
                    key=lambda n: copies[n].rank(),
                )
                direct = f"{edges[(min(member, via), max(member, via))]} with {via}"
            links[member] = Link(best, direct)
    return links


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
) -> None:
    """Link the copies among ``records`` ({record name: sha256 of its file as written}) in ``out``.

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
        found = pair_reason(copies[a], copies[b], text(a), text(b))
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
    link_folder(out, records, manifest, rewritten=rewritten, say=say)
