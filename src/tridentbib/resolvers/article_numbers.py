"""IEEE Xplore, ACM and AAAI article numbers, through an id-checked Crossref title query.

Neither site may be asked: Xplore's API wants a registered key and the ACM DL answers
scripts with 403. Crossref holds both publishers' records, so the list's title for
the link is asked of Crossref (``GET /works?query.bibliographic=TITLE&filter=prefix:10.1109``,
``10.1145`` for ACM). Crossref ranks every query and always answers with something,
so a hit is accepted only when it carries the link's own number:

* IEEE: ``resource.primary.URL`` is ``.../document/N/`` or a ``link[].URL`` has ``arnumber=N``;
* ACM: the DOI's last component is the article number (``10.1145/3178876.3186116``);
* AAAI (``10.1609``): the DOI's last component is the OJS article id (``10.1609/aaai.v35i12.17289``).

The id decides; the title only has to name the same paper (equal or a word or so
apart, :func:`tridentbib.latex.title_relation`). The cached record keeps the mapping
(``to``), its ``evidence`` and the query beside the Crossref work, so a warm or
offline run replays the decision. Requests go through Crossref's own pacing
(``TRIDENTBIB_CROSSREF_DELAY``, ``TRIDENTBIB_MAILTO``).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any, ClassVar, Mapping

from tridentbib.http import ServiceClient, ServiceError
from tridentbib.identifiers import is_valid_id
from tridentbib.latex import title_relation
from tridentbib.model import Context, Entry
from tridentbib.resolvers.crossref import crossref_record, from_crossref
from tridentbib.resolvers.datacite import user_agent
from tridentbib.resolvers.interface import Answer, Found, Missing, OneAtATime

#: Crossref records asked per title query (the number is checked on each)
ROWS = 5


def ieee_evidence(number: str, work: Mapping[str, Any]) -> str:
    """Where a Crossref work names Xplore document ``number`` ("" when it does not)."""
    primary = str(((work.get("resource") or {}).get("primary") or {}).get("URL") or "")
    if re.search(rf"/document/{number}/?$", primary):
        return f"resource.primary.URL {primary}"
    for link in work.get("link") or []:
        url = str(link.get("URL") or "") if isinstance(link, dict) else ""
        if re.search(rf"[?&]arnumber={number}(?:&|$)", url):
            return f"link[].URL {url}"
    return ""


def acm_evidence(number: str, work: Mapping[str, Any]) -> str:
    """Whether a Crossref work's DOI ends in ACM article ``number``."""
    doi = str(work.get("DOI") or "")
    return f"DOI {doi} ends in the article number" if re.split(r"[./]", doi)[-1] == number else ""


class ArticleNumberResolver(OneAtATime):
    """One Crossref title query per number; the answer counts only when it carries that number."""

    service: ClassVar[str]
    prefix: ClassVar[str]
    label: ClassVar[str]

    def __init__(self, client: ServiceClient, mailto: str | None = None) -> None:
        super().__init__(client)
        self.mailto = mailto
        self.rows: Mapping[str, Context] = {}

    def use_rows(self, rows: Mapping[str, Context]) -> None:
        self.rows = rows

    def fetch_one(self, number: str) -> Answer:
        if not is_valid_id(self.service, number):
            return Missing(f"not an {self.label} number")
        row = self.rows.get(f"{self.service}:{number}")
        title = " ".join(row.title.split()) if row is not None else ""
        if not title:
            return Missing(f"no title in the list to look {self.label} {number} up by", permanent=False)
        params = {"query.bibliographic": title[:300], "filter": f"prefix:{self.prefix}", "rows": str(ROWS)}
        if self.mailto:
            params["mailto"] = self.mailto
        try:
            response = self.client.get("/works", params=params, headers=user_agent(self.mailto))
        except ServiceError as error:
            return Missing(str(error), permanent=False)
        if response.status != 200:
            return Missing(f"Crossref answered HTTP {response.status}", permanent=False)
        try:
            items = json.loads(response.content)["message"]["items"]
        except (ValueError, KeyError, TypeError):
            return Missing("Crossref answered with something that is not a work list", permanent=False)
        for work in items if isinstance(items, list) else []:
            if not isinstance(work, dict) or not work.get("DOI"):
                continue
            evidence = self.evidence(number, work)
            if evidence and title_relation(title, " ".join(map(str, work.get("title") or []))):
                doi = str(work["DOI"]).lower()
                record: dict[str, Any] = {
                    "id": number,
                    "kind": self.service,
                    "to": f"doi:{doi}",
                    "evidence": evidence,
                    "query": title,
                }
                record["work"] = crossref_record(doi, work)
                return Found(record, self.client.url_for("/works"))
        return Missing(f"no Crossref {self.prefix} record for the list's title carries {self.label} {number}")

    def evidence(self, number: str, work: Mapping[str, Any]) -> str:
        """Where ``work`` names ``number`` ("": it does not)."""
        raise NotImplementedError  # pragma: no cover


class IeeeResolver(ArticleNumberResolver):
    service = "ieee"
    prefix = "10.1109"
    label = "IEEE Xplore document"

    def evidence(self, number: str, work: Mapping[str, Any]) -> str:
        return ieee_evidence(number, work)


class AcmResolver(ArticleNumberResolver):
    service = "acm"
    prefix = "10.1145"
    label = "ACM article"

    def evidence(self, number: str, work: Mapping[str, Any]) -> str:
        return acm_evidence(number, work)


class AaaiResolver(ArticleNumberResolver):
    service = "aaai"
    prefix = "10.1609"
    label = "AAAI article"

    def evidence(self, number: str, work: Mapping[str, Any]) -> str:
        return acm_evidence(number, work)  # the same rule: the DOI's last component


def from_article_number(record: dict[str, Any]) -> Entry:
    """The Crossref work the number was matched to, naming the number too (one entry per work)."""
    entry = from_crossref(record["work"])
    return replace(entry, identity=entry.identity | {f"{record['kind']}:{record['id']}"})
