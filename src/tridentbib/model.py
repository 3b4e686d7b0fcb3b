"""The data that flows through a run, as plain frozen dataclasses.

``sources`` produce :class:`Item` s (a table row, a bullet, a paragraph) holding
:class:`Link` s; resolvers produce :class:`Lookup` s holding :class:`Record` s;
``shapes`` turn records into :class:`Entry` s, which writers serialise. Nothing
here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tridentbib.identifiers import PaperId, Rejected


@dataclass(frozen=True)
class Context:
    """Where a link sits in its list, so an unresolved row can still become an entry."""

    source: str  #: input file the link came from
    line: int  #: 1-based line number in that file
    section: str = ""  #: nearest heading above the link
    title: str = ""  #: the row's title text (title cell, or the link text of a bullet)
    date: str = ""  #: the row's date cell, e.g. "2023-01"
    name: str = ""  #: the row's model-name cell, e.g. "VALL-E"
    cells: tuple[tuple[str, str], ...] = ()  #: every (header, text) cell of a table row
    #: a Markdown bullet or paragraph (not a table row, heading, id-list line or .bib entry):
    #: when it links a paper host (:mod:`tridentbib.hosts`) it names that paper
    paragraph: bool = False


@dataclass(frozen=True)
class Link:
    """One URL (or ``arXiv:ID`` mention) found in an input."""

    url: str
    text: str  #: the link text, or "" for bare URLs
    context: Context
    target: PaperId | Rejected | None  #: what the URL names; None for other sites


@dataclass(frozen=True)
class Item:
    """One row, bullet or paragraph of a list: the unit that becomes (at most) one work."""

    context: Context
    links: tuple[Link, ...]

    @property
    def paper_links(self) -> tuple[Link, ...]:
        """Links that name a paper at a supported service."""
        return tuple(link for link in self.links if isinstance(link.target, PaperId))


@dataclass(frozen=True)
class CitationBlock:
    """A fenced code block of the list whose content is BibTeX."""

    source: str
    line: int  #: line of the opening fence
    text: str


@dataclass(frozen=True)
class ListDocument:
    """Everything one input yields."""

    path: str
    items: tuple[Item, ...]
    blocks: tuple[CitationBlock, ...] = ()


class Status(StrEnum):
    """How a lookup ended."""

    RESOLVED = "resolved"  #: fetched from the network in this run
    CACHED = "cached"  #: read from the cache, no request
    STALE = "stale"  #: a refresh failed; the older cached record was used
    FAILED = "failed"  #: no record; ``reason`` says why
    MISSING = "missing"  #: --offline and not in the cache


@dataclass(frozen=True)
class Record:
    """What a service told us about one paper, exactly as cached on disk."""

    service: str  #: "arxiv", "openreview", "acl", ...
    id: str  #: canonical id at that service
    data: dict[str, Any]  #: the parsed record (service-specific, plain JSON)
    fetched_at: str  #: ISO 8601 UTC time of the request
    request: str = ""  #: the request that produced it (for provenance)


@dataclass(frozen=True)
class Lookup:
    """The outcome of resolving one id."""

    id: PaperId
    status: Status
    record: Record | None = None
    reason: str = ""  #: why it failed, or why the record is stale
    answered_by: str = ""  #: the service that answered (a fallback may answer for another)
    transient: bool = False  #: failed because a service was unavailable, not because the paper is unknown
    previous: Record | None = None  #: the cached record this run's fetch replaced (refresh, --max-age)

    @property
    def ok(self) -> bool:
        """True when there is a record to build an entry from."""
        return self.record is not None


@dataclass
class Entry:
    """One BibTeX entry. Field values are BibTeX content (LaTeX-ready), without enclosing braces.

    ``macros`` names the fields whose value is a bare macro (``month = jan``).
    """

    key: str
    entry_type: str
    fields: dict[str, str]
    identity: frozenset[str] = frozenset()  #: "arxiv:ID", "doi:...", "acl:ID", "openreview:ID"
    origin: str = ""  #: what produced it: a service name, "block" or "context"
    line: int = 0  #: first line of the list that mentions it (output order)
    macros: frozenset[str] = frozenset({"month"})
    notes: list[str] = field(default_factory=list)  #: report lines (merges, disagreements)
