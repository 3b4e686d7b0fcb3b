"""OpenReview records -> entries: the decision (accepted, rejected, withdrawn, under review),
venue names, imported records."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tridentbib.bibtex_read import read_entries
from tridentbib.entry_fields import author_field, month_macro
from tridentbib.identifiers import normalize_doi
from tridentbib.latex import (
    from_latex,
    normalize_title,
    protect_title,
    safe_tex,
    to_latex,
)
from tridentbib.model import Entry
from tridentbib.venue_names import CONFERENCES


def decision(venueid: str, venue: str) -> str:
    """ "accepted", "rejected", "withdrawn" or "under review", from OpenReview's venue fields."""
    tail = venueid.rsplit("/", 1)[-1].lower()
    if "withdrawn" in tail or "withdrawn" in venue.lower():
        return "withdrawn"
    if "rejected" in tail or "desk_rejected" in tail:
        return "rejected"
    if tail.endswith("submission") or venue.lower().startswith("submitted to"):
        return "under review"
    return "accepted" if venueid or venue else "under review"


#: ``_bibtex`` types that name a published paper (``@conference`` is BibTeX's old ``@inproceedings``)
_PUBLISHED_TYPES = frozenset({"inproceedings", "conference", "article", "incollection"})


def legacy_decision(record: dict[str, Any], bibtex: dict[str, Any]) -> str:
    """The decision for a note without ``venue`` and ``venueid`` (API v1, e.g. ICLR 2018),
    from its invitation and ``_bibtex``.

    OpenReview wrote those notes' decision only into their ``_bibtex``:

    * an invitation ending ``Withdrawn_Submission`` -> "withdrawn"; ``Rejected_Submission`` or
      ``Desk_Rejected_Submission`` -> "rejected";
    * no readable ``_bibtex`` -> "under review" (nothing says more);
    * ``@inproceedings``/``@conference``/``@article``/``@incollection`` with a ``booktitle`` or
      ``journal`` that does not start "Submitted to", no ``note`` saying "under review" and authors
      other than "Anonymous" -> "accepted" (ICLR 2018's accepted ``ICLR.cc/2018/Conference/-/Blind_Submission``
      notes: ``booktitle={International Conference on Learning Representations}`` with the authors' names);
    * anything else -> "rejected": an ``@misc``, a "Submitted to ..." container, ``note={under review}``
      or ``author={Anonymous}`` is the blind record of a submission its venue never published, and API
      v1 only serves venues that closed years ago (up to ~2023), so it is no longer under review.
    """
    for invitation in record.get("invitations") or []:
        tail = invitation.rsplit("/-/", 1)[-1].lower()
        if "withdrawn" in tail:
            return "withdrawn"
        if "rejected" in tail:
            return "rejected"
    if not bibtex:
        return "under review"
    fields = bibtex["fields"]
    container = fields.get("booktitle") or fields.get("journal") or ""
    authors = {
        name.strip().lower() for name in re.split(r"\s+and\s+", fields.get("author", "").strip()) if name.strip()
    }
    anonymous = authors == {"anonymous"}
    if (
        bibtex["entry_type"] in _PUBLISHED_TYPES
        and container
        and not container.lower().startswith("submitted to")
        and "under review" not in fields.get("note", "").lower()
        and not anonymous
    ):
        return "accepted"
    return "rejected"


