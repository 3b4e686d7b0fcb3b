"""What a set of lists needs: the one answer used by ``build``, ``check`` and ``cache prune``.

A list needs every paper its links name *and* every paper only its citation blocks
name (``eprint = {2104.12255}``), with the list's title for each (fallbacks search
by it). From that follow the cache records a build reads: the paper's own record,
and the fallback and venue answers looked up for it; the files kept whole beside
the records that it may be read from (the ACL export, its PMLR volume, an old
NeurIPS link's year indexes); and, for an item the title route found, its queries,
its decision and the record the decision applied. ``cache prune`` keeps exactly
those, so a prune never removes what ``build`` or ``check --offline`` will read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from tridentbib.hosts import is_paper_host
from tridentbib.identifiers import Kind, PaperId
from tridentbib.identifiers.grammar import ID_IS_THE_PAPER
from tridentbib.lookup import fallback
from tridentbib.lookup.fallback import RECOVERABLE
from tridentbib.lookup.policy import KEPT_FILES
from tridentbib.model import Context, ListDocument, Record
from tridentbib.resolvers.registry import SERVICES, cache_folders
from tridentbib.sources.blocks import Cited, read_blocks, with_block_ids
from tridentbib.store.cache import DiskCache


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

    def cache_records(self, cache: DiskCache | None = None) -> set[tuple[str, str]]:
        """(cache folder, id) of every record a build of these lists may read,
        and (folder, name) of every file kept whole.

        With ``cache``, also the record each item found by title was written from: the
        id its cached decision (``cache/title-match``) applied.
        """
        from tridentbib.lookup import titles  # what prune and check read; a build needs none of it first

        records: set[tuple[str, str]] = set()
        for kind, kind_ids in self.ids.items():
            for ident in kind_ids:
                records |= self._paper_records(PaperId(kind, ident))
        for title, text, date in self.title_items:
            keys = titles.cache_keys(title, text, date)
            records.update(keys)
            applied = _applied(cache, keys) if cache is not None else None
            if applied is not None:
                records |= self._paper_records(applied)
        for key in self.rows:  # a Semantic Scholar page a list links: the title route asks S2 for it by id
            service, _colon, sha = key.partition(":")
            if service == Kind.S2.value:
                records.add(("s2-paper", sha))
        return records

    def _paper_records(self, paper: PaperId) -> set[tuple[str, str]]:
        """The cache files a paper's lookup may read: its record, its fallbacks and venue answers, its kept files."""
        from tridentbib.lookup import (
            venues as venue_lookup,
        )  # what prune and check read; a build needs none of it first

        kind, ident = paper.kind, paper.id
        records = {(folder, ident) for folder in cache_folders(kind)}
        if kind in RECOVERABLE:
            records.update(fallback.cache_keys(paper, self.titles.get(paper.key, "")))
        if kind is Kind.ARXIV:
            records.update(venue_lookup.cache_keys(ident))
        if kind in KEPT_FILES:
            records.update(KEPT_FILES[kind](ident, self.rows.get(paper.key)))
        return records


def _applied(cache: DiskCache, keys: list[tuple[str, str]]) -> PaperId | None:
    """The paper the title route applied for an item, from its cached decision (None: none, or not decided yet)."""
    for folder, key in keys:
        if folder != "title-match":
            continue
        decision = cache.get(folder, key)
        applied = decision.data.get("applied") if isinstance(decision, Record) else None
        kind, _colon, ident = applied.partition(":") if isinstance(applied, str) else ("", "", "")
        try:
            return PaperId(Kind(kind), ident)
        except ValueError:  # no paper applied, or a decision file naming no valid id
            return None
    return None


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
    """Items the title route may look up: a bullet or row with a title and a paper link
    whose id is not its paper by itself."""
    found = []
    for document in documents:
        for item in document.items:
            context = item.context
            if not context.title.strip() or not (context.paragraph or context.cells):
                continue
            if any(
                (isinstance(link.target, PaperId) and link.target.kind not in ID_IS_THE_PAPER)
                or (link.target is None and is_paper_host(link.url))
                for link in item.links
            ):
                text = context.text or " ".join(cell for _header, cell in context.cells)
                found.append((context.title, text, context.date))
    return found
