"""Turn a link, or a scrap of text, into a validated paper identifier.

Every identifier that leaves this module is later spliced into an HTTP request
or a cache file name, so each one is checked against the service's real id
grammar first (ASCII only: look-alike Unicode digits never match).  A link to a
supported service that does not name a paper comes back as ``Rejected`` (to be
reported, never requested); a link to anything else comes back as ``None``.

Id grammars, with the canonical form kept in ``PaperId.id``:

arXiv, new style (April 2007 on)
    ``YYMM.NNNN`` for 0704-1412, ``YYMM.NNNNN`` from 1501, month 01-12, then an
    optional version ``vN``.  ``2301.02111v2`` -> id ``2301.02111``, version 2.
arXiv, old style (1991 to March 2007)
    ``archive[.SC]/YYMMNNN[vN]`` with the archive from the fixed historical
    list and YY in 91-07.  ``math.GT/0309136`` -> id ``math/0309136``: the
    subject class is dropped because the arXiv API accepts the bare form.
OpenReview
    A forum (note) id, ``[A-Za-z0-9_-]{6,32}``, read from the ``id`` query
    parameter: ``https://openreview.net/forum?id=KCVv3tICvp`` -> ``KCVv3tICvp``.
ACL Anthology, new style (ingested 2020 on)
    ``YEAR.VENUE-VOLUME.NUMBER``, e.g. ``2024.findings-emnlp.246``.  File
    names may add a revision ``v2`` or an erratum ``e1``.  Paper number 0 is a
    volume's front matter and ``2024.acl-long`` (no number) is a whole volume.
ACL Anthology, old style (before 2020)
    ``CYY-VPPP``, or ``CYY-VVPP`` for workshops (W, C69, D19-50..66), e.g.
    ``P19-1007``, ``W18-5446``.  ``N13-1`` is a whole volume; paper 000 (00 for
    workshops) is front matter.
DOI
    ``10.NNNN/suffix``; DOIs compare case-insensitively, so the canonical form
    is lower case: ``10.1109/taslp.2024.3379877``.  arXiv DataCite DOIs
    (``10.48550/arXiv.2307.03172``) and ACL Crossref DOIs
    (``10.18653/v1/2024.acl-long.589``) map to the arXiv and ACL kinds.

Links, by service (any other host gives ``None``):

arXiv
    ``/abs/``, ``/pdf/`` and ``/html/`` pages on arxiv.org and its subdomains
    (``export.``, ``www.``), ar5iv, arXiv's old address ``128.84.21.199`` and
    alphaxiv.org; the file tree ``/ftp/arxiv/papers/YYMM/ID.pdf`` (new ids) and
    ``/ftp/<archive>/papers/YYMM/YYMMNNN.pdf`` (old ids); Hugging Face paper
    pages ``huggingface.co/papers/ID`` (its other pages give ``None``).  Paste
    slips are forgiven: a doubled slash (``/abs//ID``), a ``v`` with no number
    (``/abs/IDv``: no version), junk pasted after the id (closing brackets,
    quotes, a backslash).
OpenReview
    ``/forum``, ``/pdf``, ``/attachment`` and ``/notes`` with ``?id=``.
ACL Anthology
    ``aclanthology.org/ID``, ``aclweb.org/anthology/ID``, the legacy
    ``D/D15/ID.pdf`` tree, and the old aclanthology.info ``/papers/ID/<slug>``
    and ``/pdf/P/P06/ID.pdf``.
DOI
    ``doi.org``, ``dx.doi.org`` and ``www.doi.org``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

__all__ = [
    "ACL_NEW",
    "ACL_OLD",
    "ARXIV_NEW",
    "ARXIV_OLD",
    "DOI_PATTERN",
    "MAX_DOI_LENGTH",
    "MAX_ID_LENGTH",
    "MAX_VERSION",
    "OPENREVIEW_ID",
    "Kind",
    "PaperId",
    "Rejected",
    "acl_id_from_text",
    "arxiv_id_from_text",
    "classify_url",
    "find_ids_in_text",
    "is_valid_id",
    "normalize_doi",
    "openreview_pdf_hash",
]


class Kind(StrEnum):
    ARXIV = "arxiv"
    OPENREVIEW = "openreview"
    ACL = "acl"
    DOI = "doi"


#: Longest arXiv / OpenReview / ACL id we will consider; real ids are far shorter.
MAX_ID_LENGTH = 64
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
    "hep-th", "hep-ph", "hep-ex", "hep-lat", "astro-ph", "cond-mat", "gr-qc",
    "math-ph", "nucl-ex", "nucl-th", "physics", "quant-ph", "math", "cs",
    "nlin", "q-bio", "q-fin", "stat", "cmp-lg", "chao-dyn", "solv-int",
    "patt-sol", "adap-org", "comp-gas", "chem-ph", "alg-geom", "dg-ga",
    "funct-an", "q-alg", "mtrl-th", "supr-con", "atom-ph", "acc-phys",
    "ao-sci", "bayes-an", "plasm-ph",
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
ARXIV_OLD = re.compile(
    rf"(?P<archive>{_ARCHIVE_ALT})/(?P<number>{_ARXIV_OLD_NUMBER})", re.ASCII
)
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
_ACL_VOLUME = re.compile(
    r"[0-9]{4}\.[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*|[A-Za-z][0-9]{2}-[0-9]{1,2}", re.ASCII
)
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
    if len(ident) > MAX_ID_LENGTH:
        return False
    if kind is Kind.ARXIV:
        return bool(ARXIV_NEW.fullmatch(ident) or ARXIV_OLD.fullmatch(ident))
    if kind is Kind.OPENREVIEW:
        return bool(OPENREVIEW_ID.fullmatch(ident))
    if ACL_NEW.fullmatch(ident):
        return True
    return bool(ACL_OLD.fullmatch(ident)) and not _acl_old_is_front_matter(ident)


def _doi_ok(doi: str) -> bool:
    # Dot segments would let a DOI climb directories once used as a path.
    return bool(DOI_PATTERN.fullmatch(doi)) and not any(
        seg in (".", "..") for seg in doi.split("/")
    )


def _acl_old_is_front_matter(ident: str) -> bool:
    """Old ids put the volume in 1 digit and the paper in 3, except workshop-style
    collections (W, C69, D19-50..66) which use 2 + 2; paper 0 is front matter."""
    collection, digits = ident[:3].upper(), ident[4:]
    workshop = (
        collection[0] == "W"
        or collection == "C69"
        or (collection == "D19" and 50 <= int(digits[:2]) <= 66)
    )
    paper = digits[2:] if workshop else digits[1:]
    return int(paper) == 0


def normalize_doi(s: str) -> str | None:
    """Canonical (lower-case) DOI from a bare DOI, ``doi:...`` or a doi.org URL,
    or None when the result would not be a valid DOI."""
    if not isinstance(s, str):
        return None
    t = s.strip()
    m = re.match(r"(?:https?://)?(?:www\.|dx\.)?doi\.org/", t, re.IGNORECASE)
    if m:
        # A resolver URL: drop query and fragment, undo its percent-encoding.
        t = unquote(re.split(r"[?#]", t[m.end():], maxsplit=1)[0])
    else:
        t = re.sub(r"^doi:[ \t]*", "", t, flags=re.IGNORECASE)
    t = t.lower()
    if len(t) > MAX_DOI_LENGTH or not _doi_ok(t):
        return None
    return t


# --------------------------------------------------------------------------
# Token parsers shared by URLs, DOIs and text


def _split_head(token: str, head_re: re.Pattern[str]) -> tuple[str, bool]:
    """Split ``token`` into its id-character head and whether what follows is
    harmless paste junk (nothing, or a closing bracket/quote/backslash)."""
    head = head_re.match(token).group()  # type: ignore[union-attr]  # ``*`` always matches
    tail = token[len(head):]
    return head, (not tail or tail[0] in _JUNK_START)


def _arxiv_from_match(m: re.Match[str]) -> PaperId:
    ident = m.group("new") or f"{m.group('archive')}/{m.group('number')}"
    version = m.group("version")
    return PaperId(Kind.ARXIV, ident, int(version) if version else None)


def _parse_arxiv_token(
    token: str, raw: str, *, allow_subpath: bool = False, in_link: bool = False
) -> PaperId | Rejected:
    """Parse the (decoded) text after ``/abs/``, ``arXiv:`` or ``arXiv.``.

    ``in_link`` forgives a link cut one character short of its version
    (``/abs/1911.02972v``: no version); an ``arXiv:`` mention must be whole.
    """
    head, tail_ok = _split_head(token, _ARXIV_TOKEN_HEAD)
    if not tail_ok:
        return Rejected(Kind.ARXIV, raw, _REASON_ARXIV)
    head = head.rstrip("/.")
    if head[-4:].lower() == ".pdf":
        head = head[:-4]
    if not head:
        return Rejected(Kind.ARXIV, raw, "arXiv link has no paper id")
    if len(head) > MAX_ID_LENGTH:
        return Rejected(Kind.ARXIV, raw, f"arXiv id is longer than {MAX_ID_LENGTH} characters")
    m = _ARXIV_ANY.fullmatch(head)
    if m is None and in_link and head.endswith("v"):
        m = _ARXIV_ANY.fullmatch(head[:-1])
        if m is not None and m.group("version"):
            m = None  # "2301.02111v2v" is not a cut-off version
    if m is None and allow_subpath:
        # /html/<id>/x1.png is a figure of that paper.
        m = _ARXIV_ANY.match(head)
        if m is not None and head[m.end():m.end() + 1] != "/":
            m = None
    if m is None:
        return Rejected(Kind.ARXIV, raw, _REASON_ARXIV)
    return _arxiv_from_match(m)


def _parse_acl_token(token: str, raw: str) -> PaperId | Rejected:
    """Parse one path segment or DOI suffix naming an ACL Anthology item."""
    if len(token) > MAX_ID_LENGTH:
        return Rejected(Kind.ACL, raw, f"ACL Anthology id is longer than {MAX_ID_LENGTH} characters")
    t = _ACL_FILE_SUFFIX.sub("", token)
    m = _ACL_PAPER_ANY.fullmatch(t)
    if m is None:
        reason = _REASON_ACL_VOLUME if _ACL_VOLUME.fullmatch(t) else _REASON_ACL
        return Rejected(Kind.ACL, raw, reason)
    if m.group("new"):
        ident = m.group("new").lower()
        if ident.rsplit(".", 1)[1] == "0":
            return Rejected(Kind.ACL, raw, _REASON_ACL_FRONT)
    else:
        ident = m.group("old").upper()
        if _acl_old_is_front_matter(ident):
            return Rejected(Kind.ACL, raw, _REASON_ACL_FRONT)
    if not is_valid_id(Kind.ACL, ident):
        return Rejected(Kind.ACL, raw, _REASON_ACL)
    version = m.group("version")  # an erratum (e1) still names the same paper
    return PaperId(Kind.ACL, ident, int(version) if version else None)


def _from_doi_text(decoded: str, raw: str) -> PaperId | Rejected:
    """Map a (percent-decoded) DOI to arXiv, ACL or plain DOI."""
    m = _ARXIV_DOI_PREFIX.match(decoded)
    if m:
        return _parse_arxiv_token(decoded[m.end():], raw)
    if decoded[: len(_ACL_DOI_PREFIX)].lower() == _ACL_DOI_PREFIX:
        token = decoded[len(_ACL_DOI_PREFIX):]
        head, tail_ok = _split_head(token, _ACL_PATH_HEAD)
        if not tail_ok or not head:
            return Rejected(Kind.ACL, raw, _REASON_ACL)
        return _parse_acl_token(head, raw)
    head, tail_ok = _split_head(decoded, _DOI_HEAD)
    # A DOI may contain parentheses, so only an unbalanced closer is junk.
    while head[-1:] in (")", "]") and head.count(head[-1]) > head.count("(" if head[-1] == ")" else "["):
        head = head[:-1]
    doi = normalize_doi(head) if tail_ok else None
    if doi is None:
        return Rejected(Kind.DOI, raw, _REASON_DOI)
    return PaperId(Kind.DOI, doi)


# --------------------------------------------------------------------------
# Per-service URL handlers.  Each gets a parsed http(s) URL on its host.


def _arxiv_url(parts: SplitResult, raw: str) -> PaperId | Rejected | None:
    section, _, rest = parts.path.lstrip("/").partition("/")
    section = section.lower()
    if section == "ftp":
        return _arxiv_ftp_url(rest, raw)
    if section not in ("abs", "pdf", "html"):
        return None  # listing, author, search or help page
    # lstrip: "/abs//ID" comes from gluing a base URL ending in "/" to "/ID".
    token = unquote(rest.lstrip("/"))
    return _parse_arxiv_token(token, raw, allow_subpath=section == "html", in_link=True)


def _arxiv_ftp_url(path: str, raw: str) -> PaperId | Rejected | None:
    """``ftp/arxiv/papers/YYMM/ID.pdf`` (new ids) or ``ftp/<archive>/papers/YYMM/YYMMNNN.pdf``
    (old ids), given the path after ``ftp/``; the YYMM directory must match the id."""
    segs = [unquote(s) for s in path.split("/") if s]
    if len(segs) < 4:
        return None  # a directory of the file tree
    archive, papers, month, *files = segs
    if len(files) != 1 or papers != "papers" or not (archive == "arxiv" or archive in _ARXIV_ARCHIVES):
        return Rejected(Kind.ARXIV, raw, _REASON_ARXIV)
    token = files[0] if archive == "arxiv" else f"{archive}/{files[0]}"
    result = _parse_arxiv_token(token, raw, in_link=True)
    if isinstance(result, PaperId) and result.id.rpartition("/")[2][:4] != month:
        return Rejected(Kind.ARXIV, raw, "arXiv file path and paper id disagree")
    return result


def _huggingface_url(parts: SplitResult, raw: str) -> PaperId | Rejected | None:
    """``huggingface.co/papers/ID``: Hugging Face's page for an arXiv paper."""
    token = unquote(parts.path.removeprefix("/papers").lstrip("/"))
    if not _ASCII_DIGIT.match(token):
        return None  # the listing, /papers/trending, /papers/date/...
    return _parse_arxiv_token(token, raw, in_link=True)


