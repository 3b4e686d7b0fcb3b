"""The title route: items no service gave a record for, found by their own title, never by a guess.

Which items: a bullet or row with a title whose paper link gave no entry: a paper
host with no resolver (a lab PDF, a project page, a copy), a host id whose lookup
failed for good (a NeurIPS 404), or a link whose record names another paper than the
row (:func:`tridentbib.steps.identity.names_another_paper`).

Candidates, each source only when the one before gave no applicable match:
Semantic Scholar's ``/paper/search/match`` (one best hit; a 404 "Title match not
found" and a 200 ``{"data": []}`` both mean none), dblp's publication search (all
hits), arXiv's title search (:mod:`tridentbib.lookup.arxiv_title`). The rules of
:mod:`tridentbib.steps.identity` pick at most one; its ids (S2 ``externalIds``,
dblp's ``doi`` and ``ee``, read with :func:`classify_url`, never fetched) are then
resolved by their own services through the normal cached path, and the rules are
applied again to that record before it is written. S2 and dblp data are never the record.

Cache: ``s2-match/`` and ``dblp-search/`` hold each query's raw answer, by a hash of
the normalised title; ``title-match/`` the decision for an item's title and hints,
with every candidate and why it was or was not applied. A warm run asks nothing and
``--offline`` makes every decision again from the cache.
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Callable

from tridentbib.hosts import is_paper_host
from tridentbib.http import WaitListener
from tridentbib.identifiers import Kind, PaperId
from tridentbib.identifiers.grammar import ID_IS_THE_PAPER
from tridentbib.latex import from_latex, normalize_title, title_relation
from tridentbib.lookup.dblp_batch import TitleSearches
from tridentbib.lookup.policy import Policy, keep
from tridentbib.lookup.title_sources import SOURCES, Tools, s2_paper_candidates
from tridentbib.model import (
    Entry,
    Item,
    Link,
    LinkOutcome,
    ListDocument,
    Lookup,
    Outcome,
    Record,
    Status,
    TitleDecision,
)
from tridentbib.names import parse_bibtex_names
from tridentbib.resolvers.registry import SERVICES, SHAPES
from tridentbib.settings import Settings
from tridentbib.steps.identity import Found, Hints, check, decide, hints_of, names_another_paper
from tridentbib.store.cache import DiskCache, utc_now

#: items searched at once: enough to keep S2, dblp and arXiv busy side by side (each keeps one connection)
SEARCHERS = 4
#: resolves ids (by kind) through the normal cached path: lookups by ``PaperId.key`` and requests per service
Resolve = Callable[[dict[Kind, list[str]]], tuple[dict[str, Lookup], dict[str, int]]]

ItemKey = tuple[str, int, str]


def item_key(item: Item) -> ItemKey:
    return (item.context.source, item.context.line, item.context.title)


def _link_key(link: Link) -> ItemKey:
    return (link.context.source, link.context.line, link.url)


@dataclass
class Routed:
    """One item on the title route: its hints, the link its entry carries, and what was decided."""

    hints: Hints
    url: str
    decision: TitleDecision
    lookup: Lookup | None = None  #: the record applied (from the id's own service), None when none was


@dataclass
class TitleRoute:
    """What the title route found, for the assembler and the report."""

    routed: dict[ItemKey, Routed] = field(default_factory=dict)
    another: dict[ItemKey, str] = field(default_factory=dict)  #: link -> the other paper's title its record names
    requests: dict[str, int] = field(default_factory=dict)

    def names_another_paper(self, link: Link) -> str | None:
        """The title of the other paper ``link``'s record names, when it is not its row's paper."""
        return self.another.get(_link_key(link))

    def lookup_for(self, item: Item) -> Lookup | None:
        routed = self.routed.get(item_key(item))
        return routed.lookup if routed is not None else None

    def annotate(self, item: Item, outcomes: list[LinkOutcome], entry: Entry | None) -> list[LinkOutcome]:
        """The item's link outcomes with what the title route did: found (with evidence), or why not."""
        routed = self.routed.get(item_key(item))
        if routed is None:
            return outcomes
        decision = routed.decision
        if entry is not None and routed.lookup is not None and decision.applied:
            mark = f"found by title: {decision.applied} ({decision.evidence})"
            found = Outcome.CACHED if routed.lookup.status is Status.CACHED else Outcome.RESOLVED
            service = routed.lookup.answered_by
            return [
                replace(
                    o, outcome=found, reason=_join(o.reason, mark), answered_by=service, entry=entry, transient=False
                )
                if o.url == routed.url
                else o
                for o in outcomes
            ]
        reasons = "; ".join(decision.rejected) or "no candidate"
        return [
            replace(o, reason=_join(o.reason, f"title route: {reasons}"))
            if o.url == routed.url and o.entry is not None and o.entry.origin == "context"
            else o
            for o in outcomes
        ]

    @property
    def decisions(self) -> list[TitleDecision]:
        return [routed.decision for routed in self.routed.values()]


