"""Fake Semantic Scholar Graph API under ``/s2/graph/v1``.

Routes: ``POST /paper/batch?fields=...`` with ``{"ids": [...]}`` (the one tridentbib
uses: one call for many papers, answer aligned with the ids, ``null`` for unknown
ones), ``GET /paper/<id>?fields=...`` and ``GET /paper/search/match?query=...``.
Ids may be S2 paper ids or ``ARXIV:``, ``DOI:``, ``CorpusId:``, ``DBLP:``, ``ACL:``,
``MAG:`` prefixed. Only the requested fields are returned, plus ``paperId`` -- as S2
does. Success bodies are serialised like S2's (``json.dumps`` defaults), error
bodies compact like its 404 (see tests/fixtures/s2/).

S2's rate limiting (429 without ``Retry-After``) is injected with the generic fault
machinery: ``api.inject("s2", s2_rate_limit_fault())``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .common import FIXTURES_DIR, Request, Response, json_response, not_found
from .faults import Fault, json_fault

MAX_BATCH_IDS = 500
#: ``matchScore`` of every title match (the one in the search/match fixture)
MATCH_SCORE = 96.18124
DEFAULT_FIELDS = ("title",)

#: every top-level paper field S2 knows, in the order S2 serialises them
PAPER_FIELDS = (
    "paperId",
    "corpusId",
    "externalIds",
    "url",
    "title",
    "abstract",
    "venue",
    "publicationVenue",
    "year",
    "referenceCount",
    "citationCount",
    "influentialCitationCount",
    "isOpenAccess",
    "openAccessPdf",
    "fieldsOfStudy",
    "s2FieldsOfStudy",
    "publicationTypes",
    "publicationDate",
    "journal",
    "citationStyles",
    "authors",
    "tldr",
)

RATE_LIMIT_BODY = {
    "message": "Too Many Requests. Please wait and try again or apply for a key for higher rate limits. "
    "https://www.semanticscholar.org/product/api#api-key-form",
    "code": "429",
}


def s2_rate_limit_fault() -> Fault:
    """The real S2 429 answer (note: no ``Retry-After`` header)."""
    return json_fault(429, RATE_LIMIT_BODY, compact=False)


@dataclass
class S2Paper:
    """One Semantic Scholar paper record.

    ``authors`` items are ``(authorId, name)`` pairs, ``{"authorId", "name"}`` dicts
    or bare names. ``external_ids`` uses S2's keys (``ArXiv``, ``DOI``, ``DBLP``,
    ``CorpusId``, ``ACL``, ``MAG``...). ``extra`` holds any further fields verbatim.
    """

    paper_id: str
    title: str
    external_ids: dict[str, Any] = field(default_factory=dict)
    venue: str = ""
    publication_venue: dict | None = None
    year: int | None = None
    authors: list = field(default_factory=list)
    publication_types: list[str] | None = None
    publication_date: str | None = None
    journal: dict | None = None
    abstract: str | None = None
    citation_count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        normalised = []
        for number, author in enumerate(self.authors):
            if isinstance(author, str):
                author = {"authorId": str(2_000_000 + number), "name": author}
            elif not isinstance(author, dict):
                author = {"authorId": author[0], "name": author[1]}
            normalised.append(author)
        self.authors = normalised

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> S2Paper:
        """Build from an S2 record (e.g. a fixture); unknown fields are kept in ``extra``."""
        known = {
            "paperId",
            "title",
            "externalIds",
            "venue",
            "publicationVenue",
            "year",
            "authors",
            "publicationTypes",
            "publicationDate",
            "journal",
            "abstract",
            "citationCount",
        }
        return cls(
            paper_id=record["paperId"],
            title=record.get("title", ""),
            external_ids=record.get("externalIds") or {},
            venue=record.get("venue", ""),
            publication_venue=record.get("publicationVenue"),
            year=record.get("year"),
            authors=record.get("authors", []),
            publication_types=record.get("publicationTypes"),
            publication_date=record.get("publicationDate"),
            journal=record.get("journal"),
            abstract=record.get("abstract"),
            citation_count=record.get("citationCount", 0),
            extra={k: v for k, v in record.items() if k not in known and k != "matchScore"},
        )

    def field_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "paperId": self.paper_id,
            "corpusId": self.external_ids.get("CorpusId"),
            "externalIds": self.external_ids,
            "url": f"https://www.semanticscholar.org/paper/{self.paper_id}",
            "title": self.title,
            "abstract": self.abstract,
            "venue": self.venue,
            "publicationVenue": self.publication_venue,
            "year": self.year,
            "referenceCount": 0,
            "citationCount": self.citation_count,
            "influentialCitationCount": 0,
            "isOpenAccess": False,
            "openAccessPdf": {"url": "", "status": None, "license": None},
            "fieldsOfStudy": None,
            "s2FieldsOfStudy": [],
            "publicationTypes": self.publication_types,
            "publicationDate": self.publication_date,
            "journal": self.journal,
            "citationStyles": None,
            "authors": self.authors,
            "tldr": None,
        }
        values.update(self.extra)
        return values

    def to_json(self, fields: list[str]) -> dict[str, Any]:
        """Only ``paperId`` and the requested fields, in S2's field order."""
        values = self.field_values()
        wanted = {"paperId", *fields}
        return {name: values.get(name) for name in PAPER_FIELDS if name in wanted}

    def lookup_keys(self) -> list[str]:
        keys = [self.paper_id.lower()]
        prefixes = {
            "ArXiv": "arxiv",
            "DOI": "doi",
            "CorpusId": "corpusid",
            "DBLP": "dblp",
            "ACL": "acl",
            "MAG": "mag",
            "PubMed": "pmid",
            "PubMedCentral": "pmcid",
        }
        for name, value in self.external_ids.items():
            if name in prefixes and value is not None:
                keys.append(f"{prefixes[name]}:{str(value).lower()}")
        return keys


