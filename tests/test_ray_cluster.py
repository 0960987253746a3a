"""``--address HOST:PORT`` against a real two-node Ray on this machine: a head started with
``ray start --head`` and a second raylet joined to it (a second "machine", 1 CPU each), the
driver a separate process naming the head by HOST:PORT. A scanned PDF's pages are OCR'd on both
nodes, and the records are those of ``--jobs 1``."""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import RAW, ROOT

SCAN = ROOT / "tests/fixtures/formats/004_44f96866d5556162.scan.pdf"
PAGES = 3  # of its 5 scanned pages: enough for both nodes, few enough for a minute's test
RAY = Path(sys.executable).with_name("ray")

# the driver: ``ingest … --executor ray --address A`` as the CLI runs it, then the nodes that
# read the scan's pages (the executor's ``page_nodes``) as the last line of its output
DRIVER = """
import json, sys
from pipeline import cli, executors
made = []
real = executors.make
executors.make = lambda *a, **k: made.append(real(*a, **k)) or made[-1]
code = cli.main(sys.argv[1:])
print(json.dumps(dict(made[0].page_nodes)))
sys.exit(code)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _folder(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != ".ingest.lock"}


def _first_pages(src: Path, dest: Path, n: int) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(pdfium.PdfDocument(src), list(range(n)))
    pdf.save(dest)


class _Node:
    """``ray start … --block`` in a session of its own: every process of the node (raylet, its
    workers, the head's GCS) is in its process group, stopped by that id and nothing else
    (``ray stop`` would stop every Ray on the machine, other sessions' too)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            cmd = [str(RAY), "start", "--num-cpus", "1", "--disable-usage-stats", "--block", *args]
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_started(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while b"Ray runtime started" not in self.log.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"ray start failed: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # what SIGTERM left (the GCS, the monitor)
        self.proc.wait()


@pytest.mark.slow
def test_pages_of_a_scan_are_read_on_every_node_of_a_cluster(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    from pipeline.batch import run_batch
    from pipeline.cli import _files

    raw = tmp_path / "raw"
    raw.mkdir()
    _first_pages(SCAN, raw / SCAN.name, PAGES)
    shutil.copy(next(RAW.glob("*.txt")), raw / "notice.txt")
    address = f"127.0.0.1:{_free_port()}"
    ray_tmp = tempfile.mkdtemp(prefix="rayc", dir="/tmp")  # short: Ray's socket paths must fit in 107 bytes
    # none of what a Ray started in this process (tests/test_ray.py) left in its environment
    mine = {k: v for k, v in os.environ.items() if not k.startswith("RAY_") and k != "PYTHONBREAKPOINT"}
    env = {
        **mine,
        "PYTHONPATH": str(ROOT),  # every node's workers import this checkout
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "token",
        "PYTHONFAULTHANDLER": "1",  # a crash of the driver shows where it was
        "RAY_AUTH_TOKEN": secrets.token_hex(32),  # the cluster's own, none of ~/.ray's
    }
    ray_args = ["--executor", "ray", "--address", address]
    nodes: list[_Node] = []
    try:
        head = ["--head", "--port", address.rpartition(":")[2], "--include-dashboard=false"]
        nodes.append(
            _Node(
                [*head, "--node-ip-address", "127.0.0.1", "--temp-dir", ray_tmp], env, tmp_path / "head.log"
            )
        )
        nodes[0].wait_started()
        nodes.append(
            _Node(["--address", address], env, tmp_path / "node.log")
        )  # a second raylet: another "machine"
        nodes[1].wait_started()
        driver = subprocess.run(
            [sys.executable, "-c", DRIVER, "ingest", "raw", "--out", str(tmp_path / "ray-out"), *ray_args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        # the driver's own Ray log says where a crash inside Ray was (its handler writes it there)
        why = "".join(
            p.read_text()[-3000:] for p in Path(ray_tmp).glob("session_*/logs/python-core-driver-*")
        )
    finally:
        for node in reversed(nodes):
            node.stop()
        shutil.rmtree(ray_tmp, ignore_errors=True)
    assert driver.returncode == 0, driver.stderr[-2000:] + why
    read_on = json.loads(driver.stdout.splitlines()[-1])
    assert sum(read_on.values()) == PAGES and len(read_on) == 2, read_on  # every page, on both nodes
    here = Path.cwd()
    os.chdir(tmp_path)  # source.path is worked out from the path given, here as there
    try:
        code = run_batch(
            list(_files(["raw"], tmp_path / "local")), tmp_path / "local", jobs=1, stream=io.StringIO()
        )
    finally:
        os.chdir(here)
    assert code == 0
    assert _folder(tmp_path / "ray-out") == _folder(tmp_path / "local")
