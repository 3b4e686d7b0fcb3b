"""The list's own citation blocks, read: each ```bibtex block of a list becomes entries kept as written.

A maintainer's block carries the key people already ``\\cite``, so its key and its
fields are kept: values are tidied (whitespace, month macros, bare special
characters escaped) but not rewritten. :func:`block_identity` reads which works a
block names (arXiv id, DOI, ACL Anthology id, OpenReview forum) from its fields;
:func:`with_block_ids` adds those ids to the run's lookups. Merging the blocks with
the resolved records is :mod:`tridentbib.steps.merge`.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from tridentbib.bibtex_read import field_value, parse_library, string_macros
from tridentbib.entry_fields import month_macro
from tridentbib.identifiers import (
    RESOLVED_KINDS,
    Kind,
)
from tridentbib.identifiers.text import identity_keys, ids_in_fields
from tridentbib.latex import collapse_whitespace, protect_title, safe_tex
from tridentbib.model import CitationBlock, Entry, ListDocument
from tridentbib.model import Cited as Cited  # crosses folders: model.py holds it

#: field names as tridentbib writes them (block fields are read in lower case)
CANONICAL_NAMES = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}

#: fields read and written verbatim (identifiers, links): never escaped or case-protected
VERBATIM = frozenset(
    {
        "url",
        "doi",
        "eprint",
        "eprinttype",
        "archiveprefix",
        "primaryclass",
        "ids",
        "pdf",
        "file",
        "isbn",
        "issn",
        "urldate",
        "crossref",
    }
)

#: fields a block entry's identity is read from


def read_blocks(documents: Iterable[ListDocument]) -> tuple[list[Cited], list[str]]:
    """Every entry of every citation block, in list order, and one report line per block that failed.

    A block that fails in part keeps the entries that parsed.  Two blocks giving one
    key to different entries: the later one gets a suffix (reported), so keys stay unique.
    """
    cited: list[Cited] = []
    notes: list[str] = []
    keys: set[str] = set()
    for document in documents:
        for block in document.blocks:
            found, problems = read_block(block)
            notes.extend(problems)
            for item in found:
                key = item.entry.key
                if key in keys:
                    new_key = next(f"{key}{suffix}" for suffix in _suffixes() if f"{key}{suffix}" not in keys)
                    notes.append(
                        f"{item.where}: citation block key {key} is already used by an earlier block; "
                        f"this entry is written as {new_key}"
                    )
                    item.entry.key = new_key
                keys.add(item.entry.key)
                cited.append(item)
    return cited, notes


def read_block(block: CitationBlock) -> tuple[list[Cited], list[str]]:
    """The entries of one block and a report line per part that could not be parsed."""
    first_line = block.line + 1  # the block's text starts on the line after the opening fence
    library = parse_library(block.text)  # failures are reported below, with list line numbers
    strings = string_macros(library)
    problems = [
        (
            f"{block.source}:{first_line + (failed.start_line or 0)}: "
            f"citation block could not be parsed: {_failure(failed)}"
        )
        for failed in library.failed_blocks
    ]
    cited = []
    for parsed in library.entries:
        line = first_line + (parsed.start_line or 0)
        entry, entry_problems = block_entry(
            parsed.key, parsed.entry_type, [(f.key, str(f.value)) for f in parsed.fields], strings
        )
        entry.line = line
        cited.append(Cited(entry, block.source, line))
        problems.extend(f"{block.source}:{line}: {entry.key}: {problem}" for problem in entry_problems)
    if not library.entries and not library.failed_blocks and block.text.lstrip().startswith("@"):
        problems.append(f"{block.source}:{first_line}: citation block could not be parsed: no BibTeX entry found")
    return cited, problems


def _failure(failed: Any) -> str:
    error = failed.error
    reason = getattr(error, "abort_reason", "") or str(error) or type(error).__name__
    raw = " ".join(str(failed.raw or "").split())
    return f"{reason} (in: {raw[:60]}{'...' if len(raw) > 60 else ''})" if raw else reason


def block_entry(
    key: str, entry_type: str, raw_fields: list[tuple[str, str]], strings: Mapping[str, str] | None = None
) -> tuple[Entry, list[str]]:
    """One parsed block entry -> an Entry with values as written (tidied for LaTeX), and problems found."""
    fields: dict[str, str] = {}
    macros: set[str] = set()
    problems: list[str] = []
    for raw_name, raw_value in raw_fields:
        name = CANONICAL_NAMES.get(raw_name.lower(), raw_name.lower())
        value, bare = field_value(raw_value, strings or {})
        if value is not None:
            value = collapse_whitespace(value)
        if value is None:
            problems.append(f"field {name} = {collapse_whitespace(raw_value)} uses an undefined macro; kept as text")
            value, bare = collapse_whitespace(raw_value), False
        if name == "month":
            month = month_macro(value)
            if month:
                value, bare = month, True
        if bare and not value.isdigit():
            macros.add(name)
        fields[name] = tidy_value(name, value) if not bare else value
    entry = Entry(key=key, entry_type=entry_type.lower(), fields=fields, origin="block", macros=frozenset(macros))
    entry.identity = block_identity(fields)
    return entry, problems


def tidy_value(name: str, value: str) -> str:
    """A hand-written value made safe for LaTeX without changing what it says.

    What would break the document is escaped (:func:`~tridentbib.latex.safe_tex`:
    bare ``% & # _ ^`` outside math, a stray ``$``; biber copies fields into the
    ``.bbl``, where they would break it); titles get acronyms protected.
    Identifier and link fields stay verbatim.
    """
    if name.lower() in VERBATIM:
        return value
    value = safe_tex(value)
    return protect_title(value) if name == "title" else value


def block_identity(fields: Mapping[str, str]) -> frozenset[str]:
    """Every id a block entry names
    (read as every BibTeX entry is: :func:`~tridentbib.identifiers.text.ids_in_fields`)."""
    return identity_keys(ids_in_fields(fields))


def with_block_ids(ids: Mapping[Kind, list[str]], cited: Iterable[Cited]) -> dict[Kind, list[str]]:
    """``ids`` (per kind, in list order) plus the arXiv/ACL/OpenReview ids only citation blocks name."""
    wanted = {kind: dict.fromkeys(kind_ids) for kind, kind_ids in ids.items()}
    for item in cited:
        for ident in sorted(item.entry.identity):
            kind, _, value = ident.partition(":")
            if kind in RESOLVED_KINDS:
                wanted.setdefault(Kind(kind), {})[value] = None
    return {kind: list(kind_ids) for kind, kind_ids in wanted.items() if kind_ids}


def _suffixes() -> Iterable[str]:
    letters = "bcdefghijklmnopqrstuvwxyz"
    yield from letters
    yield from (a + b for a in letters for b in letters)
