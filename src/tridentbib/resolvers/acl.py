"""ACL Anthology: ``{TRIDENTBIB_ACL_URL}/{ID}.bib``, kept exactly as the Anthology writes it.

The Anthology's record is the authority for its papers (key, booktitle, editors,
pages, publisher, address, DOI, URL, abstract, month macro), so we store its
BibTeX text and its parsed fields without rewriting them. The site sits behind a
bot filter that can answer 200 with an HTML challenge page: a body that is not
BibTeX is reported as such (and the pipeline falls back to dblp), never parsed.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from tridentbib.bibtex_read import BibtexReadError, read_single_entry
from tridentbib.http import ServiceError
from tridentbib.model import Entry
from tridentbib.resolvers.interface import Answer, Found, Missing, Resolver

#: how the reason of an answer the service would not give begins (what the user reads; `Missing.recoverable` is what code checks)
UNAVAILABLE = "unavailable:"


class AclResolver(Resolver):
    """Fetch Anthology BibTeX exports, one request per paper (the site has no batch API)."""

    service = "acl"

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        """One ``.bib`` per id; 404 means the Anthology has no such paper."""
        for ident in ids:
            yield ident, self._fetch_one(ident)

    def _fetch_one(self, ident: str) -> Answer:
        path = f"/{ident}.bib"
        try:
            response = self.client.get(path)
        except ServiceError as error:
            return Missing(f"{UNAVAILABLE} {error}", permanent=False, recoverable=True)
        if response.status == 404:
            return Missing("the ACL Anthology has no paper with this id")
        body = response.text.lstrip("\ufeff \t\r\n")
        if response.status != 200:
            return Missing(
                f"{UNAVAILABLE} ACL Anthology answered HTTP {response.status}", permanent=False, recoverable=True
            )
        if not body.startswith("@"):
            return Missing(
                f"{UNAVAILABLE} ACL Anthology answered with a page that is not BibTeX (bot challenge?)",
                permanent=False,
                recoverable=True,
            )
        try:
            entry = read_single_entry(body)
        except BibtexReadError as error:
            return Missing(f"ACL Anthology BibTeX could not be read: {error}", permanent=False)
        return Found({"id": ident, "bibtex": body.rstrip() + "\n", **entry}, self.client.url_for(path))


# -- record -> entry ------------------------------------------------------------


# -- ACL Anthology ---------------------------------------------------------------


def from_acl(record: dict[str, Any]) -> Entry:
    """The Anthology's own entry, key and fields as it wrote them."""
    ident = record["id"]
    identity = {f"acl:{ident}"}
    if record["fields"].get("doi"):
        identity.add(f"doi:{record['fields']['doi'].lower()}")
    return Entry(
        key=record["key"],
        entry_type=record["entry_type"],
        fields=dict(record["fields"]),
        identity=frozenset(identity),
        origin="acl",
        macros=frozenset(record.get("macros", [])),
    )
