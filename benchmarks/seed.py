"""The seed list, cold and warm, at arXiv's real 3 s pacing: how close a run comes to the floor.

    python benchmarks/seed.py            # 3 cold runs and 5 warm runs (about 20 s)
    python benchmarks/seed.py --cold 1   # one cold run

The test suite's fake services answer every arXiv and OpenReview id the seed list
names with an invented record (50 ms latency per request, tests/fakeapi/); the
tool runs as a child process with the real default delays. Figures: wall time,
when the first request left and how long the run went on after the last answer
(both from the server's log), the floor ``(arxiv requests - 1) * 3 s + arxiv
requests * latency`` (the id batches, ``ceil(ids / 100)``, plus the title route's
arXiv title searches for the rows no service answers, counted from the server's
log), and the warm run's median.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src"), str(ROOT / "benchmarks")]

from run import build, warm_up  # noqa: E402

from fakeapi import ArxivPaper, FakeAPI, make_v2_note  # noqa: E402
from tridentbib.identifiers import Kind  # noqa: E402
from tridentbib.lookup.needs import what_lists_need  # noqa: E402
from tridentbib.sources.files import read_input  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "lists" / "speech-trident-awesome-list.md"
ARXIV_DELAY = 3.0


def register(api: FakeAPI) -> int:
    """Invented records for the seed's ids; returns how many arXiv ids it names."""
    needs = what_lists_need([read_input(SEED)])
    arxiv = needs.ids.get(Kind.ARXIV, [])
    for n, ident in enumerate(arxiv):
        api.arxiv.add_paper(ArxivPaper(ident, title=f"Seed Paper {n}", authors=["Ada Seed", "Bo Bench"]))
    for n, ident in enumerate(needs.ids.get(Kind.OPENREVIEW, [])):
        api.openreview.add_v2(make_v2_note(ident, f"Seed Forum {n}", ["Cy Seed"]))
    return len(arxiv)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", type=int, default=3, help="cold runs (empty cache each), default 3")
    parser.add_argument("--warm", type=int, default=5, help="warm runs, default 5")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the server waits before each answer")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tridentbib-seed-") as folder:
        work = Path(folder)
        warm_up(work)
        with FakeAPI(latency=args.latency) as api:
            ids = register(api)
            batches = math.ceil(ids / 100)
            colds = []
            floor = 0.0
            for n in range(args.cold):
                run = build(api, SEED, work / f"cache{n}", work / "out.bib", 1.0)
                colds.append(run)
                asked = max(batches, run.requests.get("arxiv", 0))
                floor = (asked - 1) * ARXIV_DELAY + asked * args.latency
                print(
                    f"cold {n + 1}: {run.wall:.2f} s ({run.wall / floor:.2f}x floor {floor:.2f} s); first request after {run.first_request:.2f} s; "
                    f"{run.after_last_answer:.2f} s after the last answer; requests {dict(sorted(run.requests.items()))}; exit {run.returncode}"
                )
            warms = [build(api, SEED, work / "cache0", work / "out.bib", 1.0).wall for _ in range(args.warm)]
    best = min(colds, key=lambda r: r.wall)
    print(
        f"seed list: {ids} arXiv ids; cold best {best.wall:.2f} s = {best.wall / floor:.2f}x the floor; "
        f"cold median {statistics.median(r.wall for r in colds):.2f} s; warm median {statistics.median(warms):.2f} s (of {len(warms)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
