"""Awesome-list Markdown -> items with links and their context, plus citation blocks.

We parse with markdown-it-py (CommonMark + GFM tables) rather than regexes over
Markdown, so tables with ragged rows, escaped pipes, reference-style links,
autolinks and code spans behave as GitHub renders them. Bare URLs and
``arXiv:ID`` mentions are found in the parsed *text* runs only, never inside code.

Units: a table row, a paragraph (a bullet's text is a paragraph) or a heading is
one :class:`~tridentbib.model.Item`. Raw HTML (``<table>`` rows, ``<a href>``,
``<details>``) is read by :mod:`tridentbib.sources.html`, only when the document
has some: an HTML ``<tr>`` under a header row is a row like a GFM one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, text_join
from markdown_it.token import Token

from tridentbib.identifiers import PaperId, classify_url, find_ids_in_text
from tridentbib.model import CitationBlock, Context, Item, Link, ListDocument
from tridentbib.sources.html import HtmlReader, HtmlRow, HtmlRun, LinkAt
from tridentbib.sources.item_text import _BARE_URL, _pick, _pick_date, _title_of, _year_in

#: fence info strings that mark a citation block; untagged fences count when they start with "@"
BIBTEX_FENCES = frozenset({"bibtex", "bib", "latex", "tex", "biblatex"})

_TRAILING = ".,;:!?*_~"


#: characters at which one of the enabled inline rules can start (escape, newline, code
#: span, emphasis, link, image, autolink / raw HTML, entity); a run with none of them is
#: one plain text token, whatever markdown-it would do with it
_INLINE_SYNTAX = re.compile(r"[\\\n`*_\[<&]|!\[")


#: a link that markdown-it's ``normalizeLink`` returns unchanged: http(s), a lower-case
#: host, then only characters its percent-encoding keeps (no "%", so no escapes to check)
_NORMAL_LINK = re.compile(r"https?://[a-z0-9.-]+(?:[/?#][A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]*)?")


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    parser.core.ruler.disable("inline")  # done token by token in _tokens()
    stock_normalize = parser.normalizeLink
    # Parsing and re-encoding every link was a tenth of reading a large list; the links
    # of a paper list are nearly all already normal (tests/test_markdown_fast_inline.py).
    parser.normalizeLink = lambda url: url if _NORMAL_LINK.fullmatch(url) else stock_normalize(url)  # type: ignore[method-assign]
    return parser


def _parse_inline_where_needed(state: StateCore) -> None:
    """What markdown-it's ``inline`` core rule does to ``state.tokens``, skipping runs that hold no inline syntax.

    Most cells of an awesome-list table (dates, names, titles) are plain text; running
    the inline tokenizer over each of them was half the time spent reading a large
    list. Such a run becomes the single text token the tokenizer would have produced
    (tests/test_markdown_fast_inline.py checks the two agree).
    """
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if _INLINE_SYNTAX.search(token.content):
            state.md.inline.parse(token.content, state.md, state.env, token.children)
        elif token.content:
            token.children.append(Token("text", "", 0, content=token.content))


def _tokens(text: str) -> Iterator[Token]:
    """The document's tokens in order; an inline token gets its children when it is reached.

    markdown-it parses every inline run of the document up front; deferring that
    keeps one run's children in memory at a time instead of a large list's tens of
    thousands (a third of the parse's peak memory).
    """
    parser = _parser()
    env: dict = {}  # reference definitions found by the block parse, used by the inline one
    state = StateCore("", parser, env)
    for token in parser.parse(text, env):
        if token.type == "inline":
            state.tokens = [token]
            _parse_inline_where_needed(state)
            text_join(state)
        yield token


def read_markdown(text: str, source: str) -> ListDocument:
    """Parse one Markdown document."""
    reader = _Reader(source)
    reader.walk(_tokens(text))
    reader.finish()
    return ListDocument(source, tuple(reader.items), tuple(reader.blocks))


@dataclass
class _Row:
    line: int
    cells: list[tuple[str, list[tuple[str, str, int]]]] = field(default_factory=list)  # (text, [(url, text, line)])


@dataclass
class _ListItem:
    """A list item being read: a first paragraph without links titles the paragraph with them.

    Some lists put the title on a line of its own and the links below it, after a
    blank line (``1. **Title**`` / ``*Authors*. [[pdf](...)]``): two paragraphs.
    """

    level: int  #: markdown-it nesting level of ``list_item_open``
    paragraphs: int = 0
    first: tuple[str, str] | None = None  #: (text, leading bold text) of a first paragraph without links


class _Reader:
    """Walks the token stream once, tracking the current heading and table header."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.section = ""
        self.header: list[str] = []
        self.items: list[Item] = []
        self.blocks: list[CitationBlock] = []
        self.row: _Row | None = None
        self.in_head = False
        self.html: HtmlReader | None = None  #: made at the first HTML, so plain Markdown pays nothing
        self.list_items: list[_ListItem] = []

    def walk(self, tokens: Iterable[Token]) -> None:
        previous: Token | None = None
        for token in tokens:
            kind = token.type
            if kind == "fence":
                self._fence(token)
            elif kind == "thead_open":
                self.in_head, self.header = True, []
            elif kind == "thead_close":
                self.in_head = False
            elif kind == "tr_open":
                self.row = _Row(_line(token))
            elif kind == "tr_close":
                self._finish_row()
            elif kind == "inline":
                self._inline(token, previous)
                token.children = None  # read; let them go
            elif kind == "list_item_open":
                self.list_items.append(_ListItem(token.level))
            elif kind == "list_item_close":
                self.list_items.pop()
            elif kind == "html_block":
                self._html_events(self._html_reader().feed_at(token.content, _line(token), block=True))
            elif kind == "heading_open" and self.html is not None:
                self._html_events(self.html.finish())  # a heading ends a table left open
            previous = token

    def finish(self) -> None:
        """End of the document: HTML still open ends here."""
        if self.html is not None:
            self._html_events(self.html.finish())

    # -- blocks ------------------------------------------------------------------
    def _fence(self, token: Token) -> None:
        info = token.info.strip().split()[0].lower() if token.info.strip() else ""
        if info in BIBTEX_FENCES or (not info and token.content.lstrip().startswith("@")):
            self.blocks.append(CitationBlock(self.source, _line(token), token.content))

    def _inline(self, token: Token, opener: Token | None) -> None:
        if "<" in token.content and any(child.type == "html_inline" for child in token.children or ()):
            read = self._through_html(token)
            if read is None:
                return  # it belongs to an HTML table cell
            text, links, lead = read
        else:
            text, links, lead = _text_and_links(token)
            if self.html is not None and self.html.in_cell:  # Markdown inside an HTML <td>
                self.html.text(text, _line(token))
                for link in links:
                    self.html.link(*link)
                return
        parent = opener.type if opener else ""
        if parent in ("th_open", "td_open") and self.row is not None:
            if self.in_head:
                self.header.append(text.strip())
            else:
                self.row.cells.append((text.strip(), links))
            return
        if parent == "heading_open":
            self.section = text.strip()
            if links:
                self._add_paragraph(_line(token), text, links, lead, paragraph=False)
            return
        owner = (
            self.list_items[-1]
            if self.list_items and opener is not None and opener.level == self.list_items[-1].level + 1
            else None
        )
        title = None
        if owner is not None:
            owner.paragraphs += 1
            if owner.paragraphs == 1 and not links:
                owner.first = (text, lead)
            elif links and owner.first is not None and owner.paragraphs > 1:
                title = _title_of(owner.first[0], [], owner.first[1])
        if links:
            self._add_paragraph(_line(token), text, links, lead, title=title)

    def _add_paragraph(
        self, line: int, text: str, links: list[LinkAt], lead: str, *, title: str | None = None, paragraph: bool = True
    ) -> None:
        """An item for a bullet, a paragraph or a heading with links (a heading names no paper)."""
        title = _title_of(text, links, lead) if title is None else title
        context = Context(
            self.source,
            line,
            self.section,
            title=title,
            date=_year_in(text, title) if paragraph else "",
            paragraph=paragraph,
            text=text[:_HINT_TEXT] if paragraph else "",
        )
        self.items.append(
            Item(context, tuple(_link(url, label, _at_line(context, link_line)) for url, label, link_line in links))
        )

    def _finish_row(self) -> None:
        row, self.row = self.row, None
        if row is None or self.in_head or not row.cells:
            return
        self._add_row(row.line, row.cells, self.header)

    def _add_row(
        self, line: int, row_cells: list[tuple[str, list[LinkAt]]], header: list[str] | tuple[str, ...]
    ) -> None:
        """An item for a table row (GFM or HTML) with links, its cells named by the table's header."""
        links = [link for _text, cell_links in row_cells for link in cell_links]
        if not links:
            return
        cells = tuple(
            (header[i] if i < len(header) else f"column {i + 1}", text) for i, (text, _l) in enumerate(row_cells)
        )
        context = Context(
            self.source,
            line,
            self.section,
            title=_pick(cells, ("paper title", "title", "paper")),
            date=_pick_date(cells),
            name=_pick(cells, ("model name", "model", "name", "method")),
            cells=cells,
        )
        self.items.append(Item(context, tuple(_link(url, label, context) for url, label, _line_no in links)))

    # -- HTML ----------------------------------------------------------------------
    def _html_reader(self) -> HtmlReader:
        if self.html is None:
            self.html = HtmlReader(_prose_links)
        return self.html

    def _through_html(self, token: Token) -> tuple[str, list[LinkAt], str] | None:
        """An inline run holding raw HTML: its Markdown pieces and its tags go through the HTML reader in order.

        Returns its text, links and leading bold text; None when it ended inside an
        HTML table cell (its content is that cell's).
        """
        html = self._html_reader()
        children = token.children or []
        line, start, lead = _line(token), 0, ""
        for index, child in enumerate(children):
            if child.type == "html_inline":
                text, links, first_lead, after = _read_run(children[start:index], line)
                lead = first_lead if start == 0 else lead
                html.text(text, line)
                for link in links:
                    html.link(*link)
                line = after
                self._html_events(html.feed_at(child.content, line, block=False))
                line += child.content.count("\n")
                start = index + 1
        text, links, _lead, _after = _read_run(children[start:], line)
        html.text(text, line)
        for link in links:
            html.link(*link)
        if html.in_cell:
            return None
        loose = html.take_loose()
        text, links = loose if loose is not None else ("", [])
        return _detached(text), links, lead

    def _html_events(self, events: list[HtmlRow | HtmlRun]) -> None:
        for event in events:
            if isinstance(event, HtmlRow):
                if event.header is not None:
                    self._add_row(event.line, event.cells, event.header)
                else:
                    self._add_headerless_row(event)
            elif event.heading:
                self.section = event.text or self.section
                if event.links:
                    self._add_paragraph(event.line, event.text, event.links, "", paragraph=False)
            elif event.links:
                self._add_paragraph(event.line, event.text, event.links, "")

    def _add_headerless_row(self, row: HtmlRow) -> None:
        """A row of an HTML table without a header: read like a bullet, its longest cell the title.

        Such tables lay out a page (contributors' photos, a table of contents,
        badges); with no "Title" column nothing says a row is a paper, so only a
        link to a paper host makes it one, as in a bullet.
        """
        links = [link for _text, cell_links in row.cells for link in cell_links]
        if not links:
            return
        texts = [text for text, _links in row.cells]
        title = _title_of(max(texts, key=len), links)
        date = _pick_date(tuple((f"column {i + 1}", text) for i, text in enumerate(texts))) or _year_in(
            " ".join(texts), title
        )
        context = Context(
            self.source,
            row.line,
            self.section,
            title=title,
            date=date,
            paragraph=True,
            text=" ".join(texts)[:_HINT_TEXT],
        )
        self.items.append(Item(context, tuple(_link(url, label, context) for url, label, _line_no in links)))


#: how much of a bullet's text is kept for the title route's hints (authors, venue, year follow the title)
_HINT_TEXT = 1000


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _at_line(context: Context, line: int) -> Context:
    return context if line == context.line else replace(context, line=line)


def _link(url: str, label: str, context: Context) -> Link:
    """A link with what it names: a URL is classified, an ``arXiv:ID`` mention already is."""
    if url.startswith("arXiv:"):
        found = find_ids_in_text(url)
        return Link(url, label, context, found[0] if found else None)
    return Link(url, label, context, classify_url(url))


def _text_and_links(token: Token) -> tuple[str, list[tuple[str, str, int]], str]:
    """Plain text of an inline run, its links as (url, link text, line), and its leading bold text."""
    text, links, lead, _after = _read_run(token.children or [], _line(token))
    return text, links, lead


def _read_run(children: list[Token], base: int) -> tuple[str, list[tuple[str, str, int]], str, int]:
    """Text, links and leading bold text of inline tokens starting at line ``base``; and the line they end on.

    The leading bold text (``**Title**`` before anything else) is what many lists
    use to mark a bullet's title.
    """
    offset = 0
    parts: list[str] = []
    links: list[tuple[str, str, int]] = []
    href: str | None = None
    label: list[str] = []
    lead_from = lead_to = -1
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            offset += 1
            parts.append(" ")
        elif child.type == "link_open":
            href, label = str(child.attrs.get("href", "")), []
        elif child.type == "link_close":
            if href:
                links.append((href, "".join(label).strip(), base + offset))
            href = None
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
            if href is not None:
                label.append(child.content)
            elif child.type == "text":
                prose = child.content
                if "://" in prose:  # bare URLs (the pattern needs "://"), then mentions in what is left
                    links.extend((url, "", base + offset) for url in _bare_urls(prose))
                    prose = _BARE_URL.sub(" ", prose)
                links.extend((_mention(paper), "", base + offset) for paper in find_ids_in_text(prose))
        elif child.type == "strong_open":
            if lead_from == -1:
                lead_from = -2 if any(part.strip() for part in parts) else len(parts)  # -2: not leading
        elif child.type == "strong_close":
            if lead_from >= 0 and lead_to < 0:
                lead_to = len(parts)
    lead = "".join(parts[lead_from:lead_to]) if lead_from >= 0 and lead_to >= 0 else ""
    return (
        _detached("".join(parts)),
        [(_detached(url), _detached(label), line) for url, label, line in links],
        lead,
        base + offset,
    )


def _prose_links(text: str) -> list[str]:
    """Bare URLs, then ``arXiv:ID`` mentions, in a text run outside Markdown (HTML text)."""
    urls = _bare_urls(text) if "://" in text else []
    prose = _BARE_URL.sub(" ", text) if urls else text
    return urls + [_mention(paper) for paper in find_ids_in_text(prose)]


def _detached(text: str) -> str:
    """A copy of ``text`` that shares no memory with the token stream it came from.

    Strings the reader keeps would otherwise be markdown-it's own, scattered over
    the memory of tens of thousands of dead tokens, and would keep all of it from
    being reused (11 MB of peak memory on a 10,000-row list, benchmarks/run.py).
    """
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def _mention(paper: PaperId) -> str:
    """How an ``arXiv:ID`` text mention is recorded as a link."""
    return f"arXiv:{paper.id}" + (f"v{paper.version}" if paper.version else "")


def _bare_urls(text: str) -> list[str]:
    urls = []
    for match in _BARE_URL.finditer(text):
        url = match.group(0)
        # Trim by index, counting once: linear even for a pasted ")))...)" of a million characters.
        end, opened, closed = len(url), url.count("("), url.count(")")
        while end and (url[end - 1] in _TRAILING or (url[end - 1] == ")" and opened < closed)):
            closed -= url[end - 1] == ")"
            end -= 1
        urls.append(url[:end])
    return urls


#: words of links beside a title ("[pdf] [code]", or the label of a link: "Title paper")
