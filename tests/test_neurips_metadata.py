"""NeurIPS to 2019: the paper's Metadata.json first (one request, with the abstract), the BibTeX after a 404."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi import Fault
from fakeapi.neurips import NeuripsPaper
from tridentbib.latex import from_latex
from tridentbib.resolvers.neurips import from_neurips, metadata_fields

H2014 = "0123456789abcdef0123456789abcdef"
H2019 = "89abcdef0123456789abcdef01234567"
H2020 = "fedcba9876543210fedcba9876543210"
ABSTRACT = "We invent 50% more data & show $O(n^2)$ costs."


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {from_latex(e["title"]): {f.key: f.value for f in e.fields} for e in library.entries}


def table(*rows: tuple[str, str]) -> str:
    lines = ["## Papers", "", "| Date | Paper Title | Link |", "|---|---|---|"]
    lines += [f"| 2014-12 | {title} | [paper]({url}) |" for title, url in rows]
    return "\n".join(lines) + "\n"


def abstract_link(year: int, digest: str) -> str:
    return f"https://papers.nips.cc/paper/{year}/hash/{digest}-Abstract.html"


def subpaths(api) -> list[str]:
    return [r.subpath for r in api.requests("neurips")]


# -- Metadata.json -> fields, on inline values ----------------------------------------


def test_metadata_fields_are_latex_safe_and_written_as_the_bibtex_writes_them():
    fields = metadata_fields(
        {
            "title": "Invented  Nets for Café Data",
            "abstract": f"  {ABSTRACT}\n\n Second paragraph. ",
            "authors": [
                {"given_name": "Jürgen", "family_name": "Müller", "institution": "Invented U"},
                {"given_name": "Jan", "family_name": "van der Berg", "institution": ""},
                {"given_name": "", "family_name": "", "institution": "nobody"},
            ],
            "book": "Advances in Neural Information Processing Systems 27",
            "publisher": "Curran Associates, Inc.",
            "volume": 27,
            "page_first": 1,
            "page_last": 9,
        }
    )
    assert from_latex(fields["title"]) == "Invented Nets for Café Data"
    assert from_latex(fields["author"]) == "Müller, Jürgen and van der Berg, Jan"
    assert fields["abstract"] == r"We invent 50\% more data \& show $O(n^2)$ costs. Second paragraph."
    assert (fields["volume"], fields["pages"], fields["publisher"]) == ("27", "1--9", "Curran Associates, Inc.")
    assert "editor" not in fields and "booktitle" not in fields and "year" not in fields


@pytest.mark.parametrize(
    "data, pages",
    [({"page_first": None, "page_last": None}, None), ({"page_first": "", "page_last": ""}, None), ({}, None)],
)
def test_a_paper_without_pages_has_no_pages(data, pages):
    assert metadata_fields({"title": "T", **data}).get("pages") == pages


def test_an_editor_list_in_the_json_is_used_when_there_is_one():
    fields = metadata_fields({"title": "T", "editor": ["Z. Ghahramani", "M. Welling"]})
    assert fields["editor"] == "Z. Ghahramani and M. Welling"
    fields = metadata_fields({"title": "T", "editors": [{"given_name": "Zoe", "family_name": "Invented"}]})
    assert fields["editor"] == "Invented, Zoe"


def test_a_record_cached_before_metadata_json_was_asked_shapes_as_before():
    old = {
        "id": f"2014/{H2014}",
        "suffix": "",
        "key": "NIPS2014_01234567",
        "fields": {"title": "T", "author": "Doe, Jane", "editor": "A. Editor", "pages": "1--9", "year": "2014"},
    }
    entry = from_neurips(old)
    assert entry.fields == {
        "title": "T",
        "author": "Doe, Jane",
        "editor": "A. Editor",
        "pages": "1--9",
        "year": "2014",
        "booktitle": "Advances in Neural Information Processing Systems",
        "url": f"https://proceedings.neurips.cc/paper_files/paper/2014/hash/{H2014}-Abstract.html",
    }
    assert from_neurips({**old, "source": "bibtex"}).fields == entry.fields


# -- through the CLI ------------------------------------------------------------------


def paper(**changes) -> NeuripsPaper:
    values = dict(
        year=2014,
        hash=H2014,
        title="How Invented are Features?",
        authors=['M{\\"u}ller, J{\\"u}rgen', "Example, Ann"],
        editors=[],
        pages="3320--3328",
        volume="27",
        abstract=ABSTRACT,
    )
    return NeuripsPaper(**(values | changes))


def test_a_2014_link_gets_the_abstract_from_metadata_json_in_one_request_then_replays(cli, api, workdir):
    api.neurips.add(paper())
    write(workdir / "l.md", table(("How Invented are Features?", abstract_link(2014, H2014))))
    assert cli("build", "l.md", "-o", "out.bib", "--report", "r.json").exit_code == 0
    assert subpaths(api) == [f"/paper_files/paper/2014/file/{H2014}-Metadata.json"]
    fields = entries(workdir / "out.bib")["How Invented are Features?"]
    assert from_latex(fields["abstract"]) == ABSTRACT and fields["abstract"].startswith(r"We invent 50\% more data \&")
    assert from_latex(fields["author"]) == "Müller, Jürgen and Example, Ann"
    assert (fields["pages"], fields["volume"], fields["year"]) == ("3320--3328", "27", "2014")
    (cached,) = (workdir / "cache" / "neurips").glob("*.json")
    record = json.loads(cached.read_text())["record"]
    assert record["source"] == "metadata" and record["metadata"]["abstract"] == ABSTRACT

    api.clear_log()
    assert cli("build", "l.md", "-o", "warm.bib").exit_code == 0
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert api.requests() == []
    out = (workdir / "out.bib").read_text()
    assert (workdir / "warm.bib").read_text() == out == (workdir / "offline.bib").read_text()


def test_the_metadata_entry_equals_the_bibtex_entry_of_the_same_paper_plus_its_abstract(cli, api, workdir):
    api.neurips.add(paper())
    write(workdir / "l.md", table(("How Invented are Features?", abstract_link(2014, H2014))))
    assert cli("build", "l.md", "-o", "meta.bib").exit_code == 0
    api.neurips.add(paper(metadata="missing"))
    assert cli("build", "l.md", "-o", "bib.bib", "--cache-dir", "other").exit_code == 0
    from_meta = entries(workdir / "meta.bib")["How Invented are Features?"]
    from_bib = entries(workdir / "bib.bib")["How Invented are Features?"]
    assert "abstract" not in from_bib
    assert {name: from_latex(value) for name, value in from_meta.items() if name != "abstract"} == {
        name: from_latex(value) for name, value in from_bib.items()
    }
    assert set(from_meta) == set(from_bib) | {"abstract"}


def test_a_metadata_404_or_a_body_that_is_no_json_falls_back_to_the_bibtex(cli, api, workdir):
    api.neurips.add(paper(metadata="missing", editors=["A. Editor"]))
    api.neurips.add(paper(hash=H2019, year=2019, title="An Invented Broken One", metadata="broken", volume="32"))
    write(
        workdir / "l.md",
        table(
            ("How Invented are Features?", abstract_link(2014, H2014)),
            ("An Invented Broken One", abstract_link(2019, H2019)),
        ),
    )
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    assert subpaths(api) == [
        f"/paper_files/paper/2014/file/{H2014}-Metadata.json",
        f"/paper_files/paper/2014/file/{H2014}-Bibtex.bib",
        f"/paper_files/paper/2019/file/{H2019}-Metadata.json",
        f"/paper_files/paper/2019/file/{H2019}-Bibtex.bib",
    ]
    out = entries(workdir / "out.bib")
    features, broken = out["How Invented are Features?"], out["An Invented Broken One"]
    assert "abstract" not in features and features["editor"] == "A. Editor"
    assert "abstract" not in broken and broken["volume"] == "32"
    api.clear_log()
    assert cli("build", "l.md", "-o", "warm.bib").exit_code == 0
    assert api.requests() == []


def test_from_2020_only_the_bibtex_is_asked(cli, api, workdir):
    api.neurips.add(paper(year=2020, hash=H2020, title="An Invented 2020 Paper", volume="33"))
    write(workdir / "l.md", table(("An Invented 2020 Paper", abstract_link(2020, H2020))))
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    assert subpaths(api) == [f"/paper_files/paper/2020/file/{H2020}-Bibtex.bib"]
    assert "abstract" not in entries(workdir / "out.bib")["An Invented 2020 Paper"]


def test_an_old_bibtex_record_in_the_cache_still_builds_its_entry(cli, api, workdir):
    api.neurips.add(paper(metadata="missing"))
    write(workdir / "l.md", table(("How Invented are Features?", abstract_link(2014, H2014))))
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    (cached,) = (workdir / "cache" / "neurips").glob("*.json")
    stored = json.loads(cached.read_text())
    del stored["record"]["source"]  # as written before Metadata.json was asked
    cached.write_text(json.dumps(stored))
    api.neurips.add(paper())  # the site has the JSON now: the cached record is still used
    api.clear_log()
    assert cli("build", "l.md", "-o", "again.bib").exit_code == 0
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert api.requests() == []
    out = (workdir / "out.bib").read_text()
    assert (workdir / "again.bib").read_text() == out == (workdir / "offline.bib").read_text()
    assert "abstract" not in entries(workdir / "again.bib")["How Invented are Features?"]


def test_an_old_link_of_2014_gets_the_abstract_too_and_replays_offline(cli, api, workdir):
    api.neurips.add(paper())
    write(workdir / "l.md", "- **How Invented are Features?** (2014) [[pdf]](http://papers.nips.cc/paper/5347-x.pdf)\n")
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    assert subpaths(api) == ["/paper_files/paper/2014", f"/paper_files/paper/2014/file/{H2014}-Metadata.json"]
    fields = entries(workdir / "out.bib")["How Invented are Features?"]
    assert from_latex(fields["abstract"]) == ABSTRACT
    assert fields["url"].endswith(f"/2014/hash/{H2014}-Abstract.html")
    record = json.loads((workdir / "cache" / "neurips" / "legacy%2F5347.json").read_text())["record"]
    assert (record["paper"], record["source"]) == (f"2014/{H2014}", "metadata")
    api.clear_log()
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert api.requests() == []
    assert (workdir / "offline.bib").read_text() == (workdir / "out.bib").read_text()


def test_a_metadata_outage_is_not_cached_and_asks_no_bibtex(cli, api, workdir):
    api.neurips.add(paper())
    api.fail_always("neurips", Fault.status(503))
    write(workdir / "l.md", table(("How Invented are Features?", abstract_link(2014, H2014))))
    result = cli(
        "build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1"}
    )
    assert "1 failed" in result.stderr and "HTTP 503" in result.stderr
    assert not any("-Bibtex" in path for path in subpaths(api))
    folder = workdir / "cache" / "neurips"
    assert not folder.exists() or not any(folder.iterdir())
