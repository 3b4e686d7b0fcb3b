"""Plain Unicode text -> BibTeX field content that prints as that text (``to_latex``, ``to_ascii``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from tridentbib.latex.tables import (
    _ACCENT_BY_MARK,
    _LETTER_COMMANDS,
    _LIGATURE_GAP,
    _LIGATURE_PAIRS,
    _MATH_COMMANDS,
    _MATH_SIGNAL,
    _MATH_SINGLE_SYMBOL,
    _PAIRED_BRACE,
    _SPECIAL_CHAR,
    _SYMBOL_SPELLINGS,
    _TEXT_ESCAPES,
    _UNESCAPED_MATH_BREAKER,
    _UNPAIRED_BRACE,
    _needs_escaping,
)

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
    if latex.isascii():
        return latex  # nothing to rewrite (most fields): the default output must not pay a scan for them
    pieces: list[tuple[str, bool]] = []  # (text, newly written)
    for chunk, is_math in _split_latex_math(latex):
        if is_math:
            pieces.append(
                (
                    "".join("{\\" + _MATH_COMMANDS[char] + "}" if char in _MATH_COMMANDS else char for char in chunk),
                    False,
                )
            )
            continue
        for run in _NON_ASCII_RUNS.split(chunk):  # ASCII stretches pass whole; only the rest is looked at
            if run.isascii():
                pieces.append((run, False))
                continue
            for cluster in _clusters(run):
                encoded = None if cluster.isascii() else _encode_cluster(cluster)
                pieces.append((encoded, True) if encoded else (cluster, False))
    return _join_breaking_ligatures(pieces)


#: a run of non-ASCII characters with the ASCII letter before it (an accent's base is split off NFC text rarely,
#: but a combining mark belongs to the letter before it)
_NON_ASCII_RUNS = re.compile(r"([\x00-\x7f]?[^\x00-\x7f]+)")


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
    if "$" not in latex:
        yield latex, False  # no math at all (most fields)
        return
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
    if cluster in _MATH_COMMANDS:
        return "{\\ensuremath{\\" + _MATH_COMMANDS[cluster] + "}}"  # braced: a special character to BibTeX, like {\\L}
    decomposed = unicodedata.normalize("NFD", cluster)
    base, marks = decomposed[0], list(decomposed[1:])
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
