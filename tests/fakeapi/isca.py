"""Fake ISCA archive: ``GET /isca/{event}_{year}/{name}.html``, a paper's page with its BibTeX block.

A static site: a registered paper answers with its HTML page, which shows the
paper's BibTeX in the archive's layout (two-space indent, ``name={value}``, the
title doubly braced, ``year`` a bare number, ``booktitle={Proc. Interspeech 2021}``,
``pages``, ``doi={10.21437/Interspeech.2021-NNN}``; key = the page's name). The rest
of the page around the block is invented: only the block's shape is known. The
page is HTML, so the block is HTML-escaped (``&amp;``). Anything else is an HTML
404 page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .common import Request, Response, html_response

_PATH = re.compile(r"/(?P<folder>[a-z][a-z0-9]*_[0-9]{4})/(?P<name>[a-z0-9][a-z0-9_-]*)\.html")
NOT_FOUND_PAGE = "<!doctype html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


@dataclass
class IscaPaper:
    folder: str  #: ``interspeech_2021``
    name: str  #: ``doe21_interspeech``
    title: str
    authors: list[str]  #: "Given Family", as the archive writes them
    doi_number: str  #: ``1234`` of ``10.21437/Interspeech.2021-1234``: not the page's name
    pages: str | None = "1--5"
    booktitle: str = ""
    #: a page whose BibTeX block is missing (a changed layout, an error page answered 200)
    no_block: bool = False

    @property
    def year(self) -> str:
        return self.folder.rsplit("_", 1)[1]

    def bibtex(self) -> str:
        event = self.folder.rsplit("_", 1)[0]
        label = "Interspeech" if event == "interspeech" else event.upper()
        fields = [
            ("author", "{" + " and ".join(self.authors) + "}"),
            ("title", "{{" + self.title + "}}"),
            ("year", self.year),
            ("booktitle", "{" + (self.booktitle or f"Proc. {label} {self.year}") + "}"),
            ("pages", "{" + self.pages + "}" if self.pages else ""),
            ("doi", "{10.21437/" + f"{label}.{self.year}-{self.doi_number}" + "}"),
        ]
        body = ",\n".join(f"  {name}={value}" for name, value in fields if value)
        return f"@inproceedings{{{self.name},\n{body}\n}}\n"

    def page(self) -> str:
        block = "" if self.no_block else f'<pre class="bibtex">{html.escape(self.bibtex(), quote=False)}</pre>'
        return (
            "<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>ISCA Archive - {html.escape(self.title)}</title>"
            "<style>@media (max-width: 600px) { body { margin: 0 } } @page { margin: 1cm }</style></head>"
            f"<body><h3>{html.escape(self.title)}</h3><p>{html.escape(', '.join(self.authors))}</p>"
            f"<p><a href='{self.name}.pdf'>PDF</a></p><h4>Cite as</h4>{block}</body></html>"
        )


class IscaService:
    """Registry + request handler for the fake archive."""

    def __init__(self) -> None:
        self._papers: dict[str, IscaPaper] = {}

    def add(self, paper: IscaPaper) -> None:
        self._papers[f"{paper.folder}/{paper.name}"] = paper

    def handle(self, request: Request) -> Response:
        m = _PATH.fullmatch(request.subpath)
        paper = self._papers.get(f"{m.group('folder')}/{m.group('name')}") if m else None
        if paper is None:
            return html_response(NOT_FOUND_PAGE, 404)
        return html_response(paper.page())
