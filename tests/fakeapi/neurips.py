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

``GET /neurips/paper_files/paper/{year}/file/{hash}-Metadata.json`` is served for papers
of 1987-2019, as on the site, in its JSON shape: ``title``, ``abstract``, ``authors``
(``given_name``, ``family_name``, ``institution``), ``book``, ``publisher``, ``volume``,
``page_first``, ``page_last`` (no page keys for a paper without pages). A paper's
``metadata`` switch makes it a 404 (``"missing"``) or a body that is no JSON
(``"broken"``); 2020 and later are always a 404.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .common import Request, Response, html_response, json_response, text_response

BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
_PATH = re.compile(
    r"/paper_files/paper/(?P<year>[0-9]{4})/file/(?P<hash>[0-9a-f]{32})-Bibtex(?P<suffix>-Conference)?\.bib"
)
_METADATA_PATH = re.compile(r"/paper_files/paper/(?P<year>[0-9]{4})/file/(?P<hash>[0-9a-f]{32})-Metadata\.json")
#: the last year the site serves Metadata.json for
METADATA_UNTIL = 2019
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
    abstract: str = "We invent a method and show that it works on invented data."
    #: Metadata.json (to 2019): "json" as the site writes it, "missing" (a 404) or "broken" (not JSON)
    metadata: str = "json"

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

    def metadata_json(self) -> dict[str, object]:
        """The paper's Metadata.json: plain Unicode text (the BibTeX's ``M{\\"u}ller`` is ``Müller``),
        names split from the "Family, Given" authors, invented institutions."""
        from tridentbib.latex import from_latex

        authors = []
        for name in self.authors:
            family, _, given = (from_latex(part.strip()) for part in name.partition(","))
            authors.append({"given_name": given, "family_name": family, "institution": "Invented University"})
        data: dict[str, object] = {"abstract": self.abstract, "authors": authors}
        data["book"] = "Advances in Neural Information Processing Systems"
        if self.pages:
            first, _, last = self.pages.partition("--")
            data["page_first"], data["page_last"] = int(first), int(last or first)
        data |= {"publisher": "Curran Associates, Inc.", "title": from_latex(self.title)}
        data["volume"] = int(self.volume) if self.volume.isdigit() else self.volume
        return data

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
        meta = _METADATA_PATH.fullmatch(request.subpath)
        if meta is not None:
            paper = self._papers.get(f"{meta.group('year')}/{meta.group('hash')}")
            if paper is None or paper.year > METADATA_UNTIL or paper.metadata == "missing":
                return html_response(NOT_FOUND_PAGE, 404)
            if paper.metadata == "broken":
                return text_response("{not json", content_type="application/json")
            return json_response(paper.metadata_json())
        m = _PATH.fullmatch(request.subpath)
        paper = self._papers.get(f"{m.group('year')}/{m.group('hash')}") if m else None
        if m is None or paper is None or (m.group("suffix") or "") != paper.suffix:
            return html_response(NOT_FOUND_PAGE, 404)
        return text_response(paper.bibtex(), content_type=BIBTEX_CONTENT_TYPE)
