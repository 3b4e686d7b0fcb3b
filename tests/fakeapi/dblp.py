"""Fake dblp publication search: ``GET /dblp/search/publ/api?q=...&format=json&h=N``.

dblp's JSON is a mechanical translation of its XML, and the translation leaks: a
single author is an *object* while several are a *list*; ``ee`` and ``venue`` are a
string or a list; text keeps XML entities (``&apos;``, ``&amp;``, ``&quot;``); titles
end with a period; zero hits means a ``hits`` object without ``hit``; numbers are
strings. Clients that assume one shape break on the other, so this fake reproduces
all of them. The envelope layout (one member per line, each ``info`` compact on one
line) follows a raw dblp JSON body; the XML output (``format=xml``, dblp's default)
follows tests/fixtures/dblp/dblp-search-publ-api.xml.

Matching mirrors dblp's defaults: every query word must prefix-match a word of the
title, authors, venue or year (case- and diacritics-insensitive); ``word$`` means an
exact word, ``a|b`` either word, a trailing ``*`` is accepted and ignored.

Tables of contents: ``q=toc:db/conf/iclr/iclr2019.bht:`` answers every record of that
table (a record's ``toc``; by default ``db/conf/STREAM/STREAMYEAR.bht`` for a
``conf/STREAM/...`` key), in the order they were added, paged by ``h`` (at most 1000)
and ``f`` like any search, with ``@total``/``@computed``/``@sent``/``@first`` as dblp
sends them. Other words in the query narrow the table as usual.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .common import FIXTURES_DIR, Request, Response, html_response, not_found

DEFAULT_HITS = 30
MAX_HITS = 1000
DEFAULT_COMPLETIONS = 10

THROTTLE_PAGE = """<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>429 Too Many Requests</title>
</head><body>
<h1>Too Many Requests</h1>
<p>The user has sent too many requests in a given amount of time. Please slow down and
retry after the time given in the Retry-After header.</p>
</body></html>
"""

UNAVAILABLE_PAGE = """<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>503 Service Unavailable</title>
</head><body>
<h1>Service Unavailable</h1>
<p>The server is temporarily unable to service your request. Please try again later.</p>
</body></html>
"""


@dataclass
class DblpRecord:
    """One dblp publication. ``authors`` items are names or ``(name, pid)`` pairs.

    A missing final period is added to ``title`` (dblp titles end with ``.``, ``?``
    or ``!``); ``key`` defaults to a ``conf/...`` key built from authors and year.
    """

    title: str
    authors: list = field(default_factory=list)
    venue: str | list[str] = "CoRR"
    year: str | int = "2024"
    type: str = "Conference and Workshop Papers"
    key: str = ""
    doi: str | None = None
    ee: str | list[str] | None = None
    pages: str | None = None
    volume: str | None = None
    number: str | None = None
    access: str = "open"
    #: the ``@id`` of the hit (default: derived from ``key``)
    hit_id: int | None = None
    #: the table of contents listing it (``db/conf/iclr/iclr2019.bht``); None: derived from a ``conf/`` key, "": none
    toc: str | None = None

    def __post_init__(self) -> None:
        if not self.title.rstrip().endswith((".", "?", "!")):
            self.title = self.title.rstrip() + "."
        self.year = str(self.year)
        self.authors = [(a, None) if isinstance(a, str) else (a[0], a[1]) for a in self.authors]
        if not self.key:
            initials = "".join(name.split()[-1][0] for name, _ in self.authors[1:4] if name.split())
            last = self.authors[0][0].split()[-1] if self.authors else "Anon"
            venue = (self.venue if isinstance(self.venue, str) else self.venue[0]).lower()
            self.key = f"conf/{re.sub(r'[^a-z0-9]', '', venue) or 'misc'}/{last}{initials}{self.year[-2:]}"
        if self.hit_id is None:
            self.hit_id = int(hashlib.sha1(self.key.encode()).hexdigest()[:8], 16) % 9_000_000 + 100_000
        if self.toc is None:
            parts = self.key.split("/")
            self.toc = f"db/conf/{parts[1]}/{parts[1]}{self.year}.bht" if len(parts) == 3 and parts[0] == "conf" else ""

    @property
    def url(self) -> str:
        return f"https://dblp.org/rec/{self.key}"

    def author_pids(self) -> list[tuple[str, str]]:
        """``(name, pid)`` with a stable made-up pid where none was given."""
        result = []
        for name, pid in self.authors:
            if pid is None:
                digest = int(hashlib.sha1(name.encode()).hexdigest()[:6], 16)
                pid = f"{digest % 400}/{digest % 10000:04d}"
            result.append((name, pid))
        return result

    def search_words(self) -> list[str]:
        venues = [self.venue] if isinstance(self.venue, str) else self.venue
        text = " ".join([self.title, *(name for name, _ in self.authors), *venues, self.year])
        return _words(text)


class DblpService:
    """Registry + request handler for the fake dblp search API."""

    def __init__(self) -> None:
        #: answer every request with 429 + HTML + ``Retry-After``
        self.throttle = False
        #: value of the ``Retry-After`` header while throttling (seconds)
        self.retry_after = 60
        #: keep XML entities in JSON text values, as dblp does (``Don&apos;t``)
        self.xml_entities = True
        #: ``(toc, f)`` pages of tables of contents answered with 503 (an outage of that page only)
        self.failing_toc_pages: set[tuple[str, int]] = set()
        self._records: list[DblpRecord] = []

    def add(self, record: DblpRecord) -> DblpRecord:
        self._records.append(record)
        return record

    def load_fixtures(self) -> list[DblpRecord]:
        """Register the three hits of the XML fixture (``drift* calibration*``)."""
        raw = (FIXTURES_DIR / "dblp" / "dblp-search-publ-api.xml").read_bytes()
        records = []
        for hit in ET.fromstring(raw).iter("hit"):
            info = hit.find("info")
            assert info is not None

            def text(tag: str) -> str | None:
                return info.findtext(tag)

            def one_or_many(tag: str) -> str | list[str] | None:
                values = [e.text or "" for e in info.findall(tag)]
                return None if not values else values[0] if len(values) == 1 else values

            records.append(
                self.add(
                    DblpRecord(
                        title=text("title") or "",
                        authors=[(a.text or "", a.get("pid")) for a in info.iter("author")],
                        venue=one_or_many("venue") or "",
                        year=text("year") or "",
                        type=text("type") or "",
                        key=text("key") or "",
                        doi=text("doi"),
                        ee=one_or_many("ee"),
                        pages=text("pages"),
                        volume=text("volume"),
                        number=text("number"),
                        access=text("access") or "open",
                        hit_id=int(hit.get("id", "0")),
                    )
                )
            )
        return records

    def clear(self) -> None:
        self._records.clear()

    # ------------------------------------------------------------------- serving
    def handle(self, request: Request) -> Response:
        if self.throttle:
            return html_response(THROTTLE_PAGE, 429, headers={"Retry-After": str(self.retry_after)})
        if request.subpath.rstrip("/") != "/search/publ/api":
            return not_found(request.path)
        query = request.param("q", "") or ""
        first = _int(request.param("f"), 0)
        hits_wanted = min(_int(request.param("h"), DEFAULT_HITS), MAX_HITS)
        toc, _rest = _toc_term(query)
        if toc is not None and (toc, first) in self.failing_toc_pages:
            return html_response(UNAVAILABLE_PAGE, 503)
        completions_wanted = min(_int(request.param("c"), DEFAULT_COMPLETIONS), MAX_HITS)
        matches = self.search(query)
        page = matches[first : first + hits_wanted]
        completions = _completions(query, matches)[:completions_wanted]
        result = _Result(_echo_query(query), matches, page, first, completions, _score(query))
        output = request.param("format", "xml")
        if output == "json":
            body = result.to_json(self.xml_entities)
            return Response(200, body.encode("utf-8"), {"Content-Type": "application/json; charset=utf-8"})
        return Response(200, result.to_xml().encode("utf-8"), {"Content-Type": "application/xml; charset=utf-8"})

    def search(self, query: str) -> list[DblpRecord]:
        toc, query = _toc_term(query)
        terms = _parse_query(query)
        records = self._records if toc is None else [r for r in self._records if r.toc == toc]
        if not terms and toc is None:
            return []
        return [r for r in records if all(_term_matches(term, r.search_words()) for term in terms)]


# ---------------------------------------------------------------------- rendering
@dataclass
class _Result:
    query: str
    matches: list[DblpRecord]
    page: list[DblpRecord]
    first: int
    completions: list[str]
    score: int

    @property
    def computed(self) -> int:
        return min(len(self.matches), max(100, self.first + len(self.page)))

    def to_json(self, xml_entities: bool) -> str:
        hits: dict[str, Any] = {
            "@total": str(len(self.matches)),
            "@computed": str(self.computed),
            "@sent": str(len(self.page)),
            "@first": str(self.first),
        }
        if self.page:
            hits["hit"] = [
                _Compact(
                    {
                        "@score": str(self.score),
                        "@id": str(r.hit_id),
                        "info": _Inline(_info_dict(r, xml_entities)),
                        "url": f"URL#{r.hit_id}",
                    }
                )
                for r in self.page
            ]
        completions: dict[str, Any] = {
            "@total": str(len(self.completions)),
            "@computed": str(len(self.completions)),
            "@sent": str(len(self.completions)),
        }
        items = [
            {"@sc": "1", "@dc": "1", "@oc": "1", "@id": str(_stable(word)), "text": word} for word in self.completions
        ]
        if items:
            completions["c"] = items[0] if len(items) == 1 else items
        envelope = {
            "result": {
                "query": self.query,
                "status": {"@code": "200", "text": "OK"},
                "time": {"@unit": "msecs", "text": "1.23"},
                "completions": completions,
                "hits": hits,
            }
        }
        return _dump(envelope)

    def to_xml(self) -> str:
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            "<result>",
            f'<query id="{_stable(self.query)}">{escape(self.query)}</query>',
            '<status code="200">OK</status>',
            '<time unit="msecs">1.23</time>',
        ]
        n = len(self.completions)
        lines.append(f'<completions total="{n}" computed="{n}" sent="{n}">')
        lines += [f'<c sc="1" dc="1" oc="1" id="{_stable(w)}">{escape(w)}</c>' for w in self.completions]
        lines.append("</completions>")
        lines.append(
            f'<hits total="{len(self.matches)}" computed="{self.computed}" sent="{len(self.page)}" '
            f'first="{self.first}">'
        )
        for record in self.page:
            lines.append(f'<hit score="{self.score}" id="{record.hit_id}">')
            lines.append(_info_xml(record))
            lines.append(f"<url>URL#{record.hit_id}</url>")
            lines.append("</hit>")
        lines += ["</hits>", "</result>"]
        return "\n".join(lines) + "\n"


class _Inline(dict):
    """A JSON object dblp prints on one line (``info``)."""


class _Compact(dict):
    """A JSON object dblp prints one member per line (everything else)."""


def _dump(value: Any) -> str:
    """dblp's JSON layout: objects one member per line, ``info`` inline, lists ``[{..},\\n{..}]``."""
    if isinstance(value, _Inline):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dict):
        return "{\n" + ",\n".join(f"{json.dumps(k)}:{_dump(v)}" for k, v in value.items()) + "\n}"
    if isinstance(value, list):
        return "[" + ",\n".join(_dump(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _info_dict(record: DblpRecord, xml_entities: bool) -> dict[str, Any]:
    text = _entities if xml_entities else (lambda value: value)
    info: dict[str, Any] = {}
    authors = [{"@pid": pid, "text": text(name)} for name, pid in record.author_pids()]
    if authors:
        info["authors"] = {"author": authors[0] if len(authors) == 1 else authors}
    info["title"] = text(record.title)
    info["venue"] = text(record.venue) if isinstance(record.venue, str) else [text(v) for v in record.venue]
    for name in ("volume", "number", "pages"):
        if getattr(record, name) is not None:
            info[name] = text(getattr(record, name))
    info.update({"year": record.year, "type": record.type, "access": record.access, "key": record.key})
    if record.doi is not None:
        info["doi"] = text(record.doi)
    if record.ee is not None:
        info["ee"] = text(record.ee) if isinstance(record.ee, str) else [text(e) for e in record.ee]
    info["url"] = record.url
    return info


def _info_xml(record: DblpRecord) -> str:
    parts = ["<info>"]
    if record.authors:
        parts.append("<authors>")
        parts += [f"<author pid={quoteattr(pid)}>{escape(name)}</author>" for name, pid in record.author_pids()]
        parts.append("</authors>")
    parts.append(f"<title>{escape(record.title)}</title>")
    venues = [record.venue] if isinstance(record.venue, str) else record.venue
    parts += [f"<venue>{escape(v)}</venue>" for v in venues]
    for name in ("volume", "number", "pages"):
        if getattr(record, name) is not None:
            parts.append(f"<{name}>{escape(getattr(record, name))}</{name}>")
    parts += [
        f"<year>{record.year}</year>",
        f"<type>{escape(record.type)}</type>",
        f"<access>{escape(record.access)}</access>",
        f"<key>{escape(record.key)}</key>",
    ]
    if record.doi is not None:
        parts.append(f"<doi>{escape(record.doi)}</doi>")
    if record.ee is not None:
        ees = [record.ee] if isinstance(record.ee, str) else record.ee
        parts += [f"<ee>{escape(e)}</ee>" for e in ees]
    parts.append(f"<url>{escape(record.url)}</url></info>")
    return "".join(parts)


def _entities(value: str) -> str:
    return escape(value, {'"': "&quot;", "'": "&apos;"})


# ----------------------------------------------------------------------- matching
_TOC_TERM = re.compile(r"(?:^|\s)toc:(\S+?\.bht):(?=\s|$)")


def _toc_term(query: str) -> tuple[str | None, str]:
    """``toc:db/conf/iclr/iclr2019.bht: word`` -> (``db/conf/iclr/iclr2019.bht``, ``word``); (None, query) without one."""
    found = _TOC_TERM.search(query)
    if found is None:
        return None, query
    return found.group(1), (query[: found.start()] + " " + query[found.end() :]).strip()


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"[^\W_]+", "".join(ch for ch in folded if not unicodedata.combining(ch)))


@dataclass(frozen=True)
class _Term:
    alternatives: tuple[str, ...]
    exact: bool


def _parse_query(query: str) -> list[_Term]:
    terms = []
    for token in query.split():
        exact = token.endswith("$")
        alternatives = tuple(w for part in token.rstrip("$*").split("|") for w in _words(part))
        if alternatives:
            terms.append(_Term(alternatives, exact))
    return terms


def _term_matches(term: _Term, words: list[str]) -> bool:
    if term.exact:
        return any(alt in words for alt in term.alternatives)
    return any(w.startswith(alt) for alt in term.alternatives for w in words)


def _echo_query(query: str) -> str:
    """dblp echoes the query with ``*`` on every word of three or more letters."""
    echoed = []
    for token in query.split():
        if token.endswith(("*", "$", ":")) or len(token) < 3:
            echoed.append(token)
        else:
            echoed.append(token + "*")
    return " ".join(echoed)


def _completions(query: str, matches: list[DblpRecord]) -> list[str]:
    tokens = query.split()
    if not tokens:
        return []
    prefix = (_words(tokens[-1].rstrip("$*")) or [""])[-1]
    seen: dict[str, None] = {}
    for record in matches:
        for word in _words(record.title):
            if prefix and word.startswith(prefix):
                seen.setdefault(word)
    return list(seen)


def _score(query: str) -> int:
    return 2 * max(1, len(_parse_query(query)))


def _stable(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:7], 16) % 90_000_000 + 1_000_000


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default
