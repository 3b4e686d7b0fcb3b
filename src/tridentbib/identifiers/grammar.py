"""Each service's id grammar, the validated id types, and the checks every id passes before it is used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote


class Kind(StrEnum):
    ARXIV = "arxiv"
    OPENREVIEW = "openreview"
    ACL = "acl"
    DOI = "doi"
    NEURIPS = "neurips"
    CVF = "cvf"
    ISCA = "isca"
    PMLR = "pmlr"
    JMLR = "jmlr"
    IEEE = "ieee"  #: an IEEE Xplore document number (looked up through Crossref)
    ACM = "acm"  #: an ACM DL article number (looked up through Crossref)
    AAAI = "aaai"  #: an AAAI OJS article id (looked up through Crossref)
    S2 = "s2"  #: a Semantic Scholar paper (its 40-hex id): a title-route candidate, never a record


#: kinds whose link is its paper by definition (an arXiv id names one paper): their records are not second-guessed
ID_IS_THE_PAPER = frozenset({Kind.ARXIV, Kind.OPENREVIEW, Kind.ACL})

#: kinds a service resolves (the resolver registry holds one per kind; DOIs are only identity so far)
RESOLVED_KINDS = ("arxiv", "acl", "openreview")


#: IEEE Xplore document number or ACM article number: digits, no leading zero
ARTICLE_NUMBER = re.compile(r"[1-9][0-9]{0,11}", re.ASCII)
#: Semantic Scholar paper id: 40 lower-case hex digits
S2_PAPER_ID = re.compile(r"[0-9a-f]{40}", re.ASCII)
#: Longest arXiv / OpenReview / ACL id we will consider; real ids are far shorter.
MAX_ID_LENGTH = 64
#: NeurIPS proceedings paper: ``YEAR/HASH``, the year 1987-2099 and the site's 32 lower-case hex digits; or an
#: old link's alias, resolved through the year index: ``legacy/N`` (``/paper/N-slug``) and ``bysource/YEAR-N``
#: (``/paper/by-source-YEAR-N``), N of 1-6 digits without a leading zero.
NEURIPS_ID = re.compile(
    r"(?:198[7-9]|199[0-9]|20[0-9]{2})/[0-9a-f]{32}"
    r"|legacy/[1-9][0-9]{0,5}|bysource/(?:198[7-9]|199[0-9]|20[0-9]{2})-[1-9][0-9]{0,5}",
    re.ASCII,
)
#: CVF open access paper: ``{folder}/{stem}``, the folder as the site spells it (case kept: ``content_CVPR_2019``,
#: ``content_cvpr_2016``, ``content/CVPR2023``; a workshop's subfolder is part of it:
#: ``content_cvpr_workshops_2014/W15``)
#: and the page's stem (letters, digits, ``_``, ``-``: no dots, so no ``..``); years 2013-2099.
CVF_ID = re.compile(
    r"(?:content_[A-Za-z]{1,20}(?:_[A-Za-z]{1,20}){0,2}_(?P<year>20(?:1[3-9]|[2-9][0-9]))(?:_[A-Za-z]{1,20})?"
    r"|content/[A-Za-z]{1,20}(?P<year2>20(?:1[3-9]|[2-9][0-9]))W?)"
    r"(?:/(?!(?:html|papers|papers_backup|supplemental)/)[A-Za-z0-9][A-Za-z0-9_-]{0,39})?"
    r"/[A-Za-z0-9][A-Za-z0-9_-]{0,199}",
    re.ASCII,
)
#: CVF ids carry a page stem (the authors and the title): longer than other ids, still bounded.
MAX_CVF_ID_LENGTH = 255
#: ISCA archive paper: ``{event}_{year}/{name}`` (``interspeech_2021/penney21_interspeech``), lower case as the
#: archive writes it; the name is letters, digits, ``_`` and ``-`` (no dots), and a folder's ``index`` is no paper.
ISCA_ID = re.compile(r"[a-z][a-z0-9]{0,31}_(?:19[5-9][0-9]|20[0-9]{2})/(?!index$)[a-z0-9][a-z0-9_-]*", re.ASCII)
#: PMLR paper: ``vN/ID`` (``v139/zhao21c``), the volume and the paper's id in it
#: (letters, digits, ``_``, ``-``; no dots).
PMLR_ID = re.compile(r"v[1-9][0-9]{0,3}/[A-Za-z0-9][A-Za-z0-9_-]*", re.ASCII)
#: JMLR paper: ``vN/ID`` (``v15/srivastava14a``, ``v21/20-074``), the journal volume and the paper's id.
JMLR_ID = re.compile(r"v[1-9][0-9]{0,2}/[A-Za-z0-9][A-Za-z0-9_-]*", re.ASCII)
#: DOIs are longer (old SICI DOIs run past 60 characters), but still bounded.
MAX_DOI_LENGTH = 200
#: Versions and revisions above this are typos or attacks, not real papers.
MAX_VERSION = 999
_RAW_LIMIT = 200
_MAX_URL_LENGTH = 4096

# --------------------------------------------------------------------------
# Grammars.  The public patterns match exactly the canonical ids (what
# PaperId.id holds); use them with ``fullmatch``.  Private patterns built from
# the same pieces additionally accept versions, subject classes and case.

_ARXIV_ARCHIVES = (
    "hep-th",
    "hep-ph",
    "hep-ex",
    "hep-lat",
    "astro-ph",
    "cond-mat",
    "gr-qc",
    "math-ph",
    "nucl-ex",
    "nucl-th",
    "physics",
    "quant-ph",
    "math",
    "cs",
    "nlin",
    "q-bio",
    "q-fin",
    "stat",
    "cmp-lg",
    "chao-dyn",
    "solv-int",
    "patt-sol",
    "adap-org",
    "comp-gas",
    "chem-ph",
    "alg-geom",
    "dg-ga",
    "funct-an",
    "q-alg",
    "mtrl-th",
    "supr-con",
    "atom-ph",
    "acc-phys",
    "ao-sci",
    "bayes-an",
    "plasm-ph",
)
# Longest first so "math-ph" is tried before "math" when searching prose.
_ARCHIVE_ALT = "|".join(sorted(map(re.escape, _ARXIV_ARCHIVES), key=len, reverse=True))
_MONTH = r"(?:0[1-9]|1[0-2])"
_ARXIV_NEW_CORE = (
    # 0704-1412: four-digit sequence number (0000 is never issued).
    rf"(?:07(?:0[4-9]|1[0-2])|(?:0[89]|1[0-4]){_MONTH})\.(?!0000)[0-9]{{4}}"
    # 1501 on: five digits.
    rf"|(?:1[5-9]|[2-9][0-9]){_MONTH}\.(?!00000)[0-9]{{5}}"
)
_ARXIV_OLD_NUMBER = rf"(?:9[1-9]|0[0-7]){_MONTH}[0-9]{{3}}"
_VERSION = r"[1-9][0-9]{0,2}"

#: New-style arXiv id, canonical (no version): ``2301.02111``, ``0704.0001``.
ARXIV_NEW = re.compile(rf"(?:{_ARXIV_NEW_CORE})", re.ASCII)
#: Old-style arXiv id, canonical (no subject class, no version): ``hep-th/9901001``.
ARXIV_OLD = re.compile(rf"(?P<archive>{_ARCHIVE_ALT})/(?P<number>{_ARXIV_OLD_NUMBER})", re.ASCII)
#: OpenReview forum/note id: ``KCVv3tICvp``, ``B1-Hhnslg``.
OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_-]{6,32}", re.ASCII)
_ACL_VENUE_VOLUME = r"[a-z0-9]+(?:-[a-z0-9]+)*"
#: New-style ACL Anthology paper id (number >= 1): ``2024.acl-long.589``.
ACL_NEW = re.compile(rf"(?:19|20)[0-9]{{2}}\.{_ACL_VENUE_VOLUME}\.[1-9][0-9]{{0,3}}", re.ASCII)
#: Old-style ACL Anthology paper id shape: ``P19-1007``.  ``is_valid_id`` also
#: refuses front matter (paper number 0), which depends on the collection.
ACL_OLD = re.compile(r"[A-Z][0-9]{2}-[0-9]{4}", re.ASCII)
#: DOI: printable ASCII suffix without the characters that never occur in
#: real DOIs but do occur around them in pasted text (quotes, backslash, braces).
DOI_PATTERN = re.compile(r"10\.[0-9]{4,9}/[!#-\[\]_a-z~]+", re.ASCII)

# Any arXiv id as written in the wild: new or old (with optional subject
# class), optional version.
_ARXIV_ANY_BODY = (
    rf"(?:(?P<new>{_ARXIV_NEW_CORE})"
    rf"|(?P<archive>{_ARCHIVE_ALT})(?:\.[A-Za-z]{{2}}[A-Za-z-]{{0,14}})?/(?P<number>{_ARXIV_OLD_NUMBER}))"
    rf"(?:v(?P<version>{_VERSION}))?"
)
_ARXIV_ANY = re.compile(_ARXIV_ANY_BODY, re.ASCII)
# "arXiv:2301.02111" in prose.  Neither side may touch another letter or digit,
# so "arXiv:1234.5678901" does not yield a prefix of itself.
_ARXIV_IN_TEXT = re.compile(
    rf"(?<![A-Za-z0-9])(?i:arxiv)[ \t]{{0,3}}:[ \t]{{0,3}}{_ARXIV_ANY_BODY}(?![A-Za-z0-9])",
    re.ASCII,
)
_ARXIV_PREFIX = re.compile(r"(?i:arxiv)[ \t]{0,3}:[ \t]{0,3}", re.ASCII)

_ACL_PAPER_ANY = re.compile(
    r"(?:(?P<new>[0-9]{4}\.[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.[0-9]{1,4})"
    r"|(?P<old>[A-Za-z][0-9]{2}-[0-9]{4}))"
    rf"(?:v(?P<version>{_VERSION})|e(?P<erratum>{_VERSION}))?",
    re.ASCII,
)
_ACL_VOLUME = re.compile(r"[0-9]{4}\.[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*|[A-Za-z][0-9]{2}-[0-9]{1,2}", re.ASCII)
_ACL_CLAIMS_PAPER = re.compile(r"[0-9]{4}\.|[A-Za-z][0-9]{2}-", re.ASCII)
_ACL_FILE_SUFFIX = re.compile(r"\.(?:pdf|bib|xml|endf)$", re.ASCII | re.IGNORECASE)
_ACL_LEGACY_DIRS = (re.compile(r"[A-Za-z]", re.ASCII), re.compile(r"[A-Za-z][0-9]{2}", re.ASCII))
_ACL_DOI_PREFIX = "10.18653/v1/"
_ARXIV_DOI_PREFIX = re.compile(r"10\.48550/arxiv\.", re.ASCII | re.IGNORECASE)
_OPENREVIEW_PDF_HASH = re.compile(r"/pdf/([0-9a-fA-F]{40})\.pdf", re.ASCII)

# Characters that may follow an id in a pasted link without making it
# suspicious: closing brackets and quotes from Markdown, and a backslash from an
# escaped "\n" glued onto the next URL.  "&", "=", "?", "%"... are not here:
# inside a path they look like query injection.
_JUNK_START = frozenset(")]}>,;\"'\\*|`")
_ARXIV_TOKEN_HEAD = re.compile(r"[A-Za-z0-9./-]*", re.ASCII)
_OPENREVIEW_TOKEN_HEAD = re.compile(r"[A-Za-z0-9_-]*", re.ASCII)
_ACL_PATH_HEAD = re.compile(r"[A-Za-z0-9._~/-]*", re.ASCII)
_DOI_HEAD = re.compile(r"[!#-\[\]_a-zA-Z~]*", re.ASCII)

# Whitespace and control characters never belong inside a link; urlsplit would
# silently delete tabs and newlines, so they are checked before parsing.
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060\ufeff]|\s")
_EDGE_INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff"
_HAS_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://", re.ASCII)

# A link inside prose: either an http(s) URL or a scheme-less link to one of
# the supported hosts.  It stops at whitespace and at Markdown/HTML delimiters.
_URL_IN_TEXT = re.compile(
    r"(?:(?<![A-Za-z0-9+.-])https?://"
    r"|(?<![A-Za-z0-9.@/_:-])(?=(?:[A-Za-z0-9-]+\.)*"
    r"(?:arxiv\.org|ar5iv\.org|alphaxiv\.org|128\.84\.21\.199|huggingface\.co"
    r"|openreview\.net|aclanthology\.(?:org|info)|aclweb\.org|doi\.org)/))"
    r"[^\s<>\"'`()\[\]{}|^\\]+",
    re.IGNORECASE,
)
_TRAILING_PROSE = ".,;:!?*"

# Hosts matched exactly (no subdomains), unlike arxiv.org and the others.
_ARXIV_OLD_ADDRESS = "128.84.21.199"  # arxiv.org's IP address, still in old links
_ALPHAXIV_HOSTS = frozenset({"alphaxiv.org", "www.alphaxiv.org"})
_HUGGINGFACE_HOSTS = frozenset({"huggingface.co", "www.huggingface.co"})
_ASCII_DIGIT = re.compile(r"[0-9]", re.ASCII)

_REASON_ARXIV = "not a valid arXiv id"
_REASON_OPENREVIEW = "not a valid OpenReview forum id"
_REASON_OPENREVIEW_HASH = "OpenReview PDF hash links name a file, not a forum; link the forum page"
_REASON_ACL = "not a valid ACL Anthology paper id"
_REASON_ACL_VOLUME = "links a whole ACL volume, not a paper"
_REASON_ACL_FRONT = "links an ACL volume's front matter, not a paper"
_REASON_DOI = "not a valid DOI"


# --------------------------------------------------------------------------
# Result types


@dataclass(frozen=True)
class PaperId:
    """A paper on one service, by canonical id; checked on construction so an
    invalid id can never reach a request or a file name."""

    kind: Kind
    id: str
    version: int | None = None

    def __post_init__(self) -> None:
        try:
            kind = Kind(self.kind)
        except ValueError:
            raise ValueError(f"unknown identifier kind: {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)
        if not is_valid_id(kind, self.id):
            raise ValueError(f"not a canonical {kind} id: {self.id!r}")
        if self.version is not None:
            if kind not in (Kind.ARXIV, Kind.ACL):
                raise ValueError(f"{kind} ids have no versions")
            if type(self.version) is not int or not 1 <= self.version <= MAX_VERSION:
                raise ValueError(f"bad version: {self.version!r}")

    @property
    def key(self) -> str:
        """Identity of the paper regardless of the version that was linked."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Rejected:
    """A link that points at a supported service but does not name a valid paper: reported, never requested."""

    kind: Kind
    raw: str
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "raw", str(self.raw)[:_RAW_LIMIT])


