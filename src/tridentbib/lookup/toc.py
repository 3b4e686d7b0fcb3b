"""dblp tables of contents: a venue-year's OpenReview papers in a few requests when OpenReview refuses guests.

Under OpenReview's guest challenge each OpenReview paper goes to the dblp fallback
(:mod:`tridentbib.lookup.fallback`), one title search per paper, 5 s apart. dblp
also answers a venue-year's whole table of contents (``q=toc:db/conf/iclr/iclr2019.bht:``,
1000 papers a request), each record with the paper's OpenReview forum URL in ``ee``.
So, per run:

1. the papers needing the fallback are grouped by the venue-year their row names
   (:func:`venue_years`: a cell such as ``ICLR 2019``, ``ICLR'19`` or ``ICLR`` beside a
   ``Year`` cell, else the section heading); a row naming none, or two, is not guessed;
2. a venue-year with at least ``TRIDENTBIB_DBLP_TOC_THRESHOLD`` such papers (default
   5), or with no more pages left to fetch than papers (its table is partly or wholly
   cached by an earlier run or list), is read from its table of contents,
   all pages (each cached as it arrives, ``cache/dblp-toc/``), and every waiting
   paper is matched by its forum id in ``ee``: the same identity evidence as the
   per-paper search, and the same record (so the same entry, byte for byte);
3. each match is cached as the per-paper search would have cached it
   (``cache/dblp/openreview%3AID.json``, ``{"query", "hits"}``), so warm runs,
   ``--offline`` and ``cache prune`` treat both routes alike;
4. papers no table listed (rejected, a workshop, a page that failed) keep the
   per-paper search;
5. ``--offline``, a paper with no record of its own is looked up in the tables an
   earlier run (of any list) cached (:func:`replay_offline`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from tridentbib.identifiers import Kind, PaperId
from tridentbib.lookup.fallback import Fallbacks, evidence_in_dblp
from tridentbib.lookup.policy import Policy, consult, keep
from tridentbib.model import Context, ListDocument, Lookup, Record, Status
from tridentbib.resolvers.dblp import MAX_HITS, TOC_ID, DblpError, DblpSearch
from tridentbib.resolvers.registry import cache_folders
from tridentbib.settings import Settings
from tridentbib.store.cache import DiskCache, utc_now

#: the cache folder of table-of-contents pages (``<toc>@<first hit>``)
TOC_FOLDER = "dblp-toc"
#: hits asked per page (dblp's most)
PAGE = MAX_HITS
#: pages read of one table at most (20,000 papers; ICLR 2025 had about 3,700)
MAX_PAGES = 20

#: venue -> (first year dblp's records of it link OpenReview forums, the table of contents of a year)
TOC_VENUES: dict[str, tuple[int, Callable[[int], str]]] = {
    "ICLR": (2018, lambda year: f"db/conf/iclr/iclr{year}.bht"),
}
_VENUES = "|".join(TOC_VENUES)
#: a venue with its year: "ICLR 2019", "ICLR'19", "ICLR2022" (a badge); not "ICLR 2019 Workshop"
_VENUE_YEAR = re.compile(
    rf"(?<![A-Za-z0-9])({_VENUES})\s*['’]?\s*((?:19|20)\d{{2}}|\d{{2}})(?![0-9A-Za-z])(?!\s*\(?\s*(?:workshops?|ws)\b)",
    re.IGNORECASE,
)
#: a venue without a year ("ICLR" in a Venue cell)
_VENUE = re.compile(rf"(?<![A-Za-z0-9])({_VENUES})(?![A-Za-z0-9])", re.IGNORECASE)
_YEAR_CELL = re.compile(r"\s*((?:19|20)\d{2})\s*")


@dataclass(frozen=True)
class Toc:
    """One venue-year's table of contents on dblp."""

    venue: str
    year: int

    @property
    def id(self) -> str:
        """``db/conf/iclr/iclr2019.bht``"""
        return TOC_VENUES[self.venue][1](self.year)

    @property
    def label(self) -> str:
        return f"{self.venue} {self.year}"

    def page_key(self, first: int) -> str:
        """The cache id of the page starting at hit ``first``: ``db/conf/iclr/iclr2019.bht@1000``."""
        return f"{self.id}@{first}"


