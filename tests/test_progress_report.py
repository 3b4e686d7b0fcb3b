"""Long runs: the progress display, the --report account, and resuming an interrupted run."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from conftest import FAST, write
from fakeapi import Fault
from fakeapi.arxiv import ArxivPaper
from tridentbib.progress import ProgressDisplay

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

LIST = """# Papers

- Recalibrating: [paper](https://arxiv.org/abs/2202.92139)
- Again: [pdf](https://arxiv.org/pdf/2202.92139v1)
- Unknown: https://arxiv.org/abs/2212.99999
- A blog: [post](https://example.org/post)
- Broken: [abs](https://arxiv.org/abs/../../etc/passwd)
"""


def test_report_accounts_for_every_link_and_request(cli, api, workdir):
    write(workdir / "list.md", LIST)
    result = cli("build", "list.md", "-o", "out.bib", "--report", "report.json")
    assert result.exit_code == 1
    report = json.loads((workdir / "report.json").read_text())
    assert report["schema"] == 1 and report["inputs"] == ["list.md"] and report["output"] == "out.bib"
    assert report["written"] is True and report["dry_run"] is False
    assert report["requests"] == {"arxiv": 1}
    links = [(l["line"], l["kind"], l["id"], l["outcome"], l["key"]) for l in report["links"]]
    key = links[0][4]
    assert key
    assert links == [
        (3, "arxiv", "2202.92139", "resolved", key),
        (4, "arxiv", "2202.92139", "merged", key),
        (5, "arxiv", "2212.99999", "failed", ""),
        (6, "other", "", "not supported", ""),
        (7, "arxiv", "", "rejected", ""),
    ]
    by_line = {l["line"]: l for l in report["links"]}
    assert by_line[4]["merged_into"] == key and by_line[4]["version"] == 1
    assert by_line[5]["reason"] == "arXiv has no paper with this id" and by_line[5]["transient"] is False
    assert by_line[6]["url"] == "https://example.org/post"
    assert by_line[7]["reason"]
    assert all(l["source"] == "list.md" for l in report["links"])
    assert report["summary"]["links"] == 5 and report["summary"]["entries"] == 1 and report["summary"]["failed"] == 2
    assert [e["key"] for e in report["entries"]] == [key]
    assert "changes" in report and report["changes"]["previous_exists"] is False

    again = cli("build", "list.md", "-o", "out.bib", "--report", "report.json")
    report = json.loads((workdir / "report.json").read_text())
    assert again.exit_code == 1
    assert report["requests"] == {"arxiv": 0}
    assert [l["outcome"] for l in report["links"]][:3] == ["cached", "merged", "failed"]


def test_report_of_a_dry_run_says_nothing_was_written(cli, api, workdir):
    write(workdir / "list.md", "- https://arxiv.org/abs/2202.92139\n")
    result = cli("build", "list.md", "-o", "out.bib", "--dry-run", "--report", "r.json")
    assert result.exit_code == 0
    report = json.loads((workdir / "r.json").read_text())
    assert report["written"] is False and report["dry_run"] is True
    assert report["links"][0]["outcome"] == "resolved"
    assert not (workdir / "out.bib").exists()


def test_no_progress_display_when_stderr_is_not_a_terminal(cli, api, workdir):
    write(workdir / "list.md", "- https://arxiv.org/abs/2202.92139\n")
    result = cli("build", "list.md", "-o", "out.bib")
    assert "\x1b" not in result.stderr and "waiting" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_display_starts_only_when_something_is_fetched():
    out = io.StringIO()
    display = ProgressDisplay(True, Console(file=out, force_terminal=True, width=100))
    display.on_progress("arxiv", 5, 5)  # all from the cache
    display.stop()
    assert out.getvalue() == ""
    out = io.StringIO()
    display = ProgressDisplay(True, Console(file=out, force_terminal=True, width=100))
    with display:
        display.on_progress("arxiv", 2, 5)
        display.on_wait("arxiv", 30)
        display._progress.refresh()
        display.on_progress("openreview", 1, 3)
        display._progress.refresh()
    text = ANSI.sub("", out.getvalue())
    assert "arxiv" in text and "2/5" in text and "for the rate limit" in text
    assert "openreview" in text and "1/3" in text


# -- through a real terminal -------------------------------------------------------------


def run_on_a_terminal(args: list[str], workdir: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run tridentbib with stderr on a pseudo-terminal; returns (exit code, what the terminal got)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tridentbib", *args],
        cwd=workdir,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def many_papers(api, workdir, prefix="2303", n=150) -> list[str]:
    ids = [f"{prefix}.{i:05d}" for i in range(1, n + 1)]
    for ident in ids:
        api.arxiv.add_paper(ArxivPaper(ident, title=f"Paper {ident}"))
    write(workdir / "list.md", "\n".join(f"- https://arxiv.org/abs/{i}" for i in ids) + "\n")
    return ids


def test_progress_on_a_terminal_shows_each_service_and_the_rate_limit_wait(api, workdir):
    many_papers(api, workdir)
    code, screen = run_on_a_terminal(
        ["build", "list.md", "-o", "out.bib"], workdir, {**api.env(), **FAST, "TRIDENTBIB_ARXIV_DELAY": "0.8"}
    )
    assert code == 0, screen
    text = ANSI.sub("", screen)
    assert "arxiv" in text and "/150" in text
    assert "for the rate limit" in text
    assert "tridentbib: 150 links (arxiv 150)" in text  # the summary follows the display


def test_quiet_on_a_terminal_shows_nothing(api, workdir):
    many_papers(api, workdir, n=120)
    code, screen = run_on_a_terminal(
        ["build", "list.md", "-o", "out.bib", "--quiet"],
        workdir,
        {**api.env(), **FAST, "TRIDENTBIB_ARXIV_DELAY": "0.3"},
    )
    assert code == 0
    assert screen == ""
    assert len(api.requests("arxiv")) == 2


# -- resuming ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -9)])
def test_an_interrupted_run_keeps_what_it_fetched_and_the_rerun_continues(cli, api, workdir, sig, code):
    ids = many_papers(api, workdir, prefix="2304", n=150)
    api.inject("arxiv", Fault.delay(0), Fault.delay(30))  # the second batch hangs
    env = {**os.environ, **api.env(), **FAST}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tridentbib", "build", "list.md", "-o", "out.bib"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    cached = workdir / "cache" / "arxiv"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (
        len(api.requests("arxiv")) == 2 and len(list(cached.glob("*.json"))) == 100
    ):
        time.sleep(0.02)
    assert len(list(cached.glob("*.json"))) == 100
    started = time.monotonic()
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=10)
    assert time.monotonic() - started < 5  # stops at once, not after the slow answer
    assert proc.returncode == code
    if sig != signal.SIGKILL:
        assert "interrupted; every record fetched so far is in the cache" in err
    assert not (workdir / "out.bib").exists()
    assert sorted(p.name for p in cached.glob("*.json")) == sorted(f"{i}.json" for i in ids[:100])

    api.clear_log()
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    (request,) = api.requests("arxiv")
    assert request.query["id_list"][0].split(",") == ids[100:]
    assert "50 resolved; 100 from cache" in result.stderr
    assert (workdir / "out.bib").read_text().count("@misc{") == 150


# -- the summary: paper links not resolved, other links ------------------------------------

MIXED = """# Papers

| Date | Model Name | Paper Title | Link |
|---|---|---|---|
| 2024-01 | Known | A Known Paper | [paper](https://arxiv.org/abs/2401.00001), [code](https://github.com/example/known) |
| 2024-02 | Blog | A Model Announced in a Blog | [blog](https://example.org/blog/model) |
| 2024-03 | Gone | A Paper arXiv Does Not Know | [paper](https://arxiv.org/abs/2403.99999) |

Slides are [here](https://drive.example.org/slides), the lab is [there](https://lab.example.org/) and the code on [GitHub](https://github.com/example/lab).

- Broken: [abs](https://arxiv.org/abs/../../etc/passwd)
"""


def test_the_summary_lists_paper_links_not_resolved_and_counts_other_links(cli, api, workdir):
    api.arxiv.add_paper(ArxivPaper("2401.00001", title="A Known Paper"))
    write(workdir / "list.md", MIXED)
    result = cli("build", "list.md", "-o", "out.bib", "--report", "report.json")
    assert result.exit_code == 1  # a paper failed: exit codes are as before
    summary, *listed = result.stderr.splitlines()
    assert summary.startswith("tridentbib: 8 links (other 5, arxiv 3); 2 entries; 1 resolved; 0 from cache; 2 failed; ")
    assert summary.endswith("; 3 paper links not resolved (listed below); 4 other links, not papers (see --report)")
    assert listed[:3] == [
        "  list.md:6: context entry: https://example.org/blog/model: not resolved: no supported API; entry built from the list's row",
        "  list.md:7: failed: arxiv 2403.99999: arXiv has no paper with this id",
        f"  list.md:11: rejected: https://arxiv.org/abs/../../etc/passwd: {listed[2].split(': ', 3)[3]}",
    ]
    assert not any(
        "github.com" in line or "example.org/slides" in line or "lab.example.org" in line
        for line in result.stderr.splitlines()
    )  # counted, not listed
    links = json.loads((workdir / "report.json").read_text())["links"]
    assert sorted(
        l["url"] for l in links if l["outcome"] in ("not supported", "extra url")
    ) == [  # the report has them all
        "https://drive.example.org/slides",
        "https://github.com/example/known",
        "https://github.com/example/lab",
        "https://lab.example.org/",
    ]

    quiet = cli("build", "list.md", "-o", "out.bib", "-q")
    assert [line.split(": ")[1] for line in quiet.stderr.splitlines()] == [
        "failed",
        "rejected",
    ]  # -q: failures only, no summary, no context entries


def test_a_list_of_other_links_only_says_so_in_one_line(cli, api, workdir):
    api.arxiv.add_paper(ArxivPaper("2401.00001", title="A Known Paper"))
    write(
        workdir / "list.md",
        "- [A Known Paper](https://arxiv.org/abs/2401.00001)\n\nSee [the lab](https://lab.example.org/) and [me](https://scholar.google.com/citations?user=x).\n",
    )
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0
    (summary,) = result.stderr.splitlines()
    assert summary.endswith("; 0 failed; 2 other links, not papers (see --report)") and "not resolved" not in summary