def _openreview_url(parts: SplitResult, raw: str) -> PaperId | Rejected | None:
    if parts.path.startswith("/pdf/"):
        reason = _REASON_OPENREVIEW_HASH if _OPENREVIEW_PDF_HASH.fullmatch(parts.path) else _REASON_OPENREVIEW
        return Rejected(Kind.OPENREVIEW, raw, reason)
    if parts.path.rstrip("/") not in ("/forum", "/pdf", "/attachment", "/notes"):
        return None  # group (venue), profile, search and home pages
    try:
        values = parse_qs(parts.query, keep_blank_values=True, max_num_fields=64).get("id", [])
    except ValueError:
        return Rejected(Kind.OPENREVIEW, raw, "OpenReview link has too many query parameters")
    ids = set()
    for value in values:
        head, tail_ok = _split_head(value, _OPENREVIEW_TOKEN_HEAD)
        if not tail_ok or not OPENREVIEW_ID.fullmatch(head):
            return Rejected(Kind.OPENREVIEW, raw, _REASON_OPENREVIEW)
        ids.add(head)
    if not ids:
        return Rejected(Kind.OPENREVIEW, raw, "OpenReview link has no forum id")
    if len(ids) > 1:
        return Rejected(Kind.OPENREVIEW, raw, "OpenReview link names more than one forum")
    return PaperId(Kind.OPENREVIEW, ids.pop())


