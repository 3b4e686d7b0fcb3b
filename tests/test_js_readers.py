"""JavaScript readers read our default output with the right Unicode (issue 14, item 5).

Two real readers run under node on the default output (the seed's rows and citation
blocks, the hostile papers, one handwritten block; plus ``EXTRA`` below, which has Greek
in text, ``Å`` and ``Đ``):

* citation-js (``@citation-js/core`` + ``@citation-js/plugin-bibtex``): the .bib to CSL-JSON,
  as ``new Cite(text)`` reads a file;
* Better BibTeX's parser (``@retorquere/bibtex-parser``), the parser Better BibTeX for Zotero
  imports .bib files with. It stands in for Zotero here: Zotero's stock importer
  (``BibTeX.js`` in zotero/translators) runs only inside Zotero's translation framework and
  is published on no package registry, so running it would mean vendoring it. It is read
  twice: with sentence-casing off (the characters as read), and with its defaults, which
  sentence-case English titles the way Better BibTeX imports them by default.

``tests/js/read.mjs`` prints what each reader got (versions pinned in
``tests/js/package.json``; ``npm ci --prefix tests/js`` installs them, as ``.ci/run`` does).
The yardstick is the papers' own text: the names as arXiv sends them, and arXiv's TeX as
it renders (``texview``); for entries not made from a hostile paper, our field as
pylatexenc renders it. Text outside math must match exactly (the readers' rich-text tags
``<i>``, ``<sup>``, ``<span class="nocase">`` aside); math is compared span by span with
the Unicode it stands for.

Where a reader lacks a standard LaTeX command we write, the check is a strict xfail naming
the command; what the readers get wrong because of how we wrote it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from test_clients import default_output  # noqa: F401  (the fixture, for the check that our build is it)
from typer.testing import CliRunner

from conftest import FAST, write
from fakeapi import ArxivPaper, FakeAPI
from texview import as_arxiv_shows, rendered
from tridentbib.bibtex_read import read_entries
from tridentbib.cli import app
from tridentbib.latex import from_latex
from tridentbib.names import parse_bibtex_names, parse_display_name

JS = Path(__file__).parent / "js"
READERS = ("citation-js", "bbt", "bbt-sentence-case")


def js_missing() -> str:
    """Why the JavaScript readers cannot run here ("" when they can)."""
    if shutil.which("node") is None:
        return "node is not installed (Debian: apt-get install nodejs npm; then npm ci --prefix tests/js)"
    packages = ("@citation-js/core", "@citation-js/plugin-bibtex", "@retorquere/bibtex-parser")
    if not all((JS / "node_modules" / name / "package.json").exists() for name in packages):
        return "tests/js/node_modules is missing: run npm ci --prefix tests/js"
    return ""


pytestmark = [pytest.mark.clients, pytest.mark.skipif(bool(js_missing()), reason=js_missing())]

#: Greek in text (written \ensuremath{\omega}), a protected word that starts with Greek, Å ({\AA}), Đ ({\DJ})
EXTRA = ArxivPaper(
    "2501.00004",
    title="Learning ω-Regular Objectives with Δ-Updates: The ÅBO Corpus of Łódź",
    authors=["Đorđe Šimić", "Åsa Ångström", "Ana María de la Cruz-Núñez"],
    summary="We fit a β-VAE to Ångström's data from Ærø; see \\emph{Table~2}.",
    published="2025-02-04T10:00:00Z",
)


def _has_cjk(name: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in name)


def _papers() -> list[ArxivPaper]:
    """The hostile papers as ``default_output`` registers them (CJK names left out), and EXTRA."""
    from test_output_fidelity import HOSTILE

    return [replace(paper, authors=[a for a in paper.authors if not _has_cjk(a[0])]) for paper in HOSTILE] + [EXTRA]


def build_default_output(folder: Path) -> str:
    """What ``test_clients.default_output`` builds (seed rows and blocks, hostile papers, the
    handwritten block, a row without authors), plus a row for EXTRA; the real CLI against the fake API."""
    from test_merge_blocks import ROWS, SEED_BLOCKS, register_seed_papers
    from test_output_fidelity import LIST

    from tridentbib.http import reset_breakers

    extra = '```\n@misc{handwritten, title={50% of R&D: x_1 and $x_1$ for $ω$-regular {\\L}ukasz}, author={M{\\"u}ller, J{\\"o}rg and others}, year={2020}, month={Feb}}\n```\n'
    blog = "\n| Date | Title | Link |\n|---|---|---|\n| 2024-02 | A Blog Post Without Authors | [blog](https://example.org/post) |\n"
    reset_breakers()
    with FakeAPI() as api:
        api.arxiv.load_fixture_entries()
        register_seed_papers(api)
        for paper in _papers():
            api.arxiv.add_paper(paper)
        write(folder / "list.md", ROWS + LIST + f"- https://arxiv.org/abs/{EXTRA.id}\n" + SEED_BLOCKS + extra + blog)
        before = os.getcwd()
        os.chdir(folder)  # the default ./cache is this build's own
        try:
            result = CliRunner().invoke(app, ["build", "list.md", "-o", "out.bib"], env={**api.env(), **FAST})
        finally:
            os.chdir(before)
    assert result.exit_code == 0, result.output
    return (folder / "out.bib").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bib(tmp_path_factory) -> str:
    return build_default_output(tmp_path_factory.mktemp("js-readers"))


@pytest.fixture(scope="module")
def read(bib, tmp_path_factory) -> dict:
    """``{reader: {version, errors, entries: {key: {authors, title, abstract}}}}`` from tests/js/read.mjs."""
    path = tmp_path_factory.mktemp("js-read") / "out.bib"
    path.write_text(bib, encoding="utf-8")
    done = subprocess.run(["node", str(JS / "read.mjs"), str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    for reader in out.values():
        reader["entries"] = {entry["key"]: entry for entry in reader["entries"]}
    return out


@pytest.fixture(scope="module")
def ours(bib) -> dict[str, dict[str, str]]:
    """Our fields by key, as our own reader sees them (values as written)."""
    parsed, failures = read_entries(bib)
    assert failures == []
    return {entry["key"]: entry["fields"] for entry in parsed}


# -- what is right ----------------------------------------------------------------

#: arXiv id of each paper made for this test; "rest" = every other entry (seed rows and blocks, handwritten, blog)
GROUPS = ("2501.00001", "2501.00002", "2501.00003", "2501.00004", "rest")


def keys_of(group: str, ours: dict[str, dict[str, str]]) -> list[str]:
    made = {paper.id for paper in _papers()}
    if group == "rest":
        return [key for key, fields in ours.items() if fields.get("eprint") not in made]
    return [key for key, fields in ours.items() if fields.get("eprint") == group]


def paper(group: str) -> ArxivPaper | None:
    return next((p for p in _papers() if p.id == group), None)


def expected_names(key: str, group: str, ours) -> list[tuple[str, str, str, str]]:
    """(given, family, prefix, suffix) of each author: as arXiv sent them, else as our field spells them."""
    source = paper(group)
    if source is not None:
        names = [parse_display_name(name) for name, _affiliations in source.authors]
        return [(n.given, n.family, n.prefix, n.suffix) for n in names]
    written = parse_bibtex_names(ours[key].get("author", ""))
    return [
        (from_latex(n.given), from_latex(n.family), from_latex(n.prefix), from_latex(n.suffix))
        for n in written
        if n != "others"
    ]


def expected_text(key: str, group: str, field: str, ours) -> str | None:
    """The text a reader should see: arXiv's TeX rendered, else our field rendered (math kept as ``$...$``)."""
    source = paper(group)
    if source is not None:
        return rendered(as_arxiv_shows(source.title if field == "title" else source.summary))
    value = ours[key].get(field)
    return None if value is None else rendered(value)