def _toc(venue: str, year: str) -> Toc | None:
    """The table of ``venue`` in ``year`` ("19" is 2019), if dblp's records of that year link OpenReview."""
    name = next(known for known in TOC_VENUES if known.lower() == venue.lower())
    number = int(year) + (2000 if len(year) == 2 else 0)
    toc = Toc(name, number)
    if number < TOC_VENUES[name][0] or number > 2100 or not TOC_ID.fullmatch(toc.id):
        return None
    return toc


def _named(texts: Iterable[str]) -> set[Toc | None]:
    return {_toc(found.group(1), found.group(2)) for text in texts for found in _VENUE_YEAR.finditer(text)}


def venue_year(context: Context) -> Toc | None:
    """The venue-year a list row names for its paper, or None when it names none or several."""
    cells = [text for _header, text in context.cells if text and text != context.title]
    found = _named(cells)
    if not found:
        years = {
            m.group(1)
            for header, text in context.cells
            if header.strip().lower() == "year" and (m := _YEAR_CELL.fullmatch(text))
        }
        venues = {m.group(1) for text in cells for m in _VENUE.finditer(text)}
        if len(years) == 1 and len(venues) == 1:
            found = {_toc(venues.pop(), years.pop())}
    if not found and context.section:
        found = _named([context.section])
    return found.pop() if len(found) == 1 else None


def venue_years(documents: Iterable[ListDocument]) -> dict[str, Toc]:
    """``PaperId.key`` -> the venue-year of its first row that names one, for every OpenReview paper linked."""
    tocs: dict[str, Toc] = {}
    for document in documents:
        for item in document.items:
            links = [link for link in item.paper_links if link.target.kind is Kind.OPENREVIEW]  # type: ignore[union-attr]
            toc = venue_year(item.context) if links else None
            if toc is not None:
                for link in links:
                    tocs.setdefault(link.target.key, toc)  # type: ignore[union-attr]
    return tocs


def cache_records(documents: Iterable[ListDocument]) -> set[tuple[str, str]]:
    """(cache folder, id) of every table-of-contents page a build of ``documents`` may read (for ``cache prune``)."""
    return {
        (TOC_FOLDER, toc.page_key(first))
        for toc in set(venue_years(documents).values())
        for first in range(0, MAX_PAGES * PAGE, PAGE)
    }


def from_tables_of_contents(
    pending: list[Lookup],
    titles: dict[str, str],
    tocs: dict[str, Toc],
    tools: Fallbacks,
    threshold: int,
) -> dict[str, Lookup]:
    """The OpenReview papers of ``pending`` found in the tables of contents worth reading, by ``PaperId.key``.

    Papers without a title in the list are left to the per-paper path (which reports
    them), as are those no table lists.
    """
    papers = {
        lookup.id.id.lower(): lookup.id
        for lookup in pending
        if lookup.id.kind is Kind.OPENREVIEW and titles.get(lookup.id.key, "").strip()
    }
    counts = Counter(tocs[paper.key] for paper in papers.values() if paper.key in tocs)
    chosen = [toc for toc, count in counts.items() if count >= max(threshold, 1) or _pages_to_ask(toc, tools) <= count]
    found: dict[str, Lookup] = {}
    for toc in chosen:
        waiting = {paper.key for paper in papers.values() if tocs.get(paper.key) == toc}
        for page, asked in _pages(toc, tools):
            for hit in page.data.get("hits", []):
                for forum in _forums(hit):
                    paper = papers.get(forum)
                    if paper is not None and paper.key not in found and evidence_in_dblp(paper, hit):
                        found[paper.key] = _matched(paper, titles[paper.key], hit, page, toc, asked, tools)
            if waiting <= found.keys():  # every paper this table was read for is found: no further page
                break
    return found


_FORUM = re.compile(r"openreview\.net/forum\?id=([A-Za-z0-9_-]+)", re.IGNORECASE)


def _forums(hit: dict[str, Any]) -> set[str]:
    """The OpenReview forum ids a record's ``ee`` links (lower case, as :func:`evidence_in_dblp` compares)."""
    return {m.group(1).lower() for link in hit.get("ee", []) if isinstance(link, str) for m in _FORUM.finditer(link)}


