"""A paper's HTML page read leniently (stdlib ``html.parser``): ``citation_*`` meta, blocks, a headed abstract.

Proceedings sites print the same few things on every paper page: Highwire ``<meta
name="citation_...">`` tags, a block with an id or class (PMLR's ``#abstract``, its
BibTeX in ``#bibtex``), and on older pages an abstract that is only the text after an
``Abstract`` heading. The parser never fails: broken markup gives what could be read.
Text comes back with entities decoded and whitespace collapsed.
"""

from __future__ import annotations

from html.parser import HTMLParser

from tridentbib.latex import collapse_whitespace

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: elements without an end tag (they never open a block)
#: elements that end the text after a heading once some was read (``<h3>Abstract</h3> text <p>[pdf]</p>``)
_BLOCKS = frozenset({"p", "div", "table", "ul", "ol", "dl", "hr", "section", "article", "footer", "form"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


class PaperPage(HTMLParser):
    """Feed a page, then read :attr:`meta`, :meth:`block` and :attr:`after_heading`."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        #: ``citation_*`` meta name -> every content, in page order
        self.meta: dict[str, list[str]] = {}
        #: the ids and classes whose text is collected
        self._names = frozenset(names)
        self._blocks: dict[str, list[str]] = {}
        #: open elements: (tag, the names it collects for)
        self._stack: list[tuple[str, frozenset[str]]] = []
        self._heading: list[str] | None = None
        #: heading text (lower case) -> the text that follows it up to the next heading (or block, once text was read)
        self.after_heading: dict[str, str] = {}
        self._following: tuple[str, list[str]] | None = None

    @classmethod
    def read(cls, html: str, names: tuple[str, ...] = ()) -> PaperPage:
        page = cls(names)
        try:
            page.feed(html)
            page.close()
        except (AssertionError, ValueError):  # html.parser on hopeless markup: keep what was read
            pass
        page._end_following()
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            name = values.get("name", "").strip().lower()
            if name.startswith("citation_"):
                self.meta.setdefault(name, []).append(collapse_whitespace(values.get("content", "")))
            return
        if tag in _HEADINGS:
            self._end_following()
            self._heading = []
        elif tag in _BLOCKS and self._following is not None and "".join(self._following[1]).strip():
            self._end_following()
        if tag in _VOID:
            return
        own = {values.get("id", "")} | set(values.get("class", "").split())
        self._stack.append((tag, frozenset(own & self._names)))

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADINGS and self._heading is not None:
            self._following = (collapse_whitespace("".join(self._heading)).lower(), [])
            self._heading = None
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        elif self._following is not None:
            self._following[1].append(data)
        for name in frozenset().union(*(names for _tag, names in self._stack)):
            self._blocks.setdefault(name, []).append(data)

    def _end_following(self) -> None:
        if self._following is not None:
            heading, parts = self._following
            self.after_heading.setdefault(heading, collapse_whitespace("".join(parts)))
            self._following = None

    def first(self, name: str) -> str:
        """The first ``citation_*`` value of that name, or ``""``."""
        values = self.meta.get(name) or [""]
        return values[0]

    def block(self, name: str, keep_lines: bool = False) -> str:
        """The text inside the elements with this id or class (``keep_lines``: as written, for BibTeX)."""
        text = "".join(self._blocks.get(name, []))
        return text.strip() if keep_lines else collapse_whitespace(text)