# --------------------------------------------------------------------------
# Validation


def is_valid_id(kind: Kind | str, ident: str) -> bool:
    """True iff ``ident`` is a canonical id of ``kind`` (exactly what ``PaperId.id``
    holds: no version, no subject class, canonical case).

    Call it before building a request or a file name from an id that did not
    come out of this module.
    """
    if not isinstance(ident, str):
        return False
    try:
        kind = Kind(kind)
    except ValueError:
        return False
    if kind is Kind.DOI:
        return len(ident) <= MAX_DOI_LENGTH and ident == ident.lower() and _doi_ok(ident)
    if kind is Kind.CVF:
        return len(ident) <= MAX_CVF_ID_LENGTH and bool(CVF_ID.fullmatch(ident))
    if len(ident) > MAX_ID_LENGTH:
        return False
    if kind is Kind.ARXIV:
        return bool(ARXIV_NEW.fullmatch(ident) or ARXIV_OLD.fullmatch(ident))
    if kind is Kind.OPENREVIEW:
        return bool(OPENREVIEW_ID.fullmatch(ident))
    if kind is Kind.NEURIPS:
        return bool(NEURIPS_ID.fullmatch(ident))
    if kind is Kind.ISCA:
        return bool(ISCA_ID.fullmatch(ident))
    if kind is Kind.PMLR:
        return bool(PMLR_ID.fullmatch(ident))
    if kind is Kind.JMLR:
        return bool(JMLR_ID.fullmatch(ident))
    if kind in (Kind.IEEE, Kind.ACM, Kind.AAAI):
        return bool(ARTICLE_NUMBER.fullmatch(ident))
    if kind is Kind.S2:
        return bool(S2_PAPER_ID.fullmatch(ident))
    if ACL_NEW.fullmatch(ident):
        return True
    return bool(ACL_OLD.fullmatch(ident)) and not _acl_old_is_front_matter(ident)


