"""Second sources for papers whose own service will not answer.

When OpenReview refuses guests (403 challenge, 429) or the ACL Anthology answers
with a bot-challenge page, the same paper can still be found:

1. dblp's publication search by the row's title; a hit counts only when it
   *links the paper by id*: its ``ee`` holds the OpenReview forum URL or the
   Anthology URL/DOI. That is identity evidence, not a guess.
2. arXiv's title search for a preprint twin, accepted only on an exact
   normalised-title match (and reported as such).

:mod:`tridentbib.lookup.recovery` runs them for the pipeline (with dblp's tables of
contents when many papers share a venue-year). Answers are cached like everything
else (``cache/dblp/openreview%3AID.json``, ``cache/arxiv-search/<sha256 of the
title>.json``), so a warm run asks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tridentbib.http import ServiceClient
from tridentbib.identifiers import Kind, PaperId
from tridentbib.latex import normalize_title
from tridentbib.lookup.arxiv_title import search_arxiv_title
from tridentbib.lookup.dblp_batch import TitleSearches
from tridentbib.lookup.policy import Policy, consult, keep
from tridentbib.model import Lookup, Record, Status
from tridentbib.resolvers.dblp import DblpError
from tridentbib.store.cache import DiskCache, NotFound, utc_now

#: kinds whose papers can be found through dblp or an arXiv twin when their service will not answer
RECOVERABLE = frozenset({Kind.OPENREVIEW, Kind.ACL})


@dataclass
class Fallbacks:
    """The clients fallbacks may use (created lazily by the pipeline)."""

    cache: DiskCache
    policy: Policy
    dblp: ServiceClient | None  #: for tables of contents
    arxiv: ServiceClient | None
    titles: TitleSearches | None = None  #: the run's dblp title searches (None: offline)


def evidence_in_dblp(paper: PaperId, hit: dict[str, Any]) -> bool:
    """Does this dblp record name ``paper`` by its id?"""
    links = [link.lower() for link in hit.get("ee", [])]
    if paper.kind is Kind.OPENREVIEW:
        return any(f"openreview.net/forum?id={paper.id.lower()}" in link for link in links)
    if paper.kind is Kind.ACL:
        doi = f"10.18653/v1/{paper.id}".lower()
        return hit.get("doi") == doi or any(
            f"aclanthology.org/{paper.id.lower()}" in link or doi in link for link in links
        )
    return False


def recover(paper: PaperId, title: str, failed: Lookup, tools: Fallbacks) -> Lookup:
    """Try dblp, then an arXiv twin; returns ``failed`` (with the reasons added) when neither answers."""
    if not title.strip():
        return _with_reason(failed, "no title in the list to search other sources with")
    reasons = []
    dblp = _dblp_match(paper, title, tools)
    if isinstance(dblp, Lookup):
        return dblp
    reasons.append(dblp)
    twin = _arxiv_twin(paper, title, tools)
    if isinstance(twin, Lookup):
        return twin
    reasons.append(twin)
    return _with_reason(failed, "; ".join(reasons))


def _with_reason(failed: Lookup, more: str) -> Lookup:
    return Lookup(
        failed.id,
        failed.status,
        failed.record,
        f"{failed.reason}; fallbacks: {more}",
        failed.answered_by,
        failed.transient,
    )


def _cached(tools: Fallbacks, service: str, key: str) -> Record | NotFound | None:
    """The cached answer when the policy lets the cache answer (None: ask the service)."""
    cached, ask = consult(tools.cache, tools.policy, service, key)
    return None if ask else cached


def _dblp_match(paper: PaperId, title: str, tools: Fallbacks) -> Lookup | str:
    key = paper.key
    cached = _cached(tools, "dblp", key)
    if isinstance(cached, Record):
        match = _linking_hit(paper, cached.data)
        if match is None:
            return f"dblp: no dblp record for this title links {paper.key}"
        return Lookup(paper, Status.CACHED, _as_record(cached, match), FOUND_ON_DBLP, "dblp")
    if isinstance(cached, NotFound):
        return f"dblp: {cached.reason}"
    if tools.policy.offline or tools.titles is None:
        return "dblp: offline and not in the cache"
    try:
        found = tools.titles.ask(title).result()  # batched with the run's other titles when several wait
    except DblpError as error:
        return f"dblp: {error}"
    match = next((hit for hit in (*found.hits, *found.answer) if evidence_in_dblp(paper, hit)), None)
    if match is None:
        reason = f"no dblp record for this title links {paper.key}"
        keep(tools.cache, NotFound("dblp", key, reason, utc_now()))
        return f"dblp: {reason}"
    hits = found.hits if match in found.hits else [*found.hits, match]
    data = {"query": title, "hits": hits, **({"batch": found.batch} if found.batch else {})}
    answer = Record("dblp", key, data, utc_now(), found.request)
    keep(tools.cache, answer)
    return Lookup(paper, Status.RESOLVED, _as_record(answer, match), FOUND_ON_DBLP, "dblp")


def ask_dblp_first(papers: list[PaperId], titles: dict[str, str], tools: Fallbacks) -> None:
    """Hand every title :func:`recover` will search dblp for to the run's title searches at once.

    They are then asked together (:mod:`~tridentbib.lookup.dblp_batch`) instead of
    one per paper as :func:`recover` reaches each.
    """
    if tools.titles is None or tools.policy.offline:
        return
    for paper in papers:
        title = titles.get(paper.key, "").strip()
        if title and _cached(tools, "dblp", paper.key) is None:
            tools.titles.ask(title)


FOUND_ON_DBLP = "found on dblp by title; its record links this id"


def _linking_hit(paper: PaperId, data: dict[str, Any]) -> dict[str, Any] | None:
    """The hit of a cached dblp search that links ``paper`` by id.

    dblp answers are kept in one shape for every path, ``{"query", "hits"}`` (the venue
    lookups read the same folder); a record cached by an older version holds the one
    matching hit itself.
    """
    found = data.get("hits")
    hits: list[Any] = found if isinstance(found, list) else [data]
    return next((hit for hit in hits if isinstance(hit, dict) and evidence_in_dblp(paper, hit)), None)


def _as_record(answer: Record, hit: dict[str, Any]) -> Record:
    """The matching hit as the record the entry is shaped from (the cache keeps the whole answer)."""
    return Record("dblp", answer.id, hit, answer.fetched_at, answer.request)


def cache_keys(paper: PaperId, title: str) -> list[tuple[str, str]]:
    """(cache folder, id) of every answer :func:`recover` may read for ``paper`` listed as ``title``."""
    keys = [("dblp", paper.key)]
    if normalize_title(title):
        keys.append(("arxiv-search", normalize_title(title)))
    return keys


def _arxiv_twin(paper: PaperId, title: str, tools: Fallbacks) -> Lookup | str:
    found = search_arxiv_title(title, tools.cache, tools.policy, tools.arxiv)  # the one arXiv title search
    return found if isinstance(found, str) else _twin_lookup(paper, found)


def _twin_lookup(paper: PaperId, record: Record) -> Lookup:
    twin = Record("arxiv", record.data["match"]["id"], record.data["match"], record.fetched_at, record.request)
    return Lookup(paper, Status.RESOLVED, twin, f"preprint twin on arXiv ({twin.id}), matched by exact title", "arxiv")