def _acl_url(parts: SplitResult, host: str, raw: str) -> PaperId | Rejected | None:
    head, tail_ok = _split_head(unquote(parts.path), _ACL_PATH_HEAD)
    segs = [s for s in head.split("/") if s]
    if host.endswith("aclweb.org") and host != "anthology.aclweb.org":
        if not segs or segs[0].lower() != "anthology":
            return None  # the ACL's own site, not the Anthology
        segs = segs[1:]
    slug_allowed = False
    if segs and segs[0].lower() in ("papers", "pdf", "volumes"):
        # aclanthology.info/papers/<id>/<slug> and /pdf/P/P06/<id>.pdf;
        # aclanthology.org/volumes/<volume>
        slug_allowed = segs[0].lower() == "papers"
        segs = segs[1:]
    if (
        len(segs) >= 3
        and _ACL_LEGACY_DIRS[0].fullmatch(segs[0])
        and _ACL_LEGACY_DIRS[1].fullmatch(segs[1])
    ):
        segs = segs[2:]  # legacy aclweb.org/anthology/D/D15/D15-1166.pdf
    if not segs or not _ACL_CLAIMS_PAPER.match(segs[0]):
        return None  # home, events, people, venues, slug-only pages
    if not tail_ok or (len(segs) > 1 and not slug_allowed):
        return Rejected(Kind.ACL, raw, _REASON_ACL)
    return _parse_acl_token(segs[0], raw)


