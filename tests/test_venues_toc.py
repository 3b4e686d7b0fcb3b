"""``--venues full`` through dblp's tables of contents (#17, item 3): through the real CLI against the fakes.

A preprint waiting for a dblp title search whose venue-year is known -- from its
row (a ``Venue`` cell, the heading), its arXiv comment or journal_ref ("Accepted to
ICASSP 2024"), or Semantic Scholar -- is looked for in that venue-year's table of
contents (``q=toc:db/conf/icassp/icassp2024.bht:``) once enough preprints wait for
the same table. The table's record answers only where the evidence rules take it
(the arXiv id in ``ee``, or the same title and authors, the venue's year not before
v1); the rest keep their title search. All data here is invented.
"""

from __future__ import annotations

import json
import math

import bibtexparser
import pytest

from conftest import write
from fakeapi import DblpRecord
from fakeapi.arxiv import ArxivPaper
from fakeapi.s2 import S2Paper
from tridentbib.commands.cache import plan_prune
from tridentbib.lookup import toc as toc_module
from tridentbib.lookup.toc import Toc, preprint_venue_year, venue_year
from tridentbib.model import Context
from tridentbib.sources.files import read_input

ICASSP24 = "db/conf/icassp/icassp2024.bht"
INTERSPEECH23 = "db/conf/interspeech/interspeech2023.bht"
ACL23 = "db/conf/acl/acl2023-1.bht"
WORDS = "amber basalt cedar dune ember fjord garnet heron iris juniper kelp lichen".split()


def arxiv_id(group: int, n: int) -> str:
    return f"{23 + group // 12}{group % 12 + 1:02d}.{10000 + n:05d}"  # an invented arXiv id


def title(venue: str, n: int) -> str:
    return f"Invented {WORDS[n % len(WORDS)].title()} {venue} Study Number {n}"


def authors(n: int) -> list[str]:
    return [f"Ada Tester{n}", "Bo Bench", "Cy Sample"]


def add_table(api, toc: str, venue: str, year: int, count: int, *, doi_prefix: str = "10.5555/x") -> None:
    """``count`` invented records of one venue-year's table on the fake dblp (no arXiv link in ``ee``)."""
    short = toc.split("/")[2]
    for n in range(count):
        api.dblp.add(
            DblpRecord(
                title(venue, n),
                authors(n),
                venue=venue,
                year=year,
                key=f"conf/{short}/Tester{n}{year % 100}",
                toc=toc,
                doi=f"{doi_prefix}.{year}.{n}",
                ee=f"https://doi.org/{doi_prefix}.{year}.{n}",
                pages=f"{100 + n}-{104 + n}",
            )
        )


def add_preprint(api, ident: str, name: str, n: int, **extra) -> None:
    api.arxiv.add_paper(
        ArxivPaper(
            ident,
            title=extra.pop("title", name),
            authors=extra.pop("authors", authors(n)),
            published=extra.pop("published", "2023-01-10T10:00:00Z"),
            **extra,
        )
    )


def table_list(rows: list[tuple[str, str, str]]) -> str:
    """A list with a Venue column: (arXiv id, title, venue cell)."""
    lines = ["## Speech", "", "| Date | Paper Title | Venue | Link |", "|---|---|---|---|"]
    lines += [f"| 2023-01 | {name} | {venue} | [paper](https://arxiv.org/abs/{ident}) |" for ident, name, venue in rows]
    return "\n".join(lines) + "\n"


def toc_requests(api, toc: str = "") -> list:
    return [r for r in api.requests("dblp") if r.param("q", "").startswith(f"toc:{toc}")]


def title_searches(api) -> list:
    return [r for r in api.requests("dblp") if not r.param("q", "").startswith("toc:")]


