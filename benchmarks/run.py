#!/usr/bin/env python3
"""Benchmark tridentbib against a local server that speaks the real API formats (issue 7).

What it does, for each list size N:

1. generates a Markdown list of N links (N <= 500: mixed like examples/reading-list.md;
   larger N: mostly arXiv) and registers every paper on the test suite's fake API
   server (tests/fakeapi), which answers in each service's exact format after
   ``--latency`` seconds per request;
2. runs ``python -m tridentbib build LIST -o OUT --cache-dir DIR`` as a subprocess
   with a fresh cache (cold) and again with the filled cache (warm), measuring the
   child's wall time and peak RSS (``os.wait4``) and counting the requests the
   server received per service;
3. compares the cold time with the floor arXiv's terms impose,
   ``(ceil(arxiv_ids / 100) - 1) * delay + arxiv_requests * latency``, with the
   floor of the slowest service the run used, and with a naive tool that asks
   arXiv for one paper per request at the same delay.

For the smallest size it also runs an arXiv-only list (the floor without other
services in the way) and, when ``tridentbib build --help`` offers it,
``--venues full`` (measured against dblp's floor: requests x TRIDENTBIB_DBLP_DELAY).
Each cold run's notes say how long the child took before its first request and
after its last answer (start-up and tail, the part the floor does not cover).

The real arXiv delay is 3 s. Rows with N > 500 use ``--large-delay`` instead (and
every other service's delay scaled by the same factor), so the whole run takes a
few minutes; the table says which delay each row used. The naive baseline is
run only at ``--naive-delay`` (side by side with tridentbib at that delay); its
time at the real delay is computed from its floor, not waited for.

Usage::

    python benchmarks/run.py                     # the README table (a few minutes)
    python benchmarks/run.py --quick             # smoke run: tiny lists, no delays
    python benchmarks/run.py --sizes 200 --delay 3 --latency 0.05
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakeapi import ArxivPaper, DblpRecord, FakeAPI, S2Paper, make_v2_note  # noqa: E402

#: the services' default delays (seconds between requests), as tridentbib ships them
DEFAULT_DELAYS = {
    "TRIDENTBIB_ARXIV_DELAY": 3.0,
    "TRIDENTBIB_OPENREVIEW_DELAY": 1.0,
    "TRIDENTBIB_ACL_DELAY": 0.5,
    "TRIDENTBIB_DBLP_DELAY": 5.0,
    "TRIDENTBIB_S2_DELAY": 1.0,
}
#: fake-server service name -> the delay variable that paces it
SERVICE_DELAY = {
    "arxiv": "TRIDENTBIB_ARXIV_DELAY",
    "openreview2": "TRIDENTBIB_OPENREVIEW_DELAY",
    "openreview1": "TRIDENTBIB_OPENREVIEW_DELAY",
    "acl": "TRIDENTBIB_ACL_DELAY",
    "dblp": "TRIDENTBIB_DBLP_DELAY",
    "s2": "TRIDENTBIB_S2_DELAY",
}
ARXIV_BATCH = 100
#: sizes above this use --large-delay and the large mix
SMALL_MAX = 500
#: examples/reading-list.md: 14 arXiv, 3 ACL, 2 OpenReview, 1 other link of 20
SEED_MIX = "arxiv:90,openreview:3,acl:1,other:6"
LARGE_MIX = "arxiv:96,openreview:2,acl:1,other:1"

WORDS = (
    "learning neural network language model speech audio codec token transformer attention diffusion "
    "graph robust efficient scalable zero-shot self-supervised contrastive representation generation "
    "synthesis recognition retrieval reasoning benchmark dataset evaluation alignment instruction tuning "
    "sparse mixture experts quantization distillation pruning latent variational adversarial causal "
    "multilingual multimodal vision video music text knowledge memory planning agent reinforcement policy"
).split()
GIVEN = "Ada Alan Grace Edsger Barbara Donald Frances Claude John Leslie Radia Tim Yoshua Fei-Fei Chengyi Sanyuan Zoë José Jürgen Ying".split()
FAMILY = "Lovelace Turing Hopper Dijkstra Liskov Knuth Allen Shannon McCarthy Lamport Perlman Berners-Lee Bengio Li Wang Chen Müller García Schmidhuber Zhang".split()


# --------------------------------------------------------------------------- corpus
@dataclass
class Paper:
    kind: str  #: arxiv, openreview, acl, other
    id: str
    title: str
    authors: list[str]
    year: int
    month: int

    def url(self, variant: int) -> str:
        if self.kind == "arxiv":
            forms = (
                "https://arxiv.org/abs/{}",
                "https://arxiv.org/pdf/{}",
                "https://arxiv.org/pdf/{}v1.pdf",
                "https://www.arxiv.org/abs/{}",
                "http://arxiv.org/abs/{}v1",
            )
        elif self.kind == "openreview":
            forms = ("https://openreview.net/forum?id={}", "https://openreview.net/pdf?id={}")
        elif self.kind == "acl":
            forms = ("https://aclanthology.org/{}/", "https://aclanthology.org/{}.pdf")
        else:
            forms = ("https://example.org/blog/{}",)
        return forms[variant % len(forms)].format(self.id)


def parse_mix(text: str) -> dict[str, float]:
    shares = {}
    for part in text.split(","):
        kind, _, weight = part.partition(":")
        if kind.strip() not in ("arxiv", "openreview", "acl", "other"):
            raise SystemExit(f"unknown kind in mix: {kind!r}")
        shares[kind.strip()] = float(weight)
    total = sum(shares.values())
    return {kind: weight / total for kind, weight in shares.items()}


def make_corpus(n: int, mix: dict[str, float], seed: int, first_number: int = 10000) -> list[Paper]:
    """N distinct papers in list order, kinds interleaved, counts as close to the mix as rounding allows.

    arXiv ids are ``YYMM.NNNNN`` with NNNNN counting from ``first_number``, so two
    corpora on one server do not share ids.
    """
    rng = random.Random(seed)
    counts = {kind: int(n * share) for kind, share in mix.items()}
    counts["arxiv"] = counts.get("arxiv", 0) + n - sum(counts.values())
    kinds = [kind for kind, count in counts.items() for _ in range(count)]
    rng.shuffle(kinds)
    papers, numbers = [], {"arxiv": 0, "openreview": 0, "acl": 0, "other": 0}
    for kind in kinds:
        i = numbers[kind]
        numbers[kind] += 1
        year, month = 2018 + (i // 12) % 8, 1 + i % 12
        if kind == "arxiv":
            ident = f"{year % 100:02d}{month:02d}.{first_number + i:05d}"
        elif kind == "openreview":
            ident = "".join(
                rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10)
            )
        elif kind == "acl":
            ident = f"{year}.acl-long.{1 + i}"
        else:
            ident = f"post-{i}"
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 11))).capitalize()
        authors = [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(rng.randint(1, 9))]
        papers.append(Paper(kind, ident, f"{title} {i}", authors, year, month))
    return papers


def abstract(rng: random.Random) -> str:
    """About 1,000 characters, the size of a real abstract."""
    return " ".join(rng.choice(WORDS) for _ in range(120)).capitalize() + "."


def acl_bibtex(paper: Paper, rng: random.Random) -> str:
    """A ``.bib`` export in the Anthology's current layout (see tests/fixtures/acl/)."""
    authors = "  and\n      ".join(f"{a.split()[-1]}, {' '.join(a.split()[:-1])}" for a in paper.authors)
    key = f"{paper.authors[0].split()[-1].lower()}-etal-{paper.year}-{paper.title.split()[0].lower()}-{paper.id.rsplit('.', 1)[-1]}"  # unique, as the Anthology's are
    first = rng.randint(1, 9000)
    return (
        f"@inproceedings{{{key},\n"
        f'    title = "{paper.title}",\n'
        f'    author = "{authors}",\n'
        '    editor = "Muresan, Smaranda  and\n      Nakov, Preslav  and\n      Villavicencio, Aline",\n'
        '    booktitle = "Proceedings of the 60th Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)",\n'
        "    month = may,\n"
        f'    year = "{paper.year}",\n'
        '    address = "Dublin, Ireland",\n'
        '    publisher = "Association for Computational Linguistics",\n'
        f'    url = "https://aclanthology.org/{paper.id}/",\n'
        f'    doi = "10.18653/v1/{paper.id}",\n'
        f'    pages = "{first}--{first + 11}"\n'
        "}\n"
    )


