"""Semantic Scholar: the Graph API's paper batch endpoint, up to 500 arXiv ids a request.

``POST {TRIDENTBIB_S2_API_URL}/paper/batch?fields=...`` with ``{"ids": ["ARXIV:2301.02111", ...]}``
answers a JSON list aligned with the ids, ``null`` for every id S2 does not know.
That makes the venue check of a whole list one request per 500 papers.

S2 rate-limits the shared unauthenticated pool with a 429 that usually carries no
``Retry-After``; :class:`~tridentbib.http.ServiceClient` backs off exponentially a
bounded number of times, and if S2 still refuses, every id of the batch comes back
as a transient :class:`Missing` (never cached): those papers simply stay preprints
this run. ``TRIDENTBIB_S2_API_KEY`` is sent as the ``x-api-key`` header.
"""

from __future__ import annotations

import json
from typing import Iterator, Sequence
from urllib.parse import urlencode

from tridentbib.http import ServiceClient, ServiceError
from tridentbib.resolvers.interface import Answer, Found, Missing, Resolver

#: S2's documented limit for one batch request.
BATCH_SIZE = 500
#: What the venue check reads; ``journal`` adds volume and pages where S2 knows them.
FIELDS = "externalIds,venue,publicationVenue,year,title,authors,publicationTypes,journal"


class S2Resolver(Resolver):
    """Fetch Semantic Scholar records for arXiv ids (canonical, without version)."""

    service = "s2"

    def __init__(self, client: ServiceClient, api_key: str | None = None) -> None:
        super().__init__(client)
        self.api_key = api_key

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        """One POST per 500 ids; ``null`` answers are permanent misses, outages transient ones."""
        for batch in self.batches(ids, BATCH_SIZE):
            yield from self._fetch_batch(batch)

    def _fetch_batch(self, batch: list[str]) -> Iterator[tuple[str, Answer]]:
        params = {"fields": FIELDS}
        request = f"{self.client.url_for('/paper/batch')}?{urlencode(params)}"
        headers = {"x-api-key": self.api_key} if self.api_key else None
        try:
            response = self.client.post(
                "/paper/batch", params=params, json={"ids": [f"ARXIV:{ident}" for ident in batch]}, headers=headers
            )
        except ServiceError as error:
            yield from _all_missing(batch, str(error))
            return
        if response.status == 429:
            yield from _all_missing(
                batch,
                f"Semantic Scholar: rate limited (HTTP 429) after {self.client.settings.max_retries + 1} attempts",
            )
            return
        if response.status != 200:
            yield from _all_missing(batch, f"Semantic Scholar answered HTTP {response.status}")
            return
        try:
            records = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            yield from _all_missing(batch, "Semantic Scholar answered something that is not JSON")
            return
        if not isinstance(records, list) or len(records) != len(batch):
            yield from _all_missing(batch, "Semantic Scholar's batch answer does not match the ids asked for")
            return
        for ident, record in zip(batch, records, strict=True):
            if isinstance(record, dict):
                yield ident, Found(record, request)
            else:
                yield ident, Missing("Semantic Scholar has no paper with this arXiv id")


def _all_missing(batch: list[str], reason: str) -> Iterator[tuple[str, Answer]]:
    for ident in batch:
        yield ident, Missing(reason, permanent=False)
