"""Source records -> BibTeX-shaped entries (one pure function per service).

Values come out LaTeX-ready, so the writer only has to enclose them: plain text
(OpenReview, dblp, the list itself) is escaped with ``to_latex``; arXiv's titles and
abstracts are TeX source and keep their markup (``safe_tex``); acronyms in titles
are protected. ``url``, ``doi`` and ``eprint`` are verbatim
fields for biber and Zotero and are never escaped.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone
from typing import Any

from tridentbib.bibtex_read import read_entries
from tridentbib.latex import protect_title, safe_tex, to_latex
from tridentbib.model import Context, Entry
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


def from_arxiv(record: dict[str, Any]) -> Entry:
    """An arXiv preprint as ``@misc`` with eprint fields Zotero and biblatex both understand."""
    ident = record["id"]
    published = record.get("published") or ""
    fields: dict[str, str] = {
        "title": protect_title(safe_tex(record["title"])),  # arXiv's metadata is TeX as the authors typed it
        "author": author_field([a["name"] for a in record.get("authors", [])]),
    }
    _year_month(fields, published)
    fields["eprint"] = ident
    fields["archivePrefix"] = "arXiv"
    fields["eprinttype"] = "arxiv"
    if record.get("primary_category"):
        fields["primaryClass"] = record["primary_category"]
    fields["doi"] = record.get("doi") or arxiv_doi(ident)
    fields["url"] = f"https://arxiv.org/abs/{ident}"
    if record.get("abstract"):
        fields["abstract"] = safe_tex(record["abstract"])
    identity = {f"arxiv:{ident}", f"doi:{arxiv_doi(ident).lower()}"}
    if record.get("doi"):
        identity.add(f"doi:{record['doi'].lower()}")
    return Entry(key="", entry_type="misc", fields=fields, identity=frozenset(identity), origin="arxiv")


# -- OpenReview ------------------------------------------------------------------

#: venue prefixes -> (entry type, container field, full proceedings/journal name or a function of the year)
_CONFERENCES: dict[str, tuple[str, str, object]] = {
    "ICLR": ("inproceedings", "booktitle", lambda year: f"The {_ordinal(year - 2012)} International Conference on Learning Representations"),
    "NeurIPS": ("inproceedings", "booktitle", lambda year: "Advances in Neural Information Processing Systems"),
    "TMLR": ("article", "journal", lambda year: "Transactions on Machine Learning Research"),
    "COLM": ("inproceedings", "booktitle", lambda year: "Conference on Language Modeling"),
}
_ORDINALS = "First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth Thirteenth Fourteenth Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth Twentieth".split()


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"


def decision(venueid: str, venue: str) -> str:
    """"accepted", "rejected", "withdrawn" or "under review", from OpenReview's venue fields."""
    tail = venueid.rsplit("/", 1)[-1].lower()
    if "withdrawn" in tail or "withdrawn" in venue.lower():
        return "withdrawn"
    if "rejected" in tail or "desk_rejected" in tail:
        return "rejected"
    if tail.endswith("submission") or venue.lower().startswith("submitted to"):
        return "under review"
    return "accepted" if venueid or venue else "under review"


