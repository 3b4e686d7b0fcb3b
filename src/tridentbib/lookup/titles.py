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
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from tridentbib.hosts import is_paper_host
from tridentbib.http import ServiceClient, ServiceError, WaitListener
from tridentbib.identifiers import Kind, PaperId, classify_url
from tridentbib.latex import from_latex, normalize_title
from tridentbib.lookup.arxiv_title import search_arxiv_title
from tridentbib.lookup.policy import Policy, consult, keep
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
from tridentbib.resolvers.dblp import DblpError, DblpSearch
from tridentbib.resolvers.registry import SERVICES, SHAPES, arxiv_client, dblp_client, s2_client
from tridentbib.settings import Settings
from tridentbib.steps.identity import Decision, Found, Hints, check, decide, hints_of, names_another_paper
from tridentbib.store.cache import DiskCache, NotFound, utc_now

#: what the title match asks of Semantic Scholar
S2_FIELDS = "title,authors,year,venue,externalIds,publicationTypes"
#: kinds whose link is the paper by definition (an arXiv id is its paper): their records are not second-guessed
ID_IS_THE_PAPER = frozenset({Kind.ARXIV, Kind.OPENREVIEW, Kind.ACL})
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
    documents: list[ListDocument], lookups: dict[str, Lookup]
) -> tuple[list[tuple[Item, str]], dict[ItemKey, str]]:
    """The items to find by title (with the link their entry carries) and the links whose record names another paper."""
    chosen: list[tuple[Item, str]] = []
    another: dict[ItemKey, str] = {}
    for document in documents:
        for item in document.items:
            context = item.context
            if not context.title.strip() or not (context.paragraph or context.cells):
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
                    title = from_latex(_shape(lookup).fields.get("title", ""))
                    if (
                        target.kind not in ID_IS_THE_PAPER
                        and context.paragraph
                        and names_another_paper(context.title, title)
                    ):
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


# -- asking -------------------------------------------------------------------------


@dataclass
class _Tools:
    cache: DiskCache
    policy: Policy
    settings: Settings
    on_wait: WaitListener | None
    clients: dict[str, ServiceClient] = field(default_factory=dict)

    def client(self, name: str) -> ServiceClient | None:
        if self.policy.offline:
            return None
        if name not in self.clients:
            make = {"s2": s2_client, "dblp": dblp_client, "arxiv": arxiv_client}[name]
            self.clients[name] = make(self.settings, self.on_wait)
        return self.clients[name]

    def cached(self, folder: str, key: str) -> Record | NotFound | None:
        found, ask = consult(self.cache, self.policy, folder, key)
        return None if ask else found


def _s2_candidates(title: str, tools: _Tools) -> list[Found] | str:
    """Semantic Scholar's one best hit for ``title`` (cached), or why there is none."""
    key = normalize_title(title)
    cached = tools.cached("s2-match", key)
    if isinstance(cached, NotFound):
        return f"Semantic Scholar: {cached.reason}"
    if isinstance(cached, Record):
        return [_from_s2(hit) for hit in cached.data.get("hits", []) if isinstance(hit, dict)]
    client = tools.client("s2")
    if client is None:
        return "Semantic Scholar: offline and not in the cache"
    params = {"query": title, "fields": S2_FIELDS}
    key_header = {"x-api-key": tools.settings.s2_api_key} if tools.settings.s2_api_key else None
    try:
        response = client.get("/paper/search/match", params=params, headers=key_header)
    except ServiceError as error:
        return f"Semantic Scholar: {error}"
    if response.status == 404:
        keep(tools.cache, NotFound("s2-match", key, "Title match not found", utc_now()))
        return "Semantic Scholar: Title match not found"
    if response.status != 200:
        return f"Semantic Scholar answered HTTP {response.status}"
    try:
        hits = json.loads(response.content.decode("utf-8")).get("data")
    except (UnicodeDecodeError, ValueError, AttributeError):
        return "Semantic Scholar answered something that is not JSON"
    if not isinstance(hits, list) or not hits:  # {"data": []}: no match either
        keep(tools.cache, NotFound("s2-match", key, "Title match not found", utc_now()))
        return "Semantic Scholar: Title match not found"
    hits = [hit for hit in hits[:1] if isinstance(hit, dict)]
    keep(
        tools.cache,
        Record("s2-match", key, {"query": title, "hits": hits}, utc_now(), client.url_for("/paper/search/match")),
    )
    return [_from_s2(hit) for hit in hits]


