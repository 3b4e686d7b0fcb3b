"""dblp tables of contents under OpenReview's guest challenge (#17, item 2): through the real CLI against the fakes.

Every OpenReview link here meets ``403 ChallengeRequiredError``, so each paper goes to
the dblp fallback: one title search per paper, or the venue-year's table of contents
(``q=toc:db/conf/iclr/iclr2019.bht:``) when enough papers of one venue-year need it.
"""

from __future__ import annotations

import json
import math

import pytest

from conftest import write
from fakeapi import DblpRecord
from tridentbib.commands.cache import plan_prune, stats_lines
from tridentbib.lookup import toc as toc_module
from tridentbib.lookup.toc import Toc, venue_year
from tridentbib.model import Context
from tridentbib.resolvers.dblp import DblpError, DblpSearch
from tridentbib.resolvers.registry import dblp_client
from tridentbib.settings import Settings
from tridentbib.sources.files import read_input

ICLR2019 = "db/conf/iclr/iclr2019.bht"
ICLR2020 = "db/conf/iclr/iclr2020.bht"


def forum(year: int, n: int) -> str:
    return f"F{year % 100:02d}x{n:05d}Q"  # an invented OpenReview forum id


def title(year: int, n: int) -> str:
    return f"Invented Graph Study Number {n} of {year}"


def add_iclr_year(api, year: int, count: int) -> None:
    """``count`` ICLR papers of ``year`` on the fake dblp, each with its forum URL in ``ee``, and a CoRR twin."""
    for n in range(count):
        api.dblp.add(
            DblpRecord(
                title(year, n),
                [f"Ada Tester{n}", ("Bo Bench", "12/3456")],
                venue="ICLR",
                year=year,
                key=f"conf/iclr/Tester{n}{year % 100}",
                ee=f"https://openreview.net/forum?id={forum(year, n)}",
            )
        )
        api.dblp.add(  # the preprint: a search by title finds both, the table only the ICLR record
            DblpRecord(
                title(year, n),
                [f"Ada Tester{n}"],
                year=year - 1,
                key=f"journals/corr/abs-{year % 100 - 1}01-{n:05d}",
                type="Informal and Other Publications",
                ee=f"https://arxiv.org/abs/{year % 100 - 1}01.{n:05d}",
            )
        )


def table(rows: list[tuple[int, int, str]]) -> str:
    """A list in a table with a Venue column: (year, n, venue cell)."""
    lines = ["## Graphs", "", "| Date | Paper Title | Venue | Link |", "|---|---|---|---|"]
    lines += [
        f"| {year - 1}-10 | {title(year, n)} | {venue} | [paper](https://openreview.net/forum?id={forum(year, n)}) |"
        for year, n, venue in rows
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def challenged(api):
    api.openreview.require_auth = True
    return api


def toc_requests(api, toc: str = "") -> list:
    return [r for r in api.requests("dblp") if r.param("q", "").startswith(f"toc:{toc}")]


def title_searches(api) -> list:
    return [r for r in api.requests("dblp") if not r.param("q", "").startswith("toc:")]


def entries(path) -> dict[str, dict[str, str]]:
    import bibtexparser

    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {
        next(f.value for f in e.fields if f.key == "url"): {f.key: f.value for f in e.fields} for e in library.entries
    }


# -- the route ----------------------------------------------------------------------------------


def test_papers_of_one_iclr_year_come_from_its_table_of_contents_in_ceil_n_over_h_requests(
    cli, challenged, workdir, monkeypatch
):
    monkeypatch.setattr(toc_module, "PAGE", 10)  # 10 hits a page: 25 papers are 3 pages
    add_iclr_year(challenged, 2019, 25)
    write(workdir / "l.md", table([(2019, n, "ICLR 2019") for n in (0, 7, 12, 19, 24, 3)]))
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    pages = toc_requests(challenged)
    assert len(pages) == math.ceil(25 / 10) and title_searches(challenged) == []
    assert [(r.param("q"), r.param("h"), r.param("f")) for r in pages] == [
        (f"toc:{ICLR2019}:", "10", str(first)) for first in (0, 10, 20)
    ]
    found = entries(workdir / "out.bib")
    assert len(found) == 6
    one = found[f"https://openreview.net/forum?id={forum(2019, 12)}"]
    assert one["booktitle"] == "The Seventh International Conference on Learning Representations"
    assert one["year"] == "2019" and "Tester12" in one["author"]
    # each page cached as it arrived, and each paper's record in the shape the title search caches
    assert len(list((workdir / "cache" / "dblp-toc").glob("*.json"))) == 3
    cached = json.loads((workdir / "cache" / "dblp" / f"openreview%3A{forum(2019, 12)}.json").read_text())["record"]
    assert cached["query"] == title(2019, 12) and len(cached["hits"]) == 1


def test_a_table_of_a_thousand_papers_and_one_more_is_two_requests_of_a_thousand(cli, challenged, workdir):
    add_iclr_year(challenged, 2020, 1001)
    write(workdir / "l.md", table([(2020, n, "ICLR 2020") for n in (0, 1, 500, 999, 1000)]))
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    assert [(r.param("h"), r.param("f")) for r in toc_requests(challenged)] == [("1000", "0"), ("1000", "1000")]
    assert title_searches(challenged) == [] and len(entries(workdir / "out.bib")) == 5


def test_below_the_threshold_the_papers_are_title_searches_batched_into_one_request(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 30)
    write(workdir / "l.md", table([(2019, 4, "ICLR 2019"), (2019, 9, "ICLR 2019")]))
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    searches = title_searches(challenged)
    assert toc_requests(challenged) == [] and len(searches) == 1 and "|" not in searches[0].param("q")
    assert searches[0].param("h") == "1000"  # both titles share their long words: one query asks for both
    assert len(entries(workdir / "out.bib")) == 2


def test_with_batching_off_below_the_threshold_each_paper_is_one_title_search(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 30)
    write(workdir / "l.md", table([(2019, 4, "ICLR 2019"), (2019, 9, "ICLR 2019")]))
    result = cli("build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_DBLP_BATCH": "1"})
    assert result.exit_code == 0, result.stderr
    assert toc_requests(challenged) == [] and len(title_searches(challenged)) == 2
    assert len(entries(workdir / "out.bib")) == 2


