"""One parse stack: a .bib input, a citation block and our own output read the same BibTeX the same way."""

from __future__ import annotations

import pytest

from tridentbib.bibtex_read import field_value, parse_library, string_macros
from tridentbib.model import CitationBlock
from tridentbib.sources.bibfile import read_bib
from tridentbib.sources.blocks import read_block
from tridentbib.writers.changelog import parse_bib_text

TEXT = """@string{ conf = "Proceedings of the Invented Workshop" }
@inproceedings{lin2020,
  title = {A {S}tudy of Toy Models},
  author = "Lin, Mei and Ortega, Paz",
  booktitle = conf # " on Toys",
  year = 2020,
  month = may,
}
"""


@pytest.mark.parametrize(
    "raw, value, bare",
    [
        ("{A {S}tudy}", "A {S}tudy", False),
        ('"Lin, Mei"', "Lin, Mei", False),
        ("2020", "2020", True),
        ("may", "may", True),  # not a @string: stays a bare macro
        ("conf", "Proceedings of the Invented Workshop", False),
        ('conf # " on Toys"', "Proceedings of the Invented Workshop on Toys", False),
        ("nosuch # {x}", None, False),  # an unknown name inside a join cannot be resolved
    ],
)
def test_field_value(raw, value, bare):
    strings = string_macros(parse_library(TEXT))
    assert field_value(raw, strings) == (value, bare)


def test_a_bib_input_a_citation_block_and_the_changelog_agree_on_every_value():
    from_bib = read_bib(TEXT, "refs.bib").entries[0].fields
    cited, problems = read_block(CitationBlock("list.md", 10, TEXT))
    assert not problems
    from_block = cited[0].entry.fields
    from_changelog = {name: value for name, (_original, value) in parse_bib_text(TEXT)["lin2020"].fields.items()}
    for name in ("author", "booktitle", "year", "month"):
        assert from_bib[name] == from_block[name] == from_changelog[name], name
    assert from_bib["booktitle"] == "Proceedings of the Invented Workshop on Toys"
    assert from_bib["title"] == from_changelog["title"] == "A {S}tudy of Toy Models"


def test_a_failed_block_is_left_to_the_caller_and_the_parser_logs_nothing(caplog):
    library = parse_library("@article{broken, title = {unclosed\n")
    assert library.failed_blocks and not library.entries
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser")]
