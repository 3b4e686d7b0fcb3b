"""What a reader sees of TeX: the yardstick for fields made from arXiv's TeX source (issue 14).

pylatexenc renders both sides, our field and the service's own text, so a test
compares printed text, not spellings.
"""

from __future__ import annotations

import re

from pylatexenc import macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import LatexWalker
from pylatexenc.latexwalker import get_default_latex_context_db as walker_db

_TEXT = get_default_latex_context_db().filter_context(keep_categories=None)
_TEXT.add_context_category(
    "tridentbib",
    macros=[
        MacroTextSpec("textbraceleft", "{"),
        MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"),
        MacroTextSpec("textless", "<"),
        MacroTextSpec("textgreater", ">"),
    ],
    prepend=True,
)
_WALKER = walker_db()
_WALKER.add_context_category(
    "tridentbib",
    macros=[
        macrospec.std_macro("textbraceleft", False, 0),
        macrospec.std_macro("textbraceright", False, 0),
        macrospec.std_macro("textless", False, 0),
        macrospec.std_macro("textgreater", False, 0),
    ],
    prepend=True,
)
_RENDERERS = {"verbatim": LatexNodes2Text(latex_context=_TEXT, math_mode="verbatim")}


_BRACED_SYMBOL = re.compile(r"(?:\\ensuremath)?\{\\([A-Za-z]+)\}")


def _symbol(match: re.Match[str]) -> str:
    """``{\\Theta}`` as the one letter pylatexenc prints for it (``Θ``); anything else as it was."""
    printed = _RENDERERS["verbatim"].latex_to_text("\\" + match.group(1))
    return printed if len(printed) == 1 and not printed.isascii() else match.group(0)


def rendered(tex: str) -> str:
    """The text a reader sees (protective braces gone, accents applied), whitespace collapsed.

    Math is kept as written, except that a braced symbol command is its letter
    (``{\\omega}`` -> ``ω``: the spelling ``--ascii`` gives Greek inside math).
    """
    tex = _BRACED_SYMBOL.sub(_symbol, tex)
    nodes = LatexWalker(tex, latex_context=_WALKER, tolerant_parsing=True).get_latex_nodes()[0]
    return " ".join(_RENDERERS["verbatim"].nodelist_to_text(nodes).split())


def as_arxiv_shows(tex: str) -> str:
    """arXiv's text as its pages show it: bare ``% & # _ ^`` outside math and unpaired braces mean themselves."""
    pieces = re.split(r"(\$\$.*?\$\$|\$[^$]*\$|\\\[.*?\\\]|\\\(.*?\\\))", tex, flags=re.DOTALL)
    for index in range(0, len(pieces), 2):  # the text between math
        text = re.sub(r"(?<!\\)([%&#_])", r"\\\1", pieces[index])
        pieces[index] = re.sub(r"(?<!\\)\^", r"\\textasciicircum{}", text)
    text, opened, out = "".join(pieces), [], []
    for char in text:
        if char == "{":
            opened.append(len(out))
        elif char == "}" and not opened:
            char = r"\textbraceright{}"
        elif char == "}":
            opened.pop()
        out.append(char)
    for position in opened:
        out[position] = r"\textbraceleft{}"
    return "".join(out)