def by_eprint(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {
        fields["eprint"]: fields
        for fields in ({f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries)
    }


FULL = ("--venues", "full")
#: batched title searches as shipped (this file's tests otherwise ask one search per title: see ``cli``)
BATCHED = {"TRIDENTBIB_DBLP_BATCH": "20"}


@pytest.fixture
def cli(cli):
    """The tables' own rules: one title search per preprint, unless a test asks for batches (``BATCHED``).

    With batches, a table is read only for a batch of preprints (20); these lists are smaller.
    """

    def invoke(*args: str, env: dict[str, str] | None = None):
        return cli(*args, env={"TRIDENTBIB_DBLP_BATCH": "1", **(env or {})})

    return invoke


# -- the route ----------------------------------------------------------------------------------


def six_icassp_preprints_in_three_pages(api, workdir, monkeypatch) -> None:
    """ICASSP 2024's table as 3 pages of 10, and a list of 6 of its preprints whose comments name it."""
    monkeypatch.setattr(toc_module, "PAGE", 10)  # 10 hits a page: 25 records are 3 pages
    add_table(api, ICASSP24, "ICASSP", 2024, 25)
    rows = []
    for n in (0, 7, 12, 19, 24, 3):
        add_preprint(api, arxiv_id(1, n), title("ICASSP", n), n, comment="Accepted to ICASSP 2024. 5 pages")
        rows.append((arxiv_id(1, n), title("ICASSP", n), ""))
    write(workdir / "l.md", table_list(rows))


def test_preprints_whose_comment_names_icassp_2024_come_from_its_table_in_ceil_n_over_h_requests(
    cli, api, workdir, monkeypatch
):
    six_icassp_preprints_in_three_pages(api, workdir, monkeypatch)
    result = cli("build", "l.md", "-o", "out.bib", *FULL, env={"TRIDENTBIB_DBLP_BATCH": "1"})
    assert result.exit_code == 0, result.stderr
    assert [(r.param("q"), r.param("h"), r.param("f")) for r in toc_requests(api)] == [
        (f"toc:{ICASSP24}:", "10", str(first)) for first in (0, 10, 20)
    ]
    assert len(toc_requests(api)) == math.ceil(25 / 10) and title_searches(api) == []
    found = by_eprint(workdir / "out.bib")
    one = found[arxiv_id(1, 12)]
    assert one["ENTRYTYPE"] == "inproceedings" and "ICASSP" in one["booktitle"]
    assert (one["year"], one["pages"], one["doi"]) == ("2024", "112--116", "10.5555/x.2024.12")
    assert "same title, 3 of 3 authors in common, same first author" in result.stderr
    # each page cached as it arrived, and each preprint's answer in the shape the title search caches
    assert len(list((workdir / "cache" / "dblp-toc").glob("*.json"))) == 3
    cached = json.loads((workdir / "cache" / "dblp" / f"arxiv%3A{arxiv_id(1, 12)}.json").read_text())["record"]
    assert cached["query"] == title("ICASSP", 12).lower() and len(cached["hits"]) == 1
    assert cached["toc"] == ICASSP24


def test_with_batched_searches_a_table_is_read_only_for_a_batch_of_preprints_and_while_cheaper(
    cli, api, workdir, monkeypatch
):
    six_icassp_preprints_in_three_pages(api, workdir, monkeypatch)
    # six preprints are fewer than a batch (20 titles): no page of the table, one batched search
    result = cli("build", "l.md", "-o", "out.bib", *FULL, env=BATCHED)
    assert result.exit_code == 0, result.stderr
    assert toc_requests(api) == [] and ["|" in r.param("q") for r in title_searches(api)] == [True]
    # batches of 3: the first page finds 3 of the 6 (0, 7, 3); two pages left cost more than one batch for the rest
    api.clear_log()
    small = cli("build", "l.md", "-o", "small.bib", "--cache-dir", "c3", *FULL, env={"TRIDENTBIB_DBLP_BATCH": "3"})
    assert small.exit_code == 0, small.stderr
    assert [r.param("f") for r in toc_requests(api)] == ["0"]
    assert ["|" in r.param("q") for r in title_searches(api)] == [True]
    alone = cli("build", "l.md", "-o", "alone.bib", "--cache-dir", "c2", *FULL, env={"TRIDENTBIB_DBLP_BATCH": "1"})
    assert alone.exit_code == 0, alone.stderr
    found = by_eprint(workdir / "out.bib")
    assert all(found[arxiv_id(1, n)]["ENTRYTYPE"] == "inproceedings" for n in (0, 7, 12, 19, 24, 3))
    for path in ("out.bib", "small.bib"):
        assert (workdir / path).read_bytes() == (workdir / "alone.bib").read_bytes()


def test_the_row_names_the_venue_year_and_a_record_linking_the_arxiv_id_answers_under_another_title(cli, api, workdir):
    add_table(api, INTERSPEECH23, "Interspeech", 2023, 8)
    api.dblp.add(
        DblpRecord(
            "A Retitled Invented Interspeech Paper",
            ["Dee Renamed"],
            venue="Interspeech",
            year=2023,
            key="conf/interspeech/Renamed23",
            toc=INTERSPEECH23,
            ee=["https://doi.org/10.5555/renamed", f"https://arxiv.org/abs/{arxiv_id(2, 99)}v2"],
        )
    )
    rows = [(arxiv_id(2, n), title("Interspeech", n), "Interspeech 2023") for n in range(5)]
    for ident, name, _ in rows:
        add_preprint(api, ident, name, int(ident[-2:]))
    add_preprint(api, arxiv_id(2, 99), "An Invented Preprint Title", 99, authors=["Dee Renamed"])
    rows.append((arxiv_id(2, 99), "An Invented Preprint Title", "INTERSPEECH'23"))
    write(workdir / "l.md", table_list(rows))
    result = cli("build", "l.md", "-o", "out.bib", *FULL)
    assert result.exit_code == 0, result.stderr
    assert len(toc_requests(api, INTERSPEECH23)) == 1 and title_searches(api) == []
    found = by_eprint(workdir / "out.bib")
    assert all(found[ident]["booktitle"] == "Interspeech" for ident, _, _ in rows)
    assert f"dblp conf/interspeech/Renamed23 ee https://arxiv.org/abs/{arxiv_id(2, 99)}v2" in result.stderr


def test_the_bib_is_byte_identical_to_the_per_paper_route(cli, api, workdir):
    add_table(api, ICASSP24, "ICASSP", 2024, 12)
    add_table(api, ACL23, "ACL", 2023, 12, doi_prefix="10.18653/v1")
    rows = []
    for n in range(0, 12, 2):  # ICASSP 2024, named by the arXiv comment
        add_preprint(api, arxiv_id(3, n), title("ICASSP", n), n, comment="ICASSP 2024 camera-ready")
        rows.append((arxiv_id(3, n), title("ICASSP", n), ""))
    for n in range(1, 12, 2):  # ACL 2023, named by the row
        add_preprint(api, arxiv_id(4, n), title("ACL", n), n)
        rows.append((arxiv_id(4, n), title("ACL", n), "ACL 2023"))
    # traps the table must not settle: each keeps its title search, and the search decides as before
    add_preprint(
        api,
        arxiv_id(5, 1),
        title("ICASSP", 1),
        1,
        authors=["Other Person", "Else Where"],
        comment="Submitted to ICASSP 2024",
    )  # same title, other authors: a candidate
    add_preprint(
        api, arxiv_id(5, 3), title("ICASSP", 3), 3, published="2025-02-01T10:00:00Z", comment="ICASSP 2024"
    )  # the venue's year is before v1
    add_preprint(api, arxiv_id(5, 5), "An Invented Rejected Paper", 5, comment="Submitted to ICASSP 2024")
    add_preprint(api, arxiv_id(5, 7), "An Invented Unplaced Paper", 7)
    api.dblp.add(DblpRecord("An Invented Unplaced Paper", authors(7), venue="SLT", year=2024, key="conf/slt/Tester724"))
    rows += [
        (arxiv_id(5, 1), title("ICASSP", 1), ""),
        (arxiv_id(5, 3), title("ICASSP", 3), ""),
        (arxiv_id(5, 5), "An Invented Rejected Paper", ""),
        (arxiv_id(5, 7), "An Invented Unplaced Paper", ""),
    ]
    write(workdir / "l.md", table_list(rows))
    per_paper = cli(
        "build",
        "l.md",
        "-o",
        "per-paper.bib",
        "--cache-dir",
        "c1",
        *FULL,
        env={"TRIDENTBIB_DBLP_TOC_THRESHOLD": "100000", "TRIDENTBIB_DBLP_BATCH": "1"},
    )
    assert per_paper.exit_code == 0, per_paper.stderr
    assert toc_requests(api) == [] and len(title_searches(api)) == 16
    api.clear_log()
    batched = cli(
        "build",
        "l.md",
        "-o",
        "batched.bib",
        "--cache-dir",
        "c3",
        *FULL,
        env={"TRIDENTBIB_DBLP_TOC_THRESHOLD": "100000", **BATCHED},
    )
    assert batched.exit_code == 0, batched.stderr
    assert toc_requests(api) == [] and len(title_searches(api)) == 1  # 16 titles, one query
    assert (workdir / "batched.bib").read_bytes() == (workdir / "per-paper.bib").read_bytes()
    assert [line for line in batched.stderr.splitlines() if "candidate" in line] == [
        line for line in per_paper.stderr.splitlines() if "candidate" in line
    ]
    api.clear_log()
    by_toc = cli("build", "l.md", "-o", "toc.bib", "--cache-dir", "c2", *FULL, env={"TRIDENTBIB_DBLP_BATCH": "1"})
    assert by_toc.exit_code == 0, by_toc.stderr
    assert len(toc_requests(api, ICASSP24)) == 1 and len(toc_requests(api, ACL23)) == 1
    assert sorted(r.param("q") for r in title_searches(api)) == sorted(
        [
            title("ICASSP", 1).lower(),
            title("ICASSP", 3).lower(),
            "an invented rejected paper",
            "an invented unplaced paper",
        ]
    )
    assert (workdir / "toc.bib").read_bytes() == (workdir / "per-paper.bib").read_bytes()
    found = by_eprint(workdir / "toc.bib")
    assert sum(f["ENTRYTYPE"] == "inproceedings" for f in found.values()) == 13  # 12 from tables, SLT by search
    assert all(found[arxiv_id(5, n)]["ENTRYTYPE"] == "misc" for n in (1, 3, 5))
    candidates = [line for line in by_toc.stderr.splitlines() if "candidate" in line]
    assert candidates == [line for line in per_paper.stderr.splitlines() if "candidate" in line] != []


def test_a_preprint_naming_no_venue_is_found_in_a_table_read_for_others(cli, api, workdir):
    add_table(api, ICASSP24, "ICASSP", 2024, 12)
    rows = []
    for n in range(6):
        add_preprint(api, arxiv_id(12, n), title("ICASSP", n), n, comment="Accepted to ICASSP 2024" if n < 5 else None)
        rows.append((arxiv_id(12, n), title("ICASSP", n), ""))
    write(workdir / "l.md", table_list(rows))
    result = cli("build", "l.md", "-o", "out.bib", *FULL)
    assert result.exit_code == 0, result.stderr
    assert len(toc_requests(api)) == 1 and title_searches(api) == []
    assert "ICASSP" in by_eprint(workdir / "out.bib")[arxiv_id(12, 5)]["booktitle"]


def test_the_rest_of_a_table_is_not_read_when_searching_the_papers_left_costs_less(cli, api, workdir, monkeypatch):
    monkeypatch.setattr(toc_module, "PAGE", 10)
    add_table(api, ICASSP24, "ICASSP", 2024, 35)  # 4 pages of 10
    rows = []
    for n in (0, 2, 4, 6):  # on the first page
        add_preprint(api, arxiv_id(13, n), title("ICASSP", n), n, comment="ICASSP 2024")
        rows.append((arxiv_id(13, n), title("ICASSP", n), ""))
    add_preprint(api, arxiv_id(13, 90), "An Invented Paper ICASSP Rejected", 90, comment="Submitted to ICASSP 2024")
    rows.append((arxiv_id(13, 90), "An Invented Paper ICASSP Rejected", ""))
    write(workdir / "l.md", table_list(rows))
    result = cli("build", "l.md", "-o", "out.bib", *FULL)
    assert result.exit_code == 0, result.stderr
    assert [r.param("f") for r in toc_requests(api)] == ["0"]  # then 1 paper left, 3 pages: one search instead
    assert [r.param("q") for r in title_searches(api)] == ["an invented paper icassp rejected"]


def test_below_the_threshold_each_preprint_is_one_title_search(cli, api, workdir):
    add_table(api, ICASSP24, "ICASSP", 2024, 30)
    for n in (4, 9):
        add_preprint(api, arxiv_id(6, n), title("ICASSP", n), n, comment="Accepted to ICASSP 2024")
    write(workdir / "l.md", table_list([(arxiv_id(6, n), title("ICASSP", n), "") for n in (4, 9)]))
    result = cli("build", "l.md", "-o", "out.bib", *FULL, env={"TRIDENTBIB_DBLP_BATCH": "1"})
    assert result.exit_code == 0, result.stderr
    assert toc_requests(api) == [] and len(title_searches(api)) == 2
    assert all(f["ENTRYTYPE"] == "inproceedings" for f in by_eprint(workdir / "out.bib").values())
    api.clear_log()
    lowered = cli(
        "build", "l.md", "-o", "b.bib", "--cache-dir", "c2", *FULL, env={"TRIDENTBIB_DBLP_TOC_THRESHOLD": "2"}
    )
    assert lowered.exit_code == 0, lowered.stderr
    assert len(toc_requests(api)) == 1 and title_searches(api) == []


def test_semantic_scholars_venue_and_year_name_the_table_when_arxiv_does_not(cli, api, workdir):
    add_table(api, INTERSPEECH23, "Interspeech", 2023, 10)
    rows = []
    for n in range(5):
        ident = arxiv_id(7, n)
        # arXiv lists the venue's DOI; S2 knows the venue-year but not the DOI: it settles nothing, yet names the table
        add_preprint(api, ident, title("Interspeech", n), n, doi=f"10.5555/x.2023.{n}")
        api.s2.add(
            S2Paper(
                paper_id=f"{n + 1:040x}",
                title=title("Interspeech", n),
                external_ids={"ArXiv": ident},
                venue="Interspeech",
                year=2023,
                authors=authors(n),
            )
        )
        rows.append((ident, title("Interspeech", n), ""))
    write(workdir / "l.md", table_list(rows))
    result = cli("build", "l.md", "-o", "out.bib", *FULL)
    assert result.exit_code == 0, result.stderr
    assert len(toc_requests(api, INTERSPEECH23)) == 1 and title_searches(api) == []
    found = by_eprint(workdir / "out.bib")
    assert all(found[ident]["booktitle"] == "Interspeech" for ident, _, _ in rows)
    assert "dblp conf/interspeech/Tester323 has doi 10.5555/x.2023.3, the DOI arXiv lists" in result.stderr


def test_warm_run_asks_nothing_and_offline_replays(cli, api, workdir):
    add_table(api, ICASSP24, "ICASSP", 2024, 10)
    rows = []
    for n in range(7):
        add_preprint(api, arxiv_id(8, n), title("ICASSP", n), n, comment="ICASSP 2024")
        rows.append((arxiv_id(8, n), title("ICASSP", n), ""))
    add_preprint(api, arxiv_id(8, 50), "An Invented Lonely Paper", 50)
    rows.append((arxiv_id(8, 50), "An Invented Lonely Paper", ""))
    write(workdir / "l.md", table_list(rows))
    assert cli("build", "l.md", "-o", "cold.bib", *FULL).exit_code == 0
    assert len(toc_requests(api)) == 1 and len(title_searches(api)) == 1
    api.clear_log()
    warm = cli("build", "l.md", "-o", "warm.bib", *FULL)
    assert warm.exit_code == 0, warm.stderr
    assert api.requests() == []
    offline = cli("build", "l.md", "-o", "offline.bib", "--offline", *FULL)
    assert offline.exit_code == 0, offline.stderr
    assert api.requests() == []
    cold = (workdir / "cold.bib").read_bytes()
    assert (workdir / "warm.bib").read_bytes() == cold == (workdir / "offline.bib").read_bytes()


def test_offline_another_list_of_that_venue_year_is_answered_by_the_cached_table(cli, api, workdir):
    add_table(api, ICASSP24, "ICASSP", 2024, 20)
    for n in range(20):
        add_preprint(api, arxiv_id(9, n), title("ICASSP", n), n, comment="Accepted to ICASSP 2024")
    write(workdir / "a.md", table_list([(arxiv_id(9, n), title("ICASSP", n), "") for n in range(6)]))
    write(workdir / "b.md", table_list([(arxiv_id(9, n), title("ICASSP", n), "") for n in range(10, 13)]))
    assert cli("build", "a.md", "-o", "a.bib", *FULL).exit_code == 0
    assert cli("build", "b.md", "-o", "b0.bib").exit_code == 0  # b's arXiv records, no dblp (venues off)
    api.clear_log()
    offline = cli("build", "b.md", "-o", "b.bib", "--offline", *FULL)
    assert offline.exit_code == 0, offline.stderr
    assert api.requests() == []
    assert all("ICASSP" in f["booktitle"] for f in by_eprint(workdir / "b.bib").values())
    assert not (workdir / "cache" / "dblp" / f"arxiv%3A{arxiv_id(9, 10)}.json").exists()  # offline writes nothing
    online = cli("build", "b.md", "-o", "b2.bib", *FULL)  # online, below the threshold: the cached table serves
    assert online.exit_code == 0, online.stderr
    assert api.requests("dblp") == []
    assert (workdir / "b2.bib").read_bytes() == (workdir / "b.bib").read_bytes()


def test_prune_keeps_the_pages_of_a_venue_year_a_row_names(cli, api, workdir):
    add_table(api, ACL23, "ACL", 2023, 8)
    add_table(api, ICASSP24, "ICASSP", 2024, 8)
    for n in range(5):
        add_preprint(api, arxiv_id(10, n), title("ACL", n), n)
        add_preprint(api, arxiv_id(11, n), title("ICASSP", n), n)
    write(workdir / "a.md", table_list([(arxiv_id(10, n), title("ACL", n), "ACL 2023") for n in range(5)]))
    write(workdir / "b.md", table_list([(arxiv_id(11, n), title("ICASSP", n), "ICASSP 2024") for n in range(5)]))
    assert cli("build", "a.md", "-o", "a.bib", *FULL).exit_code == 0
    assert cli("build", "b.md", "-o", "b.bib", *FULL).exit_code == 0
    assert len(toc_requests(api)) == 2 and title_searches(api) == []
    plan = plan_prune(workdir / "cache", [read_input(workdir / "a.md")], None)
    dropped = {(item.service, item.id) for item, _reason in plan.drop}
    assert ("dblp-toc", f"{ICASSP24}@0") in dropped and ("dblp-toc", f"{ACL23}@0") not in dropped


# -- which table: the venue-year a row, arXiv or Semantic Scholar names ------------------------------


@pytest.mark.parametrize(
    "record, expected",
    [
        ({"comment": "Accepted to ICASSP 2024. 5 pages, 2 figures"}, Toc("ICASSP", 2024)),
        ({"comment": "INTERSPEECH'23"}, Toc("Interspeech", 2023)),
        ({"comment": "Proc. Interspeech 2023"}, Toc("Interspeech", 2023)),
        ({"comment": "Accepted at ACL 2023 (main conference)"}, Toc("ACL", 2023)),
        ({"comment": "Findings of ACL 2023"}, None),  # another table
        ({"comment": "EMNLP 2023 Findings"}, None),
        ({"comment": "ICASSP 2024 Workshop on Invented Things"}, None),
        ({"comment": "NeurIPS 2023; an earlier version at ICLR 2022"}, None),  # two: not guessed
        ({"comment": "NIPS 2017"}, Toc("NeurIPS", 2017)),
        ({"comment": "12 pages, 4 figures"}, None),
        ({"comment": "ICASSP 2014"}, None),  # before the years read
        (
            {
                "journal_ref": "2024 IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP), pp. 1-5"
            },
            Toc("ICASSP", 2024),
        ),  # the journal_ref parser's reading
    ],
)
def test_the_venue_year_an_arxiv_record_names(record, expected):
    assert preprint_venue_year({"id": "2301.00001", **record}) == expected


def test_semantic_scholars_venue_names_the_table_when_arxiv_names_none():
    s2 = {"venue": "Interspeech", "year": 2023, "publicationVenue": {"name": "Interspeech"}}
    assert preprint_venue_year({"id": "2301.00001"}, s2) == Toc("Interspeech", 2023)
    assert preprint_venue_year({"id": "2301.00001", "comment": "ICASSP 2024"}, s2) == Toc("ICASSP", 2024)  # arXiv first
    assert preprint_venue_year({"id": "2301.00001"}, {"venue": "arXiv.org", "year": 2023}) is None


@pytest.mark.parametrize(
    "toc, expected",
    [
        (Toc("ICASSP", 2024), "db/conf/icassp/icassp2024.bht"),
        (Toc("Interspeech", 2023), "db/conf/interspeech/interspeech2023.bht"),
        (Toc("ACL", 2023), "db/conf/acl/acl2023-1.bht"),
        (Toc("ACL", 2020), "db/conf/acl/acl2020.bht"),
        (Toc("EMNLP", 2021), "db/conf/emnlp/emnlp2021-1.bht"),
        (Toc("EMNLP", 2023), "db/conf/emnlp/emnlp2023.bht"),
        (Toc("NeurIPS", 2019), "db/conf/nips/nips2019.bht"),
        (Toc("NeurIPS", 2023), "db/conf/nips/neurips2023.bht"),
        (Toc("ICLR", 2024), "db/conf/iclr/iclr2024.bht"),
    ],
)
def test_dblp_table_keys(toc, expected):
    assert toc.id == expected


def test_a_row_names_any_supported_venue_for_a_preprint_and_only_iclr_for_an_openreview_paper():
    context = Context("l.md", 3, "", title="T", cells=(("Paper Title", "T"), ("Venue", "ICASSP 2024")))
    assert venue_year(context, preprint=True) == Toc("ICASSP", 2024)
    assert venue_year(context) is None  # no OpenReview forum in ICASSP's records
    both = Context("l.md", 3, "", title="T", cells=(("Paper Title", "T"), ("Venue", "ICLR 2019, NeurIPS 2021")))
    assert venue_year(both) == Toc("ICLR", 2019)  # as before: NeurIPS has no OpenReview route
    assert venue_year(both, preprint=True) is None  # two venue-years: not guessed
    section = Context("l.md", 3, "Interspeech 2023 papers", title="T", cells=(("Paper Title", "T"),))
    assert venue_year(section, preprint=True) == Toc("Interspeech", 2023)