#: math as written (after texview's rendering) -> the Unicode it stands for, spaces removed
MATH = {
    "O(n^2)": {"O(n²)"},
    "5-": {"5-", "5−"},
    r"\alpha_{t} \in \mathbb{R}^d": {"αₜ∈ℝᵈ"},
    "x_1": {"x₁"},
    "ω": {"ω"},
}

#: rich-text markup the readers put in text (Zotero and CSL keep it); not part of the characters
_MARKUP = re.compile(r'</?(?:i|b|sup|sub)>|<span class="nocase">|<span style="font-variant:small-caps;">|</span>')


def plain(text: str | None) -> str | None:
    """A reader's text without its markup, whitespace collapsed, in NFC (see ``nfc``)."""
    return None if text is None else nfc(" ".join(_MARKUP.sub("", text).split()))


def nfc(text: str) -> str:
    """Better BibTeX's parser gives an accent command as letter + combining mark (``{\\'a}`` -> a, U+0301);
    Zotero stores every field it is given in NFC (item.js ``setField`` trims and normalizes), so NFC is what is compared."""
    return unicodedata.normalize("NFC", text)


def split_math(expected: str) -> tuple[list[str], list[str]]:
    """The text outside math and the math spans of ``expected`` (``texts[i]`` comes before ``spans[i]``)."""
    pieces = re.split(r"\$([^$]*)\$", expected)
    return pieces[0::2], pieces[1::2]