def register(api: FakeAPI, papers: list[Paper], seed: int) -> None:
    """Put every paper on the fake server (and S2/dblp records for --venues)."""
    rng = random.Random(seed + 1)
    for number, paper in enumerate(papers):
        if paper.kind == "arxiv":
            published = f"{paper.year}-{paper.month:02d}-{1 + number % 28:02d}T17:{number % 60:02d}:00Z"
            api.arxiv.add_paper(
                ArxivPaper(
                    id=paper.id,
                    title=paper.title,
                    authors=paper.authors,
                    summary=abstract(rng),
                    published=published,
                    primary_category="cs.CL",
                    categories=["cs.CL", "cs.LG"],
                    comment="12 pages, 4 figures" if number % 3 == 0 else None,
                )
            )
            venue = number % 3 == 0  # a third of the preprints were published at a venue
            key = f"conf/iclr/{paper.authors[0].split()[-1]}{paper.year % 100}{number}"
            api.s2.add(
                S2Paper(
                    paper_id=f"{number:040x}",
                    title=paper.title,
                    external_ids={"ArXiv": paper.id, "DBLP": key if venue else None, "CorpusId": 10_000_000 + number},
                    venue="International Conference on Learning Representations" if venue else "arXiv.org",
                    year=paper.year,
                    authors=paper.authors,
                    publication_types=["Conference"] if venue else ["JournalArticle"],
                    publication_date=published[:10],
                )
            )
            if venue:
                api.dblp.add(
                    DblpRecord(
                        title=paper.title,
                        authors=paper.authors,
                        venue="ICLR",
                        year=paper.year,
                        key=key,
                        ee=[f"https://openreview.net/forum?id=x{number:09d}", f"https://arxiv.org/abs/{paper.id}"],
                    )
                )
        elif paper.kind == "openreview":
            api.openreview.add_v2(make_v2_note(paper.id, paper.title, paper.authors, abstract(rng)))
        elif paper.kind == "acl":
            api.acl.add(paper.id, acl_bibtex(paper, rng))


