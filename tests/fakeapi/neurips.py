"""Fake NeurIPS proceedings: ``GET /neurips/paper_files/paper/{year}/file/{hash}-Bibtex[-Conference].bib``.

A static site: a registered paper answers with its BibTeX file, in the layout the
site writes (one-space indent, ``key = {value}``, fields in alphabetical order, key
``NEURIPS{year}_{first 8 hex}``); from 2022 only the ``-Conference`` form exists, as
on the site for main-track papers. Anything else is an HTML 404 page.

``GET /neurips/paper_files/paper/{year}`` is the year's index, in the site's markup:
``<ul class="paper-list">`` with one ``<li>`` per registered paper of that year, its
``<a title="paper title" href="/paper_files/paper/{year}/hash/{hash}-Abstract[-Conference].html">``
and its authors ("Given Family", comma-separated) in an ``<i>`` (before 2022) or a
``<span class="paper-authors">`` (from 2022). A year with no registered paper is a 404.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .common import Request, Response, html_response, text_response

BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
_PATH = re.compile(
    r"/paper_files/paper/(?P<year>[0-9]{4})/file/(?P<hash>[0-9a-f]{32})-Bibtex(?P<suffix>-Conference)?\.bib"
)
_INDEX_PATH = re.compile(r"/paper_files/paper/(?P<year>[0-9]{4})/?")
NOT_FOUND_PAGE = "<!doctype html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


@dataclass
class NeuripsPaper:
    year: int
    hash: str
    title: str
    authors: list[str]  #: "Family, Given", as the site writes them
    editors: list[str] = field(default_factory=lambda: ["A. Editor", "B. Editor"])
    pages: str | None = "1--9"
    volume: str = "33"

    @property
    def suffix(self) -> str:
        return "-Conference" if self.year >= 2022 else ""

    def bibtex(self) -> str:
        fields = {
            "author": " and ".join(self.authors),
            "booktitle": "Advances in Neural Information Processing Systems",
            "editor": " and ".join(self.editors),
            "pages": self.pages,
            "publisher": "Curran Associates, Inc.",
            "title": self.title,
            "url": f"https://proceedings.neurips.cc/paper_files/paper/{self.year}/file/{self.hash}-Paper{self.suffix}.pdf",
            "volume": self.volume,
            "year": str(self.year),
        }
        body = ",\n".join(f" {name} = {{{value}}}" for name, value in fields.items() if value)
        return f"@inproceedings{{NEURIPS{self.year}_{self.hash[:8]},\n{body}\n}}\n"

    def index_item(self) -> str:
        """The paper's ``<li>`` in its year's index."""
        names = ", ".join(" ".join(reversed([part.strip() for part in name.split(",", 1)])) for name in self.authors)
        href = f"/paper_files/paper/{self.year}/hash/{self.hash}-Abstract{self.suffix}.html"
        link = f'<a title="paper title" href="{href}">{html.escape(self.title)}</a>'
        if self.year >= 2022:
            return (
                f'<li class="conference"><div class="paper-content">{link}\n'
                f'<span class="paper-authors">{html.escape(names)}</span></div></li>'
            )
        return f'<li class="none">{link} <i>{html.escape(names)}</i></li>'


def index_page(year: int, papers: list[NeuripsPaper]) -> str:
    """A year's index page, in the site's layout."""
    items = "\n".join(paper.index_item() for paper in papers)
    return (
        "<!doctype html><html><head><title>NeurIPS Proceedings</title></head><body>"
        '<div class="container-fluid"><h4>Advances in Neural Information Processing Systems '
        f"{year - 1986} (NeurIPS {year})</h4>\n"
        f'<ul class="paper-list">\n{items}\n</ul></div></body></html>\n'
    )


class NeuripsService:
    """Registry + request handler for the fake proceedings site."""

    def __init__(self) -> None:
        self._papers: dict[str, NeuripsPaper] = {}

    def add(self, paper: NeuripsPaper) -> None:
        self._papers[f"{paper.year}/{paper.hash}"] = paper

    def handle(self, request: Request) -> Response:
        index = _INDEX_PATH.fullmatch(request.subpath)
        if index is not None:
            listed = [paper for paper in self._papers.values() if paper.year == int(index.group("year"))]
            return (
                html_response(index_page(int(index.group("year")), listed))
                if listed
                else html_response(NOT_FOUND_PAGE, 404)
            )
        m = _PATH.fullmatch(request.subpath)
        paper = self._papers.get(f"{m.group('year')}/{m.group('hash')}") if m else None
        if m is None or paper is None or (m.group("suffix") or "") != paper.suffix:
            return html_response(NOT_FOUND_PAGE, 404)
        return text_response(paper.bibtex(), content_type=BIBTEX_CONTENT_TYPE)
