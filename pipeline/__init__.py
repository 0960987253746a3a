"""Professional-title (职称评审) notices → validated JSON policy records.

``from pipeline import load_records`` gives the records as pandas tables; it is
resolved lazily (PEP 562) so that ``import pipeline`` — and so ``ingest`` —
never pays for pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_records"]


def __getattr__(name: str) -> Any:
    if name == "load_records":
        from pipeline.query.tables import load_records

        return load_records
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
