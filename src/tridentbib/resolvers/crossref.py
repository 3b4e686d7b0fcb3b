"""Crossref REST: DOIs of any registrar, Crossref first and DataCite for the DOIs Crossref does not know.

``GET {TRIDENTBIB_CROSSREF_API_URL}/works/{doi}`` answers
``{"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": {...}}``;
an unknown DOI is a 404 with the plain-text body ``Resource not found.``. Many DOIs
go in one list query, ``GET /works?filter=doi:A,doi:B&rows=N`` (``message-type``
``work-list``, the records in ``message.items``); a DOI missing from that answer is
one Crossref has no record of. One bad DOI can sink a list query (a 400), so a batch
Crossref refuses is asked again one DOI at a time.

Politeness: Crossref's public pool allows one list query and five single records a
second on one connection; ``TRIDENTBIB_CROSSREF_DELAY`` (default 1 s) spaces every
request. ``TRIDENTBIB_MAILTO`` moves the run to the polite pool: the address goes
into the User-Agent and into Crossref's ``mailto=`` parameter.

The entry is built from the JSON, never from Crossref's BibTeX (keys with spaces,
``month=Sept``, en-dash pages, dropped editors).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Iterator, Sequence
from urllib.parse import quote

from tridentbib.entry_fields import MONTHS, _latex_name
from tridentbib.http import ServiceClient, ServiceError
from tridentbib.latex import protect_title, to_latex
from tridentbib.model import Entry
from tridentbib.names import Name
from tridentbib.resolvers.datacite import DataciteResolver, user_agent
from tridentbib.resolvers.interface import Answer, Found, Missing, Resolver

#: up to this many DOIs are asked one by one (single records have the higher limit)
SINGLE_LIMIT = 10
#: DOIs per list query beyond that (public clients use 40; 75 was measured to work)
BATCH_SIZE = 40

#: the parts of a work a record keeps (references, licences, funders and links are bulky and unused)
KEPT = (
    "DOI",
    "type",
    "title",
    "subtitle",
    "author",
    "editor",
    "container-title",
    "event",
    "publisher",
    "publisher-location",
    "volume",
    "issue",
    "page",
    "article-number",
    "published-print",
    "published-online",
    "issued",
    "abstract",
    "ISBN",
    "ISSN",
    "URL",
    "resource",
    "language",
)

NOT_FOUND = "Crossref has no record of this DOI"
NEITHER = "neither Crossref nor DataCite has a record of this DOI"


class CrossrefResolver(Resolver):
    """Fetch Crossref works by DOI (single requests for a few, ``filter=doi:`` list queries for many);
    DOIs Crossref does not know go to DataCite."""

    service = "crossref"

    def __init__(self, client: ServiceClient, datacite: DataciteResolver | None = None, mailto: str | None = None):
        super().__init__(client)
        self.datacite = datacite
        self.mailto = mailto
        self.headers = user_agent(mailto)

    @property
    def clients(self) -> list[ServiceClient]:
        return [self.client] + (self.datacite.clients if self.datacite else [])

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        """Crossref's answer per DOI, and DataCite's for those Crossref said it does not know."""
        if len(ids) <= SINGLE_LIMIT:
            for doi in ids:
                yield from self._settle(doi, self._fetch_one(doi))
            return
        singles = [doi for doi in ids if "," in doi]  # a comma would split the filter
        listed = [doi for doi in ids if "," not in doi]
        for batch in self.batches(listed, BATCH_SIZE):
            answers = self._fetch_list(batch)
            for doi in batch:
                yield from self._settle(doi, answers[doi] if answers is not None else self._fetch_one(doi))
        for doi in singles:
            yield from self._settle(doi, self._fetch_one(doi))

    def _settle(self, doi: str, answer: Answer) -> Iterator[tuple[str, Answer]]:
        """Crossref's answer, or DataCite's when Crossref does not know the DOI."""
        if isinstance(answer, Found) or not answer.permanent or self.datacite is None:
            yield doi, answer
            return
        for ident, other in self.datacite.fetch([doi]):
            if isinstance(other, Missing) and other.permanent:
                other = Missing(NEITHER, service=other.service)
            yield ident, other

    def _params(self, params: dict[str, str] | None = None) -> dict[str, str] | None:
        params = dict(params or {})
        if self.mailto:
            params["mailto"] = self.mailto
        return params or None

    def _fetch_one(self, doi: str) -> Answer:
        path = f"/works/{quote(doi, safe='/')}"
        try:
            response = self.client.get(path, params=self._params(), headers=self.headers or None)
        except ServiceError as error:
            return Missing(str(error), permanent=False, service=self.service)
        if response.status == 404:
            return Missing(NOT_FOUND, service=self.service)
        if response.status != 200:
            return Missing(f"Crossref answered HTTP {response.status}", permanent=False, service=self.service)
        message = _message(response.content, "work")
        if not isinstance(message, dict):
            return Missing(
                "Crossref answered something that is not its work JSON", permanent=False, service=self.service
            )
        return Found(crossref_record(doi, message), self.client.url_for(path), service=self.service)

    def _fetch_list(self, batch: list[str]) -> dict[str, Answer] | None:
        """One list query for ``batch``; None when Crossref refused it (ask one by one)."""
        params = {"filter": ",".join(f"doi:{doi}" for doi in batch), "rows": str(len(batch))}
        try:
            response = self.client.get("/works", params=self._params(params), headers=self.headers or None)
        except ServiceError as error:
            return {doi: Missing(str(error), permanent=False, service=self.service) for doi in batch}
        if response.status in self.client.retry_statuses:  # still failing when the retries ran out
            reason = f"Crossref answered HTTP {response.status}"
            return {doi: Missing(reason, permanent=False, service=self.service) for doi in batch}
        message = _message(response.content, "work-list") if response.status == 200 else None
        items = message.get("items") if isinstance(message, dict) else None
        if not isinstance(items, list):
            return None
        found = {
            str(item["DOI"]).lower(): item
            for item in items
            if isinstance(item, dict) and isinstance(item.get("DOI"), str)
        }
        request = self.client.url_for("/works")
        return {
            doi: Found(crossref_record(doi, found[doi]), request, service=self.service)
            if doi in found
            else Missing(NOT_FOUND, service=self.service)
            for doi in batch
        }


def _message(content: bytes, message_type: str) -> Any:
    """The ``message`` of a Crossref answer of ``message_type``, or None."""
    try:
        payload = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("status") != "ok" or payload.get("message-type") != message_type:
        return None
    return payload.get("message")


def crossref_record(doi: str, message: dict[str, Any]) -> dict[str, Any]:
    """The cached record of a Crossref work: its DOI as ``id`` and the parts an entry is made from."""
    return {"id": doi, **{key: message[key] for key in KEPT if key in message}}


# -- record -> entry ------------------------------------------------------------

#: Crossref ``type`` -> entry type
TYPES = {
    "proceedings-article": "inproceedings",
    "journal-article": "article",
    "book-chapter": "incollection",
    "book-section": "incollection",
    "book-part": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "posted-content": "misc",
}

_TAG = re.compile(r"<[^>]*>")
_PARAGRAPH = re.compile(r"<(?:jats:)?p\b[^>]*>(.*?)</(?:jats:)?p>", re.DOTALL)
_ABSTRACT_HEADING = re.compile(r"<(?:jats:)?title\b[^>]*>.*?</(?:jats:)?title>", re.DOTALL)


def from_crossref(record: dict[str, Any]) -> Entry:
    """A Crossref work as ``@inproceedings``, ``@article``, ``@incollection``, ``@book`` or ``@misc``."""
    doi = record.get("DOI") or record["id"]
    entry_type = TYPES.get(record.get("type", ""), "misc")
    fields: dict[str, str] = {}
    title = _first(record.get("title"))
    subtitle = _first(record.get("subtitle"))
    if title:
        full = f"{title}: {subtitle}" if subtitle and not title.endswith(subtitle) else title
        fields["title"] = protect_title(to_latex(full))
    if record.get("author"):
        fields["author"] = _names(record["author"])
    containers = [_plain(str(c)) for c in record.get("container-title") or [] if str(c).strip()]
    if entry_type == "article" and containers:
        fields["journal"] = to_latex(containers[0])
    elif entry_type in ("inproceedings", "incollection") and containers:
        fields["booktitle"] = to_latex(containers[-1])
        if len(containers) > 1:
            fields["series"] = to_latex(containers[0])  # Lecture Notes in Computer Science, the volume's title
    if entry_type in ("incollection", "book") and record.get("editor"):
        fields["editor"] = _names(record["editor"])
    if entry_type == "article":
        for source, target in (("volume", "volume"), ("issue", "number")):
            if record.get(source):
                fields[target] = to_latex(_plain(str(record[source])))
    if record.get("page") and entry_type != "book":
        page = _plain(str(record["page"]))
        fields["pages"] = page if "--" in page else re.sub(r"\s*[-\u2013]\s*", "--", page)
    _year_month(fields, record)
    if record.get("publisher"):
        fields["publisher"] = to_latex(_plain(str(record["publisher"])))
    fields["doi"] = doi
    fields["url"] = f"https://doi.org/{doi}"
    if record.get("abstract"):
        abstract = jats_text(str(record["abstract"]))
        if abstract:
            fields["abstract"] = to_latex(abstract)
    fields = {k: v for k, v in fields.items() if v}
    return Entry(
        key="",
        entry_type=entry_type,
        fields=fields,
        identity=frozenset({f"doi:{doi.lower()}"}),
        origin="crossref",
    )


def jats_text(jats: str) -> str:
    """Crossref's JATS abstract as plain text: one paragraph per ``<jats:p>``, a blank line apart, no heading."""
    body = _ABSTRACT_HEADING.sub(" ", jats)
    paragraphs = _PARAGRAPH.findall(body) or [body]
    return "\n\n".join(text for text in (_plain(p) for p in paragraphs) if text)


