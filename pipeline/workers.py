"""Each file read in a worker process the batch can kill: a time and a memory budget per file.

A hostile or huge file must not stop a batch of thousands, and no budget set inside the
process that reads it is reliable (a signal handler waits for C code to return to Python; a
limit on address space also refuses the arenas onnxruntime reserves and never touches). So the
parent watches: it hands each worker a file to read (and the next, waiting in its pipe, so the
worker never idles while the parent writes), and kills a worker whose file has run past
``--timeout-per-file`` (counted from when the worker starts on it) or whose resident memory has
grown past ``--memory-per-file``, reports that file as failed with the reason, and starts a
fresh worker for the rest. A worker that dies on its own (a crash in native code, the kernel's
OOM killer) is reported the same way.
Results come back in input order, so ``--jobs 4`` writes exactly what ``--jobs 1`` writes.
``Solo`` is the same watch over one file at a time, for a caller that is itself a worker (a Ray
task, ``pipeline.ray_exec``): the file comes as bytes, the budgets are kept on the machine reading it.
It also reads one scanned page of a file (a ``PageJob``, ``load.scanned``) under the file's budgets.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import IngestError

if TYPE_CHECKING:  # multiprocessing, ctypes, the loaders and the duplicate sketch are imported where
    # a batch runs: the CLI imports this module for its defaults, ``ingest --help`` need not pay for them
    from multiprocessing.connection import Connection

    from pipeline.duplicates import Sketch

DEFAULT_TIMEOUT_S = 600.0  # a scanned PDF is OCR'd at 5-10 s a page: long scans must pass
DEFAULT_MEMORY_MB = 3072  # OCR of a scan, a page per core at once, peaks near 600 MB
_POLL_S = 0.1  # how often a busy worker's memory is looked at
_DEPTH = 2  # files handed to a worker at a time: one being read, one waiting
_PR_SET_PDEATHSIG = 1  # prctl(2)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Input:
    """A file to ingest: its path as given, its path relative to the folder given on the command
    line (a file given directly: its name; this names the record), or why it cannot be read."""

    path: str
    relative: str
    error: IngestError | None = None


@dataclass(frozen=True)
class Limits:
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB  # 0: no limit

    def allow_more_than(self, used: dict[str, Any]) -> bool:
        """Whether these limits are more generous than the ones ``used`` when a file overran them."""
        memory = used.get("memory_mb") or 0
        return self.timeout_s > float(used.get("timeout_s") or 0) or (
            memory > 0 and (self.memory_mb == 0 or self.memory_mb > memory)
        )


@dataclass(frozen=True)
class Job:
    """A file sent as its bytes, to a worker that may not have it: ``path`` as given (it names the
    file in errors), ``source`` the record's ``source.path`` (``record.source_path``), worked out
    where the file is."""

    path: str
    data: bytes
    source: str
    # a notice with attachments (``bundles``): its bundle, each attachment as (path as given,
    # bytes, or None and why it could not be read), and the manifest key over all its files
    bundle: Any = None
    attachments: tuple[tuple[str, bytes | None, str], ...] = ()
    key: str | None = None
    # where the scans of the notice and its attachments are OCR'd: None here (as ``--jobs``), else
    # ``load.scanned``'s passes
    pages: Any = None

    def manifest_key(self) -> str:
        """The key its outcome is kept under, failed or not: the bundle's over all its files, else
        the notice's sha256 (``file_sha256`` where the file is)."""
        return self.key or hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class PageJob:
    """One scanned page sent as its document's bytes: page ``page`` (0-based) of loader ``kind``.
    ``path`` is the file of the batch (it names it in errors, as reading it whole would); ``data``
    is its own bytes or, for a page of one of its attachments, that attachment's."""

    path: str
    data: bytes
    kind: str
    page: int


@dataclass(frozen=True)
class Unsplit:
    """A page that could not be read apart from its file (a render or decode error, a pipeline bug):
    the file is then read whole, so its error line is the one ``--jobs`` gives."""

    why: str


