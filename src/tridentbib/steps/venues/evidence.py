"""The decision: which venue, if any, the evidence ties to a preprint (:func:`decide`), and what is only a candidate."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from tridentbib.latex import strip_accents, title_relation
from tridentbib.model import (
    Candidate as Candidate,  # they cross folders: model.py holds them
)
from tridentbib.names import parse_display_name
from tridentbib.steps.venues.records import (
    ARXIV,
    DBLP,
    S2,
    Venue,
    arxiv_reference,
    same_doi,
    venue_doi,
    venue_from_dblp,
    venue_from_s2,
)


@dataclass(frozen=True)
class Evidence:
    """Why a preprint may be cited as published: the venue and the link between the two."""

    venue: Venue
    basis: str  #: "S2 externalIds.ArXiv=2301.02111", "dblp ee https://arxiv.org/abs/...", ...
    rule: str  #: "doi", "id", "journal_ref" or "title+authors"

    @property
    def text(self) -> str:
        """``Semantic Scholar externalIds.ArXiv=2301.02111, venue ICASSP 2023``."""
        return f"{self.basis}, venue {self.venue.label}"


@dataclass(frozen=True)
class Verdict:
    """What the evidence for one preprint says."""

    evidence: Evidence | None
    candidates: tuple[Candidate, ...] = ()


def _v1_year(preprint: Mapping[str, Any]) -> str:
    return str(preprint.get("published") or "")[:4]


def _author_keys(names: Iterable[str]) -> list[str]:
    """``family + first initial``, ASCII lower case: ``Noam M. Shazeer`` and ``Noam Shazeer`` agree."""
    return [_author_key(str(display)) for display in names]


@functools.lru_cache(maxsize=65536)  # authors recur across a list (and across S2, dblp and arXiv)
def _author_key(display: str) -> str:
    name = parse_display_name(display)
    family = re.sub(r"[^a-z]", "", strip_accents(name.family).lower())
    given = re.sub(r"[^a-z]", "", strip_accents(name.given).lower())
    return f"{family} {given[:1]}"


def author_overlap(ours: list[str], theirs: list[str]) -> tuple[bool, str]:
    """(same first author and at least half of the longer list in common, a description)."""
    a, b = _author_keys(ours), _author_keys(theirs)
    if not a or not b:
        return False, "no authors to compare"
    pool = list(b)
    common = 0
    for key in a:
        if key in pool:
            pool.remove(key)
            common += 1
    first = a[0] == b[0]
    enough = 2 * common >= max(len(a), len(b))
    text = f"{common} of {max(len(a), len(b))} authors in common" + (
        "" if first else f", first author {theirs[0]} instead of {ours[0]}"
    )
    return first and enough, text


def _arxiv_link(links: Iterable[str], arxiv_id: str) -> str:
    """The link naming ``arxiv.org/abs/ID`` (or /pdf/), exactly that id, any version; else ""."""
    pattern = re.compile(rf"arxiv\.org/(?:abs|pdf)/{re.escape(arxiv_id.lower())}(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$")
    return next((link for link in links if pattern.search(str(link).lower())), "")


def _year_problem(venue: Venue, v1: str) -> str:
    if not venue.year.isdigit():
        return "the venue has no year"
    if v1.isdigit() and int(venue.year) < int(v1):
        return f"the venue's year {venue.year} is before the preprint's v1 ({v1})"
    return ""


def decide(
    preprint: Mapping[str, Any],
    s2: Mapping[str, Any] | None = None,
    dblp_hits: Iterable[Mapping[str, Any]] | None = None,
) -> Verdict:
    """The upgrade the evidence supports for one arXiv record (``resolvers.arxiv`` JSON), if any.

    When arXiv lists a DOI for the paper, that DOI is its published identity: an S2
    or dblp record carrying it is the strongest evidence (no year rule: arXiv's own
    word), a record carrying another DOI or none is only a candidate, and without
    such a record arXiv's ``journal_ref`` names the venue when it reads with
    confidence. Otherwise an identifier link (S2 ``externalIds.ArXiv``, the arXiv
    URL in dblp's ``ee``) comes first, then arXiv's ``journal_ref`` alone when it is
    a complete reference (rule ``journal_ref``, no year rule: arXiv's own word, like
    its DOI), then the title+authors rule; the id and title rules need a venue year
    not before the preprint's v1. A journal_ref that is not evidence is a candidate,
    dropped when other evidence settles the venue.
    """
    arxiv_id = str(preprint["id"])
    title = str(preprint.get("title") or "")
    authors = [str(a.get("name", "")) for a in preprint.get("authors") or [] if isinstance(a, dict)]
    v1 = _v1_year(preprint)
    listed_doi = venue_doi(preprint.get("doi"))
    found: list[Evidence] = []
    candidates: list[Candidate] = []

    def judge(venue: Venue, id_link: str, other_title: str, other_authors: list[str], record_label: str) -> None:
        relation = title_relation(title, other_title)
        shown = other_title if relation != "same" else ""
        if same_doi(listed_doi, venue.doi):
            found.append(Evidence(venue, f"{record_label} has doi {venue.doi}, the DOI arXiv lists", "doi"))
            return
        ok, overlap = author_overlap(authors, other_authors)
        if id_link:
            basis, rule = id_link, "id"
        elif relation == "same" and ok:
            basis, rule = f"{record_label}: same title, {overlap}, same first author", "title+authors"
        else:
            if relation == "same":
                candidates.append(Candidate(arxiv_id, venue, f"same title, but {overlap}"))
            elif relation:
                candidates.append(Candidate(arxiv_id, venue, f"the title differs ({overlap})", title=shown))
            return
        why = f"linked by {basis}" if rule == "id" else basis
        if listed_doi:
            has = f"has doi {venue.doi}" if venue.doi else "has no DOI"
            candidates.append(
                Candidate(
                    arxiv_id, venue, f"{why}, but arXiv lists doi {listed_doi} and this record {has}", title=shown
                )
            )
            return
        problem = _year_problem(venue, v1)
        if problem:
            candidates.append(Candidate(arxiv_id, venue, f"{why}, but {problem}", title=shown))
            return
        found.append(Evidence(venue, basis, rule))

    if s2 is not None:
        venue = venue_from_s2(s2)
        if venue is not None:
            linked = re.sub(r"v\d+$", "", str((s2.get("externalIds") or {}).get("ArXiv") or "")) == arxiv_id
            names = [
                a if isinstance(a, str) else str(a.get("name", ""))
                for a in s2.get("authors") or []
                if isinstance(a, (str, dict))
            ]
            judge(
                venue,
                f"{S2} externalIds.ArXiv={arxiv_id}" if linked else "",
                str(s2.get("title") or ""),
                names,
                f"{S2} record {venue.record}",
            )
    for hit in dblp_hits or []:
        venue = venue_from_dblp(hit)  # None for CoRR and other informal records: not venues
        if venue is not None:
            link = _arxiv_link(hit.get("ee") or [], arxiv_id)
            judge(
                venue,
                f"{DBLP} {venue.record} ee {link}" if link else "",
                str(hit.get("title") or ""),
                [str(a) for a in hit.get("authors") or []],
                f"{DBLP} {venue.record}",
            )
    own = arxiv_reference(preprint)
    if own.venue is not None:
        quoted = f'journal_ref "{own.ref.text}"' if own.ref is not None else "journal_ref"
        if own.doi:
            found.append(Evidence(own.venue, f"{ARXIV} lists doi {own.doi} with {quoted}", "doi"))
        else:
            found.append(Evidence(own.venue, f"{ARXIV} lists {quoted} (a complete reference, no DOI)", "journal_ref"))
    elif own.ref is not None:
        kept = f"kept as a preprint with doi {own.doi}" if own.doi else "kept as a preprint"
        candidates.append(Candidate(arxiv_id, own.shown, f"{own.why}; {kept}, the reference in howpublished"))
    if not found:
        return Verdict(None, tuple(candidates))
    chosen = min(
        found, key=lambda e: (_ORDER[e.rule], e.venue.source == ARXIV)
    )  # see _ORDER; on a tie, the S2/dblp record before arXiv's own word
    return Verdict(chosen, tuple(c for c in candidates if c.venue.record != chosen.venue.record and not _arxiv_own(c)))


#: which evidence wins: a DOI both sides name (arXiv's own first), an identifier link,
#: arXiv's journal_ref alone, a title match
_ORDER = {"doi": 0, "id": 1, "journal_ref": 2, "title+authors": 3}


def _arxiv_own(candidate: Candidate) -> bool:
    """A candidate from arXiv's own journal_ref: moot once other evidence settled the venue."""
    return candidate.venue.source == ARXIV
