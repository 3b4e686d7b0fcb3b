"""Issue 9: two real processes sharing one cache, and runs killed in the middle.

Cache files are written once-then-renamed (``os.replace``), ``keys.json`` under a file
lock, so concurrent runs may both write a record but a reader only ever sees a whole
file. These tests run ``python -m tridentbib`` as separate processes against the
fake API.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FAST, write
from fakeapi import ArxivPaper, FakeAPI
from tridentbib.model import Record
from tridentbib.store.cache import DiskCache

IDS = [f"2304.{n:05d}" for n in range(1, 251)]  # three batches


@pytest.fixture
def server() -> FakeAPI:
    with FakeAPI(latency=0.02) as api:
        for n, ident in enumerate(IDS, 1):
            api.arxiv.add_paper(
                ArxivPaper(
                    ident,
                    title=f"Concurrent Paper {n}",
                    authors=[f"Writer{n % 7} Person"],
                    published=f"2023-04-{1 + n % 28:02d}T00:00:00Z",
                )
            )
        yield api


def start(args: list[str], cwd: Path, api: FakeAPI, **env: str) -> subprocess.Popen:
    environment = {**os.environ, **api.env(), **FAST, "TRIDENTBIB_RETRY_BASE_WAIT": "0.01", **env}
    return subprocess.Popen(
        [sys.executable, "-m", "tridentbib", *args],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str]:
    _out, err = process.communicate(timeout=timeout)
    return process.returncode, err


def assert_valid_cache(root: Path, expected: set[str]) -> None:
    """Every record file whole and correct, nothing half-written or set aside, keys.json whole."""
    cache = DiskCache(root)
    files = sorted((root / "arxiv").iterdir())
    assert [p.name for p in files if not p.name.endswith(".json")] == []  # no *.tmp, no *.corrupt
    for path in files:
        ident = json.loads(path.read_text())["id"]
        assert isinstance(cache.get("arxiv", ident), Record)
    assert cache.corrupt == []
    assert {json.loads(p.read_text())["id"] for p in files} == expected
    assert len(json.loads((root / "keys.json").read_text())["keys"]) == len(expected)


def test_two_processes_sharing_one_cache_finish_with_a_valid_cache_and_identical_outputs(server, tmp_path):
    write(tmp_path / "list.md", "".join(f"- https://arxiv.org/abs/{i}\n" for i in IDS))
    server.latency = 1.0  # slow answers: both runs are surely asking before either has cached a batch
    for round_args in ([], ["--refresh"]):  # cold (both fetch everything), then both rewriting every record
        runs = [
            start(
                ["build", "list.md", "-o", f"{name}.bib", "-q", *round_args],
                tmp_path,
                server,
                TRIDENTBIB_ARXIV_DELAY="0.05",
            )
            for name in ("a", "b")
        ]
        results = [finish(run) for run in runs]
        assert [code for code, _ in results] == [0, 0], results
        assert (tmp_path / "a.bib").read_bytes() == (tmp_path / "b.bib").read_bytes()
        assert_valid_cache(tmp_path / "cache", set(IDS))
        first_batches = sorted(
            r.started for r in server.requests("arxiv") if r.param("id_list").startswith(IDS[0] + ",")
        )[-2:]
        assert first_batches[1] - first_batches[0] < server.latency  # the second asked before the first had an answer
    assert (tmp_path / "a.bib").read_text().count("@misc{") == 250
    assert len(server.requests("arxiv")) == 4 * 3  # two runs, twice, three batches each


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_a_run_stopped_mid_way_keeps_what_it_fetched_and_stops_at_once(server, tmp_path, sig):
    write(tmp_path / "list.md", "".join(f"- https://arxiv.org/abs/{i}\n" for i in IDS))
    write(tmp_path / "out.bib", "@misc{previous, title = {Previous output}}\n")
    run = start(["build", "list.md", "-o", "out.bib", "-q"], tmp_path, server, TRIDENTBIB_ARXIV_DELAY="10")
    folder = tmp_path / "cache" / "arxiv"
    deadline = time.monotonic() + 20
    while not (folder.is_dir() and len(list(folder.glob("*.json"))) >= 100):
        assert time.monotonic() < deadline and run.poll() is None, "the first batch never arrived"
        time.sleep(0.02)
    time.sleep(0.1)  # now waiting out the 10-second pacing delay before the second batch
    stopped = time.monotonic()
    run.send_signal(sig)
    code, err = finish(run, timeout=20)
    assert time.monotonic() - stopped < 3  # not after the delay, not after the other batches
    assert code == 128 + sig
    assert "interrupted; every record fetched so far is in the cache" in err
    assert "Traceback" not in err
    assert (tmp_path / "out.bib").read_text() == "@misc{previous, title = {Previous output}}\n"
    assert len(server.requests("arxiv")) == 1
    files = list(folder.iterdir())
    assert len(files) == 100 and all(
        isinstance(DiskCache(tmp_path / "cache").get("arxiv", json.loads(p.read_text())["id"]), Record) for p in files
    )
    if sig != signal.SIGINT:
        return
    rerun = start(["build", "list.md", "-o", "out.bib", "-q"], tmp_path, server)  # continues where it stopped
    assert finish(rerun)[0] == 0
    assert [len(r.param("id_list").split(",")) for r in server.requests("arxiv")] == [100, 100, 50]
