"""What an item says about itself: its title without citation tails and link words, its year, its cells by header."""

from __future__ import annotations

import re

#: a URL written out in prose
_BARE_URL = re.compile(r"https?://[^\s<>\[\]|\"'`]+", re.IGNORECASE)
#: a date cell: 2023, 2023-01, 2023/1
_DATE_CELL = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2}))?\s*$")

_LINK_WORDS = (
    "paper|pdf|arxiv|code|github|project|demo|blog|link|website|doi|html|web|page|homepage|slides|video|poster|"
    "supp|supplementary|bib|bibtex|dataset|data|models?|openreview|abs|abstract"
)
_LINK_WORD_TAIL = re.compile(
    rf"[\s,;|/-]*(?:[\[(]\s*(?:{_LINK_WORDS})(?:\s+(?:{_LINK_WORDS}))*\s*[\])]|\b(?P<bare>{_LINK_WORDS}))[\s,;:|/-]*$",
    re.IGNORECASE,
)
#: what follows a title in a citation: "(2014), J. Yosinski et al.", "(Book, 2016), Goodfellow et al.",
#: ". CVPR 2018.", ", ICLR 2019", ", 2021.5"
_CITATION_TAIL = re.compile(
    r"(?:\s*\((?:[A-Za-z]+,\s*)?(?:19|20)\d{2}[a-z]?\)[^()]*"
    r"|[.,]\s+(?:[A-Z]|arXiv)[\w&'/-]*(?:\s+[\w&'/-]+){0,4}?\s+'?(?:19|20)\d{2}[a-z]?\.?"
    r"|[.,]\s*(?:19|20)\d{2}(?:[.-]\d{1,2})?\.?)$"
)
#: a bold lead that is only a venue and year ("**NeurIPS 2020**") is not a title
_VENUE_ONLY = re.compile(r"[\W\d_]*|[A-Za-z&-]+\s*'?(?:19|20)?\d{2}")
#: longer than any title: a run this long is not cleaned (and never backtracks over)
_MAX_TITLE_TEXT = 2000
_YEAR = re.compile(r"(?<![\w.])(?:19|20)\d{2}(?!\w|\.\d{3})")  # not the 2005 of arXiv:2005.14124


def _title_of(text: str, links: list[tuple[str, str, int]], lead: str = "") -> str:
    """A bullet's title: its leading bold text, else its text without bare URLs, link labels and citation tails."""
    if lead:
        title = _clean_title(lead, frozenset())
        if title and not _VENUE_ONLY.fullmatch(title):
            return title
    labels = frozenset(label.strip("[]() ").lower() for _u, label, _l in links if label)
    cleaned = _clean_title(_BARE_URL.sub("", text) if "://" in text else text, labels)
    if cleaned:
        return cleaned
    named = [
        label
        for _u, label, _l in links
        if label and label.lower() not in ("paper", "pdf", "arxiv", "code", "github", "blog", "link")
    ]
    return named[0] if named else ""


def _clean_title(text: str, labels: frozenset[str]) -> str:
    """``Title (2014), J. Yosinski et al. [pdf]`` -> ``Title``; a bare trailing word goes only
    when it is a link's label."""
    # Collapse whitespace first: on long runs of spaces the anchored patterns below
    # backtrack in cubic time (a paragraph of 2000 bare links took minutes).
    cleaned = " ".join(text.split())
    if len(cleaned) <= _MAX_TITLE_TEXT:
        cleaned = _strip_link_words(cleaned, labels)
        cleaned = _CITATION_TAIL.sub("", cleaned)
        cleaned = _strip_link_words(cleaned, labels)
    return " ".join(cleaned.split()).strip(" -:|,.;")


def _strip_link_words(text: str, labels: frozenset[str]) -> str:
    while (found := _LINK_WORD_TAIL.search(text)) and (
        found.group("bare") is None or found.group("bare").lower() in labels
    ):
        text = text[: found.start()]
    return text


def _year_in(text: str, title: str) -> str:
    """The year an item's text gives outside its title (else anywhere in it), or ""."""
    rest = text.replace(title, " ", 1) if title else text
    found = _YEAR.search(rest) or _YEAR.search(text)
    return found.group(0) if found else ""


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
