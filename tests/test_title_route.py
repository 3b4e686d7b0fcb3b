"""The title route (#16 items 5 and 6): items no service resolves, found by their own title, never by a guess.

Through the real CLI against the fakes: S2 -> arXiv / DOI, dblp -> DOI, arXiv title
search, the rejections (generic title, another first author, two candidates, the book),
"the link names another paper", warm and offline replays, S2 refusing. Unit tests of
the hint parser and the identity rules on inline values.
"""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.crossref import make_work
from fakeapi.dblp import DblpRecord
from fakeapi.neurips import NeuripsPaper
from fakeapi.s2 import S2Paper, s2_rate_limit_fault
from tridentbib.latex import from_latex, normalize_title
from tridentbib.steps.identity import Found, Hints, check, decide, hints_of, names_another_paper

LAB = "https://lab.example.edu/~ann/papers"


def entries(path) -> list[dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return [{f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type, "KEY": e.key} for e in library.entries]


def bullets(*lines: str) -> str:
    return "# Papers\n\n" + "\n".join(f"- {line}" for line in lines) + "\n"


def run(cli, workdir, text: str, *flags: str, env: dict[str, str] | None = None):
    write(workdir / "list.md", text)
    result = cli("build", "list.md", "-o", "out.bib", "--report", "r.json", *flags, env=env)
    report = json.loads((workdir / "r.json").read_text())
    return result, entries(workdir / "out.bib") if (workdir / "out.bib").exists() else [], report


# -- hints ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, text, date, expected",
    [
        (
            "How portable are invented features?",
            "How portable are invented features? (2014), J. Inventor et al. [pdf]",
            "2014",
            dict(year=2014, first_author="inventor", authors=(), venue="", book=False),
        ),
        (
            "Deep learning",
            "Deep learning (Book, 2016), Goodfriend et al. [html]",
            "2016",
            dict(year=2016, first_author="goodfriend", book=True),
        ),
        (
            "Deep learning",
            "Deep learning (2015), Y. Lecunn, Y. Bengi and G. Hintern [pdf]",
            "",
            dict(year=2015, first_author="lecunn", authors=("lecunn", "bengi", "hintern")),
        ),
        (
            "Non-local Invented Networks",
            "Non-local Invented Networks. CVPR 2018. paper Xiao Wangg, Ross Girsh.",
            "",
            dict(year=2018, venue="CVPR", first_author="wangg", authors=("wangg", "girsh")),
        ),
        (
            "Elements of Invented Multilinguality",
            "Elements of Invented Multilinguality. Philipp Düfter, Hinrich Schütz. EMNLP 2020. [pdf]",
            "",
            dict(year=2020, venue="EMNLP", authors=("dufter", "schutz")),
        ),
        ("Graph Invented Networks", "Graph Invented Networks. NeurIPS 2019. paper", "", dict(venue="NeurIPS")),
        ("A title alone", "A title alone [pdf]", "", dict(year=None, first_author="", venue="", book=False)),
    ],
)
def test_hints_from_the_items_own_text(title, text, date, expected):
    hints = hints_of(title, text, date)
    for name, value in expected.items():
        assert getattr(hints, name) == value, name


def test_the_bullet_title_loses_a_book_tail_too(cli, api, workdir):
    from tridentbib.sources.item_text import _title_of

    assert _title_of("Deep learning (Book, 2016), Goodfriend et al.", []) == "Deep learning"


def test_normalize_title_joins_soft_hyphens_and_reads_ampersands_as_and():
    assert normalize_title("How trans\u00adferable are Features & Things\ufffc.") == normalize_title(
        "How transferable are features and things"
    )
    assert normalize_title("Multi\u2010Stage Self\u2011Supervised") == normalize_title("Multi-Stage Self-Supervised")
    assert normalize_title("Fast R-CNN") != normalize_title("Fast RCNN")  # no fuzzing


# -- identity rules ---------------------------------------------------------------


LONG = "An Invented Study of Portable Features in Deep Networks"