@dataclass(frozen=True)
class Outcome:
    """What one file gave: a record's JSON text, or the error line (``limited``: a budget ran out).
    ``sketch`` is what the duplicate pass needs of the record, computed here beside it so that the
    driver, which runs that pass alone after the batch, neither reads the record nor hashes its text."""

    path: str
    sha256: str | None
    content: str | None
    facts: int
    warnings: int
    error: str | None
    limited: bool = False
    sketch: Sketch | None = None
    # ``load.scanned.Scans`` of each part of the notice: the record waits for these pages, OCR'd
    # elsewhere; ``kept``: the pages the reading OCR'd itself meanwhile, (part, index) -> reading
    scans: Any = None
    kept: Any = None


def file_sha256(path: str) -> str | None:
    """The manifest's key of a file: its sha256, or for a notice with attachments one hash over
    all its files (``bundles.digest``), so a changed attachment re-ingests the notice."""
    from pipeline import bundles
    from pipeline.load.limits import MAX_BYTES

    try:
        if Path(path).stat().st_size > MAX_BYTES:  # refused unread by the loader; no hash to key it by
            return None
        return bundles.digest(path, hashlib.sha256(Path(path).read_bytes()).hexdigest())
    except OSError:
        return None


def _sketch(record: dict[str, Any]) -> Sketch:
    from pipeline.duplicates import sketch

    return sketch(record)


def process(path: str) -> Outcome:
    """Ingest one file; every failure comes back as data, not as an exception."""
    from pipeline import bundles
    from pipeline.ingest import ingest_file
    from pipeline.store import dumps

    try:
        record = ingest_file(path)
    except IngestError as exc:
        exc.path = exc.path or path
        return Outcome(path, file_sha256(path), None, 0, 0, exc.line())
    except MemoryError:
        return Outcome(path, file_sha256(path), None, 0, 0, f"error: {path}: ran out of memory", limited=True)
    except Exception as exc:  # a pipeline bug must not stop the batch: reported like any failure
        line = f"error: {path}: internal error ({type(exc).__name__}: {exc})"
        return Outcome(path, file_sha256(path), None, 0, 0, line)
    n_facts = sum(len(v) for k, v in record["facts"].items() if k not in {"emails", "urls"})
    key = bundles.digest(path, record["source"]["sha256"]) if record["source"].get("attachments") else None
    sha = key or record["source"]["sha256"]
    return Outcome(path, sha, dumps(record), n_facts, len(record["warnings"]), None, sketch=_sketch(record))


def process_bytes(job: Job) -> Outcome:
    """``process`` for a file sent as its bytes: the same outcome, the file never opened."""
    from pipeline.ingest import ingest_bytes
    from pipeline.load.scanned import NeedsOcr
    from pipeline.store import dumps

    kill_for_tests(job.path)
    sha = job.manifest_key()
    try:
        record = ingest_bytes(job.data, job.path, job.source, job.bundle, job.attachments, job.pages)
    except NeedsOcr as wait:
        return Outcome(job.path, sha, None, 0, 0, None, scans=wait.scans, kept=wait.kept)
    except IngestError as exc:
        exc.path = exc.path or job.path
        return Outcome(job.path, sha, None, 0, 0, exc.line())
    except MemoryError:
        return Outcome(job.path, sha, None, 0, 0, f"error: {job.path}: ran out of memory", limited=True)
    except Exception as exc:
        return Outcome(
            job.path, sha, None, 0, 0, f"error: {job.path}: internal error ({type(exc).__name__}: {exc})"
        )
    n_facts = sum(len(v) for k, v in record["facts"].items() if k not in {"emails", "urls"})
    return Outcome(
        job.path, sha, dumps(record), n_facts, len(record["warnings"]), None, sketch=_sketch(record)
    )