def from_openreview(record: dict[str, Any]) -> Entry:
    """Accepted -> ``@inproceedings`` with the proceedings title; otherwise ``@misc`` saying so.

    A record OpenReview imported from dblp or ORCID (:func:`is_imported`) is shaped from
    its ``_bibtex`` instead (:func:`_from_imported`); a note without ``venue``/``venueid``
    takes its decision from its invitation and ``_bibtex`` (:func:`legacy_decision`), its
    series and year from its invitation's group (``ICLR.cc/2018/Conference``).
    """
    if is_imported(record):
        return _from_imported(record)
    forum = record["id"]
    venue, venueid = record.get("venue", ""), record.get("venueid", "")
    bibtex = _openreview_bibtex(record.get("bibtex", ""))
    ob = bibtex.get("fields", {})
    year = ""
    conference = True  # the series names a main conference (not a workshop): its proceedings' name is known
    if venue or venueid:
        status = decision(venueid, venue)
    else:
        status = legacy_decision(record, bibtex)
        venueid = _invitation_group(record)  # "ICLR.cc/2018/Conference" stands in for the venueid
        conference = venueid.endswith("/Conference")
        venue = _group_venue(venueid) or re.sub(
            r"(?i)^submitted to\s+", "", ob.get("booktitle") or ob.get("journal") or ""
        )
        year = _venue_year(venueid, venue) or (ob.get("year", "") if ob.get("year", "").isdigit() else "")
    fields: dict[str, str] = {
        "title": protect_title(to_latex(record.get("title", ""))),
        "author": author_field(record.get("authors", [])),
    }
    year = (
        year
        or _venue_year(venueid, venue)
        or _ms_year(record.get("pdate") or record.get("odate") or record.get("cdate"))
    )
    entry_type = "misc"
    if status == "accepted":
        series = (venueid.split(".", 1)[0] if venueid else venue.split(" ", 1)[0]) or ""
        known = (
            next((v for k, v in CONFERENCES.items() if series.lower().startswith(k.lower())), None)
            if conference
            else None
        )
        if known and year:
            entry_type, container, name = known
            fields[container] = name(int(year))  # type: ignore[operator]
        elif ob.get("booktitle") or ob.get("journal"):
            entry_type = "inproceedings" if ob.get("booktitle") else "article"
            container = "booktitle" if ob.get("booktitle") else "journal"
            fields[container] = safe_tex(ob[container])  # _bibtex values are BibTeX content already
        else:
            entry_type, fields["booktitle"] = "inproceedings", to_latex(venue)
    else:
        label = {"rejected": "not accepted", "withdrawn": "withdrawn", "under review": "under review"}[status]
        submitted = (
            venue
            if venue.lower().startswith("submitted to")
            else (f"Submitted to {venue}" if venue else "Submitted to OpenReview")
        )
        fields["howpublished"] = to_latex(f"{submitted} ({label})")
    if year:
        fields["year"] = year
    if status == "accepted":
        fields["publisher"] = "OpenReview.net"
    fields["url"] = f"https://openreview.net/forum?id={forum}"
    if record.get("abstract"):
        fields["abstract"] = to_latex(" ".join(record["abstract"].split()))
    return Entry(
        key="", entry_type=entry_type, fields=fields, identity=frozenset({f"openreview:{forum}"}), origin="openreview"
    )


# -- OpenReview: records imported from dblp and ORCID ---------------------------------

#: groups (``venueid``, invitation prefixes) of records OpenReview imported or archives, not a venue's submissions
_IMPORT_GROUPS = ("dblp.org", "openreview.net/public_article", "openreview.net/archive")
#: entry types an imported ``_bibtex`` keeps; any other becomes ``@misc``
_ENTRY_TYPES = frozenset(
    {
        "article",
        "book",
        "booklet",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
    }
)
#: ``_bibtex`` fields an imported record keeps, in this order (title, authors and abstract come from the note;
#: dblp's ``cdate``, ORCID's ``language``, keys and the like are dropped)
_IMPORTED_FIELDS = (
    "journal",
    "booktitle",
    "howpublished",
    "editor",
    "series",
    "year",
    "month",
    "volume",
    "number",
    "pages",
    "publisher",
    "address",
    "organization",
    "school",
    "institution",
    "doi",
    "url",
)
#: fields kept as written (identifiers and links)
_IMPORTED_VERBATIM = frozenset({"doi", "url"})
_DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
_PROFILE_URL = re.compile(r"^https?://(?:[\w-]+\.)*(?:dblp\.org|orcid\.org)/", re.IGNORECASE)


def is_imported(record: dict[str, Any]) -> bool:
    """A record OpenReview imported (dblp, ORCID) or archives for an author, not a venue's submission.

    Any of: a ``venueid`` under ``dblp.org/`` (``dblp.org/journals/NN/2024``) or
    ``OpenReview.net/Public_Article``/``OpenReview.net/Archive``; an invitation of those
    groups or any ``.../-/Record`` one (``dblp.org/-/record``, ``DBLP.org/-/Record``,
    ``OpenReview.net/Public_Article/ORCID.org/-/Record``); an ``authorids`` entry that is a
    dblp or ORCID URL; a ``venue`` that is the paper's own title (ORCID imports).
    """
    if _in_import_group(record.get("venueid", "")):
        return True
    for invitation in record.get("invitations") or []:
        if invitation.lower().endswith("/-/record") or _in_import_group(invitation.split("/-/", 1)[0]):
            return True
    if any(_PROFILE_URL.match(author_id) for author_id in record.get("authorids") or []):
        return True
    venue = record.get("venue", "")
    return bool(venue.strip()) and normalize_title(venue) == normalize_title(record.get("title", ""))


def _in_import_group(group: str) -> bool:
    group = group.lower()
    return any(group == prefix or group.startswith(prefix + "/") for prefix in _IMPORT_GROUPS)