def _join(reason: str, more: str) -> str:
    return f"{reason}; {more}" if reason else more


# -- which items --------------------------------------------------------------------


def _shape(lookup: Lookup) -> Entry:
    assert lookup.record is not None
    return SHAPES[lookup.record.service](lookup.record.data)


def select(
    documents: list[ListDocument], lookups: dict[str, Lookup], known_only: bool = False
) -> tuple[list[tuple[Item, str]], dict[ItemKey, str]]:
    """The items to find by title (with the link their entry carries) and the links whose record names another paper.

    ``known_only``: only the items that are on the route whatever the lookups say
    (no link names an id a service resolves), which can be searched before any lookup.
    """
    chosen: list[tuple[Item, str]] = []
    another: dict[ItemKey, str] = {}
    for document in documents:
        for item in document.items:
            context = item.context
            if not normalize_title(context.title) or not (context.paragraph or context.cells):  # nothing to search by
                continue
            if known_only and any(link.target.kind in SERVICES for link in item.paper_links):  # type: ignore[union-attr]
                continue
            resolved = False
            route: list[str] = []
            for link in item.paper_links:
                target = link.target
                assert isinstance(target, PaperId)
                lookup = lookups.get(target.key)
                if lookup is None:
                    if is_paper_host(link.url) or target.kind not in SERVICES:
                        route.append(link.url)
                    continue
                if lookup.ok:
                    title = (  # shaped only where the check applies: a host record for a bullet
                        from_latex(_shape(lookup).fields.get("title", ""))
                        if target.kind not in ID_IS_THE_PAPER and context.paragraph
                        else ""
                    )
                    if title and names_another_paper(context.title, title):
                        another[_link_key(link)] = title
                        route.append(link.url)
                    else:
                        resolved = True
                elif target.kind in ID_IS_THE_PAPER or lookup.transient:
                    resolved = True  # reported on its own (its fallbacks ran), or may come back: not guessed around
                else:
                    route.append(link.url)
            route += [link.url for link in item.links if link.target is None and is_paper_host(link.url)]
            if not resolved and route:
                chosen.append((item, route[0]))
    return chosen, another


def from_entry(entry: Entry, source: str, ident: str) -> Found:
    """A record of the id's own service, as a candidate to check again."""
    fields = entry.fields
    authors = tuple(
        f"{from_latex(name.given)} {from_latex(name.family)}".strip()
        for name in parse_bibtex_names(fields.get("author", ""))
        if not isinstance(name, str)
    )
    year = fields.get("year", "")
    return Found(
        source,
        ident,
        from_latex(fields.get("title", "")),
        authors,
        int(year) if year.isdigit() else None,
        from_latex(fields.get("booktitle") or fields.get("journal") or ""),
        book=entry.entry_type == "book",
        preprint=source == "arxiv",
    )


# -- deciding ---------------------------------------------------------------------------


@dataclass
class _Search:
    """One item's way through the sources: where it stands and what was rejected on the way."""

    hints: Hints
    linked: str = ""  #: the Semantic Scholar paper the item links, asked first by its id
    next_source: int = 0
    chosen: Found | None = None
    evidence: str = ""
    rejected: list[str] = field(default_factory=list)
    #: the chosen candidate is the paper the item's link names: its record's title need only be close to the item's
    by_link: bool = False