def _doi_url(parts: SplitResult, raw: str) -> PaperId | Rejected | None:
    if not parts.path.startswith("/10."):
        return None  # resolver home or help pages
    return _from_doi_text(unquote(parts.path[1:]), raw)


def _service(host: str, path: str) -> Kind | None:
    def on(domain: str) -> bool:
        return host == domain or host.endswith("." + domain)

    if on("arxiv.org") or on("ar5iv.org") or host == _ARXIV_OLD_ADDRESS or host in _ALPHAXIV_HOSTS:
        return Kind.ARXIV
    if host in _HUGGINGFACE_HOSTS:
        # Only its paper pages: models, datasets and spaces are none of ours.
        return Kind.ARXIV if path == "/papers" or path.startswith("/papers/") else None
    if on("openreview.net"):
        return Kind.OPENREVIEW
    if on("aclanthology.org") or on("aclanthology.info") or on("aclweb.org"):
        return Kind.ACL
    if host in ("doi.org", "dx.doi.org", "www.doi.org"):
        return Kind.DOI
    return None


def _split_url(text: str) -> tuple[SplitResult, str] | None:
    """Parse an http(s) or scheme-less URL; return it with its bare host name."""
    if text.startswith("//"):
        text = "https:" + text
    elif not _HAS_SCHEME.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # bad IPv6 literal, NFKC-unsafe netloc, ...
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return parts, host.rstrip(".")


