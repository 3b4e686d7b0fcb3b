"""Which resolver serves which kind of id, and how politely: the registry the pipeline uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tridentbib.http import RETRY_STATUSES, ServiceClient, WaitListener
from tridentbib.identifiers import Kind
from tridentbib.model import Entry
from tridentbib.resolvers.acl import AclResolver, from_acl
from tridentbib.resolvers.article_numbers import (
    AaaiResolver,
    AcmResolver,
    ArticleNumberResolver,
    IeeeResolver,
    from_article_number,
)
from tridentbib.resolvers.arxiv import ArxivResolver, from_arxiv
from tridentbib.resolvers.crossref import CrossrefResolver, from_crossref
from tridentbib.resolvers.cvf import CvfResolver, from_cvf
from tridentbib.resolvers.datacite import DataciteResolver, from_datacite
from tridentbib.resolvers.dblp import from_dblp
from tridentbib.resolvers.interface import Resolver
from tridentbib.resolvers.isca import IscaResolver, from_isca
from tridentbib.resolvers.jmlr import JmlrResolver, from_jmlr
from tridentbib.resolvers.neurips import NeuripsResolver, from_neurips
from tridentbib.resolvers.openreview import RETRY_STATUSES as OPENREVIEW_RETRY_STATUSES
from tridentbib.resolvers.openreview import OpenReviewResolver, from_openreview
from tridentbib.resolvers.pmlr import PmlrResolver, from_pmlr
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
    bulk = settings.with_(max_response_bytes=settings.acl_bulk_max_bytes)
    return AclResolver(
        client("acl", settings.acl_url, settings.acl_delay, settings, on_wait),
        client("acl", settings.acl_url, settings.acl_delay, bulk, on_wait),
        settings.acl_bulk_threshold,
    )


def _doi(settings: Settings, on_wait: WaitListener | None) -> Resolver:
    """Crossref first, DataCite for the DOIs Crossref does not know (each its own paced connection)."""
    datacite = client("datacite", settings.datacite_api_url, settings.datacite_delay, settings, on_wait)
    crossref = crossref_client(settings, on_wait)
    return CrossrefResolver(crossref, DataciteResolver(datacite, settings.mailto), settings.mailto)


def _cvf(settings: Settings, on_wait: WaitListener | None) -> Resolver:
    """The old host (www.cv-foundation.org) and the main one, one paced connection each."""
    return CvfResolver(
        client("cvf", settings.cvf_url, settings.cvf_delay, settings, on_wait),
        client("cvf", settings.cvf_legacy_url, settings.cvf_delay, settings, on_wait),
    )


def _crossref_query(
    resolver: type[ArticleNumberResolver],
) -> Callable[[Settings, WaitListener | None], Resolver]:
    """IEEE, ACM and AAAI numbers: Crossref title queries, paced like every Crossref request."""

    def build(settings: Settings, on_wait: WaitListener | None) -> Resolver:
        return resolver(crossref_client(settings, on_wait), settings.mailto)

    return build


@dataclass(frozen=True)
class Service:
    """How to build the resolver for one kind of id."""

    kind: Kind
    build: Callable[[Settings, WaitListener | None], Resolver]
    #: cache folders of the answers, in the order the resolver asks its services (default: the kind's name)
    folders: tuple[str, ...] = ()


SERVICES: dict[Kind, Service] = {
    Kind.ARXIV: Service(Kind.ARXIV, lambda s, w: ArxivResolver(arxiv_client(s, w))),
    Kind.OPENREVIEW: Service(Kind.OPENREVIEW, _openreview),
    Kind.ACL: Service(Kind.ACL, _acl),
    Kind.DOI: Service(Kind.DOI, _doi, ("crossref", "datacite")),
    Kind.NEURIPS: Service(
        Kind.NEURIPS, lambda s, w: NeuripsResolver(client("neurips", s.neurips_url, s.neurips_delay, s, w))
    ),
    Kind.PMLR: Service(
        Kind.PMLR,
        lambda s, w: PmlrResolver(client("pmlr", s.pmlr_url, s.pmlr_delay, s, w), s.pmlr_volume_threshold),
    ),
    Kind.JMLR: Service(Kind.JMLR, lambda s, w: JmlrResolver(client("jmlr", s.jmlr_url, s.jmlr_delay, s, w))),
    Kind.CVF: Service(Kind.CVF, _cvf),
    Kind.ISCA: Service(Kind.ISCA, lambda s, w: IscaResolver(client("isca", s.isca_url, s.isca_delay, s, w))),
    Kind.IEEE: Service(Kind.IEEE, _crossref_query(IeeeResolver)),
    Kind.ACM: Service(Kind.ACM, _crossref_query(AcmResolver)),
    Kind.AAAI: Service(Kind.AAAI, _crossref_query(AaaiResolver)),
}


def cache_folders(kind: Kind) -> tuple[str, ...]:
    """The cache folders that hold answers for ``kind``, in the order its services are asked."""
    service = SERVICES.get(kind)
    return (service.folders if service is not None else ()) or (kind.value,)


#: record -> entry, by the service whose record it is (each service's module shapes its own records)
SHAPES: dict[str, Callable[[dict], Entry]] = {
    "arxiv": from_arxiv,
    "openreview": from_openreview,
    "acl": from_acl,
    "crossref": from_crossref,
    "datacite": from_datacite,
    "neurips": from_neurips,
    "pmlr": from_pmlr,
    "jmlr": from_jmlr,
    "cvf": from_cvf,
    "isca": from_isca,
    "dblp": lambda hit: from_dblp(hit, frozenset()),
    "ieee": from_article_number,
    "acm": from_article_number,
    "aaai": from_article_number,
}
