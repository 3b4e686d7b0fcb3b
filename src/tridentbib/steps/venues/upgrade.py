"""The upgrade itself: a preprint entry rewritten as its published form, key unchanged (:func:`upgrade`)."""

from __future__ import annotations

import re
from dataclasses import replace

from tridentbib.latex import collapse_whitespace, from_latex, safe_tex, to_latex
from tridentbib.model import Entry
from tridentbib.steps.venues.evidence import Evidence
from tridentbib.steps.venues.records import venue_doi

#: fields that only describe a preprint and go when the entry becomes a venue entry
_PREPRINT_ONLY = (
    "howpublished",
    "note",
    "journal",
    "booktitle",
    "month",
    "publisher",
    "volume",
    "number",
    "pages",
    "type",
)
_FIELD_ORDER = ("title", "author", "booktitle", "journal", "year", "volume", "number", "pages", "publisher")


def upgrade(
    entry: Entry, evidence: Evidence, arxiv_id: str = "", primary_class: str = "", journal_ref: str = ""
) -> Entry:
    """The published form of a preprint entry: same key, venue fields, the arXiv id kept as eprint.

    Pure: returns a new Entry. ``howpublished``/``note``/``journal`` that name arXiv,
    the ``howpublished`` that carried arXiv's ``journal_ref`` (the venue fields say it
    now) and the preprint's ``month`` go; the arXiv DataCite DOI gives way to the
    venue's DOI (or goes, when the venue has none); the ``url`` becomes the venue's
    when known.
    """
    venue = evidence.venue
    fields = dict(entry.fields)
    lowered = {name.lower(): name for name in fields}
    for name in _PREPRINT_ONLY:
        original = lowered.get(name)
        if original is None:
            continue
        if (
            name in ("howpublished", "note")
            and "arxiv" not in fields[original].lower()
            and not (name == "howpublished" and _carries(fields[original], journal_ref))
        ):
            continue
        del fields[original]
    venue_fields: dict[str, str] = {venue.container: to_latex(venue.name)}
    venue_fields["year"] = venue.year or fields.get("year", "")
    for name in ("volume", "number", "pages", "publisher"):
        value = getattr(venue, name)
        if value:
            venue_fields[name] = value if name == "pages" else to_latex(value)
    doi_name = lowered.get("doi", "doi")
    if venue.doi:
        fields[doi_name] = venue.doi
    elif not venue_doi(fields.get(doi_name)):
        fields.pop(doi_name, None)  # arXiv's own DataCite DOI: the eprint fields say that already
    if venue.url:
        fields[lowered.get("url", "url")] = venue.url
    eprint = re.sub(r"v\d+$", "", fields.get(lowered.get("eprint", "eprint"), "")) or arxiv_id
    if eprint:
        fields[lowered.get("eprint", "eprint")] = eprint
        if "archiveprefix" not in lowered:
            fields["archivePrefix"] = "arXiv"
        if "eprinttype" not in lowered:
            fields["eprinttype"] = "arxiv"
        if primary_class and "primaryclass" not in lowered:
            fields["primaryClass"] = primary_class
    ordered: dict[str, str] = {}
    for name in _FIELD_ORDER:
        if venue_fields.get(name):
            ordered[name] = venue_fields[name]
        elif name in fields:
            ordered[name] = fields[name]
    for name, value in fields.items():
        if name not in ordered and name.lower() != "year":
            ordered[name] = value
    identity = entry.identity | ({f"doi:{venue.doi.lower()}"} if venue.doi else set())
    notes = [*entry.notes, f"venue: @{venue.entry_type} {venue.label} (evidence: {evidence.basis})"]
    return replace(entry, entry_type=venue.entry_type, fields=ordered, identity=identity, notes=notes)


def _carries(value: str, journal_ref: str) -> bool:
    """Does a ``howpublished`` value hold arXiv's journal_ref
    (as :func:`tridentbib.resolvers.arxiv.from_arxiv` writes it)?"""
    text = collapse_whitespace(journal_ref)
    return bool(text) and (
        value == safe_tex(text)
        or collapse_whitespace(from_latex(value)) == collapse_whitespace(from_latex(safe_tex(text)))
    )
