"""The real awesome lists, cold, against the fakes at the tool's default pacing (issue 16's budget: <= 5 min each).

    python benchmarks/real_lists.py                          # every list, both scenarios (long: tens of minutes)
    python benchmarks/real_lists.py DIR --list thunlp+GNNPapers.md --scenario 2

The lists are third-party and never in the repository: the directory is an argument
(default ``../shared/reference/real-lists`` next to the repository, then
``/work/shared/reference/real-lists``); without it the benchmark says so and exits 0.
Lists are read where they are, never copied.

For each list the tool's own reader (``read_input``, ``what_lists_need``) says which
ids it links; benchmarks/fake_records.py registers an invented record for every one
on the fake of its service (arXiv, OpenReview v2, ACL, Crossref for DOIs and IEEE/ACM
numbers, NeurIPS hash papers and year-index entries for old links, CVF, PMLR, JMLR,
ISCA). The items the title route may search (lab PDFs, project pages, ...) run in two
scenarios:

1. "S2 knows them": Semantic Scholar's title match answers each with a hit carrying
   an arXiv id the arXiv fake knows (row title, the row's authors and year);
2. "nobody knows them": Semantic Scholar, dblp and arXiv's title search find nothing,
   so every source is asked for every such item.

The fakes (tests/fakeapi, real HTTP on 127.0.0.1, ``--latency`` per answer) run in
this process; ``python -m tridentbib build`` runs as a child with a fresh cache and
every service's shipped delay (no TRIDENTBIB_*_DELAY set but arXiv 3 s, OpenReview
1 s, ACL 0.5 s, dblp 5 s, S2 1 s, as benchmarks/run.py sets them). Per list and
scenario: wall time, requests per service (from the fakes' log), entries written,
the slowest service's floor ``(requests - 1) x delay + latency``, and the verdict
against 300 s. A run longer than ``--cap`` seconds is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src"), str(ROOT / "benchmarks")]

from fake_records import register_links, register_title_hits  # noqa: E402
from run import clean_env, count_requests, entries_in, paced_floor, warm_up  # noqa: E402

from fakeapi import FakeAPI  # noqa: E402
from tridentbib.lookup.needs import what_lists_need  # noqa: E402
from tridentbib.sources.files import read_input  # noqa: E402

BUDGET = 300.0
#: fake service -> the tool's default delay between its requests (settings.py)
DELAYS = {
    "arxiv": 3.0,
    "dblp": 5.0,
    "openreview2": 1.0,
    "openreview1": 1.0,
    "acl": 0.5,
    "s2": 1.0,
    "crossref": 1.0,
    "datacite": 1.0,
    "neurips": 1.0,
    "cvf": 1.0,
    "cvf-legacy": 1.0,
    "isca": 1.0,
    "pmlr": 1.0,
    "jmlr": 1.0,
}
SCENARIOS = {1: "S2 knows them", 2: "nobody knows them"}
DEFAULT_DIRS = (ROOT.parent / "shared" / "reference" / "real-lists", Path("/work/shared/reference/real-lists"))


@dataclass
class Result:
    name: str
    scenario: int
    wall: float
    returncode: int | None  #: None: stopped at the cap
    requests: dict[str, int]
    entries: int
    floor: float
    slowest: str
    title_items: int
    detail: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)  #: link outcomes in the report (resolved, failed, ...)
    stderr_tail: str = ""

    @property
    def verdict(self) -> str:
        if self.returncode is None:
            return f"MISSED (stopped at {self.wall:.0f} s)"
        return "ok" if self.wall <= BUDGET else "MISSED"


def slowest_floor(requests: dict[str, int], latency: float) -> tuple[float, str]:
    bounds = {name: paced_floor(count, DELAYS.get(name, 1.0), latency) for name, count in requests.items()}
    if not bounds:
        return 0.0, "-"
    name = max(bounds, key=bounds.__getitem__)
    return bounds[name], name


def details(api: FakeAPI) -> dict[str, int]:
    """The title route's share of the requests: S2 title matches, dblp searches, arXiv title searches."""
    log = api.log
    return {
        "s2 match": sum(1 for r in log if r.service == "s2" and r.subpath.endswith("/paper/search/match")),
        "dblp search": sum(1 for r in log if r.service == "dblp" and not r.param("q", "").startswith("toc:")),
        "arxiv title search": sum(1 for r in log if r.service == "arxiv" and r.param("search_query", "")),
        "arxiv id_list": sum(1 for r in log if r.service == "arxiv" and r.param("id_list", "")),
    }


def outcomes(report: Path) -> dict[str, int]:
    """How the report says each link ended (``resolved``, ``failed``, ...)."""
    try:
        links = json.loads(report.read_text(encoding="utf-8")).get("links", [])
    except (OSError, ValueError):
        return {}
    links = [link for link in links if isinstance(link, dict)]
    counts = Counter(str(link.get("outcome")) for link in links)
    counts["found by title"] = sum(1 for link in links if "found by title" in str(link.get("reason", "")))
    return dict(sorted(counts.items()))


