"""What venue a record names: Semantic Scholar and dblp answers, arXiv's own DOI and journal_ref.

A preprint server (arXiv, CoRR, bioRxiv...) is never a venue. Well-known venues get
their full proceedings or journal name from one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from tridentbib.latex import collapse_whitespace
from tridentbib.model import Venue
from tridentbib.steps.venues.journal_ref import JournalRef
from tridentbib.steps.venues.journal_ref import parse as parse_journal_ref
from tridentbib.venue_names import KnownVenue as _Known  # the one table of venue names
from tridentbib.venue_names import full_name as _full_name
from tridentbib.venue_names import known_venue as _known
from tridentbib.venue_names import words as _words

#: labels used in evidence texts and report lines
ARXIV, S2, DBLP = "arXiv", "Semantic Scholar", "dblp"


#: venue names that are preprint servers, not venues
_PREPRINT_SERVERS = frozenset(
    _words(n)
    for n in (
        "arXiv",
        "arXiv.org",
        "CoRR",
        "ArXiv",
        "bioRxiv",
        "medRxiv",
        "SSRN",
        "TechRxiv",
        "Research Square",
        "Preprints",
        "ChemRxiv",
        "PsyArXiv",
        "OSF Preprints",
    )
)

_CONFERENCE_WORDS = re.compile(
    r"\b(proc(?:eedings|\.)?|conference|conf\.|workshops?|symposium|meeting|congress|colloquium|summit|"
    r"icassp|interspeech|neurips|nips|icml|iclr|acl|emnlp|naacl|eacl|coling|cvpr|iccv|eccv|aaai|ijcai|kdd|sigir)\b",
    re.IGNORECASE,
)


def is_preprint_server(name: str) -> bool:
    """``arXiv.org``, ``CoRR``, ``ArXiv``, ``bioRxiv``...: a place for preprints, not a venue."""
    words = _words(name)
    return not words or words in _PREPRINT_SERVERS or words.startswith("arxiv") or words.startswith("corr ")


def _pages(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    return (
        re.sub(r"\s*[-\u2013\u2014]+\s*", "--", value)
        if re.fullmatch(r"\w+\s*[-\u2013\u2014]+\s*\w+", value)
        else value
    )


def venue_doi(value: Any) -> str:
    """A DOI as the source spells it, or "" (arXiv's own DataCite DOIs are not venue DOIs).
    Compare with :func:`same_doi`."""
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", str(value or "").strip(), flags=re.IGNORECASE)
    return "" if not doi.startswith("10.") or doi.lower().startswith("10.48550/") else doi


def same_doi(a: str, b: str) -> bool:
    """DOIs are case-insensitive."""
    return bool(a) and a.lower() == b.lower()


def venue_from_s2(record: Mapping[str, Any]) -> Venue | None:
    """The venue of a Semantic Scholar record, or None for none / a preprint server."""
    raw_venue = record.get("publicationVenue")
    pv: dict[str, Any] = raw_venue if isinstance(raw_venue, dict) else {}
    name = collapse_whitespace(str(pv.get("name") or record.get("venue") or ""))
    if is_preprint_server(name):
        return None
    year = str(record.get("year") or "")
    names = [name, *[str(a) for a in pv.get("alternate_names") or []], str(record.get("venue") or "")]
    known = next((k for k in map(_known, names) if k is not None), None)
    kind = str(pv.get("type") or "").lower()
    types = record.get("publicationTypes") or []
    if known is not None:
        entry_type = known.entry_type
    elif kind in ("conference", "journal"):
        entry_type = "inproceedings" if kind == "conference" else "article"
    elif "Conference" in types:
        entry_type = "inproceedings"
    elif "JournalArticle" in types:
        entry_type = "article"
    else:
        entry_type = "inproceedings" if _CONFERENCE_WORDS.search(name) else "article"
    raw_journal = record.get("journal")
    journal: dict[str, Any] = raw_journal if isinstance(raw_journal, dict) else {}
    volume = str(journal.get("volume") or "").strip()
    volume = "" if volume.lower().startswith("abs/") else volume
    doi = venue_doi((record.get("externalIds") or {}).get("DOI"))
    return Venue(
        entry_type=entry_type,
        name=_full_name(known, year) if known else name,
        year=year,
        source=S2,
        record=str(record.get("paperId") or ""),
        volume=volume,
        pages=_pages(journal.get("pages")),
        publisher=known.publisher if known else "",
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else "",
        short=known.short if known else "",
    )


def is_corr(hit: Mapping[str, Any]) -> bool:
    """A dblp record of arXiv itself (``journals/corr/...``, venue CoRR), or another informal one."""
    venues = [str(v) for v in hit.get("venue") or []]
    return (
        str(hit.get("key", "")).startswith("journals/corr/")
        or any(is_preprint_server(v) for v in venues)
        or str(hit.get("type", "")).startswith("Informal")
    )


def venue_from_dblp(hit: Mapping[str, Any]) -> Venue | None:
    """The venue of a normalised dblp hit (see :func:`~tridentbib.resolvers.dblp.normalise_hit`), or None."""
    if is_corr(hit) or not hit.get("venue"):
        return None
    kind = str(hit.get("type", ""))
    if not (kind.startswith("Conference") or kind.startswith("Journal")):
        return None  # editorship, books, data, informal publications
    raw = str(hit["venue"][0])
    year = str(hit.get("year") or "")
    known = _known(raw)
    findings = re.match(r"^(\w[\w-]*)\s*\(Findings\)$", raw)
    if findings:
        name, entry_type, publisher, short = (
            f"Findings of the Association for Computational Linguistics: {findings.group(1)} {year}".strip(),
            "inproceedings",
            "Association for Computational Linguistics",
            raw,
        )
    elif known is not None:
        name, entry_type, publisher, short = _full_name(known, year), known.entry_type, known.publisher, known.short
    else:
        name, entry_type, publisher, short = raw, ("article" if kind.startswith("Journal") else "inproceedings"), "", ""
    doi = venue_doi(hit.get("doi"))
    links = [str(e) for e in hit.get("ee") or [] if "arxiv.org" not in str(e).lower()]
    return Venue(
        entry_type=entry_type,
        name=name,
        year=year,
        source=DBLP,
        record=str(hit.get("key") or ""),
        volume=str(hit.get("volume") or "") if entry_type == "article" else "",
        number=str(hit.get("number") or "") if entry_type == "article" else "",
        pages=_pages(hit.get("pages")),
        publisher=publisher,
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else (links[0] if links else ""),
        short=short,
    )


# -- arXiv's own evidence: the DOI it lists, the venue its journal_ref names ----------------

#: the record id of a venue arXiv's journal_ref names without a DOI
JOURNAL_REF = "journal_ref"


@dataclass(frozen=True)
class ArxivReference:
    """What arXiv's own ``doi`` and ``journal_ref`` say about a paper's published version."""

    ref: JournalRef | None  #: the journal_ref read (None: arXiv lists none)
    doi: str  #: the venue DOI arXiv lists ("" for none, or arXiv's own DataCite DOI)
    venue: Venue | None  #: the venue, when that is evidence (see :func:`arxiv_reference`)
    why: str = ""  #: why the journal_ref is not evidence ("" when it is, or there is none)

    @property
    def shown(self) -> Venue:
        """The venue as candidate lines name it: the one read, or the reference as written."""
        if self.venue is not None:
            return self.venue
        assert self.ref is not None
        if self.ref.confident:
            return _venue_of(self.ref, self.doi)
        return Venue("misc", self.ref.text, "", ARXIV, self.doi or JOURNAL_REF, doi=self.doi)


def arxiv_reference(record: Mapping[str, Any]) -> ArxivReference:
    """arXiv's own word on where a paper was published, and whether it is evidence.

    The journal_ref is read by :func:`tridentbib.steps.venues.journal_ref.parse`. It names the
    venue when it reads with confidence and either arXiv lists the venue's DOI beside it,
    or it is a complete reference (name, year, and pages or volume and issue; not
    "accepted" or "to appear"): the authors' own statement on the very record, so no
    matching can go wrong, and one only a published paper can make. Otherwise ``why``
    says why not, and the preprint keeps the reference as written (``howpublished``).
    """
    doi = venue_doi(record.get("doi"))
    text = collapse_whitespace(str(record.get("journal_ref") or ""))
    if not text:
        return ArxivReference(None, doi, None)
    ref = parse_journal_ref(text)
    if not ref.confident:
        return ArxivReference(ref, doi, None, f"the journal_ref does not read with confidence ({ref.why})")
    if not doi and not ref.complete:
        missing = (
            "says accepted, not published"
            if ref.status
            else "gives no pages (nor volume and issue)"
            if ref.year
            else "gives no year"
        )
        return ArxivReference(
            ref, doi, None, f"arXiv lists no DOI, and the journal_ref is no complete reference ({missing})"
        )
    return ArxivReference(ref, doi, _venue_of(ref, doi))


def venue_from_arxiv(record: Mapping[str, Any]) -> Venue | None:
    """The venue arXiv's ``doi``/``journal_ref`` name, when that is evidence (:func:`arxiv_reference`); else None."""
    return arxiv_reference(record).venue


def _venue_of(ref: JournalRef, doi: str) -> Venue:
    """A journal_ref read with confidence as a Venue; well-known venues by their full names."""
    known = _known_name(ref.name)
    name, entry_type = (_full_name(known, ref.year), known.entry_type) if known else (ref.name, ref.entry_type)
    publisher = ref.publisher or (known.publisher if known else "")
    return Venue(
        entry_type,
        name,
        ref.year,
        ARXIV,
        doi or JOURNAL_REF,
        volume=ref.volume,
        number=ref.number,
        pages=ref.pages,
        publisher=publisher,
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else "",
        short=known.short if known else "",
    )


def _known_name(name: str) -> _Known | None:
    """The table entry for a name as authors write it: ``Proceedings of Interspeech``,
    ``2023 IEEE International ... (ICASSP)``, ``IEEE TASLP``."""
    bare = re.sub(r"^Proceedings of (?:the )?", "", name)
    bare = re.sub(r"^(?:19|20)\d{2}\s+", "", bare)
    for candidate in (name, bare, re.sub(r"^(?:IEEE/ACM|IEEE|ACM)\s+(?=[A-Z]+$)", "", bare)):
        known = _known(candidate)
        if known is not None:
            return known
    return None
