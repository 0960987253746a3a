"""Clause tree + text → facts. One module per fact kind; this module runs them in order.

Metadata goes first because later extractors need what it finds: the
notice's year and date resolve year-less dates, its city gives bare phone
numbers their area code.
"""

from __future__ import annotations

from pipeline import gazetteer
from pipeline.extract.contacts import extract_contacts, extract_emails, extract_urls
from pipeline.extract.context import Context
from pipeline.extract.deadlines import extract_deadlines
from pipeline.extract.fees import extract_fees
from pipeline.extract.notice import cited_documents, date_line_spans, extract_meta
from pipeline.extract.requirements import extract_requirements
from pipeline.extract.service_years import extract_service_years
from pipeline.segment import ClauseIndex
from pipeline.types import Clause, Facts, NoticeMeta


def extract(
    text: str, clauses: list[Clause], published: str | None = None
) -> tuple[NoticeMeta, Facts, list[str]]:
    """(notice metadata, facts, warnings) of one normalized notice."""
    ctx = Context(text=text, clauses=clauses, index=ClauseIndex(clauses))
    meta = extract_meta(ctx, published)
    ctx.year, ctx.issue_date, ctx.city = meta.year, meta.issue_date, meta.city
    ctx.area_code = gazetteer.area_code(meta.city)
    cited = cited_documents(ctx, list(meta.doc_numbers))
    meta = NoticeMeta(**{**meta.__dict__, "cited_documents": tuple(cited)})
    facts = Facts(
        service_years=extract_service_years(ctx),
        requirements=extract_requirements(ctx),
        deadlines=extract_deadlines(ctx, skip=date_line_spans(text)),
        fees=extract_fees(ctx),
        contacts=extract_contacts(ctx, meta.issuers),
        emails=extract_emails(text),
        urls=extract_urls(text, ctx.warnings),
    )
    if ctx.area_code is None and any(c.phone and not c.phone.startswith(("0", "1")) for c in facts.contacts):
        ctx.warn("a local phone number without area code, and the notice's city is unknown")
    return meta, facts, ctx.warnings
