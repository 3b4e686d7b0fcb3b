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
  as ``-- --- ` ' `` '' ~``, Greek letters as math commands
  (``{\ensuremath{\omega}}``, ``{\omega}`` inside math) and ``< >`` as
  ``\textless{}``/``\textgreater{}``; what has no LaTeX spelling
  (CJK, emoji) stays UTF-8, see :func:`unencodable`.
* TeX source (arXiv's text, hand-written values) keeps its markup:
  :func:`safe_tex` rewrites only what would break the document.

The parts: ``tables`` (shared character tables), ``encode`` (plain -> LaTeX),
``source`` (TeX source made safe), ``decode`` (LaTeX -> plain), ``titles``
(capital protection, normalised titles, brace-aware splitting).
"""

from __future__ import annotations

from tridentbib.latex.decode import from_latex as from_latex
from tridentbib.latex.encode import find_math_spans as find_math_spans
from tridentbib.latex.encode import looks_like_math as looks_like_math
from tridentbib.latex.encode import to_ascii as to_ascii
from tridentbib.latex.encode import to_latex as to_latex
from tridentbib.latex.encode import unencodable as unencodable
from tridentbib.latex.source import safe_tex as safe_tex
from tridentbib.latex.tables import ASCII_LOSSY as ASCII_LOSSY
from tridentbib.latex.titles import collapse_whitespace as collapse_whitespace
from tridentbib.latex.titles import normalize_title as normalize_title
from tridentbib.latex.titles import protect_title as protect_title
from tridentbib.latex.titles import split_top_level as split_top_level
from tridentbib.latex.titles import strip_accents as strip_accents
from tridentbib.latex.titles import title_relation as title_relation
