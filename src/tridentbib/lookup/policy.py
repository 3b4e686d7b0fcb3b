"""Cache-aware resolution: ask the cache first, the resolver only for what is missing or old.

This is the one place that decides between cache and network, so every resolver
gets the same contract: a warm run makes zero requests, ``--offline`` makes none
and reports what is missing, ``--refresh``/``--max-age`` fetch again and fall back
to the older record (reported as stale) when the refresh fails. Each answer is
written to the cache as soon as it arrives. Offline, files a resolver keeps whole
beside the records (the ACL export, PMLR volumes, NeurIPS year indexes) answer the
ids that have no record of their own, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from tridentbib.identifiers import Kind, PaperId
from tridentbib.model import Context, Lookup, Record, Status
from tridentbib.resolvers.interface import Found, Missing, Resolver
from tridentbib.resolvers.registry import Lazy, cache_folders
from tridentbib.settings import Settings
from tridentbib.store.cache import DiskCache, NotFound, age_days, utc_now

#: Called after each id is settled: (service, done, total).
ProgressListener = Callable[[str, int, int], None]

#: kinds whose resolver keeps files beside the records (a bulk export, a volume
#: bibliography, a year index), and the (folder, name) of those a paper (and its row) may be read from
KEPT_FILES: Mapping[str, Callable[[str, Context | None], list[tuple[str, str]]]] = Lazy(
    {Kind.ACL: "acl:kept_files", Kind.PMLR: "pmlr:kept_files", Kind.NEURIPS: "neurips:kept_files"}
)


@dataclass(frozen=True)
class Policy:
    """What the cache may answer."""

    offline: bool = False
    refresh: bool = False
    max_age_days: float | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The policy a run's flags ask for."""
        return cls(settings.offline, settings.refresh, settings.max_age_days)

    def is_fresh(self, fetched_at: str) -> bool:
        """May a cached answer of this age be used without asking again?"""
        if self.offline:
            return True
        if self.refresh:
            return False
        return self.max_age_days is None or age_days(fetched_at) <= self.max_age_days


def consult(cache: DiskCache, policy: Policy, service: str, key: str) -> tuple[Record | NotFound | None, bool]:
    """The cached answer for one key, and whether the service must be asked again.

    The one freshness rule: primary resolution, the fallbacks and the venue lookups
    all ask here. An answer too old for the policy is still returned (a caller may
    keep it when the new request fails); ``--offline`` never asks again.
    """
    cached = cache.get(service, key)
    return cached, cached is None or not policy.is_fresh(cached.fetched_at)


def consult_folders(
    cache: DiskCache, policy: Policy, folders: Sequence[str], key: str
) -> tuple[Record | NotFound | None, bool]:
    """:func:`consult` for a kind whose resolver asks several services in turn (DOIs: Crossref, then DataCite).

    A record in any of their folders answers (the first, in the order they are asked);
    else a cached "no such paper" (the last service asked had the last word).
    """
    if len(folders) == 1:
        return consult(cache, policy, folders[0], key)
    answers = [answer for answer in (cache.get(folder, key) for folder in folders) if answer is not None]
    cached = next((a for a in answers if isinstance(a, Record)), answers[-1] if answers else None)
    return cached, cached is None or not policy.is_fresh(cached.fetched_at)


def keep(cache: DiskCache, answer: Record | NotFound) -> None:
    """Store an answer that arrived, found or "no such paper" (both spare the next run a request)."""
    if isinstance(answer, Record):
        cache.put(answer)
    else:
        cache.put_not_found(answer)


@dataclass
class CachePass:
    """One service's ids after the cache was asked: what it settled and what is left to fetch."""

    kind: Kind
    results: dict[str, Lookup]
    to_fetch: list[str]
    stale: dict[str, Record | NotFound]  #: cached answers too old to use, kept in case the fetch fails
    #: cache folders of the kind's answers, in the order its resolver asks (one per service; default: the kind's)
    folders: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.results) + len(self.to_fetch)


def read_cached(kind: Kind, ids: Sequence[str], cache: DiskCache, policy: Policy) -> CachePass:
    """Settle from the cache every id it may answer (by ``policy``); no network."""
    folders = cache_folders(kind)
    settled = CachePass(kind, {}, [], {}, folders)
    for ident in dict.fromkeys(ids):
        cached, ask = consult_folders(cache, policy, folders, ident)
        if cached is not None and not ask:
            settled.results[ident] = _from_cache(kind, ident, cached)
        else:
            settled.to_fetch.append(ident)
            if cached is not None:
                settled.stale[ident] = cached
    return settled


