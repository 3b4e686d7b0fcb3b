"""JMLR: ``{TRIDENTBIB_JMLR_URL}/papers/vN/ID.bib``, and the abstract from ``/papers/vN/ID.html``.

A paper of the Journal of Machine Learning Research is named by its volume and id,
``v15/srivastava14a`` or ``v21/20-074``. The site serves each paper's BibTeX
(``@article{JMLR:v15:srivastava14a, author, title, journal, year, volume, number, pages,
url}``, names as "Given Family") and no abstract in it; the abstract is on the paper's
page (an element with id or class ``abstract``, else the text after an ``Abstract``
heading). A 404 on the BibTeX means the journal has no such paper. The page is second:
when it is missing (404), unreadable or down, the entry is still written from the BibTeX,
without an abstract, and the record says why (``abstract_note``).

The entry is ``@article`` with ``journal = {Journal of Machine Learning Research}``,
volume, number, pages and year as the site gives them, the authors rewritten as
``Family, Given`` (through ``names.py``), and ``url`` the paper's public page.

Politeness: a static site with no published limits, one connection and
``TRIDENTBIB_JMLR_DELAY`` (default 1 s) between requests (two per paper).
"""

from __future__ import annotations

from typing import Any

from tridentbib.http import ServiceError
from tridentbib.identifiers import is_valid_id
from tridentbib.latex import to_latex
from tridentbib.model import Entry
from tridentbib.names import OTHERS, parse_bibtex_names
from tridentbib.resolvers.interface import Answer, Found, Missing, OneAtATime, get_file, site_bibtex
from tridentbib.resolvers.paper_page import PaperPage

#: the public site, for the entry's ``url``
SITE = "https://jmlr.org"
JOURNAL = "Journal of Machine Learning Research"
NOT_FOUND = "JMLR has no paper with this volume and id"
KEPT = ("title", "author", "volume", "number", "pages", "year", "doi")


def bibtex_path(ident: str) -> str:
    return f"/papers/{ident}.bib"


def page_path(ident: str) -> str:
    return f"/papers/{ident}.html"


class JmlrResolver(OneAtATime):
    """Fetch the site's BibTeX and the paper's page, one paper at a time."""

    service = "jmlr"

    def fetch_one(self, ident: str) -> Answer:
        if not is_valid_id("jmlr", ident):
            return Missing("not a JMLR id (vN/ID)")
        path = bibtex_path(ident)
        response = get_file(self.client, path, "JMLR", NOT_FOUND)
        if isinstance(response, Missing):
            return response
        entry = site_bibtex(response.text, "JMLR")
        if isinstance(entry, Missing):
            return entry
        abstract, note = self._abstract(ident)
        record = {"id": ident, "key": entry["key"], "fields": dict(entry["fields"]), "abstract": abstract}
        if note:
            record["abstract_note"] = note
        return Found(record, self.client.url_for(path))

    def _abstract(self, ident: str) -> tuple[str, str]:
        """(abstract, why there is none) from the paper's page."""
        try:
            response = self.client.get(page_path(ident))
        except ServiceError as error:
            return "", f"the paper's page could not be fetched: {error}"
        if response.status != 200:
            return "", f"the paper's page answered HTTP {response.status}"
        abstract = abstract_from_page(response.text)
        return (abstract, "") if abstract else ("", "the paper's page shows no abstract")


def abstract_from_page(html: str) -> str:
    """The abstract of a JMLR paper page, as plain text ("" when there is none)."""
    page = PaperPage.read(html, ("abstract",))
    return page.block("abstract") or page.after_heading.get("abstract", "") or page.first("citation_abstract")


# -- record -> entry ------------------------------------------------------------


def paper_page(ident: str) -> str:
    return f"{SITE}/papers/{ident}.html"


def author_list(field: str) -> str:
    """The site's "Given Family and ..." as ``Family, Given and ...`` (the same people)."""
    return " and ".join(OTHERS if name == OTHERS else name.bibtex() for name in parse_bibtex_names(field))


def from_jmlr(record: dict[str, Any]) -> Entry:
    """The site's BibTeX as ``@article`` in the journal, with the page's abstract."""
    ident = record["id"]
    given = {name.lower(): str(value).strip() for name, value in record.get("fields", {}).items()}
    fields = {name: given[name] for name in KEPT if given.get(name)}
    if fields.get("author"):
        fields["author"] = author_list(fields["author"])
    fields["journal"] = JOURNAL
    fields.setdefault("volume", ident.split("/")[0][1:])
    fields["url"] = paper_page(ident)
    if str(record.get("abstract") or "").strip():
        fields["abstract"] = to_latex(str(record["abstract"]).strip())
    identity = {f"jmlr:{ident}"}
    if fields.get("doi"):
        identity.add(f"doi:{fields['doi'].lower()}")
    return Entry(key="", entry_type="article", fields=fields, identity=frozenset(identity), origin="jmlr")
