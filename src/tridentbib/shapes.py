"""Source records -> BibTeX-shaped entries (one pure function per service).

Values come out LaTeX-ready (specials escaped, acronyms protected in titles), so
the writer only has to enclose them. ``url``, ``doi`` and ``eprint`` are verbatim
fields for biber and Zotero and are never escaped.
"""

from __future__ import annotations

from typing import Any

from tridentbib.latex import to_latex, protect_title
from tridentbib.model import Entry
from tridentbib.names import parse_display_name

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def arxiv_doi(arxiv_id: str) -> str:
    """The DataCite DOI arXiv assigns to every paper."""
    return f"10.48550/arXiv.{arxiv_id}"


def author_field(display_names: list[str]) -> str:
    """``First Last`` names -> a BibTeX author list ``Last, First and ...``, all of them, in order."""
    return " and ".join(to_latex_name(parse_display_name(name).bibtex()) for name in display_names if name.strip())


def to_latex_name(bibtex_name: str) -> str:
    """Escape specials in one already-ordered name, keeping its protective braces."""
    if bibtex_name.startswith("{") and bibtex_name.endswith("}"):
        return "{" + to_latex(bibtex_name[1:-1]) + "}"
    return to_latex(bibtex_name)


def from_arxiv(record: dict[str, Any]) -> Entry:
    """An arXiv preprint as ``@misc`` with eprint fields Zotero and biblatex both understand."""
    ident = record["id"]
    published = record.get("published") or ""
    fields: dict[str, str] = {
        "title": protect_title(to_latex(record["title"])),
        "author": author_field([a["name"] for a in record.get("authors", [])]),
    }
    if published[:4].isdigit():
        fields["year"] = published[:4]
        month = int(published[5:7]) if published[5:7].isdigit() else 0
        if 1 <= month <= 12:
            fields["month"] = MONTHS[month - 1]
    fields["eprint"] = ident
    fields["archivePrefix"] = "arXiv"
    fields["eprinttype"] = "arxiv"
    if record.get("primary_category"):
        fields["primaryClass"] = record["primary_category"]
    fields["doi"] = record.get("doi") or arxiv_doi(ident)
    fields["url"] = f"https://arxiv.org/abs/{ident}"
    if record.get("abstract"):
        fields["abstract"] = to_latex(record["abstract"])
    identity = {f"arxiv:{ident}", f"doi:{arxiv_doi(ident).lower()}"}
    if record.get("doi"):
        identity.add(f"doi:{record['doi'].lower()}")
    return Entry(key="", entry_type="misc", fields=fields, identity=frozenset(identity), origin="arxiv")
