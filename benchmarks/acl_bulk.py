#!/usr/bin/env python3
"""ACL Anthology in bulk (issue 17 item 1): one export download against one ``.bib`` per paper.

Generates a list of ``--papers`` ACL papers (default 500) spread over ``--volumes``
volumes (default 40; new-style ``2023.acl-long.N`` and old-style ``P19-1NNN`` /
``W18-54NN`` ids), registers them on the test suite's fake Anthology
(tests/fakeapi/acl.py), and runs ``python -m tridentbib build`` as a subprocess
with a fresh cache twice:

* **per paper**: ``TRIDENTBIB_ACL_BULK_THRESHOLD`` above the list's size (today's path);
* **bulk**: the default threshold, so the run downloads ``anthology+abstracts.bib.gz``.

Both at the shipped ACL delay (0.5 s) unless ``--delay`` says otherwise. The fake's
bulk file holds the list's papers plus ``--filler`` other entries (default 90,000,
about the real export's ~100 MB of BibTeX) so the download and the stream parse cost
what they would for the real file. It then runs a second list of 30 other papers
against the bulk run's cache (zero requests expected) and checks the two outputs are
byte-identical.

Usage::

    python benchmarks/acl_bulk.py              # ~4.5 minutes (the per-paper run is 500 x 0.5 s)
    python benchmarks/acl_bulk.py --quick      # 60 papers, no delay, small filler
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from fakeapi import FakeAPI  # noqa: E402
from tridentbib.identifiers.grammar import acl_volume  # noqa: E402


def paper_ids(count: int, volumes: int) -> list[str]:
    """``count`` ids over ``volumes`` volumes: three quarters new-style, a quarter old-style."""
    old = max(1, volumes // 4)
    new = volumes - old
    ids = []
    for n in range(count):
        volume = n % volumes
        number = n // volumes + 1
        if volume < new:
            ids.append(f"{2010 + volume % 14}.{['acl', 'emnlp', 'naacl'][volume % 3]}-v{volume}.{number}")
        elif volume % 2:
            ids.append(f"P{10 + volume:02d}-1{number:03d}")
        else:
            ids.append(f"W{10 + volume:02d}-54{number:02d}")
    return ids


_WORDS = (
    "model language speech corpus parsing translation neural attention token annotation dialogue "
    "evaluation semantic syntactic retrieval summarization {C}atalan {T}agalog benchmark transfer"
).split()


def anthology_bib(ident: str, n: int) -> str:
    """One ``.bib`` in the Anthology's shape, with an abstract of a realistic length (~1 kB of varied words)."""
    year = ident[:4] if "." in ident else "20" + ident[1:3]
    rng = random.Random(n)
    abstract = " ".join(rng.choice(_WORDS) + ("." if rng.random() < 0.07 else "") for _ in range(130))
    return (
        f"@inproceedings{{surname{n}-etal-{year}-paper,\n"
        f'    title = "Paper {n}: A Study of {{C}}atalan Speech",\n'
        f'    author = "Surname{n}, Given  and\n      Other, Person",\n'
        f'    booktitle = "Proceedings of {acl_volume(ident)}",\n'
        "    month = jul,\n"
        f'    year = "{year}",\n'
        '    address = "Florence, Italy",\n'
        '    publisher = "Association for Computational Linguistics",\n'
        f'    url = "https://aclanthology.org/{ident}/",\n'
        f'    doi = "10.18653/v1/{ident}",\n'
        f'    pages = "{n}--{n + 9}",\n'
        f'    abstract = "{abstract}"\n'
        "}\n"
    )


def build(api: FakeAPI, md: Path, cache: Path, out: Path, env: dict[str, str]) -> tuple[float, int, list[str]]:
    """Wall time, ACL requests and their paths of one cold ``tridentbib build``."""
    api.clear_log()
    environment = {**os.environ, **api.env(), "TRIDENTBIB_VENUES": "off", **env}
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "tridentbib", "build", str(md), "-o", str(out), "--cache-dir", str(cache)],
        env=environment,
        check=True,
        capture_output=True,
    )
    elapsed = time.monotonic() - started
    paths = [r.subpath for r in api.requests("acl")]
    return elapsed, len(paths), paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=500)
    parser.add_argument("--volumes", type=int, default=40)
    parser.add_argument("--delay", type=float, default=0.5, help="TRIDENTBIB_ACL_DELAY (default 0.5, as shipped)")
    parser.add_argument("--latency", type=float, default=0.01, help="seconds the fake waits per answer")
    parser.add_argument("--filler", type=int, default=90_000, help="other entries in the bulk file")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.papers, args.delay, args.latency, args.filler = 60, 0.0, 0.002, 2000
    ids = paper_ids(args.papers + 30, args.volumes)
    listed, second = ids[: args.papers], ids[args.papers :]
    with FakeAPI(latency=args.latency) as api, tempfile.TemporaryDirectory(prefix="acl-bulk-bench-") as tmp:
        work = Path(tmp)
        texts = []
        for n, ident in enumerate(ids):
            api.acl.add(ident, anthology_bib(ident, n))
            texts.append(api.acl._papers[ident].bibtex.strip() + "\n")
        filler = [anthology_bib(f"1999.filler-{n // 1000}.{n % 1000 + 1}", 10_000 + n) for n in range(args.filler)]
        text = "\n".join(filler[: len(filler) // 2] + texts + filler[len(filler) // 2 :]).encode("utf-8")
        api.acl.bulk_bytes = gzip.compress(text, compresslevel=6, mtime=0)
        md = work / "list.md"
        md.write_text("# ACL\n\n" + "".join(f"- https://aclanthology.org/{i}/\n" for i in listed), encoding="utf-8")
        md2 = work / "second.md"
        md2.write_text("# More\n\n" + "".join(f"- https://aclanthology.org/{i}/\n" for i in second), encoding="utf-8")
        pace = {"TRIDENTBIB_ACL_DELAY": str(args.delay)}
        print(
            f"{args.papers} ACL papers over {len({acl_volume(i) for i in listed})} volumes; ACL delay {args.delay:g} s, "
            f"latency {args.latency * 1000:g} ms; bulk file {len(api.acl.bulk_bytes) / 1e6:.1f} MB gzip, "
            f"{len(text) / 1e6:.1f} MB BibTeX ({len(filler) + len(texts)} entries)"
        )
        bulk_time, bulk_requests, _ = build(api, md, work / "c-bulk", work / "bulk.bib", pace)
        warm_time, warm_requests, _ = build(api, md2, work / "c-bulk", work / "second.bib", pace)
        per_time, per_requests, _ = build(
            api, md, work / "c-per", work / "per.bib", {**pace, "TRIDENTBIB_ACL_BULK_THRESHOLD": str(10**9)}
        )
        same = (work / "bulk.bib").read_bytes() == (work / "per.bib").read_bytes()
        print(f"{'path':<34} {'cold time':>10} {'ACL requests':>13}")
        print(f"{'per paper (threshold forced off)':<34} {per_time:>9.1f}s {per_requests:>13}")
        print(f"{'bulk (default threshold 50)':<34} {bulk_time:>9.1f}s {bulk_requests:>13}")
        print(
            f"{'second list, 30 new papers':<34} {warm_time:>9.1f}s {warm_requests:>13}   (reuses the cached bulk file)"
        )
        print(f"outputs byte-identical: {same}")


if __name__ == "__main__":
    main()