def _from_imported(record: dict[str, Any]) -> Entry:
    """An imported record as its ``_bibtex`` says: entry type, journal/booktitle, volume, number, pages, DOI, URL, year.

    ``_bibtex`` values are BibTeX content already and are only made safe (``safe_tex``);
    ``doi`` and ``url`` stay verbatim. A container that is the paper's own title (ORCID
    imports repeat it) is dropped, and so is ``publisher = {OpenReview.net}``: OpenReview
    hosts the record, it did not publish the paper. No DOI in ``_bibtex``: one from its
    doi.org ``url`` (dblp) or the note's ``externalIds``. No ``_bibtex``: ``@misc`` with the venue.
    """
    forum = record["id"]
    bibtex = _openreview_bibtex(record.get("bibtex", ""))
    ob = bibtex.get("fields", {})
    title = record.get("title", "") or from_latex(ob.get("title", ""))
    title_key = normalize_title(title)
    fields: dict[str, str] = {
        "title": protect_title(to_latex(title)),
        "author": author_field(record.get("authors", [])),
    }
    entry_type = {"conference": "inproceedings"}.get(bibtex.get("entry_type", ""), bibtex.get("entry_type", ""))
    if entry_type not in _ENTRY_TYPES:
        entry_type = "misc"
    values = dict(ob)
    if not values.get("year", "").strip().isdigit():
        values["year"] = _venue_year(record.get("venueid", ""), "") or _ms_year(
            record.get("pdate") or record.get("cdate")
        )
    venue = record.get("venue", "")
    if not bibtex and venue and normalize_title(venue) != title_key:
        fields["howpublished"] = to_latex(venue)  # the note's venue is plain text
    for name in _IMPORTED_FIELDS:
        value = values.get(name, "").strip()
        if not value:
            continue
        if name in ("journal", "booktitle", "howpublished", "series") and normalize_title(value) == title_key:
            continue
        if name == "publisher" and normalize_title(value) in ("openreview net", "openreview"):
            continue
        if name == "month":
            value = month_macro(value)
        elif name == "pages" and "--" not in value:
            value = re.sub(r"\s*[-\u2013]\s*", "--", value)
        elif name == "doi":
            value = _DOI_URL.sub("", value)
        if value:
            fields[name] = value if name in _IMPORTED_VERBATIM or name == "month" else safe_tex(value)
    url = fields.pop("url", "") or f"https://openreview.net/forum?id={forum}"  # written after the doi
    if "doi" not in fields:
        doi = _imported_doi(ob.get("url", ""), record.get("external_ids") or [])
        if doi:
            fields["doi"] = doi
    fields["url"] = url
    if record.get("abstract"):
        fields["abstract"] = to_latex(" ".join(record["abstract"].split()))
    elif ob.get("abstract"):
        fields["abstract"] = safe_tex(ob["abstract"])
    identity = {f"openreview:{forum}"}
    if fields.get("doi") and normalize_doi(fields["doi"]):
        identity.add(f"doi:{normalize_doi(fields['doi'])}")
    return Entry(key="", entry_type=entry_type, fields=fields, identity=frozenset(identity), origin="openreview")


def _imported_doi(url: str, external_ids: list[str]) -> str:
    """The DOI of a doi.org ``url`` (as written), else of a ``doi:...`` external id."""
    candidates = [_DOI_URL.sub("", url)] if _DOI_URL.match(url) else []
    candidates += [ident[4:] for ident in external_ids if ident.lower().startswith("doi:")]
    return next((doi for doi in candidates if normalize_doi(doi)), "")


def _invitation_group(record: dict[str, Any]) -> str:
    """The group of the note's first invitation:
    ``ICLR.cc/2018/Conference/-/Blind_Submission`` -> ``ICLR.cc/2018/Conference``."""
    return next(
        (invitation.split("/-/", 1)[0] for invitation in record.get("invitations") or [] if "/-/" in invitation), ""
    )


def _group_venue(group: str) -> str:
    """``ICLR.cc/2018/Conference`` -> ``ICLR 2018``; ``ICLR.cc/2018/Workshop`` -> ``ICLR 2018 Workshop``."""
    parts = [part for part in group.split("/") if part]
    if not parts:
        return ""
    name = re.sub(r"\.(?:cc|org|net|io|com|ai)$", "", parts[0], flags=re.IGNORECASE)
    return " ".join([name, *(part.replace("_", " ") for part in parts[1:] if part != "Conference")])


def _openreview_bibtex(text: str) -> dict[str, Any]:
    """OpenReview's own ``_bibtex`` as ``{"entry_type", "fields", ...}``
    (:func:`~tridentbib.bibtex_read.read_entries`; its key is not ours), or {}."""
    if not text.strip():
        return {}
    entries, _failures = read_entries(text)
    return entries[0] if entries else {}


def _venue_year(venueid: str, venue: str) -> str:
    match = re.search(r"(?:^|[/ .])((?:19|20)\d{2})(?:[/ .]|$)", venueid) or re.search(r"\b((?:19|20)\d{2})\b", venue)
    return match.group(1) if match else ""


def _ms_year(epoch_ms: object) -> str:
    if not isinstance(epoch_ms, (int, float)):
        return ""
    return str(datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).year)
