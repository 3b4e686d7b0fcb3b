"""Fake ACL Anthology: ``GET /acl/<ID>.bib`` (and ``.xml`` MODS, ``/<ID>/`` landing page), and in bulk.

The bulk files are built from the registered per-paper exports, as the Anthology
builds its own: ``/volumes/<VOLUME>.bib`` is a volume's entries without their
abstracts (the Anthology dropped abstracts from volume files in 2019), and
``/anthology+abstracts.bib.gz`` is every entry as its ``.bib`` file gives it, one
after another, gzip-compressed. Tests can replace the bulk file's bytes
(``bulk_bytes``, e.g. a truncated gzip) or leave papers out of it (``bulk_omits``).

The Anthology is a static site: a known id answers with its BibTeX file, an unknown
one with an HTML 404 page (never BibTeX), and a bot-protection front end may answer
*anything* with an HTML challenge page -- with status 200. Clients must therefore
check both the status and that the body starts with ``@``; this fake lets tests
exercise all three cases. ``load_fixtures`` registers the exports in
tests/fixtures/acl/ (invented papers, in the Anthology's formats) byte for byte.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from html import escape

from .common import FIXTURES_DIR, Request, Response, html_response

BIBTEX_CONTENT_TYPE = "text/x-bibtex; charset=utf-8"
MODS_CONTENT_TYPE = "application/xml; charset=utf-8"
GZIP_CONTENT_TYPE = "application/gzip"
BULK_FILE = "anthology+abstracts.bib.gz"
_ABSTRACT_LINE = re.compile(r',?\n[ \t]*abstract = "(?:[^"\\]|\\.)*",?(?=\n)')

#: fixture file -> Anthology id it was produced for
FIXTURE_FILES = {
    "acl-anthology-P19-1907.bib": "P19-1907",
    "acl-anthology-2022.acl-long.920.to_bibtex-doc-example.bib": "2022.acl-long.920",
    "acl-anthology-2022.acl-long.968.to_bibtex-with-abstract.bib": "2022.acl-long.968",
    "acl-anthology-2022.acl-short.0.to_bibtex-proceedings.bib": "2022.acl-short.0",
    "acl-anthology-J89-2902.to_bibtex-article.bib": "J89-2902",
}
MODS_FIXTURES = {"acl-anthology-P19-1907.mods.xml": "P19-1907"}

NOT_FOUND_PAGE = """<!doctype html>
<html lang="en-us">
<head>
<meta charset="utf-8">
<title>Page not found - ACL Anthology</title>
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
</head>
<body>
<nav class="navbar navbar-expand-sm navbar-dark bg-dark bg-gradient-dark shadow-sm py-0 mb-3 mb-md-4 mb-xl-5">
<a class="navbar-brand" href="/">ACL Anthology</a>
</nav>
<div id="main-container" class="container">
<section id="main">
<h2 id="title">Page not found</h2>
<p>The page you were looking for (<code>{path}</code>) could not be found.</p>
</section>
</div>
</body>
</html>
"""

#: shape of a Cloudflare managed-challenge interstitial ("Just a moment...")
CHALLENGE_PAGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>\
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" \
content="IE=Edge"><meta name="robots" content="noindex,nofollow"><meta name="viewport" \
content="width=device-width,initial-scale=1"><style>*{box-sizing:border-box;margin:0;padding:0}\
html{line-height:1.15;-webkit-text-size-adjust:100%;color:#313131}</style></head><body>\
<div class="main-wrapper" role="main"><div class="main-content"><noscript><div class="h2">\
<span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>\
</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "aclanthology.org",\
cType: 'managed',cRay: '8f1c2a3b4d5e6f70',cH: 'fake'};}());</script></body></html>"""


@dataclass
class AclPaper:
    anthology_id: str
    bibtex: str
    mods_xml: str | None = None