def found(**values) -> Found:
    base = dict(source="S", ident="x", title=LONG, authors=("Ann Inventor", "Bo Second"), year=2014)
    return Found(**(base | values))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "hints, candidate, passed, why",
    [
        (Hints(LONG, 2014, "inventor"), found(), True, "first author Ann Inventor"),
        (Hints(LONG, 2015), found(), True, "year 2014"),  # within one year: preprint and proceedings
        (Hints(LONG + "s", 2014, "inventor"), found(), False, "another title"),
        (Hints(LONG, 2014, "other"), found(), False, "first author Ann Inventor, the list names other"),
        (Hints(LONG, 2004), found(), False, "year 2014, the list says 2004"),
        (Hints(LONG, 2014, book=True), found(), False, "not a book"),
        (Hints(LONG, 2014, venue="Nature"), found(venue="KDD"), False, "venue KDD"),
        (Hints(LONG, 2014, venue="NeurIPS"), found(venue="Neural Information Processing Systems"), True, "venue"),
        (Hints(LONG, None, "", ("inventor", "third", "fourth")), found(), False, "1 of the list's 3 authors"),
        (Hints(LONG), found(), False, "the list gives no author, year or venue"),  # a title alone: never
        (Hints("Deep learning"), found(title="Deep Learning"), False, "a short title"),  # generic: never alone
        (Hints("Deep learning", 2015, "lecunn"), found(title="Deep learning", authors=("Yan Lecunn",)), True, ""),
    ],
)
def test_identity_rules(hints, candidate, passed, why):
    verdict = check(hints, candidate)
    assert verdict.passed is passed and why in verdict.why, verdict.why


def test_two_passing_candidates_apply_none_but_a_preprint_beside_its_venue_is_one_work():
    hints = Hints(LONG, 2014)
    two = decide(hints, [found(ident="a"), found(ident="b")])
    assert two.chosen is None and all("ambiguous, 2 candidates pass" in r for r in two.rejected)
    preprint = decide(hints, [found(ident="corr", preprint=True), found(ident="conf")])
    assert (
        preprint.chosen is not None and preprint.chosen.ident == "conf" and "its preprint S corr" in preprint.evidence
    )


def test_the_link_names_another_paper_only_for_long_row_titles_that_share_few_words():
    assert names_another_paper("Conditional invented generation with pixel decoders", "Tree-structured invented RL")
    assert not names_another_paper("VALL-E", "Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers")
    assert not names_another_paper("Invented Few-Shot Learners", "Language Models are Invented Few-Shot Learners")
    assert not names_another_paper(
        "Language models are invented few-shot learners", "Language Models are Few-Shot Learners (invented)"
    )


# -- through the CLI -----------------------------------------------------------------


T1 = "An Invented Study of Portable Features in Deep Networks"
T2 = "Invented Residual Learning for Picture Recognition"
T3 = "Sequence to Invented Sequence Learning with Neural Nets"
T4 = "Invented Memory Networks for Long Sentences"


