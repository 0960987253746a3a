"""One record per notice: copies of one notice in a records folder are linked to one canonical record.

The same notice reaches a collection several times — the PDF and the web page, a repost on a
mirror site with its menus and footer around it — and each copy gives a record of its own. After
a batch has written its records, ``duplicates_folder.link_folder`` decides over the folder's whole set of records
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
  MinHash LSH index of character 3-grams (``pipeline.minhash``: datasketch's values, in numpy);
  each record's signature is computed by the worker that made the record and kept
  (``pipeline.duplicates_folder``), so the driver only looks up buckets and a re-run reads
  only new records.
- **Deterministic over the set**: the canonical copy is the best of its group by text layer over
  OCR, complete over excerpt (the parts a full notice has: title, date, year, place, rules),
  document formats over web pages over plain text, fewer warnings (a repost's furniture costs
  some), then the record name; groups are built from the pairs in a fixed order. A re-ingest that adds a copy rewrites the links it changes, each
  record atomically, to exactly the bytes a run from scratch writes.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SIMILAR = 0.90  # Indel similarity of two whole texts
CONTAINED = 0.95  # share of the shorter text found in order inside the longer
# …when the shorter is at least half as long: below it, any text "contains" a short one
CONTAINED_MIN_SHARE = 0.5
NUM_PERM = 64
# Jaccard of 3-gram sets; a repost's furniture or an OCR copy stays far above it (its bands and
# rows: pipeline.minhash)
LSH_THRESHOLD = 0.5

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


BY_NUMBER = (2.0, "same 文号 and title")


def same_number_and_title(a: Copy, b: Copy) -> bool:
    """The one reason read from the records' notices alone, no text needed."""
    return bool(a.doc_numbers & b.doc_numbers and a.title and a.title == b.title)


def pair_reason(a: Copy, b: Copy, text_a: str, text_b: str) -> tuple[float, str] | None:
    """(strength, reason) when ``a`` and ``b`` are copies of one notice, else None."""
    if conflict(a, b):
        return None
    if same_number_and_title(a, b):
        return BY_NUMBER
    return text_reason(text_a, text_b)


def text_reason(text_a: str, text_b: str) -> tuple[float, str] | None:
    """(strength, reason) when two texts of records that do not conflict are one notice's."""
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


def signature(text: str) -> str:
    """The MinHash of a text's character 3-grams (white space left out), as base64 of its uint32
    values: datasketch's ``affine32`` MinHash over CRC-32 of each 3-gram, computed in numpy
    (``pipeline.minhash``), so the signatures a folder's cache keeps stay valid."""
    from pipeline import minhash

    values = minhash.minhash(minhash.shingle_hashes(text), NUM_PERM, seed=1)
    return base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")


@dataclass(frozen=True)
class Sketch:
    """What the duplicate pass needs of a record, computed where the record is made (a worker), so
    the driver reads no record file and hashes no text for it: its ``Copy`` (named ``""``, the
    record name is the driver's), its signature, and the link its file carries."""

    copy: Copy
    signature: str
    link: Link | None


def sketch(record: Mapping[str, Any]) -> Sketch:
    dup = record.get("duplicate_of")
    link = Link(dup["of"], dup["reason"]) if isinstance(dup, dict) else None
    return Sketch(copy_of("", record), signature(record.get("text") or ""), link)


def candidates(copies: Mapping[str, Copy], signatures: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pairs worth scoring, each once as (smaller name, larger name), sorted: a shared 文号 or an
    LSH collision (two signatures equal in one band: the pairs datasketch's ``MinHashLSH`` gives).
    Never all pairs: 100,000 notices would be 5·10⁹ of them."""
    from pipeline import minhash

    pairs: set[tuple[str, str]] = set()
    by_number: dict[str, list[str]] = {}
    for name in sorted(copies):
        for number in copies[name].doc_numbers:
            by_number.setdefault(number, []).append(name)
    for names in by_number.values():
        pairs.update((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
    buckets: list[dict[bytes, list[str]]] = [{} for _ in range(minhash.BANDS)]
    for name in sorted(signatures):
        keys = minhash.bands(base64.b64decode(signatures[name]))
        others: set[str] = set()
        for bucket, key in zip(buckets, keys, strict=True):
            members = bucket.setdefault(key, [])
            others.update(members)
            members.append(name)
        pairs.update((min(name, other), max(name, other)) for other in others)
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