# --------------------------------------------------------------------------
# Public entry points


def classify_url(url: str) -> PaperId | Rejected | None:
    """What paper, if any, a link names.

    ``None`` means the link is not on arXiv (or a mirror, or a Hugging Face
    paper page), OpenReview, the ACL Anthology or a DOI resolver, or is a
    non-paper page there (listing, venue, profile).
    ``Rejected`` means it is on one of those services and looks like a paper
    link, but fails the id grammar, so it must be reported and never fetched.
    """
    if not isinstance(url, str):
        return None
    text = url.strip().strip(_EDGE_INVISIBLES).strip()
    if not text:
        return None
    raw = text

    prefix = _ARXIV_PREFIX.match(text)
    if prefix:
        # An "arXiv:ID" link target (Markdown allows any scheme).
        return _parse_arxiv_token(text[prefix.end():], raw)

    bad = _BAD_CHARS.search(text)
    split = _split_url(text[: bad.start()] if bad else text)
    if split is None:
        return None
    parts, host = split
    kind = _service(host, parts.path)
    if kind is None:
        return None
    if bad:
        return Rejected(kind, raw, "link contains whitespace or control characters")
    if len(text) > _MAX_URL_LENGTH:
        return Rejected(kind, raw, "link is too long")
    if any(seg in (".", "..") for seg in unquote(parts.path).split("/")):
        return Rejected(kind, raw, "link path contains '.' or '..' segments")

    if kind is Kind.ARXIV:
        if host in _HUGGINGFACE_HOSTS:
            return _huggingface_url(parts, raw)
        return _arxiv_url(parts, raw)
    if kind is Kind.OPENREVIEW:
        return _openreview_url(parts, raw)
    if kind is Kind.ACL:
        return _acl_url(parts, host, raw)
    return _doi_url(parts, raw)


