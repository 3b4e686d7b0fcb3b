"""Invented records on the test suite's fakes for every id a list links, per kind (a helper for the benchmarks).

:func:`register_links` reads a :class:`tridentbib.lookup.needs.Needs` (what the tool
itself reads from a list) and registers one invented paper per id on the fake of its
service, so every service answers as the real one would for a known paper. Where the
tool compares a record's title with its row (a non-arXiv/OpenReview/ACL link in a
bullet, the NeurIPS year index, the title route) the record carries the row's title
and the row's first author and year, so the identity checks pass; arXiv, OpenReview
and ACL records get invented titles (their id is the paper, and an invented title
keeps arXiv's title search from finding them).

:func:`register_title_hits` makes Semantic Scholar's title match answer each title the
title route may ask with a hit carrying a new arXiv id, and registers that arXiv paper
(row title, row's authors and year).
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [p for p in (str(ROOT / "tests"), str(ROOT / "src")) if p not in sys.path]

from acl_bulk import anthology_bib  # noqa: E402

from fakeapi import ArxivPaper, FakeAPI, S2Paper, make_v2_note  # noqa: E402
from fakeapi.crossref import make_work  # noqa: E402
from fakeapi.cvf import CvfPaper  # noqa: E402
from fakeapi.isca import IscaPaper  # noqa: E402
from fakeapi.jmlr import JmlrPaper  # noqa: E402
from fakeapi.neurips import NeuripsPaper  # noqa: E402
from fakeapi.pmlr import PmlrPaper, PmlrVolume  # noqa: E402
from tridentbib.identifiers import Kind, PaperId  # noqa: E402
from tridentbib.identifiers.grammar import CVF_ID  # noqa: E402
from tridentbib.latex import normalize_title  # noqa: E402
from tridentbib.lookup.needs import Needs  # noqa: E402
from tridentbib.model import Context  # noqa: E402
from tridentbib.resolvers.neurips_index import row_year  # noqa: E402
from tridentbib.steps.identity import Hints, hints_of  # noqa: E402

GIVEN = "Ada Alan Grace Barbara Donald Claude Leslie Radia Yoshua Zoe Jose Ying".split()
FAMILY = "Lovelace Turing Hopper Liskov Knuth Shannon Lamport Perlman Bengio Muller Garcia Zhang".split()
DEFAULT_YEAR = 2020


@dataclass
class Registered:
    """What was put on the fakes: papers per kind, and ids left out (with why)."""

    papers: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)


def row_hints(context: Context | None) -> Hints:
    """The hints the tool reads from a row (as lookup/titles.py builds them)."""
    if context is None:
        return Hints(title="")
    text = context.text or " ".join(cell for _header, cell in context.cells)
    return hints_of(context.title, text, context.date)


def people(hints: Hints, n: int) -> list[tuple[str, str]]:
    """(given, family) authors that agree with the row: its surnames first, else invented ones."""
    surnames = list(hints.authors) or ([hints.first_author] if hints.first_author else [])
    found = [(GIVEN[(n + i) % len(GIVEN)], name.capitalize()) for i, name in enumerate(surnames) if name]
    return found or [(GIVEN[n % len(GIVEN)], FAMILY[n % len(FAMILY)]), (GIVEN[(n + 5) % len(GIVEN)], "Invented")]


def _hash(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def register_links(api: FakeAPI, needs: Needs) -> Registered:
    """One invented record per linked id, on its service's fake."""
    done = Registered()
    volumes: dict[str, PmlrVolume] = {}
    for kind, ids in needs.ids.items():
        for n, ident in enumerate(ids):
            key = PaperId(kind, ident).key
            context = needs.rows.get(key)
            hints = row_hints(context)
            title = (context.title.strip() if context else "") or f"An Invented {kind.value} Paper {n}"
            year = hints.year or DEFAULT_YEAR
            names = people(hints, n)
            display = [f"{given} {family}" for given, family in names]
            reverse = [f"{family}, {given}" for given, family in names]
            if kind is Kind.ARXIV:
                published = f"{year}-06-{1 + n % 28:02d}T17:00:00Z"
                api.arxiv.add_paper(
                    ArxivPaper(
                        ident, title=f"Invented Preprint Number {n} of the List", authors=display, published=published
                    )
                )
            elif kind is Kind.OPENREVIEW:
                api.openreview.add_v2(make_v2_note(ident, f"Invented Forum Paper {n}", display))
            elif kind is Kind.ACL:
                api.acl.add(ident, anthology_bib(ident, n))
            elif kind is Kind.DOI:
                if ident.startswith(("10.48550/", "10.18653/")):
                    done.skipped.append(f"doi:{ident} (resolved by arXiv/ACL)")
                    continue
                api.crossref.add(
                    make_work(ident, "journal-article", title, names, container=["Invented Journal"], date=[year])
                )
            elif kind is Kind.IEEE:
                api.crossref.add(
                    make_work(
                        f"10.1109/invented.{year}.{ident}",
                        "journal-article",
                        title,
                        names,
                        container=["IEEE Transactions on Invented Systems"],
                        date=[year],
                        publisher="Institute of Electrical and Electronics Engineers (IEEE)",
                        resource={"primary": {"URL": f"http://ieeexplore.ieee.org/document/{ident}/"}},
                    )
                )
            elif kind is Kind.ACM:
                api.crossref.add(
                    make_work(
                        f"10.1145/3178876.{ident}",
                        "proceedings-article",
                        title,
                        names,
                        container=["Proceedings of the Invented Web Conference"],
                        date=[year],
                        publisher="ACM",
                    )
                )
            elif kind is Kind.NEURIPS:
                if ident.startswith(("legacy/", "bysource/")):
                    found = row_year(context) if context is not None else None
                    if found is None and ident.startswith("bysource/"):
                        found = int(ident.split("/")[1].split("-")[0])
                    if found is None:
                        done.skipped.append(f"neurips:{ident} (the row gives no year: in no index)")
                        continue
                    paper = NeuripsPaper(found, _hash(title), title, reverse, volume=str(found - 1987))
                else:
                    paper_year, digest = ident.split("/")
                    paper = NeuripsPaper(int(paper_year), digest, title, reverse, volume=str(int(paper_year) - 1987))
                api.neurips.add(paper)
            elif kind is Kind.CVF:
                folder, stem = ident.rsplit("/", 1)
                match = CVF_ID.fullmatch(ident)
                cvf_year = int((match.group("year") or match.group("year2")) if match else year)
                api.cvf.add(CvfPaper(folder, stem, title, reverse, year=cvf_year, hosts=frozenset({"main", "legacy"})))
            elif kind is Kind.PMLR:
                volume_name, paper_id = ident.split("/", 1)
                volume = volumes.setdefault(
                    volume_name,
                    PmlrVolume(
                        volume_name,
                        f"Proceedings of the Invented Conference on Machine Learning ({volume_name})",
                        [("Eda", "Itor")],
                        str(year),
                    ),
                )
                api.pmlr.add(PmlrPaper(volume, paper_id, title, names))
            elif kind is Kind.JMLR:
                volume_name, paper_id = ident.split("/", 1)
                api.jmlr.add(JmlrPaper(volume_name, paper_id, title, display, str(year)))
            elif kind is Kind.ISCA:
                folder, name = ident.split("/", 1)
                api.isca.add(IscaPaper(folder, name, title, display, doi_number=str(1000 + n)))
            else:
                done.skipped.append(f"{key} (no fake for {kind.value})")
                continue
            done.papers[kind.value] += 1
    return done


def register_title_hits(api: FakeAPI, needs: Needs, first_number: int = 60000) -> int:
    """Semantic Scholar's title match answers every title-route title with a hit whose arXiv id the arXiv fake knows."""
    seen: set[str] = set()
    for title, text, date in needs.title_items:
        key = normalize_title(title)
        if not key or key in seen:
            continue
        seen.add(key)
        n = len(seen)
        hints = hints_of(title, text, date)
        year = hints.year or DEFAULT_YEAR
        display = [f"{given} {family}" for given, family in people(hints, n)]
        ident = f"2001.{first_number + n:05d}"  # a valid new-style id whatever the year
        api.arxiv.add_paper(ArxivPaper(ident, title=title, authors=display, published=f"{year}-01-15T17:00:00Z"))
        api.s2.add(
            S2Paper(
                paper_id=_hash(f"s2 {title}")[:40].ljust(40, "0"),
                title=title,
                external_ids={"ArXiv": ident, "CorpusId": 90_000_000 + n},
                year=year,
                authors=display,
                publication_types=["JournalArticle"],
            )
        )
    return len(seen)
