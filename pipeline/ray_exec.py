"""``--executor ray``: each file read by a Ray task, on a cluster or on a Ray started for the run.

- No shared filesystem: the driver (the machine running ``ingest``) reads each file and sends its
  bytes, its path as given and its record's ``source.path``; the task sends back the outcome,
  the record's JSON text or the error line. The driver keeps the folder, as with local workers.
- Same records: a worker machine must have the same checkout installed; a task compares its
  pipeline's fingerprint with the driver's and refuses the file when they differ.
- The same budgets: a task reads its file in a process it watches (``workers.Solo``), so
  ``--timeout-per-file`` and ``--memory-per-file`` are kept on the machine reading the file and
  reported as with local workers.
- Tried again: a task whose Ray worker dies (a node lost) is run again by Ray (``max_retries``);
  a file whose reading process dies (a crash in native code, the kernel's OOM killer) is sent
  again by the driver, to any node. Three tries in all; a file that kills its reader on every
  try is reported failed with the reason, and the batch goes on. A file over its time or memory
  budget is not tried again (as with local workers: a bigger budget next run tries it again).
- Bounded: at most two files per CPU of the cluster are in flight, so a folder of thousands of
  scans is never all in the object store at once; outcomes are handed on in input order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import socket
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from pipeline import bundles
from pipeline.errors import IngestError
from pipeline.fingerprint import fingerprint
from pipeline.load import read_input
from pipeline.record import source_path
from pipeline.workers import Job, Limits, Outcome, Solo, file_sha256, kill_for_tests

TRIES = 3  # a file whose reading process (or Ray worker) dies is read three times at most
_PER_CPU = 2  # files in flight per CPU: one being read, one waiting

_solo = Solo()  # per Ray worker process: its reading process, kept from file to file


def _read(job: Job, limits: Limits, version: str) -> tuple[Outcome, bool]:
    """The Ray task: one file's outcome, read under the file's budgets, and whether the process
    reading it died (the driver then sends it again)."""
    kill_for_tests(job.path, "ray-")
    if fingerprint() != version:
        why = f"the Ray worker on {os.uname().nodename} runs another version of the pipeline ({fingerprint()}, not {version})"
        sha = hashlib.sha256(job.data).hexdigest()
        return Outcome(job.path, sha, None, 0, 0, f"error: {job.path}: {why}"), False
    return _solo.read(job, limits)


class RayExecutor:
    """Ray tasks on the cluster at ``address`` (``auto``: the one ``ray start`` began on this
    machine), or on a Ray started for the run with ``cpus`` CPUs (default: one per core) when
    there is no address; a Ray already initialised in this process (a notebook, the tests) is used
    as it is."""

    def __init__(self, address: str | None = None, cpus: int | None = None) -> None:
        self.address = address
        self.cpus = cpus

    def outcomes(self, paths: list[str], limits: Limits) -> Generator[Outcome, None, None]:
        if not paths:
            return  # nothing to read: no Ray started
        import ray

        started = self._connect(ray)
        try:
            yield from self._run(ray, paths, limits)
        finally:
            if started:
                ray.shutdown()

    def _connect(self, ray: Any) -> bool:
        """Whether this run started (or joined) Ray and so must shut it down."""
        if ray.is_initialized():
            return False
        quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
        if self.address is None:
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # a Ray of our own reports to no one
            cpus = self.cpus or os.cpu_count() or 1
            ray.init(address="local", num_cpus=cpus, include_dashboard=False, **quiet)
            return True
        _reachable(self.address, _resolved(ray, self.address))
        try:
            ray.init(address=self.address, **quiet)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise IngestError(f"--address {self.address}: no Ray cluster to join ({first})") from None
        return True

    def _run(self, ray: Any, paths: list[str], limits: Limits) -> Generator[Outcome, None, None]:
        # Ray runs a task again when its worker dies (a node lost); the driver sends a file again
        # when the process reading it dies, so the reason is known when the last try fails too
        task = ray.remote(max_retries=TRIES - 1, num_cpus=1)(_read)
        version = fingerprint()
        room = _PER_CPU * max(1, int(ray.cluster_resources().get("CPU", 1)))
        pending = iter(enumerate(paths))
        running: dict[Any, _Sent] = {}
        done: dict[int, Outcome] = {}
        following = 0
        try:
            while following < len(paths):
                while len(running) < room and (nxt := next(pending, None)) is not None:
                    job = _job(nxt[1])
                    if isinstance(job, Outcome):
                        done[nxt[0]] = job
                        continue
                    sent = _Sent(nxt[0], job.path, hashlib.sha256(job.data).hexdigest(), job)
                    running[task.remote(sent.job, limits, version)] = sent
                if running:
                    [ref], _ = ray.wait(list(running), num_returns=1)
                    sent = running.pop(ref)
                    outcome, died = _received(ray, ref, sent)
                    sent.tries += 1
                    if died and sent.tries < TRIES:
                        running[task.remote(sent.job, limits, version)] = sent
                    else:
                        done[sent.index] = _last(outcome, sent.tries) if died else outcome
                while following in done:
                    yield done.pop(following)
                    following += 1
        finally:
            for ref in running:  # the batch stopped early (a full disk, Ctrl-C): nothing left running
                ray.cancel(ref, force=True)


@dataclass
class _Sent:
    """A file in flight: where its outcome goes, what was sent, how often it was read."""

    index: int
    path: str
    sha256: str
    job: Job  # kept to send it again without reading the file again
    tries: int = 0


def _last(outcome: Outcome, tries: int) -> Outcome:
    return dataclasses.replace(outcome, error=f"{outcome.error}, on each of {tries} tries")


def _resolved(ray: Any, address: str) -> str:
    """``auto`` as the HOST:PORT of the cluster ``ray start`` left on this machine (Ray's own lookup,
    where this Ray version has it), so a cluster since stopped is said at once too."""
    if address != "auto":
        return address
    try:
        return ray._private.services.canonicalize_bootstrap_address(address) or address
    except Exception:  # a private helper: when it moved or fails, ray.init says what it finds
        return address


def _reachable(given: str, address: str) -> None:
    """A HOST:PORT nothing listens on is said in a second, not after Ray's minute of retries."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or "/" in address:
        return  # auto, ray://…: Ray's to resolve
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        shown = given if given == address else f"{given} ({address})"
        raise IngestError(
            f"--address {shown}: no Ray cluster to join ({why[:1].lower() + why[1:]})"
        ) from None


