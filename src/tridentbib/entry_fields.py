"""Field values every service's shaping shares: author lists, year and month, arXiv's DOI."""

from __future__ import annotations

import functools
import re

from tridentbib.latex import to_latex
from tridentbib.names import Name, parse_display_name

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def arxiv_doi(arxiv_id: str) -> str:
    """The DataCite DOI arXiv assigns to every paper."""
    return f"10.48550/arXiv.{arxiv_id}"


def author_field(display_names: list[str]) -> str:
    """``First Last`` names -> a BibTeX author list ``Last, First and ...``, all of them, in order."""
    return " and ".join(_bibtex_name(name) for name in display_names if name.strip())


@functools.lru_cache(maxsize=65536)  # authors recur across a list
def _bibtex_name(display_name: str) -> str:
    return _latex_name(parse_display_name(display_name)).bibtex()


def _latex_name(name: Name) -> Name:
    """Escape each part of a name (before ``bibtex()`` adds its own protective braces)."""
    return Name(to_latex(name.given), to_latex(name.family), to_latex(name.prefix), to_latex(name.suffix))


def _year_month(fields: dict[str, str], iso_date: str) -> None:
    """Set ``year`` and the ``month`` macro from an ISO date (or a "2023-01" date cell)."""
    match = re.match(r"^\s*(\d{4})(?:[-/.](\d{1,2}))?", iso_date or "")
    if not match:
        return
    fields["year"] = match.group(1)
    if match.group(2) and 1 <= int(match.group(2)) <= 12:
        fields["month"] = MONTHS[int(match.group(2)) - 1]


def month_macro(value: str) -> str:
    """``June``, ``jun``, ``Jun.``, ``6`` -> the macro ``jun``; anything else -> ""
    (an unknown bare word is no macro)."""
    text = value.strip().strip(".").lower()
    if text.isdigit():
        return MONTHS[int(text) - 1] if 1 <= int(text) <= 12 else ""
    if len(text) < 3:
        return ""
    return next((month for month, name in zip(MONTHS, _MONTH_NAMES, strict=True) if name.startswith(text)), "")


_MONTH_NAMES = "january february march april may june july august september october november december".split()
