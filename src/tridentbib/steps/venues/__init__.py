"""Published versions of arXiv preprints: find the venue, upgrade only on evidence, say why.

The failure this module exists to avoid is the false match (a paper titled "Deep
Learning" rewritten into an unrelated KDD paper), so a preprint becomes
``@inproceedings``/``@article`` only when the evidence ties the two together:

* an **identifier** links them: the arXiv id in Semantic Scholar's
  ``externalIds.ArXiv`` (with a venue that is not arXiv), the arXiv id in dblp's
  ``ee`` links, or the DOI arXiv itself lists for the paper (``arxiv:doi``, with
  a ``journal_ref`` that reads with confidence, or carried by the S2/dblp record); or
* arXiv's ``journal_ref`` alone, when it is a **complete reference** (name, year,
  and pages or volume and issue; not "accepted"): the authors' own statement on
  the record, read by :mod:`tridentbib.steps.venues.journal_ref`; or
* the **normalised titles are equal, the author lists overlap by at least half
  with the same first author, and the venue's year is not earlier than the
  preprint's v1**.

A ``journal_ref`` that is not evidence (not read with confidence, or incomplete
without a DOI) names no venue: the preprint keeps it as written in
``howpublished`` (:func:`tridentbib.resolvers.arxiv.from_arxiv`) and it is a candidate.

A venue dated before the preprint's v1 is not applied on an arXiv-id link either
(it is more often a merge error than a paper published before it was posted).
When arXiv lists a DOI, that DOI is the paper's published identity: a record with
another DOI, or none, is not applied (it may be the conference version of a
journal paper). Anything weaker -- a same-title record by other authors, a title
one word off, an early venue, a DOI that disagrees with arXiv's -- is reported as
a *candidate* and not applied. dblp's CoRR records and S2's ``arXiv.org`` venue
are not venues.

Sources and cost (``--venues``):

``fast`` (default)
    arXiv's own ``doi``/``journal_ref`` (already fetched) and one Semantic Scholar
    batch request per 500 papers (``cache/s2/<arxiv id>.json``). dblp answers
    already in the cache are used, never asked for.
``full``
    also dblp's publication search (by title), one request per paper no identifier settled,
    at least ``TRIDENTBIB_DBLP_DELAY`` seconds apart (``cache/dblp/arxiv%3A<id>.json``);
    progress through ``on_progress("dblp", done, total)``; interrupted runs
    resume from the cache, and a warm run is instant.
``off``
    no venue lookups. Papers whose venue was looked up by an earlier run (their
    S2/dblp answers are in the cache) keep the upgrade that evidence gives, so an
    upgrade once found stays in any mode.

The decision is a pure function of the cached answers (:func:`decide`), so every
run re-derives the same upgrades, and the upgrade itself (:func:`upgrade`) never
touches the cite key.
"""

from tridentbib.steps.venues.evidence import (
    Candidate,
    Evidence,
    Verdict,
    author_overlap,
    decide,
)
from tridentbib.steps.venues.journal_ref import JournalRef
from tridentbib.steps.venues.journal_ref import parse as parse_journal_ref
from tridentbib.steps.venues.records import (
    ArxivReference,
    Venue,
    arxiv_reference,
    is_preprint_server,
    venue_from_arxiv,
    venue_from_dblp,
    venue_from_s2,
)
from tridentbib.steps.venues.upgrade import upgrade

__all__ = [
    "ArxivReference",
    "Candidate",
    "Evidence",
    "JournalRef",
    "Venue",
    "Verdict",
    "arxiv_reference",
    "author_overlap",
    "decide",
    "is_preprint_server",
    "parse_journal_ref",
    "upgrade",
    "venue_from_arxiv",
    "venue_from_dblp",
    "venue_from_s2",
]
