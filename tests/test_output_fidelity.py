"""What we write is what programs read back: hostile text survives the .bib, through bibtexparser, in UTF-8 and --ascii.

The papers come from the fake arXiv over real HTTP, so the whole path is tested:
Atom parsing, shaping (escapes, protected acronyms), the writer, and a reader.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import bibtexparser
import pytest
from test_merge_blocks import ROWS, SEED_BLOCKS, register_seed_papers

from conftest import write
from fakeapi.arxiv import ArxivPaper
from texview import as_arxiv_shows, rendered
from tridentbib.bibtex_read import read_entries
from tridentbib.latex import ASCII_LOSSY, from_latex, unencodable
from tridentbib.model import Entry
from tridentbib.names import parse_bibtex_names, parse_display_name
from tridentbib.sources.blocks import CANONICAL_NAMES
from tridentbib.writers.bibtex import format_bibtex

#: text that breaks naive writers: LaTeX specials, math, money, braces, backslashes, URLs with %, diacritics
HOSTILE = [
    ArxivPaper(
        "2501.00001",
        title="100% Sure: R&D of #Hashtags, snake_case and $5 Budgets",
        authors=["Antonín Dvořák", "Zoë Müller-Lüdenscheidt", "Øystein Ørsted", "Łukasz Żółć"],
        summary="We use $O(n^2)$ time & 50% memory; see https://example.org/a%20b?x=1&y=2#frag, costs $5-$10 ~ cheap ^_^ with {braces}, a lone } and \\emph{literal} backslash.",
        published="2025-01-02T10:00:00Z",
    ),
    ArxivPaper(
        "2501.00002",
        title="{BERT} and GPT-4o Meet VALL-E: Ünïcödé “Quotes” — Dashes -- and ``TeX'' Ligatures",
        authors=[
            "José Ñúñez Jr.",
            "Ludwig van Beethoven",
            "王小明",
            "Jean-Baptiste de La Fontaine",
            "Søren Kierkegaard-Ærø",
        ],
        summary='Math $\\alpha_{t} \\in \\mathbb{R}^d$ stays; 10\\% pre-escaped stays literal; an @ sign, a "quote", 5 < 6 > 4 and a tilde~.',
        published="2025-01-03T10:00:00Z",
    ),
    ArxivPaper(
        "2501.00003",
        title="wav2vec 2.0 Meets HuBERT: Self-Supervised Learning for Speech (SSL) in 3D",
        authors=["Alexei Baevski", "Henry Zhou"],
        summary="Plain text with an ellipsis… and a non-breaking\u00a0space.",
        published="2025-02-03T10:00:00Z",
    ),
]

LIST = "# Hostile\n\n" + "\n".join(f"- https://arxiv.org/abs/{paper.id}" for paper in HOSTILE) + "\n"


def build(cli, api, workdir: Path, *args: str, name: str = "out.bib") -> str:
    for paper in HOSTILE:
        api.arxiv.add_paper(paper)
    write(workdir / "list.md", LIST)
    result = cli("build", "list.md", "-o", name, *args)
    assert result.exit_code == 0, result.output
    return (workdir / name).read_text(encoding="utf-8")


def by_eprint(text: str) -> dict[str, dict[str, str]]:
    """Fields as a reader sees them (bibtexparser's default stack: strings resolved, enclosing removed)."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return {entry["eprint"]: {f.key: f.value for f in entry.fields} for entry in library.entries}


def collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("ascii_flag", [False, True], ids=["utf8", "ascii"])
def test_hostile_text_comes_back_unchanged(cli, api, workdir, ascii_flag):
    text = build(cli, api, workdir, *(["--ascii"] if ascii_flag else []))
    entries = by_eprint(text)
    for paper in HOSTILE:
        fields = entries[paper.id]
        # arXiv's text is TeX source: what a reader sees of our field is what arXiv's text renders as
        title, abstract = rendered(fields["title"]), rendered(fields["abstract"])
        if ascii_flag:  # the few characters --ascii cannot keep apart from a neighbour
            title, abstract = (s.translate(str.maketrans(ASCII_LOSSY)) for s in (title, abstract))
        assert title == rendered(as_arxiv_shows(paper.title)).translate(
            str.maketrans(ASCII_LOSSY) if ascii_flag else {}
        )
        assert abstract == rendered(as_arxiv_shows(paper.summary)).translate(
            str.maketrans(ASCII_LOSSY) if ascii_flag else {}
        )
        written = [
            (from_latex(n.family), from_latex(n.given), from_latex(n.prefix), from_latex(n.suffix))
            for n in parse_bibtex_names(fields["author"])
        ]
        sent = [parse_display_name(name) for name, _affiliations in paper.authors]
        assert written == [(n.family, n.given, n.prefix, n.suffix) for n in sent]
        # identifiers are verbatim in both modes
        assert fields["url"] == f"https://arxiv.org/abs/{paper.id}" and fields["eprint"] == paper.id


def test_bare_specials_are_escaped_and_the_authors_tex_is_kept(cli, api, workdir):
    entries = by_eprint(build(cli, api, workdir))
    first, second = entries["2501.00001"], entries["2501.00002"]
    assert first["title"] == r"100\% Sure: {R\&D} of \#Hashtags, snake\_case and \$5 Budgets"
    assert r"$O(n^2)$ time \& 50\% memory" in first["abstract"]
    assert r"https://example.org/a\%20b?x=1\&y=2\#frag" in first["abstract"]
    assert (
        r"cheap \textasciicircum{}\_\textasciicircum{} with {braces}, a lone \textbraceright{} and \emph{literal} backslash"
        in first["abstract"]
    )
    assert r"$\alpha_{t} \in \mathbb{R}^d$" in second["abstract"]
    assert r"10\% pre-escaped" in second["abstract"]  # TeX the authors wrote stays as they wrote it
    assert "``{TeX}'' Ligatures" in second["title"] and "Dashes -- and" in second["title"]


def test_titles_protect_acronyms_and_capitalised_names(cli, api, workdir):
    entries = by_eprint(build(cli, api, workdir))
    assert (
        entries["2501.00003"]["title"]
        == "wav2vec 2.0 Meets {HuBERT}: Self-Supervised Learning for Speech ({SSL}) in {3D}"
    )
    assert "{GPT-4o} Meet {VALL-E}:" in entries["2501.00002"]["title"]


def test_ascii_output_is_ascii_except_what_latex_cannot_spell(cli, api, workdir):
    text = build(cli, api, workdir, "--ascii")
    assert {char for char in text if not char.isascii()} == set("王小明")
    assert r"Dvo{\v{r}}{\'a}k" in text and r"{\O}rsted" in text
    utf8 = build(cli, api, workdir, name="utf8.bib")
    assert unencodable(utf8) == set("王小明")
    # the same works, keys and identifiers either way
    assert [e["key"] for e in read_entries(text)[0]] == [e["key"] for e in read_entries(utf8)[0]]


def test_machine_made_entries_have_no_note_and_months_are_macros(cli, api, workdir):
    text = build(cli, api, workdir)
    assert not re.search(r"^\s*note\s*=", text, re.MULTILINE)
    months = re.findall(r"^\s*month = (.*?),?$", text, re.MULTILINE)
    assert months and all(re.fullmatch(r"[a-z]{3}", month) for month in months)
    assert "others" not in text


def test_every_field_round_trips_through_bibtexparser(cli, api, workdir):
    """Parse our output, write it back with our writer: the same bytes; and bibtexparser's own writer agrees."""
    register_seed_papers(api)
    for paper in HOSTILE:
        api.arxiv.add_paper(paper)
    write(workdir / "list.md", ROWS + LIST + SEED_BLOCKS)
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    text = (workdir / "out.bib").read_text(encoding="utf-8")
    parsed, failures = read_entries(text)
    assert failures == [] and len(parsed) == 6 + len(HOSTILE)
    again = format_bibtex(
        Entry(
            p["key"],
            p["entry_type"],
            {CANONICAL_NAMES.get(k, k): v for k, v in p["fields"].items()},
            macros=frozenset(p["macros"]),
        )
        for p in parsed
    )
    assert again == text
    # bibtexparser's default reading and writing keep every value
    library = bibtexparser.parse_string(text)
    rewritten = bibtexparser.parse_string(bibtexparser.write_string(library))
    assert not rewritten.failed_blocks
    first = {e.key: {f.key: f.value for f in e.fields} for e in library.entries}
    second = {e.key: {f.key: f.value for f in e.fields} for e in rewritten.entries}
    assert first == second and len(first) == len(parsed)
    for entry in parsed:
        for name, value in entry["fields"].items():
            assert unicodedata.is_normalized("NFC", value), (entry["key"], name)
            assert value.count("{") == value.count("}"), (entry["key"], name)  # BibTeX's view: braces balance
