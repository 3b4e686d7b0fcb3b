"""Where the title route asks for candidates: Semantic Scholar's title match, dblp, arXiv's title search.

Each source answers one title with the candidates it has (:class:`~tridentbib.steps.identity.Found`)
or says why it has none, reading its cached answer first: ``s2-match/`` and
``dblp-search/`` hold each query's raw answer by a hash of the normalised title,
``arxiv-search/`` arXiv's (:mod:`tridentbib.lookup.arxiv_title`). The ids a candidate
names (S2 ``externalIds``, dblp's ``doi`` and ``ee``) are read with
:func:`~tridentbib.identifiers.classify_url` and never fetched. Clients are shared by
every item of a run, so each service keeps its one connection and its pacing even
when several items are searched at once.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from tridentbib.http import ServiceClient, ServiceError, WaitListener
from tridentbib.identifiers import Kind, PaperId, classify_url
from tridentbib.identifiers.grammar import ID_IS_THE_PAPER
from tridentbib.latex import normalize_title
from tridentbib.lookup.arxiv_title import search_arxiv_title
from tridentbib.lookup.dblp_batch import TitleSearches
from tridentbib.lookup.policy import Policy, consult, keep
from tridentbib.model import Record
from tridentbib.resolvers.dblp import DblpError
from tridentbib.resolvers.registry import SERVICES, arxiv_client, s2_client
from tridentbib.settings import Settings
from tridentbib.steps.identity import Found
from tridentbib.store.cache import DiskCache, NotFound, utc_now

#: what the title match asks of Semantic Scholar
S2_FIELDS = "title,authors,year,venue,externalIds,publicationTypes"


@dataclass
class _Slot:
    """One source's answer to one title, filled once."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answer: list[Found] | str | None = None


@dataclass
class Tools:
    cache: DiskCache
    policy: Policy
    settings: Settings
    on_wait: WaitListener | None
    clients: dict[str, ServiceClient] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: dict[tuple[str, str], _Slot] = field(default_factory=dict)
    #: the run's dblp title searches (batched when several titles wait), shared with the fallbacks and the venues
    titles: TitleSearches | None = None
    _owns_titles: bool = False

    def client(self, name: str) -> ServiceClient | None:
        """The run's one client of ``name`` (None offline), made on first use."""
        if self.policy.offline:
            return None
        with self.lock:
            if name not in self.clients:
                make = {"s2": s2_client, "arxiv": arxiv_client}[name]
                self.clients[name] = make(self.settings, self.on_wait)
            return self.clients[name]

    def ask(self, source: Callable[[str, Tools], list[Found] | str], title: str) -> list[Found] | str:
        """``source``'s answer for ``title``, asked once per run however many items share the title."""
        key = (source.__name__, normalize_title(title))
        with self.lock:
            slot = self.answers.setdefault(key, _Slot())
        with slot.lock:  # a second item with this title waits for the first one's answer
            if slot.answer is None:
                slot.answer = source(title, self)
            return slot.answer

    def dblp_titles(self) -> TitleSearches | None:
        """The run's dblp title searches (None offline): the run's own, else one of these tools' own."""
        if self.policy.offline:
            return None
        with self.lock:
            if self.titles is None:
                self.titles, self._owns_titles = TitleSearches(self.settings, self.on_wait), True
            return self.titles

    def close(self, requests: dict[str, int]) -> None:
        """Close every client, counting its requests into ``requests``."""
        if self._owns_titles and self.titles is not None:
            self.titles.close()
            requests["dblp"] = requests.get("dblp", 0) + self.titles.requests
            self.titles, self._owns_titles = None, False
        for name, client in self.clients.items():
            requests[name] = requests.get(name, 0) + client.request_count
            client.close()
        self.clients.clear()

    def cached(self, folder: str, key: str) -> Record | NotFound | None:
        found, ask = consult(self.cache, self.policy, folder, key)
        return None if ask else found


def _s2_cached(folder: str, key: str, tools: Tools) -> list[Found] | str | None:
    """The cached S2 answer (its candidates, or why there are none); None when S2 must be asked."""
    cached = tools.cached(folder, key)
    if isinstance(cached, NotFound):
        return f"Semantic Scholar: {cached.reason}"
    if isinstance(cached, Record):
        return [_from_s2(hit) for hit in cached.data.get("hits", []) if isinstance(hit, dict)]
    return None


