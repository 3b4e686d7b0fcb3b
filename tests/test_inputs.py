"""Inputs beyond Markdown: an existing .bib (kept, and filled in) and a plain list of ids."""

from __future__ import annotations

import bibtexparser

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.openreview import make_v2_note


def read_bib(path):
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def papers(api):
    api.arxiv.add_paper(
        ArxivPaper(
            "2101.00002",
            title="Sparse Attention for Speech",
            authors=["Ada Lovelace"],
            published="2021-01-04T18:00:00Z",
            summary="Sparse is fast.",
        )
    )
    api.arxiv.add_paper(
        ArxivPaper(
            "2101.00003", title="Tokenizers All the Way Down", authors=["Alan Turing"], published="2021-01-04T18:00:00Z"
        )
    )
    api.arxiv.add_paper(
        ArxivPaper(
            "2101.00004",
            title="Benchmarks Considered Harmful",
            authors=["Grace Hopper"],
            published="2021-01-04T18:00:00Z",
        )
    )
    api.openreview.add_v2(
        make_v2_note(
            "Acc3pt3d01",
            "HALL-E: Hierarchical Neural Codec Language Model",
            ["Yuto Nishimura"],
            venue="ICLR 2025 Poster",
            venueid="ICLR.cc/2025/Conference",
        )
    )
    api.acl.load_fixtures()


IDS = """# papers we cite; one per line
2101.00002
arXiv:2101.00003v2   # trailing comments are fine

https://openreview.net/forum?id=Acc3pt3d01
P19-1907
doi:10.48550/arXiv.2101.00004
https://arxiv.org/abs/2101.00002
not an id at all
"""


