"""Links -> validated ids: the token parsers and one URL handler per service."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from tridentbib.identifiers.article_numbers import aaai_article_id, acm_number, ieee_number, s2_paper_id
from tridentbib.identifiers.cvf import cvf_id
from tridentbib.identifiers.grammar import (
    _ACL_CLAIMS_PAPER,
    _ACL_DOI_PREFIX,
    _ACL_FILE_SUFFIX,
    _ACL_LEGACY_DIRS,
    _ACL_PAPER_ANY,
    _ACL_PATH_HEAD,
    _ACL_VOLUME,
    _ALPHAXIV_HOSTS,
    _ARXIV_ANY,
    _ARXIV_ARCHIVES,
    _ARXIV_DOI_PREFIX,
    _ARXIV_OLD_ADDRESS,
    _ARXIV_PREFIX,
    _ARXIV_TOKEN_HEAD,
    _ASCII_DIGIT,
    _BAD_CHARS,
    _DOI_HEAD,
    _EDGE_INVISIBLES,
    _HAS_SCHEME,
    _HUGGINGFACE_HOSTS,
    _JUNK_START,
    _MAX_URL_LENGTH,
    _OPENREVIEW_PDF_HASH,
    _OPENREVIEW_TOKEN_HEAD,
    _REASON_ACL,
    _REASON_ACL_FRONT,
    _REASON_ACL_VOLUME,
    _REASON_ARXIV,
    _REASON_DOI,
    _REASON_OPENREVIEW,
    _REASON_OPENREVIEW_HASH,
    MAX_ID_LENGTH,
    OPENREVIEW_ID,
    Kind,
    PaperId,
    Rejected,
    _acl_old_is_front_matter,
    is_valid_id,
    normalize_doi,
)
from tridentbib.identifiers.mlr import jmlr_id, pmlr_id

# --------------------------------------------------------------------------
# Token parsers shared by URLs, DOIs and text


def _split_head(token: str, head_re: re.Pattern[str]) -> tuple[str, bool]:
    """Split ``token`` into its id-character head and whether what follows is
    harmless paste junk (nothing, or a closing bracket/quote/backslash)."""
    head = head_re.match(token).group()  # type: ignore[union-attr]  # ``*`` always matches
    tail = token[len(head) :]
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
        if m is not None and head[m.end() : m.end() + 1] != "/":
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
        return _parse_arxiv_token(decoded[m.end() :], raw)
    if decoded[: len(_ACL_DOI_PREFIX)].lower() == _ACL_DOI_PREFIX:
        token = decoded[len(_ACL_DOI_PREFIX) :]
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
    if len(segs) >= 3 and _ACL_LEGACY_DIRS[0].fullmatch(segs[0]) and _ACL_LEGACY_DIRS[1].fullmatch(segs[1]):
        segs = segs[2:]  # legacy aclweb.org/anthology/D/D15/D15-1166.pdf
    if not segs or not _ACL_CLAIMS_PAPER.match(segs[0]):
        return None  # home, events, people, venues, slug-only pages
    if not tail_ok or (len(segs) > 1 and not slug_allowed):
        return Rejected(Kind.ACL, raw, _REASON_ACL)
    return _parse_acl_token(segs[0], raw)


def _doi_url(parts: SplitResult, host: str, raw: str) -> PaperId | Rejected | None:
    if host not in _DOI_HOSTS:
        doi = _publisher_doi(host, parts.path)
        return _from_doi_text(doi, raw) if doi else None
    if not parts.path.startswith("/10."):
        return None  # resolver home or help pages
    return _from_doi_text(unquote(parts.path[1:]), raw)


_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
#: publishers whose paper pages carry the DOI as ``/doi/[view/]PREFIX/SUFFIX`` (Atypon sites, MIT Press Direct)
_DOI_PATH_HOSTS = (
    "dl.acm.org",
    "pubs.acs.org",
    "onlinelibrary.wiley.com",
    "tandfonline.com",
    "morganclaypool.com",
    "direct.mit.edu",
    "mitpressjournals.org",
)
#: Springer Link pages that carry the DOI right after their section (``/article/10.1007%2Fs11263-...``)
_SPRINGER_SECTIONS = frozenset({"article", "chapter", "book", "referenceworkentry", "protocol", "content"})
_DOI_PREFIX_SEGMENT = re.compile(r"10\.[0-9]{4,9}", re.ASCII)
#: IJCAI proceedings PDFs: ``/proceedings/2019/0366.pdf`` is ``10.24963/ijcai.2019/366`` (DOIs from 2017 on)
_IJCAI_PDF = re.compile(r"/proceedings/(20[1-9][0-9])/0*([1-9][0-9]{0,4})\.pdf", re.ASCII | re.IGNORECASE)
_IJCAI_FIRST_DOI_YEAR = 2017


def _publisher_doi(host: str, path: str) -> str | None:
    """The DOI a publisher's paper page carries in its path (decoded, not yet checked), or None."""
    bare = host.removeprefix("www.")
    if bare == "ijcai.org":
        m = _IJCAI_PDF.fullmatch(path)
        if m is None or int(m.group(1)) < _IJCAI_FIRST_DOI_YEAR:
            return None
        return f"10.24963/ijcai.{m.group(1)}/{int(m.group(2))}"
    segs = unquote(path).split("/")  # Springer encodes the DOI's slash: /article/10.1007%2Fs11263-...
    if bare == "link.springer.com":
        if len(segs) < 3 or segs[1] not in _SPRINGER_SECTIONS:
            return None
        start = 3 if segs[1] == "content" and segs[2] == "pdf" else 2
        tail = segs[start : start + 2]
        if len(tail) == 2 and start == 3:
            tail[1] = tail[1].removesuffix(".pdf")
    elif any(bare == h or bare.endswith("." + h) for h in _DOI_PATH_HOSTS):
        if "doi" not in segs:
            return None
        start = segs.index("doi") + 1
        if start < len(segs) and not _DOI_PREFIX_SEGMENT.fullmatch(segs[start]):
            start += 1  # /doi/abs/, /doi/pdf/, /doi/full/, /doi/epdf/ ...
        # MIT Press Direct adds its own article number and a slug; Atypon paths end with the DOI (any slashes kept)
        after = segs[start + 1 : start + 2] if bare.endswith("direct.mit.edu") else segs[start + 1 :]
        rest = [seg for seg in after if seg]
        tail = segs[start : start + 1] + (["/".join(rest)] if rest else [])
    else:
        return None
    if len(tail) != 2 or not _DOI_PREFIX_SEGMENT.fullmatch(tail[0]) or not tail[1]:
        return None
    return f"{tail[0]}/{tail[1]}"