def _job(path: str) -> Job | Outcome:
    """The file as a task gets it, or its outcome when it cannot be read here (the error line a
    local worker gives: no such file, too large, empty)."""
    try:
        data = read_input(path)
    except IngestError as exc:
        return Outcome(path, file_sha256(path), None, 0, 0, exc.line())
    bundle = bundles.bundle_of(path)
    if bundle is None:
        return Job(path, data, source_path(path))
    return Job(
        path,
        data,
        source_path(path),
        bundle,
        tuple(_attachment(str(p)) for p in bundle.attachments),
        file_sha256(path),
    )


def _attachment(path: str) -> tuple[str, bytes | None, str]:
    """An attachment as a task gets it: its bytes, or None and why it cannot be read here."""
    try:
        return path, read_input(path), ""
    except IngestError as exc:
        return path, None, exc.reason


def _received(ray: Any, ref: Any, sent: _Sent) -> tuple[Outcome, bool]:
    path = sent.path
    try:
        result: tuple[Outcome, bool] = ray.get(ref)
    except ray.exceptions.WorkerCrashedError:  # Ray ran it TRIES times: the file is not tried again
        line = f"error: {path}: the Ray worker reading it died on each of {TRIES} tries"
        return Outcome(path, sent.sha256, None, 0, 0, line), False
    except ray.exceptions.RayError as exc:  # a node lost for good, Ray's memory monitor, a pipeline bug
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        line = f"error: {path}: Ray could not read it ({type(exc).__name__}: {first})"
        return Outcome(path, sent.sha256, None, 0, 0, line), False
    return result
