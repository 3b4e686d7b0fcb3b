"""NeurIPS proceedings hash links: the link forms, the site's BibTeX through the real CLI, a 404, warm and offline runs."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.neurips import NeuripsPaper
from tridentbib.identifiers import Kind, PaperId, classify_url, is_valid_id
from tridentbib.latex import from_latex
from tridentbib.resolvers.neurips import from_neurips

H2020 = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
H2023 = "fedcba98765432100123456789abcdef"
LOST = "00000000000000000000000000000001"


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def table(*rows: tuple[str, str]) -> str:
    lines = ["## Papers", "", "| Date | Paper Title | Link |", "|---|---|---|"]
    lines += [f"| 2021-06 | {title} | [paper]({url}) |" for title, url in rows]
    return "\n".join(lines) + "\n"


# -- links -> ids ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, ident",
    [
        (f"https://proceedings.neurips.cc/paper/2020/hash/{H2020}-Abstract.html", f"2020/{H2020}"),
        (f"https://proceedings.neurips.cc/paper/2020/file/{H2020}-Paper.pdf", f"2020/{H2020}"),
        (f"https://proceedings.neurips.cc//paper/2020/file/{H2020}-Paper.pdf", f"2020/{H2020}"),  # double slash
        (f"https://papers.nips.cc/paper/2020/hash/{H2020}-Abstract.html", f"2020/{H2020}"),  # same paper
        (f"http://papers.nips.cc/paper/2020/file/{H2020.upper()}-Paper.pdf", f"2020/{H2020}"),
        (f"https://proceedings.neurips.cc/paper_files/paper/2020/file/{H2020}-Bibtex.bib", f"2020/{H2020}"),
        (f"https://proceedings.neurips.cc/paper_files/paper/2019/file/{H2020}-Metadata.json", f"2019/{H2020}"),
        (f"https://proceedings.neurips.cc/paper_files/paper/2020/file/{H2020}-Supplemental.zip", f"2020/{H2020}"),
        (
            f"https://proceedings.neurips.cc/paper_files/paper/2023/hash/{H2023}-Abstract-Conference.html",
            f"2023/{H2023}",
        ),
        (f"https://papers.nips.cc/paper_files/paper/2023/file/{H2023}-Paper-Conference.pdf", f"2023/{H2023}"),
        (
            f"https://proceedings.neurips.cc/paper_files/paper/2022/file/{H2023}-Supplemental-Conference.pdf",
            f"2022/{H2023}",
        ),
        (f"proceedings.neurips.cc/paper/1987/hash/{H2020}-Abstract.html", f"1987/{H2020}"),
    ],
)
def test_each_hash_link_form_names_year_and_hash(url, ident):
    assert classify_url(url) == PaperId(Kind.NEURIPS, ident)


@pytest.mark.parametrize(
    "url",
    [
        f"https://proceedings.neurips.cc.evil.com/paper/2020/hash/{H2020}-Abstract.html",  # look-alike hosts
        f"https://evilproceedings.neurips.cc/paper/2020/hash/{H2020}-Abstract.html",
        f"https://proceedings-neurips.cc/paper/2020/hash/{H2020}-Abstract.html",
        f"https://papers.nips.cc.example.org/paper/2020/hash/{H2020}-Abstract.html",
        "https://proceedings.neurips.cc/paper/2020/hash/abc-Abstract.html",  # bad hashes
        f"https://proceedings.neurips.cc/paper/2020/hash/{H2020[:-1]}-Abstract.html",
        f"https://proceedings.neurips.cc/paper/2020/hash/{H2020}0-Abstract.html",
        f"https://proceedings.neurips.cc/paper/2020/hash/{H2020[:-1]}g-Abstract.html",
        f"https://proceedings.neurips.cc/paper/2020/hash/{H2020}",
        f"https://proceedings.neurips.cc/paper/2020/hash/{H2020}-Slides.pdf",
        f"https://proceedings.neurips.cc/paper/1986/hash/{H2020}-Abstract.html",  # years 1987-2099
        f"https://proceedings.neurips.cc/paper/2100/hash/{H2020}-Abstract.html",
        f"https://proceedings.neurips.cc/paper/20２0/hash/{H2020}-Abstract.html",  # a full-width digit
        f"https://proceedings.neurips.cc/paper/2020/other/{H2020}-Abstract.html",
        f"https://proceedings.neurips.cc/paper/2020/hash/x/{H2020}-Abstract.html",
        # old /paper/NNNN-slug and by-source links are aliases now: tests/test_neurips_old_links.py
        "https://proceedings.neurips.cc/paper_files/paper/2020",  # a year's index
        "https://proceedings.neurips.cc/",
    ],
)
def test_look_alikes_bad_hashes_and_other_pages_name_no_neurips_paper(url):
    assert classify_url(url) is None


def test_the_id_grammar_is_year_slash_lowercase_hash():
    assert is_valid_id(Kind.NEURIPS, f"2020/{H2020}")
    for bad in (f"2020/{H2020.upper()}", f"2020-{H2020}", H2020, f"1986/{H2020}", f"2020/{H2020}/x", f"../{H2020}"):
        assert not is_valid_id(Kind.NEURIPS, bad)
    with pytest.raises(ValueError):
        PaperId(Kind.NEURIPS, f"2020/{H2020[:-1]}")


def test_shape_takes_the_sites_fields_and_links_the_abstract_page():
    entry = from_neurips(
        {"id": f"2020/{H2020}", "suffix": "", "key": "NEURIPS2020_0a1b2c3d", "fields": {"title": "T", "year": "2020"}}
    )
    assert entry.entry_type == "inproceedings" and entry.identity == {f"neurips:2020/{H2020}"}
    assert entry.fields["booktitle"] == "Advances in Neural Information Processing Systems"
    assert entry.fields["url"] == f"https://proceedings.neurips.cc/paper_files/paper/2020/hash/{H2020}-Abstract.html"
    assert "pages" not in entry.fields and "doi" not in entry.fields


# -- end to end -----------------------------------------------------------------


@pytest.fixture
def papers(api):
    api.neurips.add(
        NeuripsPaper(
            2020,
            H2020,
            "Invented Few-Shot Learners",
            ['M{\\"u}ller, J{\\"u}rgen', "Example, Ann"],
            editors=["H. Invented and M. Editor"],
            pages="1877--1901",
            volume="33",
        )
    )
    api.neurips.add(NeuripsPaper(2023, H2023, "An Invented Conference Paper", ["Doe, Jane"], pages=None, volume="36"))
    return api


LINKS = (
    ("Invented Few-Shot Learners", f"https://papers.nips.cc/paper/2020/hash/{H2020}-Abstract.html"),
    (
        "An Invented Conference Paper",
        f"https://proceedings.neurips.cc/paper_files/paper/2023/file/{H2023}-Paper-Conference.pdf",
    ),
)


def test_hash_links_build_the_sites_entries_then_replay_warm_and_offline(cli, papers, workdir):
    write(
        workdir / "l.md",
        table(*LINKS, ("Same paper again", f"https://proceedings.neurips.cc/paper/2020/file/{H2020}-Paper.pdf")),
    )
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    out = {fields["title"]: fields for fields in entries(workdir / "out.bib").values()}
    assert len(out) == 2

    brown = next(f for t, f in out.items() if "Few-Shot" in t)
    assert brown["ENTRYTYPE"] == "inproceedings"
    assert from_latex(brown["title"]) == "Invented Few-Shot Learners"
    assert from_latex(brown["author"]) == "Müller, Jürgen and Example, Ann"
    assert brown["booktitle"] == "Advances in Neural Information Processing Systems"
    assert (brown["volume"], brown["pages"], brown["year"]) == ("33", "1877--1901", "2020")
    assert (brown["editor"], brown["publisher"]) == ("H. Invented and M. Editor", "Curran Associates, Inc.")
    assert brown["url"] == f"https://proceedings.neurips.cc/paper_files/paper/2020/hash/{H2020}-Abstract.html"
    assert "doi" not in brown

    conference = next(f for t, f in out.items() if "Conference" in t)
    assert (conference["volume"], conference["year"]) == ("36", "2023") and "pages" not in conference
    assert conference["url"].endswith(f"/2023/hash/{H2023}-Abstract-Conference.html")

    assert [r.subpath for r in papers.requests("neurips")] == [
        f"/paper_files/paper/2020/file/{H2020}-Bibtex.bib",
        f"/paper_files/paper/2023/file/{H2023}-Bibtex-Conference.bib",
    ]
    report = json.loads((workdir / "r.json").read_text())
    assert report["requests"]["neurips"] == 2
    assert len(list((workdir / "cache" / "neurips").iterdir())) == 2

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
    assert stats.exit_code == 0 and "neurips" in stats.output
    assert papers.requests() == []


def test_a_hash_the_site_does_not_know_is_a_named_failure_with_a_context_entry(cli, api, workdir):
    url = f"https://proceedings.neurips.cc/paper_files/paper/2022/hash/{LOST}-Abstract-Conference.html"
    write(workdir / "l.md", table(("An Invented Lost Paper", url)))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert f"neurips 2022/{LOST}: the NeurIPS proceedings have no paper with this year and hash" in result.stderr
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["url"] == url and from_latex(fields["title"]) == "An Invented Lost Paper"
    (link,) = json.loads((workdir / "r.json").read_text())["links"]
    assert link["outcome"] == "failed" and "entry built from the list's row" in link["reason"]
    assert [r.subpath for r in api.requests("neurips")] == [
        f"/paper_files/paper/2022/file/{LOST}-Bibtex-Conference.bib",  # both forms, from 2022
        f"/paper_files/paper/2022/file/{LOST}-Bibtex.bib",
    ]
    # the negative answer is cached: the next run asks nobody
    api.clear_log()
    cli("build", "l.md", "-o", "out.bib")
    assert api.requests() == []


def test_an_outage_is_not_cached(cli, papers, workdir):
    from fakeapi import Fault

    papers.fail_always("neurips", Fault.status(503))
    write(workdir / "l.md", table(LINKS[0]))
    result = cli(
        "build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1"}
    )
    assert "1 failed" in result.stderr and "HTTP 503" in result.stderr
    folder = workdir / "cache" / "neurips"
    assert not folder.exists() or not any(folder.iterdir())