def test_the_threshold_is_a_setting(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 30)
    write(workdir / "l.md", table([(2019, 4, "ICLR 2019"), (2019, 9, "ICLR 2019")]))
    result = cli("build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_DBLP_TOC_THRESHOLD": "2"})
    assert result.exit_code == 0, result.stderr
    assert len(toc_requests(challenged)) == 1 and title_searches(challenged) == []


def test_a_paper_the_table_does_not_list_falls_back_to_its_title_search(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 8)
    challenged.dblp.add(  # listed as ICLR 2019 but dblp has it in the workshop volume
        DblpRecord(
            "An Invented Workshop Paper",
            ["Cy Workshop"],
            venue="ICLR (Workshop)",
            year=2019,
            key="conf/iclr/Workshop19",
            toc="db/conf/iclr/iclr2019w.bht",
            ee="https://openreview.net/forum?id=W0rksh0p19",
        )
    )
    rows = table([(2019, n, "ICLR 2019") for n in range(6)])
    rows += (
        "| 2019-03 | An Invented Workshop Paper | ICLR 2019 | [paper](https://openreview.net/forum?id=W0rksh0p19) |\n"
    )
    write(workdir / "l.md", rows)
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    assert len(toc_requests(challenged)) == 1
    (search,) = title_searches(challenged)
    assert search.param("q") == "An Invented Workshop Paper"
    assert len(entries(workdir / "out.bib")) == 7


def test_the_bib_is_byte_identical_to_the_per_paper_route(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 12)
    add_iclr_year(challenged, 2020, 12)
    rows = [(2019, n, "ICLR 2019") for n in range(0, 12, 2)] + [(2020, n, "ICLR'20") for n in range(1, 12, 2)]
    rows.append((2020, 0, "ICLR 2020 Workshop"))  # not guessed: this one stays a title search either way
    write(workdir / "l.md", table(rows))
    one_by_one = {"TRIDENTBIB_DBLP_TOC_THRESHOLD": "100000", "TRIDENTBIB_DBLP_BATCH": "1"}
    per_paper = cli("build", "l.md", "-o", "per-paper.bib", "--cache-dir", "c1", env=one_by_one)
    assert per_paper.exit_code == 0, per_paper.stderr
    assert toc_requests(challenged) == [] and len(title_searches(challenged)) == 13
    challenged.clear_log()
    batched = cli(
        "build", "l.md", "-o", "batched.bib", "--cache-dir", "c3", env={"TRIDENTBIB_DBLP_TOC_THRESHOLD": "100000"}
    )
    assert batched.exit_code == 0, batched.stderr
    assert toc_requests(challenged) == [] and len(title_searches(challenged)) == 1  # 13 titles, one query
    assert (workdir / "batched.bib").read_bytes() == (workdir / "per-paper.bib").read_bytes()
    challenged.clear_log()
    by_toc = cli("build", "l.md", "-o", "toc.bib", "--cache-dir", "c2")
    assert by_toc.exit_code == 0, by_toc.stderr
    assert len(toc_requests(challenged)) == 2  # one page for each year
    assert len(title_searches(challenged)) == 0  # the workshop row's paper is in the 2020 table after all
    assert (workdir / "toc.bib").read_bytes() == (workdir / "per-paper.bib").read_bytes()
    assert len(entries(workdir / "toc.bib")) == 13


