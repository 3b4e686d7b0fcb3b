"""Is this record the paper a list's item names? The title route's rules, which never guess.

An item with no record from a service (a lab PDF, a project page, a link whose id
lookup failed) can still be found by its title, but only on evidence:

* the normalised titles are **equal** (:func:`tridentbib.latex.normalize_title`; no fuzzy ratio);
* at least one hint of the item's own text agrees: the first author's surname, half
  of the authors it lists, the year (within one: preprint and proceedings), the venue
  it names; an equal title alone never passes;
* no hint contradicts: another first author, a year more than one off, a book where
  the item names a paper (or the other way round), another venue;
* exactly one candidate passes (a preprint beside its published version is one work).

The same check is made again against the record of the id's own service before that
record is written. :func:`names_another_paper` is the check a record from a link
must pass: a row whose long title shares few words with its link's record names
another paper than that link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tridentbib.latex import normalize_title
from tridentbib.names import PARTICLES, parse_display_name, surname_key
from tridentbib.venue_names import VENUE_TOKENS, known_venue, words

#: words that do not make a title specific ("Deep learning" has two significant words)
_STOP = frozenset("a an the of for and or in on with to via by from is are at as its into".split())
#: at most this many significant words: a short or generic title, which needs a corroborating hint
SHORT_TITLE = 3

_VENUE_IN_TEXT = re.compile(r"(?<![\w-])(" + "|".join(VENUE_TOKENS) + r")(?![\w-])", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\w.])((?:19|20)\d{2})(?!\w|\.\d{3})")
_BOOK = re.compile(r"\bbook\b", re.IGNORECASE)
_ET_AL = re.compile(r"([^\W\d_][\w'’-]+)\s*,?\s+et\.?\s*al\b")
#: where an author list can end: a sentence's period (not an initial's), brackets, bars
_CHUNKS = re.compile(r"(?<![A-Z])\.(?:\s+|$)|[()\[\]|;:*]|\s-\s")
_NAME_SEPARATORS = re.compile(r",\s*|\s+and\s+|\s*&\s*")
_LINK_WORDS = re.compile(
    r"\b(?:paper|pdf|arxiv|code|github|project|demo|blog|link|website|html|web|page|slides|video|poster)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hints:
    """What an item says about its paper besides the title (surnames as :func:`names.surname_key` gives them)."""

    title: str
    year: int | None = None
    first_author: str = ""
    authors: tuple[str, ...] = ()  #: every surname of an author list the item gives (first author first)
    venue: str = ""  #: a venue token as :data:`VENUE_TOKENS` spells it: "CVPR", "Nature"
    book: bool = False

    @property
    def any(self) -> bool:
        return bool(self.year or self.first_author or self.venue or self.book)


@dataclass(frozen=True)
class Found:
    """One candidate for an item's paper: a search hit or the record of the id's own service, in plain text."""

    source: str  #: "Semantic Scholar", "dblp", "arXiv title search", or the service of a record
    ident: str  #: its id there (S2 paperId, dblp key, arXiv id, ...)
    title: str
    authors: tuple[str, ...] = ()  #: display names, first author first
    year: int | None = None
    venue: str = ""
    book: bool = False
    preprint: bool = False  #: the preprint (dblp's CoRR record, an arXiv answer)
    ids: tuple[str, ...] = ()  #: ``kind:id`` of every resolvable id it links, the venue's before the preprint's

    @property
    def label(self) -> str:
        return f"{self.source} {self.ident}".strip()


@dataclass(frozen=True)
class Verdict:
    passed: bool
    why: str  #: the evidence when it passed, the reason when not


@dataclass(frozen=True)
class Decision:
    """Which candidate, if any, is the item's paper."""

    chosen: Found | None
    evidence: str
    rejected: tuple[str, ...]  #: "<candidate>: <reason>" for every candidate not applied


# -- hints -------------------------------------------------------------------------


def hints_of(title: str, text: str = "", date: str = "") -> Hints:
    """The hints an item's text gives beside ``title`` (its cleaned title).

    ``text`` is the bullet's whole text or a row's cells joined; ``date`` its date cell
    or the year found in its text. ``How transferable ...? (2014), J. Yosinski et al.``
    gives 2014 and Yosinski; ``Non-local Neural Networks. CVPR 2018.`` gives CVPR and
    2018; ``Deep learning (Book, 2016), Goodfellow et al.`` marks a book.
    """
    rest = text.replace(title, " ", 1) if title and title in text else text
    rest = rest[:1000]
    year_match = _YEAR.search(date) or _YEAR.search(rest)
    venue_match = _VENUE_IN_TEXT.search(rest)
    venue = ""
    if venue_match:
        venue = next(token for token in VENUE_TOKENS if token.lower() == venue_match.group(1).lower())
    authors = _authors_in(rest)
    et_al = _ET_AL.search(rest)
    first = authors[0] if authors else (_surname(et_al.group(1)) if et_al else "")
    return Hints(
        title=title,
        year=int(year_match.group(1)) if year_match else None,
        first_author=first,
        authors=authors,
        venue=venue,
        book=bool(_BOOK.search(rest)),
    )


def _surname(name: str) -> str:
    return surname_key(parse_display_name(name))


