"""Entries -> CSL-JSON, the format Zotero, Pandoc and citeproc read natively.

Written next to the ``.bib`` (``build --csl-json OUT.json``) with the same works,
keys as ``id``. Values are decoded from BibTeX to plain Unicode. Types follow what
Zotero's importer makes of them: an arXiv preprint is ``article`` with ``number`` =
the arXiv id and ``publisher`` = "arXiv" (a Zotero *Preprint* with its Archive ID),
even when a hand-written block calls it ``@article{..., journal = {arXiv preprint
arXiv:ID}}``; proceedings papers are ``paper-conference``, journal papers
``article-journal``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from tridentbib.identifiers import arxiv_id_from_text
from tridentbib.latex import collapse_whitespace, from_latex
from tridentbib.model import Entry
from tridentbib.names import Name, parse_bibtex_names

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: BibTeX entry type -> CSL type (arXiv preprints are decided separately)
TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "misc": "document",
}

#: BibTeX field -> CSL variable, decoded as text
TEXT_VARIABLES = {
    "title": "title",
    "abstract": "abstract",
    "volume": "volume",
    "edition": "edition",
    "series": "collection-title",
    "address": "publisher-place",
    "isbn": "ISBN",
    "issn": "ISSN",
}

_PREPRINT_JOURNAL = re.compile(r"^\s*(arxiv|corr)\b", re.IGNORECASE)


def format_csl_json(entries: Iterable[Entry]) -> str:
    """A CSL-JSON array of ``entries``, in their order, pretty-printed UTF-8."""
    return json.dumps([csl_item(entry) for entry in entries], ensure_ascii=False, indent=2) + "\n"


def csl_item(entry: Entry) -> dict[str, Any]:
    """One entry as a CSL-JSON item."""
    fields = {name.lower(): value for name, value in entry.fields.items() if value != ""}
    arxiv = arxiv_of(entry)
    item: dict[str, Any] = {"id": entry.key, "type": _csl_type(entry, fields, arxiv)}
    for name, variable in TEXT_VARIABLES.items():
        if name in fields:
            item[variable] = _text(fields[name])
    for role in ("author", "editor"):
        if role in fields:
            people = [_person(name) for name in parse_bibtex_names(fields[role]) if name != "others"]
            if people:
                item[role] = people
    container = fields.get("booktitle") or fields.get("journal")
    if container and not (item["type"] == "article" and _PREPRINT_JOURNAL.match(from_latex(container))):
        item["container-title"] = _text(container)
    issued = _date(fields)
    if issued:
        item["issued"] = {"date-parts": [issued]}
    if "pages" in fields:
        item["page"] = re.sub(r"\s*[-\u2013\u2014]+\s*", "-", _text(fields["pages"]))
    if item["type"] == "article" and arxiv:
        item["number"] = arxiv
        item["publisher"] = "arXiv"
    else:
        publisher = (
            fields.get("publisher") or fields.get("organization") or fields.get("institution") or fields.get("school")
        )
        if publisher:
            item["publisher"] = _text(publisher)
        if "number" in fields:
            item["number" if item["type"] == "report" else "issue"] = _text(fields["number"])
    if "doi" in fields:
        item["DOI"] = fields["doi"].strip()
    if "url" in fields:
        item["URL"] = fields["url"].strip()
    elif arxiv:
        item["URL"] = f"https://arxiv.org/abs/{arxiv}"
    if "howpublished" in fields and item["type"] in ("document", "manuscript"):
        item["genre"] = _text(fields["howpublished"])
    return item


def arxiv_of(entry: Entry) -> str:
    """The entry's arXiv id ("" when none): its eprint (when that is an arXiv eprint) or its identity."""
    fields = {name.lower(): value for name, value in entry.fields.items()}
    kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "arxiv").strip().lower()
    if fields.get("eprint") and kind == "arxiv":
        paper = arxiv_id_from_text(fields["eprint"])
        if paper is not None:
            return paper.id
    return next((ident.split(":", 1)[1] for ident in sorted(entry.identity) if ident.startswith("arxiv:")), "")


def _csl_type(entry: Entry, fields: dict[str, str], arxiv: str) -> str:
    """``article`` (preprint) for an arXiv paper with no venue of its own, else by entry type."""
    kind = entry.entry_type.lower()
    journal = from_latex(fields.get("journal", ""))
    if arxiv and (
        kind in ("misc", "unpublished", "online", "preprint")
        or (kind == "article" and (not journal or _PREPRINT_JOURNAL.match(journal)))
    ):
        return "article"
    return TYPES.get(kind, "document")


def _person(name: Name) -> dict[str, str]:
    if not (name.given or name.prefix or name.suffix):
        return {"literal": _text(name.family)}
    person = {"family": _text(name.family)}
    if name.given:
        person["given"] = _text(name.given)
    if name.prefix:
        person["non-dropping-particle"] = _text(name.prefix)
    if name.suffix:
        person["suffix"] = _text(name.suffix)
    return person


def _date(fields: dict[str, str]) -> list[int]:
    year = re.match(r"\s*(\d{4})", from_latex(fields.get("year", "")) or fields.get("date", ""))
    if not year:
        return []
    parts = [int(year.group(1))]
    month = fields.get("month", "").strip().lower()[:3]
    if month in MONTHS:
        parts.append(MONTHS.index(month) + 1)
    elif month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    return parts


def _text(latex: str) -> str:
    return collapse_whitespace(from_latex(latex))