def text_problems(got: str | None, expected: str | None, *, casefold: bool = False) -> list[str]:
    """What is wrong with a reader's text outside math (empty when right): it must be exactly the expected text."""
    got = plain(got)
    if expected is None or got is None:
        return [] if got == expected else [f"read {got!r}, expected {expected!r}"]
    if casefold:
        got, expected = got.casefold(), expected.casefold()
    texts, _spans = split_math(expected)
    if re.fullmatch(r"\s*(.+?)\s*".join(re.escape(text) for text in texts), got, re.DOTALL) is None:
        return [f"read {got!r}, expected {expected!r}"]
    return []


def math_reading(got: str, expected: str, index: int) -> str | None:
    """What a reader made of math span ``index`` of ``expected``: the text between its neighbours (8 characters each side)."""
    texts, _spans = split_math(expected)
    before, after = texts[index][-8:], texts[index + 1][:8]
    pattern = (re.escape(before) if before else "^") + r"\s*(.+?)\s*" + (re.escape(after) if after else "$")
    found = re.search(pattern, plain(got), re.DOTALL)
    return None if found is None else "".join(found.group(1).split())


# -- known reader limitations (strict: each must still fail, or the mark goes) ----

CITATION_JS_AA_ENSUREMATH = pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="citation-js 0.8.2 (0.9.0 too) knows neither \\ensuremath nor \\AA: "
    "'\\ensuremath{\\omega}' reads '\\ensuremathω', '{\\AA}' reads '\\AA' (standard LaTeX; its table has \\r, \\AE, \\O, \\L)",
)
CITATION_JS_LDOTS = pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="citation-js 0.8.2 (0.9.0 too) does not know \\ldots: '{\\ldots}' reads '\\ldots'",
)


def _params(kinds: dict[tuple[str, str], pytest.MarkDecorator], readers: tuple[str, ...]) -> list:
    return [
        pytest.param(
            reader, group, marks=[kinds[(reader, group)]] if (reader, group) in kinds else [], id=f"{reader}-{group}"
        )
        for reader in readers
        for group in GROUPS
    ]


# -- the tests --------------------------------------------------------------------


def test_the_build_is_the_default_output_plus_extra(default_output, ours):
    """What the readers get is ``test_clients.default_output`` (the output the compile checks use), entry for entry, and EXTRA."""
    parsed, failures = read_entries(default_output)
    assert failures == []
    default = {entry["key"]: entry["fields"] for entry in parsed}
    assert {key: fields for key, fields in ours.items() if key in default} == default
    assert [fields["eprint"] for key, fields in ours.items() if key not in default] == [EXTRA.id]


def test_the_comparison_catches_a_wrong_reading():
    """Not vacuous: a wrong letter, a lost sign, changed case or a wrong math reading is caught."""
    assert text_problems("Antonín Dvořák", "Antonín Dvořák") == []
    assert text_problems("Antonin Dvořák", "Antonín Dvořák") != []
    assert text_problems("50 memory", "50% memory") != []
    assert (
        text_problems("Δ-updates", "Δ-Updates") != [] and text_problems("Δ-updates", "Δ-Updates", casefold=True) == []
    )
    assert text_problems("<i>literal</i> a\u0301", "literal á") == []  # markup aside, NFC
    assert text_problems("We use O(n²) time", "We use $O(n^2)$ time") == []
    assert math_reading("We use O(n²⁾ time", "We use $O(n^2)$ time", 0) == "O(n²⁾"


@pytest.mark.parametrize("reader", READERS)
def test_every_entry_is_read(read, ours, reader):
    got = read[reader]
    assert not [e for e in got["errors"] if e.startswith("crashed")], got["errors"]
    assert sorted(got["entries"]) == sorted(ours)
    assert len(ours) == 6 + 3 + 1 + 2  # seed works, hostile papers, EXTRA, handwritten block and blog row


def test_the_readers_errors_are_only_their_known_gaps(read):
    """Better BibTeX's parser reports the one math command it lacks; citation-js reports nothing."""
    assert read["citation-js"]["errors"] == []
    assert read["bbt"]["errors"] == ["unhandled macro \\mathbb"]


