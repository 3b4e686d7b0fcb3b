"""Entries -> BibTeX text, through bibtexparser v2 (the only writer that touches it).

Values are already LaTeX-ready, so we write them with an empty unparse stack and
enclose them ourselves: braces for text, bare for month macros.
"""

from __future__ import annotations

from typing import Iterable, Iterator

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field

from tridentbib.latex import to_ascii
from tridentbib.model import Entry, ListDocument

#: fields biber and Zotero read verbatim: never escaped or converted
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "eprinttype", "archiveprefix", "primaryclass", "ids", "pdf"})


#: entries per bibtexparser Library: bounds the writer's memory on lists of thousands of papers
CHUNK = 500


def format_bibtex(entries: Iterable[Entry], *, ascii: bool = False, preamble: str = "") -> str:
    """The whole .bib file for ``entries``, in their order (keys must be unique)."""
    return "".join(bibtex_parts(entries, ascii=ascii, preamble=preamble))


def bibtex_parts(entries: Iterable[Entry], *, ascii: bool = False, preamble: str = "") -> Iterator[str]:
    """:func:`format_bibtex`'s text as consecutive pieces of at most :data:`CHUNK` entries, made as asked for.

    For 10,000 entries the file is tens of MB: compared with an existing file piece
    by piece, it never needs to be in memory at once.
    """
    style = bibtexparser.BibtexFormat()
    style.indent = "  "
    style.block_separator = "\n"
    entries = list(entries)
    if not entries:
        yield preamble.rstrip("\n") + "\n"
        return
    if preamble.strip():
        yield preamble.rstrip("\n") + "\n\n"
    for first in range(0, len(entries), CHUNK):
        library = Library()
        for item in entries[first : first + CHUNK]:
            fields = [
                Field(name, _enclose(name, value, item, ascii)) for name, value in item.fields.items() if value != ""
            ]
            library.add(BibEntry(item.entry_type, item.key, fields))
        if first:
            yield "\n\n"
        yield bibtexparser.write_string(library, unparse_stack=[], bibtex_format=style).strip("\n")
    yield "\n"


#: characters a URL may not hold as they are (RFC 3986) that would unbalance or escape a BibTeX brace
_URL_BRACES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C"})


def _enclose(name: str, value: str, entry: Entry, ascii: bool) -> str:
    if name in entry.macros and value.isalpha():
        return value
    if name.lower() in ("url", "pdf"):
        value = value.translate(_URL_BRACES)  # a pasted https://x/{ still names the same page
    if value.endswith("\\"):
        value += " "  # bibtexparser reads a backslash before the closing brace as escaping it
    if ascii and name.lower() not in VERBATIM_FIELDS:
        value = to_ascii(value)
    return "{" + value + "}"


def preambles_of(documents: Iterable[ListDocument]) -> str:
    """The ``@preamble`` blocks of every ``.bib`` input, as text to put before the entries."""
    seen = dict.fromkeys(value for document in documents for value in document.preambles)
    return "".join(f"@preamble{{{value}}}\n\n" for value in seen)
