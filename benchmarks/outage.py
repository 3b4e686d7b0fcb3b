#!/usr/bin/env python3
"""How fast does a build give up when services are gone? (issue 13, item 5)

Builds the seed list (tests/fixtures/lists/speech-trident-awesome-list.md) with
``python -m tridentbib build`` as a subprocess, at the services' real delays and
default retries, in three outages:

* **nothing listening**: every service URL points at its own closed port on
  127.0.0.1 (connection refused; one port per service, as real services are on
  different hosts);
* **every route 503**: the test suite's fake server (tests/fakeapi) answers every
  request of every service with ``503 Service Unavailable``;
* **arXiv down, rest up**: arXiv's URL is a closed port; OpenReview, the ACL
  Anthology, dblp and Semantic Scholar are the fake server, which knows the seed
  list's OpenReview and ACL papers.

Each run starts with an empty cache and an existing output file, and prints the
wall time against the target, the requests the fake server saw per service, whether
the output was left untouched, and how many stderr lines mention arXiv (the
summary should say "arXiv is unreachable" once, not once per paper). Timing is
never asserted by the test suite: this script is where the targets are checked.

Usage::

    python benchmarks/outage.py                       # all three scenarios (about a minute)
    python benchmarks/outage.py --scenarios refused   # one of: refused, 503, arxiv-down
    python benchmarks/outage.py --src /tmp/base/src   # measure another checkout's tridentbib
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakeapi import ArxivPaper, FakeAPI, Fault, make_v2_note  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "lists" / "speech-trident-awesome-list.md"
#: environment variable of each service's URL -> the fake server's name for it
URL_VARIABLES = {
    "TRIDENTBIB_ARXIV_API_URL": "arxiv",
    "TRIDENTBIB_OPENREVIEW_API_URL": "openreview2",
    "TRIDENTBIB_OPENREVIEW_V1_API_URL": "openreview1",
    "TRIDENTBIB_ACL_URL": "acl",
    "TRIDENTBIB_DBLP_API_URL": "dblp",
    "TRIDENTBIB_S2_API_URL": "s2",
}
SCENARIOS = {
    "refused": ("nothing listening (connection refused everywhere)", 15.0),
    "503": ("every route answers 503", 30.0),
    "arxiv-down": ("arXiv down (refused), the rest up", 15.0),
}
PREVIOUS = "@misc{kept, title = {An existing output that an outage must not replace}}\n"


@dataclass
class Outcome:
    scenario: str
    wall: float
    target: float
    returncode: int
    requests: dict[str, int]
    untouched: bool
    stderr: str
    report: dict = field(default_factory=dict)
    #: service -> (first, last) request start, seconds after the child started (fake server only)
    timeline: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def arxiv_lines(self) -> int:
        return sum(1 for line in self.stderr.splitlines() if "arxiv" in line.lower())

    def resolved(self, kind: str) -> str:
        links = [link for link in self.report.get("links", []) if link.get("kind") == kind]
        ok = [link for link in links if link.get("outcome") in ("resolved", "cached", "merged")]
        return f"{len(ok)}/{len(links)}"


def seed_ids() -> dict[str, list[str]]:
    """The seed list's paper ids per kind, as tridentbib reads them."""
    from tridentbib.identifiers import PaperId
    from tridentbib.sources.markdown import read_markdown

    document = read_markdown(SEED.read_text(encoding="utf-8"), str(SEED))
    ids: dict[str, dict[str, None]] = {}
    for item in document.items:
        for link in item.links:
            if isinstance(link.target, PaperId):
                ids.setdefault(link.target.kind.value, {})[link.target.id] = None
    return {kind: list(found) for kind, found in ids.items()}


def register(api: FakeAPI, ids: dict[str, list[str]]) -> None:
    """Every paper of the seed list on the fake server, in its service's format."""
    for n, ident in enumerate(ids.get("arxiv", [])):
        api.arxiv.add_paper(
            ArxivPaper(
                ident,
                title=f"Seed paper {n} on speech language models",
                authors=[f"Author{n} Family{n}", "Hung-yi Lee"],
                published=f"20{ident[:2]}-{ident[2:4]}-01T00:00:00Z",
            )
        )
    for n, ident in enumerate(ids.get("openreview", [])):
        api.openreview.add_v2(make_v2_note(ident, f"Seed OpenReview paper {n}", ["Ann Lee", "Bo Chen"]))
    for n, ident in enumerate(ids.get("acl", [])):
        api.acl.add(
            ident,
            f'@inproceedings{{seed-acl-{n},\n    title = "Seed ACL paper {n}",\n    author = "Lee, Ann",\n    booktitle = "Proceedings of ACL",\n    year = "2024",\n    url = "https://aclanthology.org/{ident}/"\n}}\n',
        )


def closed_ports(count: int) -> list[int]:
    """Ports on 127.0.0.1 that nothing listens on (bound, then released)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def child_env(urls: dict[str, str], src: Path | None) -> dict[str, str]:
    """This environment without TRIDENTBIB_* settings (real delays, default retries), plus the URLs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIDENTBIB_")}
    env.update({"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"})
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), *filter(None, [env.get("PYTHONPATH")])])
    env.update(urls)
    return env


