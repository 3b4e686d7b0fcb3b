"""names.py: display names and BibTeX author lists split the way BibTeX will read them back."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares.names import parse_single_name_into_parts

from tridentbib.latex import to_latex
from tridentbib.names import OTHERS, Name, parse_bibtex_names, parse_display_name, surname_key

FIXTURES = Path(__file__).parent / "fixtures"

DISPLAY_NAMES = [
    ("Hung-yi Lee", Name("Hung-yi", "Lee")),
    ("Ludwig van Beethoven", Name("Ludwig", "Beethoven", prefix="van")),
    ("Jan van der Berg", Name("Jan", "Berg", prefix="van der")),
    ("Martin Luther King Jr.", Name("Martin Luther", "King", suffix="Jr.")),
    ("Martin Luther King, Jr.", Name("Martin Luther", "King", suffix="Jr.")),
    ("John Smith III", Name("John", "Smith", suffix="III")),
    ("Jean-Baptiste de La Fontaine", Name("Jean-Baptiste", "La Fontaine", prefix="de")),
    ("Maria dos Santos", Name("Maria", "Santos", prefix="dos")),
    ("Nguyen Van A", Name("Nguyen Van", "A")),  # capitalised "Van" is a given name
    ("Lee, Hung-yi", Name("Hung-yi", "Lee")),
    ("van der Berg, Jan", Name("Jan", "Berg", prefix="van der")),
    ("  Jan \n van der   Berg ", Name("Jan", "Berg", prefix="van der")),
    ("J. R. R. Tolkien", Name("J. R. R.", "Tolkien")),
    ("Dirk Wübben", Name("Dirk", "Wübben")),
    ("Łukasz Kaiser", Name("Łukasz", "Kaiser")),
    ("Ruoming Pang", Name("Ruoming", "Pang")),
    ("Ankit kumar Singh", Name("Ankit kumar", "Singh")),  # lowercase non-particle stays given
    # capitalised particles after a given name belong to the surname (issue 14): BibTeX then reads one last name
    ("B. Del Castagno", Name("B.", "Del Castagno")),
    ("Marta Della Rovere", Name("Marta", "Della Rovere")),
    ("Piero Di Montalto", Name("Piero", "Di Montalto")),
    ("Lia Da Fonseca", Name("Lia", "Da Fonseca")),
    ("Yves De Montfort", Name("Yves", "De Montfort")),
    ("Odile Le Bihan", Name("Odile", "Le Bihan")),
    ("Anne Du Pré", Name("Anne", "Du Pré")),
    ("Karel Van Dale", Name("Karel", "Van Dale")),
    ("Otto Von Hallerstein", Name("Otto", "Von Hallerstein")),
    ("Rui Dos Anjos", Name("Rui", "Dos Anjos")),
    ("Alma St. Ives", Name("Alma", "St. Ives")),
    ("Jean De La Motte", Name("Jean", "De La Motte")),
    ("Sam R. Di Lorenzo Jr.", Name("Sam R.", "Di Lorenzo", suffix="Jr.")),
    # ... but not where the particle is the only given name, or the name is Vietnamese
    ("Di Wu", Name("Di", "Wu")),
    ("Le Zhang", Name("Le", "Zhang")),
    ("Da Yan", Name("Da", "Yan")),
    ("Thanh Van Nguyen", Name("Thanh Van", "Nguyen")),
    ("Tran Van Minh", Name("Tran Van", "Minh")),
    ("Pham Van B.", Name("Pham Van", "B.")),
    ("Bhiksha", Name("", "Bhiksha")),
    ("OpenAI", Name("", "OpenAI")),
    ("{OpenAI}", Name("", "OpenAI")),
]


@pytest.mark.parametrize("display, name", DISPLAY_NAMES)
def test_parse_display_name(display, name):
    assert parse_display_name(display) == name


@pytest.mark.parametrize(
    "name, bibtex",
    [
        (Name("Jan", "Berg", prefix="van der"), "van der Berg, Jan"),
        (Name("Hung-yi", "Lee"), "Lee, Hung-yi"),
        (Name("Martin Luther", "King", suffix="Jr."), "King, Jr., Martin Luther"),
        (Name("", "OpenAI"), "{OpenAI}"),
        (Name("", "Bhiksha"), "{Bhiksha}"),
        (Name("", "{OpenAI}"), "{OpenAI}"),  # not braced twice
        (Name("", "Barnes and Noble"), "{Barnes and Noble}"),
        (Name("", r"{\O}rsted"), r"{{\O}rsted}"),
        (Name("Tom", "Smith and Wesson"), "{Smith and Wesson}, Tom"),
        (Name("Ada", "Lovelace, Countess"), "{Lovelace, Countess}, Ada"),
        (Name("", "Beethoven", prefix="van"), "van Beethoven"),
    ],
)
def test_bibtex_form(name, bibtex):
    assert name.bibtex() == bibtex


@pytest.mark.parametrize("display, name", DISPLAY_NAMES)
def test_written_name_reads_back_identically(display, name):
    written = parse_display_name(display).bibtex()
    assert parse_bibtex_names(written) == [name]


@pytest.mark.parametrize("display, name", DISPLAY_NAMES)
def test_bibtexparser_splits_written_name_into_the_same_parts(display, name):
    """An independent implementation of BibTeX's name rules agrees on every part."""
    parts = parse_single_name_into_parts(name.bibtex())
    family = name.family if name.given or name.prefix or name.suffix else "{" + name.family + "}"
    assert " ".join(parts.first) == name.given
    assert " ".join(parts.von) == name.prefix
    assert " ".join(parts.last) == family
    assert " ".join(parts.jr) == name.suffix