def test_warm_run_asks_nothing_and_offline_replays(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 10)
    write(workdir / "l.md", table([(2019, n, "ICLR 2019") for n in range(7)]))
    assert cli("build", "l.md", "-o", "cold.bib").exit_code == 0
    assert len(toc_requests(challenged)) == 1
    challenged.clear_log()
    warm = cli("build", "l.md", "-o", "warm.bib")
    assert warm.exit_code == 0, warm.stderr
    assert challenged.requests() == []
    offline = cli("build", "l.md", "-o", "offline.bib", "--offline")
    assert offline.exit_code == 0, offline.stderr
    assert challenged.requests() == []
    cold = (workdir / "cold.bib").read_bytes()
    assert (workdir / "warm.bib").read_bytes() == cold == (workdir / "offline.bib").read_bytes()


def test_another_list_of_the_same_year_reuses_the_cached_table(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 20)
    write(workdir / "a.md", table([(2019, n, "ICLR 2019") for n in range(6)]))
    write(workdir / "b.md", table([(2019, n, "ICLR 2019") for n in range(10, 13)]))  # below the threshold alone
    assert cli("build", "a.md", "-o", "a.bib").exit_code == 0
    challenged.clear_log()
    result = cli("build", "b.md", "-o", "b.bib")
    assert result.exit_code == 0, result.stderr
    assert [r.service for r in challenged.requests()] == ["openreview2"]  # the challenge; dblp not asked
    assert len(entries(workdir / "b.bib")) == 3


def test_offline_another_list_of_that_year_is_answered_by_the_cached_table(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 20)
    write(workdir / "a.md", table([(2019, n, "ICLR 2019") for n in range(6)]))
    write(workdir / "b.md", table([(2019, n, "ICLR 2019") for n in range(10, 13)]))
    assert cli("build", "a.md", "-o", "a.bib").exit_code == 0
    challenged.clear_log()
    offline = cli("build", "b.md", "-o", "b.bib", "--offline")
    assert offline.exit_code == 0, offline.stderr
    assert challenged.requests() == []
    found = entries(workdir / "b.bib")
    assert all(fields["booktitle"].endswith("Learning Representations") for fields in found.values())
    assert len(found) == 3
    assert not (workdir / "cache" / "dblp" / f"openreview%3A{forum(2019, 10)}.json").exists()  # offline writes nothing


def test_cache_stats_counts_the_pages_and_prune_keeps_them_for_a_list_of_that_year(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 10)
    add_iclr_year(challenged, 2020, 10)
    write(workdir / "a.md", table([(2019, n, "ICLR 2019") for n in range(6)]))
    write(workdir / "b.md", table([(2020, n, "ICLR 2020") for n in range(6)]))
    assert cli("build", "a.md", "-o", "a.bib").exit_code == 0
    assert cli("build", "b.md", "-o", "b.bib").exit_code == 0
    (row,) = [line for line in stats_lines(workdir / "cache") if line.startswith("dblp-toc")]
    assert row.split()[1] == "2"
    plan = plan_prune(workdir / "cache", [read_input(workdir / "a.md")], None)
    dropped = {(item.service, item.id) for item, _reason in plan.drop}
    assert ("dblp-toc", f"{ICLR2020}@0") in dropped and ("dblp-toc", f"{ICLR2019}@0") not in dropped


def test_a_failing_page_loses_only_what_it_held_and_the_next_run_asks_only_for_it(
    cli, challenged, workdir, monkeypatch
):
    monkeypatch.setattr(toc_module, "PAGE", 10)
    add_iclr_year(challenged, 2019, 25)
    challenged.dblp.failing_toc_pages = {(ICLR2019, 10)}  # the second page: 503, every attempt
    write(workdir / "l.md", table([(2019, n, "ICLR 2019") for n in (1, 2, 3, 4, 15, 22)]))
    quick = {"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1"}
    result = cli("build", "l.md", "-o", "out.bib", env=quick)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1  # papers 15 and 22 are reported (dblp taken as gone after the page's 503s)
    assert "unavailable" in result.stderr
    found = entries(workdir / "out.bib")
    for n in (1, 2, 3, 4):
        assert found[f"https://openreview.net/forum?id={forum(2019, n)}"]["booktitle"].endswith("Representations")
    for n in (15, 22):  # still an entry, built from the row
        assert "booktitle" not in found[f"https://openreview.net/forum?id={forum(2019, n)}"]
    # the outage passes: the next run asks only for the pages it does not have
    challenged.dblp.failing_toc_pages = set()
    challenged.clear_log()
    again = cli("build", "l.md", "-o", "again.bib", env=quick)
    assert again.exit_code == 0, again.stderr
    assert [r.param("f") for r in toc_requests(challenged)] == ["10", "20"] and title_searches(challenged) == []
    assert len(entries(workdir / "again.bib")) == 6


