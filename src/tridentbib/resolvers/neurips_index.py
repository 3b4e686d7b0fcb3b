"""A NeurIPS year index read leniently, and the year a list's row gives an old NeurIPS link.

``{TRIDENTBIB_NEURIPS_URL}/paper_files/paper/{year}`` lists every paper of a year: an
``<li>`` per paper holding an ``<a href=".../{year}/hash/{hash}-Abstract[-Track].html">``
with the title as its text, and the authors in an ``<i>`` (older pages) or a
``<span class="paper-authors">`` (newer ones). The markup has changed over the years,
so the parser keeps only what does not: an abstract link of that year (relative or
absolute, ``/paper/`` or ``/paper_files/paper/``) and the text beside it. Broken
markup gives what could be read; it never raises.

An old link (``/paper/5347-slug``) names no year: the row says it (``(2014)``, ``NIPS
2014``, ``NeurIPS 2014``, a date cell), never the slug, which in two real lists names
another paper than its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from tridentbib.latex import collapse_whitespace
from tridentbib.model import Context

#: an abstract page's path in a year's index (the year and hash checked by the caller's grammar)
_ABSTRACT_PATH = re.compile(
    r"/+(?:paper_files/+)?paper/+(?P<year>[0-9]{4})/+hash/+(?P<hash>[0-9a-fA-F]{32})-Abstract(?P<suffix>-[A-Za-z_]+)?\.html",
    re.ASCII,
)
#: "NeurIPS 2014", "NIPS'14", "NIPS-2019" in a row's text
_VENUE_YEAR = re.compile(
    r"(?<![A-Za-z])(?:NeurIPS|NIPS)\s*[-'’]?\s*(?P<year>(?:19|20)[0-9]{2}|[0-9]{2})(?![0-9A-Za-z])"
)
#: a four-digit year on its own (not the 2005 of arXiv:2005.14124, not a number's digits)
_YEAR = re.compile(r"(?<![\w.])((?:19|20)[0-9]{2})(?!\w|\.[0-9]{3})")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
FIRST_YEAR, LAST_YEAR = 1987, 2099


@dataclass(frozen=True)
class IndexPaper:
    """One paper of a year's index."""

    hash: str  #: 32 lower-case hex digits
    title: str  #: as the index writes it (entities decoded, whitespace collapsed)
    authors: tuple[str, ...]
    suffix: str = ""  #: the abstract page's track suffix (``-Conference``, ``-Datasets_and_Benchmarks``), or ""


class _IndexParser(HTMLParser):
    def __init__(self, year: int) -> None:
        super().__init__(convert_charrefs=True)
        self.year = year
        self.papers: list[IndexPaper] = []
        self._link: tuple[str, str] | None = None  #: (hash, suffix) of the abstract link being read
        self._title: list[str] = []
        self._authors: list[str] | None = None  #: text of the authors element being read
        self._depth = 0  #: nesting inside the authors element
        self._pending: tuple[str, str, str] | None = None  #: a paper whose authors may still follow

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._flush()
        found = _abstract_link(dict(attrs).get("href") or "", self.year) if tag == "a" else None
        if found is not None:
            self._flush()
            self._link, self._title = found, []
            return
        if self._authors is not None:
            self._depth += tag not in _VOID
        elif self._pending is not None and (
            tag == "i" or (tag == "span" and "paper-authors" in (dict(attrs).get("class") or "").split())
        ):
            self._authors, self._depth = [], 0

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag == "a" and self._link is not None:
            title = collapse_whitespace("".join(self._title))
            if title:
                self._pending = (self._link[0], self._link[1], title)
            self._link = None
            return
        if self._authors is not None:
            if self._depth:
                self._depth -= 1
                return
            self._flush()
            return
        if tag in ("li", "ul", "ol", "body"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._title.append(data)
        elif self._authors is not None:
            self._authors.append(data)

    def _flush(self) -> None:
        if self._pending is not None:
            digest, suffix, title = self._pending
            text = collapse_whitespace("".join(self._authors or []))
            names = tuple(name.strip() for name in text.split(",") if name.strip())
            self.papers.append(IndexPaper(digest, title, names, suffix))
        self._pending, self._authors, self._depth = None, None, 0

    def close(self) -> None:
        super().close()
        if self._link is not None:  # an abstract link never closed: its text up to the end
            self.handle_endtag("a")
        self._flush()


def _abstract_link(href: str, year: int) -> tuple[str, str] | None:
    """(hash, suffix) of an abstract page of ``year`` (a link to another year's page is not this index's paper)."""
    path = urlsplit(href.strip()).path if "://" in href else href.strip().split("?")[0].split("#")[0]
    found = _ABSTRACT_PATH.fullmatch(path if path.startswith("/") else "/" + path)
    if found is None or int(found.group("year")) != year:
        return None
    return found.group("hash").lower(), found.group("suffix") or ""


def parse_index(html: str, year: int) -> list[IndexPaper]:
    """Every paper a year's index page lists, in page order (the first of a hash listed twice)."""
    parser = _IndexParser(year)
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser on hopeless markup: keep what was read
        parser._flush()
    seen: set[str] = set()
    papers = []
    for paper in parser.papers:
        if paper.hash not in seen:
            seen.add(paper.hash)
            papers.append(paper)
    return papers


# -- the year a row gives --------------------------------------------------------


def _plausible(year: int) -> int | None:
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def row_year(row: Context) -> int | None:
    """The year a row or bullet gives its paper: ``NeurIPS 2014`` / ``NIPS'14`` first, then the
    date cell, then a year in its text or cells outside its title; None when it gives none."""
    texts = [row.text] + [text for _header, text in row.cells]
    if row.title:
        texts = [text.replace(row.title, " ") for text in texts]
    texts = [_URL.sub(" ", text) for text in texts if text]
    for text in texts:
        venue = _VENUE_YEAR.search(text)
        if venue is not None:
            digits = venue.group("year")
            year = int(digits) if len(digits) == 4 else (1900 if int(digits) >= 87 else 2000) + int(digits)
            if _plausible(year):
                return year
    date = re.match(r"\s*((?:19|20)[0-9]{2})(?![0-9])", row.date or "")
    if date and _plausible(int(date.group(1))):
        return int(date.group(1))
    for text in texts:
        for found in _YEAR.finditer(text):
            if _plausible(int(found.group(1))):
                return int(found.group(1))
    return None
