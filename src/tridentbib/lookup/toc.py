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

``--venues full`` reads the same tables for arXiv preprints waiting for a dblp title
search (:func:`preprints_in_tables`, called from :mod:`tridentbib.lookup.venues`): a
preprint names its venue-year by its row (any venue of :data:`TOC_VENUES`: ICASSP,
Interspeech, ACL long papers, EMNLP main, NeurIPS, ICLR), else by its arXiv comment
or journal_ref ("Accepted to ICASSP 2024"), else by Semantic Scholar's venue and year
(:func:`preprint_venue_year`); a table is read as above, with the same page cache,
and a record answers for a preprint only where the venue evidence rules
(:func:`tridentbib.steps.venues.evidence.decide`) take it: the arXiv id in ``ee``, or
the same title and authors. The answer is cached as the title search caches it
(``cache/dblp/arxiv%3AID.json``); the rest keep the title search.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping

from tridentbib.identifiers import Kind, PaperId
from tridentbib.latex import normalize_title
from tridentbib.lookup.fallback import Fallbacks, evidence_in_dblp
from tridentbib.lookup.policy import Policy, consult, keep
from tridentbib.model import Context, ListDocument, Lookup, Record, Status, Venue
from tridentbib.resolvers.dblp import MAX_HITS, TOC_ID, DblpError, DblpSearch
from tridentbib.resolvers.registry import cache_folders
from tridentbib.settings import Settings
from tridentbib.steps.venues.evidence import decide
from tridentbib.steps.venues.records import DBLP, arxiv_reference, venue_from_s2
from tridentbib.store.cache import DiskCache, utc_now

#: the cache folder of table-of-contents pages (``<toc>@<first hit>``)
TOC_FOLDER = "dblp-toc"
#: hits asked per page (dblp's most)
PAGE = MAX_HITS
#: pages read of one table at most (20,000 papers; ICLR 2025 had about 3,700)
MAX_PAGES = 20


@dataclass(frozen=True)
class TocVenue:
    """A venue whose years dblp lists in tables of contents (the one table of them: :data:`TOC_VENUES`)."""

    table: Callable[[int], str]  #: the table of contents of a year (the main track)
    first: int  #: the first year read for arXiv preprints (``--venues full``)
    openreview: int | None = None  #: the first year dblp's records link OpenReview forums (None: no OpenReview route)
    aliases: tuple[str, ...] = ()


def _acl(year: int) -> str:
    """ACL's long papers: ``acl2023-1`` (2020 had one volume)."""
    return f"db/conf/acl/acl{year}.bht" if year == 2020 else f"db/conf/acl/acl{year}-1.bht"


def _emnlp(year: int) -> str:
    """EMNLP's main volume: ``emnlp2019-1`` ... ``emnlp2021-1``, then ``emnlp2022``."""
    return f"db/conf/emnlp/emnlp{year}-1.bht" if 2019 <= year <= 2021 else f"db/conf/emnlp/emnlp{year}.bht"


