"""arXiv: the export API's Atom feed, ``id_list`` batches of at most 100 ids.

Politeness follows arXiv's Terms of Use for APIs: "make no more than one request
every three seconds, and limit requests to a single connection at a time". The
:class:`~tridentbib.http.ServiceClient` enforces the delay (``TRIDENTBIB_ARXIV_DELAY``);
this module only decides what to ask and how to read the answer.

Parsing uses arxiv.py's own lxml Atom parser (``arxiv._feed``, pinned to arxiv 4.x),
which reads every element of an entry, affiliations included, and works for both
the current and the classic (pre-2025) feed format. Before handing the bytes to it
we check them strictly ourselves, because its parser recovers from broken XML and
would quietly turn a truncated body into fewer papers. Entity expansion and
network access are off in both parses, and a feed that declares a DTD is refused.

A broken answer (HTML, cut-off XML, a redirect, an entry without dates) fails only
the papers of its batch, and is never cached. An error entry naming one id (arXiv
answers ``incorrect id format for X`` and nothing else) fails that id; the others
are asked for again without it, never recorded as unknown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, Sequence
from urllib.parse import urlencode

from tridentbib.entry_fields import _year_month, arxiv_doi, author_field
from tridentbib.http import ServiceError
from tridentbib.identifiers import Kind, is_valid_id
from tridentbib.latex import protect_title, safe_tex
from tridentbib.model import Entry
from tridentbib.resolvers.interface import Answer, Found, Missing, Resolver

if TYPE_CHECKING:
    import arxiv
    from lxml import etree

#: arXiv answers up to 2000 results a page; 100 ids keeps URLs short and failures small.
BATCH_SIZE = 100

_ATOM = "{http://www.w3.org/2005/Atom}"
_ERROR_ID = re.compile(r"/api/errors#")
_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<version>\d+))?$")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE\s*([A-Za-z_:.-]*)", re.IGNORECASE)


class ArxivResolver(Resolver):
    """Fetch arXiv records by id through the export API."""

    service = "arxiv"

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        """Ask for ``ids`` 100 at a time; ids the API omits are reported missing, never invented."""
        for batch in self.batches(ids, BATCH_SIZE):
            yield from self._fetch_batch(batch)

    def _fetch_batch(self, batch: list[str]) -> Iterator[tuple[str, Answer]]:
        pending = list(batch)
        while pending:  # each pass settles at least one id, so this ends
            params = {"id_list": ",".join(pending), "start": "0", "max_results": str(len(pending))}
            request = f"{self.client.base_url}?{urlencode(params)}"
            try:
                response = self.client.get("", params=params)
            except ServiceError as error:
                for ident in pending:
                    yield ident, Missing(str(error), permanent=False)
                return
            try:
                if 300 <= response.status < 400:
                    raise FeedError(
                        f"HTTP {response.status} redirect to {response.headers.get('location', '?')!r} not followed"
                    )
                answers = parse_feed(response.content, pending, response.status)
            except FeedError as error:
                reason = f"arXiv: {error}"
                if response.status in self.client.retry_statuses:  # still failing when the retries ran out
                    reason = f"arXiv: HTTP {response.status} after {self.client.settings.max_retries + 1} attempts"
                for ident in pending:
                    yield ident, Missing(reason, permanent=False)
                return
            rejected = {ident for ident, answer in answers.items() if isinstance(answer, str)}
            unanswered = []
            for ident in pending:
                answer = answers.get(ident)
                if isinstance(answer, dict):
                    yield ident, Found(answer, request)
                elif isinstance(answer, str):
                    yield ident, Missing(f"arXiv: {answer}")
                elif isinstance(answer, Unusable):
                    yield ident, Missing(f"arXiv: {answer.reason}", permanent=False)
                elif rejected:
                    unanswered.append(ident)  # arXiv answered only with the error: ask again for the rest
                else:
                    yield ident, Missing("arXiv has no paper with this id")
            pending = unanswered


class FeedError(Exception):
    """The answer is not a usable arXiv feed (HTML, truncated XML, an error for the whole batch)."""


class Unusable:
    """An entry for a requested id that cannot be read (no dates, ...): reported, not cached."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def parse_search_feed(content: bytes, status: int = 200) -> list[dict[str, Any]]:
    """Every paper of a search answer (``search_query=ti:...``), in the feed's order."""
    root = _parse_root(content, status)
    records = []
    for entry in root.iterfind(f"{_ATOM}entry"):
        match = _ENTRY_ID.search((entry.findtext(f"{_ATOM}id") or "").strip())
        match = match if match and is_valid_id(Kind.ARXIV, match.group("id")) else None  # never an id off the grammar
        result = _build_result(entry) if match else None
        if match and result is not None:
            records.append(record_from_result(result, match.group("id"), match.group("version")))
    return records


def _build_result(entry: etree._Element) -> arxiv.Result | None:
    """arxiv.py's reading of one Atom entry (imported here: ``arxiv`` pulls in ``requests``,
    which a warm run never needs)."""
    from arxiv import _feed as arxiv_feed

    return arxiv_feed._build_result(entry)