def test_a_plain_list_of_ids_and_urls(cli, api, workdir):
    papers(api)
    write(workdir / "papers.txt", IDS)
    result = cli("build", "papers.txt", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.output
    out = read_bib(workdir / "out.bib")
    assert list(out) == [
        "lovelace2021sparse",
        "turing2021tokenizers",
        "nishimura2025hall",
        "brandt-etal-2019-lexical",
        "hopper2021benchmarks",
    ]
    assert "7 links (arxiv 4, acl 1, openreview 1, other 1)" in result.stderr
    assert "1 duplicates merged" in result.stderr
    assert (
        "1 paper link not resolved (listed below)" in result.stderr
    )  # every line of an id list is meant to be a paper
    assert "  papers.txt:9: not supported: not an id at all: " in result.stderr
    assert [len(r.query["id_list"][0].split(",")) for r in api.requests("arxiv")] == [3]


def test_ids_files_by_extension_and_a_bad_id(cli, api, workdir):
    papers(api)
    write(workdir / "more.ids", "openreview:Acc3pt3d01\nacl:P19-1907\narxiv:9999.99999\n")
    result = cli("build", "more.ids", "-o", "out.bib")
    assert result.exit_code == 1
    assert "more.ids:3: rejected: arxiv:9999.99999" in result.stderr
    assert list(read_bib(workdir / "out.bib")) == ["nishimura2025hall", "brandt-etal-2019-lexical"]


BIB = r"""@string{icassp = "Proc. ICASSP"}
@preamble{"\providecommand{\noopsort}[1]{}"}

% our own entries, as we like them
@article{our-sparse,
  title = {Sparse Attention for {S}peech},
  author = {Lovelace, A.},
  journal = {arXiv preprint arXiv:2101.00002},
  year = 2021,
}

@inproceedings{handmade,
  title = {A Workshop Talk},
  author = {Doe, Jane},
  booktitle = icassp,
  year = {2020},
}

@inproceedings{tok,
  title = {Tokenizers},
  booktitle = {Proceedings of Something},
  url = {https://arxiv.org/abs/2101.00003v1},
}

@misc{hall-e, eprint = {Acc3pt3d01}, archivePrefix = {OpenReview}, url = {https://openreview.net/forum?id=Acc3pt3d01}}

@misc{gone, title = {Withdrawn}, eprint = {2212.99999}, archivePrefix = {arXiv}}
"""


def test_a_bib_input_keeps_every_entry_and_fills_in_what_is_missing(cli, api, workdir):
    papers(api)
    write(workdir / "refs.bib", BIB)
    result = cli("build", "refs.bib", "-o", "out.bib")
    assert result.exit_code == 1  # "gone" names an id arXiv does not know
    assert "refs.bib:27: failed: arxiv 2212.99999" in result.stderr
    text = (workdir / "out.bib").read_text()
    assert text.startswith('@preamble{"\\providecommand{\\noopsort}[1]{}"}\n\n@article{our-sparse,')
    out = read_bib(workdir / "out.bib")
    assert list(out) == ["our-sparse", "handmade", "tok", "hall-e", "gone"]
    sparse = out["our-sparse"]
    # the user's fields, exactly as written
    assert sparse["ENTRYTYPE"] == "article"
    assert (sparse["title"], sparse["author"], sparse["journal"], sparse["year"]) == (
        "Sparse Attention for {S}peech",
        "Lovelace, A.",
        "arXiv preprint arXiv:2101.00002",
        "2021",
    )
    # ... and what the record adds
    assert (sparse["eprint"], sparse["archivePrefix"], sparse["url"]) == (
        "2101.00002",
        "arXiv",
        "https://arxiv.org/abs/2101.00002",
    )
    assert sparse["abstract"] == "Sparse is fast." and sparse["month"] == "jan"
    # "arXiv preprint arXiv:ID" names no venue: the preprint's own DOI is filled in (one fill-in rule with blocks)
    assert sparse["doi"] == "10.48550/arXiv.2101.00002"
    assert out["handmade"] == {
        "title": "A Workshop Talk",
        "author": "Doe, Jane",
        "booktitle": "Proc. ICASSP",
        "year": "2020",
        "ENTRYTYPE": "inproceedings",
    }
    assert out["tok"]["title"] == "Tokenizers" and out["tok"]["author"] == "Turing, Alan"
    assert out["tok"]["url"] == "https://arxiv.org/abs/2101.00003v1"
    assert out["hall-e"]["title"] == "{HALL-E}: Hierarchical Neural Codec Language Model"
    assert out["hall-e"]["ENTRYTYPE"] == "misc" and out["hall-e"]["archivePrefix"] == "OpenReview"
    assert out["gone"] == {"title": "Withdrawn", "eprint": "2212.99999", "archivePrefix": "arXiv", "ENTRYTYPE": "misc"}
    # a second run asks nothing
    api.clear_log()
    cli("build", "refs.bib", "-o", "again.bib")
    assert api.requests() == [] and (workdir / "again.bib").read_text() == text


def test_several_inputs_make_one_file_and_a_paper_in_two_inputs_once(cli, api, workdir):
    papers(api)
    write(
        workdir / "list.md",
        "- [Sparse](https://arxiv.org/abs/2101.00002)\n- [Bench](https://arxiv.org/abs/2101.00004)\n",
    )
    write(
        workdir / "refs.bib",
        "@misc{mine, note = {see https://arxiv.org/abs/2101.00002}}\n\n@book{knuth, title = {The Art}, author = {Knuth, Donald}}\n",
    )
    write(workdir / "ids.txt", "2101.00003\n")
    result = cli("build", "list.md", "refs.bib", "ids.txt", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    out = read_bib(workdir / "out.bib")
    assert list(out) == ["mine", "hopper2021benchmarks", "knuth", "turing2021tokenizers"]
    assert out["mine"]["note"] == "see https://arxiv.org/abs/2101.00002"
    assert out["mine"]["title"] == "Sparse Attention for Speech"
    assert len(api.requests("arxiv")) == 1
    assert cli("check", "list.md", "refs.bib", "ids.txt", "out.bib", "--offline").exit_code == 0


def test_a_broken_bib_input_is_refused_with_its_line(cli, api, workdir):
    write(workdir / "bad.bib", "@misc{a, title = {fine}}\n\n@misc{b,\n  title = {never closed\n")
    result = cli("build", "bad.bib", "-o", "out.bib")
    assert result.exit_code == 2
    assert "bad.bib:3: cannot parse this BibTeX block" in result.stderr
    write(workdir / "dup.bib", "@misc{a, title = {one}}\n@misc{a, title = {two}}\n")
    result = cli("build", "dup.bib", "-o", "out.bib")
    assert result.exit_code == 2 and "dup.bib:2: entry key 'a' is used twice" in result.stderr
    assert api.requests() == []
