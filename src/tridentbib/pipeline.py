"""The one orchestration: read inputs -> resolve ids (cache first) -> shape entries -> keys.

Services are resolved concurrently, one thread per service and one connection per
service, so OpenReview or ACL requests overlap arXiv's 3-second waits instead of
adding to them. Everything else is plain functions over data.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Callable, Mapping, TypeVar

from tridentbib.hosts import is_paper_host
from tridentbib.http import WaitListener, open_breakers, reset_breakers
from tridentbib.identifiers import Kind, PaperId, Rejected, openreview_pdf_hash
from tridentbib.lookup.fallback import RECOVERABLE
from tridentbib.lookup.needs import what_lists_need
from tridentbib.lookup.policy import (
    CachePass,
    Policy,
    ProgressListener,
    fetch_missing,
    read_cached,
    settle_from_kept_files,
)
from tridentbib.lookup.recovery import recover_unavailable, take_cached_fallbacks
from tridentbib.model import (
    BuildResult,
    Context,
    Entry,
    Item,
    Link,
    LinkOutcome,
    ListDocument,
    Lookup,
    Outcome,
    Record,
    Status,
)
from tridentbib.resolvers.interface import Resolver
from tridentbib.resolvers.registry import SERVICES, SHAPES, cache_folders
from tridentbib.settings import Settings
from tridentbib.steps.context import from_context
from tridentbib.steps.merge import by_line, merge_blocks
from tridentbib.store.cache import DiskCache
from tridentbib.store.keys import KeyStore

if TYPE_CHECKING:  # imported where used: none of them is needed before the first request leaves
    from tridentbib.lookup.titles import Searches, TitleRoute
    from tridentbib.lookup.venues import VenueCheck

T = TypeVar("T")


def resolve_all(
    ids: dict[Kind, list[str]],
    settings: Settings,
    cache: DiskCache,
    on_progress: ProgressListener | None = None,
    on_wait: WaitListener | None = None,
    meanwhile: Callable[[], T] | None = None,
    fallbacks: Callable[[dict[str, Lookup], dict[str, int]], None] | None = None,
    rows: Mapping[str, Context] | None = None,
) -> tuple[dict[str, Lookup], dict[str, int], T | None]:
    """Resolve every kind, cache first; returns lookups by ``PaperId.key``, requests per service
    and what ``meanwhile`` returned.

    The cache is read first, in this thread, for every kind. Only the ids it cannot
    settle go to the services, one thread each, so their requests overlap; meanwhile
    this thread runs ``meanwhile`` (the Semantic Scholar batches). A warm run starts
    no thread at all: threads that read files while another computes would only wait
    on each other for the interpreter lock.

    ``fallbacks(lookups, requests)`` runs in the thread of each kind in
    :data:`RECOVERABLE` as soon as its service is done (fallbacks through dblp and an
    arXiv twin, beside arXiv's batches rather than after them); it updates the
    lookups in place and counts its requests per service into ``requests``.
    """
    policy = Policy.from_settings(settings)
    passes = [read_cached(kind, kind_ids, cache, policy) for kind, kind_ids in ids.items()]
    resolvers: dict[Kind, Resolver] = {}

    def factory(kind: Kind) -> Callable[[], Resolver]:
        def make() -> Resolver:
            resolvers[kind] = SERVICES[kind].build(settings, on_wait)
            resolvers[kind].use_rows(rows or {})  # ids some services look up by the row's title (IEEE, ACM)
            return resolvers[kind]

        return make

    for settled in passes:  # --offline: what the records lack, from stored bulk files (the ACL export, a PMLR volume)
        settle_from_kept_files(settled, cache, policy, factory(settled.kind))

    def fetch(settled: CachePass) -> tuple[dict[str, Lookup], dict[str, int]]:
        found = {
            lookup.id.key: lookup
            for lookup in fetch_missing(settled, cache, policy, factory(settled.kind), on_progress).values()
        }
        spent: dict[str, int] = {}
        if fallbacks is not None and settled.kind in RECOVERABLE:
            fallbacks(found, spent)
        return found, spent

    lookups: dict[str, Lookup] = {}
    recovery_requests: dict[str, int] = {}
    fetching = [settled for settled in passes if settled.to_fetch and not policy.offline]
    with ThreadPoolExecutor(max_workers=max(1, len(fetching))) as pool:
        futures = [pool.submit(fetch, settled) for settled in fetching]
        threaded = {settled.kind for settled in fetching}
        for settled in passes:
            if settled.kind not in threaded:  # all in the cache, or --offline: settled here, no thread
                lookups.update(
                    (lookup.id.key, lookup)
                    for lookup in fetch_missing(settled, cache, policy, None, on_progress).values()
                )
        extra = meanwhile() if meanwhile is not None else None
        for future in futures:
            found, spent = future.result()
            lookups.update(found)
            for name, count in spent.items():
                recovery_requests[name] = recovery_requests.get(name, 0) + count
    requests = {folder: 0 for kind in ids for folder in cache_folders(kind)}  # per service (DOIs: Crossref, DataCite)
    for resolver in resolvers.values():
        for client in resolver.clients:
            requests[client.service] = requests.get(client.service, 0) + client.request_count
    for name, count in recovery_requests.items():
        requests[name] = requests.get(name, 0) + count
    for resolver in resolvers.values():
        for client in resolver.clients:
            client.close()
    return lookups, requests, extra


def shape(lookup: Lookup) -> Entry:
    """The entry for a resolved lookup, by the service that answered."""
    record = lookup.record
    assert record is not None
    if record.service not in SHAPES:
        raise ValueError(f"no shape for records of {record.service}")
    entry = SHAPES[record.service](record.data)
    entry.identity = entry.identity | {lookup.id.key}
    return entry


#: kinds whose failed link still gets an entry from the list's row or bullet (its title names the paper):
#: all but arXiv, whose failures are reported on their own (an arXiv id is its paper: no row is needed to name it)
NAMED_IN_CONTEXT = frozenset(Kind) - {Kind.ARXIV}

STATUS_OUTCOME = {Status.RESOLVED: Outcome.RESOLVED, Status.CACHED: Outcome.CACHED, Status.STALE: Outcome.STALE}


class _Assembler:
    """Turns items into entries in first-mention order, one per work, with an outcome per link."""

    def __init__(self, lookups: dict[str, Lookup], route: TitleRoute | None = None) -> None:
        self.lookups = lookups
        self.route = route  # items found by their title (lookup/titles.py), links whose record names another paper
        self.entries: list[Entry] = []
        self.by_identity: dict[str, Entry] = {}
        self.outcomes: list[LinkOutcome] = []

    def add_item(self, item: Item) -> None:
        row_entry: Entry | None = None
        failed_links: list[Link] = []
        unresolvable: list[Link] = []  # paper links no supported service resolves (a DOI)
        first = len(self.outcomes)
        for link in item.paper_links:
            outcome = self._paper(link)
            self.outcomes.append(outcome)
            row_entry = row_entry or outcome.entry
            if outcome.outcome == Outcome.FAILED and link.target.kind in NAMED_IN_CONTEXT:  # type: ignore[union-attr]
                failed_links.append(link)
            elif outcome.outcome == Outcome.NOT_SUPPORTED:
                unresolvable.append(link)
        titled = self.route.lookup_for(item) if self.route is not None and row_entry is None else None
        if titled is not None:  # found by its title: the record of the id's own service
            entry = shape(titled)
            row_entry = next((self.by_identity[i] for i in sorted(entry.identity) if i in self.by_identity), None)
            row_entry = row_entry or self._add(entry, item.context.line)
        others = [link for link in item.links if not isinstance(link.target, PaperId)]
        unit = "row" if item.context.cells else "item"
        fallback_link = self._fallback_link(item, failed_links, unresolvable, others) if row_entry is None else None
        merged = False
        if fallback_link is not None:
            # A paper a bullet names twice (lists repeat papers across sections) is one entry.
            earlier = self.by_identity.get(f"url:{fallback_link.url}") if item.context.paragraph else None
            merged = earlier is not None
            row_entry = earlier or self._add(from_context(item.context, fallback_link.url), item.context.line)
            if fallback_link in failed_links or fallback_link in unresolvable:
                index = first + item.paper_links.index(fallback_link)  # its outcome, appended above
                self.outcomes[index] = self._built_from_list(self.outcomes[index], row_entry, unit, merged)
        for link in others:
            outcome = self._other(link, row_entry, unit)
            if merged and link == fallback_link:
                outcome = replace(outcome, outcome=Outcome.MERGED, reason="same work as an earlier link")
            self.outcomes.append(outcome)
        if self.route is not None:
            self.outcomes[first:] = self.route.annotate(item, self.outcomes[first:], row_entry)

    @staticmethod
    def _fallback_link(
        item: Item, failed_links: list[Link], unresolvable: list[Link], others: list[Link]
    ) -> Link | None:
        """The link an entry built from the list's own words should carry, if the item names a paper no API gave.

        A table row names a paper: a failed OpenReview/ACL/DOI link, else a page no API
        serves (a blog, an OpenReview PDF by its hash), else a DOI. A bullet or
        paragraph names one when a failed OpenReview/ACL/DOI link has a title beside it,
        or when it links a paper host (:mod:`tridentbib.hosts`) and no arXiv,
        OpenReview or ACL link (those are resolved or reported on their own).
        """
        if item.context.cells:
            plain = [link for link in others if link.target is None or openreview_pdf_hash(link.url)]
            return next(iter(failed_links or plain or unresolvable), None)
        if not item.context.paragraph:
            return None
        if failed_links and item.context.title:
            return failed_links[0]
        if any(isinstance(link.target, Rejected) and not openreview_pdf_hash(link.url) for link in others):
            return None  # a supported service's link that failed its grammar: reported, not replaced
        if len(unresolvable) < len(item.paper_links):
            return None  # an arXiv, OpenReview or ACL link that failed: a named failure already
        hosted = [
            link
            for link in item.links
            if (link.target is None or link in unresolvable or openreview_pdf_hash(link.url))
            and is_paper_host(link.url)
        ]
        return hosted[0] if hosted else None

    @staticmethod
    def _built_from_list(outcome: LinkOutcome, entry: Entry, unit: str, merged: bool = False) -> LinkOutcome:
        """A failed or unsupported paper link whose entry the list's own words made."""
        if outcome.outcome == Outcome.FAILED:  # still a failure the user should see
            built = "same work as an earlier link" if merged else f"entry built from the list's {unit}"
            return replace(outcome, entry=entry, reason=f"{outcome.reason}; {built}")
        if merged:
            return replace(outcome, entry=entry, outcome=Outcome.MERGED, reason="same work as an earlier link")
        return replace(
            outcome,
            entry=entry,
            outcome=Outcome.CONTEXT,
            reason=f"not resolved: no supported API ({outcome.reason}); entry built from the list's {unit}",
        )

    def _paper(self, link: Link) -> LinkOutcome:
        target = link.target
        assert isinstance(target, PaperId)
        where = (link.context.source, link.context.line, link.url, target.kind.value, target.id, target.version)
        lookup = self.lookups.get(target.key)
        if lookup is None:
            return LinkOutcome(*where, Outcome.NOT_SUPPORTED, f"{target.kind.value} links are not resolved")
        if not lookup.ok:
            return LinkOutcome(*where, Outcome.FAILED, lookup.reason, transient=lookup.transient)
        other = self.route.names_another_paper(link) if self.route is not None else None
        if other is not None:  # not written for this row: its own title is looked up instead
            return LinkOutcome(*where, Outcome.FAILED, f"the link names another paper ({other})")
        entry = shape(lookup)
        existing = next((self.by_identity[i] for i in sorted(entry.identity) if i in self.by_identity), None)
        if existing is not None:
            return LinkOutcome(
                *where, Outcome.MERGED, "same work as an earlier link", lookup.answered_by, entry=existing
            )
        self._add(entry, link.context.line)
        return LinkOutcome(*where, STATUS_OUTCOME[lookup.status], lookup.reason, lookup.answered_by, entry=entry)

    def _other(self, link: Link, row_entry: Entry | None, unit: str = "row") -> LinkOutcome:
        where = (link.context.source, link.context.line, link.url)
        target = link.target
        built_from_row = row_entry is not None and row_entry.fields.get("url") == link.url
        if isinstance(target, Rejected):
            if built_from_row:  # an OpenReview PDF by its hash: no API looks it up, the row still says what it is
                return LinkOutcome(
                    *where,
                    target.kind.value,
                    "",
                    None,
                    Outcome.CONTEXT,
                    f"{target.reason}; entry built from the list's {unit}",
                    entry=row_entry,
                )
            return LinkOutcome(*where, target.kind.value, "", None, Outcome.REJECTED, target.reason)
        if built_from_row:
            return LinkOutcome(
                *where,
                "other",
                "",
                None,
                Outcome.CONTEXT,
                f"not resolved: no supported API; entry built from the list's {unit}",
                entry=row_entry,
            )
        if row_entry is not None:
            return LinkOutcome(
                *where, "other", "", None, Outcome.EXTRA, f"extra URL of the {unit}'s paper", entry=row_entry
            )
        return LinkOutcome(
            *where, "other", "", None, Outcome.NOT_SUPPORTED, "not resolved: no supported API (not in a paper table)"
        )

    def _add(self, entry: Entry, line: int) -> Entry:
        entry.line = line
        self.entries.append(entry)
        for ident in entry.identity:
            self.by_identity.setdefault(ident, entry)
        return entry


def build_entries(
    documents: list[ListDocument], lookups: dict[str, Lookup], route: TitleRoute | None = None
) -> tuple[list[Entry], list[LinkOutcome]]:
    """One entry per work in first-mention order, and an outcome for every link."""
    assembler = _Assembler(lookups, route)
    for document in documents:
        for item in document.items:
            assembler.add_item(item)
    return assembler.entries, assembler.outcomes


def build(
    documents: list[ListDocument],
    settings: Settings,
    on_progress: ProgressListener | None = None,
    on_wait: WaitListener | None = None,
    *,
    cache: DiskCache | None = None,
    save_keys: bool = True,
) -> BuildResult:
    """Resolve and shape everything the documents mention; keys are stable through the cache.

    ``cache`` replaces the run's on-disk cache (``--dry-run`` passes one that writes
    nothing); ``save_keys=False`` leaves ``keys.json`` as it is.
    """
    from tridentbib.steps.fill import keep_bib_entries
    from tridentbib.steps.works import unite_hosts

    cache = cache if cache is not None else DiskCache(settings.cache_dir)
    reset_breakers()  # a new run: every service gets a fresh chance
    needs = what_lists_need(documents)  # links' ids, then those only the list's own BibTeX blocks name
    ids, titles, cited, block_notes = needs.ids, needs.titles, needs.cited, needs.block_notes
    early = take_cached_fallbacks(ids, titles, settings, cache)
    if settings.offline:  # OpenReview papers another list's cached tables of contents answer
        from tridentbib.lookup.toc import replay_offline, venue_years

        early.update(replay_offline(ids, titles, venue_years(documents), settings, cache))
    started: list[Searches] = []
    from tridentbib.lookup.dblp_batch import TitleSearches

    dblp_titles = TitleSearches(settings, on_wait)  # shared by the title route, the fallbacks and the venues

    def meanwhile() -> VenueCheck:
        """In this thread while the services' threads wait on their pacing: the title route's searches
        of items no link resolves (lab PDFs and the like), then the S2 prefetch, which needs only the ids."""
        from tridentbib.lookup.titles import begin as begin_title_searches
        from tridentbib.lookup.venues import prefetch_s2

        started.append(begin_title_searches(documents, settings, cache, on_wait, dblp_titles))
        return prefetch_s2(ids.get(Kind.ARXIV, []), settings, cache, on_wait)

    fallbacks = partial(
        recover_unavailable,
        titles,
        settings=settings,
        cache=cache,
        on_wait=on_wait,
        documents=documents,
        dblp_titles=dblp_titles,
    )  # OpenReview/ACL papers their service would not serve, in their threads
    try:
        lookups, requests, prefetched = resolve_all(
            {kind: kind_ids for kind, kind_ids in ids.items() if kind_ids},
            settings,
            cache,
            on_progress,
            on_wait,
            meanwhile=meanwhile,
            fallbacks=lambda found, spent: fallbacks(found, requests=spent),
            rows=needs.rows,
        )
        lookups.update(early)
        from tridentbib.lookup.venues import look_up as look_up_venues

        venues = look_up_venues(
            lookups, settings, cache, on_progress, on_wait, prefetched, documents=documents, dblp_titles=dblp_titles
        )  # published versions of the arXiv papers (--venues)
        for service, count in venues.requests.items():
            requests[service] = requests.get(service, 0) + count
    except BaseException:
        for searches in started:
            searches.close({})  # nothing may keep asking once the run has failed
        dblp_titles.close()
        raise
    from tridentbib.lookup.titles import run as find_by_title

    try:
        route = find_by_title(  # items no service gave a record for, by their own title (lookup/titles.py)
            documents,
            lookups,
            lambda more: resolve_all(more, settings, cache, None, on_wait, rows=needs.rows)[:2],
            started[0],
        )
    finally:
        dblp_titles.close()
    for service, count in route.requests.items():
        requests[service] = requests.get(service, 0) + count
    if dblp_titles.requests:
        requests["dblp"] = requests.get("dblp", 0) + dblp_titles.requests
    entries, outcomes = build_entries(documents, lookups, route)
    united = unite_hosts(entries, outcomes)  # a paper linked at arXiv and at its venue: one entry
    entries, outcomes = united.entries, united.outcomes
    entries = keep_bib_entries(documents, entries, outcomes)  # .bib inputs: the user's entries, filled in
    merged = merge_blocks(entries, cited, lambda ident: _block_record(lookups.get(ident)))
    entries, outcomes = merged.entries, merged.retarget(outcomes)
    store = KeyStore(settings.cache_dir / "keys.json")
    assigned = merged.assign_keys(store.known)  # assign_keys, plus the ids = {...} aliases of merged blocks
    if save_keys and not settings.offline:
        store.save(assigned)
    upgrades, candidates = venues.apply(entries)  # after the keys, so an upgrade never changes one
    versions = {
        key: (_version(lookup.previous), _version(lookup.record))
        for key, lookup in lookups.items()
        if lookup.previous is not None
    }
    notes = ([store.problem] if store.problem else []) + by_line(block_notes + merged.notes + united.notes)
    return BuildResult(
        entries,
        outcomes,
        requests,
        list(cache.corrupt),
        notes,
        upgrades,
        candidates,
        venues.notes,
        versions,
        outages=open_breakers(),
        titles=route.decisions,
    )


def _version(record: Record | None) -> int | None:
    """The arXiv version a record describes (None for services without versions)."""
    version = record.data.get("version") if record is not None else None
    return version if isinstance(version, int) else None


def _block_record(lookup: Lookup | None) -> Entry | str | None:
    """The entry for an id a citation block names (or why there is none; None: not looked up)."""
    if lookup is None:
        return None
    return shape(lookup) if lookup.ok else lookup.reason or "no record"
