"""Titles: protecting capitals, normalising for comparison; and brace-aware splitting of LaTeX."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator

from tridentbib.latex.decode import from_latex
from tridentbib.latex.tables import _ASCII_FOLDS, _WRAPPING_WHITESPACE

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
    if (
        not core or core.startswith("\\") or core.endswith("\\") or "$" in core or _has_protecting_group(core)
    ):  # "A\." is a command
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


#: characters that join the letters around them: soft hyphen, zero-width (non-)joiners and spaces, U+FFFC
_INVISIBLE_IN_WORDS = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffc]")


@functools.lru_cache(maxsize=65536)
def normalize_title(text_or_latex: str) -> str:
    """Identity key for titles: decoded, accents dropped, casefolded, punctuation -> one space.

    Soft hyphens, zero-width characters and U+FFFC (a PDF's object placeholder) vanish
    inside a word (``trans`` U+00AD ``ferable`` is ``transferable``); ``&`` is the word ``and``;
    any hyphen or dash (ASCII or Unicode), like other punctuation, separates words.
    """
    plain = strip_accents(from_latex(text_or_latex)).casefold()
    if not plain.isascii():
        plain = _INVISIBLE_IN_WORDS.sub("", plain)
    return re.sub(r"[\W_]+", " ", plain.replace("&", " and ")).strip()


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
    parts: list[str] = []
    current: list[str] = []
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


def title_relation(ours: str, theirs: str) -> str:
    """ "same" (equal normalised titles), "similar" (a word or so apart) or "" (unrelated)."""
    a, b = normalize_title(ours).split(), normalize_title(theirs).split()
    if a == b:
        return "same"
    return "similar" if difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio() >= 0.8 else ""