def write_list(papers: list[Paper], path: Path) -> int:
    """A Markdown awesome list: sections of tables (like the seed) and some bullet sections.

    Returns the number of entries tridentbib should write: one per paper, and one per
    table row whose only link is not a paper (built from the row); bare non-paper
    links in bullets give none.
    """
    expected = 0
    lines = ["# A generated reading list", "", f"{len(papers)} links, generated by benchmarks/run.py.", ""]
    for section, start in enumerate(range(0, len(papers), 25)):
        chunk = papers[start : start + 25]
        lines += [f"## Topic {section + 1}: {chunk[0].title.split()[0]}", ""]
        if section % 4 == 3:
            for offset, paper in enumerate(chunk):
                url = paper.url(start + offset)
                lines.append(
                    f"- {paper.title}: arXiv:{paper.id}"
                    if paper.kind == "arxiv" and offset % 5 == 0
                    else f"- {paper.title} [paper]({url})"
                )
                expected += paper.kind != "other"
        else:
            lines += ["| Date    | Model Name | Paper Title | Link |", "| ------- | ---------- | ----------- | ---- |"]
            for offset, paper in enumerate(chunk):
                name = paper.title.split()[0] + "-" + str(start + offset) if offset % 3 == 0 else "-"
                lines.append(
                    f"| {paper.year}-{paper.month:02d} | {name} | {paper.title} | [paper]({paper.url(start + offset)}) |"
                )
                expected += 1
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return expected


