"""NeurIPS proceedings: ``{TRIDENTBIB_NEURIPS_URL}/paper_files/paper/{year}/file/{hash}-Bibtex.bib``.

A paper of proceedings.neurips.cc (the old papers.nips.cc) is named by its year and
the site's 32-hex hash, ``2020/1457c0d6bfcb4967418bfb8ac142f64a``; its files sit
beside each other as ``{hash}-Abstract.html``, ``-Paper.pdf``, ``-Bibtex.bib`` and
``-Metadata.json``. From 2022 the main track's files carry a ``-Conference``
suffix (``-Bibtex-Conference.bib``), so those years ask that form first and the
plain one after a 404. A 404 for every form means the site has no such paper.

The site's BibTeX is the record: ``@inproceedings`` with ``booktitle = {Advances in
Neural Information Processing Systems}``, the volume, its editors, the pages and the
publisher (Curran Associates) as the site writes them, and no abstract and no DOI.
The entry takes those fields; its ``url`` is the paper's abstract page.

Politeness: a static site with no published limits, so one connection and
``TRIDENTBIB_NEURIPS_DELAY`` (default 1 s) between requests.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from tridentbib.bibtex_read import BibtexReadError, read_single_entry
from tridentbib.http import ServiceClient, ServiceError
from tridentbib.identifiers import is_valid_id
from tridentbib.model import Entry
from tridentbib.resolvers.interface import Answer, Found, Missing, Resolver

#: the first year whose main-track files are named ``{hash}-...-Conference.*``
CONFERENCE_SUFFIX_FROM = 2022
#: the public site, for the entry's ``url`` (the settings URL may point at a mirror or a fake)
SITE = "https://proceedings.neurips.cc"
BOOKTITLE = "Advances in Neural Information Processing Systems"
NOT_FOUND = "the NeurIPS proceedings have no paper with this year and hash"
#: the fields of the site's BibTeX an entry keeps
KEPT = ("title", "author", "booktitle", "editor", "volume", "pages", "publisher", "year")


def suffixes(year: int) -> tuple[str, ...]:
    """File-name suffixes to try for a year, in order (``""`` is the plain form)."""
    return ("-Conference", "") if year >= CONFERENCE_SUFFIX_FROM else ("",)


def bibtex_path(ident: str, suffix: str = "") -> str:
    """``/paper_files/paper/{year}/file/{hash}-Bibtex{suffix}.bib`` for ``YEAR/HASH``."""
    year, digest = ident.split("/")
    return f"/paper_files/paper/{year}/file/{digest}-Bibtex{suffix}.bib"


class NeuripsResolver(Resolver):
    """Fetch the site's BibTeX, one paper per request."""

    service = "neurips"

    def __init__(self, client: ServiceClient) -> None:
        super().__init__(client)

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        for ident in ids:
            yield ident, self._fetch_one(ident)

    def _fetch_one(self, ident: str) -> Answer:
        if not is_valid_id("neurips", ident):
            return Missing("not a NeurIPS proceedings id (YEAR/HASH)")
        for suffix in suffixes(int(ident.split("/")[0])):
            path = bibtex_path(ident, suffix)
            try:
                response = self.client.get(path)
            except ServiceError as error:
                return Missing(str(error), permanent=False)
            if response.status == 404:
                continue
            if response.status != 200:
                return Missing(f"NeurIPS proceedings answered HTTP {response.status}", permanent=False)
            body = response.text.lstrip("\ufeff \t\r\n")
            if not body.startswith("@"):
                return Missing("NeurIPS proceedings answered with a page that is not BibTeX", permanent=False)
            try:
                entry = read_single_entry(body)
            except BibtexReadError as error:
                return Missing(f"NeurIPS BibTeX could not be read: {error}", permanent=False)
            record = {"id": ident, "suffix": suffix, "key": entry["key"], "fields": dict(entry["fields"])}
            return Found(record, self.client.url_for(path))
        return Missing(NOT_FOUND)


# -- record -> entry ------------------------------------------------------------


def abstract_page(ident: str, suffix: str = "") -> str:
    """The paper's page on the public site."""
    year, digest = ident.split("/")
    return f"{SITE}/paper_files/paper/{year}/hash/{digest}-Abstract{suffix}.html"


def from_neurips(record: dict[str, Any]) -> Entry:
    """The site's BibTeX as ``@inproceedings`` in the proceedings of its year."""
    ident = record["id"]
    given = {name.lower(): value for name, value in record.get("fields", {}).items()}
    fields = {name: given[name].strip() for name in KEPT if str(given.get(name, "")).strip()}
    fields["booktitle"] = BOOKTITLE
    fields.setdefault("year", ident.split("/")[0])
    fields["url"] = abstract_page(ident, str(record.get("suffix", "")))
    return Entry(
        key="",
        entry_type="inproceedings",
        fields=fields,
        identity=frozenset({f"neurips:{ident}"}),
        origin="neurips",
    )
