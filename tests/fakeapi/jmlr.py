"""Fake JMLR: ``GET /jmlr/papers/vN/ID.bib`` (the site's BibTeX) and ``GET /jmlr/papers/vN/ID.html`` (its page).

The BibTeX is in the site's layout (``@article{JMLR:vN:ID,``, two-space indent, aligned
``=``, names as "Given Family", no abstract). The page shows the title, the authors, the
citation line and the abstract: after an ``<h3>Abstract</h3>`` heading, in a
``<p class="abstract">`` (``abstract_markup="class"``) or as bare text
(``abstract_markup="heading"``), or not at all (``None``). Anything else is an HTML 404.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .common import Request, Response, html_response, text_response

BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
_PATH = re.compile(r"/papers/(?P<volume>v[0-9]+)/(?P<id>[A-Za-z0-9_-]+)\.(?P<ext>bib|html)")
NOT_FOUND_PAGE = "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


@dataclass
class JmlrPaper:
    volume: str  #: "v77"
    id: str
    title: str
    authors: list[str]  #: "Given Family", as the site writes them
    year: str
    number: str = "1"
    pages: str = "1--30"
    abstract: str = "An invented abstract."
    abstract_markup: str | None = "class"
    has_page: bool = True

    @property
    def key(self) -> str:
        return f"{self.volume}/{self.id}"

    def bibtex(self) -> str:
        fields = {
            "author": " and ".join(self.authors),
            "title": self.title,
            "journal": "Journal of Machine Learning Research",
            "year": self.year,
            "volume": self.volume[1:],
            "number": self.number,
            "pages": self.pages,
            "url": f"http://jmlr.org/papers/{self.volume}/{self.id}.html",
        }
        body = ",\n".join(f"  {name:<7} = {{{value}}}" for name, value in fields.items())
        return f"@article{{JMLR:{self.volume}:{self.id},\n{body}\n}}\n"

    def page(self) -> str:
        esc = html.escape
        if self.abstract_markup == "class":
            abstract = f'<h3>Abstract</h3>\n<p class="abstract">\n{esc(self.abstract)}\n</p>'
        elif self.abstract_markup == "heading":
            abstract = f'<h3>Abstract</h3>\n{esc(self.abstract)}\n<font color="gray"><p>[abs]</p></font>'
        else:
            abstract = ""
        return (
            f"<!DOCTYPE html>\n<html><head><title>{esc(self.title)}</title>\n"
            f'<meta name="citation_title" content="{esc(self.title)}">\n</head><body>\n<div id="content">\n'
            f"<h2>{esc(self.title)}</h2>\n<p><b><i>{esc(', '.join(self.authors))}</i></b>; "
            f"{self.volume[1:]}({self.number}):{self.pages.replace('--', '&minus;')}, {self.year}.</p>\n"
            f"{abstract}\n<h3>[pdf][bib]</h3>\n</div></body></html>\n"
        )


class JmlrService:
    """Registry + request handler for the fake journal site."""

    def __init__(self) -> None:
        self._papers: dict[str, JmlrPaper] = {}

    def add(self, paper: JmlrPaper) -> None:
        self._papers[paper.key] = paper

    def handle(self, request: Request) -> Response:
        m = _PATH.fullmatch(request.subpath)
        paper = self._papers.get(f"{m.group('volume')}/{m.group('id')}") if m else None
        if m is None or paper is None:
            return html_response(NOT_FOUND_PAGE, 404)
        if m.group("ext") == "bib":
            return text_response(paper.bibtex(), content_type=BIBTEX_CONTENT_TYPE)
        return html_response(paper.page()) if paper.has_page else html_response(NOT_FOUND_PAGE, 404)
