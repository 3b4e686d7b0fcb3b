"""Entries -> BibTeX text, through bibtexparser v2 (the only writer that touches it).

Values are already LaTeX-ready, so we write them with an empty unparse stack and
enclose them ourselves: braces for text, bare for month macros.
"""

from __future__ import annotations

from typing import Iterable

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field

from tridentbib.latex import to_ascii
from tridentbib.model import Entry

#: fields biber and Zotero read verbatim: never escaped or converted
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "eprinttype", "archiveprefix", "primaryclass", "ids", "pdf"})


def format_bibtex(entries: Iterable[Entry], *, ascii: bool = False, preamble: str = "") -> str:
    """The whole .bib file for ``entries``, in their order."""
    library = Library()
    for entry in entries:
        fields = [Field(name, _enclose(name, value, entry, ascii)) for name, value in entry.fields.items() if value != ""]
        library.add(BibEntry(entry.entry_type, entry.key, fields))
    style = bibtexparser.BibtexFormat()
    style.indent = "  "
    style.block_separator = "\n"
    body = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=style)
    return (preamble + body).rstrip("\n") + "\n"


def _enclose(name: str, value: str, entry: Entry, ascii: bool) -> str:
    if name in entry.macros and value.isalpha():
        return value
    if ascii and name.lower() not in VERBATIM_FIELDS:
        value = to_ascii(value)
    return "{" + value + "}"
