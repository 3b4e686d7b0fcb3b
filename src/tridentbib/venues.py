"""Published versions of arXiv preprints: find the venue, upgrade only on evidence, say why.

The failure this module exists to avoid is the false match (a paper titled "Deep
Learning" rewritten into an unrelated KDD paper), so a preprint becomes
``@inproceedings``/``@article`` only when the evidence ties the two together:

* an **identifier** links them: the arXiv id in Semantic Scholar's
  ``externalIds.ArXiv`` (with a venue that is not arXiv), the arXiv id in dblp's
  ``ee`` links, or the DOI arXiv itself lists for the paper (``arxiv:doi``, with
  its ``journal_ref`` naming the venue, or carried by the S2/dblp record); or
* the **normalised titles are equal, the author lists overlap by at least half
  with the same first author, and the venue's year is not earlier than the
  preprint's v1**.

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

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import urlencode

from tridentbib.cache import DiskCache, NotFound, utc_now
from tridentbib.http import WaitListener
from tridentbib.identifiers import Kind, PaperId
from tridentbib.latex import collapse_whitespace, normalize_title, strip_accents, to_latex
from tridentbib.model import Entry, Lookup, Record
from tridentbib.names import parse_display_name
from tridentbib.resolvers.interface import Found
from tridentbib.resolution import Policy, ProgressListener
from tridentbib.settings import Settings
from tridentbib import shapes

MODES = ("fast", "full", "off")
FAST, FULL, OFF = MODES
#: the service name progress is reported under for the per-paper dblp search
DBLP_PROGRESS = "dblp"
#: labels used in evidence texts and report lines
ARXIV, S2, DBLP = "arXiv", "Semantic Scholar", "dblp"


# -- venues -------------------------------------------------------------------------


@dataclass(frozen=True)
class Venue:
    """Where a paper was published, as one source describes it (plain text, not LaTeX)."""

    entry_type: str  #: "inproceedings" or "article"
    name: str  #: booktitle or journal
    year: str
    source: str  #: ARXIV, S2 or DBLP
    record: str  #: the source's id of the record: S2 paperId, dblp key, the DOI arXiv lists
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str = ""
    url: str = ""
    short: str = ""  #: an abbreviation for report lines ("ICASSP")

    @property
    def container(self) -> str:
        """The BibTeX field the venue name goes in."""
        return "booktitle" if self.entry_type == "inproceedings" else "journal"

    @property
    def label(self) -> str:
        """``ICASSP 2023`` for report lines (the name alone when it already holds the year)."""
        name = self.short or self.name
        return name if self.year and self.year in name else f"{name} {self.year}".strip()


@dataclass(frozen=True)
class _Known:
    short: str
    name: str
    entry_type: str
    publisher: str
    aliases: tuple[str, ...] = ()


#: Venues speech/NLP/ML lists cite most, by the names dblp (abbreviations) and S2 (full names) use.
_KNOWN = (
    _Known("ICASSP", "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)", "inproceedings", "IEEE",
           ("IEEE International Conference on Acoustics, Speech, and Signal Processing", "International Conference on Acoustics, Speech, and Signal Processing")),
    _Known("Interspeech", "Interspeech", "inproceedings", "ISCA", ("INTERSPEECH", "Conference of the International Speech Communication Association")),
    _Known("ASRU", "IEEE Automatic Speech Recognition and Understanding Workshop (ASRU)", "inproceedings", "IEEE", ("Automatic Speech Recognition & Understanding",)),
    _Known("SLT", "IEEE Spoken Language Technology Workshop (SLT)", "inproceedings", "IEEE", ("Spoken Language Technology Workshop",)),
    _Known("ACL", "Proceedings of the Annual Meeting of the Association for Computational Linguistics (ACL)", "inproceedings", "Association for Computational Linguistics",
           ("Annual Meeting of the Association for Computational Linguistics",)),
    _Known("EMNLP", "Proceedings of the Conference on Empirical Methods in Natural Language Processing (EMNLP)", "inproceedings", "Association for Computational Linguistics",
           ("Conference on Empirical Methods in Natural Language Processing",)),
    _Known("NAACL", "Proceedings of the Conference of the North American Chapter of the Association for Computational Linguistics (NAACL)", "inproceedings",
           "Association for Computational Linguistics", ("NAACL-HLT", "North American Chapter of the Association for Computational Linguistics")),
    _Known("EACL", "Proceedings of the Conference of the European Chapter of the Association for Computational Linguistics (EACL)", "inproceedings",
           "Association for Computational Linguistics", ("Conference of the European Chapter of the Association for Computational Linguistics",)),
    _Known("COLING", "Proceedings of the International Conference on Computational Linguistics (COLING)", "inproceedings",
           "International Committee on Computational Linguistics", ("International Conference on Computational Linguistics",)),
    _Known("ICML", "Proceedings of the International Conference on Machine Learning (ICML)", "inproceedings", "PMLR", ("International Conference on Machine Learning",)),
    _Known("NeurIPS", "Advances in Neural Information Processing Systems", "inproceedings", "Curran Associates, Inc.", ("NIPS", "Neural Information Processing Systems")),
    _Known("ICLR", "International Conference on Learning Representations", "inproceedings", "OpenReview.net", ("International Conference on Learning Representations",)),
    _Known("TMLR", "Transactions on Machine Learning Research", "article", "", ("Trans. Mach. Learn. Res.",)),
    _Known("COLM", "Conference on Language Modeling", "inproceedings", "", ()),
    _Known("AAAI", "Proceedings of the AAAI Conference on Artificial Intelligence", "inproceedings", "AAAI Press", ("AAAI Conference on Artificial Intelligence",)),
    _Known("IJCAI", "Proceedings of the International Joint Conference on Artificial Intelligence (IJCAI)", "inproceedings", "ijcai.org", ("International Joint Conference on Artificial Intelligence",)),
    _Known("CVPR", "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)", "inproceedings", "IEEE", ("Computer Vision and Pattern Recognition",)),
    _Known("ICCV", "IEEE/CVF International Conference on Computer Vision (ICCV)", "inproceedings", "IEEE", ("IEEE International Conference on Computer Vision",)),
    _Known("KDD", "Proceedings of the ACM SIGKDD Conference on Knowledge Discovery and Data Mining (KDD)", "inproceedings", "ACM", ("Knowledge Discovery and Data Mining",)),
    _Known("TASLP", "IEEE/ACM Transactions on Audio, Speech, and Language Processing", "article", "IEEE",
           ("IEEE ACM Trans. Audio Speech Lang. Process.", "IEEE/ACM Transactions on Audio Speech and Language Processing")),
    _Known("TACL", "Transactions of the Association for Computational Linguistics", "article", "MIT Press", ("Trans. Assoc. Comput. Linguistics",)),
    _Known("JMLR", "Journal of Machine Learning Research", "article", "", ("J. Mach. Learn. Res.",)),
)


@functools.lru_cache(maxsize=4096)  # venue names repeat across a list
def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", strip_accents(text).lower()))


_KNOWN_BY_NAME = {_words(name): known for known in _KNOWN for name in (known.short, known.name, *known.aliases)}

#: venue names that are preprint servers, not venues
_PREPRINT_SERVERS = frozenset(_words(n) for n in ("arXiv", "arXiv.org", "CoRR", "ArXiv", "bioRxiv", "medRxiv", "SSRN", "TechRxiv", "Research Square", "Preprints", "ChemRxiv", "PsyArXiv", "OSF Preprints"))

_CONFERENCE_WORDS = re.compile(r"\b(proc(?:eedings|\.)?|conference|conf\.|workshops?|symposium|meeting|congress|colloquium|summit|"
                               r"icassp|interspeech|neurips|nips|icml|iclr|acl|emnlp|naacl|eacl|coling|cvpr|iccv|eccv|aaai|ijcai|kdd|sigir)\b", re.IGNORECASE)


def is_preprint_server(name: str) -> bool:
    """``arXiv.org``, ``CoRR``, ``ArXiv``, ``bioRxiv``...: a place for preprints, not a venue."""
    words = _words(name)
    return not words or words in _PREPRINT_SERVERS or words.startswith("arxiv") or words.startswith("corr ")


@functools.lru_cache(maxsize=4096)
def _known(name: str) -> _Known | None:
    """The table entry for a venue name: ``ACL (1)`` (a dblp volume) and ``... Processing (ICASSP)`` included."""
    return _KNOWN_BY_NAME.get(_words(re.sub(r"\s*\((?:\d+|[A-Z][A-Z0-9&-]+)\)\s*$", "", name)))


def _full_name(known: _Known, year: str) -> str:
    """The proceedings/journal name, through shapes' OpenReview table where it has one (ICLR's ordinal)."""
    series = shapes._CONFERENCES.get(known.short)
    if series is not None and year.isdigit():
        return series[2](int(year))  # type: ignore[operator]
    return known.name


def _pages(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    return re.sub(r"\s*[-\u2013\u2014]+\s*", "--", value) if re.fullmatch(r"\w+\s*[-\u2013\u2014]+\s*\w+", value) else value


def _doi(value: Any) -> str:
    """A DOI as the source spells it, or "" (arXiv's own DataCite DOIs are not venue DOIs). Compare with :func:`_same_doi`."""
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", str(value or "").strip(), flags=re.IGNORECASE)
    return "" if not doi.startswith("10.") or doi.lower().startswith("10.48550/") else doi


def _same_doi(a: str, b: str) -> bool:
    """DOIs are case-insensitive."""
    return bool(a) and a.lower() == b.lower()


def venue_from_s2(record: Mapping[str, Any]) -> Venue | None:
    """The venue of a Semantic Scholar record, or None for none / a preprint server."""
    pv = record.get("publicationVenue") if isinstance(record.get("publicationVenue"), dict) else {}
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
    journal = record.get("journal") if isinstance(record.get("journal"), dict) else {}
    volume = str(journal.get("volume") or "").strip()
    volume = "" if volume.lower().startswith("abs/") else volume
    doi = _doi((record.get("externalIds") or {}).get("DOI"))
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
    return str(hit.get("key", "")).startswith("journals/corr/") or any(is_preprint_server(v) for v in venues) or str(hit.get("type", "")).startswith("Informal")


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
        name, entry_type, publisher, short = f"Findings of the Association for Computational Linguistics: {findings.group(1)} {year}".strip(), "inproceedings", "Association for Computational Linguistics", raw
    elif known is not None:
        name, entry_type, publisher, short = _full_name(known, year), known.entry_type, known.publisher, known.short
    else:
        name, entry_type, publisher, short = raw, ("article" if kind.startswith("Journal") else "inproceedings"), "", ""
    doi = _doi(hit.get("doi"))
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

_JR_PAGES = re.compile(r"[,;.]?\s*\(?\s*(?:pp?\.|pages?)\s*(\d+)\s*[-\u2013\u2014]+\s*(\d+)\s*\)?", re.IGNORECASE)
_JR_VOLUME = re.compile(r"[,;]?\s*\bvol(?:ume)?\.?\s*(\d+)", re.IGNORECASE)
_JR_NUMBER = re.compile(r"[,;]?\s*\b(?:no|number|issue)\.?\s*(\d+)", re.IGNORECASE)
#: ``ActaAstron.56:1-50,2006``, ``IEEE TASLP 30 (2022)``, ``Phys. Rev. D 75(4):1-10 (2007)``
_JR_COMPACT = re.compile(r"^(?P<name>.*?[^\d\s,])\s*,?\s*(?P<volume>\d+)\s*(?:\((?P<number>\d+)\))?\s*(?:[:,]\s*(?P<pages>\d+\s*[-\u2013]+\s*\d+))?\s*[,(]?\s*(?P<year>(?:19|20)\d{2})\)?\.?$")
#: ``Proc. Interspeech 2023, 2538-2542``: pages after the last comma, no "pp."
_JR_BARE_PAGES = re.compile(r",\s*(\d+)\s*[-\u2013]+\s*(\d+)\.?\s*$")
_JR_TRAILING_DATE = re.compile(r"[,\s]*(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?)?\(?(?:19|20)\d{2}\)?(?:\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?)?[.,\s]*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_PUBLISHERS = ("ACM", "IEEE", "Springer", "Elsevier", "ISCA", "AAAI Press", "PMLR", "Association for Computational Linguistics", "MIT Press", "Wiley")


def venue_from_arxiv(record: Mapping[str, Any]) -> Venue | None:
    """The venue arXiv's ``journal_ref`` names, for a paper whose ``doi`` arXiv lists; else None."""
    doi = _doi(record.get("doi"))
    text = collapse_whitespace(str(record.get("journal_ref") or ""))
    if not doi or not text:
        return None
    pages = volume = number = publisher = ""
    years = _YEAR.findall(_JR_BARE_PAGES.sub(" ", _JR_PAGES.sub(" ", text)))
    text = re.sub(r"^(?:(?:accepted|published|presented|to appear|appeared|appears)\s+(?:at|in|to|by|as)\s+(?:the\s+)?|In\s*(?=Proc)|In\s+)", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*\(\d{1,2}/(?:19|20)\d{2}\)\s*$", "", text)
    match = _JR_PAGES.search(text)
    if match:
        pages = f"{match.group(1)}--{match.group(2)}"
        tail = text[match.end():]
        publisher = next((p for p in _PUBLISHERS if re.search(rf"\b{re.escape(p)}\b", tail)), "")
        text = text[: match.start()]
    bare = _JR_BARE_PAGES.search(text)
    if not pages and bare and not (_YEAR.fullmatch(bare.group(1)) and _YEAR.fullmatch(bare.group(2))):
        pages, text = f"{bare.group(1)}--{bare.group(2)}", text[: bare.start()]
    entry_type = "inproceedings" if _CONFERENCE_WORDS.search(text) else "article"
    if entry_type == "article":
        compact = _JR_COMPACT.match(text)
        if compact:
            text, volume, number = compact.group("name"), compact.group("volume"), compact.group("number") or ""
            pages = pages or _pages(compact.group("pages"))
        cuts = [m.start() for m in (_JR_VOLUME.search(text), _JR_NUMBER.search(text)) if m]
        if cuts:
            volume = volume or (_JR_VOLUME.search(text).group(1) if _JR_VOLUME.search(text) else "")  # type: ignore[union-attr]
            number = number or (_JR_NUMBER.search(text).group(1) if _JR_NUMBER.search(text) else "")  # type: ignore[union-attr]
            text = text[: min(cuts)]
    text = _JR_TRAILING_DATE.sub("", text) if not text.rstrip().endswith(")") else text
    article_word = "the " if re.search(r"\b(conference|symposium|workshop|meeting|congress)\b", text, re.IGNORECASE) else ""
    text = re.sub(r"^Proc\.?\s+(?!of\b)", f"Proceedings of {article_word}", text)
    text = re.sub(r"^Proc\.?\s+of\b", "Proceedings of", text)
    name = text.strip(" ,;(")
    if not name:
        return None
    year = years[-1] if years else ""
    known = _known(name) or _known(re.sub(r"^Proceedings of (?:the )?", "", name))
    if known is not None:
        name, entry_type, publisher = _full_name(known, year), known.entry_type, publisher or known.publisher
    return Venue(entry_type, name, year, ARXIV, doi, volume=volume, number=number, pages=pages, publisher=publisher, doi=doi, url=f"https://doi.org/{doi}", short=known.short if known else "")


# -- evidence ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Why a preprint may be cited as published: the venue and the link between the two."""

    venue: Venue
    basis: str  #: "S2 externalIds.ArXiv=2301.02111", "dblp ee https://arxiv.org/abs/...", ...
    rule: str  #: "id", "doi" or "title+authors"

    @property
    def text(self) -> str:
        """``Semantic Scholar externalIds.ArXiv=2301.02111, venue ICASSP 2023``."""
        return f"{self.basis}, venue {self.venue.label}"


@dataclass(frozen=True)
class Candidate:
    """A possible published version that was *not* applied, and why not."""

    arxiv_id: str
    venue: Venue
    why: str
    key: str = ""
    title: str = ""  #: the other record's title, when it differs

    @property
    def text(self) -> str:
        title = f" \"{self.title}\"" if self.title else ""
        return f"{self.venue.source} {self.venue.record}{title} ({self.venue.label}): {self.why}"


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
    text = f"{common} of {max(len(a), len(b))} authors in common" + ("" if first else f", first author {theirs[0]} instead of {ours[0]}")
    return first and enough, text


def _title_relation(ours: str, theirs: str) -> str:
    """"same", "similar" (a word or so apart) or "" (unrelated)."""
    a, b = normalize_title(ours).split(), normalize_title(theirs).split()
    if a == b:
        return "same"
    return "similar" if difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio() >= 0.8 else ""


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


def decide(preprint: Mapping[str, Any], s2: Mapping[str, Any] | None = None, dblp_hits: Iterable[Mapping[str, Any]] | None = None) -> Verdict:
    """The upgrade the evidence supports for one arXiv record (``resolvers.arxiv`` JSON), if any.

    When arXiv lists a DOI for the paper, that DOI is its published identity: an S2
    or dblp record carrying it is the strongest evidence (no year rule: arXiv's own
    word), a record carrying another DOI or none is only a candidate, and without
    such a record arXiv's ``journal_ref`` names the venue. Otherwise an identifier
    link (S2 ``externalIds.ArXiv``, the arXiv URL in dblp's ``ee``) comes before the
    title+authors rule; both need a venue year not before the preprint's v1.
    """
    arxiv_id = str(preprint["id"])
    title = str(preprint.get("title") or "")
    authors = [str(a.get("name", "")) for a in preprint.get("authors") or [] if isinstance(a, dict)]
    v1 = _v1_year(preprint)
    listed_doi = _doi(preprint.get("doi"))
    found: list[Evidence] = []
    candidates: list[Candidate] = []

    def judge(venue: Venue, id_link: str, other_title: str, other_authors: list[str], record_label: str) -> None:
        relation = _title_relation(title, other_title)
        shown = other_title if relation != "same" else ""
        if _same_doi(listed_doi, venue.doi):
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
            candidates.append(Candidate(arxiv_id, venue, f"{why}, but arXiv lists doi {listed_doi} and this record {has}", title=shown))
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
            names = [a if isinstance(a, str) else str(a.get("name", "")) for a in s2.get("authors") or [] if isinstance(a, (str, dict))]
            judge(venue, f"{S2} externalIds.ArXiv={arxiv_id}" if linked else "", str(s2.get("title") or ""), names, f"{S2} record {venue.record}")
    for hit in dblp_hits or []:
        venue = venue_from_dblp(hit)  # None for CoRR and other informal records: not venues
        if venue is not None:
            link = _arxiv_link(hit.get("ee") or [], arxiv_id)
            judge(venue, f"{DBLP} {venue.record} ee {link}" if link else "", str(hit.get("title") or ""), [str(a) for a in hit.get("authors") or []], f"{DBLP} {venue.record}")
    own = venue_from_arxiv(preprint)
    if own is not None:
        found.append(Evidence(own, f"{ARXIV} lists doi {own.doi} with journal_ref \"{collapse_whitespace(str(preprint.get('journal_ref')))}\"", "doi"))
    if not found:
        return Verdict(None, tuple(candidates))
    order = {"doi": 0, "id": 1, "title+authors": 2}
    chosen = min(found, key=lambda e: (order[e.rule], e.venue.source == ARXIV))  # a record with arXiv's DOI, arXiv's own word, an id link, a title match
    return Verdict(chosen, tuple(c for c in candidates if c.venue.record != chosen.venue.record))


# -- the upgrade ----------------------------------------------------------------------

#: fields that only describe a preprint and go when the entry becomes a venue entry
_PREPRINT_ONLY = ("howpublished", "note", "journal", "booktitle", "month", "publisher", "volume", "number", "pages", "type")
_FIELD_ORDER = ("title", "author", "booktitle", "journal", "year", "volume", "number", "pages", "publisher")


def upgrade(entry: Entry, evidence: Evidence, arxiv_id: str = "", primary_class: str = "") -> Entry:
    """The published form of a preprint entry: same key, venue fields, the arXiv id kept as eprint.

    Pure: returns a new Entry. ``howpublished``/``note``/``journal`` that name arXiv
    and the preprint's ``month`` go; the arXiv DataCite DOI gives way to the venue's
    DOI (or goes, when the venue has none); the ``url`` becomes the venue's when known.
    """
    venue = evidence.venue
    fields = dict(entry.fields)
    lowered = {name.lower(): name for name in fields}
    for name in _PREPRINT_ONLY:
        original = lowered.get(name)
        if original is None:
            continue
        if name in ("howpublished", "note") and "arxiv" not in fields[original].lower():
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
    elif not _doi(fields.get(doi_name)):
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


# -- lookups (cache first) and the run's account -----------------------------------------


@dataclass(frozen=True)
class Upgrade:
    """One preprint cited as published in this run."""

    key: str
    arxiv_id: str
    venue: Venue
    evidence: str  #: "Semantic Scholar externalIds.ArXiv=2301.02111, venue ICASSP 2023"
    rule: str  #: "id", "doi" or "title+authors"


@dataclass
class VenueCheck:
    """Everything the lookups found, ready to be applied to the finished entries."""

    mode: str
    preprints: dict[str, dict[str, Any]] = field(default_factory=dict)  #: arXiv id -> arXiv record
    s2: dict[str, dict[str, Any] | None] = field(default_factory=dict)  #: arXiv id -> S2 record (None: S2 has none)
    dblp: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  #: arXiv id -> dblp hits
    notes: list[str] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)
    #: arXiv ids Semantic Scholar was already asked about in this run (by :func:`prefetch_s2`)
    asked: set[str] = field(default_factory=set)
    #: arXiv id -> (S2 answer, dblp hits, verdict): a verdict is worked out once per set of evidence
    _verdicts: dict[str, tuple[object, object, Verdict]] = field(default_factory=dict, repr=False)

    def looked_up(self, arxiv_id: str) -> bool:
        """Did some run already ask S2 or dblp about this paper (so its upgrade stays in ``off`` mode)?"""
        return arxiv_id in self.s2 or arxiv_id in self.dblp

    def verdict(self, arxiv_id: str) -> Verdict:
        """What the evidence at hand says about one preprint."""
        preprint = self.preprints[arxiv_id]
        if self.mode == OFF and not self.looked_up(arxiv_id):
            return Verdict(None)
        s2, dblp = self.s2.get(arxiv_id), self.dblp.get(arxiv_id)
        known = self._verdicts.get(arxiv_id)
        if known is not None and known[0] is s2 and known[1] is dblp:
            return known[2]
        verdict = decide(preprint, s2, dblp)
        self._verdicts[arxiv_id] = (s2, dblp, verdict)
        return verdict

    def apply(self, entries: list[Entry]) -> tuple[list[Upgrade], list[Candidate]]:
        """Upgrade every preprint entry the evidence supports; keys stay.

        Entries are updated in place, so everything that refers to them (link
        outcomes, the report) sees the published form.
        """
        upgrades: list[Upgrade] = []
        candidates: list[Candidate] = []
        for entry in entries:
            arxiv_id = _preprint_id(entry, self.preprints)
            if arxiv_id is None:
                continue
            verdict = self.verdict(arxiv_id)
            candidates.extend(replace(c, key=entry.key) for c in verdict.candidates)
            if verdict.evidence is None:
                continue
            if entry.origin == "bib":
                candidates.append(Candidate(arxiv_id, verdict.evidence.venue, f"kept as written in the .bib input (evidence: {verdict.evidence.basis})", key=entry.key))
                continue
            preprint = self.preprints[arxiv_id]
            published = upgrade(entry, verdict.evidence, arxiv_id, str(preprint.get("primary_category") or ""))
            entry.entry_type, entry.fields, entry.identity, entry.notes = published.entry_type, published.fields, published.identity, published.notes
            upgrades.append(Upgrade(entry.key, arxiv_id, verdict.evidence.venue, verdict.evidence.text, verdict.evidence.rule))
        return upgrades, candidates


def _preprint_id(entry: Entry, preprints: Mapping[str, Any]) -> str | None:
    """The arXiv id of an entry that is (still) a preprint, or None."""
    ids = sorted(i.split(":", 1)[1] for i in entry.identity if i.startswith("arxiv:") and i.split(":", 1)[1] in preprints)
    if not ids:
        return None
    lowered = {name.lower(): value for name, value in entry.fields.items()}
    container = lowered.get("booktitle") or lowered.get("journal") or ""
    if entry.entry_type.lower() not in ("misc", "article", "unpublished", "online", "techreport") or (container and not is_preprint_server(container) and "arxiv" not in container.lower()):
        return None
    eprint = re.sub(r"v\d+$", "", lowered.get("eprint", ""))
    return eprint if eprint in ids else ids[0]


def preprints_of(lookups: Mapping[str, Lookup]) -> dict[str, dict[str, Any]]:
    """arXiv id -> arXiv record, for every lookup an arXiv record answered (twins of other links included)."""
    found: dict[str, dict[str, Any]] = {}
    for lookup in lookups.values():
        record = lookup.record
        if record is not None and record.service == "arxiv" and isinstance(record.data, dict) and record.data.get("id"):
            found.setdefault(str(record.data["id"]), record.data)
    return found


def prefetch_s2(arxiv_ids: Sequence[str], settings: Settings, cache: DiskCache, on_wait: WaitListener | None = None) -> VenueCheck:
    """Ask Semantic Scholar about the list's arXiv ids while arXiv's own batches are still paced.

    The S2 batch needs only the ids, so it runs beside the arXiv resolver instead of
    after it (its answers go to the cache; :func:`look_up` picks them up).
    """
    check = VenueCheck(getattr(settings, "venues", FAST) or FAST)
    if check.mode == OFF or settings.offline or not arxiv_ids:
        return check
    _s2_answers(check, list(arxiv_ids), settings, cache, Policy.from_settings(settings), fetch=True, on_wait=on_wait)
    check.asked = set(arxiv_ids)
    return check


def look_up(
    lookups: Mapping[str, Lookup],
    settings: Settings,
    cache: DiskCache,
    on_progress: ProgressListener | None = None,
    on_wait: WaitListener | None = None,
    prefetched: VenueCheck | None = None,
) -> VenueCheck:
    """Gather venue evidence for every arXiv paper of the run, by ``settings.venues``; cache first.

    ``prefetched`` holds the Semantic Scholar answers :func:`prefetch_s2` already got
    this run; those ids are not asked again.
    """
    mode = getattr(settings, "venues", FAST) or FAST
    if mode not in MODES:
        raise ValueError(f"--venues must be one of {', '.join(MODES)}, not {mode!r}")
    check = VenueCheck(mode, preprints_of(lookups))
    if prefetched is not None:
        check.s2.update(prefetched.s2)
        check.notes.extend(prefetched.notes)
        check.requests.update(prefetched.requests)
    if not check.preprints:
        return check
    policy = Policy.from_settings(settings)
    ids = list(check.preprints)
    asked = prefetched.asked if prefetched is not None else set()
    _s2_answers(check, [i for i in ids if i not in asked], settings, cache, policy, fetch=mode != OFF, on_wait=on_wait)
    pending = [i for i in ids if not _linked_by_id(check.verdict(i))]  # dblp is asked only where no identifier settles it
    _dblp_answers(check, ids, pending, settings, cache, policy, fetch=mode == FULL, on_progress=on_progress, on_wait=on_wait)
    return check


def _linked_by_id(verdict: Verdict) -> bool:
    return verdict.evidence is not None and verdict.evidence.rule != "title+authors"


def _cached(cache: DiskCache, service: str, key: str) -> Record | NotFound | None:
    try:
        return cache.get(service, key)
    except ValueError:
        return None


def _as_kept(s2_record: dict[str, Any]) -> dict[str, Any]:
    """A Semantic Scholar answer as the run keeps it: authors as bare names.

    The answer's author objects were two thirds of its memory, and only their names
    are compared (10,000 answers: about 20 MB less).
    """
    authors = s2_record.get("authors")
    if not isinstance(authors, list):
        return s2_record
    return {**s2_record, "authors": [str(a.get("name", "")) for a in authors if isinstance(a, dict)]}


def _s2_answers(check: VenueCheck, ids: list[str], settings: Settings, cache: DiskCache, policy: Policy, *, fetch: bool, on_wait: WaitListener | None) -> None:
    to_fetch: list[str] = []
    for ident in ids:
        cached = _cached(cache, "s2", ident)
        if cached is not None:
            check.s2[ident] = _as_kept(cached.data) if isinstance(cached, Record) else None
        if fetch and (cached is None or not policy.is_fresh(cached.fetched_at)):
            to_fetch.append(ident)
    if not to_fetch:
        return
    if settings.offline:
        missing = [i for i in to_fetch if i not in check.s2]
        if missing:
            check.notes.append(f"{S2}: offline; {len(missing)} paper(s) not checked for a published version")
        return
    from tridentbib.resolvers.s2 import S2Resolver
    from tridentbib.services import s2_client

    client = s2_client(settings, on_wait)
    failures: dict[str, int] = {}
    try:
        for ident, answer in S2Resolver(client, settings.s2_api_key).fetch(to_fetch):
            if isinstance(answer, Found):
                record = Record("s2", ident, answer.data, utc_now(), answer.request)
                cache.put(record)
                check.s2[ident] = _as_kept(record.data)
            elif answer.permanent:
                cache.put_not_found(NotFound("s2", ident, answer.reason, utc_now()))
                check.s2[ident] = None
            else:
                failures[answer.reason] = failures.get(answer.reason, 0) + 1
    finally:
        check.requests["s2"] = check.requests.get("s2", 0) + client.request_count
        client.close()
    for reason, count in failures.items():
        check.notes.append(f"{S2} unavailable ({reason}); {count} paper(s) not checked there this run; rerun to check them")


def _dblp_answers(
    check: VenueCheck,
    ids: list[str],
    pending: list[str],
    settings: Settings,
    cache: DiskCache,
    policy: Policy,
    *,
    fetch: bool,
    on_progress: ProgressListener | None,
    on_wait: WaitListener | None,
) -> None:
    if not fetch and not cache.has_folder("dblp"):  # fast mode and no dblp answer ever cached: nothing to read
        return
    to_fetch: list[str] = []
    wanted = set(pending)
    for ident in ids:
        key = PaperId(Kind.ARXIV, ident).key
        cached = _cached(cache, "dblp", key)
        if isinstance(cached, Record) and isinstance(cached.data.get("hits"), list):
            check.dblp[ident] = cached.data["hits"]
        elif isinstance(cached, NotFound):
            check.dblp[ident] = []
        if fetch and ident in wanted and (cached is None or not policy.is_fresh(cached.fetched_at)):
            to_fetch.append(ident)
    if not to_fetch:
        return
    if settings.offline:
        check.notes.append(f"{DBLP}: offline; {len(to_fetch)} paper(s) not searched")
        return
    from tridentbib.resolvers.dblp import DblpError, DblpSearch
    from tridentbib.services import dblp_client

    client = dblp_client(settings, on_wait)
    search = DblpSearch(client)
    total = len(to_fetch)
    if on_progress:
        on_progress(DBLP_PROGRESS, 0, total)
    try:
        for done, ident in enumerate(to_fetch, start=1):
            query = normalize_title(str(check.preprints[ident].get("title") or ""))
            if query:
                try:
                    hits, request = search.search(query)
                except DblpError as error:
                    left = total - done + 1
                    check.notes.append(f"{DBLP}: {error}; stopped with {left} of {total} paper(s) not searched; rerun with --venues full to continue (answers so far are cached)")
                    break
                key = PaperId(Kind.ARXIV, ident).key
                cache.put(Record("dblp", key, {"query": query, "hits": hits}, utc_now(), f"{request}?{urlencode({'q': query, 'format': 'json'})}"))
                check.dblp[ident] = hits
            if on_progress:
                on_progress(DBLP_PROGRESS, done, total)
    finally:
        check.requests["dblp"] = check.requests.get("dblp", 0) + client.request_count
        client.close()


# -- report -----------------------------------------------------------------------------


def report_lines(upgrades: Sequence[Upgrade], candidates: Sequence[Candidate], notes: Iterable[str] = (), shown: int = 20) -> list[str]:
    """A line per upgrade (with its evidence) and per candidate not applied, the first ``shown`` of each; a line per lookup problem.

    A large list can have thousands of upgrades: the rest are counted, and all are in ``--report``.
    """
    lines = [f"  venue: {u.key}: arXiv {u.arxiv_id} -> @{u.venue.entry_type} (evidence: {u.evidence})" for u in upgrades[:shown]]
    if len(upgrades) > shown:
        lines.append(f"  venue: ... and {len(upgrades) - shown} more upgrades; see --report")
    lines += [f"  venue candidate, not applied: {c.key or 'arXiv ' + c.arxiv_id}: arXiv {c.arxiv_id} ~ {c.text}" for c in candidates[:shown]]
    if len(candidates) > shown:
        lines.append(f"  venue candidate, not applied: ... and {len(candidates) - shown} more; see --report")
    lines += [f"  venues: {note}" for note in notes]
    return lines


__all__ = [
    "Candidate",
    "Evidence",
    "MODES",
    "Upgrade",
    "Venue",
    "VenueCheck",
    "Verdict",
    "author_overlap",
    "decide",
    "is_preprint_server",
    "look_up",
    "preprints_of",
    "report_lines",
    "upgrade",
    "venue_from_arxiv",
    "venue_from_dblp",
    "venue_from_s2",
]
