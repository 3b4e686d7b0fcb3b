"""BibTeX field content -> plain Unicode, for comparison and round-trip checks (``from_latex``)."""

from __future__ import annotations

import unicodedata

from tridentbib.latex.encode import _cluster_end, _math_end
from tridentbib.latex.tables import (
    _BARE_ACCENT,
    _BRACED_MATH,
    _CHAR_BY_COMMAND,
    _CHAR_BY_SYMBOL,
    _DASH_RUN,
    _DECODES_TO_ITSELF,
    _MARK_BY_ACCENT,
    _MATH_BY_COMMAND,
)

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
            run = len(_DASH_RUN.match(text, start).group())  # type: ignore[union-attr]  # text[start] is "-"
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
        return _BRACED_MATH.sub(lambda m: _MATH_BY_COMMAND[m.group(1)], self.text[start : self.position])

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
