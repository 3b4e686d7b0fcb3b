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


class InputError(Exception):
    """An input cannot be read; the message names the file and the problem."""


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
    #: a bullet's or paragraph's whole text (title, authors, venue, year): the hints of the title route
    text: str = ""


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


@dataclass
class Cited:
    """One entry of a citation block, as an :class:`Entry` (origin "block"), with where it was written."""

    entry: Entry
    source: str
    line: int  #: line of the entry's ``@type{`` in the list

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass(frozen=True)
class ListDocument:
    """Everything one input yields."""

    path: str
    items: tuple[Item, ...]
    blocks: tuple[CitationBlock, ...] = ()
    preambles: tuple[str, ...] = ()  #: raw ``@preamble`` values of a ``.bib`` input, kept in the output
    entries: tuple[Entry, ...] = ()  #: a ``.bib`` input's own entries, values as written (kept, filled in)


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
    recoverable: bool = False  #: its own service would not serve it: the fallbacks (dblp, an arXiv twin) may
    previous: Record | None = None  #: the cached record this run's fetch replaced (refresh, --max-age)

    @property
    def ok(self) -> bool:
        """True when there is a record to build an entry from."""
        return self.record is not None


@dataclass
class Entry:
    """One BibTeX entry. Field values are BibTeX content (LaTeX-ready), without enclosing braces.

    ``macros`` names the fields whose value is a bare macro (``month = jan``).
    Mutable on purpose: link outcomes point at their entry, and the steps that must
    keep those pointers edit entries in place, each saying so in its docstring
    (``steps.fill.keep_bib_entries``, ``steps.merge.merge_blocks`` and
    ``Merge.assign_keys``, ``steps.keys.assign_keys``, ``lookup.venues`` upgrades);
    the others return new entries (``steps.works.unite_hosts``, ``steps.venues.upgrade``).
    """

    key: str
    entry_type: str
    fields: dict[str, str]
    identity: frozenset[str] = frozenset()  #: "arxiv:ID", "doi:...", "acl:ID", "openreview:ID"
    origin: str = ""  #: what produced it: a service name, "block" or "context"
    line: int = 0  #: first line of the list that mentions it (output order)
    macros: frozenset[str] = frozenset({"month"})
    notes: list[str] = field(default_factory=list)  #: report lines (merges, disagreements)


# -- what a run produced: the result vocabulary every writer and command reads --------


class Outcome:
    """What happened to one link (values of :attr:`LinkOutcome.outcome`)."""

    RESOLVED = "resolved"
    CACHED = "cached"
    STALE = "stale"
    MERGED = "merged"
    FAILED = "failed"
    REJECTED = "rejected"
    NOT_SUPPORTED = "not supported"
    CONTEXT = "context entry"
    EXTRA = "extra url"


@dataclass(frozen=True)
class LinkOutcome:
    """One line of the report: a link, what it named and what became of it."""

    source: str
    line: int
    url: str
    kind: str  #: "arxiv", "openreview", "acl", "doi" or "other"
    id: str
    version: int | None
    outcome: str
    reason: str = ""
    answered_by: str = ""
    transient: bool = False  #: failed for a reason that may pass (outage), not "no such paper"
    entry: Entry | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """The cite key of the entry this link ended up in ("" when none)."""
        return self.entry.key if self.entry is not None else ""


@dataclass
class BuildResult:
    """Everything a run produced, for writers and the report."""

    entries: list[Entry]
    outcomes: list[LinkOutcome]
    requests: dict[str, int] = field(default_factory=dict)
    corrupt_cache_files: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  #: citation blocks: parse failures, merges that disagree
    upgrades: list[Upgrade] = field(default_factory=list)  #: preprints cited as published, each with its evidence
    candidates: list[Candidate] = field(default_factory=list)  #: possible published versions not applied, and why
    venue_notes: list[str] = field(default_factory=list)  #: venue lookups that could not be made this run
    #: ``kind:id`` -> (version cached before, version fetched now), for records this run replaced
    versions: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    #: services taken as gone during the run (their circuit breaker opened), with the reason their papers failed
    outages: list[Outage] = field(default_factory=list)
    #: items found (or not) by their title (:mod:`tridentbib.lookup.titles`), with the evidence or the reasons
    titles: list[TitleDecision] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many links ended with ``outcome``."""
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def failed(self) -> list[LinkOutcome]:
        """Links that name a paper we could not resolve."""
        return [o for o in self.outcomes if o.outcome in (Outcome.FAILED, Outcome.REJECTED)]

    @property
    def outage(self) -> bool:
        """Did any lookup fail for a transient reason (so the output would lose something)?"""
        return any(o.transient for o in self.outcomes)


@dataclass(frozen=True)
class Outage:
    """A service whose breaker opened during the run, and why."""

    service: str
    base_url: str
    reason: str


@dataclass(frozen=True)
class Venue:
    """Where a paper was published, as one source describes it (plain text, not LaTeX)."""

    entry_type: str  #: "inproceedings" or "article"
    name: str  #: booktitle or journal
    year: str
    source: str  #: ARXIV, S2 or DBLP
    record: str  #: the source's id of the record: S2 paperId, dblp key, the DOI arXiv lists
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str = ""
    url: str = ""
    short: str = ""  #: an abbreviation for report lines ("ICASSP")

    @property
    def container(self) -> str:
        """The BibTeX field the venue name goes in."""
        return "booktitle" if self.entry_type == "inproceedings" else "journal"

    @property
    def label(self) -> str:
        """``ICASSP 2023`` for report lines (the name alone when it already holds the year)."""
        name = self.short or self.name
        return name if self.year and self.year in name else f"{name} {self.year}".strip()


@dataclass(frozen=True)
class Candidate:
    """A possible published version that was *not* applied, and why not."""

    arxiv_id: str
    venue: Venue
    why: str
    key: str = ""
    title: str = ""  #: the other record's title, when it differs

    @property
    def text(self) -> str:
        title = f' "{self.title}"' if self.title else ""
        return f"{self.venue.source} {self.venue.record}{title} ({self.venue.label}): {self.why}"


@dataclass(frozen=True)
class Upgrade:
    """One preprint cited as published in this run."""

    key: str
    arxiv_id: str
    venue: Venue
    evidence: str  #: "Semantic Scholar externalIds.ArXiv=2301.02111, venue ICASSP 2023"
    rule: str  #: "doi", "id", "journal_ref" or "title+authors"


@dataclass(frozen=True)
class TitleDecision:
    """What the title route decided for one item: the record applied with its evidence, or why none was."""

    where: str  #: "list.md:12"
    title: str  #: the item's own title
    applied: str = ""  #: the canonical id whose record was written ("arxiv:1411.1792"), "" when none
    evidence: str = ""  #: why it is the same work
    rejected: tuple[str, ...] = ()  #: every candidate not applied, with its reason
    key: str = ""  #: the cite key of the item's entry

    @property
    def text(self) -> str:
        """One report line."""
        if self.applied:
            return f"{self.where}: {self.key or self.title!r} -> {self.applied} (evidence: {self.evidence})"
        reasons = "; ".join(self.rejected) or "no candidate"
        return f"{self.where}: not resolved by title {self.title!r}: {reasons}"