class AclService:
    """Registry + request handler for the fake ACL Anthology."""

    def __init__(self) -> None:
        #: answer every request with a bot-challenge HTML page
        self.challenge = False
        #: status of the challenge page (Cloudflare often uses 403 + ``cf-mitigated``)
        self.challenge_status = 200
        self._papers: dict[str, AclPaper] = {}
        #: bytes served as the bulk file instead of the real concatenation (None: the real one)
        self.bulk_bytes: bytes | None = None
        #: papers left out of the bulk file (they still have their own ``.bib``)
        self.bulk_omits: set[str] = set()

    def add(self, anthology_id: str, bib_text: str, mods_xml: str | None = None) -> None:
        """Register the exact text served at ``/<anthology_id>.bib`` (and ``.xml``)."""
        self._papers[anthology_id] = AclPaper(anthology_id, bib_text, mods_xml)

    def load_fixtures(self) -> list[str]:
        """Register the fixture exports: P19-1907, 2022.acl-long.920/.968, 2022.acl-short.0, J89-2902."""
        folder = FIXTURES_DIR / "acl"
        for filename, anthology_id in FIXTURE_FILES.items():
            self.add(anthology_id, (folder / filename).read_bytes().decode("utf-8"))
        for filename, anthology_id in MODS_FIXTURES.items():
            self._papers[anthology_id].mods_xml = (folder / filename).read_bytes().decode("utf-8")
        return list(FIXTURE_FILES.values())

    def clear(self) -> None:
        self._papers.clear()

    def bulk_file(self) -> bytes:
        """``anthology+abstracts.bib.gz``: every paper's ``.bib`` text, in id order, gzip-compressed."""
        if self.bulk_bytes is not None:
            return self.bulk_bytes
        texts = [p.bibtex.strip() + "\n" for i, p in sorted(self._papers.items()) if i not in self.bulk_omits]
        return gzip.compress("\n".join(texts).encode("utf-8"), mtime=0)

    def volume_file(self, volume: str) -> str | None:
        """``volumes/<volume>.bib``: the volume's entries without abstracts (None: no such volume)."""
        from tridentbib.identifiers.grammar import acl_volume

        texts = [
            _ABSTRACT_LINE.sub("", paper.bibtex.strip()) + "\n"
            for ident, paper in sorted(self._papers.items())
            if acl_volume(ident) == volume
        ]
        return "\n".join(texts) if texts else None

    def handle(self, request: Request) -> Response:
        if self.challenge:
            return html_response(
                CHALLENGE_PAGE,
                self.challenge_status,
                headers={
                    "Server": "cloudflare",
                    "cf-mitigated": "challenge",
                    "Cache-Control": "private, no-store",
                },
            )
        name = request.subpath.lstrip("/")
        if name == BULK_FILE:
            return Response(200, self.bulk_file(), {"Content-Type": GZIP_CONTENT_TYPE})
        if name.startswith("volumes/") and name.endswith(".bib"):
            volume = self.volume_file(name[len("volumes/") : -len(".bib")])
            if volume is None:
                return self._not_found(request)
            return Response(200, volume.encode("utf-8"), {"Content-Type": BIBTEX_CONTENT_TYPE})
        for suffix, content_type in ((".bib", BIBTEX_CONTENT_TYPE), (".xml", MODS_CONTENT_TYPE)):
            if name.endswith(suffix):
                paper = self._papers.get(name[: -len(suffix)])
                text = None if paper is None else (paper.bibtex if suffix == ".bib" else paper.mods_xml)
                if text is not None:
                    return Response(200, text.encode("utf-8"), {"Content-Type": content_type})
                return self._not_found(request)
        paper = self._papers.get(name.rstrip("/"))
        if paper is not None and name.endswith("/"):
            return html_response(_landing_page(paper))
        return self._not_found(request)

    @staticmethod
    def _not_found(request: Request) -> Response:
        return html_response(NOT_FOUND_PAGE.replace("{path}", escape(request.subpath)), 404)


def _landing_page(paper: AclPaper) -> str:
    title = re.search(r'title\s*=\s*"(.*?)",?\n', paper.bibtex)
    return (
        f'<!doctype html><html lang="en-us"><head><meta charset="utf-8"><title>'
        f"{escape(title.group(1) if title else paper.anthology_id)} - ACL Anthology</title></head>"
        f'<body><h2 id="title">{escape(title.group(1) if title else paper.anthology_id)}</h2>'
        f'<a href="/{paper.anthology_id}.bib">BibTeX</a> <a href="/{paper.anthology_id}.pdf">PDF</a>'
        "</body></html>\n"
    )