def settle_from_kept_files(
    settled: CachePass, cache: DiskCache, policy: Policy, make_resolver: Callable[[], Resolver]
) -> None:
    """``--offline``: settle in place what the records could not, from the files a resolver keeps beside them.

    Only kinds of :data:`KEPT_FILES`; the resolver reads the stored files
    (:meth:`~tridentbib.resolvers.interface.Resolver.answer_offline`) and never the
    network. Its answers are used for this run and not written: ``--offline`` (and
    ``check``, which runs offline) writes no cache file.
    """
    if not policy.offline or not settled.to_fetch or settled.kind not in KEPT_FILES:
        return
    resolver = make_resolver()
    resolver.attach(cache, policy.is_fresh)
    kind, folder = settled.kind, (settled.folders or (settled.kind.value,))[0]
    waiting = set(settled.to_fetch)
    for ident, answer in resolver.answer_offline(list(settled.to_fetch)):
        if ident in waiting and isinstance(answer, Found):
            service = answer.service or folder
            record = Record(service, ident, answer.data, answer.fetched_at or utc_now(), answer.request)
            settled.results[ident] = Lookup(PaperId(kind, ident), Status.CACHED, record, answered_by=service)
    settled.to_fetch = [ident for ident in settled.to_fetch if ident not in settled.results]


def fetch_missing(
    settled: CachePass,
    cache: DiskCache,
    policy: Policy,
    make_resolver: Callable[[], Resolver] | None,
    on_progress: ProgressListener | None = None,
) -> dict[str, Lookup]:
    """Fetch what the cache could not settle, storing each answer as it arrives; all lookups of the service."""
    kind, service = settled.kind, settled.kind.value
    results = dict(settled.results)
    done, total = len(results), settled.total
    if on_progress:
        on_progress(service, done, total)
    if not settled.to_fetch:
        return results
    if policy.offline or make_resolver is None:
        reason = "offline and not in the cache" if policy.offline else "no resolver for this service"
        for ident in settled.to_fetch:
            results[ident] = Lookup(PaperId(kind, ident), Status.MISSING, reason=reason, transient=True)
        return results
    resolver = make_resolver()
    resolver.attach(cache, policy.is_fresh)
    for ident, answer in resolver.fetch(settled.to_fetch):
        folder = answer.service or (settled.folders or (kind.value,))[0]
        results[ident] = _store(kind, ident, answer, cache, settled.stale.get(ident), folder)
        done += 1
        if on_progress:
            on_progress(service, done, total)
    return results


def _from_cache(kind: Kind, ident: str, cached: Record | NotFound) -> Lookup:
    paper = PaperId(kind, ident)
    if isinstance(cached, NotFound):
        return Lookup(paper, Status.FAILED, reason=f"{cached.reason} (cached answer of {cached.fetched_at[:10]})")
    return Lookup(paper, Status.CACHED, cached, answered_by=cached.service)


def _store(
    kind: Kind,
    ident: str,
    answer: Found | Missing,
    cache: DiskCache,
    older: Record | NotFound | None,
    folder: str | None = None,
) -> Lookup:
    paper = PaperId(kind, ident)
    if isinstance(answer, Found):
        folder = folder or kind.value
        record = Record(folder, ident, answer.data, answer.fetched_at or utc_now(), answer.request)
        keep(cache, record)
        return Lookup(
            paper,
            Status.RESOLVED,
            record,
            answered_by=folder,
            previous=older if isinstance(older, Record) else None,
        )
    if isinstance(older, Record):
        # A refresh that gets nothing keeps the good record: services do answer "no such
        # paper" by mistake now and then (arXiv's empty feeds), and a record is user data.
        verb = "now says" if answer.permanent else "refresh failed:"
        return Lookup(
            paper,
            Status.STALE,
            older,
            reason=f"{kind.value} {verb} {answer.reason}; kept the record of {older.fetched_at[:10]}",
            answered_by=older.service,
        )
    if answer.permanent:
        keep(cache, NotFound(folder or kind.value, ident, answer.reason, utc_now()))
        return Lookup(paper, Status.FAILED, reason=answer.reason)
    return Lookup(paper, Status.FAILED, reason=answer.reason, transient=True, recoverable=answer.recoverable)
