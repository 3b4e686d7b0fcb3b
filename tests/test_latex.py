"""latex.py: escaped text must survive a .bib file and decode to exactly what went in."""

from __future__ import annotations

import random
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import bibtexparser
import pytest

from tridentbib.latex import (
    ASCII_LOSSY,
    collapse_whitespace,
    find_math_spans,
    from_latex,
    normalize_title,
    protect_title,
    split_top_level,
    to_ascii,
    to_latex,
    unencodable,
)

FIXTURES = Path(__file__).parent / "fixtures"

#: Latin-script hostile text: exact round trip in both modes
LATIN_HOSTILE = [
    "100% of R&D #1 a_b ^ ~ \\ {x}",
    "Dirk Wübben",
    "Łukasz Kaiser",
    "Álvarez-Mellado",
    "Søren",
    "Ruoming Pang",
    "José",
    "$O(n^2)$ time",
    "$\\alpha$-divergence",
    "an $\\epsilon$-greedy $\\mathcal{O}(\\log n)$ bound with $n$ arms",
    "see https://example.org/a%20b/c_d?x=1&y=~z#frag now",
    "en -- dash, em --- dash, four ----, arrows <-- -->",
    "  leading and trailing spaces  ",
    "line\nbreak\tand tab",
    "costs $5 and $10",
    "$20,000 and $30,000",
    "$ not math $",
    "lone $ sign",
    "$$",
    "$x$$y$",
    "\\$5 and \\$10",
    "\\emph{already} LaTeX-ish $\\sim$3",
    "unbalanced { brace",
    "} backwards {",
    "{{nested}} {a} }{",
    "quotes ''like'' ``this'' and `tick`",
    "O'Shaughnessy's",
    "k << n >> m ,, !` ?`",
    "curly “quotes” and ‘single’, it’s Brașov",
    "ellipsis… nbsp\u00a0here soft\u00adhyphen thin\u2009space",
    "Zürich–Genève — Straße",
    "Vietnamese Nguyễn Việt",
    "Ørsted Æsir œuvre ı İstanbul",
    "Ångström, Dvořák, Erdős, Pōhutukawa, Şahin, Kraków",
    "",
    " ",
    "\\",
    "{",
    "}",
    "$",
    "%",
    "~",
    "^",
    "-",
    "--",
    "'",
    "''",
    "`",
]
#: scripts LaTeX has no ASCII spelling for: exact round trip, kept as UTF-8 with ascii=True
NON_LATIN_HOSTILE = ["语音合成", "emoji 🙂🎙️ ok", "Ελληνικά", "mixed 语音 Wübben $x^2$"]
HOSTILE = LATIN_HOSTILE + NON_LATIN_HOSTILE