def openreview_pdf_hash(url: str) -> str | None:
    """The SHA-1 of an ``openreview.net/pdf/<sha1>.pdf`` link, lower case.

    Such links name a file, not a forum, so ``classify_url`` rejects them; the
    hash is still useful to look the file up or to tell the user which one.
    """
    if not isinstance(url, str) or _BAD_CHARS.search(url.strip()):
        return None
    split = _split_url(url.strip())
    if split is None or _service(split[1], split[0].path) is not Kind.OPENREVIEW:
        return None
    m = _OPENREVIEW_PDF_HASH.fullmatch(split[0].path)
    return m.group(1).lower() if m else None


def find_ids_in_text(text: str) -> list[PaperId]:
    """Every paper named in prose, in order of first appearance, one per key.

    Finds links to the supported services (with or without ``https://``) and
    ``arXiv:ID`` mentions.  Bare numbers such as ``2301.02111`` are ignored on
    purpose: without the prefix they are as likely a version or a date.
    Rejected links are dropped here; use ``classify_url`` to report them.
    """
    if not isinstance(text, str):
        return []
    # Every link form holds a "/" and every mention "arxiv" and a ":" (most prose, none).
    if "/" not in text and not (":" in text and "arxiv" in text.lower()):
        return []
    found: list[tuple[int, PaperId]] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _URL_IN_TEXT.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        result = classify_url(m.group().rstrip(_TRAILING_PROSE))
        if isinstance(result, PaperId):
            found.append((m.start(), result))
    for m in _ARXIV_IN_TEXT.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < ends[i]:
            continue  # already seen as part of a link
        found.append((m.start(), _arxiv_from_match(m)))
    found.sort(key=lambda item: item[0])
    seen: set[str] = set()
    result_ids: list[PaperId] = []
    for _, pid in found:
        if pid.key not in seen:
            seen.add(pid.key)
            result_ids.append(pid)
    return result_ids


def _field_value(s: str) -> str:
    """A BibTeX field value without its surrounding braces/quotes/whitespace."""
    return s.strip().strip('{}"').strip()


def arxiv_id_from_text(s: str) -> PaperId | None:
    """The arXiv paper named by a BibTeX field or short text.

    Accepts a bare id (``eprint = {2301.02111v2}``), an arXiv DOI, or anything
    ``find_ids_in_text`` finds (``arXiv preprint arXiv:2411.18803``, a URL).
    """
    if not isinstance(s, str):
        return None
    value = _field_value(s)
    m = _ARXIV_ANY.fullmatch(value)
    if m:
        return _arxiv_from_match(m)
    if _ARXIV_DOI_PREFIX.match(value):
        result = _from_doi_text(value, value)
        return result if isinstance(result, PaperId) else None
    return next((p for p in find_ids_in_text(s) if p.kind is Kind.ARXIV), None)


_ACL_DOI_IN_TEXT = re.compile(r"(?<![0-9])10\.18653/v1/[A-Za-z0-9.-]+", re.ASCII | re.IGNORECASE)


def acl_id_from_text(s: str) -> PaperId | None:
    """The ACL Anthology paper named by a BibTeX field or short text.

    Accepts a bare id (``P19-1007``, ``2024.acl-long.731v2``), an ACL DOI
    anywhere in the text (``doi = {10.18653/v1/2024.acl-long.589}``), or an
    Anthology link.  Volumes and front matter give None.
    """
    if not isinstance(s, str):
        return None
    value = _field_value(s)
    if _ACL_PAPER_ANY.fullmatch(value):
        result = _parse_acl_token(value, value)
        return result if isinstance(result, PaperId) else None
    for m in _ACL_DOI_IN_TEXT.finditer(s):
        result = _from_doi_text(m.group().rstrip("."), m.group())
        if isinstance(result, PaperId):
            return result
    return next((p for p in find_ids_in_text(s) if p.kind is Kind.ACL), None)
