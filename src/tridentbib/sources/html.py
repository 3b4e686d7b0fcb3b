"""Raw HTML inside a Markdown list -> table rows, and links with their text.

GitHub renders the HTML of a README, and many awesome lists keep their papers in
``<table>`` rows, ``<a href>`` links and badges, or ``<details>`` blocks.
markdown-it hands such HTML over untouched, as ``html_block`` and ``html_inline``
tokens. We read it with the standard library's :class:`html.parser.HTMLParser`:
a tolerant tokenizer that copes with the unclosed ``<td>``, unquoted attributes
and stray ``<`` of hand-written HTML, decodes entities, and adds no dependency.
Regexes over HTML would not cope.

One :class:`HtmlReader` reads a whole document, fed piece by piece as the
Markdown walk reaches them, because markdown-it cuts an HTML table at every
blank line and may put Markdown between the pieces (a blank line inside a
``<td>`` makes its content a Markdown paragraph). While a cell is open, the
Markdown reader hands that content over with :meth:`HtmlReader.text` and
:meth:`HtmlReader.link`, so it ends up in its cell.

What comes out (:meth:`HtmlReader.feed_at`, :meth:`HtmlReader.finish`):

* :class:`HtmlRow`: a ``<tr>`` with its cells' text and links, and its table's
  header (the ``<th>`` cells of a header row, or the first row of ``<thead>``),
  for the Markdown reader to treat exactly like a GFM table row;
* :class:`HtmlRun`: text and links outside tables, one per block element
  (``<p>``, ``<li>``, ``<div>``, ``<summary>``, a heading, ...) or per
  ``html_block``.

Only ``http(s)://`` and ``arXiv:`` hrefs are links (not ``#anchors``, relative
paths, ``mailto:`` or ``javascript:``); ``<img src>`` is a picture, not a link,
so a badge ``<a href><img></a>`` is just its link. Comments, ``<script>`` and
``<style>`` are not read; text in ``<code>``/``<pre>`` is never searched for URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Callable

#: (url, link text, line), as the Markdown reader keeps links
LinkAt = tuple[str, str, int]

#: elements that end a stretch of text outside tables (and separate words inside a cell)
_BLOCKS = frozenset(
    "p div li ul ol dl dt dd details summary blockquote section article aside header footer nav "
    "center figure figcaption hr pre h1 h2 h3 h4 h5 h6".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
#: elements whose content is not text of the list
_UNREAD = frozenset({"script", "style"})
#: elements whose text is code: read as text, never searched for URLs
_CODE = frozenset({"code", "pre", "kbd", "samp"})


@dataclass
class HtmlRow:
    """One ``<tr>`` of a table body."""

    line: int
    cells: list[tuple[str, list[LinkAt]]]  #: (text, links) per cell
    header: tuple[str, ...] | None  #: the table's header cells; None when it has no header row


@dataclass
class HtmlRun:
    """Text and links outside tables: one block element, or what an ``html_block`` holds."""

    line: int
    text: str
    links: list[LinkAt]
    heading: bool = False  #: an ``<h1>``..``<h6>``: its text names a section


@dataclass
class _Buffer:
    """Text and links being gathered for a cell or a run."""

    line: int = 0  #: line of the first text or link
    parts: list[str] = field(default_factory=list)
    links: list[LinkAt] = field(default_factory=list)

    def add_text(self, text: str, line: int) -> None:
        if not self.line and text.strip():
            self.line = line
        self.parts.append(text)

    def add_link(self, link: LinkAt) -> None:
        if not self.line:
            self.line = link[2]
        self.links.append(link)

    def text(self) -> str:
        return " ".join("".join(self.parts).split())  # HTML whitespace collapses

    def empty(self) -> bool:
        return not self.links and not "".join(self.parts).strip()


@dataclass
class _Table:
    header: tuple[str, ...] | None = None
    in_head: bool = False  #: inside <thead>
    head_done: bool = False  #: the first row of <thead> has been read
    row: list[tuple[str, list[LinkAt], bool]] | None = None  #: (text, links, is <th>) per cell
    row_line: int = 0
    cell: _Buffer | None = None
    cell_is_th: bool = False


@dataclass
class _Anchor:
    url: str
    line: int
    label: list[str] = field(default_factory=list)


class HtmlReader(HTMLParser):
    """The HTML of one document, read across all its ``html_block`` and ``html_inline`` tokens.

    ``prose_links`` finds bare URLs and ``arXiv:ID`` mentions in a text, so text
    in HTML is read the way the Markdown reader reads prose.
    """

    def __init__(self, prose_links: Callable[[str], list[str]]) -> None:
        super().__init__(convert_charrefs=True)
        self._prose_links = prose_links
        self._events: list[HtmlRow | HtmlRun] = []
        self._tables: list[_Table] = []
        self._loose = _Buffer()
        self._anchor: _Anchor | None = None
        self._heading = False
        self._unread = 0
        self._code = 0
        self._first_line = 1
        self._first_pos = 1

    # -- what the Markdown reader calls ---------------------------------------------
    def feed_at(self, html: str, line: int, *, block: bool) -> list[HtmlRow | HtmlRun]:
        """Read ``html``, which starts at ``line`` of the document; returns the rows and runs it completed.

        ``block``: an ``html_block``, which ends a run of text outside tables; an
        ``html_inline`` tag is part of the paragraph around it.
        """
        self._first_line, self._first_pos = line, self.getpos()[0]
        try:
            # "<![" starts a marked section, which HTMLParser refuses with an AssertionError
            # unless it is CDATA; a browser shows it as a bogus comment, we as text.
            self.feed(html.replace("<![", "&lt;!["))
        except AssertionError:  # any other construct it gives up on: the rest of this piece is lost, not the run
            pass
        self._drop_unfinished()
        if block:
            self._unread = 0  # an unclosed <script> or <style> ends with its block
            if not self.in_cell and self._anchor is None:
                self._flush()
        return self._take_events()

    @property
    def in_cell(self) -> bool:
        """Is a table cell open (so Markdown read now belongs to it)?"""
        return bool(self._tables) and self._tables[-1].cell is not None

    def text(self, text: str, line: int) -> None:
        """Markdown text (already decoded) at this point of the HTML: to the open cell or run,
        and to an open ``<a>``'s label."""
        self._add_text(text, line, search=False)

    def link(self, url: str, label: str, line: int) -> None:
        """A link the Markdown reader found (a Markdown link, a bare URL) at this point of the HTML."""
        self._sink().add_link((url, label, line))

    def take_loose(self) -> tuple[str, list[LinkAt]] | None:
        """The text and links gathered outside tables since the last run; None while an ``<a>`` is open."""
        if self._anchor is not None:
            return None
        loose, self._loose = self._loose, _Buffer()
        return loose.text(), loose.links

    def finish(self) -> list[HtmlRow | HtmlRun]:
        """End whatever HTML is still open (at a Markdown heading, at the end of the document)."""
        self._close_anchor()
        while self._tables:
            self._end_row()
            self._tables.pop()
        self._flush()
        self._heading, self._unread, self._code = False, 0, 0
        return self._take_events()

    # -- HTMLParser callbacks ---------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _UNREAD:
            self._unread += 1
        elif tag in _CODE:
            self._code += 1
        table = self._tables[-1] if self._tables else None
        if tag == "a":
            self._close_anchor()
            href = _usable_href(dict(attrs).get("href"))
            if href is not None:
                self._anchor = _Anchor(href, self._line())
        elif tag == "br":
            self._add_text(" ", self._line(), search=False)
        elif tag == "table":
            self._boundary()
            self._tables.append(_Table())
        elif table is None:
            if tag in _BLOCKS:
                self._boundary()
                self._heading = tag in _HEADINGS
        elif tag == "thead":
            table.in_head = True
        elif tag in ("tbody", "tfoot"):
            table.in_head = False
        elif tag == "tr":
            self._end_row()
            table.row, table.row_line = [], self._line()
        elif tag in ("td", "th"):
            self._end_cell()
            if table.row is None:
                table.row, table.row_line = [], self._line()
            table.cell, table.cell_is_th = _Buffer(), tag == "th"
        elif tag in _BLOCKS:
            self._boundary()

    def handle_endtag(self, tag: str) -> None:
        if tag in _UNREAD:
            self._unread = max(0, self._unread - 1)
        elif tag in _CODE:
            self._code = max(0, self._code - 1)
        table = self._tables[-1] if self._tables else None
        if tag == "a":
            self._close_anchor()
        elif table is None:
            if tag in _BLOCKS:
                self._boundary()
        elif tag == "table":
            self._end_row()
            self._tables.pop()
            self._boundary()
        elif tag == "thead":
            table.in_head = False
        elif tag == "tr":
            self._end_row()
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag in _BLOCKS:
            self._boundary()

    def handle_data(self, data: str) -> None:
        if not self._unread:
            self._add_text(data, self._line(), search=not self._code)

    # -- gathering --------------------------------------------------------------------
    def _line(self) -> int:
        return self._first_line + self.getpos()[0] - self._first_pos

    def _sink(self) -> _Buffer:
        """Where text and links go now: the open cell, else the run outside tables."""
        if self._tables and self._tables[-1].cell is not None:
            return self._tables[-1].cell
        return self._loose

    def _add_text(self, text: str, line: int, *, search: bool) -> None:
        sink = self._sink()
        sink.add_text(text, line)
        if self._anchor is not None:
            self._anchor.label.append(text)
        elif search and ":" in text:  # bare URLs and arXiv:ID mentions both need a colon
            line += text[: len(text) - len(text.lstrip())].count("\n")
            for url in self._prose_links(text):
                sink.add_link((url, "", line))

    def _close_anchor(self) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is not None:
            self._sink().add_link((anchor.url, " ".join("".join(anchor.label).split()), anchor.line))

    def _boundary(self) -> None:
        """A block element starts or ends: words on either side are apart, and a run outside tables ends."""
        if self.in_cell or self._anchor is not None:
            self._add_text(" ", 0, search=False)
        else:
            self._flush()

    def _flush(self) -> None:
        loose, self._loose = self._loose, _Buffer()
        heading, self._heading = self._heading, False
        if not loose.empty():
            self._events.append(HtmlRun(loose.line, loose.text(), loose.links, heading))

    def _end_cell(self) -> None:
        table = self._tables[-1] if self._tables else None
        if table is None or table.cell is None:
            return
        self._close_anchor()
        cell, table.cell = table.cell, None
        if table.row is not None:
            table.row.append((cell.text(), cell.links, table.cell_is_th))

    def _end_row(self) -> None:
        """A row ends: the table's header, or a row of its body."""
        self._end_cell()
        table = self._tables[-1] if self._tables else None
        if table is None or table.row is None:
            return
        row, table.row = table.row, None
        if not row:
            return
        if table.in_head:
            if not table.head_done:
                table.header, table.head_done = tuple(text for text, _links, _th in row), True
            return
        if all(is_th for _text, _links, is_th in row):
            table.header = tuple(text for text, _links, _th in row)
            return
        self._events.append(HtmlRow(table.row_line, [(text, links) for text, links, _th in row], table.header))

    def _drop_unfinished(self) -> None:
        """Forget a construct left unfinished at the end of a piece (``<a href="...`` cut off, ``<!--`` unclosed).

        HTML does not run on across Markdown, and keeping the remainder would make
        the parser scan it again at every later piece: quadratic on hostile input.
        """
        rest, self.rawdata = self.rawdata, ""
        if rest and not rest.startswith("<"):
            self.handle_data(unescape(rest))  # text kept back in case an entity was cut in half
        if self.cdata_elem is not None:
            self.clear_cdata_mode()

    def _take_events(self) -> list[HtmlRow | HtmlRun]:
        events, self._events = self._events, []
        return events


def _usable_href(href: str | None) -> str | None:
    """An href that names something outside the list: ``http(s)://`` or ``arXiv:ID``; else None."""
    if not href:
        return None
    href = href.strip()
    lowered = href.lower()
    if lowered.startswith(("http://", "https://")):
        return href
    if lowered.startswith("arxiv:"):
        return "arXiv:" + href[6:].strip()
    return None
