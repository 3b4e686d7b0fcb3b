"""Sites that publish papers which no supported API resolves (yet): the one list of them.

A bullet or paragraph of a list that links one of these names a paper, so it
becomes an entry built from what the list says (title, year, the link) instead of
a link reported "not in a paper table". The rule lives here alone because a later
issue will give some of these hosts resolvers of their own. NeurIPS hash links
(``/paper/YEAR/hash/HASH-Abstract.html`` and the files beside it) now resolve
(``tridentbib.resolvers.neurips``), and so do the old ``/paper/NNNN-slug`` and
``/paper/by-source-YYYY-N`` links (through the year index, by the row's title and year):
``classify_url`` names them before this list is asked, so the NeurIPS rows below only
still catch the site's other pages.
PMLR and JMLR paper links (``proceedings.mlr.press/vN/ID.html``, ``jmlr.org/papers/vN/ID.html``,
``jmlr.org/proceedings/papers/vN/ID.pdf``, ...) resolve too (``tridentbib.resolvers.pmlr``,
``.jmlr``); their rows below catch the other pages of those sites.

Matching is by exact domain or subdomain (``x.ieeexplore.ieee.org`` is IEEE
Xplore, ``ieeexplore.ieee.org.evil.com`` is not), and a site's home page is not a
paper (``https://dl.acm.org/``). A link to a PDF file names a paper wherever it
is, except on sites that host code, talks and pictures (``github.com/.../x.pdf``,
``.../slides.pdf``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: (domain, path prefix a paper's page starts with): proceedings, publishers and
#: indexes whose links in a reading list are papers
PAPER_HOSTS: tuple[tuple[str, str], ...] = (
    ("proceedings.neurips.cc", "/"),  # paper links resolve (Kind.NEURIPS, old ones by the year index); others stay
    ("papers.nips.cc", "/"),
    ("openaccess.thecvf.com", "/"),  # paper pages and PDFs resolve (Kind.CVF); other pages stay here
    ("cv-foundation.org", "/"),  # /openaccess/ paper pages and PDFs resolve (Kind.CVF)
    ("proceedings.mlr.press", "/"),
    ("jmlr.org", "/"),
    ("ieeexplore.ieee.org", "/"),
    ("dl.acm.org", "/"),
    ("link.springer.com", "/"),
    ("ijcai.org", "/"),
    ("aaai.org", "/"),  # covers ojs.aaai.org
    ("isca-archive.org", "/"),  # paper pages and PDFs resolve (Kind.ISCA); other pages stay here
    ("isca-speech.org", "/"),  # /archive/{event}_{year}/{name} resolves; old /abstracts/NNNN.html links stay here
    ("doi.org", "/10."),  # a DOI no supported service resolves (arXiv and ACL DOIs are theirs)
    ("semanticscholar.org", "/paper/"),
    ("nature.com", "/"),
    ("sciencedirect.com", "/"),
)

#: sites whose PDFs are code, talks, pictures or profiles rather than papers
NOT_PAPER_HOSTS: tuple[str, ...] = (
    "github.com",
    "githubusercontent.com",
    "shields.io",
    "youtube.com",
    "youtu.be",
    "scholar.google.com",
    "slideshare.net",
    "speakerdeck.com",
)

#: words in a PDF's path that mark slides or a poster, not the paper
_TALK_WORDS = ("slide", "poster", "talk", "tutorial")

#: last path segments of a site's front page
_HOME_PAGES = ("", "index.html", "index.htm", "index.php", "home.jsp", "home")


def is_paper_host(url: str) -> bool:
    """Does ``url`` point at a paper on a site no supported API resolves?"""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:  # a malformed port or IPv6 address
        return False
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    path = parts.path
    if path.lower().endswith(".pdf"):
        return not _on_any(host, NOT_PAPER_HOSTS) and not any(word in path.lower() for word in _TALK_WORDS)
    if path.rstrip("/").rsplit("/", 1)[-1].lower() in _HOME_PAGES:
        return False
    return any(_on(host, domain) and path.startswith(prefix) for domain, prefix in PAPER_HOSTS)


def _on(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _on_any(host: str, domains: tuple[str, ...]) -> bool:
    return any(_on(host, domain) for domain in domains)
