"""CVF open access: ``{TRIDENTBIB_CVF_URL}/{folder}/html/{stem}.html``, the paper's own page.

A paper of openaccess.thecvf.com is named by its folder and page stem,
``content_cvpr_2016/He_Deep_Residual_Learning_CVPR_2016_paper`` (``content/CVPR2023/...``
from 2021; a workshop's subfolder is part of the folder). Its page holds the site's
BibTeX in ``<div class="bibref">`` (``<br>`` line ends on old pages, no ``pages``
before 2020), the ``citation_*`` meta (title, one ``citation_author`` per author as
"Family, Given", conference title, publication date, first and last page, PDF) and
the abstract in ``<div id="abstract">``. The page is read leniently with the stdlib
HTML parser (entities decoded); the BibTeX block is the record, the meta fill what
it lacks.

Hosts: the papers of 2013-2016 were published on www.cv-foundation.org/openaccess,
and the lists link them there. The id does not say which host a link was on (both
hosts' links of one paper are one paper), so the folder's year decides: up to
:data:`LEGACY_UNTIL` the page is asked on ``TRIDENTBIB_CVF_LEGACY_URL`` (path under
``/openaccess/``) first, then on ``TRIDENTBIB_CVF_URL``; later papers only on the
main host. A 404 (or a redirect away from the old host) on every host means there is
no such paper; an outage on one host with a 404 on the other is not taken as an answer.

Politeness: static sites with no published limits, so one connection per host and
``TRIDENTBIB_CVF_DELAY`` (default 1 s) between requests.
"""

from __future__ import annotations

import re
from typing import Any

from tridentbib.bibtex_read import BibtexReadError, read_single_entry
from tridentbib.entry_fields import author_field, month_macro
from tridentbib.http import ServiceClient, ServiceError
from tridentbib.identifiers import is_valid_id
from tridentbib.identifiers.cvf import cvf_folder_year
from tridentbib.latex import protect_title, safe_tex, to_latex
from tridentbib.model import Entry
from tridentbib.resolvers.interface import Answer, Found, Missing, OneAtATime
from tridentbib.resolvers.paper_page import PaperPage

#: the public sites, for the entry's ``url`` (the settings URLs may point at a mirror or a fake)
SITE = "https://openaccess.thecvf.com"
LEGACY_SITE = "https://www.cv-foundation.org"
#: the last folder year published on www.cv-foundation.org/openaccess (asked there first)
LEGACY_UNTIL = 2016
NOT_FOUND = "CVF open access has no such paper"
#: answers that mean "not on this host": a 404, a page gone, the old host sending elsewhere
_NOT_HERE = frozenset({404, 410})
_MOVED = frozenset({301, 302, 303, 307, 308})
#: the fields of the site's BibTeX an entry keeps (``month`` and ``pages`` are tidied)
KEPT = ("title", "author", "booktitle", "year")


def page_path(ident: str, legacy: bool = False) -> str:
    """``[/openaccess]/{folder}/html/{stem}.html`` for ``{folder}/{stem}``."""
    folder, _, stem = ident.rpartition("/")
    return f"{'/openaccess' if legacy else ''}/{folder}/html/{stem}.html"


def public_page(ident: str, legacy: bool = False) -> str:
    """The paper's page on the public site it was found on."""
    return (LEGACY_SITE if legacy else SITE) + page_path(ident, legacy)


class CvfResolver(OneAtATime):
    """Fetch the paper's page, one paper per request, from the old host first for 2013-2016 papers."""

    service = "cvf"

    def __init__(self, client: ServiceClient, legacy: ServiceClient) -> None:
        super().__init__(client)
        self.legacy = legacy

    @property
    def clients(self) -> list[ServiceClient]:
        return [self.client, self.legacy]

    def _hosts(self, ident: str) -> list[tuple[bool, ServiceClient]]:
        main = (False, self.client)
        return [(True, self.legacy), main] if cvf_folder_year(ident) <= LEGACY_UNTIL else [main]

    def fetch_one(self, ident: str) -> Answer:
        if not is_valid_id("cvf", ident):
            return Missing("not a CVF open access id (folder/stem)")
        outage = ""
        for legacy, client in self._hosts(ident):
            path = page_path(ident, legacy)
            try:
                response = client.get(path)
            except ServiceError as error:
                outage = str(error)
                continue
            if response.status in _NOT_HERE or (legacy and response.status in _MOVED):
                continue
            if response.status != 200:
                outage = f"CVF open access answered HTTP {response.status}"
                continue
            page = parse_page(response.text)
            if not page_title(page):
                return Missing("CVF open access answered with a page that has no paper title", permanent=False)
            return Found({"id": ident, "legacy": legacy, **page}, client.url_for(path))
        return Missing(outage, permanent=False) if outage else Missing(NOT_FOUND)


