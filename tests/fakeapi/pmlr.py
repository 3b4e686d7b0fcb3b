"""Fake PMLR: ``GET /pmlr/vN/ID.html`` (a paper page) and ``GET /pmlr/vN/assets/bib/bibliography.bib``.

A static site built from one template (``lawrennd/proceedings``): a paper page carries
Highwire ``citation_*`` meta (one ``citation_author`` per author, "Given Family"), an
``#info`` line, the abstract in ``div#abstract`` and the paper's BibTeX in
``code#bibtex``; the volume's bibliography is every paper's BibTeX in the same
template, one after another (keys ``pmlr-vN-ID``, a tab after each ``=``, ``month`` =
the conference's date range). Anything else is an HTML 404 page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .common import Request, Response, html_response, text_response

BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
_PAGE = re.compile(r"/(?P<volume>v[0-9]+)/(?P<id>[A-Za-z0-9_-]+)\.html")
_VOLUME = re.compile(r"/(?P<volume>v[0-9]+)/assets/bib/bibliography\.bib")
NOT_FOUND_PAGE = "<!DOCTYPE html><html><head><title>404</title></head><body><h1>Page not found</h1></body></html>"


@dataclass
class PmlrVolume:
    volume: str  #: "v901"
    booktitle: str
    editors: list[tuple[str, str]]  #: (given, family)
    year: str
    date_str: str = "18--24 Jul"  #: the conference's dates: what the template prints as ``month``
    published: str = ""  #: date of issue, YYYY-MM-DD
    address: str = ""


@dataclass
class PmlrPaper:
    volume: PmlrVolume
    id: str
    title: str
    authors: list[tuple[str, str]]  #: (given, family)
    firstpage: int = 1
    lastpage: int = 9
    abstract: str = "An invented abstract."
    #: does the page print the BibTeX block (the template's copy button)? Old themes did not
    page_bibtex: bool = True
    extra_meta: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.volume.volume}/{self.id}"

    def bibtex(self) -> str:
        vol = self.volume
        people = " and ".join(f"{family}, {given}" for given, family in self.authors)
        editors = " and ".join(f"{family}, {given}" for given, family in vol.editors)
        site = f"https://proceedings.mlr.press/{vol.volume}"
        lines = [
            f"@InProceedings{{pmlr-{vol.volume}-{self.id},",
            f"  title = \t {{{self.title}}},",
            f"  author =       {{{people}}},",
            f"  booktitle = \t {{{vol.booktitle}}},",
            f"  pages = \t {{{self.firstpage}--{self.lastpage}}},",
            f"  year = \t {{{vol.year}}},",
            f"  editor = \t {{{editors}}},",
            f"  volume = \t {{{vol.volume[1:]}}},",
            "  series = \t {Proceedings of Machine Learning Research},",
        ]
        if vol.address:
            lines.append(f"  address = \t {{{vol.address}}},")
        lines += [
            f"  month = \t {{{vol.date_str}}},",
            "  publisher =    {PMLR},",
            f"  pdf = \t {{{site}/{self.id}/{self.id}.pdf}},",
            f"  url = \t {{{site}/{self.id}.html}},",
            f"  abstract = \t {{{self.abstract}}}",
            "}",
        ]
        return "\n".join(lines) + "\n"

    def page(self) -> str:
        vol, esc = self.volume, html.escape
        meta = [
            ("citation_publisher", "PMLR"),
            ("citation_title", self.title),
            ("citation_language", "en"),
            ("citation_abstract_html_url", f"/{vol.volume}/{self.id}.html"),
            ("citation_pdf_url", f"https://proceedings.mlr.press/{vol.volume}/{self.id}/{self.id}.pdf"),
            ("citation_firstpage", str(self.firstpage)),
            ("citation_lastpage", str(self.lastpage)),
        ]
        meta += [("citation_author", f"{given} {family}") for given, family in self.authors]
        if vol.published:
            meta.append(("citation_publication_date", vol.published.replace("-", "/")))
        meta.append(("citation_conference_title", "International Conference on Invented Learning"))
        meta += list(self.extra_meta.items())
        head = "\n".join(f'<meta name="{name}" content="{esc(value)}">' for name, value in meta)
        names = ", ".join(f"{given}&nbsp;{family}" for given, family in self.authors)
        bibtex = f'<code class="citecode" id="bibtex">{esc(self.bibtex())}</code>' if self.page_bibtex else ""
        return (
            f"<!DOCTYPE html>\n<html><head><title>{esc(self.title)}</title>\n{head}\n</head><body>\n"
            f'<article class="post-content"><h1>{esc(self.title)}</h1>\n<span class="authors">{names}</span>\n'
            f'<div id="info" class="info"><i>{esc(vol.booktitle)}</i>, PMLR {vol.volume[1:]}:'
            f"{self.firstpage}-{self.lastpage}, {vol.year}.</div>\n"
            f'<h4>Abstract</h4>\n<div id="abstract" class="abstract">{esc(self.abstract)}</div>\n'
            f"<h4>Cite this Paper</h4>\n{bibtex}\n</article></body></html>\n"
        )


class PmlrService:
    """Registry + request handler for the fake proceedings site."""

    def __init__(self) -> None:
        self._papers: dict[str, PmlrPaper] = {}
        #: volumes whose ``bibliography.bib`` the site does not publish (a 404)
        self.no_volume_file: set[str] = set()

    def add(self, paper: PmlrPaper) -> None:
        self._papers[paper.key] = paper

    def handle(self, request: Request) -> Response:
        page = _PAGE.fullmatch(request.subpath)
        if page is not None:
            paper = self._papers.get(f"{page.group('volume')}/{page.group('id')}")
            return html_response(paper.page()) if paper else html_response(NOT_FOUND_PAGE, 404)
        volume = _VOLUME.fullmatch(request.subpath)
        if volume is not None and volume.group("volume") not in self.no_volume_file:
            members = [p for p in self._papers.values() if p.volume.volume == volume.group("volume")]
            if members:
                return text_response("\n".join(p.bibtex() for p in members), content_type=BIBTEX_CONTENT_TYPE)
        return html_response(NOT_FOUND_PAGE, 404)
