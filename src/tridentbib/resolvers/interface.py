"""The seam every upstream API plugs into.

A resolver turns canonical ids of its service into plain-JSON records. It owns its
HTTP (through a :class:`~tridentbib.http.ServiceClient`) and its batching, and
yields one answer per id *as each batch completes*, so the caller can store it in
the cache at once: an interrupted run keeps everything fetched so far.

A paper the service does not know is data (:class:`Missing` with
``permanent=True``, cached as a negative answer); an outage is data too
(``permanent=False``, never cached), so one failing batch marks only its own
papers as failed and the run goes on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterator, Mapping, Protocol, Sequence

from tridentbib.bibtex_read import BibtexReadError, read_single_entry
from tridentbib.http import Response, ServiceClient, ServiceError
from tridentbib.model import Context


@dataclass(frozen=True)
class Found:
    """The service's record for one id."""

    data: dict[str, Any]
    request: str  #: the URL that answered, for provenance in the cache
    #: the service that answered, when a resolver asks more than one (its cache folder and shape; "": the kind's own)
    service: str = ""
    #: when the service gave it, if not just now (a record split from a bulk export keeps the export's date)
    fetched_at: str | None = None


@dataclass(frozen=True)
class Missing:
    """No record for one id, and why."""

    reason: str
    permanent: bool = True  #: the service said "no such paper" (cacheable), not "try later"
    #: the service would not serve it (a challenge, a rate limit, a bot page): another source may
    recoverable: bool = False
    #: the service that had the last word, when a resolver asks more than one (where a permanent answer is cached)
    service: str = ""


Answer = Found | Missing


class BulkShelf(Protocol):
    """Where a resolver keeps a service's bulk export as a file of its own (the cache implements it)."""

    def bulk_file(self, folder: str, name: str) -> tuple[Path, str] | None:
        """The stored file and its ``fetched_at``, or None."""

    def put_bulk_file(self, folder: str, name: str, content: bytes, request: str) -> tuple[Path, str]:
        """Store ``content`` whole; the file and its ``fetched_at``."""

    def set_aside_bulk_file(self, folder: str, name: str, problem: str) -> None:
        """Move an unusable stored file out of the way and report it."""

    def get(self, service: str, ident: str) -> object:
        """The cached answer of one id (a :class:`~tridentbib.model.Record` when found), or None: read only."""


class Resolver(ABC):
    """Fetch records of one service."""

    #: cache folder and report name of the service
    service: ClassVar[str]

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    @property
    def clients(self) -> list[ServiceClient]:
        """Every HTTP client this resolver uses (for request counts and closing)."""
        return [self.client]

    def attach(self, shelf: BulkShelf, is_fresh: Callable[[str], bool]) -> None:
        """Called before :meth:`fetch` with the run's cache and its freshness rule (for bulk exports);
        default: unused."""
        return None

    def use_rows(self, rows: Mapping[str, Context]) -> None:
        """Called before :meth:`fetch` with the row or bullet of each ``kind:id`` (its first mention).

        For resolvers whose id alone does not name a record: an IEEE document number is
        looked up by the row's title, an old NeurIPS link by its title and year. Default: unused.
        """
        return None

    @abstractmethod
    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        """Yield ``(id, answer)`` for every id, batch by batch."""
        raise NotImplementedError  # pragma: no cover

    def answer_offline(self, ids: Sequence[str]) -> Iterator[tuple[str, Found]]:
        """``--offline``, after :meth:`attach`: ``(id, Found)`` for the ids the files kept beside the records answer.

        Those files are a service's bulk export, a volume bibliography, a year index
        (read through the shelf, whatever their age); never the network. Ids not
        yielded stay "offline and not in the cache". Default: none.
        """
        return iter(())

    @staticmethod
    def batches(ids: Sequence[str], size: int) -> Iterator[list[str]]:
        """Consecutive slices of at most ``size`` ids."""
        for start in range(0, len(ids), size):
            yield list(ids[start : start + size])


class OneAtATime(Resolver):
    """A resolver that asks its service one paper per request (static proceedings sites)."""

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        for ident in ids:
            yield ident, self.fetch_one(ident)

    @abstractmethod
    def fetch_one(self, ident: str) -> Answer:
        """The answer for one id."""
        raise NotImplementedError  # pragma: no cover


def get_file(client: ServiceClient, path: str, site: str, not_found: str) -> Response | Missing:
    """GET one file of a site: the 200 answer, ``Missing(not_found)`` on a 404, a transient Missing otherwise.

    An outage (connection, retries spent) and any other status may pass, so neither is
    cached; only the site's own 404 says the paper is not there.
    """
    try:
        response = client.get(path)
    except ServiceError as error:
        return Missing(str(error), permanent=False)
    if response.status == 404:
        return Missing(not_found)
    if response.status != 200:
        return Missing(f"{site} answered HTTP {response.status}", permanent=False)
    return response


def site_bibtex(text: str, site: str) -> dict[str, Any] | Missing:
    """A site's one-entry BibTeX file as ``{"key", "fields", ...}``, or a transient Missing when it is not one.

    A page that is not BibTeX (an error page served with 200) or an entry that does
    not parse may be the site's passing fault, so neither is cached.
    """
    body = text.lstrip("\ufeff \t\r\n")
    if not body.startswith("@"):
        return Missing(f"{site} answered with a page that is not BibTeX", permanent=False)
    try:
        return read_single_entry(body)
    except BibtexReadError as error:
        return Missing(f"{site} BibTeX could not be read: {error}", permanent=False)
