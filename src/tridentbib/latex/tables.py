"""The character tables every LaTeX rule here shares: escapes, letters, accents, Greek, symbols."""

from __future__ import annotations

import re

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
    "<": r"\textless{}",  # a bare < or > prints as an inverted mark in TeX's default text fonts
    ">": r"\textgreater{}",
}
_UNPAIRED_BRACE = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_PAIRED_BRACE = {"{": r"\{", "}": r"\}"}

#: adjacent characters a TeX font would merge; ``{}`` goes between them
_LIGATURE_PAIRS = frozenset(
    {("-", "-"), ("'", "'"), ("`", "`"), ("!", "`"), ("?", "`"), (",", ","), ("<", "<"), (">", ">")}
)
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

#: Greek letters and common math symbols with a math command: ``{\ensuremath{\alpha}}`` in text,
#: ``{\alpha}`` inside math (pdflatex's default text fonts have neither; Greek capitals that
#: look Latin have no command)
_MATH_COMMANDS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ϖ": "varpi", "ρ": "rho", "ϱ": "varrho", "σ": "sigma",
    "ς": "varsigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi",
    "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    "≤": "leq", "≥": "geq", "≈": "approx", "∼": "sim", "≠": "neq", "≡": "equiv", "→": "rightarrow",
    "←": "leftarrow", "↔": "leftrightarrow", "⇒": "Rightarrow", "∞": "infty", "∈": "in", "∉": "notin",
    "⊂": "subset", "⊆": "subseteq", "∀": "forall", "∃": "exists", "∂": "partial", "∇": "nabla",
    "∑": "sum", "∏": "prod", "∫": "int", "⋅": "cdot", "∘": "circ", "⊕": "oplus", "⊗": "otimes", "ℓ": "ell",
}  # fmt: skip
_MATH_BY_COMMAND = {command: letter for letter, command in _MATH_COMMANDS.items() if letter not in "ϵϕ"}
_BRACED_MATH = re.compile(r"\{\\(" + "|".join(sorted(_MATH_BY_COMMAND, key=len, reverse=True)) + r")\}")

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
} | _MATH_BY_COMMAND  # fmt: skip

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
