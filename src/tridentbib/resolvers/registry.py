"""Which resolver serves which kind of id, and how politely: the registry the pipeline uses.

Resolver modules are imported when a run first needs them (a builder below, a shape
in :data:`SHAPES`): a run that asks two services does not load twelve, and the first
request leaves sooner.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Callable

from tridentbib.http import RETRY_STATUSES, ServiceClient, WaitListener
from tridentbib.identifiers import Kind
from tridentbib.model import Entry
from tridentbib.resolvers.interface import Resolver
from tridentbib.settings import Settings


def client(
    name: str,
    base_url: str,
    delay: float,
    settings: Settings,
    on_wait: WaitListener | None,
    retry_statuses: frozenset[int] = RETRY_STATUSES,
) -> ServiceClient:
    """A paced, retrying client for one service."""
    return ServiceClient(name, base_url, settings, delay, retry_statuses=retry_statuses, on_wait=on_wait)


def arxiv_client(settings: Settings, on_wait: WaitListener | None = None) -> ServiceClient:
    """arXiv's export API, at most one request per ``arxiv_delay`` seconds."""
    return client("arxiv", settings.arxiv_api_url, settings.arxiv_delay, settings, on_wait)


def crossref_client(settings: Settings, on_wait: WaitListener | None = None) -> ServiceClient:
    """Crossref's REST API, paced by the x-rate-limit headers it sends (``crossref_delay`` until the first answer)."""
    return ServiceClient(
        "crossref", settings.crossref_api_url, settings, settings.crossref_delay, on_wait=on_wait, paced_by_headers=True
    )


def dblp_client(settings: Settings, on_wait: WaitListener | None = None) -> ServiceClient:
    """dblp's search API, at most one request per ``dblp_delay`` seconds."""
    return client("dblp", settings.dblp_api_url, settings.dblp_delay, settings, on_wait)


def s2_client(settings: Settings, on_wait: WaitListener | None = None) -> ServiceClient:
    """Semantic Scholar's Graph API, at most one request per ``s2_delay`` seconds (429s back off, bounded)."""
    return client("s2", settings.s2_api_url, settings.s2_delay, settings, on_wait)


def _openreview(settings: Settings, on_wait: WaitListener | None) -> Resolver:
    from tridentbib.resolvers.openreview import RETRY_STATUSES as OPENREVIEW_RETRY_STATUSES
    from tridentbib.resolvers.openreview import OpenReviewResolver

    v2 = client(
        "openreview",
        settings.openreview_api_url,
        settings.openreview_delay,
        settings,
        on_wait,
        OPENREVIEW_RETRY_STATUSES,
    )
    v1 = client(
        "openreview",
        settings.openreview_v1_api_url,
        settings.openreview_delay,
        settings,
        on_wait,
        OPENREVIEW_RETRY_STATUSES,
    )
    return OpenReviewResolver(v2, v1, settings)


def _acl(settings: Settings, on_wait: WaitListener | None) -> Resolver:
    """One ``.bib`` per paper, or the whole export (its own, larger size bound) for many papers."""
    from tridentbib.resolvers.acl import AclResolver

    bulk = settings.with_(max_response_bytes=settings.acl_bulk_max_bytes)
    return AclResolver(
        client("acl", settings.acl_url, settings.acl_delay, settings, on_wait),
        client("acl", settings.acl_url, settings.acl_delay, bulk, on_wait),
        settings.acl_bulk_threshold,
    )


def _doi(settings: Settings, on_wait: WaitListener | None) -> Resolver:
    """Crossref first, DataCite for the DOIs Crossref does not know (each its own paced connection)."""
    from tridentbib.resolvers.crossref import CrossrefResolver
    from tridentbib.resolvers.datacite import DataciteResolver

    datacite = client("datacite", settings.datacite_api_url, settings.datacite_delay, settings, on_wait)
    crossref = crossref_client(settings, on_wait)
    return CrossrefResolver(crossref, DataciteResolver(datacite, settings.mailto), settings.mailto)


def _cvf(settings: Settings, on_wait: WaitListener | None) -> Resolver:
    """The old host (www.cv-foundation.org) and the main one, one paced connection each."""
    from tridentbib.resolvers.cvf import CvfResolver

    return CvfResolver(
        client("cvf", settings.cvf_url, settings.cvf_delay, settings, on_wait),
        client("cvf", settings.cvf_legacy_url, settings.cvf_delay, settings, on_wait),
    )


