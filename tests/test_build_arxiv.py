"""End to end over arXiv: the real CLI, real HTTP, a local server speaking arXiv's Atom."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
from lxml import etree

from conftest import write
from fakeapi import FakeAPI
from fakeapi.arxiv import ArxivPaper
from texview import as_arxiv_shows, rendered
from tridentbib.latex import from_latex
from tridentbib.names import parse_bibtex_names, parse_display_name

ATOM = "{http://www.w3.org/2005/Atom}"

LIST = """# Papers

## Tests

| Date    | Model Name | Paper Title | Link |
| ------- | ---------- | ----------- | ---- |
| 2022-02 | -          | Temperature Scaling Is Not Enough | [paper](https://arxiv.org/abs/2202.92139) |
| 2020-05 | -          | Hand-Eye Calibration | [paper](https://arxiv.org/pdf/2005.94124v2.pdf) |

- Plate zero points https://arxiv.org/abs/astro-ph/9204901
- A title that is "0": arXiv:2104.92255v1
- Workshop [proceedings](https://doi.org/10.48550/arXiv.1707.98567)
- Again the first one: [pdf](https://www.arxiv.org/pdf/2202.92139v1)
"""


def served_entries() -> dict[str, etree._Element]:
    """The fixture entries as the server sends them, parsed, keyed by canonical id."""
    entries = {}
    for versioned, xml in FakeAPI().arxiv.fixture_entries().items():
        root = etree.fromstring(
            f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">{xml}</feed>'.encode()
        )
        entries[re.sub(r"v\d+$", "", versioned)] = root.find(f"{ATOM}entry")
    return entries


def parse_bib(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {
        entry.key: {f.key: f.value for f in entry.fields} | {"ENTRYTYPE": entry.entry_type} for entry in library.entries
    }


def test_builds_one_entry_per_paper_with_the_texts_the_server_sent(cli, api, workdir):
    write(workdir / "list.md", LIST)
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    entries = parse_bib(workdir / "out.bib")
    by_eprint = {fields["eprint"]: fields for fields in entries.values()}
    assert list(by_eprint) == ["2202.92139", "2005.94124", "astro-ph/9204901", "2104.92255", "1707.98567"]
    served = served_entries()
    for ident, fields in by_eprint.items():
        entry = served[ident]
        assert fields["ENTRYTYPE"] == "misc"
        # arXiv's text is TeX: what a reader sees of our field is what arXiv's own text renders as
        assert rendered(fields["title"]) == rendered(as_arxiv_shows(entry.findtext(f"{ATOM}title")))
        assert rendered(fields["abstract"]) == rendered(as_arxiv_shows(entry.findtext(f"{ATOM}summary")))
        sent_authors = [parse_display_name(a.findtext(f"{ATOM}name")) for a in entry.iterfind(f"{ATOM}author")]
        written = parse_bibtex_names(fields["author"])
        assert [(from_latex(n.family), from_latex(n.given)) for n in written] == [
            (n.family, n.given) for n in sent_authors
        ]
        assert fields["archivePrefix"] == "arXiv" and fields["eprinttype"] == "arxiv"
        assert fields["url"] == f"https://arxiv.org/abs/{ident}"
    assert by_eprint["2104.92255"]["title"] == "0"
    # all 34 authors, in order, with the non-ASCII name intact
    assert len(parse_bibtex_names(by_eprint["1707.98567"]["author"])) == 34
    assert "Brückner" in from_latex(by_eprint["1707.98567"]["author"])
    # one request for the whole list
    assert len(api.requests("arxiv")) == 1


def test_shape_of_an_arxiv_entry(cli, api, workdir):
    api.arxiv.add_paper(
        ArxivPaper(
            "2301.02111",
            version=1,
            title="Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers",
            authors=["Chengyi Wang", "Sanyuan Chen"],
            summary="We introduce VALL-E, 100% better & #1.",
            published="2023-01-05T18:59:05Z",
            primary_category="cs.CL",
            categories=["cs.CL", "cs.SD", "eess.AS"],
        )
    )
    write(
        workdir / "list.md",
        "| Date | Name | Link |\n|---|---|---|\n| 2023-01 | VALL-E | [paper](https://arxiv.org/abs/2301.02111) |\n",
    )
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    text = (workdir / "out.bib").read_text()
    assert text.startswith("@misc{wang2023neural,")
    fields = parse_bib(workdir / "out.bib")["wang2023neural"]
    assert fields["author"] == "Wang, Chengyi and Chen, Sanyuan"
    assert (fields["year"], fields["month"]) == ("2023", "jan")
    assert "month = jan," in text  # a macro, not a string
    assert fields["primaryClass"] == "cs.CL"
    assert fields["doi"] == "10.48550/arXiv.2301.02111"
    assert fields["abstract"] == r"We introduce VALL-E, 100\% better \& \#1."


def test_journal_doi_wins_over_the_arxiv_doi(cli, api, workdir):
    api.arxiv.add_paper(
        ArxivPaper(
            "2101.00001", title="Published Work", doi="10.1109/TASLP.2022.1234567", journal_ref="IEEE TASLP 30 (2022)"
        )
    )
    write(workdir / "list.md", "- https://arxiv.org/abs/2101.00001\n")
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    (fields,) = parse_bib(workdir / "out.bib").values()
    assert fields["doi"] == "10.1109/TASLP.2022.1234567"


def test_250_ids_take_three_requests_of_at_most_100(cli, api, workdir):
    ids = [f"2301.{n:05d}" for n in range(1, 251)]
    for ident in ids:
        api.arxiv.add_paper(ArxivPaper(ident, title=f"Paper number {ident}"))
    write(workdir / "list.md", "\n".join(f"- [paper](https://arxiv.org/abs/{i})" for i in ids) + "\n")
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    requests = api.requests("arxiv")
    sizes = [len(r.query["id_list"][0].split(",")) for r in requests]
    assert sizes == [100, 100, 50]
    assert all(r.query["max_results"] == [str(n)] for r, n in zip(requests, sizes, strict=False))
    assert len(parse_bib(workdir / "out.bib")) == 250


def test_requests_are_spaced_by_the_configured_delay(cli, api, workdir):
    for n in range(1, 251):
        api.arxiv.add_paper(ArxivPaper(f"2302.{n:05d}", title=f"Paper {n}"))
    write(workdir / "list.md", "\n".join(f"- https://arxiv.org/abs/2302.{n:05d}" for n in range(1, 251)) + "\n")
    assert cli("build", "list.md", "-o", "out.bib", env={"TRIDENTBIB_ARXIV_DELAY": "0.4"}).exit_code == 0
    starts = [r.started for r in api.requests("arxiv")]
    assert len(starts) == 3
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.39, gaps


def test_second_run_makes_no_request_and_writes_the_same_file(cli, api, workdir):
    write(workdir / "list.md", LIST)
    assert cli("build", "list.md", "-o", "first.bib").exit_code == 0
    api.clear_log()
    result = cli("build", "list.md", "-o", "second.bib")
    assert result.exit_code == 0
    assert api.requests() == []
    assert (workdir / "first.bib").read_text() == (workdir / "second.bib").read_text()
    assert "5 from cache" in result.stderr


def test_cache_files_are_readable_json_one_per_paper(cli, api, workdir):
    write(workdir / "list.md", LIST)
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    files = sorted(p.relative_to(workdir / "cache").as_posix() for p in (workdir / "cache" / "arxiv").glob("*.json"))
    assert files == [
        "arxiv/1707.98567.json",
        "arxiv/2005.94124.json",
        "arxiv/2104.92255.json",
        "arxiv/2202.92139.json",
        "arxiv/astro-ph%2F9204901.json",
    ]
    text = (workdir / "cache" / "arxiv" / "astro-ph%2F9204901.json").read_text()
    record = json.loads(text)
    assert text.startswith('{\n  "schema": 1,')  # pretty-printed
    assert record["service"] == "arxiv" and record["id"] == "astro-ph/9204901"
    assert record["record"]["authors"][0] == {"name": "Keiko Tanaka", "affiliations": ["Mount Corrie Observatory"]}
    assert record["record"]["journal_ref"] == "Ann.Fict.Astron.12:45-61,1992"
    assert record["fetched_at"].endswith("Z")
    assert "id_list=" in record["request"]


def test_offline_never_connects_and_reports_what_is_missing(cli, api, workdir):
    write(workdir / "list.md", LIST)
    result = cli("build", "list.md", "-o", "out.bib", "--offline")
    assert api.requests() == []
    assert result.exit_code == 1
    assert "offline and not in the cache" in result.stderr
    assert not (workdir / "out.bib").exists()


def test_offline_after_a_run_uses_the_cache(cli, api, workdir):
    write(workdir / "list.md", LIST)
    cli("build", "list.md", "-o", "online.bib")
    api.clear_log()
    result = cli("build", "list.md", "-o", "offline.bib", "--offline")
    assert result.exit_code == 0 and api.requests() == []
    assert (workdir / "online.bib").read_text() == (workdir / "offline.bib").read_text()


def test_refresh_fetches_again_and_picks_up_changes(cli, api, workdir):
    api.arxiv.add_paper(ArxivPaper("2101.00002", title="First title"))
    write(workdir / "list.md", "- https://arxiv.org/abs/2101.00002\n")
    cli("build", "list.md", "-o", "out.bib")
    api.arxiv.add_paper(ArxivPaper("2101.00002", version=2, title="Corrected title"))
    cli("build", "list.md", "-o", "out.bib")
    assert "First title" in (workdir / "out.bib").read_text()
    api.clear_log()
    result = cli("build", "list.md", "-o", "out.bib", "--refresh")
    assert result.exit_code == 0 and len(api.requests("arxiv")) == 1
    assert "Corrected title" in (workdir / "out.bib").read_text()


def test_unknown_id_is_reported_failed_never_invented(cli, api, workdir):
    write(workdir / "list.md", "- https://arxiv.org/abs/2202.92139\n- https://arxiv.org/abs/2212.99999\n")
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 1
    assert "list.md:2: failed: arxiv 2212.99999: arXiv has no paper with this id" in result.stderr
    assert [f["eprint"] for f in parse_bib(workdir / "out.bib").values()] == ["2202.92139"]


def test_classic_feed_format_parses_the_same(cli, api, workdir):
    paper = ArxivPaper(
        "2103.00003",
        title="A long title that the classic format used to wrap at eighty columns with an indent",
        summary="An abstract long enough to be wrapped by the classic format of the arXiv API, which broke lines at about eighty columns and indented the continuation.",
        authors=[("Dirk Wübben", ["Uni Bremen"])],
    )
    api.arxiv.add_paper(paper)
    api.arxiv.classic = True
    write(workdir / "list.md", "- https://arxiv.org/abs/2103.00003\n")
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    (fields,) = parse_bib(workdir / "out.bib").values()
    assert from_latex(fields["title"]) == paper.title
    assert from_latex(fields["abstract"]) == paper.summary
    assert from_latex(fields["author"]) == "Wübben, Dirk"


def test_summary_line_counts_links_and_lists_unsupported_lines(cli, api, workdir):
    write(workdir / "list.md", "- https://arxiv.org/abs/2202.92139\n- [blog](https://example.org/post)\n")
    result = cli("build", "list.md")
    assert result.exit_code == 0
    assert result.stdout.startswith("@misc{")  # no -o: standard output
    summary = result.stderr.splitlines()[0]
    assert "2 links (arxiv 1, other 1)" in summary
    assert "1 resolved" in summary and "0 failed" in summary
    assert "1 other link, not papers (see --report)" in summary  # a blog in prose is no paper: counted, not listed
    assert "not resolved" not in result.stderr and "example.org" not in result.stderr


def test_abstract_paragraphs_stay_paragraphs(cli, api, workdir):
    """arXiv starts each further paragraph on a new indented line; the .bib keeps a blank line there (LaTeX and Zotero read it as a paragraph)."""
    api.arxiv.add_paper(
        ArxivPaper(
            "2301.90001",
            title="Two Paragraphs",
            summary="First paragraph, wrapped\nonto a second line.\n  Second paragraph with 30\\% of the TeX.",
        )
    )
    write(workdir / "list.md", "- https://arxiv.org/abs/2301.90001\n")
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    (fields,) = parse_bib(workdir / "out.bib").values()
    assert (
        fields["abstract"] == "First paragraph, wrapped onto a second line.\n\nSecond paragraph with 30\\% of the TeX."
    )
