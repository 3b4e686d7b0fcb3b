"""The one orchestration: read inputs -> resolve ids (cache first) -> shape entries -> keys.

Services are resolved concurrently, one thread per service and one connection per
service, so OpenReview or ACL requests overlap arXiv's 3-second waits instead of
adding to them. Everything else is plain functions over data.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tridentbib.cache import DiskCache
from tridentbib.http import ServiceClient, WaitListener
from tridentbib.identifiers import Kind, PaperId, Rejected
from tridentbib.keys import KeyStore, assign_keys
from tridentbib.model import Entry, Item, Link, ListDocument, Lookup, Status
from tridentbib.resolution import Policy, ProgressListener, resolve
from tridentbib.services import SERVICES, make_client
from tridentbib.settings import Settings
from tridentbib import shapes


class Outcome:
    """What happened to one link (values of :attr:`LinkOutcome.outcome`)."""

    RESOLVED = "resolved"
    CACHED = "cached"
    STALE = "stale"
    MERGED = "merged"
    FAILED = "failed"
    REJECTED = "rejected"
    NOT_SUPPORTED = "not supported"
    EXTRA = "extra url"


@dataclass(frozen=True)
class LinkOutcome:
    """One line of the report: a link, what it named and what became of it."""

    source: str
    line: int
    url: str
    kind: str  #: "arxiv", "openreview", "acl", "doi" or "other"
    id: str
    version: int | None
    outcome: str
    reason: str = ""
    answered_by: str = ""
    transient: bool = False  #: failed for a reason that may pass (outage), not "no such paper"
    entry: Entry | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """The cite key of the entry this link ended up in ("" when none)."""
        return self.entry.key if self.entry is not None else ""


@dataclass
class BuildResult:
    """Everything a run produced, for writers and the report."""

    entries: list[Entry]
    outcomes: list[LinkOutcome]
    requests: dict[str, int] = field(default_factory=dict)
    corrupt_cache_files: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many links ended with ``outcome``."""
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def failed(self) -> list[LinkOutcome]:
        """Links that name a paper we could not resolve."""
        return [o for o in self.outcomes if o.outcome in (Outcome.FAILED, Outcome.REJECTED)]

    @property
    def outage(self) -> bool:
        """Did any lookup fail for a transient reason (so the output would lose something)?"""
        return any(o.transient for o in self.outcomes)


def collect_ids(documents: list[ListDocument]) -> dict[Kind, list[str]]:
    """Every supported id in first-mention order, per kind."""
    wanted: dict[Kind, dict[str, None]] = {kind: {} for kind in SERVICES}
    for document in documents:
        for item in document.items:
            for link in item.paper_links:
                target = link.target
                assert isinstance(target, PaperId)
                if target.kind in wanted:
                    wanted[target.kind][target.id] = None
    return {kind: list(ids) for kind, ids in wanted.items() if ids}


def resolve_all(
    ids: dict[Kind, list[str]],
    settings: Settings,
    cache: DiskCache,
    on_progress: ProgressListener | None = None,
    on_wait: WaitListener | None = None,
) -> tuple[dict[str, Lookup], dict[str, int]]:
    """Resolve every kind concurrently; returns lookups by ``PaperId.key`` and requests per service."""
    policy = Policy.from_settings(settings)
    clients: dict[Kind, ServiceClient] = {}

    def factory(kind: Kind) -> Callable[[], object]:
        def make() -> object:
            clients[kind] = make_client(SERVICES[kind], settings, on_wait)
            return SERVICES[kind].resolver(clients[kind])

        return make

    lookups: dict[str, Lookup] = {}
    with ThreadPoolExecutor(max_workers=max(1, len(ids))) as pool:
        futures = {kind: pool.submit(resolve, kind, kind_ids, cache, policy, factory(kind), on_progress) for kind, kind_ids in ids.items()}
        for kind, future in futures.items():
            for lookup in future.result().values():
                lookups[lookup.id.key] = lookup
    requests = {kind.value: clients[kind].request_count if kind in clients else 0 for kind in ids}
    for client in clients.values():
        client.close()
    return lookups, requests


def shape(lookup: Lookup) -> Entry:
    """The entry for a resolved lookup."""
    assert lookup.record is not None
    return shapes.from_arxiv(lookup.record.data)


def build_entries(documents: list[ListDocument], lookups: dict[str, Lookup]) -> tuple[list[Entry], list[LinkOutcome]]:
    """One entry per work in first-mention order, and an outcome for every link."""
    entries: list[Entry] = []
    by_identity: dict[str, Entry] = {}
    outcomes: list[LinkOutcome] = []
    for document in documents:
        for item in document.items:
            for link in item.links:
                outcomes.append(_settle(link, item, lookups, entries, by_identity))
    return entries, outcomes


def _settle(link: Link, item: Item, lookups: dict[str, Lookup], entries: list[Entry], by_identity: dict[str, Entry]) -> LinkOutcome:
    where = (link.context.source, link.context.line, link.url)
    target = link.target
    if isinstance(target, Rejected):
        return LinkOutcome(*where, target.kind.value, "", None, Outcome.REJECTED, target.reason)
    if target is None:
        return LinkOutcome(*where, "other", "", None, Outcome.NOT_SUPPORTED, "no supported API for this link")
    lookup = lookups.get(target.key)
    if lookup is None:
        return LinkOutcome(*where, target.kind.value, target.id, target.version, Outcome.NOT_SUPPORTED, f"{target.kind.value} links are not resolved yet")
    if not lookup.ok:
        return LinkOutcome(*where, target.kind.value, target.id, target.version, Outcome.FAILED, lookup.reason, transient=lookup.transient)
    entry = shape(lookup)
    existing = next((by_identity[i] for i in entry.identity if i in by_identity), None)
    status = {Status.RESOLVED: Outcome.RESOLVED, Status.CACHED: Outcome.CACHED, Status.STALE: Outcome.STALE}[lookup.status]
    if existing is not None:
        return LinkOutcome(*where, target.kind.value, target.id, target.version, Outcome.MERGED, "same work as an earlier link", lookup.answered_by, entry=existing)
    entry.line = link.context.line
    entries.append(entry)
    for ident in entry.identity:
        by_identity[ident] = entry
    return LinkOutcome(*where, target.kind.value, target.id, target.version, status, lookup.reason, lookup.answered_by, entry=entry)


def build(documents: list[ListDocument], settings: Settings, on_progress: ProgressListener | None = None, on_wait: WaitListener | None = None) -> BuildResult:
    """Resolve and shape everything the documents mention; keys are stable through the cache."""
    cache = DiskCache(settings.cache_dir)
    lookups, requests = resolve_all(collect_ids(documents), settings, cache, on_progress, on_wait)
    entries, outcomes = build_entries(documents, lookups)
    store = KeyStore(settings.cache_dir / "keys.json")
    assigned = assign_keys(entries, store)
    if not settings.offline:
        store.save(assigned)
    return BuildResult(entries, outcomes, requests, list(cache.corrupt))
