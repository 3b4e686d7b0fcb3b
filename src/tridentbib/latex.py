r"""Plain Unicode text <-> BibTeX field content.

Why: every field value inside tridentbib is LaTeX-ready BibTeX content (the text
between the braces).  Resolvers receive plain text (arXiv Atom, OpenReview JSON)
and must escape it so that BibTeX, biber and LaTeX give back exactly that text;
title matching and tests need the inverse.  What ties the two together is a
lossless round trip::

    from_latex(to_latex(x)) == x               # every string x
    from_latex(to_latex(x, ascii=True)) == x   # NFC x, up to the few ASCII_LOSSY characters

Rules chosen (conservative: faithful text beats clever rendering):

* Math: a ``$...$`` pair is inline math, kept verbatim, when its content is
  non-empty, on one line, has no space at either edge, is brace-balanced, has
  no unescaped ``% # &``, does not end in ``\``, and looks like math (holds one
  of ``\ ^ _ = < > + - * / ( ) [ ] { } |`` or a Unicode math symbol, or is one
  letter with optional digits/primes: ``$n$``).  As in pandoc, a closing ``$``
  followed by a digit means money ("$5-$10"), unless the content holds a
  command (``$\sim$10`` is math).  Every other ``$`` is written ``\$``.
* Outside math the text is literal, LaTeX-looking or not: ``\`` ->
  ``\textbackslash{}`` (an abstract's ``\emph{x}`` stays visible as typed),
  ``% & # _ $`` get a backslash, ``^``, ``~`` and the backtick become
  ``\textasciicircum{}`` etc.
  Braces that pair up become ``\{ \}``; an unpaired one becomes
  ``\textbraceleft{}``/``\textbraceright{}`` so BibTeX still sees balanced braces.
* Character pairs TeX fonts merge into ligatures (``--``, ``''``, ``<<``,
  ``,,`` ...) are split with ``{}`` (``-{}-``) so they print as typed; this is
  what lets ``from_latex`` read ``--``/``---`` as en/em dash.
* Whitespace is never changed by ``to_latex``/``from_latex``, leading and
  trailing spaces included; call :func:`collapse_whitespace` first.
* ``ascii=True`` writes non-ASCII letters as braced BibTeX "special
  characters" (``{\"u}``, ``{\c{c}}``, ``{\o}``), dashes/quotes/no-break space
  as ``-- --- ` ' `` '' ~``; what has no LaTeX spelling (CJK, emoji, Greek
  outside math) stays UTF-8, see :func:`unencodable`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

# ---------------------------------------------------------------- tables

#: plain character -> LaTeX that prints it (outside math)
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "`": r"\textasciigrave{}",
}
_UNPAIRED_BRACE = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_PAIRED_BRACE = {"{": r"\{", "}": r"\}"}

#: adjacent characters a TeX font would merge; ``{}`` goes between them
_LIGATURE_PAIRS = frozenset({("-", "-"), ("'", "'"), ("`", "`"), ("!", "`"), ("?", "`"), (",", ","), ("<", "<"), (">", ">")})
#: one character ``to_latex`` rewrites
_SPECIAL_CHAR = re.compile("[" + re.escape("".join(_TEXT_ESCAPES) + "{}") + "]")
#: the empty position between the two characters of a ligature pair (where ``{}`` goes)
_LIGATURE_GAP = re.compile("|".join(f"(?<={re.escape(a)})(?={re.escape(b)})" for a, b in sorted(_LIGATURE_PAIRS)))
#: text without a match comes back from ``to_latex`` unchanged (the fast path)
_NEEDS_ESCAPING = tuple(sorted(_TEXT_ESCAPES)) + ("{", "}") + tuple(sorted(a + b for a, b in _LIGATURE_PAIRS))


def _needs_escaping(text: str) -> bool:
    """Does ``text`` hold a special character or a ligature pair? (``in`` scans beat one regex over abstracts)"""
    return any(needle in text for needle in _NEEDS_ESCAPING)


#: letters with their own LaTeX command (bare; braced when written)
_LETTER_COMMANDS = {
    "ø": "o", "Ø": "O", "ß": "ss", "ẞ": "SS", "ł": "l", "Ł": "L", "ı": "i", "ȷ": "j",
    "å": "aa", "Å": "AA", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "đ": "dj", "Đ": "DJ", "ð": "dh", "Ð": "DH", "þ": "th", "Þ": "TH", "ŋ": "ng", "Ŋ": "NG",
}  # fmt: skip

#: non-letters written as ASCII LaTeX in ascii mode
_SYMBOL_SPELLINGS = {
    "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''",
    "\u00a0": "~", "\u00ad": r"\-", "\u2009": r"\,", "…": r"{\ldots}",
    "¡": r"{\textexclamdown}", "¿": r"{\textquestiondown}",
    "«": r"{\guillemotleft}", "»": r"{\guillemotright}", "„": r"{\quotedblbase}", "‚": r"{\quotesinglbase}",
    "§": r"{\S}", "¶": r"{\P}", "©": r"{\copyright}", "®": r"{\textregistered}", "™": r"{\texttrademark}",
    "£": r"{\pounds}", "€": r"{\texteuro}", "°": r"{\textdegree}", "±": r"{\textpm}", "×": r"{\texttimes}",
    "·": r"{\textperiodcentered}", "†": r"{\dag}", "‡": r"{\ddag}", "•": r"{\textbullet}",
}  # fmt: skip

#: Greek letters with a math command: ``\ensuremath{\alpha}`` in text, ``{\alpha}`` inside math
#: (pdflatex's default fonts have no Greek; capitals that look Latin have no command)
_GREEK_COMMANDS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ϖ": "varpi", "ρ": "rho", "ϱ": "varrho", "σ": "sigma",
    "ς": "varsigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi",
    "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}  # fmt: skip
_GREEK_BY_COMMAND = {command: letter for letter, command in _GREEK_COMMANDS.items() if letter not in "ϵϕ"}
_BRACED_GREEK = re.compile(r"\{\\(" + "|".join(sorted(_GREEK_BY_COMMAND, key=len, reverse=True)) + r")\}")

#: ascii=True cannot keep these apart from a neighbour; from_latex returns the value
ASCII_LOSSY = {"’": "'", "ș": "ş", "Ș": "Ş", "ț": "ţ", "Ț": "Ţ"}

#: combining mark -> accent command (comma below is written as cedilla, BibTeX habit)
_ACCENT_BY_MARK = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
    "\u0326": "c", "\u0327": "c", "\u0328": "k", "\u0331": "b",
}  # fmt: skip
_MARK_BY_ACCENT = {cmd: mark for mark, cmd in _ACCENT_BY_MARK.items() if mark != "\u0326"}
#: what ``\'{}`` (accent on nothing) prints
_BARE_ACCENT = {
    "`": "`", "'": "\u00b4", "^": "^", "~": "~", "=": "\u00af", "u": "\u02d8", ".": "\u02d9",
    '"': "\u00a8", "r": "\u02da", "H": "\u02dd", "v": "\u02c7", "c": "\u00b8", "k": "\u02db", "d": "", "b": "",
}  # fmt: skip

_CHAR_BY_COMMAND = {cmd: char for char, cmd in _LETTER_COMMANDS.items()} | {
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textasciigrave": "`",
    "textbraceleft": "{", "textbraceright": "}", "textunderscore": "_", "textdollar": "$",
    "textpercent": "%", "textampersand": "&", "textbar": "|", "textless": "<", "textgreater": ">",
    "textquotedbl": '"', "textquotesingle": "'", "textquoteleft": "‘", "textquoteright": "’",
    "textquotedblleft": "“", "textquotedblright": "”", "textendash": "–", "textemdash": "—",
    "ldots": "…", "dots": "…", "textellipsis": "…", "nobreakspace": "\u00a0", "slash": "/",
    "textexclamdown": "¡", "textquestiondown": "¿", "guillemotleft": "«", "guillemotright": "»",
    "guillemetleft": "«", "guillemetright": "»", "quotedblbase": "„", "quotesinglbase": "‚",
    "S": "§", "textsection": "§", "P": "¶", "textparagraph": "¶", "copyright": "©",
    "textcopyright": "©", "textregistered": "®", "texttrademark": "™", "pounds": "£",
    "textsterling": "£", "texteuro": "€", "textdegree": "°", "textpm": "±", "texttimes": "×",
    "textperiodcentered": "·", "dag": "†", "textdagger": "†", "ddag": "‡", "textdaggerdbl": "‡",
    "textbullet": "•", "TeX": "TeX", "LaTeX": "LaTeX", "BibTeX": "BibTeX",
} | _GREEK_BY_COMMAND  # fmt: skip

#: control symbols other than accents: ``\%`` -> ``%``; unknown ones print their character
#: text without a match decodes to itself (``from_latex`` fast path)
_DECODES_TO_ITSELF = re.compile(r"[\\{}$\-`~]|''")
_CHAR_BY_SYMBOL = {" ": " ", "\\": " ", ",": "\u2009", "-": "\u00ad", "/": "", "@": "", "!": "", ";": " ", ":": " "}

_DASH_RUN = re.compile(r"-+")
_MATH_SIGNAL = re.compile(r"[\\^_=<>+\-*/()\[\]{}|]")
_MATH_SINGLE_SYMBOL = re.compile(r"[A-Za-z]\d*'*")
_UNESCAPED_MATH_BREAKER = re.compile(r"(?<!\\)[%#&]")
#: whitespace that only wraps lines; no-break and fixed-width spaces carry meaning
_WRAPPING_WHITESPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
_ASCII_FOLDS = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
     "Þ": "Th", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "ȷ": "j",
     "ŋ": "n", "Ŋ": "N"}
)  # fmt: skip


# ---------------------------------------------------------------- plain -> LaTeX


def to_latex(text: str, *, ascii: bool = False) -> str:
    """Plain text as BibTeX field content that prints (and decodes) as ``text``."""
    if (not ascii or text.isascii()) and not _needs_escaping(text):
        return text  # nothing to escape, no ligature to split: most names, titles and abstracts
    math_spans = find_math_spans(text)
    unpaired = _unpaired_brace_positions(text, math_spans)
    pieces: list[str] = []
    position = 0
    for start, end in [*math_spans, (len(text), len(text))]:
        pieces.extend(_escape_text(text, position, start, unpaired, ascii))
        pieces.append(text[start:end])
        position = end
    return _join_breaking_ligatures([(piece, True) for piece in pieces])


def to_ascii(latex: str) -> str:
    """Rewrite the non-ASCII characters of LaTeX content as LaTeX escapes.

    Existing commands, braces and math are left alone; characters without an
    ASCII spelling stay as they are (see :func:`unencodable`).
    """
    pieces: list[tuple[str, bool]] = []  # (text, newly written)
    for chunk, is_math in _split_latex_math(latex):
        if is_math:
            pieces.append(("".join("{\\" + _GREEK_COMMANDS[char] + "}" if char in _GREEK_COMMANDS else char for char in chunk), False))
            continue
        for cluster in _clusters(chunk):
            encoded = None if cluster.isascii() else _encode_cluster(cluster)
            pieces.append((encoded, True) if encoded else (cluster, False))
    return _join_breaking_ligatures(pieces)


def unencodable(text: str) -> set[str]:
    """Characters of ``text`` (plain or LaTeX) that ``ascii=True`` has to keep as UTF-8."""
    return {char for char in to_ascii(text) if not char.isascii()}


def find_math_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every ``$...$`` in plain text that counts as inline math (module rules)."""
    spans = []
    opening = text.find("$")
    while opening != -1:
        closing = text.find("$", opening + 1)
        if closing == -1:
            break
        escaped = opening > 0 and text[opening - 1] == "\\"
        content = text[opening + 1 : closing]
        followed_by_digit = closing + 1 < len(text) and text[closing + 1].isdigit()
        money = followed_by_digit and "\\" not in content  # "$5-$10", but "$\\sim$10" is math
        if not escaped and not money and looks_like_math(content):
            spans.append((opening, closing + 1))
            opening = text.find("$", closing + 1)
        else:
            opening = closing
    return spans


