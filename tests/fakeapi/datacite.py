"""Fake DataCite REST API: ``GET /datacite/dois/{doi}``.

As DataCite answers: JSON:API, ``{"data": {"id": doi, "type": "dois", "attributes": {...},
"relationships": {...}}}``, the DOI lower-cased in ``id`` and ``attributes.doi``; an
unknown DOI is a 404 with ``{"errors": [{"status": "404", "title": "The resource you
are looking for doesn't exist."}]}``. Records are invented, built with :func:`make_doi`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from .common import Request, Response, json_response

CONTENT_TYPE = "application/vnd.api+json; charset=utf-8"


def make_doi(
    doi: str,
    title: str,
    creators: list[tuple[str, str] | str],
    *,
    resource_type: str = "Dataset",
    year: int = 2022,
    publisher: str = "Zenodo",
    abstract: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A DataCite DOI record: creators as ``(given, family)`` or an organisation's name."""
    doi = doi.lower()
    attributes: dict[str, Any] = {
        "doi": doi,
        "prefix": doi.split("/", 1)[0],
        "suffix": doi.split("/", 1)[1],
        "identifiers": [],
        "alternateIdentifiers": [],
        "creators": [
            {"name": c, "nameType": "Organizational", "affiliation": [], "nameIdentifiers": []}
            if isinstance(c, str)
            else {
                "name": f"{c[1]}, {c[0]}",
                "nameType": "Personal",
                "givenName": c[0],
                "familyName": c[1],
                "affiliation": [],
                "nameIdentifiers": [],
            }
            for c in creators
        ],
        "titles": [{"title": title}],
        "publisher": publisher,
        "container": {},
        "publicationYear": year,
        "subjects": [],
        "contributors": [],
        "dates": [{"date": str(year), "dateType": "Issued"}],
        "language": None,
        "types": {
            "ris": "DATA",
            "bibtex": "misc",
            "citeproc": "dataset",
            "schemaOrg": "Dataset",
            "resourceTypeGeneral": resource_type,
        },
        "relatedIdentifiers": [],
        "relatedItems": [],
        "sizes": [],
        "formats": [],
        "version": None,
        "rightsList": [],
        "descriptions": [{"description": abstract, "descriptionType": "Abstract"}] if abstract else [],
        "geoLocations": [],
        "fundingReferences": [],
        "xml": "PD94bWwgdmVyc2lvbj0iMS4wIj8+",
        "url": f"https://zenodo.example/records/{doi.rsplit('.', 1)[-1]}",
        "contentUrl": None,
        "metadataVersion": 0,
        "schemaVersion": "http://datacite.org/schema/kernel-4",
        "source": "api",
        "isActive": True,
        "state": "findable",
        "reason": None,
        "viewCount": 0,
        "downloadCount": 0,
        "referenceCount": 0,
        "citationCount": 0,
        "created": "2022-03-01T10:00:00.000Z",
        "registered": "2022-03-01T10:00:01.000Z",
        "published": str(year),
        "updated": "2022-03-01T10:00:01.000Z",
    }
    attributes.update(extra)
    return {
        "id": doi,
        "type": "dois",
        "attributes": attributes,
        "relationships": {"client": {"data": {"id": "invented.repo", "type": "clients"}}},
    }


class DataciteService:
    """Registry + request handler for the fake DataCite."""

    def __init__(self) -> None:
        self._records: dict[str, dict[str, Any]] = {}

    def add(self, record: dict[str, Any]) -> None:
        self._records[record["id"].lower()] = record

    def clear(self) -> None:
        self._records.clear()

    def handle(self, request: Request) -> Response:
        if request.subpath.startswith("/dois/"):
            record = self._records.get(unquote(request.subpath[len("/dois/") :]).lower())
            if record is not None:
                return json_response({"data": record}, headers={"Content-Type": CONTENT_TYPE})
        return json_response(
            {"errors": [{"status": "404", "title": "The resource you are looking for doesn't exist."}]},
            404,
            headers={"Content-Type": CONTENT_TYPE},
        )