def _crossref_query(resolver: str) -> Callable[[Settings, WaitListener | None], Resolver]:
    """IEEE, ACM and AAAI numbers (``resolver``: its class in ``article_numbers``): Crossref title queries."""

    def build(settings: Settings, on_wait: WaitListener | None) -> Resolver:
        from tridentbib.resolvers import article_numbers

        return getattr(article_numbers, resolver)(crossref_client(settings, on_wait), settings.mailto)

    return build


def _simple(module: str, cls: str, url: str, delay: str) -> Callable[[Settings, WaitListener | None], Resolver]:
    """A resolver of one paced client: ``module.cls(client(base URL setting, delay setting))``."""

    def build(settings: Settings, on_wait: WaitListener | None) -> Resolver:
        made = client(module, getattr(settings, url), getattr(settings, delay), settings, on_wait)
        return getattr(importlib.import_module(f"tridentbib.resolvers.{module}"), cls)(made)  # type: ignore[no-any-return]

    return build


def _arxiv(settings: Settings, on_wait: WaitListener | None) -> Resolver:
    from tridentbib.resolvers.arxiv import ArxivResolver

    return ArxivResolver(arxiv_client(settings, on_wait))


def _pmlr(settings: Settings, on_wait: WaitListener | None) -> Resolver:
    from tridentbib.resolvers.pmlr import PmlrResolver

    made = client("pmlr", settings.pmlr_url, settings.pmlr_delay, settings, on_wait)
    return PmlrResolver(made, settings.pmlr_volume_threshold)


@dataclass(frozen=True)
class Service:
    """How to build the resolver for one kind of id."""

    kind: Kind
    build: Callable[[Settings, WaitListener | None], Resolver]
    #: cache folders of the answers, in the order the resolver asks its services (default: the kind's name)
    folders: tuple[str, ...] = ()


SERVICES: dict[Kind, Service] = {
    Kind.ARXIV: Service(Kind.ARXIV, _arxiv),
    Kind.OPENREVIEW: Service(Kind.OPENREVIEW, _openreview),
    Kind.ACL: Service(Kind.ACL, _acl),
    Kind.DOI: Service(Kind.DOI, _doi, ("crossref", "datacite")),
    Kind.NEURIPS: Service(Kind.NEURIPS, _simple("neurips", "NeuripsResolver", "neurips_url", "neurips_delay")),
    Kind.PMLR: Service(Kind.PMLR, _pmlr),
    Kind.JMLR: Service(Kind.JMLR, _simple("jmlr", "JmlrResolver", "jmlr_url", "jmlr_delay")),
    Kind.CVF: Service(Kind.CVF, _cvf),
    Kind.ISCA: Service(Kind.ISCA, _simple("isca", "IscaResolver", "isca_url", "isca_delay")),
    Kind.IEEE: Service(Kind.IEEE, _crossref_query("IeeeResolver")),
    Kind.ACM: Service(Kind.ACM, _crossref_query("AcmResolver")),
    Kind.AAAI: Service(Kind.AAAI, _crossref_query("AaaiResolver")),
}


def cache_folders(kind: Kind) -> tuple[str, ...]:
    """The cache folders that hold answers for ``kind``, in the order its services are asked."""
    service = SERVICES.get(kind)
    return (service.folders if service is not None else ()) or (kind.value,)


class Lazy(Mapping[str, Any]):
    """A table of functions named ``"module:function"`` under ``tridentbib.resolvers``, imported on first use."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = where
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            module, _colon, function = self._where[name].partition(":")
            self._loaded[name] = getattr(importlib.import_module(f"tridentbib.resolvers.{module}"), function)
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


#: record -> entry, by the service whose record it is (each service's module shapes its own records)
SHAPES: Mapping[str, Callable[[dict], Entry]] = Lazy(
    {
        "arxiv": "arxiv:from_arxiv",
        "openreview": "openreview:from_openreview",
        "acl": "acl:from_acl",
        "crossref": "crossref:from_crossref",
        "datacite": "datacite:from_datacite",
        "neurips": "neurips:from_neurips",
        "pmlr": "pmlr:from_pmlr",
        "jmlr": "jmlr:from_jmlr",
        "cvf": "cvf:from_cvf",
        "isca": "isca:from_isca",
        "dblp": "dblp:from_dblp_hit",
        "ieee": "article_numbers:from_article_number",
        "acm": "article_numbers:from_article_number",
        "aaai": "article_numbers:from_article_number",
    }
)
