"""What venue a record names: Semantic Scholar and dblp answers, arXiv's own DOI and journal_ref.

A preprint server (arXiv, CoRR, bioRxiv...) is never a venue. Well-known venues get
their full proceedings or journal name from one table.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Mapping

from tridentbib.latex import collapse_whitespace, strip_accents
from tridentbib import shapes

#: labels used in evidence texts and report lines
ARXIV, S2, DBLP = "arXiv", "Semantic Scholar", "dblp"


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


def venue_doi(value: Any) -> str:
    """A DOI as the source spells it, or "" (arXiv's own DataCite DOIs are not venue DOIs). Compare with :func:`same_doi`."""
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", str(value or "").strip(), flags=re.IGNORECASE)
    return "" if not doi.startswith("10.") or doi.lower().startswith("10.48550/") else doi


def same_doi(a: str, b: str) -> bool:
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
    doi = venue_doi(record.get("doi"))
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