def _dblp_candidates(title: str, tools: _Tools) -> list[Found] | str:
    """Every dblp hit for ``title`` (cached), or why there are none."""
    key = normalize_title(title)
    cached = tools.cached("dblp-search", key)
    if isinstance(cached, NotFound):
        return f"dblp: {cached.reason}"
    if isinstance(cached, Record):
        return [_from_dblp(hit) for hit in cached.data.get("hits", []) if isinstance(hit, dict)]
    client = tools.client("dblp")
    if client is None:
        return "dblp: offline and not in the cache"
    try:
        hits, request = DblpSearch(client).search(title)
    except DblpError as error:
        return f"dblp: {error}"
    if not hits:
        keep(tools.cache, NotFound("dblp-search", key, "no dblp record for this title", utc_now()))
        return "dblp: no dblp record for this title"
    keep(tools.cache, Record("dblp-search", key, {"query": title, "hits": hits}, utc_now(), request))
    return [_from_dblp(hit) for hit in hits]


def _arxiv_candidates(title: str, tools: _Tools) -> list[Found] | str:
    found = search_arxiv_title(title, tools.cache, tools.policy, tools.client("arxiv"))
    if isinstance(found, str):
        return found
    match = found.data.get("match", {})
    authors = tuple(a.get("name", "") for a in match.get("authors", []) if isinstance(a, dict))
    year = str(match.get("published", ""))[:4]
    return [
        Found(
            "arXiv title search",
            str(match.get("id", "")),
            str(match.get("title", "")),
            authors,
            int(year) if year.isdigit() else None,
            preprint=True,
            ids=(f"arxiv:{match.get('id', '')}",),
        )
    ]


def _resolvable(urls: list[str]) -> tuple[str, ...]:
    """``kind:id`` of the links a service of ours resolves, venue records before preprints, each once."""
    ids: list[PaperId] = []
    for url in urls:
        target = classify_url(url) if url else None
        if isinstance(target, PaperId) and target.kind in SERVICES and target not in ids:
            ids.append(PaperId(target.kind, target.id))
    ids.sort(key=lambda paper: (paper.kind is Kind.ARXIV, paper.kind in ID_IS_THE_PAPER))
    return tuple(dict.fromkeys(paper.key for paper in ids))


def _from_s2(hit: dict[str, Any]) -> Found:
    raw = hit.get("externalIds")
    external: dict[str, Any] = raw if isinstance(raw, dict) else {}
    urls = []
    if external.get("DOI"):
        urls.append(f"https://doi.org/{external['DOI']}")
    if external.get("ACL"):
        urls.append(f"https://aclanthology.org/{external['ACL']}")
    if external.get("ArXiv"):
        urls.append(f"https://arxiv.org/abs/{external['ArXiv']}")
    types = hit.get("publicationTypes") or []
    year = hit.get("year")
    return Found(
        "Semantic Scholar",
        str(hit.get("paperId", "")),
        str(hit.get("title", "")),
        tuple(str(a.get("name", "")) for a in hit.get("authors", []) if isinstance(a, dict)),
        year if isinstance(year, int) else None,
        str(hit.get("venue", "") or ""),
        book="Book" in types,
        ids=_resolvable(urls),
    )