def test_lab_pdf_found_by_s2_then_written_from_arxiv_then_warm_and_offline_replay(cli, api, workdir):
    api.s2.add(
        S2Paper(
            "a" * 40,
            T1,
            {"ArXiv": "1411.1792", "DBLP": "conf/nips/X14"},
            venue="NeurIPS",
            year=2014,
            authors=["Ann Inventor"],
        )
    )
    api.arxiv.add_paper(
        ArxivPaper("1411.1792", title=T1, authors=[("Ann Inventor", [])], published="2014-11-06T00:00:00Z")
    )
    text = bullets(f"{T1} (2014), A. Inventor et al. [[pdf]]({LAB}/portable.pdf)")
    result, out, report = run(cli, workdir, text)
    assert result.exit_code == 0, result.output
    (entry,) = out
    assert from_latex(entry["title"]) == T1 and entry["eprint"] == "1411.1792"
    assert from_latex(entry["author"]) == "Inventor, Ann"
    (link,) = report["links"]
    assert link["outcome"] == "resolved" and "found by title: arxiv:1411.1792" in link["reason"]
    assert "first author Ann Inventor" in link["reason"]
    (decision,) = report["title_matches"]
    assert decision["applied"] == "arxiv:1411.1792" and "Semantic Scholar" in decision["evidence"]
    assert "title: list.md:3" in result.stderr and "arxiv:1411.1792" in result.stderr
    assert report["requests"]["s2"] == 1 and report["requests"]["arxiv"] == 1
    assert len(list((workdir / "cache" / "s2-match").iterdir())) == 1
    assert len(list((workdir / "cache" / "title-match").iterdir())) == 1

    api.clear_log()
    warm, out2, report2 = run(cli, workdir, text)
    assert warm.exit_code == 0 and api.requests() == [] and out2 == out
    assert report2["links"][0]["outcome"] == "cached"
    offline, out3, _r = run(cli, workdir, text, "--offline")
    assert offline.exit_code == 0 and api.requests() == [] and out3 == out


def test_s2_hit_with_a_doi_is_written_from_crossref(cli, api, workdir):
    doi = "10.1109/cvpr.2016.90"
    api.s2.add(S2Paper("b" * 40, T2, {"DOI": doi}, venue="CVPR", year=2016, authors=["Kai Hee", "Xi Zhang"]))
    api.crossref.add(
        make_work(
            doi,
            "proceedings-article",
            T2,
            [("Kai", "Hee"), ("Xi", "Zhang")],
            container=["2016 IEEE CVPR"],
            date=[2016, 6],
        )
    )
    result, out, report = run(cli, workdir, bullets(f"**{T2}.** CVPR 2016. [paper]({LAB}/resnet.pdf)"))
    assert result.exit_code == 0, result.output
    (entry,) = out
    assert entry["ENTRYTYPE"] == "inproceedings" and entry["doi"] == doi and entry["year"] == "2016"
    assert "doi:" + doi in report["title_matches"][0]["applied"]
    assert "venue CVPR" in report["title_matches"][0]["evidence"]


def test_s2_miss_then_dblp_hit_with_a_doi_then_crossref_and_the_empty_data_shape(cli, api, workdir):
    api.s2.no_match_as_empty_data = True
    doi = "10.5555/invented.2014.3104"
    api.dblp.add(DblpRecord(T3, ["Ilya Sutsk", "Oriol Vin"], "NIPS", 2014, doi=doi, ee=f"https://doi.org/{doi}"))
    api.dblp.add(DblpRecord(T3, ["Ilya Sutsk", "Oriol Vin"], "CoRR", 2014, ee="https://arxiv.org/abs/1409.3215"))
    api.crossref.add(make_work(doi, "proceedings-article", T3, [("Ilya", "Sutsk"), ("Oriol", "Vin")], date=[2014]))
    result, out, report = run(cli, workdir, bullets(f"{T3} (2014), I. Sutsk et al. [[pdf]]({LAB}/seq2seq.pdf)"))
    assert result.exit_code == 0, result.output
    (entry,) = out
    assert entry["doi"] == doi
    (decision,) = report["title_matches"]
    assert decision["applied"] == f"doi:{doi}" and "its preprint dblp" in decision["evidence"]
    assert "Semantic Scholar: Title match not found" in decision["rejected"]
    assert len(api.requests("arxiv")) == 0  # dblp answered: arXiv is not asked
    assert (workdir / "cache" / "s2-match").is_dir() and (workdir / "cache" / "dblp-search").is_dir()


def test_s2_and_dblp_miss_then_the_arxiv_title_search(cli, api, workdir):
    api.arxiv.add_paper(
        ArxivPaper("1503.08895", title=T4, authors=[("Sai Sukh", [])], published="2015-03-31T00:00:00Z")
    )
    result, out, report = run(cli, workdir, bullets(f"{T4} (2015), S. Sukh et al. [[pdf]]({LAB}/memnn.pdf)"))
    assert result.exit_code == 0, result.output
    (entry,) = out
    assert entry["eprint"] == "1503.08895"
    assert report["title_matches"][0]["applied"] == "arxiv:1503.08895"
    assert [r.subpath for r in api.requests("s2")] == ["/graph/v1/paper/search/match"]
    assert len(api.requests("dblp")) == 1


