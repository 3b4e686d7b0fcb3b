"""Which resolver serves which kind of id, and how politely: the registry the pipeline uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tridentbib.http import ServiceClient, WaitListener
from tridentbib.identifiers import Kind
from tridentbib.resolvers.arxiv import ArxivResolver
from tridentbib.resolvers.interface import Resolver
from tridentbib.settings import Settings


@dataclass(frozen=True)
class Service:
    """How to build a resolver for one kind of id."""

    kind: Kind
    resolver: Callable[[ServiceClient], Resolver]
    base_url: Callable[[Settings], str]
    delay: Callable[[Settings], float]


SERVICES: dict[Kind, Service] = {
    Kind.ARXIV: Service(Kind.ARXIV, ArxivResolver, lambda s: s.arxiv_api_url, lambda s: s.arxiv_delay),
}


def make_client(service: Service, settings: Settings, on_wait: WaitListener | None = None) -> ServiceClient:
    """A paced, retrying client for one service."""
    return ServiceClient(service.kind.value, service.base_url(settings), settings, service.delay(settings), on_wait=on_wait)
