"""OpenReview and ACL Anthology through the real CLI, and every other link accounted for."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.dblp import DblpRecord
from fakeapi.openreview import make_v1_note, make_v2_note
from tridentbib.latex import from_latex


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def table(*rows: tuple[str, str, str]) -> str:
    lines = ["## Papers", "", "| Date | Model Name | Paper Title | Link |", "|---|---|---|---|"]
    lines += [f"| {date} | - | {title} | [paper]({url}) |" for date, title, url in rows]
    return "\n".join(lines) + "\n"


@pytest.fixture
def notes(api):
    api.openreview.add_v2(
        make_v2_note(
            "Acc3pt3d01",
            "HALL-E: Hierarchical Neural Codec Language Model",
            ["Yuto Nishimura", "Takumi Hirose", "Ludwig van Beethoven"],
            abstract="We propose HALL-E.",
            venue="ICLR 2025 Poster",
            venueid="ICLR.cc/2025/Conference",
        )
    )
    api.openreview.add_v2(
        make_v2_note(
            "Rej3ct3d01",
            "A Rejected Codec",
            ["Ann Smith"],
            venue="Submitted to ICLR 2025",
            venueid="ICLR.cc/2025/Conference/Rejected_Submission",
        )
    )
    api.openreview.add_v2(
        make_v2_note(
            "W1thdrawn1",
            "A Withdrawn Codec",
            ["Bo Li"],
            venue="ICLR 2025 Conference Withdrawn Submission",
            venueid="ICLR.cc/2025/Conference/Withdrawn_Submission",
        )
    )
    api.openreview.add_v2(
        make_v2_note(
            "Und3rR3v01",
            "A Codec Under Review",
            ["Cy Young"],
            venue="Submitted to ICLR 2026",
            venueid="ICLR.cc/2026/Conference/Submission",
        )
    )
    api.openreview.add_v2(make_v2_note("R3plyN0te1", "Official Review", ["Reviewer"], forum="Acc3pt3d01"))
    api.openreview.add_v1(
        make_v1_note(
            "Old1Cl3ar1",
            "An ICLR 2022 Paper Served by API v1",
            ["Dee Dee"],
            abstract="Old but good.",
            venue="ICLR 2022 Poster",
            venueid="ICLR.cc/2022/Conference",
        )
    )
    return api


def test_every_openreview_link_form_and_decision_status(cli, notes, workdir):
    write(
        workdir / "l.md",
        table(
            ("2024-10", "HALL-E", "https://openreview.net/forum?id=Acc3pt3d01"),
            ("2024-10", "Rejected", "https://openreview.net/pdf?id=Rej3ct3d01"),
            ("2024-10", "Withdrawn", "https://openreview.net/attachment?id=W1thdrawn1&name=pdf"),
            ("2025-10", "Under review", "https://openreview.net/forum?id=Und3rR3v01&referrer=%5Bthe%20profile%5D"),
            ("2022-01", "Old", "https://openreview.net/notes?id=Old1Cl3ar1"),
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    out = entries(workdir / "out.bib")
    by_url = {fields["url"]: fields for fields in out.values()}
    accepted = by_url["https://openreview.net/forum?id=Acc3pt3d01"]
    assert accepted["ENTRYTYPE"] == "inproceedings"
    assert accepted["booktitle"] == "The Thirteenth International Conference on Learning Representations"
    assert (accepted["year"], accepted["publisher"]) == ("2025", "OpenReview.net")
    assert accepted["author"] == "Nishimura, Yuto and Hirose, Takumi and van Beethoven, Ludwig"
    assert accepted["abstract"] == "We propose HALL-E."
    for ident, status in (("Rej3ct3d01", "not accepted"), ("W1thdrawn1", "withdrawn"), ("Und3rR3v01", "under review")):
        fields = by_url[f"https://openreview.net/forum?id={ident}"]
        assert fields["ENTRYTYPE"] == "misc" and status in fields["howpublished"]
        assert "booktitle" not in fields and "publisher" not in fields
    old = by_url["https://openreview.net/forum?id=Old1Cl3ar1"]  # v2 did not know it; v1 did
    assert old["booktitle"] == "The Tenth International Conference on Learning Representations"
    assert old["abstract"] == "Old but good."
    assert len(notes.requests("openreview2")) == 1  # one ids= batch
    assert len(notes.requests("openreview1")) == 1


def test_a_reply_link_resolves_to_its_forum_paper(cli, notes, workdir):
    write(workdir / "l.md", "- [review](https://openreview.net/forum?id=R3plyN0te1)\n")
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    (fields,) = entries(workdir / "out.bib").values()
    assert from_latex(fields["title"]) == "HALL-E: Hierarchical Neural Codec Language Model"
    assert fields["url"] == "https://openreview.net/forum?id=Acc3pt3d01"


def test_unknown_openreview_id_is_reported(cli, notes, workdir):
    write(workdir / "l.md", "- https://openreview.net/forum?id=N0Such1d00\n")
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 1
    assert "openreview N0Such1d00: OpenReview has no note with this id" in result.stderr


def test_challenge_without_credentials_falls_back_to_dblp_by_title(cli, notes, workdir):
    notes.openreview.require_auth = True
    notes.dblp.add(
        DblpRecord(
            "HALL-E: Hierarchical Neural Codec Language Model",
            ["Yuto Nishimura", "Takumi Hirose"],
            venue="ICLR",
            year=2025,
            ee="https://openreview.net/forum?id=Acc3pt3d01",
            key="conf/iclr/NishimuraH25",
        )
    )
    notes.dblp.add(
        DblpRecord(
            "HALL-E: Hierarchical Neural Codec Language Model",
            ["Somebody Else"],
            venue="CoRR",
            year=2024,
            ee="https://arxiv.org/abs/2410.00001",
            key="journals/corr/abs-2410-00001",
            type="Informal and Other Publications",
        )
    )
    write(
        workdir / "l.md",
        table(
            (
                "2024-10",
                "HALL-E: Hierarchical Neural Codec Language Model",
                "https://openreview.net/forum?id=Acc3pt3d01",
            )
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    assert len(notes.requests("openreview2")) == 1  # the challenge is never retried
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["ENTRYTYPE"] == "inproceedings"
    assert fields["booktitle"] == "The Thirteenth International Conference on Learning Representations"
    assert fields["url"] == "https://openreview.net/forum?id=Acc3pt3d01"
    # the dblp folder holds one shape for every path: the search as asked, every hit
    cached = json.loads((workdir / "cache" / "dblp" / "openreview%3AAcc3pt3d01.json").read_text(encoding="utf-8"))[
        "record"
    ]
    assert cached["query"] == "HALL-E: Hierarchical Neural Codec Language Model" and len(cached["hits"]) == 2
    # warm run: nothing asked again, same answer
    notes.clear_log()
    assert cli("build", "l.md", "-o", "again.bib").exit_code == 0
    assert notes.requests() == []
    assert (workdir / "again.bib").read_text() == (workdir / "out.bib").read_text()


def test_challenge_with_credentials_logs_in(cli, notes, workdir):
    notes.openreview.require_auth = True
    notes.openreview.users = {"me@example.org": "secret"}
    write(workdir / "l.md", "- https://openreview.net/forum?id=Acc3pt3d01\n")
    result = cli(
        "build",
        "l.md",
        "-o",
        "out.bib",
        env={"TRIDENTBIB_OPENREVIEW_USERNAME": "me@example.org", "TRIDENTBIB_OPENREVIEW_PASSWORD": "secret"},
    )
    assert result.exit_code == 0, result.stderr
    logins = [r for r in notes.requests("openreview2") if r.subpath == "/login"]
    assert len(logins) == 1
    note_calls = [r for r in notes.requests("openreview2") if r.subpath == "/notes"]
    assert all(r.headers.get("authorization", "").startswith("Bearer ") for r in note_calls)
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["ENTRYTYPE"] == "inproceedings"


def test_rate_limit_is_not_retried_and_falls_back_to_an_arxiv_twin(cli, notes, workdir):
    notes.openreview.rate_limited = True
    notes.arxiv.add_paper(
        ArxivPaper("2410.04380", title="HALL-E: Hierarchical Neural Codec Language Model", authors=["Yuto Nishimura"])
    )
    notes.arxiv.add_paper(
        ArxivPaper(
            "2410.04381", title="HALL-E: Hierarchical Neural Codec Language Models for Music", authors=["Other Person"]
        )
    )
    write(
        workdir / "l.md",
        table(
            (
                "2024-10",
                "HALL-E: Hierarchical Neural Codec Language Model",
                "https://openreview.net/forum?id=Acc3pt3d01",
            )
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    assert len(notes.requests("openreview2")) == 1
    assert "rate limit" not in result.stdout
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["eprint"] == "2410.04380"  # the exact title, not the near miss


def test_when_every_source_fails_the_row_becomes_a_context_entry(cli, notes, workdir):
    notes.openreview.require_auth = True
    write(
        workdir / "l.md", table(("2024-10", "A Paper Nobody Else Knows", "https://openreview.net/forum?id=Acc3pt3d01"))
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 1
    assert "ChallengeRequiredError" in result.stderr and "no dblp record" in result.stderr
    (fields,) = entries(workdir / "out.bib").values()
    assert (fields["ENTRYTYPE"], fields["title"], fields["year"], fields["month"]) == (
        "misc",
        "A Paper Nobody Else Knows",
        "2024",
        "oct",
    )


ACL_BIB = """@inproceedings{lu-etal-2024-make,
    title = "Make-A-Voice: Revisiting Voice Large Language Models as Scalable Multilingual and Multitask Learners",
    author = "Huang, Rongjie  and
      Zhang, Chunlei",
    editor = "Ku, Lun-Wei  and
      Martins, Andre",
    booktitle = "Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)",
    month = aug,
    year = "2024",
    address = "Bangkok, Thailand",
    publisher = "Association for Computational Linguistics",
    url = "https://aclanthology.org/2024.acl-long.589/",
    doi = "10.18653/v1/2024.acl-long.589",
    pages = "10929--10942",
}
"""


@pytest.mark.parametrize(
    "url",
    [
        "https://aclanthology.org/2024.acl-long.589/",
        "https://aclanthology.org/2024.acl-long.589.pdf",
        "https://aclanthology.org/2024.acl-long.589v2.pdf",
        "https://aclanthology.org/2024.acl-long.589.bib",
        "https://doi.org/10.18653/v1/2024.acl-long.589",
    ],
)
def test_acl_links_keep_the_anthology_record_as_written(cli, api, workdir, url):
    api.acl.add("2024.acl-long.589", ACL_BIB)
    write(workdir / "l.md", f"- [paper]({url})\n")
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    text = (workdir / "out.bib").read_text()
    out = entries(workdir / "out.bib")
    fields = out["lu-etal-2024-make"]
    assert fields["editor"] == "Ku, Lun-Wei and Martins, Andre"
    assert fields["pages"] == "10929--10942" and fields["doi"] == "10.18653/v1/2024.acl-long.589"
    assert "month = aug," in text
    assert [r.subpath for r in api.requests("acl")] == ["/2024.acl-long.589.bib"]


def test_legacy_acl_links_and_real_anthology_exports(cli, api, workdir):
    api.acl.load_fixtures()
    write(
        workdir / "l.md",
        "- http://www.aclweb.org/anthology/P19-1907.pdf\n- https://aclanthology.org/J89-2902/\n- https://aclanthology.org/N13-1.pdf#page=784\n",
    )
    result = cli("build", "l.md", "-o", "out.bib")
    out = entries(workdir / "out.bib")
    assert set(out) == {"brandt-etal-2019-lexical", "orourke-1989-ordering"}
    assert out["orourke-1989-ordering"]["ENTRYTYPE"] == "article"
    assert "links a whole ACL volume, not a paper" in result.stderr
    assert result.exit_code == 1


def test_acl_challenge_page_is_detected_and_dblp_answers(cli, api, workdir):
    api.acl.challenge = True
    api.dblp.add(
        DblpRecord(
            "PyramidCodec: Hierarchical Codec for Long-form Music Generation in Audio Domain",
            ["Jianyi Chen", "Wei Xue"],
            venue="EMNLP (Findings)",
            year=2024,
            doi="10.18653/v1/2024.findings-emnlp.246",
            ee="https://doi.org/10.18653/v1/2024.findings-emnlp.246",
            pages="4253-4263",
        )
    )
    write(
        workdir / "l.md",
        table(
            (
                "2024-11",
                "PyramidCodec: Hierarchical Codec for Long-form Music Generation in Audio Domain",
                "https://aclanthology.org/2024.findings-emnlp.246.pdf",
            )
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["booktitle"] == "EMNLP (Findings)" and fields["pages"] == "4253--4263"


def test_unknown_acl_id_is_reported(cli, api, workdir):
    write(workdir / "l.md", "- https://aclanthology.org/2024.acl-long.9999/\n")
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 1
    assert "the ACL Anthology has no paper with this id" in result.stderr


def test_rows_without_a_supported_link_still_yield_entries_and_extra_urls_are_kept_with_their_paper(cli, api, workdir):
    api.arxiv.add_paper(ArxivPaper("2410.15316", title="Ichigo: Mixed-Modal Early-Fusion Realtime Voice Assistant"))
    write(
        workdir / "l.md",
        "| Date | Model Name | Paper Title | Link |\n|---|---|---|---|\n"
        "| 2024-11 | Ultravox | Ultravox: An open-weight alternative to GPT-4o Realtime | [Blog](https://www.ultravox.ai/blog/ultravox) |\n"
        "| 2024-10 | Ichigo | Ichigo | [paper](https://arxiv.org/abs/2410.15316), [code](https://github.com/homebrewltd/ichigo) |\n"
        "\n- [slides](https://drive.google.com/file/d/1/view)\n",
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    out = entries(workdir / "out.bib")
    blog = out["ultravox2024"]
    assert (blog["ENTRYTYPE"], blog["url"], blog["year"], blog["month"]) == (
        "misc",
        "https://www.ultravox.ai/blog/ultravox",
        "2024",
        "nov",
    )
    assert from_latex(blog["title"]) == "Ultravox: An open-weight alternative to GPT-4o Realtime"
    assert len(out) == 2  # the GitHub link is not a separate entry; the slides bullet is not a paper
    summary, *listed = result.stderr.splitlines()
    assert (
        "4 links" in summary
        and "1 paper link not resolved (listed below)" in summary
        and "2 other links, not papers (see --report)" in summary
    )
    assert listed == [
        "  l.md:3: context entry: https://www.ultravox.ai/blog/ultravox: not resolved: no supported API; entry built from the list's row"
    ]  # not the slides, not the code


def test_an_openreview_pdf_hash_link_in_a_table_row_becomes_a_context_entry(cli, api, workdir):
    sha = "498a49ec648cf7ee8d7981dc735c5422563e641b"  # the pdf of kT4nVq9RwE in tests/fixtures/openreview/
    write(
        workdir / "l.md",
        table(
            (
                "2024-10",
                "Sparse Mixture Decoders for Streaming Speech Translation",
                f"https://openreview.net/pdf/{sha}.pdf",
            )
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    assert api.requests() == []  # a file hash names no forum: nothing to ask
    (fields,) = entries(workdir / "out.bib").values()
    assert (fields["ENTRYTYPE"], fields["url"], fields["year"]) == (
        "misc",
        f"https://openreview.net/pdf/{sha}.pdf",
        "2024",
    )
    summary, line = result.stderr.splitlines()
    assert "1 paper link not resolved (listed below)" in summary
    assert line.startswith(f"  l.md:5: context entry: https://openreview.net/pdf/{sha}.pdf: ") and line.endswith(
        "; entry built from the list's row"
    )


def test_a_dblp_answer_cached_in_the_old_one_hit_shape_is_still_read():
    from tridentbib.identifiers import Kind, PaperId
    from tridentbib.lookup.fallback import _linking_hit

    paper = PaperId(Kind.OPENREVIEW, "Acc3pt3d01")
    hit = {"title": "T", "ee": ["https://openreview.net/forum?id=Acc3pt3d01"]}
    assert _linking_hit(paper, {"query": "T", **hit})["title"] == "T"  # older versions kept the matching hit itself
    assert _linking_hit(paper, {"query": "T", "hits": [{"title": "U", "ee": []}, hit]}) == hit
    assert _linking_hit(paper, {"query": "T", "hits": [{"title": "U", "ee": []}]}) is None
