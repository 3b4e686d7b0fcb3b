"""What a set of lists needs: the one answer used by ``build``, ``check`` and ``cache prune``.

A list needs every paper its links name *and* every paper only its citation blocks
name (``eprint = {2104.12255}``), with the list's title for each (fallbacks search
by it). From that follow the cache records a build reads: the paper's own record,
and the fallback and venue answers looked up for it. ``cache prune`` keeps exactly
those, so a prune never removes what ``build`` or ``check --offline`` will read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from tridentbib.hosts import is_paper_host
from tridentbib.identifiers import Kind, PaperId
from tridentbib.lookup import fallback, titles
from tridentbib.lookup import venues as venue_lookup
from tridentbib.model import Context, ListDocument
from tridentbib.resolvers.registry import SERVICES, cache_folders
from tridentbib.sources.blocks import Cited, read_blocks, with_block_ids

#: kinds whose papers can be found through dblp or an arXiv twin when their service will not answer
RECOVERABLE = frozenset({Kind.OPENREVIEW, Kind.ACL})


@dataclass
class Needs:
    """The papers a run resolves, in first-mention order, and what the lists say of them."""

    ids: dict[Kind, list[str]]  #: per kind, links first, then ids only citation blocks name
    titles: dict[str, str] = field(default_factory=dict)  #: ``PaperId.key`` -> the list's title text
    cited: list[Cited] = field(default_factory=list)  #: every citation-block entry, in list order
    block_notes: list[str] = field(default_factory=list)  #: citation blocks that did not parse
    #: (title, text, date) of every item the title route may look up (lookup/titles.py)
    title_items: list[tuple[str, str, str]] = field(default_factory=list)
    #: ``PaperId.key`` -> the row or bullet of its first mention (resolvers that look an id up by its row)
    rows: dict[str, Context] = field(default_factory=dict)

    def cache_records(self) -> set[tuple[str, str]]:
        """(cache folder, id) of every record a build of these lists may read."""
        records: set[tuple[str, str]] = set()
        for kind, kind_ids in self.ids.items():
            for ident in kind_ids:
                paper = PaperId(kind, ident)
                records.update((folder, ident) for folder in cache_folders(kind))
                if kind in RECOVERABLE:
                    records.update(fallback.cache_keys(paper, self.titles.get(paper.key, "")))
                if kind is Kind.ARXIV:
                    records.update(venue_lookup.cache_keys(ident))
        for title, text, date in self.title_items:
            records.update(titles.cache_keys(title, text, date))
        return records


def what_lists_need(documents: Iterable[ListDocument]) -> Needs:
    """The :class:`Needs` of ``documents`` (read once, in order)."""
    documents = list(documents)
    cited, block_notes = read_blocks(documents)
    return Needs(
        with_block_ids(_linked_ids(documents), cited),
        _titles(documents),
        cited,
        block_notes,
        _title_items(documents),
        rows=_rows(documents),
    )


def _linked_ids(documents: list[ListDocument]) -> dict[Kind, list[str]]:
    """Every id the documents' links name, in first-mention order, per kind a service resolves."""
    wanted: dict[Kind, dict[str, None]] = {kind: {} for kind in SERVICES}
    for document in documents:
        for item in document.items:
            for link in item.paper_links:
                target = link.target
                assert isinstance(target, PaperId)
                if target.kind in wanted:
                    wanted[target.kind][target.id] = None
    return {kind: list(ids) for kind, ids in wanted.items() if ids}


def _rows(documents: list[ListDocument]) -> dict[str, Context]:
    """The row or bullet of each paper's first mention."""
    rows: dict[str, Context] = {}
    for document in documents:
        for item in document.items:
            for link in item.paper_links:
                rows.setdefault(link.target.key, item.context)  # type: ignore[union-attr]
    return rows


def _titles(documents: list[ListDocument]) -> dict[str, str]:
    """The list's title text for each paper (first mention), for searching other sources."""
    titles: dict[str, str] = {}
    for document in documents:
        for item in document.items:
            for link in item.paper_links:
                titles.setdefault(link.target.key, item.context.title)  # type: ignore[union-attr]
    return titles


def _title_items(documents: list[ListDocument]) -> list[tuple[str, str, str]]:
    """Items the title route may look up: a bullet or row with a title and a paper link whose id is not its paper by itself."""
    found = []
    for document in documents:
        for item in document.items:
            context = item.context
            if not context.title.strip() or not (context.paragraph or context.cells):
                continue
            if any(
                (isinstance(link.target, PaperId) and link.target.kind not in titles.ID_IS_THE_PAPER)
                or (link.target is None and is_paper_host(link.url))
                for link in item.links
            ):
                text = context.text or " ".join(cell for _header, cell in context.cells)
                found.append((context.title, text, context.date))
    return found
