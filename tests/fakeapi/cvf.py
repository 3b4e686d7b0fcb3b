"""Fake CVF open access: ``GET /cvf/{folder}/html/{stem}.html`` and ``GET /cvf-legacy/openaccess/{folder}/html/{stem}.html``.

Two static hosts, one registry: openaccess.thecvf.com (``/cvf``) and the old
www.cv-foundation.org (``/cvf-legacy``, pages under ``/openaccess/``). A registered
paper answers on the hosts it is put on with its page in the site's markup: the
``citation_*`` meta in the head, ``<div id="papertitle">``, ``<div id="abstract">``
and the BibTeX in ``<div class="bibref pre-white-space">`` (2020 on, with ``pages``)
or in ``<div class="bibref">`` with ``<br>`` line ends and no ``pages`` (the older
layout). Text is HTML-escaped as a page writes it. Paths are case-sensitive, as on
the site. Anything else is an HTML 404 page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from .common import Request, Response, html_response

NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    "<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>"
)


@dataclass
class CvfPaper:
    folder: (
        str  #: as the site spells it: ``content_cvpr_2016``, ``content/CVPR2023``, ``content_cvpr_workshops_2014/W15``
    )
    stem: str
    title: str
    authors: list[str]  #: "Family, Given", as the site writes them
    booktitle: str = "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
    year: int = 2023
    pages: tuple[int, int] | None = (1, 10)
    abstract: str = "An invented abstract."
    key: str = ""
    #: the older page layout: ``<br>`` line ends and no ``pages`` in the BibTeX (the meta still has them)
    old_layout: bool = False
    #: False: a page without the BibTeX block (only the meta and the divs)
    with_bibtex: bool = True
    hosts: frozenset[str] = field(default_factory=lambda: frozenset({"main"}))  #: "main", "legacy"

    @property
    def ident(self) -> str:
        return f"{self.folder}/{self.stem}"

    def bibtex(self) -> str:
        key = self.key or f"{self.authors[0].split(',')[0]}_{self.year}_CVPR"
        fields = [
            ("author", " and ".join(self.authors)),
            ("title", self.title),
            ("booktitle", self.booktitle),
            ("month", "June"),
            ("year", str(self.year)),
        ]
        if self.pages and not self.old_layout:
            fields.append(("pages", f"{self.pages[0]}-{self.pages[1]}"))
        if self.old_layout:
            body = ",<br>\n".join(f"{name} = {{{escape(value)}}}" for name, value in fields)
            return f'<div class="bibref">\n@InProceedings{{{key},<br>\n{body}<br>\n}}\n</div>'
        body = ",\n".join(f"    {name:<9} = {{{escape(value)}}}" for name, value in fields)
        return f'<div class="bibref pre-white-space">@InProceedings{{{key},\n{body}\n}}</div>'

    def page(self, site: str) -> str:
        meta = [("citation_title", self.title)] + [("citation_author", name) for name in self.authors]
        meta += [
            ("citation_publication_date", str(self.year)),
            ("citation_conference_title", self.booktitle.removesuffix(" (CVPR)")),
        ]
        if self.pages:
            meta += [("citation_firstpage", str(self.pages[0])), ("citation_lastpage", str(self.pages[1]))]
        meta.append(("citation_pdf_url", f"{site}/{self.folder}/papers/{self.stem}.pdf"))
        head = "\n".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in meta)
        bib = self.bibtex() if self.with_bibtex else ""
        authors = ", ".join(escape(" ".join(reversed(name.split(", ")))) for name in self.authors)
        return (
            "<!DOCTYPE html>\n<html>\n<head>\n"
            f"<title>CVPR {self.year} Open Access Repository</title>\n{head}\n</head>\n<body>\n"
            '<div id="header"><a href="/">CVF Open Access</a></div>\n<div id="content">\n<dl>\n'
            f'<dd>\n<div id="papertitle">\n{escape(self.title)}</div>\n'
            f'<div id="authors"><br><b><i>{authors}</i></b>; Proceedings, {self.year}, pp. 1-2</div>\n'
            '<font size="5"><br><b>Abstract</b></font><br><br>\n'
            f'<div id="abstract">\n{escape(self.abstract)}\n</div>\n'
            f'<font size="5"><br><b>Related Material</b></font><br><br>\n[<a href="/{self.folder}/papers/{self.stem}.pdf">pdf</a>]\n'
            f"{bib}\n</dd>\n</dl>\n</div>\n</body>\n</html>\n"
        )


class CvfService:
    """Registry + request handlers for the fake CVF hosts (``handle`` main, ``handle_legacy`` the old one)."""

    def __init__(self) -> None:
        self._papers: dict[str, CvfPaper] = {}

    def add(self, paper: CvfPaper) -> None:
        self._papers[paper.ident] = paper

    def _answer(self, path: str, host: str, site: str) -> Response:
        folder, marker, name = path.lstrip("/").rpartition("/html/")
        paper = (
            self._papers.get(f"{folder}/{name.removesuffix('.html')}") if marker and name.endswith(".html") else None
        )
        if paper is None or host not in paper.hosts:
            return html_response(NOT_FOUND_PAGE, 404)
        return html_response(paper.page(site))

    def handle(self, request: Request) -> Response:
        return self._answer(request.subpath, "main", "https://openaccess.thecvf.com")

    def handle_legacy(self, request: Request) -> Response:
        if not request.subpath.startswith("/openaccess/"):
            return html_response(NOT_FOUND_PAGE, 404)
        return self._answer(
            request.subpath.removeprefix("/openaccess"), "legacy", "https://www.cv-foundation.org/openaccess"
        )