def run_build(scenario: str, urls: dict[str, str], api: FakeAPI | None, src: Path | None, timeout: float) -> Outcome:
    with tempfile.TemporaryDirectory(prefix=f"outage-{scenario}-") as folder:
        work = Path(folder)
        (work / "seed.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        out = work / "seed.bib"
        out.write_text(PREVIOUS, encoding="utf-8")
        os.utime(out, (1_000_000_000, 1_000_000_000))
        if api is not None:
            api.clear_log()
        command = [
            sys.executable,
            "-m",
            "tridentbib",
            "build",
            "seed.md",
            "-o",
            "seed.bib",
            "--cache-dir",
            "cache",
            "--report",
            "report.json",
        ]
        started = time.monotonic()
        try:
            completed = subprocess.run(
                command, cwd=work, env=child_env(urls, src), capture_output=True, text=True, timeout=timeout
            )
            returncode, stderr = completed.returncode, completed.stderr
        except subprocess.TimeoutExpired as expired:
            returncode, stderr = (
                -1,
                (expired.stderr or b"").decode("utf-8", "replace")
                if isinstance(expired.stderr, bytes)
                else (expired.stderr or ""),
            )
            stderr += f"\n(killed after {timeout:g} s)"
        wall = time.monotonic() - started
        requests: dict[str, int] = {}
        timeline: dict[str, tuple[float, float]] = {}
        for request in api.log if api is not None else []:
            requests[request.service] = requests.get(request.service, 0) + 1
            at = request.started - started
            first, last = timeline.get(request.service, (at, at))
            timeline[request.service] = (min(first, at), max(last, at))
        untouched = out.read_text(encoding="utf-8") == PREVIOUS and out.stat().st_mtime == 1_000_000_000
        report_path = work / "report.json"
        report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
        return Outcome(
            scenario, wall, SCENARIOS[scenario][1], returncode, requests, untouched, stderr, report, timeline
        )


def scenario_refused(src: Path | None, timeout: float) -> Outcome:
    ports = closed_ports(len(URL_VARIABLES))
    with FakeAPI() as api:  # only for the paths each variable needs
        paths = {name: api.env()[name][len(api.base) :] for name in URL_VARIABLES}
    urls = {name: f"http://127.0.0.1:{port}{paths[name]}" for name, port in zip(URL_VARIABLES, ports, strict=False)}
    return run_build("refused", urls, None, src, timeout)


def scenario_503(src: Path | None, timeout: float) -> Outcome:
    with FakeAPI(latency=0.05) as api:
        for service in URL_VARIABLES.values():
            api.fail_always(service, Fault.status(503, "Service Unavailable"))
        return run_build("503", api.env(), api, src, timeout)


def scenario_arxiv_down(src: Path | None, timeout: float) -> Outcome:
    (port,) = closed_ports(1)
    with FakeAPI(latency=0.05) as api:
        register(api, seed_ids())
        urls = api.env()
        urls["TRIDENTBIB_ARXIV_API_URL"] = (
            f"http://127.0.0.1:{port}" + urls["TRIDENTBIB_ARXIV_API_URL"][len(api.base) :]
        )
        return run_build("arxiv-down", urls, api, src, timeout)


RUNNERS = {"refused": scenario_refused, "503": scenario_503, "arxiv-down": scenario_arxiv_down}


def fmt_requests(requests: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(requests.items())) or "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of: {', '.join(SCENARIOS)} (default: all)"
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=None,
        help="put this directory first on the children's PYTHONPATH (another checkout's src/)",
    )
    parser.add_argument("--timeout", type=float, default=900, help="kill a build after this many seconds (default 900)")
    parser.add_argument("--show-stderr", action="store_true", help="print each build's whole stderr")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    code = subprocess.run(
        [sys.executable, "-c", "import tridentbib; print(tridentbib.__file__)"],
        env=child_env({}, args.src),
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(
        f"tridentbib under test: {code}; seed list: {SEED.relative_to(ROOT)}; real delays, default retries", flush=True
    )

    outcomes = []
    for name in chosen:
        outcome = RUNNERS[name](args.src, args.timeout)
        outcomes.append(outcome)
        verdict = "ok" if outcome.wall <= outcome.target else "OVER"
        print(
            f"\n== {SCENARIOS[name][0]}: {outcome.wall:.1f} s (target <= {outcome.target:g} s: {verdict}); exit {outcome.returncode}",
            flush=True,
        )
        print(f"   requests seen by the fake server: {fmt_requests(outcome.requests)}")
        if outcome.timeline:
            print(
                "   first/last request per service, s after start: "
                + ", ".join(
                    f"{name} {a:.1f}/{b:.1f}" for name, (a, b) in sorted(outcome.timeline.items(), key=lambda kv: kv[1])
                )
            )
        print(
            f"   existing output untouched: {'yes' if outcome.untouched else 'NO'}; stderr: {len(outcome.stderr.splitlines())} lines, {outcome.arxiv_lines} mentioning arXiv"
        )
        if outcome.report:
            print(
                f"   resolved (from --report): openreview {outcome.resolved('openreview')}, acl {outcome.resolved('acl')}, arxiv {outcome.resolved('arxiv')}"
            )
        lines = outcome.stderr.splitlines()
        shown = (
            lines
            if args.show_stderr
            else [line for line in lines if re.search(r"unreachable|unavailable|^tridentbib:", line)][:8]
        )
        for line in shown:
            print(f"   | {line[:220]}")

    print("\n| scenario | wall s | target s | verdict | exit | stderr lines | lines naming arXiv | output untouched |")
    print("|---|---|---|---|---|---|---|---|")
    for outcome in outcomes:
        verdict = "ok" if outcome.wall <= outcome.target else "over"
        print(
            f"| {SCENARIOS[outcome.scenario][0]} | {outcome.wall:.1f} | {outcome.target:g} | {verdict} | {outcome.returncode} | {len(outcome.stderr.splitlines())} | {outcome.arxiv_lines} | {'yes' if outcome.untouched else 'no'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