def _linked_paper(search: _Search, tools: Tools) -> bool:
    """Take the S2 paper the item links when its title is the item's (or close); False: go on by title."""
    linked, search.linked = search.linked, ""  # asked once
    candidates = tools.ask(s2_paper_candidates, linked)
    if isinstance(candidates, str):
        search.rejected.append(candidates)
        return False
    hit = candidates[0]
    if not title_relation(search.hints.title, hit.title):
        search.rejected.append(f"the link names another paper ({hit.title})")
        return False
    if not hit.ids:
        search.rejected.append(f"Semantic Scholar {linked}: links no id a service of ours resolves")
        return False
    search.chosen, search.by_link = hit, True
    search.evidence = f"the item links Semantic Scholar paper {linked} ({hit.title})"
    return True


def _search(search: _Search, tools: Tools) -> _Search:
    """Ask the sources from ``next_source`` on until one gives a candidate the rules pick and that names an id."""
    search.chosen, search.by_link = None, False
    if search.linked and _linked_paper(search, tools):
        return search
    while search.next_source < len(SOURCES):
        source = SOURCES[search.next_source]
        search.next_source += 1
        candidates = tools.ask(source, search.hints.title)
        if isinstance(candidates, str):
            search.rejected.append(candidates)
            continue
        decision = decide(search.hints, candidates)
        search.rejected += decision.rejected
        chosen = decision.chosen
        if chosen is None:
            continue
        if not chosen.ids:
            search.rejected.append(
                f"{chosen.label}: matches, but links no id a service of ours resolves"
                f" (not written from {chosen.source})"
            )
            continue
        search.chosen, search.evidence = chosen, decision.evidence
        return search
    return search


class Searches:
    """The candidate searches of a run's items, started as soon as each item is known.

    Items whose links no service resolves are known before any service is asked, so
    :func:`begin` starts them beside arXiv's paced batches; items whose id lookup
    failed join once the lookups are in (:func:`run`). Several items are searched at
    once; each service still has one connection and its own pacing.
    """

    def __init__(self, tools: Tools) -> None:
        self.tools = tools
        self._pool = ThreadPoolExecutor(max_workers=SEARCHERS, thread_name_prefix="title-route")
        self._started: dict[tuple[ItemKey, Hints], Future[_Search]] = {}

    def start(self, item: Item) -> None:
        key, hints = item_key(item), _hints(item)
        if (key, hints) not in self._started:
            search = _Search(hints, linked=_linked_s2_paper(item))
            self._started[(key, hints)] = self._pool.submit(_search, search, self.tools)

    def result(self, item: Item) -> _Search:
        self.start(item)
        return self._started[(item_key(item), _hints(item))].result()

    def close(self, requests: dict[str, int]) -> None:
        self._pool.shutdown(wait=True)
        self.tools.close(requests)


def _linked_s2_paper(item: Item) -> str:
    """The Semantic Scholar paper id a link of the item names ("" when none does)."""
    return next((link.target.id for link in item.paper_links if link.target.kind is Kind.S2), "")  # type: ignore[union-attr]


def _hints(item: Item) -> Hints:
    context = item.context
    return hints_of(context.title, context.text or " ".join(text for _header, text in context.cells), context.date)


def begin(
    documents: list[ListDocument],
    settings: Settings,
    cache: DiskCache,
    on_wait: WaitListener | None = None,
    dblp_titles: TitleSearches | None = None,
) -> Searches:
    """Start searching the items that need no lookup to be known (their links name no id a service resolves).

    ``dblp_titles``: the run's dblp title searches, shared with the fallbacks (else the route has its own).
    """
    searches = Searches(Tools(cache, Policy.from_settings(settings), settings, on_wait, titles=dblp_titles))
    for item, _url in select(documents, {}, known_only=True)[0]:
        searches.start(item)
    return searches