_NEURIPS_HOSTS = frozenset({"proceedings.neurips.cc", "papers.nips.cc"})
#: ``HASH-<file>`` in a year's ``hash/`` or ``file/`` folder: the page, PDF, BibTeX, metadata
#: and supplement of one paper
_NEURIPS_FILE = re.compile(
    r"(?P<hash>[0-9a-fA-F]{32})-(?:Abstract|Paper|Bibtex|Metadata|Supplemental|Supplementary)(?:-[A-Za-z0-9_.-]*)?"
    r"(?:\.[A-Za-z0-9]+)*",
    re.ASCII,
)
_NEURIPS_YEAR = re.compile(r"198[7-9]|199[0-9]|20[0-9]{2}", re.ASCII)
#: an old site's paper: ``N-slug`` with its files (``.pdf``, ``-supplemental.zip``); the slug is not identity
_NEURIPS_LEGACY = re.compile(
    r"(?P<n>[1-9][0-9]{0,5})-[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*(?:\.(?:pdf|zip|bib|html?))?", re.ASCII
)
_NEURIPS_BY_SOURCE = re.compile(r"by-source-(?P<year>198[7-9]|199[0-9]|20[0-9]{2})-(?P<n>[1-9][0-9]{0,5})", re.ASCII)


def _neurips_id(host: str, path: str) -> str | None:
    """``YEAR/HASH`` of a NeurIPS hash link, ``legacy/N`` of an old ``/paper/N-slug`` link,
    ``bysource/YEAR-N`` of ``/paper/by-source-YEAR-N``, or None (other pages)."""
    if host not in _NEURIPS_HOSTS:
        return None
    segs = [seg for seg in unquote(path).split("/") if seg]  # "//paper/2020/..." is a pasted double slash
    if segs[:1] == ["paper"] and (len(segs) == 2 or (len(segs) == 3 and segs[2] == "bibtex")):
        old = _NEURIPS_BY_SOURCE.fullmatch(segs[1]) if len(segs) == 2 else None
        if old is not None:
            return f"bysource/{old.group('year')}-{old.group('n')}"
        old = _NEURIPS_LEGACY.fullmatch(segs[1])
        if old is not None:
            return f"legacy/{old.group('n')}"
    if segs[:1] == ["paper_files"]:
        segs = segs[1:]
    if len(segs) != 4 or segs[0] != "paper" or segs[2] not in ("hash", "file"):
        return None
    m = _NEURIPS_FILE.fullmatch(segs[3])
    if not _NEURIPS_YEAR.fullmatch(segs[1]) or m is None:
        return None
    return f"{segs[1]}/{m.group('hash').lower()}"


