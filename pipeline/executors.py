"""Who reads the files of a batch: worker processes on this machine, or tasks on a Ray cluster.

The batch (``pipeline.batch``) owns the folder: the manifest, the record writes, the progress
and the summary. An executor only turns paths into outcomes, one per path and in input order,
so every executor writes what ``--jobs 1`` writes. Ray is imported only by ``--executor ray``.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Generator
from dataclasses import dataclass
from typing import Protocol

from pipeline.errors import MissingTool
from pipeline.workers import Limits, Outcome, outcomes

EXECUTORS = ("local", "ray")


class Executor(Protocol):
    def outcomes(self, paths: list[str], limits: Limits) -> Generator[Outcome, None, None]:
        """One outcome per path, in the order of ``paths`` (a generator the batch may close early)."""
        ...


@dataclass(frozen=True)
class Local:
    """``jobs`` worker processes on this machine (default: one per core), ``pipeline.workers``."""

    jobs: int | None = None

    def outcomes(self, paths: list[str], limits: Limits) -> Generator[Outcome, None, None]:
        return outcomes(paths, self.jobs or os.cpu_count() or 1, limits)


def make(name: str, *, jobs: int | None = None, address: str | None = None) -> Executor:
    """The executor ``--executor NAME`` stands for; raises ``MissingTool`` when Ray is not installed."""
    if name == "local":
        return Local(jobs)
    if importlib.util.find_spec("ray") is None:
        raise MissingTool("--executor ray needs Ray: pip install -e '.[ray]' (or make setup)")
    from pipeline.ray_exec import RayExecutor

    return RayExecutor(address=address, cpus=jobs)