def _pages_to_ask(toc: Toc, tools: Fallbacks) -> float:
    """How many pages of ``toc`` are not in the cache (fresh); infinite while its size is unknown (no first page)."""
    first, total, missing = 0, None, 0
    while (total is None or first < total) and first < MAX_PAGES * PAGE:
        cached, ask = consult(tools.cache, tools.policy, TOC_FOLDER, toc.page_key(first))
        if isinstance(cached, Record) and not ask:
            total = _total(cached)
        elif total is None:
            return math.inf
        else:
            missing += 1
        first += PAGE
    return missing


def _total(page: Record) -> int:
    total = page.data.get("total")
    return total if isinstance(total, int) and total >= 0 else 0


def _pages(toc: Toc, tools: Fallbacks) -> Iterator[tuple[Record, bool]]:
    """Every page of ``toc`` that could be had (cached, else asked and cached), and whether it was asked for.

    A page that fails is skipped (its papers keep the per-paper search); when the
    first fails, the table's size is unknown and the table is given up.
    """
    first, total = 0, None
    while (total is None or first < total) and first < MAX_PAGES * PAGE:
        key = toc.page_key(first)
        cached, ask = consult(tools.cache, tools.policy, TOC_FOLDER, key)
        page, asked = (cached if isinstance(cached, Record) else None), False
        if ask and not tools.policy.offline and tools.dblp is not None:
            try:
                hits, size, request = DblpSearch(tools.dblp).toc_page(toc.id, first, PAGE)
            except DblpError:
                pass  # an older copy (--refresh, --max-age) still serves; else the page is lost to this run
            else:
                page, asked = (
                    Record(
                        TOC_FOLDER,
                        key,
                        {"toc": toc.id, "first": first, "total": size, "hits": hits},
                        utc_now(),
                        request,
                    ),
                    True,
                )
                keep(tools.cache, page)
        if page is None:
            if total is None:
                return
            first += PAGE
            continue
        total = _total(page)
        yield page, asked
        if len(page.data.get("hits", [])) < PAGE:
            return
        first += PAGE


def _matched(
    paper: PaperId, title: str, hit: dict[str, Any], page: Record, toc: Toc, asked: bool, tools: Fallbacks
) -> Lookup:
    """The lookup for a paper a table lists, its record cached as the per-paper search would have cached it."""
    answer = Record("dblp", paper.key, {"query": title, "hits": [hit], "toc": toc.id}, utc_now(), page.request)
    if not tools.policy.offline:
        keep(tools.cache, answer)
    record = Record("dblp", paper.key, hit, answer.fetched_at, answer.request)
    status = Status.RESOLVED if asked else Status.CACHED
    reason = f"found in dblp's table of contents of {toc.label}; its record links this id"
    return Lookup(paper, status, record, reason, "dblp")


def replay_offline(
    ids: dict[Kind, list[str]], titles: dict[str, str], tocs: dict[str, Toc], settings: Settings, cache: DiskCache
) -> dict[str, Lookup]:
    """``--offline``: OpenReview papers with no record of their own in the cache, found in cached tables of contents.

    An earlier run of another list may have cached the table of a venue-year this
    list names; offline, it answers as it would online under the challenge. Removes
    the papers found from ``ids``; asks nothing and writes nothing.
    """
    if not settings.offline or not tocs or not ids.get(Kind.OPENREVIEW):
        return {}
    folders = cache_folders(Kind.OPENREVIEW)
    waiting = [
        Lookup(PaperId(Kind.OPENREVIEW, ident), Status.MISSING)
        for ident in ids[Kind.OPENREVIEW]
        if all(cache.get(folder, ident) is None for folder in folders)
    ]
    tools = Fallbacks(cache, Policy.from_settings(settings), None, None)
    found = from_tables_of_contents(waiting, titles, tocs, tools, settings.dblp_toc_threshold)
    ids[Kind.OPENREVIEW] = [ident for ident in ids[Kind.OPENREVIEW] if PaperId(Kind.OPENREVIEW, ident).key not in found]
    return found