_ISCA_HOSTS = frozenset({"www.isca-archive.org", "isca-archive.org"})
_ISCA_OLD_HOSTS = frozenset({"www.isca-speech.org", "isca-speech.org"})
_ISCA_FILE = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9_-]*)\.(?P<ext>html|pdf)", re.ASCII)


def _isca_id(host: str, path: str) -> str | None:
    """``{event}_{year}/{name}`` of an ISCA archive page or PDF (also on the old isca-speech.org/archive), or None."""
    segs = unquote(path).split("/")[1:]
    if host in _ISCA_OLD_HOSTS and segs[:1] == ["archive"]:
        segs = segs[2:] if segs[1:2] == ["pdfs"] and path.lower().endswith(".pdf") else segs[1:]
    elif host not in _ISCA_HOSTS:
        return None
    m = _ISCA_FILE.fullmatch(segs[1]) if len(segs) == 2 and segs[0].isascii() else None
    ident = f"{segs[0]}/{m.group('name')}".lower() if m else ""
    return ident if is_valid_id(Kind.ISCA, ident) else None


def _service(host: str, path: str, query: str = "") -> Kind | None:
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
    if host in _DOI_HOSTS or _publisher_doi(host, path) is not None:
        return Kind.DOI
    if _neurips_id(host, path) is not None:
        return Kind.NEURIPS
    if cvf_id(host, path) is not None:
        return Kind.CVF
    if _isca_id(host, path) is not None:
        return Kind.ISCA
    if pmlr_id(host, path) is not None:  # before JMLR: jmlr.org/proceedings/... is PMLR
        return Kind.PMLR
    if jmlr_id(host, path) is not None:
        return Kind.JMLR
    if ieee_number(host, path, query) is not None:
        return Kind.IEEE
    if acm_number(host, path, query) is not None:
        return Kind.ACM
    if s2_paper_id(host, path) is not None:
        return Kind.S2
    if aaai_article_id(host, path) is not None:
        return Kind.AAAI
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
        return _parse_arxiv_token(text[prefix.end() :], raw)

    bad = _BAD_CHARS.search(text)
    split = _split_url(text[: bad.start()] if bad else text)
    if split is None:
        return None
    parts, host = split
    kind = _service(host, parts.path, parts.query)
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
    if kind is Kind.NEURIPS:
        ident = _neurips_id(host, parts.path)
        return PaperId(Kind.NEURIPS, ident) if ident is not None else None
    if kind is Kind.CVF:
        ident = cvf_id(host, parts.path)
        return PaperId(Kind.CVF, ident) if ident is not None else None
    if kind is Kind.ISCA:
        ident = _isca_id(host, parts.path)
        return PaperId(Kind.ISCA, ident) if ident is not None else None
    if kind in (Kind.PMLR, Kind.JMLR):
        ident = (pmlr_id if kind is Kind.PMLR else jmlr_id)(host, parts.path)
        return PaperId(kind, ident) if ident is not None and is_valid_id(kind, ident) else None
    if kind in (Kind.IEEE, Kind.ACM):
        number = (ieee_number if kind is Kind.IEEE else acm_number)(host, parts.path, parts.query)
        return PaperId(kind, number) if number is not None else None
    if kind is Kind.AAAI:
        article = aaai_article_id(host, parts.path)
        return PaperId(Kind.AAAI, article) if article is not None else None
    if kind is Kind.S2:
        sha = s2_paper_id(host, parts.path)
        return PaperId(Kind.S2, sha) if sha is not None else None
    return _doi_url(parts, host, raw)


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