def process_page(job: PageJob) -> Any:
    """One scanned page read (``load.scanned.ScannedPage``), or ``Unsplit`` when it cannot be."""
    from pipeline.load import scanned

    kill_for_tests(job.path, "page-")
    try:
        return scanned.read_page(job.kind, job.data, job.page)
    except MemoryError:
        line = f"error: {job.path}: ran out of memory"
        return Outcome(job.path, hashlib.sha256(job.data).hexdigest(), None, 0, 0, line, limited=True)
    except Exception as exc:  # an IngestError too: the whole file's reading says it as --jobs does
        return Unsplit(f"{type(exc).__name__}: {exc}")


# tests only: a folder D where ``D/<file name>.<kind>once`` (taken away as it strikes) or
# ``D/<file name>.<kind>always`` kills the process reading that file as the kernel's OOM killer
# would (kind "": the reading process, "ray-": the Ray worker above it; "page-", "ray-page-": the
# same for a page of the file; tests/test_ray.py)
TEST_KILL_ENV = "PIPELINE_TEST_KILL_DIR"


def kill_for_tests(path: str, kind: str = "") -> None:
    folder = os.environ.get(TEST_KILL_ENV)
    if not folder:
        return
    mark = f"{Path(folder) / Path(path).name}.{kind}"
    if not Path(mark + "always").exists():
        try:
            Path(mark + "once").unlink()
        except FileNotFoundError:
            return
    os.kill(os.getpid(), signal.SIGKILL)