def _s2_ask(tools: Tools, folder: str, key: str, path: str, params: dict[str, str], none: str) -> Any:
    """S2's JSON answer to one GET, or a reason string; a 404 is cached as ``none`` (no such paper or match)."""
    client = tools.client("s2")
    if client is None:
        return "Semantic Scholar: offline and not in the cache"
    key_header = {"x-api-key": tools.settings.s2_api_key} if tools.settings.s2_api_key else None
    try:
        response = client.get(path, params=params, headers=key_header)
    except ServiceError as error:
        return f"Semantic Scholar: {error}"
    if response.status == 404:
        keep(tools.cache, NotFound(folder, key, none, utc_now()))
        return f"Semantic Scholar: {none}"
    if response.status != 200:
        return f"Semantic Scholar answered HTTP {response.status}"
    try:
        return json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "Semantic Scholar answered something that is not JSON"


def _s2_keep(tools: Tools, folder: str, key: str, query: str, hits: list[dict[str, Any]], path: str) -> list[Found]:
    client = tools.client("s2")
    request = client.url_for(path) if client is not None else ""
    keep(tools.cache, Record(folder, key, {"query": query, "hits": hits}, utc_now(), request))
    return [_from_s2(hit) for hit in hits]


def s2_candidates(title: str, tools: Tools) -> list[Found] | str:
    """Semantic Scholar's one best hit for ``title`` (cached), or why there is none."""
    key, path, none = normalize_title(title), "/paper/search/match", "Title match not found"
    cached = _s2_cached("s2-match", key, tools)
    if cached is not None:
        return cached
    answer = _s2_ask(tools, "s2-match", key, path, {"query": title, "fields": S2_FIELDS}, none)
    if isinstance(answer, str):
        return answer
    hits = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(hits, list) or not hits:  # {"data": []}: no match either
        keep(tools.cache, NotFound("s2-match", key, none, utc_now()))
        return f"Semantic Scholar: {none}"
    return _s2_keep(tools, "s2-match", key, title, [hit for hit in hits[:1] if isinstance(hit, dict)], path)


def s2_paper_candidates(sha: str, tools: Tools) -> list[Found] | str:
    """The Semantic Scholar paper an item links (``/paper/SHA``, cached by its id), or why there is none."""
    path = f"/paper/{sha}"
    cached = _s2_cached("s2-paper", sha, tools)
    if cached is not None:
        return cached
    hit = _s2_ask(tools, "s2-paper", sha, path, {"fields": S2_FIELDS}, "no paper with this id")
    if isinstance(hit, str):
        return hit
    if not isinstance(hit, dict) or not hit.get("title"):
        return "Semantic Scholar answered a paper without a title"
    return _s2_keep(tools, "s2-paper", sha, sha, [hit], path)


def dblp_candidates(title: str, tools: Tools) -> list[Found] | str:
    """Every dblp hit for ``title`` (cached), or why there are none."""
    key = normalize_title(title)
    cached = tools.cached("dblp-search", key)
    if isinstance(cached, NotFound):
        return f"dblp: {cached.reason}"
    if isinstance(cached, Record):
        return [_from_dblp(hit) for hit in cached.data.get("hits", []) if isinstance(hit, dict)]
    searches = tools.dblp_titles()
    if searches is None:
        return "dblp: offline and not in the cache"
    try:
        answer = searches.ask(title).result()
    except DblpError as error:
        return f"dblp: {error}"
    if not answer.hits:
        keep(tools.cache, NotFound("dblp-search", key, "no dblp record for this title", utc_now()))
        return "dblp: no dblp record for this title"
    data = {"query": title, "hits": answer.hits, **({"batch": answer.batch} if answer.batch else {})}
    keep(tools.cache, Record("dblp-search", key, data, utc_now(), answer.request))
    return [_from_dblp(hit) for hit in answer.hits]


def arxiv_candidates(title: str, tools: Tools) -> list[Found] | str:
    found = search_arxiv_title(title, tools.cache, tools.policy, lambda: tools.client("arxiv"))
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


#: the sources, in the order they are asked
SOURCES: tuple[Callable[[str, Tools], list[Found] | str], ...] = (s2_candidates, dblp_candidates, arxiv_candidates)