def from_openreview(record: dict[str, Any]) -> Entry:
    """Accepted -> ``@inproceedings`` with the proceedings title; otherwise ``@misc`` saying so."""
    forum = record["id"]
    venue, venueid = record.get("venue", ""), record.get("venueid", "")
    status = decision(venueid, venue)
    ob = _openreview_bibtex(record.get("bibtex", ""))
    fields: dict[str, str] = {"title": protect_title(to_latex(record.get("title", ""))), "author": author_field(record.get("authors", []))}
    year = _venue_year(venueid, venue) or _ms_year(record.get("pdate") or record.get("odate") or record.get("cdate"))
    entry_type = "misc"
    if status == "accepted":
        series = (venueid.split(".", 1)[0] if venueid else venue.split(" ", 1)[0]) or ""
        known = next((v for k, v in _CONFERENCES.items() if series.lower().startswith(k.lower())), None)
        if known and year:
            entry_type, container, name = known
            fields[container] = name(int(year))  # type: ignore[operator]
        elif ob.get("booktitle") or ob.get("journal"):
            entry_type = "inproceedings" if ob.get("booktitle") else "article"
            container = "booktitle" if ob.get("booktitle") else "journal"
            fields[container] = ob[container]
        else:
            entry_type, fields["booktitle"] = "inproceedings", to_latex(venue)
    else:
        label = {"rejected": "not accepted", "withdrawn": "withdrawn", "under review": "under review"}[status]
        submitted = venue if venue.lower().startswith("submitted to") else (f"Submitted to {venue}" if venue else "Submitted to OpenReview")
        fields["howpublished"] = to_latex(f"{submitted} ({label})")
    if year:
        fields["year"] = year
    if status == "accepted":
        fields["publisher"] = "OpenReview.net"
    fields["url"] = f"https://openreview.net/forum?id={forum}"
    if record.get("abstract"):
        fields["abstract"] = to_latex(" ".join(record["abstract"].split()))
    return Entry(key="", entry_type=entry_type, fields=fields, identity=frozenset({f"openreview:{forum}"}), origin="openreview")


def _openreview_bibtex(text: str) -> dict[str, str]:
    """Fields of OpenReview's own ``_bibtex`` (its key is not ours)."""
    if not text.strip():
        return {}
    entries, _failures = read_entries(text)
    return entries[0]["fields"] if entries else {}


def _venue_year(venueid: str, venue: str) -> str:
    match = re.search(r"(?:^|[/ .])((?:19|20)\d{2})(?:[/ .]|$)", venueid) or re.search(r"\b((?:19|20)\d{2})\b", venue)
    return match.group(1) if match else ""


def _ms_year(epoch_ms: object) -> str:
    if not isinstance(epoch_ms, (int, float)):
        return ""
    return str(datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc).year)


# -- ACL Anthology ---------------------------------------------------------------

def from_acl(record: dict[str, Any]) -> Entry:
    """The Anthology's own entry, key and fields as it wrote them."""
    ident = record["id"]
    identity = {f"acl:{ident}"}
    if record["fields"].get("doi"):
        identity.add(f"doi:{record['fields']['doi'].lower()}")
    return Entry(key=record["key"], entry_type=record["entry_type"], fields=dict(record["fields"]), identity=frozenset(identity), origin="acl", macros=frozenset(record.get("macros", [])))


# -- dblp (fallback for OpenReview/ACL papers) ------------------------------------

def from_dblp(hit: dict[str, Any], identity: frozenset[str]) -> Entry:
    """A dblp record as ``@inproceedings``/``@article`` with its venue, for a paper we know by another id."""
    venue = hit["venue"][0] if hit.get("venue") else ""
    journal = hit.get("type", "").startswith("Journal")
    known = next((v for k, v in _CONFERENCES.items() if venue.lower().startswith(k.lower())), None)
    fields: dict[str, str] = {"title": protect_title(to_latex(hit["title"])), "author": author_field(hit.get("authors", []))}
    if known and hit.get("year", "").isdigit():
        entry_type, container, name = known
        fields[container] = name(int(hit["year"]))  # type: ignore[operator]
    else:
        entry_type, container = ("article", "journal") if journal else ("inproceedings", "booktitle")
        fields[container] = to_latex(venue)
    for name in ("year", "volume", "number", "pages"):
        if hit.get(name):
            fields[name] = hit[name].replace("-", "--") if name == "pages" and "--" not in hit[name] else hit[name]
    if hit.get("doi"):
        fields["doi"] = hit["doi"]
    if hit.get("ee"):
        fields["url"] = hit["ee"][0]
    extra = {f"doi:{hit['doi']}"} if hit.get("doi") else set()
    return Entry(key="", entry_type=entry_type, fields=fields, identity=identity | extra, origin="dblp")


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
