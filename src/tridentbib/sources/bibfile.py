"""An existing ``.bib`` file as input: keep its entries, enrich those that name a paper we can resolve.

Every entry is kept as written (its key, type and fields; ``@string`` macros are
expanded, ``@preamble`` is kept). An entry that carries an arXiv, OpenReview or
ACL Anthology id -- in ``eprint``, ``url``, ``doi``, ``journal = {arXiv preprint
arXiv:ID}``, ``note``, ``howpublished`` -- also becomes a link, so the id is
resolved like any link of a Markdown list; the entry then gains the fields it
lacks from the resolved record, and none of the user's fields is overwritten
(:mod:`tridentbib.steps.fill`, the one fill-in rule, shared with citation blocks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from tridentbib.bibtex_read import field_value, parse_library, string_macros
from tridentbib.identifiers import Kind, PaperId
from tridentbib.identifiers.text import (
    ids_in_fields,
)
from tridentbib.model import Context, Entry, InputError, Item, Link, ListDocument

#: fields that may carry an id or a link to a paper
#: kinds a .bib entry is resolved for (a plain journal DOI is identity only: kept, not fetched)
RESOLVABLE = frozenset({Kind.ARXIV, Kind.OPENREVIEW, Kind.ACL})


@dataclass(frozen=True)
class BibDocument(ListDocument):
    """A ``.bib`` input: the links its entries name (``items``) and the entries themselves."""

    """(``entries`` lives on :class:`~tridentbib.model.ListDocument`: the user's entries, values as written.)"""


def read_bib(text: str, source: str) -> BibDocument:
    """Parse a .bib file; a block that does not parse, or a repeated key, is an InputError."""
    from bibtexparser.model import DuplicateBlockKeyBlock

    from tridentbib.latex import from_latex

    library = parse_library(text)
    strings = string_macros(library)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            raise InputError(f"{source}:{line}: entry key {block.key!r} is used twice")
        problem = getattr(block, "error", None)
        raise InputError(f"{source}:{line}: cannot parse this BibTeX block ({problem or 'syntax error'})")
    entries: list[Entry] = []
    items: list[Item] = []
    for parsed in library.entries:
        fields = {field.key: _value(str(field.value), strings) for field in parsed.fields}
        line = (parsed.start_line or 0) + 1
        ids = ids_in_fields(fields)
        entries.append(
            Entry(parsed.key, parsed.entry_type, fields, frozenset(p.key for p in ids), origin="bib", line=line)
        )
        context = Context(source, line, title=from_latex(fields.get("title", "")).strip(), name=parsed.key)
        links = tuple(Link(_where(fields, paper), "", context, paper) for paper in ids if paper.kind in RESOLVABLE)
        items.append(Item(context, links))
    preambles = tuple(str(p.value) for p in library.preambles)
    return BibDocument(source, tuple(item for item in items if item.links), entries=tuple(entries), preambles=preambles)


def _value(raw: str, strings: Mapping[str, str]) -> str:
    """A field as written, without its enclosing, ``@string`` names expanded
    (an unknown name in a ``#`` join: as written)."""
    value, _bare = field_value(raw, strings)
    return raw.strip() if value is None else value


def _where(fields: Mapping[str, str], paper: PaperId) -> str:
    """The field text the id was read from, for the report (falls back to ``kind:id``)."""
    for value in fields.values():
        if paper.id.lower() in str(value).lower():
            return str(value).strip()
    return f"{paper.kind.value}:{paper.id}"