def bibtex_braces_balance(value: str) -> bool:
    """BibTeX's own view of a field: every brace counts, escaped or not."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def read_back_with_bibtexparser(value: str) -> str:
    library = bibtexparser.parse_string("@misc{key,\n  title = {" + value + "},\n  year = {2024}\n}\n")
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry["year"] == "2024"  # the field after ours was not swallowed
    return entry["title"]


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_round_trip_is_exact(text):
    assert from_latex(to_latex(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_ascii_round_trip_is_exact_up_to_documented_losses(text):
    expected = text.translate(str.maketrans(ASCII_LOSSY))  # only ’ ș ț (see ASCII_LOSSY)
    assert from_latex(to_latex(text, ascii=True)) == expected


@pytest.mark.parametrize("text", LATIN_HOSTILE)
def test_ascii_output_of_latin_text_is_pure_ascii(text):
    assert to_latex(text, ascii=True).isascii()


@pytest.mark.parametrize("ascii", [False, True], ids=["utf8", "ascii"])
@pytest.mark.parametrize("text", HOSTILE)
def test_bibtexparser_reads_the_field_back_unchanged(text, ascii):
    value = to_latex(text, ascii=ascii)
    assert bibtex_braces_balance(value)
    assert read_back_with_bibtexparser(value) == value


@pytest.mark.parametrize("lossy, decoded", sorted(ASCII_LOSSY.items()))
def test_documented_ascii_losses(lossy, decoded):
    text = f"x{lossy}y"
    assert from_latex(to_latex(text, ascii=True)) == f"x{decoded}y"
    assert normalize_title(text) == normalize_title(f"x{decoded}y")


def test_random_hostile_strings_round_trip_and_stay_balanced():
    alphabet = [
        *"\\{}%&#_^~$-'`!?,<> \nab1()=.",
        "é",
        "ü",
        "ø",
        "ß",
        "–",
        "—",
        "“",
        "”",
        "‘",
        "\u00a0",
        "语",
        "🙂",
        "\u0308",
        "Å",
        "ệ",
        "$x^2$",
        "$n$",
        "\\alpha",
    ]
    rng = random.Random(20240601)
    for _ in range(3000):
        text = unicodedata.normalize("NFC", "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))))
        for ascii in (False, True):
            value = to_latex(text, ascii=ascii)
            assert from_latex(value) == text, (text, value)
            assert bibtex_braces_balance(value), (text, value)


def arxiv_fixture_texts() -> list[str]:
    atom = "{http://www.w3.org/2005/Atom}"
    texts = []
    for path in sorted((FIXTURES / "arxiv").glob("*.xml")):
        for entry in ET.parse(path).getroot().iter(f"{atom}entry"):
            for tag in ("title", "summary", "author/" + atom + "name"):
                texts += [element.text for element in entry.findall(atom + tag) if element.text]
    return [collapse_whitespace(text) for text in texts]


def test_real_arxiv_titles_abstracts_and_names_round_trip():
    texts = arxiv_fixture_texts()
    assert "Heike Brückner" in texts  # the fixtures really were read, non-ASCII included
    for text in texts:
        for ascii in (False, True):
            value = to_latex(text, ascii=ascii)
            assert from_latex(value) == text
            assert read_back_with_bibtexparser(value) == value


# ---------------------------------------------------------------- escaping rules


@pytest.mark.parametrize(
    "text, latex",
    [
        ("100%", r"100\%"),
        ("R&D", r"R\&D"),
        ("#1", r"\#1"),
        ("a_b", r"a\_b"),
        ("$5", r"\$5"),
        ("x^y", r"x\textasciicircum{}y"),
        ("~user", r"\textasciitilde{}user"),
        ("a\\b", r"a\textbackslash{}b"),
        ("{x}", r"\{x\}"),
        ("{", r"\textbraceleft{}"),
        ("a}b{c", r"a\textbraceright{}b\textbraceleft{}c"),
        ("a--b", "a-{}-b"),
        ("a---b", "a-{}-{}-b"),
        ("it''s", "it'{}'s"),
        ("`code`", r"\textasciigrave{}code\textasciigrave{}"),
        ("n << m", r"n \textless{}\textless{} m"),
        ("\\emph{x}", r"\textbackslash{}emph\{x\}"),
        ("Wübben", "Wübben"),  # UTF-8 kept unless ascii=True
        ("a\u00a0b", "a\u00a0b"),
        ("  two  spaces ", "  two  spaces "),
    ],
)
def test_specials_are_escaped(text, latex):
    assert to_latex(text) == latex


@pytest.mark.parametrize(
    "text, latex",
    [
        ("$O(n^2)$", "$O(n^2)$"),
        ("$\\alpha$-divergence", "$\\alpha$-divergence"),
        ("about $\\sim$10", "about $\\sim$10"),
        ("$n$ samples", "$n$ samples"),
        ("$x \\in S$", "$x \\in S$"),
        ("$x ∈ S$", "$x ∈ S$"),
        ("$\\{a, b\\}$", "$\\{a, b\\}$"),
        ("costs $5 and $10", r"costs \$5 and \$10"),
        ("$20,000 and $30,000", r"\$20,000 and \$30,000"),
        ("$5-$10", r"\$5-\$10"),
        ("$ x $", r"\$ x \$"),
        ("$x$1", r"\$x\$1"),
        ("$USD$", r"\$USD\$"),
        ("$\\left\\{ x$", r"\$\textbackslash{}left\textbackslash{}\textbraceleft{} x\$"),
        ("$50%$", r"\$50\%\$"),
        ("$x\ny$", "\\$x\ny\\$"),
        ("\\$x^2$", r"\textbackslash{}\$x\textasciicircum{}2\$"),
    ],
)
def test_inline_math_is_kept_only_when_plausible(text, latex):
    assert to_latex(text) == latex


def test_math_spans_are_reported_in_order():
    assert find_math_spans("a $x$ and $5 or $y^2$") == [(2, 5), (16, 21)]


@pytest.mark.parametrize(
    "char, latex",
    [
        ("ü", r"{\"u}"),
        ("é", r"{\'e}"),
        ("ñ", r"{\~n}"),
        ("ç", r"{\c{c}}"),
        ("ø", r"{\o}"),
        ("ß", r"{\ss}"),
        ("Ł", r"{\L}"),
        ("ı", r"{\i}"),
        ("å", r"{\aa}"),
        ("ő", r"{\H{o}}"),
        ("č", r"{\v{c}}"),
        ("ā", r"{\=a}"),
        ("ș", r"{\c{s}}"),
        ("ş", r"{\c{s}}"),
        ("İ", r"{\.I}"),
        ("ǘ", r"{\'{\"u}}"),
        ("ệ", r"{\^{\d{e}}}"),
        ("ǿ", r"{\'{\o}}"),
        ("u\u0308", r"{\"u}"),  # decomposed input too
        ("–", "--"),
        ("—", "---"),
        ("‘", "`"),
        ("’", "'"),
        ("“", "``"),
        ("”", "''"),
        ("\u00a0", "~"),
    ],
)
def test_ascii_spellings(char, latex):
    assert to_latex(char, ascii=True) == latex


def test_ascii_keeps_new_ligatures_apart_from_neighbours():
    assert to_latex("a–-b", ascii=True) == "a--{}-b"
    assert to_latex("’’", ascii=True) == "'{}'"
    assert to_latex("!‘", ascii=True) == "!{}`"


def test_unencodable_lists_what_stays_utf8():
    assert unencodable("语音 Wübben Łukasz") == {"语", "音"}
    assert unencodable("emoji 🙂") == {"🙂"}
    assert unencodable("Dvořák Erdős ø ß") == set()
    # Greek is spelled as math commands (pdflatex's default fonts have none): \ensuremath{\alpha} in text, {\alpha} in math
    assert unencodable(r"W{\"u}bben $α$ and β") == set()
    assert to_ascii("$ω$Test and α") == r"${\omega}$Test and {\ensuremath{\alpha}}"
    assert from_latex(to_ascii("$ω$Test and α")) == "$ω$Test and α"


def test_to_ascii_leaves_existing_latex_alone():
    latex = r"\emph{Wübben} $\alpha+α$ -- {\"u} ``q'' 50\% a~b"
    assert (
        to_ascii(latex) == r"\emph{W{\"u}bben} $\alpha+{\alpha}$ -- {\"u} ``q'' 50\% a~b"
    )  # only the raw Greek is spelled


@pytest.mark.parametrize("text", HOSTILE)
def test_to_ascii_of_latex_matches_to_latex_ascii(text):
    assert to_ascii(to_latex(text)) == to_latex(text, ascii=True)


# ---------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "latex, plain",
    [
        (r"{\"u}", "ü"),
        (r"\"{u}", "ü"),
        (r"\"u", "ü"),
        (r"{\'A}", "Á"),
        (r"\'{A}", "Á"),
        (r"\' A", "Á"),
        (r"{\c{c}}", "ç"),
        (r"\c{c}", "ç"),
        (r"\c c", "ç"),
        (r"{\o}", "ø"),
        (r"{\ss}", "ß"),
        (r"\ss x", "ßx"),  # TeX drops the space after a control word
        (r"{\i}", "ı"),
        (r"{\'\i}", "í"),
        (r"\'{\i}", "í"),
        (r"\L{}ukasz", "Łukasz"),
        (r"Erd\H{o}s", "Erdős"),
        (r"Dvo\v{r}\'ak", "Dvořák"),
        (r"\AA{}ngstr\"om", "Ångström"),
        (r"\~{}", "~"),
        ("{BERT}", "BERT"),
        ("{S}panish", "Spanish"),
        (r"\&", "&"),
        (r"\%", "%"),
        (r"\textbackslash{}", "\\"),
        (r"\textbackslash x", "\\x"),
        ("O{'}Shaughnessy", "O'Shaughnessy"),
        ("words{---}words", "words—words"),
        ("3086--3095", "3086–3095"),
        ("a~b", "a\u00a0b"),
        ("``q''", "“q”"),
        ("`q'", "‘q'"),
        (r"\emph{x} and \textbf{y}", "x and y"),
        (r"{\em x}", "x"),
        (r"\url{https://a.org/x%20y_z~w}", "https://a.org/x%20y_z~w"),
        (r"\href{https://a.org/}{the text}", "the text"),
        (r"$\{x\}$ and $a$", r"$\{x\}$ and $a$"),
        (r"\LaTeX{} and \TeX", "LaTeX and TeX"),
    ],
)
def test_from_latex_reads_common_spellings(latex, plain):
    assert from_latex(latex) == plain


def test_from_latex_reads_acl_anthology_records():
    library = bibtexparser.parse_string(
        (FIXTURES / "acl" / "acl-anthology-2022.acl-long.968.to_bibtex-with-abstract.bib").read_text(encoding="utf-8")
    )
    (entry,) = library.entries
    assert from_latex(entry["title"]).startswith("Measuring Register Variation in Catalan Podcasts: A Corpus")
    assert "informal register—fillers, tag questions" in from_latex(entry["abstract"])
    assert from_latex(entry["pages"]) == "9650–9671"


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize(
    "title, protected",
    [
        (
            "VALL-E: Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers",
            "{VALL-E}: Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers",
        ),
        ("BERT", "{BERT}"),
        ("HuBERT: Self-Supervised Learning", "{HuBERT}: Self-Supervised Learning"),
        ("wav2vec 2.0: A Framework", "wav2vec 2.0: A Framework"),
        ("GPT-4o System Card", "{GPT-4o} System Card"),
        ("SpeechGPT on an iPhone", "{SpeechGPT} on an {iPhone}"),
        ("MT4SSL", "{MT4SSL}"),
        ("Codec-SUPERB: An In-Depth Analysis", "{Codec-SUPERB}: An In-Depth Analysis"),
        ("End-to-End (ASR) Models", "End-to-End ({ASR}) Models"),
        ("Deep Q-learning", "Deep {Q-learning}"),
        ("Vitamin C and I", "Vitamin {C} and {I}"),
        ("3D Speech", "{3D} Speech"),
        ("U.S. English", "{U.S}. English"),
        (r"R\&D Costs", r"{R\&D} Costs"),
        ("Neural Codec Language Models", "Neural Codec Language Models"),
        ("{BERT} and Codec-{SUPERB}", "{BERT} and Codec-{SUPERB}"),
        ("{S}panish", "{S}panish"),
        (r"$\alpha$-Divergence", r"$\alpha$-Divergence"),
        (r"$O(N)$ Time", r"$O(N)$ Time"),
        (r"W{\"u}bben's Model", r"W{\"u}bben's Model"),
        (r"{\"U}BER-Net", r"{{\"U}BER-Net}"),
        ("BERT  and\nGPT", "{BERT}  and\n{GPT}"),
    ],
)
def test_protect_title(title, protected):
    assert protect_title(title) == protected
    assert protect_title(protected) == protected
    assert from_latex(protected) == from_latex(title)


def test_protect_title_is_idempotent_and_only_adds_braces_on_random_titles():
    words = [
        "VALL-E:",
        "BERT",
        "HuBERT",
        "wav2vec",
        "2.0",
        "A",
        "a",
        "Q-learning",
        "(ASR)",
        "R&D",
        "{x}",
        "}",
        "$x^2$",
        "Wübben",
        "ÜBER",
        "\\emph",
        "--",
        "iPhone",
        "``",
        "3D",
    ]
    rng = random.Random(7)
    for _ in range(2000):
        plain = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
        for ascii in (False, True):
            latex = to_latex(plain, ascii=ascii)
            once = protect_title(latex)
            assert protect_title(once) == once
            assert from_latex(once) == plain
            assert bibtex_braces_balance(once)


@pytest.mark.parametrize(
    "left, right",
    [
        ("Codec-{SUPERB}: An In-Depth Analysis", "Codec-SUPERB: an in-depth analysis."),
        (r"W{\"u}bben's  Model", "Wübben’s model"),
        (r"{\L}ukasz and Ørsted", "Lukasz and Orsted"),
        (r"Stra{\ss}e", "STRASSE"),
        ("{VALL-E}: Neural Codec", "VALL-E — neural codec"),
        ("Attention\n    Is All You Need", "attention is all you need"),
    ],
)
def test_normalize_title_equates_spellings_of_one_title(left, right):
    assert normalize_title(left) == normalize_title(right)


def test_normalize_title_output_and_distinctness():
    assert normalize_title("Codec-{SUPERB}: An In-Depth Analysis") == "codec superb an in depth analysis"
    assert normalize_title("Attention Is All You Need") != normalize_title("Attention Is Not All You Need")
    assert normalize_title("语音 合成") == "语音 合成"


@pytest.mark.parametrize(
    "wrapped, collapsed",
    [
        ("  Neural\n  Codec\t Models \n", "Neural Codec Models"),
        ("Paragraph one.\n\nParagraph two.", "Paragraph one. Paragraph two."),
        ("keeps\u00a0no-break space", "keeps\u00a0no-break space"),
        ("", ""),
    ],
)
def test_collapse_whitespace(wrapped, collapsed):
    assert collapse_whitespace(wrapped) == collapsed


@pytest.mark.parametrize(
    "latex, separator, parts",
    [
        ("Lee, Hung-yi and {Barnes and Noble}", None, ["Lee,", "Hung-yi", "and", "{Barnes and Noble}"]),
        ("Jan~van~der  Berg", None, ["Jan", "van", "der", "Berg"]),
        (r"a, {b, c}, $x,y$, d\,e", ",", ["a", " {b, c}", " $x,y$", r" d\,e"]),
    ],
)
def test_split_top_level_ignores_braces_math_and_escapes(latex, separator, parts):
    assert split_top_level(latex, separator) == parts


def test_deeply_nested_groups_and_accents_decode_without_recursing_without_bound():
    """A pasted run of thousands of braces or accents is garbage, not text: it decodes flat, never crashes."""
    from tridentbib.latex import normalize_title

    assert from_latex("{" * 5000 + "x" + "}" * 5000) == "x"
    assert isinstance(from_latex("\\'" * 5000 + "e"), str)
    assert isinstance(from_latex("\\'{" * 3000), str)
    assert normalize_title("{" * 9000 + "Title") == "title"
