"""dblp's publication search (``format=json``), one paced request per query.

dblp throttles clients that ask more often than every few seconds (429 with an
HTML page), hence ``TRIDENTBIB_DBLP_DELAY`` (default 5 s). Its JSON has quirks we
normalise here, once: a single author is an object rather than a list, ``ee`` and
``venue`` may be a string or a list, titles end with a period, text may hold XML
entities such as ``&apos;``, and author names may carry a homonym number
(``Wei Li 0001``).

A venue-year's table of contents is the same search API with ``q=toc:<TOC>:``
(``toc:db/conf/iclr/iclr2019.bht:``): every paper of that year, at most 1000 hits a
request, paged by ``f``; ``result.hits.@total`` says how many there are.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlencode

from tridentbib.entry_fields import author_field
from tridentbib.http import ServiceClient, ServiceError
from tridentbib.latex import protect_title, to_latex
from tridentbib.model import Entry
from tridentbib.venue_names import full_name, known_venue

_HOMONYM = re.compile(r"\s+\d{4}$")

#: a dblp table of contents: ``db/conf/iclr/iclr2019.bht`` (only such ids become requests or cache names)
TOC_ID = re.compile(r"db/(?:conf|journals)/[a-z0-9]{1,30}/[a-z0-9-]{1,40}\.bht", re.ASCII)
#: most hits dblp sends in one answer
MAX_HITS = 1000


class DblpError(Exception):
    """dblp could not be asked or answered something unusable."""


class DblpSearch:
    """Search dblp publications by free text (a title)."""

    service = "dblp"

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    def search(self, query: str, max_hits: int = 10) -> tuple[list[dict[str, Any]], str]:
        """Normalised hits for ``query`` and the request URL (for provenance)."""
        hits, _total, request = self._ask({"q": query, "format": "json", "h": str(max_hits)})
        return hits, request

    def batch(self, query: str) -> tuple[list[dict[str, Any]], int, str]:
        """All hits of a batched query (:mod:`tridentbib.lookup.dblp_batch`), the answer's size, its URL."""
        hits, total, request = self._ask({"q": query, "format": "json", "h": str(MAX_HITS)})
        return hits, total, f"{request}?{urlencode({'q': query, 'format': 'json', 'h': MAX_HITS})}"

    def toc_page(self, toc: str, first: int = 0, hits: int = MAX_HITS) -> tuple[list[dict[str, Any]], int, str]:
        """One page of a table of contents: normalised hits from ``first`` on, the table's size, the request URL."""
        if not TOC_ID.fullmatch(toc) or first < 0:
            raise DblpError(f"not a dblp table of contents: {toc!r}")
        params = {"q": f"toc:{toc}:", "format": "json", "h": str(min(hits, MAX_HITS)), "f": str(first)}
        return self._ask(params)

    def _ask(self, params: dict[str, str]) -> tuple[list[dict[str, Any]], int, str]:
        try:
            response = self.client.get("", params=params)
        except ServiceError as error:
            raise DblpError(str(error)) from None
        if response.status != 200:
            raise DblpError(f"dblp answered HTTP {response.status}")
        try:
            payload = json.loads(response.content.decode("utf-8"))
            found = payload["result"]["hits"]
            hits = found.get("hit", [])
            total = _count(found.get("@total"))
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            raise DblpError("dblp answered something that is not its search JSON") from None
        if isinstance(hits, dict):
            hits = [hits]
        normalised = [normalise_hit(hit.get("info", {})) for hit in hits if isinstance(hit, dict)]
        return normalised, total, str(self.client.url_for(""))


def _count(value: Any) -> int:
    """``@total`` as a number (dblp sends a string; anything else counts as 0)."""
    try:
        return max(int(str(value)), 0)
    except ValueError:
        return 0


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("text", "")
    return html.unescape(str(value)) if value is not None else ""


def normalise_hit(info: dict[str, Any]) -> dict[str, Any]:
    """One hit's ``info`` as plain JSON with dblp's quirks removed."""
    authors_raw = info.get("authors", {}).get("author") if isinstance(info.get("authors"), dict) else None
    title = _text(info.get("title")).strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    return {
        "key": _text(info.get("key")),
        "title": title,
        "authors": [_HOMONYM.sub("", _text(a)) for a in _as_list(authors_raw)],
        "venue": [_text(v) for v in _as_list(info.get("venue"))],
        "year": _text(info.get("year")),
        "type": _text(info.get("type")),
        "doi": _text(info.get("doi")).lower() or None,
        "ee": [_text(e) for e in _as_list(info.get("ee"))],
        "pages": _text(info.get("pages")) or None,
        "volume": _text(info.get("volume")) or None,
        "number": _text(info.get("number")) or None,
        "url": _text(info.get("url")) or None,
    }


# -- record -> entry ------------------------------------------------------------


# -- dblp (fallback for OpenReview/ACL papers) ------------------------------------


def from_dblp(hit: dict[str, Any], identity: frozenset[str]) -> Entry:
    """A dblp record as ``@inproceedings``/``@article`` with its venue, for a paper we know by another id."""
    venue = hit["venue"][0] if hit.get("venue") else ""
    journal = hit.get("type", "").startswith("Journal")
    fields: dict[str, str] = {
        "title": protect_title(to_latex(hit["title"])),
        "author": author_field(hit.get("authors", [])),
    }
    known = known_venue(venue) if venue else None  # the one venue table: "ACL (1)" is the ACL proceedings
    if known is not None:
        entry_type = known.entry_type
        container = "journal" if entry_type == "article" else "booktitle"
        fields[container] = to_latex(full_name(known, str(hit.get("year", ""))))
        if known.publisher:
            fields["publisher"] = to_latex(known.publisher)
    else:
        entry_type, container = ("article", "journal") if journal else ("inproceedings", "booktitle")
        fields[container] = to_latex(venue)
    for name in ("year", "volume", "number", "pages"):
        if hit.get(name):
            fields[name] = hit[name].replace("-", "--") if name == "pages" and "--" not in hit[name] else hit[name]
    if hit.get("doi"):
        fields["doi"] = hit["doi"]
    if hit.get("ee"):
        fields["url"] = hit["ee"][0]
    extra = {f"doi:{hit['doi']}"} if hit.get("doi") else set()
    return Entry(key="", entry_type=entry_type, fields=fields, identity=identity | extra, origin="dblp")


def from_dblp_hit(hit: dict[str, Any]) -> Entry:
    """:func:`from_dblp` for a cached record alone (the shape :data:`~tridentbib.resolvers.registry.SHAPES` calls)."""
    return from_dblp(hit, frozenset())
