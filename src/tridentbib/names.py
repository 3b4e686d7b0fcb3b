"""Author names: display form and BibTeX author lists -> :class:`Name` -> ``von Last, Jr, First``.

Why: arXiv and OpenReview give names as "First Middle Last", and BibTeX guesses
the parts of such a name from capitalisation (it even reads "Hung-yi Lee" as
First "Hung", von "yi", Last "Lee").  tridentbib therefore always writes the
unambiguous comma form, and needs a stable ASCII surname for cite keys and
first-author matching.

Name parts are kept as they came in: plain text from :func:`parse_display_name`,
BibTeX content from :func:`parse_bibtex_names`.  :meth:`Name.bibtex` does not
escape, so run plain parts through ``latex.to_latex`` before writing them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final, Literal

from tridentbib.latex import (
    collapse_whitespace,
    from_latex,
    split_top_level,
    strip_accents,
)

#: BibTeX's "and others" (et al.)
OTHERS: Final = "others"

#: lowercase words that start a family name in display names ("Ludwig van Beethoven")
PARTICLES = frozenset(
    "van von der den de del della di da dos das do du des le la ter ten bin binti ibn al zu vom zum zur".split()
)
#: capitalised particles that join the family name after them ("A. Del Maestro" -> "Del Maestro")
CAPITAL_PARTICLES = frozenset("Da Das De Del Della Der Des Di Do Dos Du La Le Van Von St. Ter Ten".split())
#: the commonest Vietnamese family names: beside one of them "Van", "Le", "Do" are Vietnamese names, not particles
VIETNAMESE_FAMILY = frozenset(
    "Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh Trinh Luong".split()
)
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


@dataclass(frozen=True)
class Name:
    """One person (or organisation) in BibTeX's four parts."""

    given: str
    family: str
    prefix: str = ""  # von part: "van der", "de"
    suffix: str = ""  # Jr part: "Jr.", "III"

    def bibtex(self) -> str:
        """``von Last, Jr, First`` (``van der Berg, Jan``; ``King, Jr., Martin Luther``).

        A lone name (mononym, organisation) is braced whole, ``{OpenAI}``, so
        BibTeX neither splits nor abbreviates it; any part holding a comma or
        the word ``and`` is braced too.
        """
        if not (self.given or self.prefix or self.suffix):
            return _as_one_group(self.family)
        last = " ".join(part for part in (self.prefix, self.family) if part)
        if self.suffix:
            parts = [last, self.suffix, self.given]
        elif self.given:
            parts = [last, self.given]
        else:
            parts = [last]
        return ", ".join(_brace_if_ambiguous(part) for part in parts).rstrip()


@functools.lru_cache(maxsize=65536)
def parse_display_name(display: str) -> Name:
    """Split "First Middle [von] Last [Jr.]" as arXiv and OpenReview print names.

    The family name is the last word plus any lowercase particles from
    :data:`PARTICLES` before it (``Jean-Baptiste de La Fontaine`` -> prefix
    ``de``, family ``La Fontaine``); capitalised particles after a given name join
    the family name (``A. Del Maestro`` -> family ``Del Maestro``), except before
    a final initial (``Nguyen Van A`` -> family ``A``).  A trailing ``Jr.``/``III`` (with or
    without a comma) is the suffix.  A comma form ``Lee, Hung-yi`` is read as
    BibTeX would.  A single word is a mononym: family only.
    """
    text = collapse_whitespace(display)
    parts = [part.strip() for part in split_top_level(text, ",")]
    if len(parts) == 2 and _is_suffix(parts[1]) and len(split_top_level(parts[0])) >= 2:
        return replace(
            _parse_first_von_last(split_top_level(parts[0]), _is_particle, von_may_lead=False), suffix=parts[1]
        )
    if len(parts) >= 2:
        return _parse_comma_form(parts, _is_particle)
    words = split_top_level(text)
    suffix = words.pop() if len(words) >= 3 and _is_suffix(words[-1]) else ""
    name = _parse_first_von_last(words, _is_particle, von_may_lead=False)
    return replace(_with_capital_particles(name), suffix=suffix)


def _with_capital_particles(name: Name) -> Name:
    """Move capitalised particles ending the given names into the family name: ``Del Maestro``, ``Le Gall``.

    BibTeX reads ``Del Maestro, A.`` as one last name, so styles sort it under D and
    abbreviate only the given names. At least one given name must stay (``Di Wu`` and
    ``Le Zhang`` are a given name and a surname); a final initial means the name is
    written family first (``Nguyen Van A``), and beside a Vietnamese family name ``Van``
    is a middle name (``Thanh Van Nguyen``): those are left as they are.
    """
    given = name.given.split(" ") if name.given else []
    if (
        name.prefix
        or _is_initial(name.family)
        or VIETNAMESE_FAMILY.intersection([*given, name.family]) - CAPITAL_PARTICLES
    ):
        return name
    split = len(given)
    while split > 1 and given[split - 1] in CAPITAL_PARTICLES:
        split -= 1
    if split == len(given):
        return name
    return replace(name, given=" ".join(given[:split]), family=" ".join([*given[split:], name.family]))


def _is_initial(word: str) -> bool:
    """``A``, ``A.``, ``Th.``: a given-name initial, not a surname."""
    return bool(re.fullmatch(r"[^\W\d_]{1,2}\.?", word)) and (len(word.rstrip(".")) == 1 or word.endswith("."))


