#!/usr/bin/env python3
"""A big real-shaped list, cold, at the tool's default pacing (issue 17 item 5): with and without OpenReview's challenge.

The benchmark makes its own list (no third-party files): 1,000 papers in awesome-list
tables (| Date | Paper Title | Venue | Link |), of which

* 500 ACL Anthology papers over 40 volumes (ids and ``.bib`` texts as in
  benchmarks/acl_bulk.py; the fake's ``anthology+abstracts.bib.gz`` also holds
  ``--filler`` other entries, default 90,000, about the real export's size);
* 200 OpenReview papers over 6 ICLR years (2019-2024), the Venue cell saying
  ``ICLR 2021``; 190 are in their year's dblp table of contents (each table padded
  to the year's real size with other papers: 502 ... 2,260, so 10 pages in all, the
  list's papers at random places in it),
  10 are workshop papers (``ICLR 2021 Workshop``: no table is read for them, dblp's
  title search finds them);
* 300 arXiv preprints.

It starts the test suite's fakes (tests/fakeapi, real HTTP on 127.0.0.1, ``--latency``
per answer, default 50 ms) and runs ``python -m tridentbib build`` as a child with a
fresh cache and every service's shipped delay (arXiv 3 s, OpenReview 1 s, ACL 0.5 s,
dblp 5 s, Semantic Scholar 1 s):

(a) the big list, OpenReview answering (target <= 60 s);
(b) the big list under OpenReview's guest challenge (403 ChallengeRequiredError:
    every OpenReview paper goes to dblp; target <= 300 s);
(c) the seed list (tests/fixtures/lists/speech-trident-awesome-list.md, as
    benchmarks/seed.py) under the challenge (target <= 10 s): its OpenReview rows name
    no venue-year, so their dblp title searches go in batches (lookup/dblp_batch.py).

For each: wall time, requests per service (dblp split into table-of-contents pages
and title searches), entries written, and the floor of the slowest service.

Usage::

    python benchmarks/big_list.py             # a few minutes
    python benchmarks/big_list.py --quick     # a small list, no delays (smoke run)
"""

from __future__ import annotations

import argparse
import gzip
import math
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src"), str(ROOT / "benchmarks")]

from acl_bulk import anthology_bib, paper_ids  # noqa: E402
from run import DEFAULT_DELAYS, build, entries_in, warm_up  # noqa: E402
from seed import SEED  # noqa: E402
from seed import register as register_seed  # noqa: E402

from fakeapi import ArxivPaper, DblpRecord, FakeAPI, make_v2_note  # noqa: E402
from tridentbib.identifiers import Kind  # noqa: E402
from tridentbib.identifiers.grammar import acl_volume  # noqa: E402
from tridentbib.lookup.needs import what_lists_need  # noqa: E402
from tridentbib.sources.files import read_input  # noqa: E402

#: ICLR's accepted papers per year (about the real numbers): the size of each dblp table of contents
ICLR_SIZES = {2019: 502, 2020: 687, 2021: 860, 2022: 1095, 2023: 1574, 2024: 2260}
TOC_PAGE = 1000
WORDS = (
    "graph neural robust efficient sparse latent diffusion policy agent reasoning memory attention "
    "contrastive causal planning retrieval alignment token speech vision language scaling"
).split()
FAMILY = "Lovelace Turing Hopper Liskov Knuth Shannon Lamport Perlman Bengio Müller García Zhang".split()
GIVEN = "Ada Alan Grace Barbara Donald Claude Leslie Radia Yoshua Zoë José Ying".split()


@dataclass
class Row:
    kind: str
    ident: str
    title: str
    venue: str
    date: str

    @property
    def url(self) -> str:
        if self.kind == "arxiv":
            return f"https://arxiv.org/abs/{self.ident}"
        if self.kind == "acl":
            return f"https://aclanthology.org/{self.ident}/"
        return f"https://openreview.net/forum?id={self.ident}"


