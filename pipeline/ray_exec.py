"""``--executor ray``: each file read by a Ray task, a long scan's pages OCR'd by a task each.

- No shared filesystem: the driver (the machine running ``ingest``) reads each file and sends its
  bytes, its path as given and its record's ``source.path``; the task sends back the outcome,
  the record's JSON text or the error line. The driver keeps the folder, as with local workers.
- Scans page by page: a file whose first reading finds two or more pages to OCR (a scanned PDF,
  a multi-page TIFF, an OFD of scans; ``load.scanned``) answers with their numbers instead of a
  record. The driver puts the file's bytes in Ray's object store once and sends one task per page (render,
  ``scan_clean``, OCR: the loader's own code, so the same reading); when the last page is back,
  one more task reads the file again with the pages given and builds the record (layout,
  warnings, extraction: the loader's own order). A 300-page scan is then 300 tasks over the
  cluster, not one task holding one core for 20 minutes. A notice with attachments
  (``Job.attachments``) answers with the pages of each of its parts (the notice, attachment k)
  that has two or more; each such part's bytes go to the object store once and its pages are
  page tasks like the notice's, so a 附件 that is a 60-page scan is not one long task either.
  The pages the first reading OCR'd itself (a part with one) come back with it and are given
  to the last. A page that cannot be read on its own (a render error) has the file read whole,
  so its error line (or its attachment's warning) is the one ``--jobs`` gives.
- Why the driver fans the pages out rather than the file task (nested tasks waiting in
  ``ray.get``): no deadlock either way (Ray gives back the CPU of a task blocked in ``ray.get``,
  "Yielding Resources While Blocked" in Ray's nested-tasks page), but the file is read in a
  forked process (``workers.Solo``), which is no Ray worker and cannot submit tasks, so its Ray
  worker would have to relay; each waiting parent keeps a worker process, its reading process
  and the open PDF while Ray starts more workers for the CPUs it gave back (Ray's own
  anti-pattern page says as much); and a parent that dies loses every page it held. Here every
  task is bytes in, result out, retried alone (a lost page costs a page), nothing waits on
  anything, and the driver's loop stays the one place that knows what is in flight. The price:
  the text layer is read twice (first and last reading), milliseconds a page against seconds
  of OCR, and the record waits for one more short task. Measured (``bench/ray_pages.py``, the
  7-page seed scan, 2 Ray CPUs on this 2-core machine): 1.88× faster than one task per file
  with the cores nearly free (11.5 s against 21.7 s, the same CPU time), even (0.93–0.97×) when
  other sessions already saturate both cores; −1 to +12 % CPU across runs.
- Same records: a worker machine must have the same checkout installed; a task (file or page)
  compares its pipeline's fingerprint with the driver's and refuses when they differ.
- The same budgets: a task reads in a process it watches (``workers.Solo``), so
  ``--timeout-per-file`` and ``--memory-per-file`` are kept on the machine reading and reported
  as with local workers. A file's pages are each held to the file's budgets (so are its first
  and last readings): a scan whose pages together take longer than the budget passes when they
  are spread over the cluster, and no one page may take longer than a whole file could.
- Tried again: a task whose Ray worker dies (a node lost) is run again by Ray (``max_retries``);
  a task whose reading process dies (a crash in native code, the kernel's OOM killer) is sent
  again by the driver, to any node. Three tries in all; a file (or one of its pages) that kills
  its reader on every try is reported failed with the reason, and the batch goes on. A file over
  its time or memory budget is not tried again (as with local workers: a bigger budget next run
  tries it again).
- Bounded: at most two tasks per CPU of the cluster are in flight, a waiting page before a new
  file, so a folder of thousands of scans is never all in the object store at once; outcomes are
  handed on in input order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import socket
from collections import Counter, deque
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from pipeline import bundles
from pipeline.errors import IngestError
from pipeline.fingerprint import fingerprint
from pipeline.load import read_input
from pipeline.load.scanned import Elsewhere, Page, ScannedPage, Scans
from pipeline.record import source_path
from pipeline.workers import Job, Limits, Outcome, PageJob, Solo, Unsplit, file_sha256, kill_for_tests

TRIES = 3  # a file (or page) whose reading process (or Ray worker) dies is read three times at most
_PER_CPU = 2  # tasks in flight per CPU: one being run, one waiting

_solo = Solo()  # per Ray worker process: its reading process, kept from task to task


def _read(job: Job, limits: Limits, version: str) -> tuple[Outcome, bool]:
    """The Ray file task: one file's outcome (or the scans it waits for), read under the file's
    budgets, and whether the process reading it died (the driver then sends it again)."""
    kill_for_tests(job.path, "ray-")
    if fingerprint() != version:
        return _refused(job.path, job.manifest_key(), version), False
    outcome, died = _solo.read(job, limits)
    return outcome, died


def _page(
    path: str, data: bytes, kind: str, page: int, limits: Limits, version: str
) -> tuple[Any, bool, str]:
    """The Ray page task: one scanned page of a file (``ScannedPage``, ``Unsplit`` or the file's
    failed ``Outcome``) read under the file's budgets, whether the reading process died, and the
    node that read it."""
    import ray

    node = str(ray.get_runtime_context().get_node_id())
    kill_for_tests(path, "ray-page-")
    if fingerprint() != version:
        return _refused(path, hashlib.sha256(data).hexdigest(), version), False, node
    result, died = _solo.read(PageJob(path, data, kind, page), limits)
    return result, died, node


def _refused(path: str, key: str, version: str) -> Outcome:
    why = f"the Ray worker on {os.uname().nodename} runs another version of the pipeline ({fingerprint()}, not {version})"
    return Outcome(path, key, None, 0, 0, f"error: {path}: {why}")


class RayExecutor:
    """Ray tasks on the cluster at ``address`` (``auto``: the one ``ray start`` began on this
    machine), or on a Ray started for the run with ``cpus`` CPUs (default: one per core) when
    there is no address; a Ray already initialised in this process (a notebook, the tests) is used
    as it is. ``split``: a long scan's pages OCR'd one task each (off: one task per file, as
    before; the bench compares the two)."""

    def __init__(self, address: str | None = None, cpus: int | None = None, *, split: bool = True) -> None:
        self.address = address
        self.cpus = cpus
        self.split = split
        self.page_nodes: Counter[str] = Counter()  # Ray node id -> scanned pages it read

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
        # Ray runs a task again when its worker dies (a node lost); the driver sends a task again
        # when the process reading it dies, so the reason is known when the last try fails too
        read_task = ray.remote(max_retries=TRIES - 1, num_cpus=1)(_read)
        page_task = ray.remote(max_retries=TRIES - 1, num_cpus=1)(_page)
        version = fingerprint()
        room = _PER_CPU * max(1, int(ray.cluster_resources().get("CPU", 1)))
        pending = iter(enumerate(paths))
        waiting: deque[_Sent] = deque()  # page tasks not sent yet, earlier files' first
        running: dict[Any, _Sent] = {}
        done: dict[int, Outcome] = {}
        following = 0

        def send(sent: _Sent) -> None:
            f = sent.file
            if sent.job is not None:
                running[read_task.remote(sent.job, limits, version)] = sent
            else:
                assert sent.scans is not None
                data = f.data[sent.scans.part]
                running[page_task.remote(f.path, data, sent.scans.kind, sent.page, limits, version)] = sent

        def stop(f: _File, phase: str) -> None:
            """The file leaves the page phase: what it still has running is stopped."""
            f.phase, f.data = phase, {}  # its bytes leave the object store
            for ref in [r for r, s in running.items() if s.file is f]:
                ray.cancel(ref, force=True)
                del running[ref]

        def file_back(ref: Any, sent: _Sent) -> None:
            """A reading of a file came back: its outcome, or its scans to OCR page by page."""
            f = sent.file
            outcome, died = _received(ray, ref, f)
            if died and sent.tries < TRIES:
                send(sent)
            elif outcome.scans is not None and not died:
                f.phase, f.scans, f.read = "pages", outcome.scans, dict(outcome.kept)
                # once per part: a node fetches a document once for all its pages
                f.data = {s.part: ray.put(_part_bytes(f.job, s.part)) for s in f.scans}
                waiting.extend(_Sent(f, None, s, page) for s in f.scans for page in s.pages)
            else:
                f.phase = "done"
                done[f.index] = _last(outcome, sent.tries) if died else outcome

        def page_back(ref: Any, sent: _Sent) -> None:
            """A page came back: kept, sent again, or the file's failure; the file's last reading
            starts once its last page is in."""
            f = sent.file
            try:
                result, died, node = ray.get(ref)
            except ray.exceptions.RayError as exc:
                stop(f, "done")
                done[f.index] = _lost(ray, exc, f)
                return
            if isinstance(result, ScannedPage):
                assert sent.scans is not None
                f.read[sent.scans.part, sent.page] = result
                self.page_nodes[node] += 1
                if f.complete():
                    f.phase, f.data = "last", {}
                    send(_Sent(f, dataclasses.replace(f.job, pages=Elsewhere(dict(f.read)))))
            elif isinstance(result, Unsplit):  # read whole, as --jobs would, for its error line
                stop(f, "whole")
                send(_Sent(f, f.job))
            elif died and sent.tries < TRIES:
                send(sent)
            else:
                stop(f, "done")
                result = dataclasses.replace(result, sha256=f.sha256)  # the page task knows no bundle key
                done[f.index] = _last(result, sent.tries) if died else result

        first = Elsewhere() if self.split else None
        try:
            while following < len(paths):
                while len(running) < room:
                    if waiting:
                        if (sent := waiting.popleft()).file.phase == "pages":
                            send(sent)
                        continue
                    if (nxt := next(pending, None)) is None:
                        break
                    job = _job(nxt[1])
                    if isinstance(job, Outcome):
                        done[nxt[0]] = job
                        continue
                    f = _File(nxt[0], job.path, job.manifest_key(), job)
                    send(_Sent(f, dataclasses.replace(job, pages=first)))
                if running:
                    [ref], _ = ray.wait(list(running), num_returns=1)
                    sent = running.pop(ref)
                    sent.tries += 1
                    if sent.job is not None:
                        file_back(ref, sent)
                    elif sent.file.phase == "pages":
                        page_back(ref, sent)
                while following in done:
                    yield done.pop(following)
                    following += 1
        finally:
            for ref in running:  # the batch stopped early (a full disk, Ctrl-C): nothing left running
                ray.cancel(ref, force=True)


@dataclass
class _File:
    """A file of the batch being read: what was sent, and where its reading is. ``phase``:
    ``read`` (its first reading, a long scan's pages left for later), ``pages`` (those pages
    being OCR'd, a task each), ``last`` (the reading that builds the record from them), ``whole``
    (read in one task, a page having failed on its own), ``done``. A notice with attachments
    has parts (0: the notice, k: ``job.attachments[k-1]``), each with scans of its own."""

    index: int
    path: str
    sha256: str
    job: Job  # kept to send it again without reading the file again
    phase: str = "read"
    scans: tuple[Scans, ...] = ()
    data: dict[int, Any] = field(default_factory=dict)  # part -> its bytes in Ray's object store
    # (part, page) -> reading: the first reading's own (a part below MIN_PAGES), then the page tasks'
    read: dict[Page, ScannedPage] = field(default_factory=dict)

    def complete(self) -> bool:
        """Whether every page of its scans is read, so its last reading can start."""
        return all((s.part, page) in self.read for s in self.scans for page in s.pages)


@dataclass
class _Sent:
    """A task in flight: the file it is for, its job (None: page ``page`` of ``scans``, one
    part's), its tries."""

    file: _File
    job: Job | None
    scans: Scans | None = None
    page: int = -1
    tries: int = 0


def _part_bytes(job: Job, part: int) -> bytes:
    """The bytes of part ``part`` of a file: the notice's own, or its attachment's."""
    if part == 0:
        return job.data
    data = job.attachments[part - 1][1]
    assert data is not None  # an attachment the driver could not read has no scans
    return data


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


def _received(ray: Any, ref: Any, f: _File) -> tuple[Outcome, bool]:
    try:
        result: tuple[Outcome, bool] = ray.get(ref)
    except ray.exceptions.RayError as exc:
        return _lost(ray, exc, f), False
    return result


def _lost(ray: Any, exc: Exception, f: _File) -> Outcome:
    """The file's outcome when Ray could not run one of its tasks."""
    if isinstance(exc, ray.exceptions.WorkerCrashedError):  # Ray ran it TRIES times: not tried again
        line = f"error: {f.path}: the Ray worker reading it died on each of {TRIES} tries"
    else:  # a node lost for good, Ray's memory monitor, a pipeline bug
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        line = f"error: {f.path}: Ray could not read it ({type(exc).__name__}: {first})"
    return Outcome(f.path, f.sha256, None, 0, 0, line)