def _doi_ok(doi: str) -> bool:
    # Dot segments would let a DOI climb directories once used as a path.
    return bool(DOI_PATTERN.fullmatch(doi)) and not any(seg in (".", "..") for seg in doi.split("/"))


def _acl_old_split(ident: str) -> tuple[str, str]:
    """(volume, paper) of an old id: the volume is 1 digit and the paper 3, except in
    workshop-style collections (W, C69, D19-50..66), which use 2 + 2."""
    collection, digits = ident[:3].upper(), ident[4:]
    workshop = collection[0] == "W" or collection == "C69" or (collection == "D19" and 50 <= int(digits[:2]) <= 66)
    cut = 2 if workshop else 1
    return f"{ident[:4]}{digits[:cut]}", digits[cut:]


def _acl_old_is_front_matter(ident: str) -> bool:
    """Paper 0 of an old-style volume is its front matter."""
    return int(_acl_old_split(ident)[1]) == 0


def acl_volume(ident: str) -> str:
    """The volume of an Anthology paper id: ``2023.acl-long.5`` -> ``2023.acl-long``,
    ``P19-1007`` -> ``P19-1``, ``W18-5446`` -> ``W18-54`` (its ``/volumes/<volume>.bib``)."""
    if ACL_NEW.fullmatch(ident):
        return ident.rsplit(".", 1)[0]
    return _acl_old_split(ident)[0]


def normalize_doi(s: str) -> str | None:
    """Canonical (lower-case) DOI from a bare DOI, ``doi:...`` or a doi.org URL,
    or None when the result would not be a valid DOI."""
    if not isinstance(s, str):
        return None
    t = s.strip()
    m = re.match(r"(?:https?://)?(?:www\.|dx\.)?doi\.org/", t, re.IGNORECASE)
    if m:
        # A resolver URL: drop query and fragment, undo its percent-encoding.
        t = unquote(re.split(r"[?#]", t[m.end() :], maxsplit=1)[0])
    else:
        t = re.sub(r"^doi:[ \t]*", "", t, flags=re.IGNORECASE)
    t = t.lower()
    if len(t) > MAX_DOI_LENGTH or not _doi_ok(t):
        return None
    return t