def _safe_parser() -> etree.XMLParser:
    """lxml's parser with entity expansion and network access off (lxml is loaded here: a warm run parses no feed)."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _parse_root(content: bytes, status: int) -> etree._Element:
    """The feed element of a strictly well-formed Atom answer, or FeedError."""
    root_tag = _FIRST_ELEMENT.search(content)
    doctype = _DOCTYPE.search(content, 0, root_tag.start() if root_tag else len(content))
    if doctype:  # refused before any parsing: entity tricks (billion laughs, XXE) need a DTD
        if doctype.group(1).lower() == b"html":
            raise FeedError(f"HTTP {status} with an HTML page, not an Atom feed")
        raise FeedError(f"HTTP {status} with a feed that declares a DTD (refused)")
    from lxml import etree

    try:
        root = etree.fromstring(content, parser=_safe_parser())
    except etree.XMLSyntaxError as error:
        raise FeedError(f"HTTP {status} with a body that is not well-formed XML ({error})") from None
    if root is None or root.tag != f"{_ATOM}feed":
        raise FeedError(f"HTTP {status} with a body that is not an Atom feed")
    if root.getroottree().docinfo.doctype:  # arXiv never sends one (and one the check above missed is refused too)
        raise FeedError(f"HTTP {status} with a feed that declares a DTD (refused)")
    return root


def parse_feed(
    content: bytes, requested: Sequence[str], status: int = 200
) -> dict[str, dict[str, Any] | str | Unusable]:
    """Map requested ids to records (dicts), arXiv's per-id error messages (str) or unreadable entries.

    Results are matched to requests by the entry id, never by position: arXiv
    silently drops unknown ids from a multi-id answer.
    """
    root = _parse_root(content, status)
    wanted = set(requested)
    answers: dict[str, dict[str, Any] | str | Unusable] = {}
    for entry in root.iterfind(f"{_ATOM}entry"):
        entry_id = (entry.findtext(f"{_ATOM}id") or "").strip()
        if _ERROR_ID.search(entry_id):
            message = " ".join((entry.findtext(f"{_ATOM}summary") or "error").split())
            culprit = message.rsplit(" for ", 1)[-1] if " for " in message else ""
            if culprit in wanted:
                answers[culprit] = message
                continue
            raise FeedError(message)
        match = _ENTRY_ID.search(entry_id)
        if not match:
            continue
        ident = match.group("id")
        if ident not in wanted:
            continue
        result = _build_result(entry)
        if result is None:
            answers[ident] = Unusable("the answer's entry for this id lacks its <published> or <updated> date")
        else:
            answers[ident] = record_from_result(result, ident, match.group("version"))
    if status != 200 and not answers:
        raise FeedError(f"HTTP {status}")
    return answers


def record_from_result(result: arxiv.Result, ident: str, version: str | None) -> dict[str, Any]:
    """Every field an Atom entry carries, as plain JSON, with arXiv's line wrapping undone."""
    return {
        "id": ident,
        "version": int(version) if version else None,
        "title": _collapse(result.title),
        "authors": [
            {"name": _collapse(a.name), "affiliations": [_collapse(x) for x in a.affiliation]} for a in result.authors
        ],
        "abstract": _paragraphs(result.summary),
        "published": result.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated": result.updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "primary_category": result.primary_category or (result.categories[0] if result.categories else ""),
        "categories": list(result.categories),
        "comment": _collapse(result.comment) if result.comment else None,
        "journal_ref": _collapse(result.journal_ref) if result.journal_ref else None,
        "doi": result.doi.strip() if result.doi else None,
        "links": [
            {"href": link.href, "rel": link.rel, "title": link.title, "type": link.content_type}
            for link in result.links
        ],
    }


def _paragraphs(text: str) -> str:
    """An abstract's paragraphs, one blank line apart: arXiv starts each further paragraph on a new, indented line."""
    return "\n\n".join(_collapse(paragraph) for paragraph in _PARAGRAPH_BREAK.split(text.strip()) if paragraph.strip())


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]{2,}(?=\S)")


def _collapse(text: str) -> str:
    """Undo arXiv's wrapping: any run of whitespace (newline + indent included) becomes one space."""
    return " ".join(text.split())


# -- record -> entry ------------------------------------------------------------


def from_arxiv(record: dict[str, Any]) -> Entry:
    """An arXiv preprint as ``@misc`` with eprint fields Zotero and biblatex both understand
    (and its ``journal_ref``, if any, in ``howpublished``)."""
    ident = record["id"]
    published = record.get("published") or ""
    fields: dict[str, str] = {
        "title": protect_title(safe_tex(record["title"])),  # arXiv's metadata is TeX as the authors typed it
        "author": author_field([a["name"] for a in record.get("authors", [])]),
    }
    _year_month(fields, published)
    if record.get(
        "journal_ref"
    ):  # the authors' reference to the published version, as written; an upgrade turns it into venue fields
        fields["howpublished"] = safe_tex(" ".join(str(record["journal_ref"]).split()))
    fields["eprint"] = ident
    fields["archivePrefix"] = "arXiv"
    fields["eprinttype"] = "arxiv"
    if record.get("primary_category"):
        fields["primaryClass"] = record["primary_category"]
    fields["doi"] = record.get("doi") or arxiv_doi(ident)
    fields["url"] = f"https://arxiv.org/abs/{ident}"
    if record.get("abstract"):
        fields["abstract"] = safe_tex(record["abstract"])
    identity = {f"arxiv:{ident}", f"doi:{arxiv_doi(ident).lower()}"}
    if record.get("doi"):
        identity.add(f"doi:{record['doi'].lower()}")
    return Entry(key="", entry_type="misc", fields=fields, identity=frozenset(identity), origin="arxiv")