def forum_id(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") for _ in range(10))


def a_title(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize() + f" {n}"


def authors(rng: random.Random) -> list[str]:
    return [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(rng.randint(1, 6))]


def make_list(
    api: FakeAPI, path: Path, acl: int, volumes: int, openreview: int, arxiv: int, filler: int, scale: float
) -> dict[str, int]:
    """Register every paper on the fakes, write the list; returns what it holds."""
    rng = random.Random(17)
    rows: list[Row] = []
    # ACL: the shapes of benchmarks/acl_bulk.py, and the whole-Anthology export
    texts = []
    for n, ident in enumerate(paper_ids(acl, volumes)):
        api.acl.add(ident, anthology_bib(ident, n))
        texts.append(api.acl._papers[ident].bibtex.strip() + "\n")
        rows.append(Row("acl", ident, f"Paper {n}: A Study of Catalan Speech", "ACL", f"20{n % 14 + 10}-07"))
    fill = [anthology_bib(f"1999.filler-{n // 1000}.{n % 1000 + 1}", 10_000 + n) for n in range(filler)]
    api.acl.bulk_bytes = gzip.compress(
        "\n".join(fill[: filler // 2] + texts + fill[filler // 2 :]).encode("utf-8"), compresslevel=6, mtime=0
    )
    # OpenReview: ICLR years; each year's dblp table of contents padded to its size
    years = list(ICLR_SIZES)
    workshop = max(1, openreview // 20)
    tables: dict[int, list[DblpRecord]] = {year: [] for year in years}  # shuffled below: the list's papers anywhere
    for n in range(openreview):
        year = years[n % len(years)]
        ident, title, names = forum_id(rng), a_title(rng, n), authors(rng)
        in_workshop = n < workshop
        api.openreview.add_v2(
            make_v2_note(ident, title, names, "An abstract.", f"ICLR {year} Poster", f"ICLR.cc/{year}/Conference")
        )
        tables[year].append(
            DblpRecord(
                title,
                names,
                venue="ICLR (Workshop)" if in_workshop else "ICLR",
                year=year,
                key=f"conf/iclr/{names[0].split()[-1]}W{n}{year % 100}"
                if in_workshop
                else f"conf/iclr/P{n}{year % 100}",
                toc=f"db/conf/iclr/iclr{year}w.bht" if in_workshop else None,
                ee=f"https://openreview.net/forum?id={ident}",
            )
        )
        venue = f"ICLR {year} Workshop" if in_workshop else f"ICLR {year}"
        rows.append(Row("openreview", ident, title, venue, f"{year - 1}-10"))
    listed = {year: sum(1 for r in rows if r.venue == f"ICLR {year}") for year in years}
    for year, size in ICLR_SIZES.items():
        for n in range(max(0, round(size * scale) - listed[year])):
            tables[year].append(
                DblpRecord(
                    a_title(rng, 90_000 + n),
                    authors(rng),
                    venue="ICLR",
                    year=year,
                    key=f"conf/iclr/Other{n}{year % 100}",
                    ee=f"https://openreview.net/forum?id={forum_id(rng)}",
                )
            )
    for records in tables.values():
        rng.shuffle(records)  # a table of contents lists papers in the proceedings' order, not the list's
        for record in records:
            api.dblp.add(record)
    # arXiv preprints
    for n in range(arxiv):
        ident = f"{18 + n % 7}{1 + n % 12:02d}.{20000 + n:05d}"
        title = a_title(rng, n)
        api.arxiv.add_paper(ArxivPaper(ident, title=title, authors=authors(rng)))
        rows.append(Row("arxiv", ident, title, "arXiv", f"20{ident[:2]}-{ident[2:4]}"))
    rng.shuffle(rows)
    lines = ["# A big generated reading list", "", "Made by benchmarks/big_list.py.", ""]
    for section, start in enumerate(range(0, len(rows), 25)):
        lines += [f"## Topic {section + 1}", "", "| Date | Paper Title | Venue | Link |", "|---|---|---|---|"]
        lines += [f"| {r.date} | {r.title} | {r.venue} | [paper]({r.url}) |" for r in rows[start : start + 25]]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    toc_pages = sum(math.ceil(round(size * scale) / TOC_PAGE) for size in ICLR_SIZES.values())
    return {
        "acl": acl,
        "acl volumes": len({acl_volume(r.ident) for r in rows if r.kind == "acl"}),
        "openreview": openreview,
        "workshop": workshop,
        "arxiv": arxiv,
        "toc pages": toc_pages,
    }


def seed_dblp(api: FakeAPI) -> int:
    """dblp records (ICLR 2025, forum URL in ``ee``) for the seed's OpenReview papers; returns how many."""
    needs = what_lists_need([read_input(SEED)])
    ids = needs.ids.get(Kind.OPENREVIEW, [])
    for n, ident in enumerate(ids):
        api.dblp.add(
            DblpRecord(
                needs.titles.get(f"openreview:{ident}", f"Seed Forum {n}"),
                ["Cy Seed"],
                venue="ICLR",
                year=2025,
                key=f"conf/iclr/Seed{n}25",
                ee=f"https://openreview.net/forum?id={ident}",
            )
        )
    return len(ids)


def report(label: str, api: FakeAPI, run, out: Path, target: float | None) -> None:
    dblp = [r for r in api.log if r.service == "dblp"]
    tocs = sum(1 for r in dblp if r.param("q", "").startswith("toc:"))
    requests = dict(sorted(run.requests.items()))
    verdict = "" if target is None else f"  [{'ok' if run.wall <= target else 'MISSED'} <= {target:g} s]"
    print(f"{label}: {run.wall:.1f} s{verdict}; exit {run.returncode}; {entries_in(out)} entries", flush=True)
    print(
        f"    requests per service {requests}; dblp: {tocs} table-of-contents pages, {len(dblp) - tocs} title searches"
    )
    if run.returncode not in (0, 1):
        print("    " + "\n    ".join(run.stderr.strip().splitlines()[-5:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the fakes wait before each answer")
    parser.add_argument("--filler", type=int, default=90_000, help="other entries in the Anthology export")
    parser.add_argument("--quick", action="store_true", help="100 papers, no delays, small tables (smoke run)")
    args = parser.parse_args(argv)
    scale, size, delays = 1.0, (500, 40, 200, 300), 1.0
    if args.quick:
        scale, size, delays, args.filler, args.latency = 0.05, (50, 8, 36, 14), 0.0, 500, 0.0
    with tempfile.TemporaryDirectory(prefix="tridentbib-big-") as folder:
        work = Path(folder)
        warm_up(work)
        with FakeAPI(latency=args.latency) as api:
            shape = make_list(api, work / "big.md", *size, args.filler, scale)
            seed_or = seed_dblp(api)
            register_seed(api)
            pacing = ", ".join(
                f"{k.removeprefix('TRIDENTBIB_').lower()} {v * delays:g} s" for k, v in DEFAULT_DELAYS.items()
            )
            print(
                f"big list: {sum(shape[k] for k in ('acl', 'openreview', 'arxiv'))} papers: {shape['acl']} ACL over "
                f"{shape['acl volumes']} volumes, {shape['openreview']} OpenReview over {len(ICLR_SIZES)} ICLR years "
                f"({shape['workshop']} of them workshop papers), {shape['arxiv']} arXiv; ICLR tables of contents: "
                f"{shape['toc pages']} pages of {TOC_PAGE}; Anthology export {len(api.acl.bulk_bytes or b'') / 1e6:.1f} MB gzip"
            )
            print(f"pacing: {pacing}; latency {args.latency * 1000:g} ms per answer\n", flush=True)
            runs = [
                ("(a) big list, OpenReview answering", work / "big.md", False, 60.0),
                ("(b) big list, OpenReview challenge", work / "big.md", True, 300.0),
                (f"(c) seed list ({seed_or} OpenReview papers), challenge", SEED, True, 10.0),
            ]
            for n, (label, listed, challenge, target) in enumerate(runs):
                api.openreview.require_auth = challenge
                out = work / f"out{n}.bib"
                run = build(api, listed, work / f"cache{n}", out, delays)
                report(label, api, run, out, None if args.quick else target)
            dblp = run.requests.get("dblp", 0)  # (c), the last run
            pace = DEFAULT_DELAYS["TRIDENTBIB_DBLP_DELAY"] * delays
            print(
                f"\n(c)'s floor under the challenge: its {seed_or} OpenReview rows name no venue, so no table of "
                f"contents can be chosen; their dblp title searches and the title route's go in batches "
                f"({dblp} dblp requests in all), {pace:g} s apart: >= {max(0, dblp - 1) * pace:g} s "
                f"(one search each: {max(0, seed_or - 1) * pace:g} s for the OpenReview papers alone)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
