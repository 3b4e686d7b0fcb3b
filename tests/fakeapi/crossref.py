"""Fake Crossref REST API: ``GET /crossref/works/{doi}`` and ``GET /crossref/works?filter=doi:A,doi:B&rows=N``.

As Crossref answers: ``{"status": "ok", "message-type": "work", "message-version": "1.0.0",
"message": {...}}`` for one work; ``message-type`` ``work-list`` with ``message.items``
(and ``total-results``, ``items-per-page``, ``query``, ``facets``) for a filter query;
an unknown DOI is a 404 whose body is the plain text ``Resource not found.``. DOIs
compare case-insensitively; the record keeps the DOI as registered. Works are
invented, built with :func:`make_work` in Crossref's field layout.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from .common import Request, Response, json_response, text_response

HEADERS = {
    "access-control-allow-origin": "*",
    "x-api-pool": "public-single",
    "x-rate-limit-limit": "5",
    "x-rate-limit-interval": "1s",
    "x-concurrency-limit": "1",
}
LIST_HEADERS = {**HEADERS, "x-api-pool": "public-array", "x-rate-limit-limit": "1"}


def make_work(
    doi: str,
    work_type: str,
    title: str,
    authors: list[tuple[str, str] | str],
    *,
    container: list[str] | None = None,
    date: list[int] | None = None,
    date_field: str = "published-print",
    publisher: str = "Invented Press",
    **extra: Any,
) -> dict[str, Any]:
    """A Crossref work: authors as ``(given, family)`` or an organisation's name; ``extra`` keys as Crossref spells them."""
    parts = date or [2021]
    work: dict[str, Any] = {
        "indexed": {"date-parts": [[2026, 5, 19]], "date-time": "2026-05-19T07:17:32Z", "timestamp": 1779175052556},
        "reference-count": 0,
        "publisher": publisher,
        "content-domain": {"domain": [], "crossmark-restriction": False},
        "short-container-title": [],
        "DOI": doi,
        "type": work_type,
        "created": {"date-parts": [[2021, 6, 18]], "date-time": "2021-06-18T17:22:39Z", "timestamp": 1624036959000},
        "source": "Crossref",
        "is-referenced-by-count": 3,
        "title": [title],
        "prefix": doi.split("/", 1)[0],
        "author": [
            {"name": a, "sequence": "first" if i == 0 else "additional", "affiliation": []}
            if isinstance(a, str)
            else {"given": a[0], "family": a[1], "sequence": "first" if i == 0 else "additional", "affiliation": []}
            for i, a in enumerate(authors)
        ],
        "member": "320",
        "container-title": container or [],
        "original-title": [],
        "deposited": {"date-parts": [[2025, 6, 17]], "date-time": "2025-06-17T21:28:05Z", "timestamp": 1750195685000},
        "score": 1,
        "resource": {"primary": {"URL": f"https://publisher.example/{doi}"}},
        "subtitle": [],
        "short-title": [],
        date_field: {"date-parts": [parts]},
        "issued": {"date-parts": [parts]},
        "references-count": 0,
        "URL": f"https://doi.org/{doi}",
        "relation": {},
        "subject": [],
        "published": {"date-parts": [parts]},
    }
    work.update(extra)
    return work


class CrossrefService:
    """Registry + request handler for the fake Crossref."""

    def __init__(self) -> None:
        self._works: dict[str, dict[str, Any]] = {}
        #: rate-limit headers of single records and of list queries (the public pool's; a test may change them)
        self.headers = dict(HEADERS)
        self.list_headers = dict(LIST_HEADERS)

    def add(self, work: dict[str, Any]) -> None:
        self._works[work["DOI"].lower()] = work

    def clear(self) -> None:
        self._works.clear()

    def handle(self, request: Request) -> Response:
        path = request.subpath
        if path.rstrip("/") == "/works":
            return self._list(request)
        if path.startswith("/works/"):
            work = self._works.get(unquote(path[len("/works/") :]).lower())
            if work is None:
                return _not_found(self.headers)
            return json_response(
                {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": work},
                headers=self.headers,
            )
        return _not_found(self.headers)

    def _list(self, request: Request) -> Response:
        filters = request.param("filter") or ""
        rows = int(request.param("rows") or "20")
        if request.param("query.bibliographic") is not None:
            return self._query(request.param("query.bibliographic") or "", filters, rows)
        wanted = []
        for part in filters.split(","):
            name, _, value = part.partition(":")
            if name != "doi" or not value:
                return json_response(
                    {
                        "status": "failed",
                        "message-type": "validation-failure",
                        "message": [
                            {
                                "type": "filter-not-available",
                                "value": name,
                                "message": f"Filter {name} specified but there is no such filter for this route.",
                            }
                        ],
                    },
                    400,
                )
            wanted.append(value.lower())
        items = [self._works[doi] for doi in dict.fromkeys(wanted) if doi in self._works][:rows]
        return json_response(
            {
                "status": "ok",
                "message-type": "work-list",
                "message-version": "1.0.0",
                "message": {
                    "facets": {},
                    "total-results": len(items),
                    "items": items,
                    "items-per-page": rows,
                    "query": {"start-index": 0, "search-terms": None},
                },
            },
            headers=self.list_headers,
        )

    def _query(self, query: str, filters: str, rows: int) -> Response:
        """Crossref's bibliographic query: every work ranked by words in common, never an empty answer while any exists."""
        prefixes = [
            value for name, _, value in (part.partition(":") for part in filters.split(",")) if name == "prefix"
        ]
        words = set(re.findall(r"\w+", query.lower()))
        pool = [w for w in self._works.values() if not prefixes or w["DOI"].split("/", 1)[0] in prefixes]

        def score(work: dict[str, Any]) -> int:
            return len(words & set(re.findall(r"\w+", " ".join(work.get("title", [])).lower())))

        ranked = sorted(pool, key=score, reverse=True)[:rows]
        items = [{**work, "score": float(score(work))} for work in ranked]
        message = {
            "facets": {},
            "total-results": 11140294 if not prefixes else len(pool),
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": 0, "search-terms": query},
        }
        return json_response(
            {"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message},
            headers=self.list_headers,
        )


def _not_found(headers: dict[str, str] | None = None) -> Response:
    return text_response("Resource not found.", 404, content_type="text/plain", headers=headers)
