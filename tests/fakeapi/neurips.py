"""Fake NeurIPS proceedings: ``GET /neurips/paper_files/paper/{year}/file/{hash}-Bibtex[-Conference].bib``.

A static site: a registered paper answers with its BibTeX file, in the layout the
site writes (one-space indent, ``key = {value}``, fields in alphabetical order, key
``NEURIPS{year}_{first 8 hex}``); from 2022 only the ``-Conference`` form exists, as
on the site for main-track papers. Anything else is an HTML 404 page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .common import Request, Response, html_response, text_response

BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
_PATH = re.compile(
    r"/paper_files/paper/(?P<year>[0-9]{4})/file/(?P<hash>[0-9a-f]{32})-Bibtex(?P<suffix>-Conference)?\.bib"
)
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


class NeuripsService:
    """Registry + request handler for the fake proceedings site."""

    def __init__(self) -> None:
        self._papers: dict[str, NeuripsPaper] = {}

    def add(self, paper: NeuripsPaper) -> None:
        self._papers[f"{paper.year}/{paper.hash}"] = paper

    def handle(self, request: Request) -> Response:
        m = _PATH.fullmatch(request.subpath)
        paper = self._papers.get(f"{m.group('year')}/{m.group('hash')}") if m else None
        if m is None or paper is None or (m.group("suffix") or "") != paper.suffix:
            return html_response(NOT_FOUND_PAGE, 404)
        return text_response(paper.bibtex(), content_type=BIBTEX_CONTENT_TYPE)