def parse_bibtex_names(field: str) -> list[Name | Literal["others"]]:
    """Split a BibTeX ``author``/``editor`` field into names, as BibTeX does.

    Names are separated by the word ``and`` (any case) outside braces; each is
    ``von Last, First``, ``von Last, Jr, First`` or ``First von Last``, where
    the von part is lowercase words (BibTeX's rule, with Unicode letter case;
    unlike BibTeX, hyphenated words are not split).  ``{OpenAI}`` is an
    organisation (family only, braces removed) and ``others`` is returned as
    the string ``"others"``.
    """
    names: list[Name | Literal["others"]] = []
    current: list[str] = []
    for word in [*split_top_level(field), "and"]:
        if word.lower() != "and":
            current.append(word)
            continue
        if current:
            text = " ".join(current)
            names.append(OTHERS if text == OTHERS else _parse_bibtex_name(text))
        current = []
    return names


#: the separator of a BibTeX name list (any case)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def split_names(author: str) -> list[str]:
    """A BibTeX author field cut at its top-level ``and`` s, each name as written (whitespace collapsed)."""
    depth_at = []
    depth = 0
    for char in author:
        depth_at.append(depth)
        depth += {"{": 1, "}": -1}.get(char, 0)
    names, start = [], 0
    for match in _AND.finditer(author):
        if depth_at[match.start()] == 0:
            names.append(collapse_whitespace(author[start : match.start()]))
            start = match.end()
    names.append(collapse_whitespace(author[start:]))
    return [name for name in names if name]


def surname_key(name: Name) -> str:
    r"""ASCII lowercase letters of the family name, without von part: ``{\'A}lvarez-Mellado`` -> ``alvarezmellado``.

    Empty when the family name has no Latin letters (e.g. CJK); callers pick a fallback.
    """
    plain = strip_accents(from_latex(name.family)).lower()
    return re.sub(r"[^a-z]", "", plain)


# ---------------------------------------------------------------- parsing


def _parse_bibtex_name(text: str) -> Name:
    parts = [part.strip() for part in split_top_level(text, ",")]
    if len(parts) == 1:
        return _parse_first_von_last(split_top_level(text), _starts_lowercase, von_may_lead=True)
    return _parse_comma_form(parts, _starts_lowercase)


def _parse_first_von_last(words: list[str], is_von: Callable[[str], bool], *, von_may_lead: bool) -> Name:
    """First = words before the first von word; von runs to the last von word before the final word."""
    if not words:
        return Name("", "")
    if len(words) == 1:
        return Name("", _unbrace(words[0]))
    last = len(words) - 1
    von_words = [index for index in range(0 if von_may_lead else 1, last) if is_von(words[index])]
    if not von_words:
        return Name(" ".join(words[:last]), words[last])
    von_start, von_end = von_words[0], von_words[-1] + 1
    return Name(
        given=" ".join(words[:von_start]),
        family=" ".join(words[von_end:]),
        prefix=" ".join(words[von_start:von_end]),
    )


def _parse_comma_form(parts: list[str], is_von: Callable[[str], bool]) -> Name:
    """``von Last, First`` / ``von Last, Jr, First``; von ends at the last von word before the final word."""
    head = split_top_level(parts[0])
    suffix, given = ("", parts[1]) if len(parts) == 2 else (parts[1], ", ".join(parts[2:]))
    von_end = max((index + 1 for index in range(len(head) - 1) if is_von(head[index])), default=0)
    return Name(
        given=" ".join(split_top_level(given)),
        family=" ".join(head[von_end:]),
        prefix=" ".join(head[:von_end]),
        suffix=" ".join(split_top_level(suffix)),
    )


def _is_particle(word: str) -> bool:
    return word in PARTICLES


def _is_suffix(word: str) -> bool:
    return word.lower() in SUFFIXES


def _starts_lowercase(word: str) -> bool:
    """BibTeX's von test: the first letter outside braces is lowercase; ``{\\"u}`` counts as its letter."""
    index = 0
    while index < len(word):
        char = word[index]
        if char == "{":
            end = _group_end(word, index)
            if word.startswith("{\\", index):  # special character
                letters = [c for c in from_latex(word[index:end]) if c.isalpha()]
                if letters:
                    return letters[0].islower()
            index = end
        elif char.isalpha():
            return char.islower()
        else:
            index += 1
    return False


def _group_end(text: str, start: int) -> int:
    """Index just after the brace group opening at ``start`` (BibTeX counts every brace)."""
    depth = 0
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index + 1
    return len(text)


# ---------------------------------------------------------------- writing


def _is_one_group(text: str) -> bool:
    return text.startswith("{") and _group_end(text, 0) == len(text)


def _unbrace(word: str) -> str:
    """``{OpenAI}`` -> ``OpenAI``; special characters like ``{\\O}`` stay."""
    return word[1:-1] if _is_one_group(word) and not word.startswith("{\\") else word


def _as_one_group(text: str) -> str:
    return text if _is_one_group(text) and not text.startswith("{\\") else "{" + text + "}"


@functools.lru_cache(maxsize=65536)  # the same names recur across a list's papers
def _brace_if_ambiguous(part: str) -> str:
    """Brace a name part BibTeX would otherwise split at a comma or an ``and``."""
    has_comma = len(split_top_level(part, ",")) > 1
    has_and = any(word.lower() == "and" for word in split_top_level(part))
    return _as_one_group(part) if has_comma or has_and else part