def looks_like_math(content: str) -> bool:
    """Whether the text between two ``$`` is plausibly inline math (see module docstring)."""
    if not content or content[0].isspace() or content[-1].isspace() or content.endswith("\\"):
        return False
    if "\n" in content or "\r" in content or not _braces_balance(content) or _UNESCAPED_MATH_BREAKER.search(content):
        return False
    has_math_symbol = any(unicodedata.category(char) == "Sm" for char in content)
    return bool(_MATH_SIGNAL.search(content)) or has_math_symbol or bool(_MATH_SINGLE_SYMBOL.fullmatch(content))


def _escape_text(text: str, start: int, end: int, unpaired: set[int], ascii: bool) -> Iterator[str]:
    index = start
    if not ascii:  # runs of plain characters as one piece each (ligatures inside split here), specials one by one
        for special in _SPECIAL_CHAR.finditer(text, start, end):
            if special.start() > index:
                yield _LIGATURE_GAP.sub("{}", text[index : special.start()])
            char = special.group()
            if char in "{}":
                yield _UNPAIRED_BRACE[char] if special.start() in unpaired else _PAIRED_BRACE[char]
            else:
                yield _TEXT_ESCAPES[char]
            index = special.end()
        if end > index:
            yield _LIGATURE_GAP.sub("{}", text[index:end])
        return
    while index < end:
        char = text[index]
        if char in "{}":
            yield _UNPAIRED_BRACE[char] if index in unpaired else _PAIRED_BRACE[char]
        elif char in _TEXT_ESCAPES:
            yield _TEXT_ESCAPES[char]
        elif ascii:
            cluster_end = _cluster_end(text, index, end)
            cluster = text[index:cluster_end]
            yield cluster if cluster.isascii() else _encode_cluster(cluster) or cluster
            index = cluster_end
            continue
        else:
            yield char
        index += 1


