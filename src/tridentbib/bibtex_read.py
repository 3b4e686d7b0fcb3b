"""Read BibTeX text (service exports, a list's citation blocks, a user's .bib, our own output)
keeping values as written.

The one parse stack of the package: bibtexparser v2 with an empty parse stack
(:func:`parse_library`), then one level of enclosing stripped and ``@string``
macros and ``#`` concatenations resolved here (:func:`field_value`). That way a
bare ``month = may`` stays recognisable as a macro and ``{S}panish``-style
protection survives untouched, whichever input the text came from.
"""

from __future__ import annotations

import logging
from typing import Any, Mapping

import bibtexparser
from bibtexparser.library import Library


class BibtexReadError(ValueError):
    """The text holds no readable BibTeX entry."""


def split_value(raw: str) -> tuple[str, bool]:
    """(value without its enclosing, True when it was a bare macro/number)."""
    raw = raw.strip()
    if len(raw) >= 2 and ((raw[0] == "{" and raw[-1] == "}") or (raw[0] == '"' and raw[-1] == '"')):
        return raw[1:-1], False
    return raw, True


def parse_library(text: str) -> Library:
    """The blocks of ``text``, values still enclosed; failed blocks are the caller's to report
    (the parser stays quiet)."""
    parser_logger = logging.getLogger("bibtexparser")
    level = parser_logger.level
    parser_logger.setLevel(logging.CRITICAL)
    try:
        return bibtexparser.parse_string(text, parse_stack=[])
    finally:
        parser_logger.setLevel(level)


def string_macros(library: Library) -> dict[str, str]:
    """The library's ``@string`` definitions, lower-cased names -> values without enclosing."""
    return {s.key.lower(): split_value(str(s.value))[0] for s in library.strings}


def field_value(raw: str, strings: Mapping[str, str]) -> tuple[str | None, bool]:
    """(value, is a bare macro) of a raw value; ``@string`` names and ``#`` concatenations resolved;
    None: unknown macro.

    A bare name that is no ``@string`` stays a bare macro (``month = may``); inside a
    concatenation it cannot be resolved, so the whole value is None.
    """
    pieces = _split_concatenation(raw)
    if len(pieces) == 1:
        value, bare = split_value(pieces[0])
        if bare and not value.isdigit() and value.lower() in strings:
            return strings[value.lower()], False
        return value, bare
    out = []
    for piece in pieces:
        value, bare = split_value(piece)
        if bare and not value.isdigit():
            if value.lower() not in strings:
                return None, False
            value = strings[value.lower()]
        out.append(value)
    return "".join(out), False


def _split_concatenation(raw: str) -> list[str]:
    """``"a" # b # {c}`` -> its pieces (``#`` outside braces and quotes)."""
    pieces: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in raw.strip():
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    pieces.append("".join(current).strip())
    return [piece for piece in pieces if piece]


def read_entries(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Entries as ``{"key", "entry_type", "fields", "macros"}`` dicts, and a message per failed block."""
    library = parse_library(text)
    entries = []
    for entry in library.entries:
        fields: dict[str, str] = {}
        macros: list[str] = []
        for field in entry.fields:
            value, bare = split_value(str(field.value))
            name = field.key.lower()
            fields[name] = " ".join(value.split())
            if bare and not value.isdigit():
                macros.append(name)
        entries.append({"key": entry.key, "entry_type": entry.entry_type.lower(), "fields": fields, "macros": macros})
    failures = [
        f"line {(block.start_line or 0) + 1}: {type(block.error).__name__}: {block.error}"
        for block in library.failed_blocks
    ]
    return entries, failures


def read_single_entry(text: str) -> dict[str, Any]:
    """The one entry of an export; raises BibtexReadError when there is none."""
    entries, failures = read_entries(text)
    if not entries:
        raise BibtexReadError(failures[0] if failures else "no entry found")
    return entries[0]