def build(api: FakeAPI, listed: Path, work: Path, cap: float) -> tuple[float, int | None, str, Path]:
    """One cold child run (fresh cache); stopped at ``cap`` seconds."""
    api.clear_log()
    out, cache = work / "out.bib", work / "cache"
    command = [sys.executable, "-m", "tridentbib", "build", str(listed), "-o", str(out), "--cache-dir", str(cache)]
    command += ["--report", str(work / "report.json")]
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        child = subprocess.Popen(command, env=clean_env(api, 1.0), cwd=work, stdout=subprocess.DEVNULL, stderr=err)
        try:
            code: int | None = child.wait(timeout=cap)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            code = None
        wall = time.monotonic() - started
        err.seek(0)
        tail = "\n".join(err.read().decode("utf-8", "replace").strip().splitlines()[-3:])
    return wall, code, tail, out


def run_one(listed: Path, scenario: int, latency: float, cap: float) -> Result:
    needs = what_lists_need([read_input(listed)])
    with tempfile.TemporaryDirectory(prefix="tridentbib-real-") as folder, FakeAPI(latency=latency) as api:
        registered = register_links(api, needs)
        hits = register_title_hits(api, needs) if scenario == 1 else 0
        linked = ", ".join(f"{kind} {count}" for kind, count in sorted(registered.papers.items()))
        print(
            f"{listed.name}, scenario {scenario} ({SCENARIOS[scenario]}): registered {linked}; "
            f"{len(needs.title_items)} items the title route may search ({hits} S2 hits registered)",
            flush=True,
        )
        for note in registered.skipped:
            print(f"    not registered: {note}")
        wall, code, tail, out = build(api, listed, Path(folder), cap)
        requests = dict(sorted(count_requests(api).items()))
        floor, slowest = slowest_floor(requests, latency)
        result = Result(
            listed.name,
            scenario,
            wall,
            code,
            requests,
            entries_in(out),
            floor,
            slowest,
            len(needs.title_items),
            details(api),
            outcomes(Path(folder) / "report.json"),
            tail if code not in (0, 1) else "",
        )
    print(
        f"    {wall:.1f} s [{result.verdict}]; exit {code}; {result.entries} entries; requests {requests}; "
        f"title route {result.detail}; link outcomes {result.outcomes}; slowest service {slowest}: floor {floor:.1f} s",
        flush=True,
    )
    if result.stderr_tail:
        print("    " + result.stderr_tail.replace("\n", "\n    "))
    return result


def table(results: list[Result]) -> None:
    header = ("list", "scenario", "wall s", "within 300 s", "entries", "slowest service floor", "requests")
    rows = [header] + [
        (
            r.name.removesuffix(".md"),
            f"{r.scenario} ({SCENARIOS[r.scenario]})",
            f"{r.wall:.1f}",
            r.verdict,
            str(r.entries),
            f"{r.floor:.1f} ({r.slowest} {r.requests.get(r.slowest, 0)} x {DELAYS.get(r.slowest, 1.0):g} s)",
            ", ".join(f"{name} {count}" for name, count in r.requests.items()),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print("| " + " | ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows[1:]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "lists", nargs="?", type=Path, help="directory of Markdown lists (default: the shared reference)"
    )
    parser.add_argument("--list", dest="only", help="run only this list (file name, with or without .md)")
    parser.add_argument("--scenario", type=int, choices=(1, 2), help="run only this scenario")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the fakes wait before each answer")
    parser.add_argument("--cap", type=float, default=1200.0, help="stop a run after this many seconds (default 1200)")
    args = parser.parse_args(argv)
    folder = args.lists or next((d for d in DEFAULT_DIRS if d.is_dir()), None)
    if folder is None or not folder.is_dir():
        where = args.lists or " or ".join(str(d) for d in DEFAULT_DIRS)
        print(
            f"no directory of real lists at {where}: nothing to benchmark (the lists are third-party, never committed)"
        )
        return 0
    lists = sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")
    if args.only:
        lists = [p for p in lists if args.only in (p.name, p.stem)]
        if not lists:
            print(f"no list named {args.only!r} in {folder}")
            return 2
    scenarios = [args.scenario] if args.scenario else [1, 2]
    print(
        f"{len(lists)} lists from {folder}; scenarios {scenarios}; latency {args.latency * 1000:g} ms; "
        f"default pacing; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="tridentbib-real-warm-") as warm:
        warm_up(Path(warm))
    results = [run_one(listed, scenario, args.latency, args.cap) for listed in lists for scenario in scenarios]
    print()
    table(results)
    print(
        f"\nfloor = (requests - 1) x the service's default delay + {args.latency * 1000:g} ms, for the service where that "
        "is largest; budget 300 s per list, cold (issue 16)."
    )
    return 0 if all(r.returncode in (0, 1) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
