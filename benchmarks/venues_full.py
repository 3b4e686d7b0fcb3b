#!/usr/bin/env python3
"""``--venues full`` on the seed list, cold, at the tool's default pacing (issue 17 item 3): tables of contents vs searches.

The seed list (tests/fixtures/lists/speech-trident-awesome-list.md, 181 arXiv ids)
on the test suite's fakes (tests/fakeapi, real HTTP on 127.0.0.1, ``--latency`` per
answer), every record invented by this script:

* each seed preprint is on arXiv with an invented title and authors; Semantic
  Scholar knows none of them (as in benchmarks/seed.py), so each waits for dblp;
* a share of them (``--published``) was published at one of 8 venue-years (ICASSP
  2024/2025, Interspeech 2023/2024, ACL 2024, EMNLP 2024, NeurIPS 2024, ICLR 2025;
  never a year before the preprint's), with the same title and authors in that
  year's dblp table of contents; each table is padded with other papers to about
  the year's real size (22 pages of 1000 in all), the seed's papers at random places;
* of those, a share (``--named``) says so in its arXiv comment ("Accepted to
  ICASSP 2024"); the others name nothing (they are found when their table is read
  for the rest, or by their title search);
* every preprint also has its dblp CoRR record (what a title search finds for an
  unpublished one).

Each scenario is run three times: once counting what the one-search-per-preprint
path asks (tables and batches off: ``TRIDENTBIB_DBLP_TOC_THRESHOLD=100000``,
``TRIDENTBIB_DBLP_BATCH=1``, no delays), then cold at the shipped delays (arXiv 3 s,
dblp 5 s, Semantic Scholar 1 s, ...) as shipped (tables, then batched title searches)
and with batched title searches only (tables off). Printed: wall time against the 90 s target, requests per service (dblp split into table pages and
title searches), the floor (dblp requests x 5 s), and whether both paths wrote the
same .bib, byte for byte.

Usage::

    python benchmarks/venues_full.py                  # scenarios "all published" and "60% published" (~8 min)
    python benchmarks/venues_full.py --published 1.0  # one scenario
    python benchmarks/venues_full.py --quick          # no delays, small tables (smoke run)
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src"), str(ROOT / "benchmarks")]

from run import DEFAULT_DELAYS, Run, clean_env, count_requests, entries_in, run_child, warm_up  # noqa: E402
from seed import SEED  # noqa: E402

from fakeapi import ArxivPaper, DblpRecord, FakeAPI  # noqa: E402
from tridentbib.identifiers import Kind  # noqa: E402
from tridentbib.lookup.needs import what_lists_need  # noqa: E402
from tridentbib.lookup.toc import Toc  # noqa: E402
from tridentbib.sources.files import read_input  # noqa: E402

TARGET = 90.0
TOC_PAGE = 1000
#: venue-year -> (its dblp venue name, about its real number of papers, its weight in a speech list)
TABLES: dict[Toc, tuple[str, int, int]] = {
    Toc("ICASSP", 2024): ("ICASSP", 2800, 16),
    Toc("ICASSP", 2025): ("ICASSP", 2900, 14),
    Toc("Interspeech", 2023): ("Interspeech", 1100, 12),
    Toc("Interspeech", 2024): ("Interspeech", 1250, 14),
    Toc("ACL", 2024): ("ACL (1)", 865, 8),
    Toc("EMNLP", 2024): ("EMNLP", 1270, 8),
    Toc("NeurIPS", 2024): ("NeurIPS", 4500, 14),
    Toc("ICLR", 2025): ("ICLR", 3700, 14),
}
WORDS = (
    "speech codec token spoken dialogue duplex streaming semantic acoustic prosody voice audio language "
    "model unit discrete synthesis recognition alignment instruction benchmark latent"
).split()
NAMES = "Ada Bo Cy Dee Eli Fay Gus Hal Ida Jo Kai Lin Mo Noa Oz Pia".split()
FAMILIES = "Tester Bench Sample Probe Mock Stub Fixture Dummy Proxy Shim".split()


def invented_title(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8))).capitalize() + f" Study{n:04d}"


def invented_authors(rng: random.Random) -> list[str]:
    return [f"{rng.choice(NAMES)} {rng.choice(FAMILIES)}{rng.randint(1, 99)}" for _ in range(rng.randint(2, 6))]


def register(api: FakeAPI, published: float, named: float, scale: float, seed: int = 17) -> dict[str, int]:
    """Invented arXiv and dblp records for the seed's preprints; returns the shape."""
    rng = random.Random(seed)
    ids = what_lists_need([read_input(SEED)]).ids.get(Kind.ARXIV, [])
    tables: dict[Toc, list[DblpRecord]] = {toc: [] for toc in TABLES}
    shape = {"preprints": len(ids), "published": 0, "named": 0}
    for n, ident in enumerate(ids):
        year = 2000 + int(ident[:2])
        title, names = invented_title(rng, n), invented_authors(rng)
        comment = None
        eligible = [toc for toc in TABLES if toc.year >= year]
        if eligible and rng.random() < published:
            toc = rng.choices(eligible, weights=[TABLES[t][2] for t in eligible])[0]
            venue = TABLES[toc][0]
            short = toc.id.split("/")[2]
            tables[toc].append(
                DblpRecord(
                    title,
                    names,
                    venue=venue,
                    year=toc.year,
                    key=f"conf/{short}/Seed{n}{toc.year % 100}",
                    toc=toc.id,
                    doi=f"10.5555/{short}.{toc.year}.{n}",
                    ee=f"https://doi.org/10.5555/{short}.{toc.year}.{n}",
                    pages=f"{1000 + 5 * n}-{1004 + 5 * n}",
                )
            )
            shape["published"] += 1
            if rng.random() < named:
                comment = f"Accepted to {toc.venue} {toc.year}. 5 pages"
                shape["named"] += 1
        month = ident[2:4]
        api.arxiv.add_paper(
            ArxivPaper(ident, title=title, authors=names, published=f"{year}-{month}-15T10:00:00Z", comment=comment)
        )
        api.dblp.add(  # dblp's CoRR record of the preprint itself
            DblpRecord(
                title,
                names,
                venue="CoRR",
                year=year,
                key=f"journals/corr/abs-{ident[:4]}-{ident[5:]}",
                type="Informal and Other Publications",
                ee=f"https://arxiv.org/abs/{ident}",
                toc="",
            )
        )
    pages = 0
    for toc, records in tables.items():
        venue, size = TABLES[toc][0], max(round(TABLES[toc][1] * scale), len(records))
        short = toc.id.split("/")[2]
        for k in range(size - len(records)):
            records.append(
                DblpRecord(
                    f"Other {venue} paper number P{k:05d} of {toc.year}",
                    [f"{rng.choice(NAMES)} Other{k}"],
                    venue=venue,
                    year=toc.year,
                    key=f"conf/{short}/Other{k}{toc.year % 100}",
                    toc=toc.id,
                )
            )
        rng.shuffle(records)  # a table lists papers in the proceedings' order, not the list's
        for record in records:
            api.dblp.add(record)
        pages += math.ceil(size / TOC_PAGE)
    shape["toc pages"] = pages
    return shape