def test_a_failing_first_page_reports_its_papers_without_a_traceback(cli, challenged, workdir):
    add_iclr_year(challenged, 2019, 10)
    write(workdir / "l.md", table([(2019, n, "ICLR 2019") for n in range(6)]))
    challenged.dblp.failing_toc_pages = {(ICLR2019, 0)}
    result = cli(
        "build",
        "l.md",
        "-o",
        "out.bib",
        env={"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1", "TRIDENTBIB_DBLP_TOC_THRESHOLD": "5"},
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert len(toc_requests(challenged)) == 2  # one attempt and one retry, then dblp is taken as gone
    assert title_searches(challenged) == []  # the breaker is open: the searches are not even sent
    assert result.exit_code == 1 and len(entries(workdir / "out.bib")) == 6  # rows still become entries


# -- reading the venue-year from the row -----------------------------------------------------------


@pytest.mark.parametrize(
    "cells, section, expected",
    [
        ((("Venue", "ICLR 2019"),), "", Toc("ICLR", 2019)),
        ((("Venue", "ICLR'19"),), "", Toc("ICLR", 2019)),
        ((("Venue", "iclr2022 (oral)"),), "", Toc("ICLR", 2022)),
        ((("Venue", "ICLR"), ("Year", "2021")), "", Toc("ICLR", 2021)),
        ((("Venue", "ICLR"), ("Date", "2020-09")), "", None),  # a date is not the venue's year
        ((("Venue", "ICLR 2019 Workshop"),), "", None),
        ((("Venue", "ICLR 2019, ICLR 2020"),), "", None),  # two venue-years: not guessed
        ((("Venue", "NeurIPS 2021"),), "", None),  # no table of contents route for it
        ((("Venue", "ICLR 2016"),), "", None),  # before dblp's records link OpenReview forums
        ((), "ICLR 2023", Toc("ICLR", 2023)),  # the section heading
        ((("Venue", "ICLR 2024"),), "ICLR 2023", Toc("ICLR", 2024)),  # the row's own cell first
        ((("Date", "2024-10"),), "Speech codecs", None),  # the seed's rows: venue unknown
    ],
)
def test_the_venue_year_a_row_names(cells, section, expected):
    context = Context("l.md", 3, section, title="Some Paper Title", cells=(("Paper Title", "Some Paper Title"), *cells))
    assert venue_year(context) == expected


def test_a_title_naming_a_venue_is_not_a_venue_cell():
    context = Context("l.md", 3, title="What ICLR 2019 Taught Us", cells=(("Title", "What ICLR 2019 Taught Us"),))
    assert venue_year(context) is None


# -- the fake's table of contents, in dblp's format --------------------------------------------------


def test_the_fake_pages_a_table_with_dblps_hit_attributes(api):
    add_iclr_year(api, 2019, 25)
    settings = Settings.from_env({**api.env(), "TRIDENTBIB_DBLP_DELAY": "0"})
    client = dblp_client(settings)
    try:
        hits, total, _ = DblpSearch(client).toc_page(ICLR2019, 20, 10)
        response = client.get("", params={"q": f"toc:{ICLR2019}:", "format": "json", "h": "10", "f": "20"})
    finally:
        client.close()
    assert total == 25 and [hit["title"] for hit in hits] == [title(2019, n) for n in range(20, 25)]
    assert all(hit["venue"] == ["ICLR"] and hit["year"] == "2019" for hit in hits)
    found = json.loads(response.content)["result"]["hits"]
    assert (found["@total"], found["@computed"], found["@sent"], found["@first"]) == ("25", "25", "5", "20")
    assert found["hit"][0]["info"]["ee"] == f"https://openreview.net/forum?id={forum(2019, 20)}"


def test_a_table_id_outside_the_grammar_is_never_asked(api):
    client = dblp_client(Settings.from_env({**api.env(), "TRIDENTBIB_DBLP_DELAY": "0"}))
    try:
        for bad in ("db/conf/iclr/../../x.bht", "db/conf/iclr/iclr2019.bht: author:x", "https://evil/x.bht"):
            with pytest.raises(DblpError, match="not a dblp table of contents"):
                DblpSearch(client).toc_page(bad)
    finally:
        client.close()
    assert api.requests("dblp") == []