# -- page -> record ------------------------------------------------------------------


def parse_page(html: str) -> dict[str, Any]:
    """The record of one paper page: ``bibtex`` (fields, or {}), ``meta``, ``abstract`` and ``papertitle``."""
    reader = PaperPage.read(html, ("bibref", "abstract", "papertitle"))
    bibtex: dict[str, Any] = {}
    text = reader.block("bibref", keep_lines=True)
    if text.startswith("@"):
        try:
            entry = read_single_entry(text)
            bibtex = {"key": entry["key"], "fields": dict(entry["fields"])}
        except BibtexReadError:
            bibtex = {}
    meta = reader.meta

    def first(name: str) -> str:
        return next((value for value in meta.get(name, []) if value), "")

    return {
        "bibtex": bibtex,
        "meta": {
            "title": first("citation_title"),
            "authors": [value for value in meta.get("citation_author", []) if value],
            "conference": first("citation_conference_title"),
            "date": first("citation_publication_date"),
            "firstpage": first("citation_firstpage"),
            "lastpage": first("citation_lastpage"),
            "pdf_url": first("citation_pdf_url"),
        },
        "abstract": reader.block("abstract"),
        "papertitle": reader.block("papertitle"),
    }


def page_title(page: dict[str, Any]) -> str:
    """The paper's title as the page gives it: the BibTeX's, else the meta's, else the title div's."""
    bib = page.get("bibtex", {}).get("fields", {})
    return str(bib.get("title") or page.get("meta", {}).get("title") or page.get("papertitle") or "").strip()


# -- record -> entry -----------------------------------------------------------------


def from_cvf(record: dict[str, Any]) -> Entry:
    """The page's BibTeX as ``@inproceedings``, the meta filling what it lacks; ``url`` is the page."""
    ident = record["id"]
    bib = {name.lower(): str(value).strip() for name, value in record.get("bibtex", {}).get("fields", {}).items()}
    meta = record.get("meta", {})
    fields: dict[str, str] = {}
    if bib.get("title"):
        fields["title"] = protect_title(safe_tex(bib["title"]))  # the site's BibTeX is BibTeX content already
    elif page_title(record):
        fields["title"] = protect_title(to_latex(page_title(record)))
    if bib.get("author"):
        fields["author"] = safe_tex(bib["author"])
    elif meta.get("authors"):
        fields["author"] = " and ".join(
            to_latex(name) if "," in name else author_field([name]) for name in meta["authors"]
        )
    if bib.get("booktitle"):
        fields["booktitle"] = safe_tex(bib["booktitle"])
    elif meta.get("conference"):
        fields["booktitle"] = to_latex(meta["conference"])
    year = bib.get("year", "") if re.fullmatch(r"[0-9]{4}", bib.get("year", "")) else ""
    date_year = re.match(r"[0-9]{4}", meta.get("date", ""))
    fields["year"] = year or (date_year.group() if date_year else str(cvf_folder_year(ident)))
    month = month_macro(bib.get("month", ""))
    if month:
        fields["month"] = month
    pages = _pages(bib.get("pages", ""), meta.get("firstpage", ""), meta.get("lastpage", ""))
    if pages:
        fields["pages"] = pages
    fields["url"] = public_page(ident, bool(record.get("legacy")))
    if record.get("abstract"):
        fields["abstract"] = to_latex(record["abstract"])
    return Entry(
        key="",
        entry_type="inproceedings",
        fields=fields,
        identity=frozenset({f"cvf:{ident}"}),
        origin="cvf",
    )


def _pages(bib_pages: str, first: str, last: str) -> str:
    """``5294--5306`` from the BibTeX's ``5294-5306``, else from the first and last page meta."""
    found = re.fullmatch(r"\s*([0-9]+)\s*(?:-+|\u2013)\s*([0-9]+)\s*", bib_pages) if bib_pages else None
    if found:
        return f"{found.group(1)}--{found.group(2)}"
    if bib_pages.strip().isdigit():
        return bib_pages.strip()
    if first.isdigit() and last.isdigit():
        return f"{first}--{last}" if first != last else first
    return first if first.isdigit() else ""