def _unpaired_brace_positions(text: str, math_spans: list[tuple[int, int]]) -> set[int]:
    if "{" not in text and "}" not in text:
        return set()
    in_math = {index for start, end in math_spans for index in range(start, end)}
    open_positions: list[int] = []
    unpaired: set[int] = set()
    for index, char in enumerate(text):
        if index in in_math:
            continue
        if char == "{":
            open_positions.append(index)
        elif char == "}":
            if open_positions:
                open_positions.pop()
            else:
                unpaired.add(index)
    return unpaired | set(open_positions)


def _braces_balance(text: str) -> bool:
    """BibTeX's view: every brace counts, escaped or not."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _join_breaking_ligatures(pieces: list[tuple[str, bool]]) -> str:
    """Concatenate, putting ``{}`` where a newly written piece would fuse with a neighbour."""
    out: list[str] = []
    previous, previous_is_new = "", False
    for piece, is_new in pieces:
        if not piece:
            continue
        fuses = previous and (previous[-1], piece[0]) in _LIGATURE_PAIRS
        if fuses and (is_new or previous_is_new):
            out.append("{}")
        out.append(piece)
        previous, previous_is_new = piece, is_new
    return "".join(out)


def _split_latex_math(latex: str) -> Iterator[tuple[str, bool]]:
    """LaTeX content as (chunk, is_math) pieces; math is ``$...$`` exactly as from_latex reads it."""
    text_start = index = 0
    while index < len(latex):
        if latex[index] == "\\":
            index += 2
            continue
        closing = _math_end(latex, index) if latex[index] == "$" else None
        if closing is None:
            index += 1
            continue
        yield latex[text_start:index], False
        yield latex[index:closing], True
        text_start = index = closing
    yield latex[text_start:], False


def _math_end(latex: str, opening: int) -> int | None:
    """End (exclusive) of the math that starts at the ``$`` at ``opening``, skipping ``\\x`` pairs."""
    index = opening + 1
    while index < len(latex):
        if latex[index] == "\\":
            index += 2
        elif latex[index] == "$":
            return index + 1
        else:
            index += 1
    return None


def _cluster_end(text: str, index: int, end: int) -> int:
    index += 1
    while index < end and unicodedata.category(text[index]).startswith("M"):
        index += 1
    return index


def _clusters(text: str) -> Iterator[str]:
    """Base character + its combining marks."""
    index = 0
    while index < len(text):
        cluster_end = _cluster_end(text, index, len(text))
        yield text[index:cluster_end]
        index = cluster_end


def _encode_cluster(cluster: str) -> str | None:
    """ASCII LaTeX for one non-ASCII character (with marks), or None if there is none."""
    cluster = unicodedata.normalize("NFC", cluster)
    if cluster in _SYMBOL_SPELLINGS:
        return _SYMBOL_SPELLINGS[cluster]
    if cluster in _LETTER_COMMANDS:
        return "{\\" + _LETTER_COMMANDS[cluster] + "}"
    if cluster in _GREEK_COMMANDS:
        return "\\ensuremath{\\" + _GREEK_COMMANDS[cluster] + "}"
    base, *marks = unicodedata.normalize("NFD", cluster)
    if base.isascii() and base.isalpha():
        body = base
    elif base in _LETTER_COMMANDS and base not in "ıȷ":  # {\'\i} would read back as í
        body = "\\" + _LETTER_COMMANDS[base]
    else:
        return None
    if not marks or any(mark not in _ACCENT_BY_MARK for mark in marks):
        return None
    for mark in marks:
        body = _accent(_ACCENT_BY_MARK[mark], body)
    return "{" + body + "}"


def _accent(command: str, argument: str) -> str:
    if not command.isalpha() and len(argument) == 1:
        return f"\\{command}{argument}"  # \"u
    return f"\\{command}{{{argument}}}"  # \c{c}, \'{\o}


# ---------------------------------------------------------------- TeX source -> BibTeX


#: characters that break LaTeX when bare outside math, and what prints them
_BARE_BREAKERS = {"%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}"}
_TEX_SOURCE_SPECIALS = re.compile(r"[\\$%&#_^{}]")
#: closing delimiter of each math opener TeX source uses
_MATH_CLOSERS = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}


def safe_tex(source: str) -> str:
    r"""TeX source (arXiv titles and abstracts, hand-written BibTeX values) as BibTeX content that says the same.

    arXiv's metadata is TeX, as authors typed it: ``30\%``, ``\emph{x}``, ``{\it i)}``,
    ``R\'{e}nyi``, ``Hartree--Fock``, ````quoted''``, ``$\omega$``, ``\[ x \]``. All
    of that is kept, math of any content included. Only what would break the
    document, or the .bib, is rewritten: a bare ``% & # _`` outside math gets a
    backslash (``^`` becomes ``\textasciicircum{}``), a ``$`` that opens no math
    becomes ``\$``, a brace without a partner becomes ``\textbraceleft{}``/``\textbraceright{}``, and a backslash ending the
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
                out.append(source[index : index + 2] + (" " if following == "\\" and source[index + 2 : index + 3] in ("{", "}") else ""))
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


