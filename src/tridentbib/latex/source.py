"""TeX source (arXiv's titles and abstracts, hand-written values) -> BibTeX content that says the same."""

from __future__ import annotations

import re

from tridentbib.latex.decode import _is_ascii_letter
from tridentbib.latex.tables import _UNPAIRED_BRACE

# ---------------------------------------------------------------- TeX source -> BibTeX


#: characters that break LaTeX when bare outside math, and what prints them
_BARE_BREAKERS = {
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_TEX_SOURCE_SPECIALS = re.compile(r"[\\$%&#_^{}<>]")
#: closing delimiter of each math opener TeX source uses
_MATH_CLOSERS = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}


def safe_tex(source: str) -> str:
    r"""TeX source (arXiv titles and abstracts, hand-written BibTeX values) as BibTeX content that says the same.

    arXiv's metadata is TeX, as authors typed it: ``30\%``, ``\emph{x}``, ``{\it i)}``,
    ``R\'{e}nyi``, ``Hartree--Fock``, ````quoted''``, ``$\omega$``, ``\[ x \]``. All
    of that is kept, math of any content included. Only what would break the
    document, or the .bib, is rewritten: a bare ``% & # _`` outside math gets a
    backslash (``^`` becomes ``\textasciicircum{}``), a ``$`` that opens no math
    becomes ``\$``, a brace without a partner becomes
    ``\textbraceleft{}``/``\textbraceright{}``, and a backslash ending the
    value becomes ``\textbackslash{}``. Bare and backslashed braces are paired
    separately, so BibTeX (which counts every brace) and bibtexparser (which skips
    ``\{``) both read the value as balanced.
    """
    if _TEX_SOURCE_SPECIALS.search(source) is None:
        return source
    unpaired = _unpaired_tex_braces(source)
    out: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            following = source[index + 1 : index + 2]
            closer = _MATH_CLOSERS.get("\\" + following) if following in "([" and following else None
            end = _tex_math_end(source, index + 2, closer) if closer else None
            if end is not None:
                out.append(source[index:end])
                index = end
            elif not following:
                out.append(r"\textbackslash{}")
                index += 1
            elif following in "{}":
                out.append(_UNPAIRED_BRACE[following] if index + 1 in unpaired else "\\" + following)
                index += 2
            elif _is_ascii_letter(following):
                end = index + 1
                while end < len(source) and _is_ascii_letter(source[end]):
                    end += 1
                out.append(source[index:end])
                index = end
            else:
                # a control symbol (\%, \', \\); before a brace bibtexparser would read it as escaping that brace
                out.append(
                    source[index : index + 2]
                    + (" " if following == "\\" and source[index + 2 : index + 3] in ("{", "}") else "")
                )
                index += 2
        elif char == "$":
            opener = "$$" if source.startswith("$$", index) else "$"
            end = _tex_math_end(source, index + len(opener), opener)
            if end is None:
                out.append(r"\$")
                index += 1
            else:
                out.append(source[index:end])
                index = end
        elif char in "{}":
            out.append(_UNPAIRED_BRACE[char] if index in unpaired else char)
            index += 1
        elif char in _BARE_BREAKERS:
            out.append(_BARE_BREAKERS[char])
            index += 1
        else:
            run_end = _TEX_SOURCE_SPECIALS.search(source, index)
            stop = run_end.start() if run_end else len(source)
            out.append(source[index:stop])
            index = stop
    return "".join(out)


def _tex_math_end(source: str, start: int, closer: str) -> int | None:
    """End (exclusive) of math whose body starts at ``start``, or None when it never closes or would break the .bib.

    Math may hold anything TeX allows, but its braces must balance (BibTeX counts them)
    and an unescaped ``%`` would comment out the rest of the field.
    """
    index = start
    while index < len(source):
        if source.startswith(closer, index) and index > start:
            body = source[start:index]
            if _unpaired_tex_braces(body) or _UNESCAPED_PERCENT.search(body) or body.endswith("\\"):
                return None
            return index + len(closer)
        if source[index] == "\\":
            index += 2
            continue
        if closer in ("$", "$$") and source.startswith("\n\n", index):
            return None  # a paragraph break ends any math
        index += 1
    return None


_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")


def _unpaired_tex_braces(source: str) -> set[int]:
    r"""Positions of braces without a partner; bare braces pair with bare ones, ``\{``/``\}`` with each other.

    A backslashed brace's position is that of the brace, not of its backslash.
    """
    if "{" not in source and "}" not in source:
        return set()
    stacks: dict[bool, list[int]] = {False: [], True: []}
    unpaired: set[int] = set()
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source):
            if source[index + 1] in "{}":
                _pair(stacks[True], unpaired, source[index + 1], index + 1)
            index += 2
            continue
        if char in "{}":
            _pair(stacks[False], unpaired, char, index)
        index += 1
    return unpaired | set(stacks[False]) | set(stacks[True])


def _pair(stack: list[int], unpaired: set[int], brace: str, position: int) -> None:
    if brace == "{":
        stack.append(position)
    elif stack:
        stack.pop()
    else:
        unpaired.add(position)
