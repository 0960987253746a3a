"""Clause tree + text → facts. One module per fact kind; this module runs them in order.

Metadata goes first because every other extractor needs what it finds: the
notice's year and date resolve year-less dates, its city gives bare phone
numbers their area code, its issuers are the contacts' default office, its
signing-date lines are no deadlines. So the metadata builds the frozen
``Context`` once, and every fact extractor is a ``(ctx) -> facts`` function
in ``FACT_EXTRACTORS``, which ``extract`` and the test helpers both loop over.
A new fact kind is one module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pipeline.extract.contacts import extract_contacts, extract_emails, extract_urls
from pipeline.extract.context import Context
from pipeline.extract.deadlines import extract_deadlines
from pipeline.extract.fees import extract_fees
from pipeline.extract.notice import cited_documents, date_line_spans, extract_meta
from pipeline.extract.requirements import extract_requirements
from pipeline.extract.service_years import extract_service_years
from pipeline.types import Clause, Facts, NoticeMeta

# (Facts field, extractor), in the order they run: their warnings come out in this order
FACT_EXTRACTORS: tuple[tuple[str, Callable[[Context], list[Any]]], ...] = (
    ("service_years", extract_service_years),
    ("requirements", extract_requirements),
    ("deadlines", extract_deadlines),
    ("fees", extract_fees),
    ("contacts", extract_contacts),
    ("emails", extract_emails),
    ("urls", extract_urls),
)


def context(text: str, clauses: list[Clause], meta: NoticeMeta) -> Context:
    """The context every fact extractor reads: the notice's text as its metadata places it."""
    return Context.of(
        text,
        clauses,
        year=meta.year,
        issue_date=meta.issue_date,
        city=meta.city,
        issuers=meta.issuers,
        own_numbers=meta.doc_numbers,
        signing_spans=frozenset(date_line_spans(text)),
    )


def extract_facts(ctx: Context) -> Facts:
    """Every fact kind of the notice, each read by its extractor from the one context."""
    return Facts(**{name: extractor(ctx) for name, extractor in FACT_EXTRACTORS})


def extract(
    text: str, clauses: list[Clause], published: str | None = None
) -> tuple[NoticeMeta, Facts, list[str]]:
    """(notice metadata, facts, warnings) of one normalized notice."""
    meta = extract_meta(text, clauses, published)
    ctx = context(text, clauses, meta)
    meta = replace(meta, cited_documents=tuple(cited_documents(ctx)))
    return meta, extract_facts(ctx), ctx.warnings