# ------------------------------------------------------------------------ measuring
@dataclass
class Run:
    wall: float
    rss_mb: float
    returncode: int
    stderr: str
    requests: dict[str, int] = field(default_factory=dict)
    started: float = 0.0  #: time.monotonic() when the child was started
    #: seconds from the start to the first request, and from the last answer to the exit (None: no request)
    first_request: float | None = None
    after_last_answer: float | None = None

    def timeline(self) -> str:
        if self.first_request is None or self.after_last_answer is None:
            return ""
        return f"start to first request {self.first_request:.2f} s, last answer to exit {self.after_last_answer:.2f} s"


#: where the children keep their bytecode (set by main); None: as the environment says
PYCACHE: Path | None = None
#: --no-bytecode-cache: children compile as the environment says (PYTHONDONTWRITEBYTECODE), every start
NO_BYTECODE_CACHE = False


def base_env() -> dict[str, str]:
    """This process's environment minus any TRIDENTBIB_* setting, with bytecode caching as chosen."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIDENTBIB_")}
    if PYCACHE is not None:  # as after `pip install`: modules are compiled once, not on every start
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.update({"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"})
    return env


def clean_env(api: FakeAPI, scale: float) -> dict[str, str]:
    """The children's environment: pointed at the fake server, every service's delay scaled."""
    env = base_env()
    env.update(api.env())
    env.update({name: f"{default * scale:g}" for name, default in DEFAULT_DELAYS.items()})
    return env


def run_child(command: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run one child process; wall time and peak RSS of that child alone (os.wait4)."""
    with tempfile.TemporaryFile() as err, open(os.devnull, "wb") as out:
        started = time.monotonic()  # the clock the fake server stamps requests with
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(wall, usage.ru_maxrss / 1024, process.returncode, text, started=started)


def count_requests(api: FakeAPI) -> dict[str, int]:
    counts: dict[str, int] = {}
    for request in api.log:
        counts[request.service] = counts.get(request.service, 0) + 1
    return counts


def build(api: FakeAPI, list_path: Path, cache: Path, out: Path, scale: float, extra: Sequence[str] = ()) -> Run:
    api.clear_log()
    command = [
        sys.executable,
        "-m",
        "tridentbib",
        "build",
        str(list_path),
        "-o",
        str(out),
        "--cache-dir",
        str(cache),
        *extra,
    ]
    run = run_child(command, clean_env(api, scale), list_path.parent)
    run.requests = count_requests(api)
    log = api.log
    if log:
        run.first_request = min(r.started for r in log) - run.started
        run.after_last_answer = run.started + run.wall - max(r.finished or r.started for r in log)
    return run


def naive(api: FakeAPI, ids: list[str], delay: float) -> Run:
    """The one-paper-per-request tool: one ``id_list`` request per arXiv id, ``delay`` apart, one connection."""
    import httpx

    url = api.env()["TRIDENTBIB_ARXIV_API_URL"]
    api.clear_log()
    started = time.perf_counter()
    last = None
    found = 0
    with httpx.Client(timeout=60) as client:
        for ident in ids:
            if last is not None:
                time.sleep(max(0.0, delay - (time.monotonic() - last)))
            last = time.monotonic()
            response = client.get(url, params={"id_list": ident, "max_results": "1"})
            found += response.status_code == 200 and b"<entry>" in response.content
    wall = time.perf_counter() - started
    run = Run(wall, 0.0, 0 if found == len(ids) else 1, f"{found}/{len(ids)} found", count_requests(api))
    return run


def floor(arxiv_ids: int, delay: float, latency: float) -> float:
    """Issue 7's floor: the arXiv waits between batches plus each batch's latency."""
    requests = math.ceil(arxiv_ids / ARXIV_BATCH)
    return max(0, requests - 1) * delay + requests * latency


