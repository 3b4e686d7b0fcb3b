"""Entries built from what the list itself says, for rows and bullets no API resolves."""

from __future__ import annotations

from tridentbib.entry_fields import _year_month
from tridentbib.latex import protect_title, to_latex
from tridentbib.model import Context, Entry

# -- rows no API can resolve --------------------------------------------------------


def from_context(context: Context, url: str) -> Entry:
    """``@misc`` from what the list itself says (title cell, date cell, the link)."""
    title = context.title or context.name or url
    fields: dict[str, str] = {"title": protect_title(to_latex(title))}
    _year_month(fields, context.date)
    fields["url"] = url
    # no author: styles sort (and natbib labels) such an entry by its key field, else they warn
    fields["key"] = to_latex(context.name or " ".join(title.split()[:3]))
    return Entry(key="", entry_type="misc", fields=fields, identity=frozenset({f"url:{url}"}), origin="context")
