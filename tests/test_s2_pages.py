"""Semantic Scholar paper pages (#16 item 4): the linked paper's ids lead to the record of its own service."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.faults import Fault
from fakeapi.s2 import S2Paper
from tridentbib.identifiers import Kind, PaperId, classify_url

SHA = "2f3efe44083af91cef562c1a3451eee2f8601d22"
TITLE = "Invented Browser Assistance for Question Answering"
PAGE = f"https://www.semanticscholar.org/paper/Invented-Browser-Assistance-Nakamo-Hilto/{SHA}"


def entries(path) -> list[dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return [{f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries]


@pytest.mark.parametrize(
    "url, paper",
    [
        (PAGE, PaperId(Kind.S2, SHA)),
        (f"https://www.semanticscholar.org/paper/{SHA}", PaperId(Kind.S2, SHA)),
        (f"https://semanticscholar.org/paper/Some-Slug/{SHA.upper()}", PaperId(Kind.S2, SHA)),
        ("https://www.semanticscholar.org/author/Reiichiro-Nakano/2001234", None),
        (f"https://www.semanticscholar.org.evil.example/paper/{SHA}", None),
        ("https://www.semanticscholar.org/paper/Slug/not-a-sha", None),
    ],
)
def test_link_forms(url, paper):
    assert classify_url(url) == paper


def bullet(title: str = TITLE) -> str:
    return f"# Papers\n\n- **{title}.** R. Nakamo et al. 2021. [[paper]]({PAGE})\n"


def test_the_linked_s2_paper_leads_to_its_arxiv_record(cli, api, workdir):
    api.s2.add(S2Paper(SHA, TITLE, {"ArXiv": "2112.09332"}, year=2021, authors=["Reiichiro Nakamo", "Jacob Hilto"]))
    api.arxiv.add_paper(
        ArxivPaper(
            "2112.09332", title=TITLE, authors=["Reiichiro Nakamo", "Jacob Hilto"], published="2021-12-17T18:00:00Z"
        )
    )
    write(workdir / "l.md", bullet())
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.output
    (entry,) = entries(workdir / "out.bib")
    assert entry["eprint"] == "2112.09332" and entry["title"].strip("{}") == TITLE
    assert [r.subpath for r in api.requests("s2")] == [f"/graph/v1/paper/{SHA}"]  # by its id; no title match
    link = json.loads((workdir / "r.json").read_text())["links"][0]
    assert link["outcome"] == "resolved" and f"links Semantic Scholar paper {SHA}" in link["reason"]
    api.clear_log()
    assert cli("build", "l.md", "-o", "warm.bib").exit_code == 0
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert api.requests() == []
    assert (workdir / "offline.bib").read_text() == (workdir / "out.bib").read_text()
    assert (workdir / "warm.bib").read_text() == (workdir / "out.bib").read_text()
    api.clear_log()
    assert cli("cache", "prune", "l.md").exit_code == 0  # the S2 answer and the arXiv record are what the list needs
    assert cli("build", "l.md", "-o", "pruned.bib", "--offline").exit_code == 0
    assert (workdir / "pruned.bib").read_text() == (workdir / "out.bib").read_text()


def test_an_s2_page_of_another_paper_is_not_written_for_the_bullet(cli, api, workdir):
    api.s2.add(S2Paper(SHA, "A Different Invented Paper on Graphs", {"ArXiv": "2112.09332"}, year=2021))
    api.arxiv.add_paper(ArxivPaper("2112.09332", title="A Different Invented Paper on Graphs"))
    write(workdir / "l.md", bullet())
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    (entry,) = entries(workdir / "out.bib")
    assert entry["ENTRYTYPE"] == "misc" and "eprint" not in entry and entry["url"] == PAGE
    assert "the link names another paper (A Different Invented Paper on Graphs)" in result.output
    assert [r.param("id_list") for r in api.requests("arxiv") if r.param("id_list")] == []  # never resolved


def test_a_paper_s2_does_not_know_and_an_outage(cli, api, workdir):
    write(workdir / "l.md", bullet())
    result = cli("build", "l.md", "-o", "out.bib")
    (entry,) = entries(workdir / "out.bib")
    assert entry["ENTRYTYPE"] == "misc" and "Semantic Scholar: no paper with this id" in result.output
    assert (workdir / "cache" / "s2-paper" / f"{SHA}.json").exists()  # a "no such paper" answer is kept
    api.fail_always("s2", Fault.status(503))
    result = cli("build", "l.md", "-o", "again.bib", "--max-age", "0")
    assert "Traceback" not in result.output
    assert entries(workdir / "again.bib")[0]["ENTRYTYPE"] == "misc"
