"""Read BibTeX text (Anthology exports, a list's citation blocks) keeping values as written.

We parse with bibtexparser v2 and an empty parse stack, then strip one level of
enclosing ourselves: that way a bare ``month = may`` stays recognisable as a macro
and ``{S}panish``-style protection survives untouched.
"""

from __future__ import annotations

from typing import Any

import bibtexparser


class BibtexReadError(ValueError):
    """The text holds no readable BibTeX entry."""


def split_value(raw: str) -> tuple[str, bool]:
    """(value without its enclosing, True when it was a bare macro/number)."""
    raw = raw.strip()
    if len(raw) >= 2 and ((raw[0] == "{" and raw[-1] == "}") or (raw[0] == '"' and raw[-1] == '"')):
        return raw[1:-1], False
    return raw, True


def read_entries(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Entries as ``{"key", "entry_type", "fields", "macros"}`` dicts, and a message per failed block."""
    library = bibtexparser.parse_string(text, parse_stack=[])
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