#: venue -> its dblp tables of contents: ICLR for OpenReview papers and preprints, the others for preprints only
TOC_VENUES: dict[str, TocVenue] = {
    "ICLR": TocVenue(lambda year: f"db/conf/iclr/iclr{year}.bht", 2013, openreview=2018),
    "NeurIPS": TocVenue(
        lambda year: f"db/conf/nips/{'neurips' if year >= 2020 else 'nips'}{year}.bht", 1987, aliases=("NIPS",)
    ),
    "ICASSP": TocVenue(lambda year: f"db/conf/icassp/icassp{year}.bht", 2015),
    "Interspeech": TocVenue(lambda year: f"db/conf/interspeech/interspeech{year}.bht", 2015),
    "ACL": TocVenue(_acl, 2018),
    "EMNLP": TocVenue(_emnlp, 2018),
}
#: every name a venue goes by, lower case -> its :data:`TOC_VENUES` name
_NAMES = {name.lower(): venue for venue, known in TOC_VENUES.items() for name in (venue, *known.aliases)}
_VENUES = "|".join(sorted(_NAMES, key=len, reverse=True))
#: a venue with its year: "ICLR 2019", "ICLR'19", "ICLR2022" (a badge); not "ICLR 2019 Workshop", nor Findings
_VENUE_YEAR = re.compile(
    rf"(?<![A-Za-z0-9])(?<!findings of )(?<!findings of the )({_VENUES})\s*['’]?\s*((?:19|20)\d{{2}}|\d{{2}})"
    rf"(?![0-9A-Za-z])(?!\s*\(?\s*(?:workshops?|ws|findings)\b)",
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
        return TOC_VENUES[self.venue].table(self.year)

    @property
    def label(self) -> str:
        return f"{self.venue} {self.year}"

    def page_key(self, first: int) -> str:
        """The cache id of the page starting at hit ``first``: ``db/conf/iclr/iclr2019.bht@1000``."""
        return f"{self.id}@{first}"


def _toc(venue: str, year: str, preprint: bool = False) -> Toc | None:
    """The table of ``venue`` in ``year`` ("19" is 2019).

    For an OpenReview paper, only if dblp's records of that year link OpenReview.
    """
    name = _NAMES[venue.lower()]
    number = int(year) + (2000 if len(year) == 2 else 0)
    toc, known = Toc(name, number), TOC_VENUES[name]
    first = known.first if preprint else known.openreview
    if first is None or number < first or number > 2100 or not TOC_ID.fullmatch(toc.id):
        return None
    return toc


def _route(venue: str, preprint: bool) -> bool:
    """Is ``venue`` read for this kind of paper?

    Every table for preprints; for OpenReview papers, those whose records link OpenReview.
    """
    return preprint or TOC_VENUES[_NAMES[venue.lower()]].openreview is not None


def _named(texts: Iterable[str], preprint: bool = False) -> set[Toc | None]:
    return {
        _toc(found.group(1), found.group(2), preprint)
        for text in texts
        for found in _VENUE_YEAR.finditer(text)
        if _route(found.group(1), preprint)
    }


def venue_year(context: Context, preprint: bool = False) -> Toc | None:
    """The venue-year a list row names for its paper, or None when it names none or several.

    ``preprint``: for an arXiv paper (``--venues full``): every venue of :data:`TOC_VENUES`.
    """
    cells = [text for _header, text in context.cells if text and text != context.title]
    found = _named(cells, preprint)
    if not found:
        years = {
            m.group(1)
            for header, text in context.cells
            if header.strip().lower() == "year" and (m := _YEAR_CELL.fullmatch(text))
        }
        venues = {m.group(1) for text in cells for m in _VENUE.finditer(text) if _route(m.group(1), preprint)}
        if len(years) == 1 and len(venues) == 1:
            found = {_toc(venues.pop(), years.pop(), preprint)}
    if not found and context.section:
        found = _named([context.section], preprint)
    return found.pop() if len(found) == 1 else None


def venue_years(documents: Iterable[ListDocument], preprints: bool = False) -> dict[str, Toc]:
    """``PaperId.key`` -> the venue-year of its first row that names one, for every OpenReview paper linked.

    ``preprints``: arXiv papers too (``--venues full``, :func:`preprints_in_tables`);
    they may name any venue of :data:`TOC_VENUES`, OpenReview papers only those whose
    records link OpenReview.
    """
    kinds = ((Kind.OPENREVIEW, False), (Kind.ARXIV, True)) if preprints else ((Kind.OPENREVIEW, False),)
    tocs: dict[str, Toc] = {}
    for document in documents:
        for item in document.items:
            for kind, preprint in kinds:
                links = [link for link in item.paper_links if link.target.kind is kind]  # type: ignore[union-attr]
                toc = venue_year(item.context, preprint) if links else None
                if toc is not None:
                    for link in links:
                        tocs.setdefault(link.target.key, toc)  # type: ignore[union-attr]
    return tocs


def cache_records(documents: Iterable[ListDocument]) -> set[tuple[str, str]]:
    """(cache folder, id) of every table-of-contents page a build of ``documents`` may read (for ``cache prune``)."""
    return {
        (TOC_FOLDER, toc.page_key(first))
        for toc in set(venue_years(documents, preprints=True).values())
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
    chosen = [toc for toc, count in counts.items() if _worth_reading(toc, count, tools, threshold)]
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


def _worth_reading(toc: Toc, papers: int, tools: Fallbacks, threshold: int, batch: int = 1) -> bool:
    """Read ``toc`` for ``papers`` waiting papers: enough of them, or no more pages left to ask than searches.

    Enough: ``threshold``, and with batched searches (``batch`` titles a request) at
    least a batch, since a page that finds fewer saves less than the request it costs.
    """
    enough = max(threshold, 1, batch if batch >= 2 else 1)
    return papers >= enough or _pages_to_ask(toc, tools) <= searches_cost(papers, batch)


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


# -- arXiv preprints (``--venues full``) --------------------------------------------------------


def preprint_venue_year(preprint: Mapping[str, Any], s2: Mapping[str, Any] | None = None) -> Toc | None:
    """The venue-year an arXiv record itself names, else S2's.

    The record names one in its comment or journal_ref (``Accepted to ICASSP 2024``).

    Only a hint of which table to read, never evidence: the first source naming
    exactly one venue-year of :data:`TOC_VENUES` decides, in this order: a venue token
    in the journal_ref or comment, the journal_ref as its parser reads it, the
    Semantic Scholar record's venue and year.
    """
    found = _named([str(preprint.get(name) or "") for name in ("journal_ref", "comment")], preprint=True)
    if not found:
        own = arxiv_reference(preprint)
        venue = own.shown if own.ref is not None and own.ref.confident else None
        found = _from_venue(venue)
    if not found and s2 is not None:
        found = _from_venue(venue_from_s2(s2))
    return found.pop() if len(found) == 1 else None


def _from_venue(venue: Venue | None) -> set[Toc | None]:
    if venue is None or venue.short.lower() not in _NAMES or not venue.year.isdigit():
        return set()
    return {_toc(venue.short, venue.year, preprint=True)}


_ARXIV_EE = re.compile(r"arxiv\.org/(?:abs|pdf)/([a-z-]+(?:\.[a-z]{2})?/\d{7}|\d{4}\.\d{4,5})", re.IGNORECASE)


def preprints_in_tables(
    waiting: Mapping[str, Mapping[str, Any]],
    tocs: Mapping[str, Toc],
    s2: Mapping[str, Mapping[str, Any] | None],
    tools: Fallbacks,
    threshold: int,
    batch: int = 1,
) -> dict[str, list[dict[str, Any]]]:
    """arXiv id -> ``[the record]``, for the preprints of ``waiting`` a table of contents worth reading lists.

    ``waiting``: arXiv id -> arXiv record, the preprints about to get a dblp title
    search; ``tocs``: arXiv id -> the venue-year it names. A venue-year is read as
    :func:`from_tables_of_contents` reads one (``threshold``, cached pages), and a
    page is asked only while no more pages are left than the requests the title
    searches of the preprints naming it, still unfound, would take: one each, or with
    batched searches their share of batches of ``batch`` titles (so a table is read
    for preprints only when at least a batch of them name it). Every waiting preprint is
    looked for in every table read, the ones naming no venue-year included. A record
    of a table answers for a preprint when it carries the preprint's arXiv id in
    ``ee`` or its normalised title, and :func:`~tridentbib.steps.venues.evidence.decide`
    takes that record as the evidence (the same rules as for a title search's hits:
    id link or title + authors, the year rule, arXiv's DOI). Each match is cached as
    the title search would have cached it (``cache/dblp/arxiv%3AID.json``), unless
    offline; the rest keep the title search.
    """
    queries = {ident: normalize_title(str(record.get("title") or "")) for ident, record in waiting.items()}
    groups: dict[Toc, set[str]] = {}
    by_title: dict[str, list[str]] = {}
    for ident, query in queries.items():
        if query:
            by_title.setdefault(query, []).append(ident)
            if ident in tocs:
                groups.setdefault(tocs[ident], set()).add(ident)
    by_id = {ident.lower(): ident for ident, query in queries.items() if query}
    found: dict[str, list[dict[str, Any]]] = {}
    for toc, naming in groups.items():
        if not _worth_reading(toc, len(naming - found.keys()), tools, threshold, batch):
            continue
        for page, _asked in _pages(toc, tools):
            for hit in page.data.get("hits", []):
                named = [by_id[ident] for ident in arxiv_ids_in_ee(hit) if ident in by_id]
                for ident in (*by_title.get(normalize_title(str(hit.get("title") or "")), ()), *named):
                    if ident not in found and _is_evidence(waiting[ident], s2.get(ident), hit):
                        found[ident] = [hit]
                        if not tools.policy.offline:
                            data = {"query": queries[ident], "hits": [hit], "toc": toc.id}
                            record = Record("dblp", PaperId(Kind.ARXIV, ident).key, data, utc_now(), page.request)
                            keep(tools.cache, record)
            left = len(naming - found.keys())
            if _pages_after(page) > left / max(batch, 1):  # all found, or searching the rest is cheaper
                break
    return found


def arxiv_ids_in_ee(hit: dict[str, Any]) -> set[str]:
    """The arXiv ids a dblp record's ``ee`` links (lower case)."""
    return {m.group(1).lower() for link in hit.get("ee", []) for m in _ARXIV_EE.finditer(str(link))}


def searches_cost(papers: int, batch: int) -> int:
    """The dblp requests title searches for ``papers`` papers take on their own: one per ``batch``, or one each."""
    return math.ceil(papers / batch) if batch >= 2 else papers


def _pages_after(page: Record) -> int:
    """How many pages of its table follow ``page``."""
    first = page.data.get("first")
    end = (first if isinstance(first, int) else 0) + len(page.data.get("hits", []))
    return min(math.ceil(max(_total(page) - end, 0) / PAGE), MAX_PAGES)


def _is_evidence(preprint: Mapping[str, Any], s2: Mapping[str, Any] | None, hit: dict[str, Any]) -> bool:
    """Does the evidence rule take this table record as the preprint's venue?

    As it would among a title search's hits.
    """
    evidence = decide(preprint, s2, [hit]).evidence
    return evidence is not None and evidence.venue.source == DBLP and evidence.venue.record == hit.get("key")
