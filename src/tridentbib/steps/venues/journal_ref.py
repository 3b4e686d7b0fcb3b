"""arXiv's ``journal_ref``, the authors' own reference to the published version, split into BibTeX fields.

This is the one parser of those references (:func:`parse`). Authors write them in
many shapes; the ones it reads::

    Phys. Rev. B 89, 224502 (2014)                      Journal Vol, Page (Year)
    Science Advances 1, e1400222 (2015)                  ... an article number as the page
    J. Phys.: Condens. Matter 16 (2004) S673             Journal Vol (Year) Page
    J. Algebraic Combin. 6 (1997), no. 3, 253--257       ... with a labelled issue
    Software Testing, Verification and Reliability, 35(2):e1914, 2025
                                                         Journal, Vol(Issue):Pages, Year
    Science & Education, September 2014, 23(9): 1853-1873
    Astrophys.J.517:565-586,1999                         Journal.Vol:Pages,Year (no spaces)
    Statistical Science 2008, Vol. 23, No. 1, 65-68      labelled Vol./No./pp./pages/Article
    IEEE Transactions on Information Theory ( Volume: 65 , Issue: 4 , April 2019 )
    Proc. Interspeech 2023, 2538-2542                    proceedings, bare pages
    In Proc. ... (ISSTA 2020), pages 14-26. ACM, 2020    ... a publisher after the pages
    Workshop X @ 2022 IEEE International Conference ... (ICSTW)
                                                         the proceedings after the ``@``
    Accepted at ICASSP 2024                              a status ("accepted", "to appear")

Page ranges take ``-``, ``--`` or a dash and come out as ``a--b``; glued
abbreviations get their spaces (``Phys.Lett.B`` -> ``Phys. Lett. B``); trailing
notes (``[Editors' Suggestion]``, ``(invited paper)``, ``; Erratum ...``, ``12
pages``) are set aside.

A reference is *confident* only when every part of it found a field: a venue name
with no digits-and-parentheses residue left in it (a journal's name holds no bare
number; a proceedings title only years, ordinals and acronyms), at most one
volume, issue, page range and year, and a year. Anything else (a book chapter with
editors, a reference that says "submitted", more numbers than fields, no year) is
*not confident*, with the reason in :attr:`JournalRef.why`: the caller then keeps
the preprint and carries the text as written instead of inventing a venue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["JournalRef", "parse"]

#: longer texts are not references (arXiv's field is meant for one citation)
MAX_LENGTH = 300

ARTICLE, INPROCEEDINGS = "article", "inproceedings"


@dataclass(frozen=True)
class JournalRef:
    """One ``journal_ref`` read into fields (plain text, not LaTeX)."""

    text: str  #: the reference as arXiv lists it, whitespace collapsed
    confident: bool  #: every part found its field (see the module docstring)
    why: str = ""  #: why not confident
    entry_type: str = ""  #: "article" or "inproceedings"
    name: str = ""  #: the journal or proceedings name
    volume: str = ""
    number: str = ""
    pages: str = ""  #: ``565--586``, or one page / article number (``e1400222``)
    year: str = ""
    publisher: str = ""
    status: str = ""  #: "" (published) or "accepted" (accepted, to appear, in press)
    note: str = ""  #: trailing text set aside (``[Editors' Suggestion]``)

    @property
    def complete(self) -> bool:
        """A full reference, the kind only a published paper has: name, year, and where in the venue it is.

        Where means pages (or an article number), or a volume and issue; a status such as
        "accepted" or "to appear" is never complete.
        """
        return (
            self.confident
            and not self.status
            and bool(self.name and self.year and (self.pages or (self.volume and self.number)))
        )


# -- the pieces ------------------------------------------------------------------------

_DASH = r"(?:-{1,2}|[\u2010-\u2015])"
_PAGE = r"(?:[A-Za-z]\d+|\d+[A-Za-z]?)(?![A-Za-z\d])"  #: 123, e1400222, S673, 123a
_RANGE = rf"{_PAGE}(?:\s*{_DASH}\s*{_PAGE})?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])"
)
_YEARLIKE = re.compile(r"(?:19|20)\d{2}")
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")

#: one token of the numeric tail after the name (tried in this order at each position)
_TAIL_TOKEN = re.compile(
    rf"(?P<sep>[\s,:;()\[\].]+)"
    rf"|(?P<monthyear>\d{{1,2}}/(?:19|20)\d{{2}})(?![\d/])"
    rf"|(?P<range>{_PAGE}\s*{_DASH}\s*{_PAGE})"
    rf"|(?P<num>{_PAGE})"
    rf"|(?P<month>{_MONTH})",
    re.IGNORECASE,
)

#: labelled parts, anywhere: ``Vol. 3``, ``Volume: 65``, ``No.1``, ``Issue: 4``, ``pp. 66-69``,
#: ``pages 14-26``, ``Article 123``
_LABELLED = (
    (
        "pages",
        re.compile(rf"\b(?:pp|pgs?|pages?)\s*\.?\s*:?\s*(?P<v>{_RANGE})|\bp\.\s*(?P<v2>{_RANGE})", re.IGNORECASE),
    ),
    ("pages", re.compile(rf"\b(?:article|art\.)\s*(?:no\.?|number|id)?\s*:?\s*(?P<v>{_PAGE})", re.IGNORECASE)),
    ("volume", re.compile(r"\bvol(?:ume)?s?\s*[.:]?\s*(?P<v>\d+[A-Za-z]?)(?![\w])", re.IGNORECASE)),
    (
        "number",
        re.compile(
            r"\b(?:no|nos|num|number|issue|iss|nr)\s*[.:]?\s*(?P<v>\d+(?:\s*[-/\u2013]\s*\d+)?)(?![\w])", re.IGNORECASE
        ),
    ),
)

_PUBLISHERS = (
    "ACM",
    "IEEE",
    "Springer",
    "Elsevier",
    "ISCA",
    "AAAI Press",
    "PMLR",
    "Association for Computational Linguistics",
    "MIT Press",
    "Wiley",
)
_PUBLISHER = re.compile(rf"(?<=[,.;])\s*(?P<p>{'|'.join(map(re.escape, _PUBLISHERS))})\s*(?=[,.;]|\s+\d|$)")

#: the reference says the paper is not (yet) published anywhere
_UNPUBLISHED = re.compile(
    r"\b(?:submitted|under (?:review|revision|submission)|in (?:review|revision|preparation)|withdrawn|rejected)\b",
    re.IGNORECASE,
)
#: accepted, not yet out
_PENDING = re.compile(
    r"^(?:conditionally\s+)?(?:accepted|to\s+appear|in\s+press|forthcoming)\b(?:\s+for\s+publication)?(?:\s+(?:at|in|to|by|for|as|on))?(?:\s+the\b)?[\s:,]*",
    re.IGNORECASE,
)
_PENDING_TAIL = re.compile(r"[\s,;.(]*\b(?:accepted|to\s+appear|in\s+press|forthcoming)\b[\s.)]*$", re.IGNORECASE)
_PUBLISHED = re.compile(
    r"^(?:(?:published|presented|appeared|appears|appear)\s+(?:at|in|to|by|as|on)\s+(?:the\s+)?|In\s*:\s*|In\s*(?=Proc)|In\s+)",
    re.IGNORECASE,
)
#: a book or a chapter of one (editors, an ISBN): not a journal or proceedings this module can name
_BOOK = re.compile(r"\((?:eds?|hrsg)\.?\)|\beds?\.\s|\bedited\s+by\b|\bISBN\b|\bchapter\b", re.IGNORECASE)
#: ``12 pages, 5 figures``: arXiv's comment written in the wrong field
_COUNTED = r"\d+\s+(?:pages|pp\.?|figures?|figs?\.?|tables?)(?![a-z])"
_PAGE_COUNT = re.compile(rf"[,;.]?\s*[\[(]?\s*\b{_COUNTED}(?:[\s,;&]*(?:and\s+)?{_COUNTED})*[\s.\])]*$", re.IGNORECASE)
#: ``(15pp)``: how long the paper is, not where it is
_LENGTH = re.compile(r"\s*[\[(]\s*\d+\s*(?:pp|pages)\.?\s*[\])]", re.IGNORECASE)
#: IEEE Xplore's ``ICASSP 2023 - 2023 IEEE International ...``: the acronym before the full name
_XPLORE_PREFIX = re.compile(
    r"^[A-Z][\w&/-]*?(?:\s+(?:19|20)\d{2})?(?:\s+[-\u2013\u2014]\s+(?=\S)|\s*[-\u2013\u2014]\s*(?=(?:19|20)\d{2}\s))"
)
_XPLORE_DOI = re.compile(r"[,.;]?\s*doi\s*:?\s*10\.\S+\s*$", re.IGNORECASE)
#: IEEE Xplore's ``... (ICASSP), Rhodes Island, Greece``: the place after the acronym
_PLACE = re.compile(r"^(?P<name>.*\([A-Z][A-Za-z0-9&/-]*(?:\s+'?(?:19|20)?\d{2})?\))\s*,\s*(?P<place>[A-Z][^()\d]*)$")

_STRONG_CONFERENCE = re.compile(
    r"\b(?:conference|conf\.|workshops?|symposium|meeting|congress|colloquium|summit|convention|"
    r"icassp|interspeech|neurips|nips|icml|iclr|acl|emnlp|naacl|eacl|coling|cvpr|iccv|eccv|aaai|ijcai|kdd|sigir|asru|slt|eusipco)\b",
    re.IGNORECASE,
)
_PROCEEDINGS = re.compile(r"^(?:proc(?:eedings|\.)?|in\s*proceedings)\b", re.IGNORECASE)
#: journals named "Proceedings of ...": PNAS, Proc. IEEE, Proc. R. Soc., the ACM's PACM journals, PVLDB
_JOURNAL_PROCEEDINGS = re.compile(
    r"^proc(?:eedings|\.)?\s+(?:of\s+(?:the\s+)?)?(?:ieee\s*$|national\s+academy|natl\.?\s|royal\s+soc|r\.\s?soc|american\s+math|amer\.\s?math|"
    r"acm\s+(?:on\s+)?[a-z]+\.?\s|vldb|london\s+math|lond\.\s?math|japan\s+acad|cambridge\s+phil)",
    re.IGNORECASE,
)
_CONNECTOR_END = re.compile(r"\b(?:and|of|in|on|for|the|at|to|&)$", re.IGNORECASE)


# -- the parser --------------------------------------------------------------------------


def parse(text: str) -> JournalRef:
    """Read one ``journal_ref``; see the module docstring for the shapes and what *confident* means."""
    raw = " ".join(str(text or "").split())
    if not raw:
        return JournalRef(raw, False, "no journal_ref")
    if len(raw) > MAX_LENGTH:
        return JournalRef(raw, False, f"longer than {MAX_LENGTH} characters: not one reference")
    if _UNPUBLISHED.search(raw):
        return JournalRef(raw, False, f'says "{_UNPUBLISHED.search(raw).group(0)}": not published')  # type: ignore[union-attr]
    body, status = raw, ""
    pending = _PENDING.match(body)
    if pending:
        body, status = body[pending.end() :], "accepted"
    tail_status = _PENDING_TAIL.search(body)
    if tail_status and tail_status.start() > 0:
        body, status = body[: tail_status.start()], "accepted"
    body = _PUBLISHED.sub("", body, count=1).strip()
    body = _XPLORE_DOI.sub("", body)
    note = ""
    count = _PAGE_COUNT.search(body)
    if count and count.start() > 0:
        body, note = body[: count.start()], body[count.start() :].strip(" ,;.")
    length = _LENGTH.search(body)
    if length:
        body, note = (
            body[: length.start()] + body[length.end() :],
            "; ".join(n for n in (length.group(0).strip(), note) if n),
        )
    first = _parse_one(raw, body, status, note)
    if first.confident:
        return first
    for cut in _cuts(body):  # longest first: "Phys. Rev. B 89, 224502 (2014) [Editors' Suggestion]"
        rest = body[cut:].strip(" ,;.-\u2013\u2014")
        if not re.search(r"[A-Za-z]{3}", rest) or any(pattern.search(rest) for pattern, _what in _RESIDUE[:1]):
            continue  # "..., 2000", "pp. 3": more of the reference, not a note
        found = _parse_one(raw, body[:cut], status, "; ".join(n for n in (rest, note) if n))
        if found.confident:
            return found
    return first


def _cuts(body: str) -> list[int]:
    """Where a trailing note may start: after the numeric tail ended (a digit or a parenthesis before it)."""
    points = [m.start() for m in re.finditer(r"\s*(?:;|\s\[|\s\(|\.\s|\s[-\u2013\u2014]{1,2}\s|,\s)", body)]
    ended = [p for p in points if p > 0 and re.search(r"[\d)\]]\s*$", body[:p])]
    return sorted(set(ended), reverse=True)[:8]


def _parse_one(raw: str, body: str, status: str, note: str) -> JournalRef:
    def unsure(why: str, **known: str) -> JournalRef:
        return JournalRef(raw, False, why, status=status, note=note, **known)

    text = re.sub(r"(?<=[)\d])\.$", "", body.strip(" ,;"))
    if _BOOK.search(text):
        return unsure("names a book or a chapter of one, not a journal or proceedings")
    if (
        "@" in text
    ):  # "Workshop X @ 2022 IEEE International Conference ... (ICSTW)": published in the proceedings after the @
        text = text.rsplit("@", 1)[1].strip()
    text = _XPLORE_PREFIX.sub("", text)
    fields = {"volume": "", "number": "", "pages": ""}
    for field, pattern in _LABELLED:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        if len(matches) > 1 or fields[field]:
            return unsure(f"gives {field} twice")
        value = matches[0].group("v") or (matches[0].groupdict().get("v2") or "")
        fields[field] = value
        text = text[: matches[0].start()] + ", " + text[matches[0].end() :]
    publisher = ""
    found = _PUBLISHER.search(text)
    if found:
        publisher, text = found.group("p"), text[: found.start()] + text[found.end() :]
    name, tail = _split_tail(text)
    parts = _read_tail(tail)
    if isinstance(parts, str):
        return unsure(parts)
    year = parts.pop("year", "")
    for field, value in parts.items():
        if not value:
            continue
        if fields[field] and fields[field] != value:
            if field == "volume" and not fields["pages"]:
                field = "pages"  # "Vol. 3, 45 (2000)": the bare number after a labelled volume is the page
            else:
                return unsure(
                    f"more numbers than a volume, issue, pages and year ({field} {fields[field]} and {value})"
                )
        fields[field] = value
    name = _clean_name(name)
    entry_type = _entry_type(name, fields["volume"])
    if entry_type == INPROCEEDINGS:
        name = _PLACE.sub(r"\g<name>", name)
        if not year:
            years = _YEAR_IN.findall(re.sub(r"\([^()]*\)", " ", name)) or _YEAR_IN.findall(name)
            year = years[-1] if years else ""
        article = (
            "the " if re.search(r"\b(?:conference|symposium|workshop|meeting|congress)\b", name, re.IGNORECASE) else ""
        )
        name = re.sub(r"^(?:In\s*)?Proc(?:eedings|\.)?\s+of\s+(?:the\s+)?", f"Proceedings of {article}", name)
        name = re.sub(r"^(?:In\s*)?Proc\.?\s+(?!of\b)", f"Proceedings of {article}", name)
    pages = _pages(fields["pages"])
    known = {
        "entry_type": entry_type,
        "name": name,
        "volume": fields["volume"],
        "number": fields["number"],
        "pages": pages,
        "year": year,
        "publisher": publisher,
    }
    problem = _name_problem(name, entry_type)
    if problem:
        return unsure(problem, **known)
    if not year:
        return unsure("gives no year", **known)
    return JournalRef(raw, True, "", status=status, note=note, **known)


def _split_tail(text: str) -> tuple[str, str]:
    """(name, numeric tail): the earliest place after which only volume/issue/pages/year/month tokens follow."""
    for p in range(1, len(text)):
        before, here = text[p - 1], text[p]
        glued = here.isdigit() and (before.isalpha() or before == ".")  # "Astrophys.J.517:565-586", "Phys.Lett.B573"
        if not (glued or (before in " ,:;(" and not here.isspace())):
            continue
        if not text[:p].strip(" ,:;(") or text[:p].count("(") > text[:p].count(")"):  # never inside "(ISSTA 2020)"
            continue
        if _is_tail(text, p):
            return text[:p], text[p:]
    return text, ""


def _is_tail(text: str, start: int) -> bool:
    position, tokens = start, 0
    while position < len(text):
        match = _TAIL_TOKEN.match(text, position)
        if match is None:
            return False
        if match.lastgroup != "sep":
            tokens += 1
        position = match.end()
    return tokens > 0


def _read_tail(tail: str) -> dict[str, str] | str:
    """Volume, issue, pages and year from the numeric tail, or why it does not read as one."""
    tokens = [(m.lastgroup, m.group(0), m.start(), m.end()) for m in _TAIL_TOKEN.finditer(tail) if m.lastgroup != "sep"]
    out = {"volume": "", "number": "", "pages": "", "year": ""}
    years: list[str] = []
    plain: list[int] = []
    used: set[int] = set()

    def in_parens(start: int, end: int) -> bool:
        return tail[:start].rstrip().endswith("(") and tail[end:].lstrip().startswith(")")

    for index, (kind, value, start, end) in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if kind == "monthyear":
            years.append(value[-4:])
        elif kind == "month":
            pass
        elif kind == "range":
            low, high = re.split(rf"\s*{_DASH}\s*", value, maxsplit=1)
            if _YEARLIKE.fullmatch(low) and _YEARLIKE.fullmatch(high) and 0 <= int(high) - int(low) <= 1:
                return f'"{value}" may be a year range or pages'
            if out["pages"]:
                return f"two page ranges ({out['pages']} and {value})"
            out["pages"] = value
        elif _YEARLIKE.fullmatch(value) and (
            in_parens(start, end) or any(t is not None and t[0] == "month" for t in (previous, following))
        ):
            years.append(value)
        elif (
            value.isdigit()
            and in_parens(start, end)
            and previous is not None
            and previous[0] == "num"
            and re.fullmatch(r"\s*\(\s*", tail[previous[3] : start])
        ):
            if out["number"]:
                return f"two issues ({out['number']} and {value})"
            out["number"] = value  # "35(2)": volume 35, issue 2
        elif (
            value.isdigit()
            and len(value) <= 2
            and (
                (previous is not None and previous[0] == "month") or (following is not None and following[0] == "month")
            )
        ):
            pass  # the day of "2022 Jul 18"
        elif not value.isdigit():
            if in_parens(start, end):
                return f'"({value})" is no volume, issue, pages or year'
            if out["pages"]:
                return f"more numbers than a volume, issue, pages and year ({out['pages']} and {value})"
            out["pages"] = value  # "e1400222", "S673": an article number
        else:
            plain.append(index)
    if not years:
        yearlike = [i for i in plain if _YEARLIKE.fullmatch(tokens[i][1])]
        if yearlike and yearlike[-1] == len(tokens) - 1:
            chosen = yearlike[-1]  # "...:565-586,1999"
        elif yearlike and yearlike[0] == 0 and len(tokens) > 1:
            chosen = yearlike[0]  # "Statistical Science 2008, Vol. 23, ..."
        elif len(yearlike) == 1:
            chosen = yearlike[0]
        else:
            chosen = -1
        if chosen >= 0:
            years.append(tokens[chosen][1])
            used.add(chosen)
    if len(set(years)) > 1:
        return f"two years ({', '.join(sorted(set(years)))})"
    out["year"] = years[0] if years else ""
    for index in plain:
        if index in used:
            continue
        value = tokens[index][1]
        if not out["volume"]:
            out["volume"] = value
        elif not out["pages"]:
            out["pages"] = value
        else:
            return f"more numbers than a volume, issue, pages and year ({value})"
    if _YEARLIKE.fullmatch(out["volume"]) and out["volume"] != out["year"]:
        return f"two years or a year as the volume ({out['volume']} and {out['year'] or 'no year'})"
    if out["number"] and not out["volume"]:
        return f"an issue ({out['number']}) without a volume"
    return out


def _clean_name(name: str) -> str:
    name = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", name))
    name = name.strip(" ,;:(-\u2013\u2014")
    name = re.sub(r"(?<=[)\d])\.$", "", name)
    name = re.sub(r"(?<=[a-z])\.(?=[A-Z])", ". ", name)  # "Phys.Lett.B" -> "Phys. Lett. B"
    return " ".join(name.split())


def _entry_type(name: str, volume: str) -> str:
    if _STRONG_CONFERENCE.search(name):
        return INPROCEEDINGS
    if _PROCEEDINGS.search(name):
        return ARTICLE if (volume or _JOURNAL_PROCEEDINGS.search(name)) else INPROCEEDINGS
    return ARTICLE


def _name_problem(name: str, entry_type: str) -> str:
    """Why ``name`` is not a venue's name (residue of the numbers, an unbalanced parenthesis...), or ""."""
    if len(re.findall(r"[A-Za-z]", re.sub(r"^(?:Proc(?:eedings|\.)?)(?:\s+of)?(?:\s+the)?\b", "", name))) < 2:
        return f'no venue name ("{name}")' if name else "no venue name"
    if re.search(r"\barxiv\b", name, re.IGNORECASE):
        return "names arXiv, not a venue"
    if name.count("(") != name.count(")"):
        return f'unbalanced parentheses in "{name}"'
    if _CONNECTOR_END.search(name) or _CONNECTOR_START.search(name):
        return f'"{name}" starts or ends mid-phrase'
    if name in _PUBLISHERS:
        return f"names a publisher ({name}), not a venue"
    for pattern, what in _RESIDUE:
        found = pattern.search(name)
        if found:
            return f'{what} ("{found.group(0).strip()}") left in the name "{name}"'
    residue = name
    if entry_type == INPROCEEDINGS:  # proceedings titles hold years, ordinals and acronyms with years: "(ISSTA 2020)"
        residue = re.sub(r"\([A-Z][\w&/-]*\s+'?\d{2,4}\)", " ", residue)
        residue = re.sub(r"(?<![\w.(])(?:'\d{2}|(?:19|20)\d{2}|\d+(?:st|nd|rd|th))(?![\w)])", " ", residue)
    number = re.search(r"(?<![\w.])[A-Za-z]?\d+(?![\w])", residue)
    if number:
        return f'a number ({number.group(0)}) left in the name "{name}"'
    return ""


_CONNECTOR_START = re.compile(r"^(?:and|of|in|on|for|at|to|&)\b", re.IGNORECASE)
#: what is left of a reference when the parts were not all taken: labels without values, stray punctuation, a status
_RESIDUE = (
    (re.compile(r"\b(?:vols?|volume|nos?|issue|pp|pages|art)\b\.?", re.IGNORECASE), "a label"),
    (re.compile(r"\s[,:;]|[,:;]\s*[,:;]|--|\(\s*\)|[\u2013\u2014]"), "stray punctuation"),
    (re.compile(r"\b(?:accepted|to\s+appear|in\s+press|forthcoming)\b", re.IGNORECASE), "a status"),
)


def _pages(value: str) -> str:
    value = value.strip()
    return re.sub(rf"\s*{_DASH}\s*", "--", value) if re.fullmatch(_RANGE, value) else value
