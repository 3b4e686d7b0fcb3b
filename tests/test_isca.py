"""ISCA archive links: the link forms, the page's BibTeX block through the real CLI, a 404, warm and offline runs."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.crossref import make_work
from fakeapi.isca import IscaPaper
from tridentbib.identifiers import Kind, PaperId, classify_url, is_valid_id
from tridentbib.latex import from_latex
from tridentbib.resolvers.isca import bibtex_block, from_isca

ID = "interspeech_2021/doe21b_interspeech"
PAGE = f"https://www.isca-archive.org/{ID}.html"


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def table(*rows: tuple[str, str]) -> str:
    lines = ["## Papers", "", "| Date | Paper Title | Link |", "|---|---|---|"]
    lines += [f"| 2021-09 | {title} | [paper]({url}) |" for title, url in rows]
    return "\n".join(lines) + "\n"


# -- links -> ids ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, ident",
    [
        (PAGE, ID),
        (f"https://www.isca-archive.org/{ID}.pdf", ID),
        (f"http://isca-archive.org/{ID}.html", ID),
        (f"www.isca-archive.org/{ID}.html", ID),  # no scheme
        (f"https://www.isca-archive.org/{ID}.html#abstract", ID),
        ("https://www.isca-archive.org/ssw_2023/roe23_ssw.html", "ssw_2023/roe23_ssw"),  # other events
        ("https://www.isca-archive.org/odyssey_2022/kim22-x_odyssey.pdf", "odyssey_2022/kim22-x_odyssey"),
        ("https://www.isca-archive.org/Interspeech_2021/Doe21b_interspeech.html", ID),  # lower case, as the archive
        (f"https://www.isca-speech.org/archive/{ID}.html", ID),  # the old site: the same paper
        (f"http://isca-speech.org/archive/{ID}.html", ID),
        (f"https://www.isca-speech.org/archive/pdfs/{ID}.pdf", ID),
    ],
)
def test_each_archive_link_form_names_event_year_and_name(url, ident):
    assert classify_url(url) == PaperId(Kind.ISCA, ident)


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.isca-archive.org.evil.com/{ID}.html",  # look-alike hosts
        f"https://evilisca-archive.org/{ID}.html",
        f"https://isca-archive.com/{ID}.html",
        f"https://www.isca-speech.org.example.net/archive/{ID}.html",
        f"https://www.isca-archive.org/{ID}.bib",  # other files and pages
        f"https://www.isca-archive.org/{ID}",
        "https://www.isca-archive.org/interspeech_2021/index.html",
        "https://www.isca-archive.org/interspeech_2021/",
        "https://www.isca-archive.org/",
        "https://www.isca-archive.org/interspeech/doe21b_interspeech.html",  # no year
        "https://www.isca-archive.org/interspeech_1850/doe21b_interspeech.html",
        "https://www.isca-archive.org/interspeech_2021/doe21b.interspeech.html",  # a dot in the name
        "https://www.isca-archive.org/interspeech_２０21/doe21b_interspeech.html",  # full-width digits
        "https://www.isca-archive.org/interspeech_2021/x/doe21b_interspeech.html",
        "https://www.isca-archive.org/interspeech_2021/../../etc/passwd.html",  # traversal
        "https://www.isca-archive.org/interspeech_2021/%2e%2e/doe21b_interspeech.html",
        "https://www.isca-archive.org/..%2f..%2fetc/passwd.html",
        "https://www.isca-archive.org/interspeech_2021%2f..%2fsecret/x.html",
        f"https://www.isca-speech.org/{ID}.html",  # the old site only under /archive/
        f"https://www.isca-speech.org/archive/pdfs/{ID}.html",
        # the older numbered form names a number, not the archive's name: it stays a paper-host link
        "https://www.isca-speech.org/archive/Interspeech_2019/abstracts/1234.html",
        "https://www.isca-speech.org/archive/Interspeech_2019/pdfs/1234.pdf",
    ],
)
def test_look_alikes_traversal_and_other_pages_name_no_isca_paper(url):
    assert not isinstance(classify_url(url), PaperId)


def test_an_isca_doi_stays_a_doi():
    assert classify_url("https://doi.org/10.21437/Interspeech.2021-1234") == PaperId(
        Kind.DOI, "10.21437/interspeech.2021-1234"
    )


def test_the_id_grammar_is_strict_and_lower_case():
    assert is_valid_id(Kind.ISCA, ID) and is_valid_id(Kind.ISCA, "ssw_2023/roe23_ssw")
    for bad in (ID.upper(), "interspeech_2021", "interspeech_2021/", "interspeech/doe21", f"{ID}/x", "../x_2021/y"):
        assert not is_valid_id(Kind.ISCA, bad)
    for bad in ("interspeech_2021/index", "interspeech_2021/a.b", "interspeech_2021/-x", "x_2021/" + "a" * 60):
        assert not is_valid_id(Kind.ISCA, bad)
    with pytest.raises(ValueError):
        PaperId(Kind.ISCA, "interspeech_2021/../x")


# -- the page's BibTeX block, on inline values -------------------------------------


BLOCK = """@inproceedings{doe21b_interspeech,
  author={Jane Doe and Ann {de Example}},
  title={{An Invented Study of Pitch &amp; Pause}},
  year=2021,
  booktitle={Proc. Interspeech 2021},
  pages={101--105},
  doi={10.21437/Interspeech.2021-4242}
}"""


def test_the_block_is_found_in_a_page_and_css_at_rules_are_not_entries():
    page = f"<html><style>@page {{ margin: 1cm }} @media print {{ a {{ x: y }} }}</style><pre>{BLOCK}</pre><p>}}</p>"
    block = bibtex_block(page)
    assert block is not None and block.startswith("@inproceedings{doe21b_interspeech,") and block.endswith("}")
    assert "Pitch & Pause" in block  # entities decoded
    assert bibtex_block(BLOCK.replace("@inproceedings", "@INPROCEEDINGS").replace("\n", "<br>\n")).count("<br>") == 0
    assert bibtex_block("<style>@page { margin: 1cm }</style>") is None
    assert bibtex_block(BLOCK[:-1]) is None  # cut short


def test_shape_takes_the_archives_fields_and_the_doi_joins_the_identity():
    record = {
        "id": ID,
        "key": "doe21b_interspeech",
        "fields": {
            "author": "Jane Doe and Ann {de Example}",
            "title": "{An Invented Study}",
            "year": "2021",
            "booktitle": "Proc. Interspeech 2021",
            "pages": "101--105",
            "doi": "10.21437/Interspeech.2021-4242",
            "url": "https://elsewhere.example/x",
        },
    }
    entry = from_isca(record)
    assert entry.entry_type == "inproceedings" and entry.origin == "isca"
    assert entry.identity == {f"isca:{ID}", "doi:10.21437/interspeech.2021-4242"}
    assert entry.fields["booktitle"] == "Proc. Interspeech 2021" and entry.fields["pages"] == "101--105"
    assert entry.fields["doi"] == "10.21437/Interspeech.2021-4242"
    assert entry.fields["url"] == PAGE  # the public page, not the bib's url
    bare = from_isca({"id": ID, "key": "k", "fields": {"title": "T", "doi": "not a doi"}})
    assert bare.identity == {f"isca:{ID}"} and "doi" not in bare.fields and bare.fields["year"] == "2021"


# -- end to end -----------------------------------------------------------------


@pytest.fixture
def papers(api):
    api.isca.add(
        IscaPaper(
            "interspeech_2021",
            "doe21b_interspeech",
            "An Invented Study of Pitch & Pause",
            ["Jane Doe", "Ann {de Example}", 'J{\\"u}rgen M{\\"u}ller'],
            "4242",
            pages="101--105",
        )
    )
    api.isca.add(IscaPaper("ssw_2023", "roe23_ssw", "An Invented Speech Synthesis Workshop Paper", ["Rick Roe"], "7"))
    return api


def test_table_links_build_the_archives_entries_then_replay_warm_and_offline(cli, papers, workdir):
    write(
        workdir / "l.md",
        table(
            ("An Invented Study of Pitch & Pause", PAGE),
            ("An Invented Speech Synthesis Workshop Paper", "https://www.isca-archive.org/ssw_2023/roe23_ssw.pdf"),
            ("Same paper again", f"https://www.isca-archive.org/{ID}.pdf"),
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    out = {from_latex(fields["title"]): fields for fields in entries(workdir / "out.bib").values()}
    assert len(out) == 2

    study = out["An Invented Study of Pitch & Pause"]
    assert study["ENTRYTYPE"] == "inproceedings"
    assert from_latex(study["author"]) == "Jane Doe and Ann de Example and Jürgen Müller"
    assert (study["booktitle"], study["year"], study["pages"]) == ("Proc. Interspeech 2021", "2021", "101--105")
    assert study["doi"].lower() == "10.21437/interspeech.2021-4242"
    assert study["url"] == PAGE
    workshop = out["An Invented Speech Synthesis Workshop Paper"]
    assert (workshop["booktitle"], workshop["year"]) == ("Proc. SSW 2023", "2023")
    assert workshop["url"] == "https://www.isca-archive.org/ssw_2023/roe23_ssw.html"  # the page, not the PDF

    assert [r.subpath for r in papers.requests("isca")] == [f"/{ID}.html", "/ssw_2023/roe23_ssw.html"]
    report = json.loads((workdir / "r.json").read_text())
    assert report["requests"]["isca"] == 2
    assert len(list((workdir / "cache" / "isca").iterdir())) == 2

    # a warm run asks nothing and writes the same file
    papers.clear_log()
    assert cli("build", "l.md", "-o", "again.bib").exit_code == 0
    assert papers.requests() == []
    assert (workdir / "again.bib").read_text() == (workdir / "out.bib").read_text()

    # --offline replays the cache with zero requests
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert papers.requests() == []
    assert (workdir / "offline.bib").read_text() == (workdir / "out.bib").read_text()
    assert cli("check", "l.md", "out.bib", "--offline").exit_code == 0
    stats = cli("cache", "stats")
    assert stats.exit_code == 0 and "isca" in stats.output
    assert papers.requests() == []


def test_bullets_with_archive_links_and_old_site_links_reach_the_archive(cli, papers, workdir):
    write(
        workdir / "l.md",
        "# Speech\n\n"
        f"- [An Invented Study of Pitch & Pause](https://www.isca-speech.org/archive/{ID}.html), J. Doe et al. 2021.\n"
        "- **An Invented Speech Synthesis Workshop Paper** "
        "[pdf](https://www.isca-speech.org/archive/pdfs/ssw_2023/roe23_ssw.pdf)\n",
    )
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    out = {from_latex(fields["title"]): fields for fields in entries(workdir / "out.bib").values()}
    assert set(out) == {"An Invented Study of Pitch & Pause", "An Invented Speech Synthesis Workshop Paper"}
    assert out["An Invented Study of Pitch & Pause"]["url"] == PAGE  # the archive's page, not the old site's
    assert from_latex(out["An Invented Speech Synthesis Workshop Paper"]["author"]) == "Rick Roe"
    assert [r.subpath for r in papers.requests("isca")] == [f"/{ID}.html", "/ssw_2023/roe23_ssw.html"]
    outcomes = {link["url"]: link["outcome"] for link in json.loads((workdir / "r.json").read_text())["links"]}
    assert set(outcomes.values()) == {"resolved"}


@pytest.mark.parametrize("doi_first", [False, True])
def test_a_page_and_a_doi_link_to_the_same_paper_give_one_entry(cli, papers, workdir, doi_first):
    papers.crossref.add(
        make_work(
            "10.21437/Interspeech.2021-4242",
            "proceedings-article",
            "An Invented Study of Pitch & Pause",
            [("Jane", "Doe")],
            container=["Interspeech 2021"],
        )
    )
    rows = [
        ("An Invented Study of Pitch & Pause", PAGE),
        ("The same study by its DOI", "https://doi.org/10.21437/Interspeech.2021-4242"),
    ]
    write(workdir / "l.md", table(*(rows[::-1] if doi_first else rows)))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    (fields,) = entries(workdir / "out.bib").values()  # one entry either way; the first link's record is written
    assert fields["booktitle"] == ("Interspeech 2021" if doi_first else "Proc. Interspeech 2021")
    assert [r.subpath for r in papers.requests("isca")] == [f"/{ID}.html"]
    outcomes = [link["outcome"] for link in json.loads((workdir / "r.json").read_text())["links"]]
    assert outcomes == ["resolved", "merged"]


def test_a_name_the_archive_does_not_know_is_a_named_failure_with_a_context_entry(cli, api, workdir):
    url = "https://www.isca-archive.org/interspeech_2022/lost22_interspeech.html"
    write(workdir / "l.md", table(("An Invented Lost Paper", url)))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert "isca interspeech_2022/lost22_interspeech: the ISCA archive has no paper with this name" in result.stderr
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["url"] == url and from_latex(fields["title"]) == "An Invented Lost Paper"
    (link,) = json.loads((workdir / "r.json").read_text())["links"]
    assert link["outcome"] == "failed" and "entry built from the list's row" in link["reason"]
    assert [r.subpath for r in api.requests("isca")] == ["/interspeech_2022/lost22_interspeech.html"]
    # the negative answer is cached: the next run asks nobody
    api.clear_log()
    cli("build", "l.md", "-o", "out.bib")
    assert api.requests() == []


def test_a_page_without_a_bibtex_block_is_not_cached(cli, api, workdir):
    api.isca.add(IscaPaper("interspeech_2021", "odd21_interspeech", "An Odd Page", ["A. Odd"], "9", no_block=True))
    write(
        workdir / "l.md", table(("An Odd Page", "https://www.isca-archive.org/interspeech_2021/odd21_interspeech.html"))
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert "the ISCA archive's page shows no BibTeX block" in result.stderr
    folder = workdir / "cache" / "isca"
    assert not folder.exists() or not any(folder.iterdir())


def test_an_outage_is_not_cached(cli, papers, workdir):
    from fakeapi import Fault

    papers.fail_always("isca", Fault.status(503))
    write(workdir / "l.md", table(("An Invented Study of Pitch & Pause", PAGE)))
    result = cli(
        "build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1"}
    )
    assert "1 failed" in result.stderr and "HTTP 503" in result.stderr
    folder = workdir / "cache" / "isca"
    assert not folder.exists() or not any(folder.iterdir())