def _die_with(parent: int) -> None:
    """A worker outlives no parent killed with SIGKILL (Linux): it would go on holding what it
    inherited, a Ray worker's connections among them, and Ray would never see that worker die."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before that took hold
        os._exit(0)


def _serve(conn: Connection, parent_end: Connection, parent: int) -> None:
    _die_with(parent)
    parent_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        if isinstance(task, str):
            conn.send(process(task))
        elif isinstance(task, PageJob):
            conn.send(process_page(task))
        else:
            conn.send(process_bytes(task))


class _Worker:
    """One worker process and the files handed to it: the first is being read (since
    ``started``), the next waits in the pipe so the worker never idles while the parent writes."""

    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, self.conn, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.tasks: deque[tuple[int, str | Job | PageJob]] = deque()
        self.started = 0.0

    def give(self, index: int, task: str | Job | PageJob) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append((index, task))
        # a worker that died on the file before this one refuses it (BrokenPipeError): its pipe
        # then reads as closed, that file is reported, and this one goes back to the queue
        with contextlib.suppress(OSError):
            self.conn.send(task)

    def finished(self) -> tuple[int, str | Job | PageJob]:
        """The file being read is done: the next one (already sent) starts now."""
        self.started = time.monotonic()
        return self.tasks.popleft()

    def rss_mb(self) -> float:
        try:
            with open(f"/proc/{self.proc.pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * _PAGE / (1024 * 1024)
        except (OSError, ValueError, IndexError):
            return 0.0  # no /proc (not Linux): no memory budget

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class Solo:
    """One worker process kept from file to file, for a caller that reads one file at a time (a Ray
    task): the budgets of ``outcomes``, counted on the machine that reads the file."""

    def __init__(self) -> None:
        self.worker: _Worker | None = None

    def read(self, job: Job | PageJob, limits: Limits) -> tuple[Any, bool]:
        """The file's outcome (a page job: its ``ScannedPage``, ``Unsplit`` or failed ``Outcome``),
        and whether its worker died on it (rather than being stopped for a budget): the Ray
        executor then tries it again."""
        if self.worker is None:
            # the worker is forked warm: the pipeline and numpy (for the records' duplicate sketches)
            import multiprocessing

            import pipeline.ingest
            import pipeline.minhash  # noqa: F401

            self.worker = _Worker(multiprocessing.get_context("fork"))
        w = self.worker
        w.give(0, job)
        outcome: Any = None
        fresh = False
        while outcome is None:
            wait_s = max(0.0, w.started + limits.timeout_s - time.monotonic())
            ready = _wait([w.conn], timeout=min(wait_s, _POLL_S) if limits.memory_mb else wait_s)
            outcome, fresh = _check(w, bool(ready), limits)
        w.finished()
        if fresh:
            w.stop()
            self.worker = None
        return outcome, fresh and not (isinstance(outcome, Outcome) and outcome.limited)


def _wait(conns: list[Connection], timeout: float) -> list[Any]:
    from multiprocessing.connection import wait

    return wait(conns, timeout=timeout)


def _died(proc: Any) -> str:
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            return f"the worker reading it was killed ({signal.Signals(-code).name})"
        except ValueError:
            pass
    return f"the worker reading it stopped (exit status {code})"


def outcomes(paths: list[str], jobs: int, limits: Limits) -> Generator[Outcome, None, None]:
    """Ingest ``paths`` in ``jobs`` worker processes; outcomes in input order."""
    if not paths:
        return
    # imported once here, so every forked worker starts warm (numpy: the records' duplicate sketches)
    import multiprocessing

    import pipeline.ingest
    import pipeline.minhash  # noqa: F401

    ctx = multiprocessing.get_context("fork")
    pending: deque[tuple[int, str | Job | PageJob]] = deque(enumerate(paths))
    done: dict[int, Outcome] = {}
    workers = [_Worker(ctx) for _ in range(max(1, min(jobs, len(paths))))]
    following = 0
    try:
        while following < len(paths):
            for w in workers:
                while len(w.tasks) < _DEPTH and pending:
                    w.give(*pending.popleft())
            busy = [w for w in workers if w.tasks]
            now = time.monotonic()
            wait_s = max(0.0, min(w.started + limits.timeout_s - now for w in busy))
            if limits.memory_mb:
                wait_s = min(wait_s, _POLL_S)
            ready = _wait([w.conn for w in busy], timeout=wait_s)
            for i, w in enumerate(workers):
                if not w.tasks:
                    continue
                outcome, fresh = _check(w, w.conn in ready, limits)
                if outcome is None:
                    continue
                index, _ = w.finished()
                done[index] = outcome
                if fresh:  # the files it still held go to the front of the queue, in order
                    pending.extendleft(reversed(w.tasks))
                    w.stop()
                    workers[i] = _Worker(ctx)
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        for w in workers:
            w.stop()


def _check(w: _Worker, ready: bool, limits: Limits) -> tuple[Any, bool]:
    """The outcome of the file a worker is reading, if it has one now, and whether the worker
    must be replaced (it died, ran out of time or memory, or saw a MemoryError)."""
    task = w.tasks[0][1]
    if ready:
        try:
            outcome = w.conn.recv()
        except (EOFError, OSError):
            w.proc.join()
            return _failed(task, _died(w.proc), limited=False), True
        if isinstance(outcome, Outcome) and outcome.limited:  # after a MemoryError the heap is suspect
            if limits.memory_mb:
                outcome = _failed(task, f"ran out of memory (limit {limits.memory_mb} MB)")
            return outcome, True
        return outcome, False
    if time.monotonic() - w.started >= limits.timeout_s:
        return _failed(task, f"took longer than {limits.timeout_s:g} s (--timeout-per-file)"), True
    if limits.memory_mb and w.rss_mb() > limits.memory_mb:
        return _failed(task, f"ran out of memory (limit {limits.memory_mb} MB)"), True
    return None, False


def _failed(task: str | Job | PageJob, why: str, *, limited: bool = True) -> Outcome:
    if isinstance(task, str):
        return Outcome(task, file_sha256(task), None, 0, 0, f"error: {task}: {why}", limited=limited)
    # a page's failure is its file's: the driver keeps it under the file's key
    sha = task.manifest_key() if isinstance(task, Job) else hashlib.sha256(task.data).hexdigest()
    return Outcome(task.path, sha, None, 0, 0, f"error: {task.path}: {why}", limited=limited)
