"""The policy record as types: what ``record.assemble`` writes and every reader gets back.

After ``record.py`` a record is plain JSON, so these are TypedDicts rather than
dataclasses: a record read from disk *is* one of these once the schema has
accepted it (``pipeline.records``), with no conversion step to keep in sync.
Keys are ``Required`` exactly where ``schemas/policy-record.schema.json`` lists
them as required (a test holds the two together), so mypy knows which keys a
reader may index and which it must ``.get``.

No ``from __future__ import annotations`` here: TypedDict needs to see
``NotRequired`` at class creation to fill ``__required_keys__``.
"""

from typing import Any, Literal, NewType, NotRequired, TypedDict

# [start, end) character offsets into the record's text
Span = list[int]
# a calendar date as the schema writes it, 2024-09-09; a type of its own so the tables know the column is a date
ISODate = NewType("ISODate", str)


class Attachment(TypedDict):
    """A file read with the notice (pipeline/bundles.py), or one it links or lists but lacks."""

    path: str
    sha256: NotRequired[str]
    format: NotRequired[str]
    clause: NotRequired[str]  # the top-level part of the clause tree holding its text: att1, att2 …
    missing: NotRequired[bool]


class Source(TypedDict):
    path: str
    sha256: str
    format: str
    ocr: bool
    pages: NotRequired[int]
    # Attachment objects for the files of a bundle; plain strings for a web page's links read as text
    attachments: NotRequired[list[str | Attachment]]


class Corrected(TypedDict):
    """The mark an analyst's correction leaves on a fact or the notice (pipeline/corrections/)."""

    by: str
    at: str
    reason: str
    fields: NotRequired[list[str]]
    added: NotRequired[bool]


class Correction(TypedDict):
    """One line of the record's corrections file and what became of it on this record."""

    op: Literal["set", "remove", "add", "notice"]
    fact: NotRequired[str]
    list: NotRequired[str]
    quote: NotRequired[str]
    text: NotRequired[str]
    set: NotRequired[dict[str, Any]]
    by: str
    at: str
    reason: str
    status: Literal["applied", "redundant", "stale"]
    why: NotRequired[str]
    was: NotRequired[Any]


class ListedAttachment(TypedDict):
    number: int
    name: str
    clause: str
    span: Span
    text: str


class CitedDocument(TypedDict):
    number: str
    title: str | None
    clause: NotRequired[str]
    span: NotRequired[Span]
    text: NotRequired[str]
    phrase_span: NotRequired[Span]
    file: NotRequired[str]
    page: NotRequired[int]
    boxes: NotRequired[list[list[float]]]


class Notice(TypedDict):
    title: str | None
    doc_numbers: list[str]
    issuers: list[str]
    issue_date: ISODate | None
    province: str | None
    city: str | None
    year: int | None
    series: str | None
    levels: list[str]
    # the levels' codes in the national title system (junior … senior); records written before
    # it was added lack it, so readers .get it
    level_codes: NotRequired[list[str]]
    specialties: list[str]
    cited_documents: list[CitedDocument]
    attachments_listed: NotRequired[list[ListedAttachment]]
    corrected: NotRequired[Corrected]


class Clause(TypedDict):
    id: str
    label: str | None
    heading: str | None
    text: str
    span: Span
    children: list["Clause"]


class Evidence(TypedDict):
    """Where every fact was read: clause id, its sentence's span into the record's text and that
    sentence, the phrase inside it (``phrase_span``; records written before it and facts an analyst
    added lack it), its page and boxes."""

    clause: str
    span: Span
    text: str
    phrase_span: NotRequired[Span]
    file: NotRequired[str]
    page: NotRequired[int]
    boxes: NotRequired[list[list[float]]]


class Fact(Evidence):
    """A fact of one of the lists: its stable id (pipeline/fact_ids.py) beside its evidence."""

    id: str
    corrected: NotRequired[Corrected]


class ServiceYears(Fact):
    years: float
    degree: str | None
    basis: str
    route: str
    cutoff: ISODate | None
    note: NotRequired[str | None]
    level: NotRequired[str | None]


class Requirement(Fact):
    kind: str
    subtype: str | None
    min_count: float
    unit: str
    level: str | None
    group: str | None
    min_words: NotRequired[int | None]
    min_amount_cny: NotRequired[int | None]
    rank_max: NotRequired[int | None]
    note: NotRequired[str | None]


class Deadline(Fact):
    event: str
    start: ISODate | None
    end: ISODate | None
    hours: NotRequired[list[str]]


class Fee(Fact):
    amount: float
    currency: str
    per: str | None
    covers: list[str]
    level: NotRequired[str | None]


class Contact(Fact):
    org: str | None
    name: str | None
    phone: str | None
    phone_inferred: NotRequired[bool]
    email: str | None
    address: str | None
    url: NotRequired[str | None]


class Facts(TypedDict):
    service_years: list[ServiceYears]
    requirements: list[Requirement]
    deadlines: list[Deadline]
    fees: list[Fee]
    contacts: list[Contact]
    emails: list[str]
    urls: list[str]


# a node of the criteria tree: a group {id, op, min?, of}, a leaf {id, atom, ...} or {ref}; its keys
# depend on its kind (schemas: definitions/criteria_node), so readers go through pipeline/criteria/nodes
CriteriaNode = dict[str, Any]


class CriteriaRoute(TypedDict):
    route: str
    clause: str
    span: Span
    waives: list[str]
    requires: CriteriaNode


class Criteria(TypedDict):
    routes: list[CriteriaRoute]


class DuplicateOf(TypedDict):
    of: str  # the canonical record's file name in the folder
    reason: str


class PolicyRecord(TypedDict):
    schema_version: str
    record_id: str
    source: Source
    text: str
    notice: Notice
    clauses: list[Clause]
    facts: Facts
    criteria: Criteria
    warnings: list[str]
    corrections: NotRequired[list[Correction]]
    duplicate_of: NotRequired[DuplicateOf]


# fact list in ``facts`` → the type of one entry, in the record's order (emails/urls are plain strings)
FACT_TYPES: dict[str, type] = {
    "service_years": ServiceYears,
    "requirements": Requirement,
    "deadlines": Deadline,
    "fees": Fee,
    "contacts": Contact,
}
# the keys every fact (and cited document) carries to say where it was read
EVIDENCE_KEYS: frozenset[str] = frozenset(Evidence.__annotations__)