class S2Service:
    """Registry + request handler for the fake Semantic Scholar Graph API."""

    def __init__(self) -> None:
        self._papers: list[S2Paper] = []
        self._index: dict[str, S2Paper] = {}
        #: answer "no title match" as 200 ``{"data": []}`` instead of S2's usual 404 (both occur)
        self.no_match_as_empty_data = False

    def add(self, paper: S2Paper) -> S2Paper:
        self._papers.append(paper)
        for key in paper.lookup_keys():
            self._index[key] = paper
        return paper

    def load_fixtures(self) -> list[S2Paper]:
        """Register the two fixture records (SheetQA, arXiv 2312.97559; Pretraining Speech Encoders ...)."""
        folder = FIXTURES_DIR / "s2"
        by_doi = json.loads((folder / "s2-paper-by-arxiv-doi-2312.97559.json").read_bytes())
        matched = json.loads(
            (folder / "s2-paper-search-match-pretraining-speech-encoders-on-radio-archives.json").read_bytes()
        )
        return [self.add(S2Paper.from_json(by_doi)), self.add(S2Paper.from_json(matched["data"][0]))]

    def clear(self) -> None:
        self._papers.clear()
        self._index.clear()

    def find(self, identifier: str) -> S2Paper | None:
        """Resolve ``ARXIV:2301.02111``, ``DOI:...``, ``CorpusId:...`` or a bare paper id."""
        prefix, colon, value = identifier.strip().partition(":")
        if not colon:
            return self._index.get(identifier.strip().lower())
        prefix = prefix.lower()
        if prefix == "url":
            match = re.search(r"arxiv\.org/(?:abs|pdf)/([^?#]+?)(?:\.pdf)?$", value)
            if match is None:
                return None
            prefix, value = "arxiv", match.group(1)
        if prefix == "arxiv":
            value = re.sub(r"v\d+$", "", value)
        return self._index.get(f"{prefix}:{value.lower()}")

    # ------------------------------------------------------------------- serving
    def handle(self, request: Request) -> Response:
        path = request.subpath.rstrip("/")
        if not path.startswith("/graph/v1/"):
            return not_found(request.path)
        route = path[len("/graph/v1") :]
        fields, error = _requested_fields(request.param("fields"))
        if error is not None:
            return _error(400, error)
        if route == "/paper/batch" and request.method == "POST":
            return self._batch(request, fields)
        if route == "/paper/search/match" and request.method == "GET":
            return self._match(request, fields)
        if route.startswith("/paper/") and request.method == "GET":
            identifier = route[len("/paper/") :]
            paper = self.find(identifier)
            if paper is None:
                return _error(404, f"Paper with id {identifier} not found")
            return _success(paper.to_json(fields))
        return not_found(request.path)

    def _batch(self, request: Request, fields: list[str]) -> Response:
        try:
            ids = request.json()["ids"]
        except (ValueError, KeyError, TypeError):
            return _error(400, 'Body must be a JSON object with an "ids" array')
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return _error(400, '"ids" must be an array of strings')
        if len(ids) > MAX_BATCH_IDS:
            return _error(400, f"Cannot process more than {MAX_BATCH_IDS} ids in one request")
        found = [self.find(identifier) for identifier in ids]
        return _success([None if paper is None else paper.to_json(fields) for paper in found])

    def _match(self, request: Request, fields: list[str]) -> Response:
        wanted = _normalise_title(request.param("query", "") or "")
        for paper in self._papers:
            if wanted and _normalise_title(paper.title) == wanted:
                return _success({"data": [{**paper.to_json(fields), "matchScore": MATCH_SCORE}]})
        if self.no_match_as_empty_data:
            return _success({"data": []})
        return _error(404, "Title match not found")


def _requested_fields(raw: str | None) -> tuple[list[str], str | None]:
    if raw is None or not raw.strip():
        return list(DEFAULT_FIELDS), None
    fields = []
    unknown = []
    for name in (part.strip() for part in raw.split(",") if part.strip()):
        top = name.split(".", 1)[0]  # authors.name -> authors
        if top in PAPER_FIELDS:
            fields.append(top)
        else:
            unknown.append(name)
    if unknown:
        return [], f"Unrecognized or unsupported fields: [{', '.join(unknown)}]"
    return fields, None


def _normalise_title(title: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", title.casefold()))


def _success(payload: Any) -> Response:
    return json_response(payload, compact=False, ensure_ascii=True)


def _error(status: int, message: str) -> Response:
    return json_response({"error": message}, status)