@pytest.mark.parametrize(
    "field, names",
    [
        ("Lee, Hung-yi and Kaiser, Łukasz", [Name("Hung-yi", "Lee"), Name("Łukasz", "Kaiser")]),
        ("Lee, Hung-yi AND Kaiser, Łukasz aNd others", [Name("Hung-yi", "Lee"), Name("Łukasz", "Kaiser"), OTHERS]),
        ("{OpenAI} and Hung-yi Lee", [Name("", "OpenAI"), Name("Hung-yi", "Lee")]),
        ("{Barnes and Noble} and Sanders, Bernie", [Name("", "Barnes and Noble"), Name("Bernie", "Sanders")]),
        ("Ludwig van Beethoven", [Name("Ludwig", "Beethoven", prefix="van")]),
        ("Jan~van~der Berg", [Name("Jan", "Berg", prefix="van der")]),
        ("de La Fontaine, Jean-Baptiste", [Name("Jean-Baptiste", "La Fontaine", prefix="de")]),
        ("King, Jr., Martin Luther", [Name("Martin Luther", "King", suffix="Jr.")]),
        ("jean de la fontaine", [Name("", "fontaine", prefix="jean de la")]),  # BibTeX's own example
        (r"{\'A}lvarez-Mellado, Elena", [Name("Elena", r"{\'A}lvarez-Mellado")]),
        (r"{\"U}nal, Ay{\c{s}}e", [Name(r"Ay{\c{s}}e", r"{\"U}nal")]),  # special char: uppercase, no von
        (r"Charles {\"u}ber Smith", [Name("Charles", "Smith", prefix=r"{\"u}ber")]),  # special char: lowercase
        ("Fred {von} Neumann", [Name("Fred {von}", "Neumann")]),  # braced word is caseless, not von
        ("Smith,  John\n   Paul", [Name("John Paul", "Smith")]),
        ("  and Lee, Hung-yi and  ", [Name("Hung-yi", "Lee")]),
        ("", []),
        ("others", [OTHERS]),
    ],
)
def test_parse_bibtex_names(field, names):
    assert parse_bibtex_names(field) == names


def test_parse_bibtex_names_on_acl_anthology_records():
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "acl").glob("*.bib")))
    authors = {
        entry.key: parse_bibtex_names(entry["author"])
        for entry in bibtexparser.parse_string(text).entries
        if "author" in entry
    }
    assert authors["ecija-serrat-moreau-2022-measuring"] == [
        Name("Laia", r"{\'E}cija-Serrat"),
        Name("Bastien", "Moreau"),
    ]
    assert authors["orourke-1989-ordering"] == [Name("Siobhan M.", "O{'}Rourke")]
    assert [surname_key(name) for name in authors["brandt-etal-2019-lexical"]] == [
        "brandt",
        "oduya",
        "sato",
        "ng",
        "lam",
    ]


@pytest.mark.parametrize(
    "name, key",
    [
        (Name("Dirk", "Wübben"), "wubben"),
        (Name("Dirk", r"W{\"u}bben"), "wubben"),
        (Name("Douglas", "O'Shaughnessy"), "oshaughnessy"),
        (Name("Douglas D.", "O{'}Shaughnessy"), "oshaughnessy"),
        (Name("Elena", r"{\'A}lvarez-Mellado"), "alvarezmellado"),
        (Name("Stanisław", "Łojasiewicz"), "lojasiewicz"),
        (Name("Ludwig", "Beethoven", prefix="van"), "beethoven"),
        (Name("", "OpenAI"), "openai"),
        (Name("John", "Smith", suffix="III"), "smith"),
        (Name("", "王"), ""),
    ],
)
def test_surname_key(name, key):
    assert surname_key(name) == key


@pytest.mark.parametrize(
    "display, bibtex, key",
    [
        ("Dirk Wübben", r"W{\"u}bben, Dirk", "wubben"),
        ("Łukasz Kaiser", r"Kaiser, {\L}ukasz", "kaiser"),
        ("Ørjan Álvarez-Mellado", r"{\'A}lvarez-Mellado, {\O}rjan", "alvarezmellado"),
        ("Hans Peter van der Waals", "van der Waals, Hans Peter", "waals"),
    ],
)
def test_ascii_escaped_display_names_split_write_and_read_back(display, bibtex, key):
    """Names may arrive already escaped (ascii=True); special characters must not break the split."""
    name = parse_display_name(to_latex(display, ascii=True))
    assert name.bibtex() == bibtex
    assert parse_bibtex_names(bibtex) == [name]
    assert surname_key(name) == key