def paced_floor(requests: int, delay: float, latency: float) -> float:
    """The least time ``requests`` requests to one service can take, one connection, starts ``delay`` apart.

    Pacing counts from the start of one request to the start of the next, so
    a request's latency overlaps the wait before the next one; only the last
    answer's latency adds (issue 7's formula adds every latency, which only
    matters when there are many requests, as for the naive baseline).
    """
    return max(0, requests - 1) * max(delay, latency) + latency if requests else 0.0


def service_bound(requests: dict[str, int], scale: float, latency: float) -> tuple[float, str]:
    """The slowest service's own floor (services run concurrently, so this bounds the run)."""
    bounds = {
        name: paced_floor(count, DEFAULT_DELAYS[SERVICE_DELAY[name]] * scale, latency)
        for name, count in requests.items()
        if name in SERVICE_DELAY
    }
    if not bounds:
        return 0.0, "-"
    name = max(bounds, key=bounds.__getitem__)
    return bounds[name], name


def entries_in(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("@"))


def help_time(runs: int) -> tuple[float, str]:
    script = Path(sys.executable).parent / "tridentbib"
    command = [str(script), "--help"] if script.exists() else [sys.executable, "-m", "tridentbib", "--help"]
    env = base_env()
    run_child(command, env, ROOT)  # not timed: fills the bytecode cache
    times = [run_child(command, env, ROOT).wall for _ in range(runs)]
    return statistics.median(times), " ".join(
        Path(command[0]).name if i == 0 else part for i, part in enumerate(command)
    )


def has_venues() -> bool:
    text = subprocess.run(
        [sys.executable, "-m", "tridentbib", "build", "--help"], capture_output=True, text=True, env=base_env()
    ).stdout
    return "--venues" in text


def warm_up(work: Path) -> None:
    """One untimed cold build of a tiny mixed list, so every module the runs import is compiled first.

    After ``pip install`` every module has its bytecode; the measured runs should not
    pay for compiling the network path (httpx, the resolvers), as a first cold run here would.
    """
    global PYCACHE
    if PYCACHE is None and not NO_BYTECODE_CACHE:  # every benchmark warms up: all get bytecode as installed
        PYCACHE = work / "pycache"
    folder = work / "warm-up"
    folder.mkdir(exist_ok=True)
    with FakeAPI(latency=0) as api:
        papers = make_corpus(12, parse_mix("arxiv:50,openreview:25,acl:25"), 0, 90000)
        register(api, papers, 0)
        write_list(papers, folder / "list.md")
        command = [
            sys.executable,
            "-m",
            "tridentbib",
            "build",
            "list.md",
            "-o",
            "out.bib",
            "--cache-dir",
            "cache",
            "--venues",
            "full",
        ]
        run_child(command, clean_env(api, 0.0), folder)


# --------------------------------------------------------------------------- report
@dataclass
class Row:
    label: str
    n: int
    delay: float
    arxiv_ids: int
    cold: Run
    warm: Run | None
    floor: float
    bound: tuple[float, str]
    entries: str
    notes: str = ""

    @property
    def ratio(self) -> float:
        return self.cold.wall / self.floor if self.floor else float("nan")


def fmt_requests(requests: dict[str, int]) -> str:
    order = ("arxiv", "openreview2", "openreview1", "acl", "s2", "dblp")
    names = {"openreview2": "or2", "openreview1": "or1"}
    parts = [f"{names.get(name, name)} {requests[name]}" for name in order if requests.get(name)]
    parts += [f"{name} {count}" for name, count in requests.items() if name not in order]
    return f"{sum(requests.values())} ({', '.join(parts)})" if parts else "0"


