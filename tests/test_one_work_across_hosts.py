"""One entry per work across hosts (#16 item 7): a paper linked at arXiv and at its venue is one entry."""

from __future__ import annotations

import bibtexparser
import pytest

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.crossref import make_work
from fakeapi.neurips import NeuripsPaper
from tridentbib.model import Entry, LinkOutcome, Outcome
from tridentbib.steps.works import same_work, unite_hosts

HASH = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def table(*rows: tuple[str, str]) -> str:
    lines = ["## Papers", "", "| Date | Paper Title | Link |", "|---|---|---|"]
    lines += [f"| 2020-06 | {title} | [paper]({url}) |" for title, url in rows]
    return "\n".join(lines) + "\n"


def test_an_arxiv_row_and_a_neurips_row_of_one_paper_are_one_entry(cli, api, workdir):
    api.arxiv.add_paper(
        ArxivPaper(
            "2005.14165",
            title="Invented Graph Explainers",
            authors=["Rex Ying", "Dana Bou"],
            published="2020-05-28T17:00:00Z",
        )
    )
    api.neurips.add(NeuripsPaper(2020, HASH, "Invented Graph Explainers", ["Ying, Rex", "Bou, Dana"], volume="33"))
    write(
        workdir / "l.md",
        table(
            ("Invented Graph Explainers", f"https://proceedings.neurips.cc/paper/2020/hash/{HASH}-Abstract.html"),
            ("Invented Graph Explainers (preprint)", "https://arxiv.org/abs/2005.14165"),
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.output
    written = entries(workdir / "out.bib")
    assert len(written) == 1
    (entry,) = written.values()
    assert entry["ENTRYTYPE"] == "inproceedings"
    assert entry["booktitle"] == "Advances in Neural Information Processing Systems"
    assert entry["eprint"] == "2005.14165" and entry["archivePrefix"] == "arXiv"
    assert "arXiv:2005.14165 is the preprint of a venue link" in result.output
    # a second run keeps the same key, and check agrees the file is current
    assert cli("build", "l.md", "-o", "again.bib").exit_code == 0
    assert list(entries(workdir / "again.bib")) == list(written)


def test_same_title_other_first_author_stays_two_entries(cli, api, workdir):
    """LeCun et al.'s Nature article and Goodfellow et al.'s book are both "Deep learning"."""
    api.arxiv.add_paper(
        ArxivPaper(
            "1601.00001", title="Deep learning", authors=["Ian Goodbook", "Yoshi Ben"], published="2016-01-01T10:00:00Z"
        )
    )
    api.crossref.add(
        make_work(
            "10.9999/nature.2015.1",
            "journal-article",
            "Deep learning",
            [("Yann", "Lecunn"), ("Yoshi", "Ben")],
            container=["Invented Nature"],
            date=[2015, 5],
        )
    )
    write(
        workdir / "l.md",
        table(
            ("Deep learning", "https://doi.org/10.9999/nature.2015.1"),
            ("Deep learning", "https://arxiv.org/abs/1601.00001"),
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    assert sorted(e["ENTRYTYPE"] for e in entries(workdir / "out.bib").values()) == ["article", "misc"]
    assert "is the preprint of a venue link" not in result.output


def entry(origin: str, title: str, author: str, year: str, line: int, **fields: str) -> Entry:
    return Entry(
        "",
        "misc",
        {"title": title, "author": author, "year": year, **fields},
        frozenset({f"{origin}:{line}"}),
        origin,
        line,
    )


@pytest.mark.parametrize(
    "preprint_year, venue_year, author, same",
    [
        ("2019", "2019", "Ying, Rex", True),
        ("2018", "2020", "Ying, Rex", True),  # a journal two years after its preprint
        ("2020", "2019", "Rex Ying", True),  # the proceedings a year before the arXiv copy
        ("2012", "2019", "Ying, Rex", False),  # a decade apart: another work
        ("2019", "2019", "Bou, Dana", False),  # another first author
        ("2019", "2019", "de Ying, Rex", True),  # particles ignored
    ],
)
def test_same_work_rule(preprint_year, venue_year, author, same):
    preprint = entry("arxiv", "T", "Rex Ying and Dana Bou", preprint_year, 1)
    venue = entry("neurips", "T", author, venue_year, 2)
    assert same_work(preprint, venue) is same


def test_two_venue_entries_for_one_preprint_unite_none():
    preprint = entry("arxiv", "A Study", "Ying, Rex", "2019", 1, eprint="1901.00001")
    one = entry("neurips", "A Study", "Ying, Rex", "2019", 2)
    two = entry("crossref", "A Study", "Ying, Rex", "2020", 3)
    outcomes = [
        LinkOutcome("l.md", e.line, "u", e.origin, "x", None, Outcome.RESOLVED, entry=e) for e in (preprint, one, two)
    ]
    united = unite_hosts([preprint, one, two], outcomes)
    assert united.entries == [preprint, one, two] and united.notes == []


def test_united_entry_takes_the_first_place_and_outcomes_follow():
    other = entry("arxiv", "Other", "Lin, Mei", "2019", 1, eprint="1901.00002")
    venue = entry("neurips", "A Study", "Ying, Rex", "2019", 2)
    preprint = entry("arxiv", "A Study", "Ying, Rex", "2019", 5, eprint="1901.00001", primaryClass="cs.LG")
    outcomes = [
        LinkOutcome("l.md", e.line, "u", e.origin, "x", None, Outcome.RESOLVED, entry=e)
        for e in (other, venue, preprint)
    ]
    united = unite_hosts([other, venue, preprint], outcomes)
    assert [e.origin for e in united.entries] == ["arxiv", "neurips"]
    merged = united.entries[1]
    assert merged.fields["eprint"] == "1901.00001" and merged.fields["primaryClass"] == "cs.LG"
    assert merged.identity == venue.identity | preprint.identity and merged.line == 2
    assert [o.outcome for o in united.outcomes] == [Outcome.RESOLVED, Outcome.RESOLVED, Outcome.MERGED]
    assert united.outcomes[1].entry is merged and united.outcomes[2].entry is merged
    assert united.notes == [
        "l.md:5: arXiv:x is the preprint of a venue link of the list: one entry, the venue's record"
    ]