def run(
    documents: list[ListDocument],
    lookups: dict[str, Lookup],
    resolve: Resolve,
    searches: Searches,
) -> TitleRoute:
    """Find by title every item :func:`select` picks: search them all, resolve every chosen id at once, check again.

    A chosen candidate whose record fails the check sends its item on to the next
    source; rounds repeat until every item has a record or has been through every source.
    """
    chosen, another = select(documents, lookups)
    route = TitleRoute(another=another)
    try:
        for item, _url in chosen:  # the items only the lookups could name join the searches begun early
            searches.start(item)
        pending = {item_key(item): (item, url, searches.result(item)) for item, url in chosen}
        applied: dict[ItemKey, tuple[Lookup, str]] = {}
        while True:
            ids: dict[Kind, list[str]] = {}
            for _item, _url, search in pending.values():
                for ident in search.chosen.ids if search.chosen is not None else ():
                    kind, _colon, value = ident.partition(":")
                    ids.setdefault(Kind(kind), []).append(value)
            if not ids:
                break
            found, spent = resolve({kind: list(dict.fromkeys(values)) for kind, values in ids.items()})
            for name, count in spent.items():
                route.requests[name] = route.requests.get(name, 0) + count
            again = {}
            for key, (item, url, search) in pending.items():
                if search.chosen is None:
                    continue
                result = _verify(search, found)
                if result is not None:
                    applied[key] = result
                elif search.next_source < len(SOURCES):
                    again[key] = (item, url, _search(search, searches.tools))
            pending = again
        for item, url in chosen:
            key = item_key(item)
            search = searches.result(item)
            lookup, evidence = applied.get(key, (None, ""))
            route.routed[key] = _routed(item, url, search, lookup, evidence, another, searches.tools)
    finally:
        searches.close(route.requests)
    return route


def _verify(search: _Search, found: dict[str, Lookup]) -> tuple[Lookup, str] | None:
    """The first of the chosen candidate's ids whose own record passes the check again, with the evidence."""
    assert search.chosen is not None
    chosen = search.chosen
    for ident in chosen.ids:
        lookup = found.get(PaperId(Kind(ident.partition(":")[0]), ident.partition(":")[2]).key)
        if lookup is None or not lookup.ok:
            search.rejected.append(f"{chosen.label} -> {ident}: {lookup.reason if lookup else 'not resolved'}")
            continue
        assert lookup.record is not None
        record = from_entry(_shape(lookup), lookup.record.service, ident)
        if search.by_link and title_relation(search.hints.title, record.title):
            return lookup, f"{search.evidence}; {ident} from {lookup.record.service}: the title is the item's"
        verdict = check(search.hints, record)
        if verdict.passed and not search.by_link:
            return lookup, f"{search.evidence}; {ident} from {lookup.record.service}: {verdict.why}"
        search.rejected.append(f"{chosen.label} -> {ident} ({lookup.record.service}): {verdict.why}")
    return None


def _routed(
    item: Item,
    url: str,
    search: _Search,
    lookup: Lookup | None,
    evidence: str,
    another: dict[ItemKey, str],
    tools: Tools,
) -> Routed:
    context = item.context
    names = [
        f"the link names another paper ({another[_link_key(link)]})"
        for link in item.links
        if _link_key(link) in another
    ]
    decision = TitleDecision(
        f"{context.source}:{context.line}",
        context.title,
        lookup.id.key if lookup else "",
        evidence,
        tuple(names + search.rejected),
    )
    _remember(tools, search.hints, decision)
    return Routed(search.hints, url, decision, lookup)


def decision_key(hints: Hints) -> str:
    """The ``title-match`` file of a title asked with these hints (the same title with other hints decides anew)."""
    return json.dumps(
        [normalize_title(hints.title), hints.year, hints.first_author, list(hints.authors), hints.venue, hints.book]
    )


def _remember(tools: Tools, hints: Hints, decision: TitleDecision) -> None:
    """Keep the decision with its candidates (``cache/title-match``): the record of why, replayed offline."""
    if tools.policy.offline:
        return
    data = {
        "query": hints.title,
        "hints": {
            "year": hints.year,
            "first_author": hints.first_author,
            "authors": list(hints.authors),
            "venue": hints.venue,
            "book": hints.book,
        },
        "applied": decision.applied,
        "evidence": decision.evidence,
        "rejected": list(decision.rejected),
    }
    key = decision_key(hints)
    cached = tools.cache.get("title-match", key)
    if isinstance(cached, Record) and cached.data == data:
        return
    keep(tools.cache, Record("title-match", key, data, utc_now()))


def cache_keys(title: str, text: str = "", date: str = "") -> list[tuple[str, str]]:
    """(cache folder, id) of every query answer and decision the title route reads for an item."""
    key = normalize_title(title)
    if not key:
        return []
    return [
        ("s2-match", key),
        ("dblp-search", key),
        ("arxiv-search", key),
        ("title-match", decision_key(hints_of(title, text, date))),
    ]
