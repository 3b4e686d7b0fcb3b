"""ISCA archive: ``{TRIDENTBIB_ISCA_URL}/{event}_{year}/{name}.html``, the paper's page and its BibTeX block.

A paper of the ISCA archive (Interspeech and the other ISCA events) is named by its
event folder and the archive's file name, ``interspeech_2021/penney21_interspeech``;
the page is ``{id}.html`` and the PDF ``{id}.pdf``. Old links on
``www.isca-speech.org/archive/`` name the same papers (``tridentbib.identifiers``
maps them), so every request goes to ``TRIDENTBIB_ISCA_URL``.

The archive publishes no separate BibTeX file we know of: the paper's page shows
a BibTeX block (``@inproceedings{penney21_interspeech, author={...}, title={{...}},
year=2021, booktitle={Proc. Interspeech 2021}, pages={1389--1393},
doi={10.21437/Interspeech.2021-729}}``), so one request per paper fetches the page
and reads that block. The entry keeps the block's fields as ISCA writes them
(``booktitle = {Proc. Interspeech 2021}``, the doubly braced title); its ``url`` is
the public page, and the DOI joins its identity, so a list linking the paper by its
page and by its DOI gets one entry. The DOI number (``2021-729``) is not the page's
name, so a DOI link cannot be turned into a page without a lookup: DOI links keep
going to Crossref. No abstract: where the page holds it is not known (only the
BibTeX block is).

A 404 means the archive has no such paper (cached); a page without a readable
BibTeX block is not cached. Politeness: a static site with no published limits,
so one connection and ``TRIDENTBIB_ISCA_DELAY`` (default 1 s) between requests.
"""

from __future__ import annotations

import html
import re
from typing import Any

from tridentbib.bibtex_read import BibtexReadError, read_single_entry
from tridentbib.identifiers import is_valid_id, normalize_doi
from tridentbib.model import Entry
from tridentbib.resolvers.interface import Answer, Found, Missing, OneAtATime, get_file

#: the public archive, for the entry's ``url`` (the settings URL may point at a mirror or a fake)
SITE = "https://www.isca-archive.org"
NOT_FOUND = "the ISCA archive has no paper with this name"
#: the fields of the archive's BibTeX an entry keeps
KEPT = ("title", "author", "booktitle", "year", "pages", "doi")
#: the start of a BibTeX entry in the page (not a CSS ``@page {`` or ``@media``)
_ENTRY_START = re.compile(r"@(?:inproceedings|conference|article|incollection|proceedings|misc)\s*\{", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def page_path(ident: str) -> str:
    """``/{event}_{year}/{name}.html`` for a validated id."""
    return f"/{ident}.html"


def bibtex_block(page: str) -> str | None:
    """The first BibTeX entry shown in an HTML page (tags dropped, entities decoded), or None."""
    m = _ENTRY_START.search(page)
    if m is None:
        return None
    depth = 0
    for index in range(m.end() - 1, len(page)):
        char = page[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return html.unescape(_TAG.sub("", page[m.start() : index + 1]))
    return None


class IscaResolver(OneAtATime):
    """Fetch the archive's paper pages, one paper per request."""

    service = "isca"

    def fetch_one(self, ident: str) -> Answer:
        if not is_valid_id("isca", ident):
            return Missing("not an ISCA archive id (event_year/name)")
        path = page_path(ident)
        response = get_file(self.client, path, "the ISCA archive", NOT_FOUND)
        if isinstance(response, Missing):
            return response
        block = bibtex_block(response.text)
        if block is None:
            return Missing("the ISCA archive's page shows no BibTeX block", permanent=False)
        try:
            entry = read_single_entry(block)
        except BibtexReadError as error:
            return Missing(f"the ISCA archive's BibTeX could not be read: {error}", permanent=False)
        fields = {name.lower(): value for name, value in entry["fields"].items()}
        if not str(fields.get("title", "")).strip():
            return Missing("the ISCA archive's BibTeX has no title", permanent=False)
        record = {"id": ident, "key": entry["key"], "fields": fields}
        return Found(record, self.client.url_for(path))


# -- record -> entry ------------------------------------------------------------


def from_isca(record: dict[str, Any]) -> Entry:
    """The archive's BibTeX as ``@inproceedings``, its url the public page, its DOI in the identity."""
    ident = record["id"]
    given = {name.lower(): str(value) for name, value in record.get("fields", {}).items()}
    fields = {name: given[name].strip() for name in KEPT if given.get(name, "").strip()}
    identity = {f"isca:{ident}"}
    doi = normalize_doi(fields.get("doi", ""))
    if doi is None:
        fields.pop("doi", None)  # not a DOI: neither written nor an identity
    else:
        identity.add(f"doi:{doi}")
    fields.setdefault("year", ident.split("/")[0].rsplit("_", 1)[1])
    fields["url"] = f"{SITE}/{ident}.html"
    return Entry(key="", entry_type="inproceedings", fields=fields, identity=frozenset(identity), origin="isca")
