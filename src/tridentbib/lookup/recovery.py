"""When a paper's own service will not answer: :mod:`~tridentbib.lookup.fallback`, run for the pipeline.

:func:`take_cached_fallbacks` runs before any request (a fallback answer already in
the cache settles the paper); :func:`recover_unavailable` runs in each service's
thread as soon as its own answers are in, and reads dblp's tables of contents
(:mod:`~tridentbib.lookup.toc`) when many refused papers share a venue-year, and asks
dblp about the rest in batched title searches (:mod:`~tridentbib.lookup.dblp_batch`).
"""

from __future__ import annotations

from tridentbib.http import WaitListener
from tridentbib.identifiers import Kind, PaperId
from tridentbib.lookup.dblp_batch import TitleSearches
from tridentbib.lookup.fallback import RECOVERABLE, Fallbacks, ask_dblp_first, recover
from tridentbib.lookup.policy import Policy
from tridentbib.model import ListDocument, Lookup, Status
from tridentbib.resolvers.registry import arxiv_client, dblp_client
from tridentbib.settings import Settings
from tridentbib.store.cache import DiskCache


def take_cached_fallbacks(
    ids: dict[Kind, list[str]], titles: dict[str, str], settings: Settings, cache: DiskCache
) -> dict[str, Lookup]:
    """Papers whose own service never answered but a fallback did, from the cache: no request at all.

    Removes them from ``ids``. ``--refresh`` makes the fallback answers stale, so the
    paper's own service is asked again.
    """
    policy = Policy.from_settings(settings)
    tools = Fallbacks(cache, policy, None, None)
    found: dict[str, Lookup] = {}
    for kind in RECOVERABLE & ids.keys():
        keep = []
        for ident in ids[kind]:
            paper = PaperId(kind, ident)
            if cache.get(kind.value, ident) is None:
                lookup = recover(paper, titles.get(paper.key, ""), Lookup(paper, Status.MISSING), tools)
                if lookup.ok:
                    found[paper.key] = lookup
                    continue
            keep.append(ident)
        ids[kind] = keep
    return found


def recover_unavailable(
    titles: dict[str, str],
    lookups: dict[str, Lookup],
    settings: Settings,
    cache: DiskCache,
    requests: dict[str, int],
    on_wait: WaitListener | None = None,
    documents: list[ListDocument] | None = None,
    dblp_titles: TitleSearches | None = None,
) -> None:
    """Resolve OpenReview/ACL papers their own service would not serve, through dblp or an arXiv twin.

    The venue-year each OpenReview paper's row in ``documents`` names lets venue-years
    with many such papers come from dblp's tables of contents (:mod:`tridentbib.lookup.toc`);
    the rest are dblp title searches, handed to ``dblp_titles`` (the run's, shared
    with the title route; else one of this call's own) all at once, so they go in batches.
    """
    pending = [
        lookup for lookup in lookups.values() if not lookup.ok and lookup.id.kind in RECOVERABLE and lookup.recoverable
    ]
    if not pending:
        return
    from tridentbib.lookup.toc import from_tables_of_contents, venue_years

    tocs = venue_years(documents or [])
    policy = Policy.from_settings(settings)
    own_titles = None if settings.offline or dblp_titles is not None else TitleSearches(settings, on_wait)
    tools = Fallbacks(
        cache,
        policy,
        None if settings.offline else dblp_client(settings, on_wait),
        None if settings.offline else arxiv_client(settings, on_wait),
        None if settings.offline else dblp_titles or own_titles,
    )
    try:
        listed = from_tables_of_contents(pending, titles, tocs, tools, settings.dblp_toc_threshold)
        ask_dblp_first([lookup.id for lookup in pending if lookup.id.key not in listed], titles, tools)
        for lookup in pending:
            lookups[lookup.id.key] = listed.get(lookup.id.key) or recover(
                lookup.id, titles.get(lookup.id.key, ""), lookup, tools
            )
    finally:
        if own_titles is not None:
            own_titles.close()
            requests["dblp"] = requests.get("dblp", 0) + own_titles.requests
        for name, client in (("dblp", tools.dblp), ("arxiv", tools.arxiv)):
            if client is not None:
                requests[name] = requests.get(name, 0) + client.request_count
                client.close()