def build(api: FakeAPI, cache: Path, out: Path, scale: float, extra_env: dict[str, str] | None = None) -> Run:
    """One ``tridentbib build SEED --venues full`` child with every shipped delay times ``scale``."""
    api.clear_log()
    env = {**clean_env(api, scale), **(extra_env or {})}
    command = [sys.executable, "-m", "tridentbib", "build", str(SEED), "-o", str(out), "--cache-dir", str(cache)]
    run = run_child([*command, "--venues", "full"], env, cache.parent)
    run.requests = count_requests(api)
    return run


def dblp_split(api: FakeAPI) -> tuple[int, int]:
    dblp = [r for r in api.log if r.service == "dblp"]
    pages = sum(1 for r in dblp if r.param("q", "").startswith("toc:"))
    return pages, len(dblp) - pages


def scenario(work: Path, label: str, published: float, named: float, args: argparse.Namespace, n: int) -> None:
    delays = 0.0 if args.quick else 1.0
    pace = DEFAULT_DELAYS["TRIDENTBIB_DBLP_DELAY"]
    with FakeAPI(latency=args.latency) as api:
        shape = register(api, published, named, 0.05 if args.quick else 1.0)
        print(
            f"{label}: {shape['preprints']} preprints, {shape['published']} in the 8 venue-year tables "
            f"({shape['named']} named by their arXiv comment), {shape['toc pages']} table pages of {TOC_PAGE}",
            flush=True,
        )
        per_paper = build(
            api,
            work / f"c{n}a",
            work / f"per-paper{n}.bib",
            0.0,
            {"TRIDENTBIB_DBLP_TOC_THRESHOLD": "100000", "TRIDENTBIB_DBLP_BATCH": "1"},
        )
        _, searches = dblp_split(api)
        print(
            f"    one search per preprint: {searches} dblp title searches = {max(0, searches - 1) * pace:g} s of dblp "
            f"pacing at {pace:g} s (counted with no delays; exit {per_paper.returncode})"
        )
        routes = [
            ("tables of contents, then batched searches (default)", "toc", {}),
            ("batched searches only (TRIDENTBIB_DBLP_TOC_THRESHOLD=100000)", "batched", _NO_TABLES),
        ]
        for name, stem, env in routes:
            run = build(api, work / f"c{n}{stem}", work / f"{stem}{n}.bib", delays, env)
            pages, searches = dblp_split(api)
            verdict = "" if args.quick else f"  [{'ok' if run.wall <= TARGET else 'MISSED'} <= {TARGET:g} s]"
            same = (work / f"{stem}{n}.bib").read_bytes() == (work / f"per-paper{n}.bib").read_bytes()
            print(
                f"    cold, {name}: {run.wall:.1f} s{verdict}; exit {run.returncode}; "
                f"{entries_in(work / f'{stem}{n}.bib')} entries"
            )
            print(
                f"      requests per service {dict(sorted(run.requests.items()))}; dblp: {pages} table pages, "
                f"{searches} title searches; dblp floor {max(0, pages + searches - 1) * pace:g} s; "
                f".bib byte-identical to the per-paper path: {same}",
                flush=True,
            )
            if run.returncode not in (0, 1):
                print("    " + "\n    ".join(run.stderr.strip().splitlines()[-5:]))


_NO_TABLES = {"TRIDENTBIB_DBLP_TOC_THRESHOLD": "100000"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", type=float, action="append", help="share of preprints in a table (repeatable)")
    parser.add_argument("--named", type=float, default=0.85, help="share of those naming their venue-year (0.85)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the fakes wait before each answer")
    parser.add_argument("--quick", action="store_true", help="no delays, tables at 5%% of their size (smoke run)")
    args = parser.parse_args(argv)
    shares = args.published or [1.0, 0.6]
    with tempfile.TemporaryDirectory(prefix="tridentbib-venues-") as folder:
        work = Path(folder)
        warm_up(work)
        pacing = ", ".join(f"{k.removeprefix('TRIDENTBIB_').lower()} {v:g} s" for k, v in DEFAULT_DELAYS.items())
        print(f"pacing: {'none (quick)' if args.quick else pacing}; latency {args.latency * 1000:g} ms per answer\n")
        for n, share in enumerate(shares):
            scenario(work, f"({chr(97 + n)}) {share:.0%} of the seed's preprints published", share, args.named, args, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