def _authors_in(rest: str) -> tuple[str, ...]:
    """The surnames of the first author list in ``rest`` (``Y. LeCun, Y. Bengio and G. Hinton``), else ()."""
    for chunk in _CHUNKS.split(_LINK_WORDS.sub(" ", rest)):
        chunk = chunk.strip(" ,.")
        if not chunk or any(char.isdigit() for char in chunk) or _VENUE_IN_TEXT.search(chunk):
            continue
        if re.search(r"\bet\.?\s*al\b", chunk):
            continue  # "J. Yosinski et al": only the first author is known
        parts = [part.strip(" .") for part in _NAME_SEPARATORS.split(chunk) if part.strip(" .")]
        if parts and all(_looks_like_name(part) for part in parts):
            if len(parts) >= 2 or re.match(r"[A-Z]\.", parts[0]):
                keys = tuple(key for key in (_surname(part) for part in parts) if key)
                if keys:
                    return keys
    return ()


def _looks_like_name(part: str) -> bool:
    names = part.split()
    if not 2 <= len(names) <= 5:
        return False
    return all(word[0].isupper() or word in PARTICLES for word in names) and len(names[-1].strip(".")) > 1


# -- rules -------------------------------------------------------------------------


def significant_words(title: str) -> list[str]:
    return [word for word in normalize_title(title).split() if word not in _STOP]


def is_short(title: str) -> bool:
    """A short or generic title ("Deep learning", "Fast R-CNN"): equal titles alone prove nothing."""
    return len(significant_words(title)) <= SHORT_TITLE


def check(hints: Hints, found: Found) -> Verdict:
    """Is ``found`` the item's paper? The evidence, or the reason it is not."""
    if normalize_title(found.title) != normalize_title(hints.title):
        return Verdict(False, f'another title ("{found.title}")')
    surnames = [_surname(name) for name in found.authors]
    surnames = [name for name in surnames if name]
    agree: list[str] = []
    if hints.first_author and surnames:
        if hints.first_author != surnames[0]:
            return Verdict(False, f"first author {found.authors[0]}, the list names {hints.first_author}")
        agree.append(f"first author {found.authors[0]}")
    if len(hints.authors) >= 2 and surnames:
        shared = len(set(hints.authors) & set(surnames))
        if shared * 2 < len(hints.authors):
            return Verdict(False, f"{shared} of the list's {len(hints.authors)} authors")
        agree.append(f"{shared} of {len(hints.authors)} authors")
    if hints.year and found.year:
        if abs(hints.year - found.year) > 1:
            return Verdict(False, f"year {found.year}, the list says {hints.year}")
        agree.append(f"year {found.year}")
    if hints.book != found.book and (hints.book or hints.venue):
        what = "a book" if found.book else "not a book"
        return Verdict(False, f"{what}, the list names {'a book' if hints.book else 'a paper at ' + hints.venue}")
    if hints.venue and found.venue:
        if venue_matches(hints.venue, found.venue):
            agree.append(f"venue {found.venue}")
        elif _other_venue(hints.venue, found.venue):
            return Verdict(False, f"venue {found.venue}, the list says {hints.venue}")
    if not agree:  # an equal title alone is a guess: one hint of the list must agree
        short = "a short title: " if is_short(hints.title) else ""
        given = "nothing in the list confirms it" if hints.any else "the list gives no author, year or venue"
        return Verdict(False, f"{short}equal title but {given}")
    return Verdict(True, ", ".join(["equal title", *agree]))


def venue_matches(token: str, venue: str) -> bool:
    """Does a record's venue name (``Neural Information Processing Systems``, ``CVPR``) say ``token``?"""
    said = f" {words(venue)} "
    phrases = (token, *VENUE_TOKENS.get(token, ()))
    if any(f" {words(phrase)} " in said for phrase in phrases):
        return True
    known = known_venue(token)
    return known is not None and known_venue(venue) is known


def _other_venue(token: str, venue: str) -> bool:
    """Does the record's venue name another of the venues the list might name?"""
    return any(other != token and venue_matches(other, venue) for other in VENUE_TOKENS if other not in ("NIPS",))


def decide(hints: Hints, candidates: list[Found]) -> Decision:
    """The one candidate that passes :func:`check`, or none (with every rejection's reason).

    Two that pass are ambiguous, so none is applied; except a preprint beside one
    published version of it (dblp lists the CoRR record beside the proceedings'):
    that is one work, and the published version is chosen.
    """
    passed: list[tuple[Found, str]] = []
    rejected: list[str] = []
    for found in candidates:
        verdict = check(hints, found)
        if verdict.passed:
            passed.append((found, verdict.why))
        else:
            rejected.append(f"{found.label}: {verdict.why}")
    published = [(found, why) for found, why in passed if not found.preprint]
    if len(passed) == 1 or (len(published) == 1 and len(passed) > 1):
        found, why = published[0] if published else passed[0]
        preprints = [f.label for f, _w in passed if f is not found]
        also = f" (its preprint {', '.join(preprints)} also matches)" if preprints else ""
        return Decision(found, f"{found.label}: {why}{also}", tuple(rejected))
    if passed:
        labels = ", ".join(found.label for found, _why in passed)
        rejected += [f"{found.label}: ambiguous, {len(passed)} candidates pass ({labels})" for found, _why in passed]
    return Decision(None, "", tuple(rejected))


def names_another_paper(row_title: str, record_title: str) -> bool:
    """Does a link's record name another paper than the row (a NeurIPS PDF of a different paper)?

    Only a row whose title has at least four significant words can say so, and only when
    the record's title shares fewer than half of them: a row whose title cell is a
    nickname ("VALL-E") or a shortened title keeps its link's record.
    """
    row = significant_words(row_title)
    if len(row) <= SHORT_TITLE:
        return False
    record = set(significant_words(record_title))
    return sum(1 for word in row if word in record) * 2 < len(row)