def _plain(text: str) -> str:
    """Markup (``<i>``, ``<jats:sub>``) and entities out, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _first(values: Any) -> str:
    if isinstance(values, str):
        return _plain(values)
    return next((_plain(str(v)) for v in values or [] if str(v).strip()), "")


def _names(people: list[Any]) -> str:
    names = []
    for person in people:
        if not isinstance(person, dict):
            continue
        family, given = _plain(str(person.get("family") or "")), _plain(str(person.get("given") or ""))
        if family:
            names.append(_latex_name(Name(given, family)).bibtex())
        elif person.get("name"):  # an organisation (a consortium, a working group)
            names.append(_latex_name(Name("", _plain(str(person["name"])))).bibtex())
    return " and ".join(names)


def _year_month(fields: dict[str, str], record: dict[str, Any]) -> None:
    """``year`` and the ``month`` macro from the first of published-print, published-online
    and issued that has a year."""
    for name in ("published-print", "published-online", "issued"):
        parts = (record.get(name) or {}).get("date-parts") or [[]]
        date = parts[0] if parts and isinstance(parts[0], list) else []
        if date and isinstance(date[0], int):
            fields["year"] = str(date[0])
            if len(date) > 1 and isinstance(date[1], int) and 1 <= date[1] <= 12:
                fields["month"] = MONTHS[date[1] - 1]
            return
