"""DataCite: ``GET {TRIDENTBIB_DATACITE_API_URL}/dois/{doi}``, JSON:API, one request per DOI.

DataCite registers the DOIs of repositories (Zenodo, figshare, institutional
archives) and of arXiv (``10.48550``, which tridentbib resolves through arXiv
itself). tridentbib asks it only for DOIs Crossref does not know (see
:mod:`tridentbib.resolvers.crossref`). The answer is
``{"data": {"id", "type": "dois", "attributes": {...}}}``; an unknown DOI is a 404
with ``{"errors": [...]}``. DataCite publishes no per-request limit (500 anonymous,
1000 identified requests per IP and 5 minutes), hence ``TRIDENTBIB_DATACITE_DELAY``
(default 1 s) and a ``mailto:`` in the User-Agent when ``TRIDENTBIB_MAILTO`` is set.

``types.bibtex`` says ``misc`` even for books, so the entry type follows
``types.resourceTypeGeneral`` instead.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator, Sequence
from urllib.parse import quote

from tridentbib.entry_fields import MONTHS, _latex_name
from tridentbib.http import USER_AGENT, ServiceClient, ServiceError
from tridentbib.latex import protect_title, to_latex
from tridentbib.model import Entry
from tridentbib.names import Name
from tridentbib.resolvers.interface import Answer, Found, Missing, Resolver

#: the attributes a record keeps (the rest is counters, base64 XML and rights statements)
KEPT = (
    "doi",
    "creators",
    "contributors",
    "titles",
    "publisher",
    "container",
    "publicationYear",
    "types",
    "dates",
    "descriptions",
    "url",
    "version",
    "language",
)

#: ``resourceTypeGeneral`` -> entry type and the field its ``container.title`` goes to
TYPES: dict[str, tuple[str, str | None]] = {
    "JournalArticle": ("article", "journal"),
    "ConferencePaper": ("inproceedings", "booktitle"),
    "BookChapter": ("incollection", "booktitle"),
    "Book": ("book", None),
}

NOT_FOUND = "DataCite has no record of this DOI"


def user_agent(mailto: str | None) -> dict[str, str]:
    """The User-Agent of an identified client (the polite pools of Crossref and DataCite), when a contact is set."""
    if not mailto:
        return {}
    if USER_AGENT.endswith(")"):  # tridentbib/X (+url; mailto:address)
        return {"User-Agent": f"{USER_AGENT[:-1]}; mailto:{mailto})"}
    return {"User-Agent": f"{USER_AGENT} (mailto:{mailto})"}


class DataciteResolver(Resolver):
    """Fetch DataCite DOI records, one request per DOI."""

    service = "datacite"

    def __init__(self, client: ServiceClient, mailto: str | None = None) -> None:
        super().__init__(client)
        self.headers = user_agent(mailto)

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        """One ``/dois/{doi}`` per id; 404 means DataCite does not know the DOI."""
        for doi in ids:
            yield doi, self._fetch_one(doi)

    def _fetch_one(self, doi: str) -> Answer:
        path = f"/dois/{quote(doi, safe='/')}"
        try:
            response = self.client.get(path, headers=self.headers or None)
        except ServiceError as error:
            return Missing(str(error), permanent=False, service=self.service)
        if response.status == 404:
            return Missing(NOT_FOUND, service=self.service)
        if response.status != 200:
            return Missing(f"DataCite answered HTTP {response.status}", permanent=False, service=self.service)
        try:
            data = json.loads(response.content.decode("utf-8"))["data"]
            attributes = data["attributes"]
            if not isinstance(attributes, dict) or data.get("type") != "dois":
                raise TypeError("not a DOI record")
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            return Missing(
                "DataCite answered something that is not its DOI JSON", permanent=False, service=self.service
            )
        record = {"id": doi, **{key: attributes[key] for key in KEPT if key in attributes}}
        return Found(record, self.client.url_for(path), service=self.service)


# -- record -> entry ------------------------------------------------------------


def from_datacite(record: dict[str, Any]) -> Entry:
    """A DataCite record as an entry, typed by ``resourceTypeGeneral`` (``@misc`` for datasets, software, preprints)."""
    doi = record.get("doi") or record["id"]
    general = (record.get("types") or {}).get("resourceTypeGeneral", "")
    entry_type, container_field = TYPES.get(general, ("misc", None))
    fields: dict[str, str] = {}
    title = _first_title(record.get("titles") or [])
    if title:
        fields["title"] = protect_title(to_latex(title))
    authors = _names(record.get("creators") or [])
    if authors:
        fields["author"] = authors
    container = record.get("container") or {}
    if container_field and container.get("title"):
        fields[container_field] = to_latex(_clean(str(container["title"])))
    for source, target in (("volume", "volume"), ("issue", "number")):
        if container.get(source):
            fields[target] = to_latex(str(container[source]))
    first, last = container.get("firstPage"), container.get("lastPage")
    if first:
        fields["pages"] = f"{first}--{last}" if last and last != first else str(first)
    _year_month(fields, record)
    if record.get("publisher"):
        publisher = record["publisher"]
        fields["publisher"] = to_latex(
            _clean(str(publisher.get("name", "") if isinstance(publisher, dict) else publisher))
        )
    if entry_type == "misc" and general:
        fields["howpublished"] = to_latex(_spaced(general))
    if record.get("version") and entry_type == "misc":
        fields["version"] = to_latex(str(record["version"]))
    fields["doi"] = doi
    fields["url"] = f"https://doi.org/{doi}"
    abstract = next(
        (
            d.get("description")
            for d in record.get("descriptions") or []
            if isinstance(d, dict) and d.get("descriptionType") == "Abstract" and d.get("description")
        ),
        None,
    )
    if abstract:
        fields["abstract"] = to_latex(_clean(str(abstract)))
    fields = {k: v for k, v in fields.items() if v}
    return Entry(
        key="",
        entry_type=entry_type,
        fields=fields,
        identity=frozenset({f"doi:{doi.lower()}"}),
        origin="datacite",
    )


def _first_title(titles: list[Any]) -> str:
    main = [t for t in titles if isinstance(t, dict) and t.get("title") and not t.get("titleType")]
    subtitle = [t for t in titles if isinstance(t, dict) and t.get("titleType") == "Subtitle" and t.get("title")]
    if not main:
        return ""
    title = _clean(str(main[0]["title"]))
    if subtitle:
        title = f"{title}: {_clean(str(subtitle[0]['title']))}"
    return title


def _names(creators: list[Any]) -> str:
    names = []
    for creator in creators:
        if not isinstance(creator, dict):
            continue
        family, given = _clean(str(creator.get("familyName") or "")), _clean(str(creator.get("givenName") or ""))
        if creator.get("nameType") != "Organizational" and family:
            names.append(_latex_name(Name(given, family)).bibtex())
        elif creator.get("name"):
            names.append(_latex_name(Name("", _clean(str(creator["name"])))).bibtex())
    return " and ".join(names)


def _year_month(fields: dict[str, str], record: dict[str, Any]) -> None:
    issued = next(
        (
            str(d.get("date"))
            for d in record.get("dates") or []
            if isinstance(d, dict) and d.get("dateType") == "Issued" and d.get("date")
        ),
        "",
    )
    match = re.match(r"(\d{4})(?:-(\d{2}))?", issued)
    year = match.group(1) if match else str(record.get("publicationYear") or "")
    if re.fullmatch(r"\d{4}", year):
        fields["year"] = year
        if match and match.group(2) and match.group(1) == year and 1 <= int(match.group(2)) <= 12:
            fields["month"] = MONTHS[int(match.group(2)) - 1]


def _spaced(camel: str) -> str:
    """``JournalArticle`` -> ``Journal article``."""
    words = re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", camel) or [camel]
    return " ".join([words[0]] + [w.lower() for w in words[1:]])


def _clean(text: str) -> str:
    return " ".join(text.split())