# ---------------------------------------------------------------- LaTeX -> plain


def from_latex(latex: str) -> str:
    r"""Decode BibTeX content to plain Unicode, for comparison and round-trip checks.

    Undoes :func:`to_latex` and the usual hand-written spellings: accents as
    ``{\"u}``, ``\"{u}``, ``\"u``, ``\c c``; letters ``{\o}``, ``{\ss}``,
    ``{\i}``; ``--``/``---`` -> en/em dash; ``~`` -> no-break space; two
    backticks / two apostrophes -> curly double quotes, one backtick -> left
    single quote, while a single ``'`` stays an apostrophe.  Case-protecting and
    empty braces vanish (``{S}panish`` -> ``Spanish``), formatting commands keep
    only their text (``\emph{x}`` -> ``x``), ``\url{...}`` is kept verbatim,
    unknown commands print nothing, ``$...$`` math and whitespace are kept as is.
    """
    if _DECODES_TO_ITSELF.search(latex) is None:
        return latex  # no command, group, math, dash, quote ligature or tie: nothing to decode
    return _LatexDecoder(latex).decode()


#: brace groups nested deeper than this are read as flat text (the reader recurses per group)
_MAX_GROUP_DEPTH = 100


class _LatexDecoder:
    """A small recursive-descent reader; ``position`` walks ``text``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.depth = 0  #: brace groups open at ``position``

    def decode(self, in_group: bool = False) -> str:
        out: list[str] = []
        text = self.text
        while self.position < len(text):
            char = text[self.position]
            if char == "}":
                self.position += 1
                if in_group:
                    break
                continue  # stray closing brace: BibTeX would reject it; drop it
            if char == "{":
                self.position += 1
                if self.depth < _MAX_GROUP_DEPTH:  # deeper nesting is no text anyone wrote: its braces are dropped
                    self.depth += 1
                    out.append(self.decode(in_group=True))
                    self.depth -= 1
            elif char == "\\":
                out.append(self._command())
            elif char == "$":
                out.append(self._math())
            else:
                out.append(self._ligature_or_char())
        return "".join(out)

    def _ligature_or_char(self) -> str:
        text, start = self.text, self.position
        char = text[start]
        if char == "-":
            run = len(_DASH_RUN.match(text, start).group())
            self.position += run
            return "—" * (run // 3) + ("", "-", "–")[run % 3]
        for typed, printed in (("``", "“"), ("''", "”"), ("`", "‘"), ("~", "\u00a0")):
            if text.startswith(typed, start):
                self.position += len(typed)
                return printed
        self.position += 1
        return char

    def _math(self) -> str:
        start, end = self.position, _math_end(self.text, self.position)
        self.position = end if end is not None else start + 1
        # Greek that to_ascii spelled {\omega} inside math reads back as the letter
        return _BRACED_GREEK.sub(lambda m: _GREEK_BY_COMMAND[m.group(1)], self.text[start : self.position])

    def _command(self) -> str:
        text = self.text
        start = self.position + 1
        if start >= len(text):
            self.position = start
            return "\\"
        if not _is_ascii_letter(text[start]):
            self.position = start + 1
            return self._control_symbol(text[start])
        end = start
        while end < len(text) and _is_ascii_letter(text[end]):
            end += 1
        self.position = end
        self._skip_spaces()  # TeX drops spaces after a control word
        return self._control_word(text[start:end])

    def _control_symbol(self, symbol: str) -> str:
        if symbol in _MARK_BY_ACCENT:
            return _apply_accent(symbol, self._argument())
        return _CHAR_BY_SYMBOL.get(symbol, symbol)

    def _control_word(self, name: str) -> str:
        if name in _MARK_BY_ACCENT:
            return _apply_accent(name, self._argument())
        if name in _CHAR_BY_COMMAND:
            return _CHAR_BY_COMMAND[name]
        if name == "url":
            return self._raw_group()
        if name == "href":
            self._raw_group()
        return ""  # formatting or unknown: its brace arguments decode as plain groups

    def _argument(self) -> str:
        self._skip_spaces()
        if self.position >= len(self.text):
            return ""
        char = self.text[self.position]
        if char == "{":
            self.position += 1
            if self.depth >= _MAX_GROUP_DEPTH:
                return ""
            self.depth += 1
            argument = self.decode(in_group=True)
            self.depth -= 1
            return argument
        if char == "\\":
            if self.depth >= _MAX_GROUP_DEPTH:
                self.position += 1
                return ""
            self.depth += 1
            argument = self._command()
            self.depth -= 1
            return argument
        if char == "}":
            return ""
        self.position += 1
        return char

    def _raw_group(self) -> str:
        self._skip_spaces()
        if not self.text.startswith("{", self.position):
            return ""
        depth, index = 0, self.position
        while index < len(self.text):
            depth += {"{": 1, "}": -1}.get(self.text[index], 0)
            if depth == 0:
                break
            index += 1
        raw = self.text[self.position + 1 : index]
        self.position = index + 1
        return raw

    def _skip_spaces(self) -> None:
        while self.position < len(self.text) and self.text[self.position] in " \t\r\n":
            self.position += 1


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _apply_accent(command: str, argument: str) -> str:
    if not argument:
        return _BARE_ACCENT[command]
    base_end = _cluster_end(argument, 0, len(argument))
    base = {"ı": "i", "ȷ": "j"}.get(argument[0], argument[0])  # {\'\i} is í
    accented = unicodedata.normalize("NFC", base + argument[1:base_end] + _MARK_BY_ACCENT[command])
    return accented + argument[base_end:]


# ---------------------------------------------------------------- titles


def protect_title(latex_title: str) -> str:
    r"""Brace the words a bibliography style must not lowercase.

    A word (split on top-level whitespace; surrounding ``( [ " ' ` : ; , . ! ? ] )``
    stay outside the braces) is protected when one of its alphanumeric parts
    (split on hyphens, slashes, apostrophes, dots...) has a capital after its
    first character (``BERT``, ``HuBERT``, ``iPhone``, ``GPT-4o``, ``3D``) or is
    a lone capital letter (``VALL-E``, ``Q-learning``, ``C``); the lone word
    ``A`` is left alone, being the article.  Title Case words (``Neural``) and
    words without capitals (``wav2vec``, ``2.0``) are not protected.  Words that
    already contain a non-empty ``{...}`` group (other than special characters
    like ``{\"u}``), contain math, or start with a command are left as they
    are, which also makes the function idempotent.
    """
    return "".join(chunk if is_gap else _protect_word(chunk) for chunk, is_gap in _top_level_chunks(latex_title))


_LEADING_PUNCTUATION = re.compile(r"^[(\[\"'`]+")
_TRAILING_PUNCTUATION = re.compile(r"[)\]:;,.!?\"']+$")


@functools.lru_cache(maxsize=65536)  # titles share most of their words
def _protect_word(word: str) -> str:
    lead = _LEADING_PUNCTUATION.match(word)
    lead_text = lead.group() if lead else ""
    rest = word[len(lead_text) :]
    trail = _TRAILING_PUNCTUATION.search(rest)
    trail_text = trail.group() if trail else ""
    core = rest[: len(rest) - len(trail_text)]
    if not core or core.startswith("\\") or core.endswith("\\") or "$" in core or _has_protecting_group(core):  # "A\." is a command
        return word
    if not _needs_protection(from_latex(core)):
        return word
    return f"{lead_text}{{{core}}}{trail_text}"


def _needs_protection(plain_word: str) -> bool:
    if plain_word == "A":
        return False
    for part in re.split(r"[\W_]+", plain_word):
        if any(char.isupper() for char in part[1:]):
            return True
        if len(part) == 1 and part.isupper():
            return True
    return False


def _has_protecting_group(latex_word: str) -> bool:
    """A top-level ``{...}`` that is neither empty nor a special character ``{\\...}``."""
    depth, escaped = 0, False
    for index, char in enumerate(latex_word):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            if depth == 0 and latex_word[index + 1 : index + 2] not in ("}", "\\"):
                return True
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
    return False


@functools.lru_cache(maxsize=65536)
def normalize_title(text_or_latex: str) -> str:
    """Identity key for titles: decoded, accents dropped, casefolded, punctuation -> one space."""
    plain = strip_accents(from_latex(text_or_latex)).casefold()
    return re.sub(r"[\W_]+", " ", plain).strip()


def strip_accents(text: str) -> str:
    """NFKD without combining marks, plus ``ł ø ß æ œ ð þ ı`` spelled in ASCII letters."""
    if text.isascii():  # nothing to decompose or fold (most names and titles)
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_ASCII_FOLDS)


def collapse_whitespace(text: str) -> str:
    """Undo line wrapping: every whitespace run (newlines and paragraph breaks too) -> one space, stripped.

    No-break spaces are kept: they are content, not wrapping.
    """
    return _WRAPPING_WHITESPACE.sub(" ", text).strip(" ")


# ---------------------------------------------------------------- brace-aware splitting

#: a character that can put what follows it below the top level (see ``_scan``)
_NOT_TOP_LEVEL = re.compile(r"[\\{}$]")
#: gaps (group 1) and words (group 2) of text whose characters are all at the top level
_WORDS_AND_GAPS = re.compile(r"(\s+)|(\S+)")
_WORDS_AND_GAPS_TIES = re.compile(r"([\s~]+)|([^\s~]+)")


def split_top_level(latex: str, separator: str | None = None) -> list[str]:
    """``str.split`` that ignores separators inside braces, math or escapes.

    ``separator=None`` splits on whitespace runs and BibTeX's tie ``~`` and
    drops empty parts, like ``str.split()``; a one-character separator keeps
    empty parts.
    """
    if separator is None:
        return [chunk for chunk, is_gap in _top_level_chunks(latex, ties_separate=True) if not is_gap]
    if _NOT_TOP_LEVEL.search(latex) is None:
        return latex.split(separator)  # every character is at the top level
    parts, current = [], []
    for char, top_level in _scan(latex):
        if top_level and char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _top_level_chunks(latex: str, ties_separate: bool = False) -> list[tuple[str, bool]]:
    """Words and the gaps (top-level whitespace runs) between them, in order, as (chunk, is_gap)."""
    if _NOT_TOP_LEVEL.search(latex) is None:  # every character is at the top level: split with a regex
        pattern = _WORDS_AND_GAPS_TIES if ties_separate else _WORDS_AND_GAPS
        return [(match.group(), match.lastindex == 1) for match in pattern.finditer(latex)]
    chunks: list[tuple[str, bool]] = []
    current: list[str] = []
    current_is_gap = False
    for char, top_level in _scan(latex):
        is_gap = top_level and (char.isspace() or (ties_separate and char == "~"))
        if current and is_gap != current_is_gap:
            chunks.append(("".join(current), current_is_gap))
            current = []
        current.append(char)
        current_is_gap = is_gap
    if current:
        chunks.append(("".join(current), current_is_gap))
    return chunks


def _scan(latex: str) -> Iterator[tuple[str, bool]]:
    """Every character with whether it sits at brace depth 0, outside math and unescaped."""
    depth, in_math, escaped = 0, False, False
    for char in latex:
        top_level = depth == 0 and not in_math and not escaped
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == "$" and depth == 0:
            in_math = not in_math
            top_level = False
        yield char, top_level
