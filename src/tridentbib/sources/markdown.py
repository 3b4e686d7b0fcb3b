"""Awesome-list Markdown -> items with links and their context, plus citation blocks.

We parse with markdown-it-py (CommonMark + GFM tables) rather than regexes over
Markdown, so tables with ragged rows, escaped pipes, reference-style links,
autolinks and code spans behave as GitHub renders them. Bare URLs and
``arXiv:ID`` mentions are found in the parsed *text* runs only, never inside code.

Units: a table row, a paragraph (a bullet's text is a paragraph) or a heading is
one :class:`~tridentbib.model.Item`. Raw HTML blocks (contributor tables, images)
carry no paper rows and are skipped.
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

#: fence info strings that mark a citation block; untagged fences count when they start with "@"
BIBTEX_FENCES = frozenset({"bibtex", "bib", "latex", "tex", "biblatex"})

_BARE_URL = re.compile(r"https?://[^\s<>\[\]|\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
_DATE_CELL = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2}))?\s*$")


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
    return ListDocument(source, tuple(reader.items), tuple(reader.blocks))


@dataclass
class _Row:
    line: int
    cells: list[tuple[str, list[tuple[str, str, int]]]] = field(default_factory=list)  # (text, [(url, text, line)])


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
            previous = token

    # -- blocks ------------------------------------------------------------------
    def _fence(self, token: Token) -> None:
        info = token.info.strip().split()[0].lower() if token.info.strip() else ""
        if info in BIBTEX_FENCES or (not info and token.content.lstrip().startswith("@")):
            self.blocks.append(CitationBlock(self.source, _line(token), token.content))

    def _inline(self, token: Token, opener: Token | None) -> None:
        text, links = _text_and_links(token)
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
            title = _title_of(text, links)
            context = Context(self.source, _line(token), self.section, title=title)
            self.items.append(Item(context, tuple(_link(url, label, _at_line(context, line)) for url, label, line in links)))

    def _finish_row(self) -> None:
        row, self.row = self.row, None
        if row is None or self.in_head or not row.cells:
            return
        links = [link for _text, cell_links in row.cells for link in cell_links]
        if not links:
            return
        cells = tuple((self.header[i] if i < len(self.header) else f"column {i + 1}", text) for i, (text, _l) in enumerate(row.cells))
        context = Context(
            self.source,
            row.line,
            self.section,
            title=_pick(cells, ("paper title", "title", "paper")),
            date=_pick_date(cells),
            name=_pick(cells, ("model name", "model", "name", "method")),
            cells=cells,
        )
        self.items.append(Item(context, tuple(_link(url, label, context) for url, label, _line_no in links)))


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


def _text_and_links(token: Token) -> tuple[str, list[tuple[str, str, int]]]:
    """Plain text of an inline run and its links as (url, link text, line)."""
    base = _line(token)
    offset = 0
    parts: list[str] = []
    links: list[tuple[str, str, int]] = []
    href: str | None = None
    label: list[str] = []
    for child in token.children or []:
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
    return _detached("".join(parts)), [(_detached(url), _detached(label), line) for url, label, line in links]


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


def _title_of(text: str, links: list[tuple[str, str, int]]) -> str:
    """A bullet's title: its text without bare URLs and link decorations."""
    # Collapse whitespace first: on long runs of spaces the anchored pattern below
    # backtracks in cubic time (a paragraph of 2000 bare links took minutes).
    cleaned = " ".join(_BARE_URL.sub("", text).split())
    cleaned = re.sub(r"\s*[\[(|]?\s*(paper|pdf|arxiv|code|github|project|demo|blog|link|website)\s*[\])|]?\s*$", "", cleaned, flags=re.IGNORECASE)
    cleaned = " ".join(cleaned.split()).strip(" -:|,")
    if cleaned:
        return cleaned
    labels = [label for _u, label, _l in links if label and label.lower() not in ("paper", "pdf", "arxiv", "code", "github", "blog", "link")]
    return labels[0] if labels else ""


def _pick(cells: tuple[tuple[str, str], ...], names: tuple[str, ...]) -> str:
    """The text of the first cell whose header is one of ``names`` (case-insensitive)."""
    for name in names:
        for header, text in cells:
            if header.strip().lower() == name and text:
                return text
    return ""


def _pick_date(cells: tuple[tuple[str, str], ...]) -> str:
    for header, text in cells:
        if header.strip().lower() in ("date", "year", "time", "published") and text:
            return text
    for _header, text in cells:
        if _DATE_CELL.match(text):
            return text
    return ""