@pytest.mark.parametrize(
    ("reader", "group"), _params({("citation-js", "2501.00004"): CITATION_JS_AA_ENSUREMATH}, ("citation-js", "bbt"))
)
def test_author_names(read, ours, reader, group):
    wrong = []
    for key in keys_of(group, ours):
        got = [
            (nfc(a["given"]), nfc(a["family"]), nfc(a["prefix"]), nfc(a["suffix"]))
            for a in read[reader]["entries"][key]["authors"]
            if a["family"] != "others"
        ]
        if got != expected_names(key, group, ours):
            wrong.append((key, got, expected_names(key, group, ours)))
    assert wrong == []


@pytest.mark.parametrize(
    ("reader", "group"), _params({("citation-js", "2501.00004"): CITATION_JS_AA_ENSUREMATH}, ("citation-js", "bbt"))
)
def test_titles(read, ours, reader, group):
    wrong = {
        key: text_problems(read[reader]["entries"][key]["title"], expected_text(key, group, "title", ours))
        for key in keys_of(group, ours)
    }
    assert {key: problems for key, problems in wrong.items() if problems} == {}


@pytest.mark.parametrize(("reader", "group"), _params({}, ("bbt-sentence-case",)))
def test_sentence_cased_titles_keep_their_characters(read, ours, reader, group):
    """Better BibTeX's default import sentence-cases titles: only letter case may change."""
    wrong = {
        key: text_problems(
            read[reader]["entries"][key]["title"], expected_text(key, group, "title", ours), casefold=True
        )
        for key in keys_of(group, ours)
    }
    assert {key: problems for key, problems in wrong.items() if problems} == {}


#: words our titles protect with braces: a sentence-casing import keeps their case
PROTECTED = {
    "2501.00001": ["R&D"],
    "2501.00002": ["BERT", "GPT-4o", "VALL-E", "TeX"],
    "2501.00003": ["HuBERT", "(SSL)", "3D"],
    "2501.00004": ["ÅBO", "Δ-Updates"],
}


@pytest.mark.parametrize("group", sorted(PROTECTED))
def test_sentence_casing_keeps_the_protected_words(read, ours, group):
    (key,) = keys_of(group, ours)
    title = plain(read["bbt-sentence-case"]["entries"][key]["title"])
    lost = [word for word in PROTECTED[group] if not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", title)]
    assert lost == [], (ours[key]["title"], title)


@pytest.mark.parametrize(
    ("reader", "group"),
    _params(
        {("citation-js", "2501.00003"): CITATION_JS_LDOTS, ("citation-js", "2501.00004"): CITATION_JS_AA_ENSUREMATH},
        ("citation-js", "bbt"),
    ),
)
def test_abstracts(read, ours, reader, group):
    wrong = {
        key: text_problems(read[reader]["entries"][key]["abstract"], expected_text(key, group, "abstract", ours))
        for key in keys_of(group, ours)
    }
    assert {key: problems for key, problems in wrong.items() if problems} == {}


MATH_GAPS = {
    (
        "citation-js",
        "O(n^2)",
    ): "citation-js 0.8.2 takes the ')' after '^2' into the superscript: '$O(n^2)$' reads 'O(n²⁾'",
    (
        "citation-js",
        r"\alpha_{t} \in \mathbb{R}^d",
    ): "citation-js 0.8.2 knows neither \\in nor \\mathbb: reads 'αₜ \\in \\mathbbR<sup>d</sup>'",
    (
        "bbt",
        r"\alpha_{t} \in \mathbb{R}^d",
    ): "bibtex-parser 9.0.29 does not know \\mathbb ('unhandled macro'): reads 'αₜ∈\\mathbbRᵈ'",
}


@pytest.mark.parametrize(
    ("reader", "span"),
    [
        pytest.param(
            r,
            s,
            marks=[pytest.mark.xfail(strict=True, raises=AssertionError, reason=MATH_GAPS[(r, s)])]
            if (r, s) in MATH_GAPS
            else [],
            id=f"{r}-{s}",
        )
        for r in ("citation-js", "bbt")
        for s in MATH
    ],
)
def test_math_reads_as_the_unicode_it_stands_for(read, ours, reader, span):
    """Math is arXiv's TeX, kept as written; each span is checked wherever it occurs."""
    readings = {}
    for group in GROUPS:
        for key in keys_of(group, ours):
            for field in ("title", "abstract"):
                expected = expected_text(key, group, field, ours)
                _texts, spans = split_math(expected or "")
                for index in (i for i, s in enumerate(spans) if s == span):
                    readings[(key, field, index)] = math_reading(
                        read[reader]["entries"][key][field] or "", expected, index
                    )
    assert readings, f"no field has ${span}$"
    assert {where: got for where, got in readings.items() if got not in MATH[span]} == {}