def test_s2_refusing_goes_on_to_dblp_without_a_traceback(cli, api, workdir):
    api.fail_always("s2", s2_rate_limit_fault())
    doi = "10.5555/invented.2015.1"
    api.dblp.add(DblpRecord(T4, ["Sai Sukh"], "NIPS", 2015, doi=doi, ee=f"https://doi.org/{doi}"))
    api.crossref.add(make_work(doi, "proceedings-article", T4, [("Sai", "Sukh")], date=[2015]))
    text = bullets(f"{T4} (2015), S. Sukh et al. [[pdf]]({LAB}/memnn.pdf)")
    result, out, report = run(cli, workdir, text, env={"TRIDENTBIB_MAX_RETRIES": "1"})
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and out[0]["doi"] == doi
    assert any("429" in r for r in report["title_matches"][0]["rejected"])
    assert not (workdir / "cache" / "s2-match").exists()  # an outage is never cached


def test_generic_title_without_corroboration_and_another_first_author_are_rejected(cli, api, workdir):
    api.s2.add(S2Paper("c" * 40, "Deep Learning", {"ArXiv": "1601.00001"}, venue="", year=2021, authors=["Some Body"]))
    api.s2.add(S2Paper("d" * 40, T1, {"ArXiv": "1411.1792"}, venue="", year=2014, authors=["Other Person"]))
    text = bullets(f"Deep learning [[pdf]]({LAB}/dl.pdf)", f"{T1} (2014), A. Inventor et al. [[pdf]]({LAB}/p.pdf)")
    result, out, report = run(cli, workdir, text)
    assert result.exit_code == 0, result.output
    assert [e["ENTRYTYPE"] for e in out] == ["misc", "misc"] and all("author" not in e for e in out)
    generic, other = report["title_matches"]
    assert not generic["applied"] and any("a short title" in r for r in generic["rejected"])
    assert not other["applied"] and any(
        "first author Other Person, the list names inventor" in r for r in other["rejected"]
    )
    reasons = [link["reason"] for link in report["links"]]
    assert all("not resolved" in r and "title route:" in r for r in reasons), reasons
    assert api.requests("arxiv") != []  # arXiv title search still tried after the rejections


def test_two_dblp_records_of_one_title_apply_none(cli, api, workdir):
    for venue, doi in (("ICML", "10.5555/a.1"), ("JMLR", "10.5555/b.2")):
        api.dblp.add(DblpRecord(T3, ["Ilya Sutsk"], venue, 2014, doi=doi, ee=f"https://doi.org/{doi}"))
    result, out, report = run(cli, workdir, bullets(f"{T3} (2014), I. Sutsk et al. [[pdf]]({LAB}/s.pdf)"))
    assert result.exit_code == 0, result.output
    assert out[0]["ENTRYTYPE"] == "misc" and not report["title_matches"][0]["applied"]
    assert sum("ambiguous, 2 candidates pass" in r for r in report["title_matches"][0]["rejected"]) == 2
    assert api.requests("crossref") == []