def print_table(rows: list[Row], latency: float) -> None:
    header = (
        "run",
        "N",
        "arXiv delay",
        "arXiv ids",
        "cold s",
        "floor s",
        "cold/floor",
        "slowest service floor",
        "warm s",
        "cold requests",
        "warm req",
        "peak RSS cold/warm MB",
        "entries",
    )
    table = [header]
    for row in rows:
        warm = row.warm
        table.append(
            (
                row.label,
                str(row.n),
                f"{row.delay:g} s",
                str(row.arxiv_ids),
                f"{row.cold.wall:.2f}",
                f"{row.floor:.2f}",
                f"{row.ratio:.2f}x" if row.floor else "-",
                f"{row.bound[0]:.2f} ({row.bound[1]})",
                f"{warm.wall:.2f}" if warm else "-",
                fmt_requests(row.cold.requests),
                str(sum(warm.requests.values())) if warm else "-",
                f"{row.cold.rss_mb:.0f} / {warm.rss_mb:.0f}"
                if warm
                else (f"{row.cold.rss_mb:.0f}" if row.cold.rss_mb else "-"),
                row.entries,
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    print("| " + " | ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=False)) + " |")
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for line in table[1:]:
        print(
            "| "
            + " | ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=False))
            )
            + " |"
        )
    print(
        f"\nlatency {latency * 1000:g} ms per request; floor = (ceil(arxiv_ids/100) - 1) * delay + arxiv_requests * latency (issue 7);"
    )
    print(
        "naive floor and slowest service floor = (requests - 1) * max(delay, latency) + latency, for one service paced start to start"
    )
    print("(the slowest service floor is the largest over the services the run asked);")
    print(
        "other services' delays are tridentbib's defaults (OpenReview 1 s, ACL 0.5 s, S2 1 s, dblp 5 s) scaled by arXiv delay / 3 s."
    )
    for row in rows:
        if row.notes:
            print(f"  {row.label} N={row.n}: {row.notes}")


# ----------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark tridentbib against a local fake API (issue 7).")
    parser.add_argument("--sizes", default="200,2000,10000", help="comma-separated list sizes (default 200,2000,10000)")
    parser.add_argument(
        "--latency", type=float, default=0.05, help="seconds the server waits before each answer (default 0.05)"
    )
    parser.add_argument(
        "--delay", type=float, default=3.0, help=f"arXiv delay for lists of N <= {SMALL_MAX} (default 3, arXiv's rule)"
    )
    parser.add_argument(
        "--large-delay",
        type=float,
        default=0.2,
        help=f"arXiv delay for lists of N > {SMALL_MAX} (default 0.2, to keep the run short)",
    )
    parser.add_argument(
        "--naive-delay",
        type=float,
        default=0.1,
        help="arXiv delay for the naive baseline and the tridentbib run beside it (default 0.1)",
    )
    parser.add_argument(
        "--naive-max",
        type=int,
        default=SMALL_MAX,
        help=f"run the naive baseline only for N up to this (default {SMALL_MAX})",
    )
    parser.add_argument(
        "--venues-dblp-delay",
        type=float,
        default=0.1,
        help="dblp delay for the --venues full row (default 0.1; other services scaled alike)",
    )
    parser.add_argument(
        "--mix", default=SEED_MIX, help=f"link mix for N <= {SMALL_MAX} (default {SEED_MIX}, the seed list's)"
    )
    parser.add_argument("--large-mix", default=LARGE_MIX, help=f"link mix for N > {SMALL_MAX} (default {LARGE_MIX})")
    parser.add_argument(
        "--warm-runs", type=int, default=3, help="warm runs per size; the median is reported (default 3)"
    )
    parser.add_argument(
        "--help-runs", type=int, default=7, help="runs of `tridentbib --help`; the median is reported (default 7)"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed for the generated lists")
    parser.add_argument("--keep", type=Path, help="keep lists, caches and outputs in this directory")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="do not give the children a bytecode cache (PYTHONDONTWRITEBYTECODE, if set, then applies)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: sizes 20,60, no delays, 2 ms latency, one warm run"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.latency, args.delay, args.large_delay, args.naive_delay = "20,60", 0.002, 0.0, 0.0, 0.0
        args.venues_dblp_delay, args.warm_runs, args.help_runs, args.naive_max = 0.0, 1, 1, 20
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]

    global PYCACHE, NO_BYTECODE_CACHE
    work = Path(tempfile.mkdtemp(prefix="tridentbib-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    NO_BYTECODE_CACHE = args.no_bytecode_cache
    PYCACHE = None if args.no_bytecode_cache else work / "pycache"
    bytecode = (
        "cached, as after pip install (PYTHONPYCACHEPREFIX in the work directory)"
        if PYCACHE
        else f"as the environment says (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})"
    )
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}"
    )
    print(
        f"settings: latency {args.latency:g} s; arXiv delay {args.delay:g} s for N <= {SMALL_MAX}, {args.large_delay:g} s above; naive baseline at {args.naive_delay:g} s; bytecode {bytecode}",
        flush=True,
    )
    rows: list[Row] = []
    checks: list[tuple[str, bool, str]] = []
    venues_available = False
    try:
        if PYCACHE is not None:
            warm_up(work)
        help_median, help_command = help_time(args.help_runs)
        venues_available = has_venues()
        for n in sizes:
            small = n <= SMALL_MAX
            delay = args.delay if small else args.large_delay
            variants = [("tridentbib", parse_mix(args.mix if small else args.large_mix), 10000)]
            if small and n == min(sizes) and parse_mix(args.mix).get("arxiv", 0) < 1:
                variants.append(("tridentbib, arXiv links only", {"arxiv": 1.0}, 50000))
            with FakeAPI(latency=args.latency) as api:
                for variant, mix, first_number in variants:
                    papers = make_corpus(n, mix, args.seed + n, first_number)
                    register(api, papers, args.seed + n)
                    arxiv_ids = [p.id for p in papers if p.kind == "arxiv"]
                    kinds = {
                        kind: sum(p.kind == kind for p in papers) for kind in ("arxiv", "openreview", "acl", "other")
                    }
                    folder = work / f"n{n}-{first_number}"
                    folder.mkdir(exist_ok=True)
                    list_path = folder / "list.md"
                    expected = write_list(papers, list_path)
                    print(
                        f"N={n} ({variant}): {kinds['arxiv']} arXiv, {kinds['openreview']} OpenReview, {kinds['acl']} ACL, {kinds['other']} other links",
                        flush=True,
                    )

                    def measured(
                        label: str,
                        run_delay: float,
                        cache: Path,
                        extra: Sequence[str] = (),
                        warm_runs: int = args.warm_runs,
                        scale: float | None = None,
                    ) -> Row:
                        scale = run_delay / DEFAULT_DELAYS["TRIDENTBIB_ARXIV_DELAY"] if scale is None else scale
                        out = cache.parent / f"{cache.name}.bib"
                        shutil.rmtree(cache, ignore_errors=True)
                        out.unlink(missing_ok=True)
                        cold = build(api, list_path, cache, out, scale, list(extra))
                        warms = [build(api, list_path, cache, out, scale, list(extra)) for _ in range(warm_runs)]
                        warm = sorted(warms, key=lambda r: r.wall)[len(warms) // 2] if warms else None
                        notes: list[str] = []
                        if cold.returncode != 0:
                            last = cold.stderr.strip().splitlines()[-1] if cold.stderr.strip() else ""
                            notes.append(f"cold run exited {cold.returncode}: {last}")
                        if warm is not None and sum(warm.requests.values()):
                            notes.append(f"warm run made {sum(warm.requests.values())} requests")
                        notes.append(cold.timeline())
                        row = Row(
                            label,
                            n,
                            run_delay,
                            len(arxiv_ids),
                            cold,
                            warm,
                            floor(len(arxiv_ids), run_delay, args.latency),
                            service_bound(cold.requests, scale, args.latency),
                            f"{entries_in(out)}/{expected}",
                            "; ".join(filter(None, notes)),
                        )
                        print(
                            f"  {label} at {run_delay:g} s: cold {cold.wall:.2f} s, warm {warm.wall if warm else float('nan'):.2f} s, requests {fmt_requests(cold.requests)}",
                            flush=True,
                        )
                        return row

                    main_row = measured(variant, delay, folder / "cache")
                    rows.append(main_row)
                    naive_note = f"naive at {delay:g} s would take >= {paced_floor(len(arxiv_ids), delay, args.latency):.0f} s (its floor; not run)"
                    if variant != "tridentbib":
                        continue
                    if n <= args.naive_max:
                        naive_run = naive(api, arxiv_ids, args.naive_delay)
                        naive_floor = paced_floor(len(arxiv_ids), args.naive_delay, args.latency)
                        rows.append(
                            Row(
                                "naive, 1 id per request",
                                n,
                                args.naive_delay,
                                len(arxiv_ids),
                                naive_run,
                                None,
                                naive_floor,
                                (naive_floor, "arxiv"),
                                naive_run.stderr,
                                naive_note if args.naive_delay != delay else "",
                            )
                        )
                        print(f"  naive at {args.naive_delay:g} s: {naive_run.wall:.2f} s", flush=True)
                        if args.naive_delay != delay:
                            rows.append(
                                measured(
                                    "tridentbib, beside naive",
                                    args.naive_delay,
                                    folder / "cache-beside-naive",
                                    warm_runs=0,
                                )
                            )
                    else:
                        main_row.notes = "; ".join(filter(None, [main_row.notes, naive_note]))
                    if small and n == min(sizes) and venues_available:
                        scale = args.venues_dblp_delay / DEFAULT_DELAYS["TRIDENTBIB_DBLP_DELAY"]
                        row = measured(
                            "tridentbib --venues full",
                            scale * DEFAULT_DELAYS["TRIDENTBIB_ARXIV_DELAY"],
                            folder / "cache-venues",
                            ["--venues", "full"],
                            warm_runs=1,
                            scale=scale,
                        )
                        dblp = row.cold.requests.get("dblp", 0)
                        row.floor = dblp * args.venues_dblp_delay
                        row.notes = "; ".join(
                            filter(
                                None,
                                [
                                    f"floor here = dblp requests x TRIDENTBIB_DBLP_DELAY = {dblp} x {args.venues_dblp_delay:g} s",
                                    row.notes,
                                ],
                            )
                        )
                        rows.append(row)
                    if n == 200 and delay == 3.0:
                        checks.append(
                            (
                                f"cold N=200 at 3 s within 1.2x of the floor ({main_row.cold.wall:.2f} s vs {main_row.floor:.2f} s)",
                                main_row.ratio <= 1.2,
                                f"{main_row.ratio:.2f}x; slowest service: {main_row.bound[1]}, {main_row.bound[0]:.2f} s",
                            )
                        )
                    if n == 200 and main_row.warm is not None:
                        checks.append(
                            ("warm N=200 under 0.5 s", main_row.warm.wall < 0.5, f"{main_row.warm.wall:.2f} s")
                        )
                    if n == 10000:
                        if main_row.warm is not None:
                            checks.append(
                                ("warm N=10000 under 3 s", main_row.warm.wall < 3.0, f"{main_row.warm.wall:.2f} s")
                            )
                        peak = max(main_row.cold.rss_mb, main_row.warm.rss_mb if main_row.warm else 0)
                        checks.append(("peak RSS N=10000 under 200 MB", peak < 200, f"{peak:.0f} MB"))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nload average at end {os.getloadavg()[0]:.2f}")
    print_table(rows, args.latency)
    print()
    if not venues_available:
        print("venues: not available")
    print(f"`{help_command}`: {help_median:.3f} s (median of {args.help_runs})")
    checks.append(("`tridentbib --help` under 0.3 s", help_median < 0.3, f"{help_median:.3f} s"))
    print("\ntargets:")
    for text, ok, value in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}: {value}")
    return 0 if all(row.cold.returncode == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
