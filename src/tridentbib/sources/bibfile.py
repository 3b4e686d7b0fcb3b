"""An existing ``.bib`` file as input: keep its entries, enrich those that name a paper we can resolve.

Every entry is kept as written (its key, type and fields; ``@string`` macros are
expanded, ``@preamble`` is kept). An entry that carries an arXiv, OpenReview or
ACL Anthology id -- in ``eprint``, ``url``, ``doi``, ``journal = {arXiv preprint
arXiv:ID}``, ``note``, ``howpublished`` -- also becomes a link, so the id is
resolved like any link of a Markdown list; the entry then gains the fields it
lacks from the resolved record, and none of the user's fields is overwritten
(:func:`fill_missing`, the one enrichment rule; citation blocks of Markdown lists
have the same need and may share it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from tridentbib.identifiers import Kind, PaperId
from tridentbib.identifiers.text import (
    ids_in_fields as ids_in_fields,  # re-exported: .bib entries are read by it
)
from tridentbib.model import Context, Entry, InputError, Item, Link, ListDocument

#: fields that may carry an id or a link to a paper
#: kinds a .bib entry is resolved for (a plain journal DOI is identity only: kept, not fetched)
RESOLVABLE = frozenset({Kind.ARXIV, Kind.OPENREVIEW, Kind.ACL})


@dataclass(frozen=True)
class BibDocument(ListDocument):
    """A ``.bib`` input: the links its entries name (``items``) and the entries themselves."""

    entries: tuple[Entry, ...] = ()  #: the user's entries, values as written (without enclosing braces)


def read_bib(text: str, source: str) -> BibDocument:
    """Parse a .bib file; a block that does not parse, or a repeated key, is an InputError."""
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock

    from tridentbib.latex import from_latex

    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            raise InputError(f"{source}:{line}: entry key {block.key!r} is used twice")
        problem = getattr(block, "error", None)
        raise InputError(f"{source}:{line}: cannot parse this BibTeX block ({problem or 'syntax error'})")
    entries: list[Entry] = []
    items: list[Item] = []
    for parsed in library.entries:
        fields = {field.key: str(field.value) for field in parsed.fields}
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


def _where(fields: Mapping[str, str], paper: PaperId) -> str:
    """The field text the id was read from, for the report (falls back to ``kind:id``)."""
    for value in fields.values():
        if paper.id.lower() in str(value).lower():
            return str(value).strip()
    return f"{paper.kind.value}:{paper.id}"


def fill_missing(user: Entry, resolved: Entry) -> dict[str, str]:
    """The user's fields exactly as written, then every field of ``resolved`` they lack.

    Field names compare case-insensitively; a ``date`` stands for ``year`` and
    ``month``; an arXiv DOI is not added to an entry that names its venue (it would
    point a published paper at its preprint).
    """
    have = {name.lower() for name in user.fields}
    if "date" in have:
        have |= {"year", "month"}
    names_venue = bool(have & {"journal", "booktitle"})
    added: dict[str, str] = {}
    for name, value in resolved.fields.items():
        if not value or name.lower() in have:
            continue
        if name.lower() == "doi" and names_venue and value.lower().startswith("10.48550/"):
            continue
        added[name] = value
    return {**user.fields, **added}


def keep_bib_entries(
    documents: Sequence[ListDocument], entries: list[Entry], outcomes: Sequence[object]
) -> list[Entry]:
    """Put the entries of ``.bib`` inputs into ``entries``: enriched when resolved, as written otherwise.

    A user's entry replaces the key, type and fields of the resolved entry of the
    same work (matched by identity) and is filled in from it; an entry with nothing
    resolved is inserted as written, in its file's order among the other entries.
    Entries are changed in place, so every link's outcome keeps pointing at its entry.
    """
    bib_documents = [(index, doc) for index, doc in enumerate(documents) if isinstance(doc, BibDocument)]
    if not bib_documents:
        return entries
    position = {doc.path: index for index, doc in enumerate(documents)}
    tie: dict[int, tuple[int, int]] = {}
    for outcome in outcomes:
        entry = getattr(outcome, "entry", None)
        if entry is not None and id(entry) not in tie:
            tie[id(entry)] = (position.get(getattr(outcome, "source", ""), len(documents)), getattr(outcome, "line", 0))
    final = list(entries)
    taken: set[int] = set()
    for index, document in bib_documents:
        for user in document.entries:
            target = (
                next((e for e in final if id(e) not in taken and e.identity & user.identity), None)
                if user.identity
                else None
            )
            if target is not None:
                target.fields = fill_missing(user, target)
                target.key, target.entry_type = user.key, user.entry_type
                target.identity = target.identity | user.identity
                target.notes.append(
                    f"{document.path}:{user.line}: kept {user.key} as written, filled in from {target.origin or 'the record'}"
                )
                target.origin = "bib"
                taken.add(id(target))
                continue
            kept = replace(user, fields=dict(user.fields), notes=[])
            place = (index, user.line)
            at = next((i for i, e in enumerate(final) if id(e) in tie and tie[id(e)] > place), len(final))
            final.insert(at, kept)
            tie[id(kept)] = place
            taken.add(id(kept))
    return final