def _from_dblp(hit: dict[str, Any]) -> Found:
    urls = [f"https://doi.org/{hit['doi']}"] if hit.get("doi") else []
    urls += [str(ee) for ee in hit.get("ee", [])]
    venue = hit["venue"][0] if hit.get("venue") else ""
    year = str(hit.get("year", ""))
    return Found(
        "dblp",
        str(hit.get("key", "")),
        str(hit.get("title", "")),
        tuple(str(name) for name in hit.get("authors", [])),
        int(year) if year.isdigit() else None,
        venue,
        book=str(hit.get("type", "")).startswith("Books"),
        preprint=venue == "CoRR",
        ids=_resolvable(urls),
    )


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


SOURCES = (_s2_candidates, _dblp_candidates, _arxiv_candidates)


def find(
    hints: Hints, tools: _Tools, resolve: Resolve, requests: dict[str, int]
) -> tuple[Lookup | None, str, list[str]]:
    """The record of the item's paper from its own service, the evidence, and every candidate rejected."""
    rejected: list[str] = []
    for source in SOURCES:
        candidates = source(hints.title, tools)
        if isinstance(candidates, str):
            rejected.append(candidates)
            continue
        decision: Decision = decide(hints, candidates)
        rejected += decision.rejected
        chosen = decision.chosen
        if chosen is None:
            continue
        if not chosen.ids:
            rejected.append(
                f"{chosen.label}: matches, but links no id a service of ours resolves (not written from {chosen.source})"
            )
            continue
        for ident in chosen.ids:
            kind, _colon, value = ident.partition(":")
            paper = PaperId(Kind(kind), value)
            found, spent = resolve({paper.kind: [paper.id]})
            for name, count in spent.items():
                requests[name] = requests.get(name, 0) + count
            lookup = found.get(paper.key)
            if lookup is None or not lookup.ok:
                rejected.append(f"{chosen.label} -> {ident}: {lookup.reason if lookup else 'not resolved'}")
                continue
            assert lookup.record is not None
            verdict = check(hints, from_entry(_shape(lookup), lookup.record.service, ident))
            if verdict.passed:
                return lookup, f"{decision.evidence}; {ident} from {lookup.record.service}: {verdict.why}", rejected
            rejected.append(f"{chosen.label} -> {ident} ({lookup.record.service}): {verdict.why}")
    return None, "", rejected


def run(
    documents: list[ListDocument],
    lookups: dict[str, Lookup],
    settings: Settings,
    cache: DiskCache,
    resolve: Resolve,
    on_wait: WaitListener | None = None,
) -> TitleRoute:
    """Find by title every item :func:`select` picks; the result the assembler and the report read."""
    chosen, another = select(documents, lookups)
    route = TitleRoute(another=another)
    if not chosen:
        return route
    tools = _Tools(cache, Policy.from_settings(settings), settings, on_wait)
    try:
        for item, url in chosen:
            context = item.context
            text = context.text or " ".join(text for _header, text in context.cells)
            hints = hints_of(context.title, text, context.date)
            lookup, evidence, rejected = find(hints, tools, resolve, route.requests)
            where = f"{context.source}:{context.line}"
            names = [
                f"the link names another paper ({another[_link_key(link)]})"
                for link in item.links
                if _link_key(link) in another
            ]
            decision = TitleDecision(
                where, context.title, lookup.id.key if lookup else "", evidence, tuple(names + rejected)
            )
            _remember(tools, hints, decision)
            route.routed[item_key(item)] = Routed(hints, url, decision, lookup)
    finally:
        for name, client in tools.clients.items():
            route.requests[name] = route.requests.get(name, 0) + client.request_count
            client.close()
    return route


def decision_key(hints: Hints) -> str:
    """The ``title-match`` file of a title asked with these hints (the same title with other hints decides anew)."""
    return json.dumps(
        [normalize_title(hints.title), hints.year, hints.first_author, list(hints.authors), hints.venue, hints.book]
    )


def _remember(tools: _Tools, hints: Hints, decision: TitleDecision) -> None:
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