def test_deep_learning_the_article_and_the_book_stay_two_entries(cli, api, workdir):
    doi = "10.1038/invented14539"
    api.dblp.add(
        DblpRecord(
            "Deep learning",
            ["Yan Lecunn", "Yos Bengi", "Geo Hintern"],
            "Nat.",
            2015,
            type="Journal Articles",
            doi=doi,
            ee=f"https://doi.org/{doi}",
        )
    )
    api.dblp.add(
        DblpRecord(
            "Deep Learning",
            ["Ian Goodfriend", "Yos Bengi"],
            "Adaptive computation",
            2016,
            type="Books and Theses",
            doi="10.5555/book.1",
            ee="https://doi.org/10.5555/book.1",
        )
    )
    api.crossref.add(
        make_work(
            doi,
            "journal-article",
            "Deep learning",
            [("Yan", "Lecunn"), ("Yos", "Bengi"), ("Geo", "Hintern")],
            container=["Nature"],
            date=[2015, 5],
        )
    )
    text = bullets(
        f"Deep learning (Book, 2016), Goodfriend et al. [[html]]({LAB}/book.pdf)",
        f"Deep learning (2015), Y. Lecunn, Y. Bengi and G. Hintern [[pdf]]({LAB}/nature.pdf)",
    )
    result, out, report = run(cli, workdir, text)
    assert result.exit_code == 0, result.output
    assert len(out) == 2
    book, article = out
    assert book["ENTRYTYPE"] == "misc" and "author" not in book  # the book is known to dblp only: stays a context entry
    assert article["ENTRYTYPE"] == "article" and article["doi"] == doi
    book_decision = report["title_matches"][0]
    assert any(
        "links no id a service of ours resolves" in r or "10.5555/book.1" in r for r in book_decision["rejected"]
    )


H = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def test_a_neurips_link_that_names_another_paper_is_not_written_for_the_row(cli, api, workdir):
    api.neurips.add(NeuripsPaper(2016, H, "Tree-Structured Invented Reinforcement Learning", ["Doe, Jane"]))
    title = "Conditional Invented Generation with Pixel Decoders"
    api.s2.add(S2Paper("e" * 40, title, {"ArXiv": "1606.05328"}, venue="NeurIPS", year=2016, authors=["Aaron Oord"]))
    api.arxiv.add_paper(
        ArxivPaper("1606.05328", title=title, authors=[("Aaron Oord", [])], published="2016-06-16T00:00:00Z")
    )
    link = f"https://papers.nips.cc/paper/2016/file/{H}-Paper.pdf"
    result, out, report = run(cli, workdir, bullets(f"{title} (2016), A. Oord et al. [[pdf]]({link})"))
    assert result.exit_code == 0, result.output
    (entry,) = out
    assert from_latex(entry["title"]) == title and entry["eprint"] == "1606.05328"
    (outcome,) = report["links"]
    assert "the link names another paper (Tree-Structured Invented Reinforcement Learning)" in outcome["reason"]
    assert report["title_matches"][0]["applied"] == "arxiv:1606.05328"


def test_a_row_whose_title_cell_is_its_links_paper_keeps_the_record(cli, api, workdir):
    api.neurips.add(NeuripsPaper(2020, H, "Language Models are Invented Few-Shot Learners", ["Doe, Jane"]))
    table = "| Date | Paper Title | Link |\n|---|---|---|\n"
    table += f"| 2020-05 | Invented Few-Shot Learners | [paper](https://papers.nips.cc/paper/2020/hash/{H}-Abstract.html) |\n"
    result, out, report = run(cli, workdir, "# P\n\n" + table)
    assert result.exit_code == 0, result.output
    assert out[0]["ENTRYTYPE"] == "inproceedings" and report["title_matches"] == []
    assert api.requests("s2") == []


@pytest.mark.parametrize("offline", [True, False])
def test_a_title_cell_with_no_text_to_search_by_is_not_searched(cli, api, workdir, offline):
    # found by the hostile-Markdown property: a title cell of nothing but braces normalises to ""
    link = "https://proceedings.neurips.cc/paper/2020/hash/abc-Abstract.html"
    write(
        workdir / "l.md", f"| Date | Model Name | Paper Title | Link |\n|---|---|---|---|\n|  | {link} | {'{' * 40} |\n"
    )
    result = cli("build", "l.md", "-o", "out.bib", *(["--offline"] if offline else []))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1) and (workdir / "out.bib").exists()
    assert [r for r in api.log if r.service in ("s2", "dblp", "arxiv")] == []
