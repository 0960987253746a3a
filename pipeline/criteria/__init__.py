"""Who may apply: the notice's conditions as a tree (build) and an applicant's check against it."""

from pipeline.criteria.build import build_criteria

__all__ = ["build_criteria"]
