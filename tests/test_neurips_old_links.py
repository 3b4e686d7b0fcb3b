"""Old NeurIPS links (``/paper/NNNN-slug``, ``/paper/by-source-YYYY-N``) through the year index by exact title.

The link forms and their aliases, the index page read leniently, the year a row
gives, and through the real CLI: the hash's full entry, ±1 year, the not-found and
no-year shapes, the slug that names another paper than its row, one index request
per year, warm and offline runs and an index outage. Titles, names and hashes are
invented.
"""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi import Fault
from fakeapi.neurips import NeuripsPaper
from tridentbib.identifiers import Kind, PaperId, classify_url, is_valid_id
from tridentbib.latex import from_latex
from tridentbib.model import Context
from tridentbib.resolvers.neurips import from_neurips
from tridentbib.resolvers.neurips_index import IndexPaper, parse_index, row_year

H_FEATURES = "1a2b3c4d5e6f708192a3b4c5d6e7f809"  # 2014
H_PIXELS = "2b3c4d5e6f708192a3b4c5d6e7f8091a"  # 2016
H_TREES = "3c4d5e6f708192a3b4c5d6e7f8091a2b"  # 2016
H_GRAPHS = "4d5e6f708192a3b4c5d6e7f8091a2b3c"  # 2019
H_OTHER = "5e6f708192a3b4c5d6e7f8091a2b3c4d"  # 2014
H_SHIFTED = "6f708192a3b4c5d6e7f8091a2b3c4d5e"  # 2015
NO_RETRY = {"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1"}


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def by_title(path) -> dict[str, dict[str, str]]:
    return {from_latex(fields["title"]): fields for fields in entries(path).values()}


def report_links(workdir) -> dict[str, dict]:
    links: dict[str, dict] = {}
    for link in json.loads((workdir / "r.json").read_text())["links"]:
        links.setdefault(link["url"], link)
    return links


# -- links -> aliases ------------------------------------------------------------


@pytest.mark.parametrize(
    "url, ident",
    [
        ("http://papers.nips.cc/paper/5347-how-invented-are-features-in-deep-networks", "legacy/5347"),
        ("http://papers.nips.cc/paper/5347-how-invented-are-features-in-deep-networks.pdf", "legacy/5347"),
        ("https://papers.nips.cc/paper/5347-how-invented-are-features-supplemental.zip", "legacy/5347"),
        ("https://papers.nips.cc/paper/5347-how-invented-are-features/bibtex", "legacy/5347"),
        ("https://papers.nips.cc/paper/5347-another-slug-entirely", "legacy/5347"),  # the slug is not identity
        ("https://proceedings.neurips.cc/paper/6527-invented_slug.pdf", "legacy/6527"),
        ("papers.nips.cc//paper/1-a", "legacy/1"),  # a doubled slash, no scheme
        ("https://papers.nips.cc/paper/999999-six-digits", "legacy/999999"),
        ("https://papers.nips.cc/paper/by-source-2019-1275", "bysource/2019-1275"),
        ("http://proceedings.neurips.cc/paper/by-source-2019-4956", "bysource/2019-4956"),
    ],
)
def test_old_link_forms_are_neurips_aliases(url, ident):
    assert classify_url(url) == PaperId(Kind.NEURIPS, ident)


@pytest.mark.parametrize(
    "url",
    [
        "https://papers.nips.cc.evil.com/paper/5347-how-invented",  # look-alike hosts
        "https://evilpapers.nips.cc/paper/5347-how-invented",
        "https://papers-nips.cc/paper/5347-how-invented",
        "https://papers.nips.cc/paper/5347",  # no slug
        "https://papers.nips.cc/paper/5347-",
        "https://papers.nips.cc/paper/05347-leading-zero",
        "https://papers.nips.cc/paper/1234567-seven-digits",
        "https://papers.nips.cc/paper/5347-how-invented.exe",
        "https://papers.nips.cc/paper/5347-how-invented/reviews",
        "https://papers.nips.cc/paper/5347-how-invented/bibtex/x",
        "https://papers.nips.cc/paper/5347-sl%20ug",  # a space
        "https://papers.nips.cc/paper/5347-sl%C3%BCg",  # a non-ASCII slug
        "https://papers.nips.cc/paper/5347-x..y",
        "https://papers.nips.cc/paper_files/paper/5347-how-invented",
        "https://papers.nips.cc/other/5347-how-invented",
        "https://papers.nips.cc/paper/by-source-2019-",
        "https://papers.nips.cc/paper/by-source-19-1275",
        "https://papers.nips.cc/paper/by-source-1986-1275",  # years 1987-2099
        "https://papers.nips.cc/paper/by-source-2019-01275",
        "https://papers.nips.cc/paper/by-source-2019-1234567",
        "https://papers.nips.cc/paper/by-source-2019-1275.pdf",
        "https://papers.nips.cc/paper/by-source-2019-1275/bibtex",
        "https://papers.nips.cc/book/advances-in-neural-information-processing-systems-27-2014",  # a volume page
        "https://papers.nips.cc/paper/2014",  # a year's page
    ],
)
def test_look_alikes_of_old_links_are_refused(url):
    assert classify_url(url) is None


def test_the_alias_grammar_is_strict():
    for good in ("legacy/5347", "legacy/1", "legacy/999999", "bysource/2019-1275", "bysource/1987-1"):
        assert is_valid_id(Kind.NEURIPS, good), good
    for bad in (
        "legacy/0",
        "legacy/05347",
        "legacy/1234567",
        "legacy/5347-slug",
        "legacy/",
        "Legacy/5347",
        "bysource/2019-0",
        "bysource/1986-1",
        "bysource/2019/1275",
        "bysource/2019-1275-x",
        "by-source-2019-1275",
        "legacy/5347/../x",
    ):
        assert not is_valid_id(Kind.NEURIPS, bad), bad


def test_an_alias_record_builds_the_hashs_entry_naming_both_ids():
    bib = {"suffix": "", "key": "NIPS2014_1a2b3c4d", "fields": {"title": "T", "author": "Doe, Jane", "year": "2014"}}
    by_hash = from_neurips({"id": f"2014/{H_FEATURES}", **bib})
    alias = from_neurips({"id": "legacy/5347", "paper": f"2014/{H_FEATURES}", "evidence": "equal title", **bib})
    assert alias.fields == by_hash.fields
    assert alias.fields["url"].endswith(f"/paper_files/paper/2014/hash/{H_FEATURES}-Abstract.html")
    assert alias.identity == {f"neurips:2014/{H_FEATURES}", "neurips:legacy/5347"}


# -- the year index, read leniently -----------------------------------------------


def test_the_index_reads_old_and_new_markup_entities_and_skips_other_links():
    page = f"""<html><body><h4>Advances in Neural Information Processing Systems 27 (NIPS 2014)</h4>
<ul>
<li><a href="/paper/2014/hash/{H_FEATURES}-Abstract.html">How Invented   are
 Features?</a> <i>Ann Example, Bo Sample</i></li>
<li class="none"><a title="paper title" href="/paper_files/paper/2014/hash/{H_OTHER.upper()}-Abstract.html">Caf&eacute; &amp; Bar: A &#39;Study&#39; of <b>Bold</b> Titles</a>
  <i>Chlo&euml; Example</i>
<li><a href="https://proceedings.neurips.cc/paper_files/paper/2014/hash/{H_PIXELS}-Abstract-Conference.html">An Absolute Link</a>
  <span class="paper-authors"><a href="/author/x">Dee Example</a>, Eve<br/> Example</span> [pdf]</li>
<li><a href="/paper_files/paper/2014/file/{H_TREES}-Paper.pdf">A PDF link is no entry</a></li>
<li><a href="/paper_files/paper/2015/hash/{H_SHIFTED}-Abstract.html">Another year's paper</a></li>
<li><a href="/paper_files/paper/2014/hash/{H_FEATURES}-Abstract.html">Listed twice</a></li>
<li><a href="/paper_files/paper/2014/hash/{H_GRAPHS}-Abstract.html">An unclosed link
"""
    assert parse_index(page, 2014) == [
        IndexPaper(H_FEATURES, "How Invented are Features?", ("Ann Example", "Bo Sample")),
        IndexPaper(H_OTHER, "Café & Bar: A 'Study' of Bold Titles", ("Chloë Example",)),
        IndexPaper(H_PIXELS, "An Absolute Link", ("Dee Example", "Eve Example"), "-Conference"),
        IndexPaper(H_GRAPHS, "An unclosed link", ()),
    ]


@pytest.mark.parametrize("page", ["", "<html><body><p>Service Unavailable</p>", "<<<>>>&&&;</a></li><li>", "\x00"])
def test_a_page_that_is_no_index_lists_no_paper_and_never_raises(page):
    assert parse_index(page, 2014) == []


# -- the year a row gives -----------------------------------------------------------


def bullet(text: str, title: str, date: str = "") -> Context:
    return Context("l.md", 1, title=title, text=text, date=date, paragraph=True)


@pytest.mark.parametrize(
    "row, year",
    [
        (bullet("How invented are features? (2014), J. Example et al. pdf", "How invented are features?"), 2014),
        (bullet("Invented features. NIPS 2014. pdf", "Invented features"), 2014),
        (bullet("Invented features, NeurIPS 2019", "Invented features"), 2019),
        (bullet("Invented features (NIPS'14)", "Invented features"), 2014),
        (bullet("Invented features, arXiv 2017, NeurIPS 2018", "Invented features", date="2017"), 2018),
        (Context("l.md", 1, title="Invented features", date="2014-12", cells=(("Date", "2014-12"),)), 2014),
        (
            Context(
                "l.md", 1, title="Invented features", cells=(("Paper", "Invented features"), ("Venue", "NIPS 2016"))
            ),
            2016,
        ),
        (bullet("ImageNet 2012 Invented Classification pdf", "ImageNet 2012 Invented Classification"), None),
        (bullet("Invented features https://papers.nips.cc/paper/by-source-2019-1275", "Invented features"), None),
        (bullet("Invented features, 1950", "Invented features"), None),
        (bullet("Invented features", "Invented features"), None),
    ],
)
def test_the_year_comes_from_the_rows_text_never_its_title_or_a_url(row, year):
    assert row_year(row) == year


# -- through the CLI ------------------------------------------------------------------


@pytest.fixture
def papers(api):
    add = api.neurips.add
    add(NeuripsPaper(2014, H_FEATURES, "How Invented are Features in Deep Networks?", ["Example, Ann"], volume="27"))
    add(NeuripsPaper(2014, H_OTHER, "An Invented Companion Paper", ["Sample, Bo"], pages="10--18", volume="27"))
    add(NeuripsPaper(2015, H_SHIFTED, "An Invented Paper a Year Later", ["Later, Cy"], volume="28"))
    add(NeuripsPaper(2016, H_PIXELS, "Invented Image Generation with Pixel Decoders", ["Pixel, Di"], volume="29"))
    add(NeuripsPaper(2016, H_TREES, "Invented Tree-Structured Reinforcement Learning", ["Tree, Ed"], volume="29"))
    add(NeuripsPaper(2019, H_GRAPHS, "Invented Explanations for Graph Networks", ["Graph, Flo"], volume="32"))
    return api


BULLETS = """# Invented papers

- **How Invented are Features in Deep Networks?** (2014), A. Example et al. [[pdf]](http://papers.nips.cc/paper/5347-how-invented-are-features-in-deep-networks.pdf)
- Invented Explanations for Graph Networks. [[paper]](https://papers.nips.cc/paper/by-source-2019-4956)
"""


def index_requests(api, year: int) -> int:
    return sum(r.subpath == f"/paper_files/paper/{year}" for r in api.requests("neurips"))


def test_an_old_and_a_by_source_link_get_the_hashs_full_entry_then_replay_warm_and_offline(cli, papers, workdir):
    write(workdir / "l.md", BULLETS)
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.output
    out = by_title(workdir / "out.bib")
    assert set(out) == {"How Invented are Features in Deep Networks?", "Invented Explanations for Graph Networks"}
    features = out["How Invented are Features in Deep Networks?"]
    assert features["ENTRYTYPE"] == "inproceedings"
    assert from_latex(features["author"]) == "Example, Ann"
    assert features["booktitle"] == "Advances in Neural Information Processing Systems"
    assert (features["volume"], features["pages"], features["year"]) == ("27", "1--9", "2014")
    assert features["publisher"] == "Curran Associates, Inc."
    # to 2019 the record is the paper's Metadata.json: its abstract, and no editors (the JSON names none)
    assert features["abstract"] == "We invent a method and show that it works on invented data."
    assert "editor" not in features
    assert features["url"] == f"https://proceedings.neurips.cc/paper_files/paper/2014/hash/{H_FEATURES}-Abstract.html"
    graphs = out["Invented Explanations for Graph Networks"]
    assert (graphs["year"], graphs["volume"]) == ("2019", "32")
    assert graphs["url"].endswith(f"/2019/hash/{H_GRAPHS}-Abstract.html")

    assert [r.subpath for r in papers.requests("neurips")] == [
        "/paper_files/paper/2014",
        f"/paper_files/paper/2014/file/{H_FEATURES}-Metadata.json",
        "/paper_files/paper/2019",
        f"/paper_files/paper/2019/file/{H_GRAPHS}-Metadata.json",
    ]
    record = json.loads((workdir / "cache" / "neurips" / "legacy%2F5347.json").read_text())
    data = record["record"]
    assert (data["id"], data["paper"], data["evidence"]) == (
        "legacy/5347",
        f"2014/{H_FEATURES}",
        "equal title in the 2014 index",
    )
    assert data["query"] == "How Invented are Features in Deep Networks?" and data["metadata"]["volume"] == 27
    assert sorted(p.name for p in (workdir / "cache" / "neurips-index").iterdir()) == [
        "2014.html",
        "2014.html.json",
        "2019.html",
        "2019.html.json",
    ]
    links = report_links(workdir)
    assert links["https://papers.nips.cc/paper/by-source-2019-4956"]["id"] == "bysource/2019-4956"

    # a warm run asks nothing; --offline replays the records
    papers.clear_log()
    assert cli("build", "l.md", "-o", "again.bib").exit_code == 0
    assert papers.requests() == []
    assert (workdir / "again.bib").read_text() == (workdir / "out.bib").read_text()
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert papers.requests() == []
    assert (workdir / "offline.bib").read_text() == (workdir / "out.bib").read_text()
    stats = cli("cache", "stats")
    assert stats.exit_code == 0 and "neurips-index" in stats.output

    # a later list with another paper of 2014 reads the stored index: only that paper's metadata is asked
    write(workdir / "m.md", "- An Invented Companion Paper, NIPS 2014 [pdf](http://papers.nips.cc/paper/5350-x.pdf)\n")
    assert cli("build", "m.md", "-o", "m.bib").exit_code == 0
    assert [r.subpath for r in papers.requests("neurips")] == [f"/paper_files/paper/2014/file/{H_OTHER}-Metadata.json"]
    assert set(by_title(workdir / "m.bib")) == {"An Invented Companion Paper"}


def test_a_list_linking_the_hash_and_the_old_link_gets_one_entry(cli, papers, workdir):
    text = (
        BULLETS
        + f"- How Invented are Features in Deep Networks? [[abs]](https://proceedings.neurips.cc/paper/2014/hash/{H_FEATURES}-Abstract.html)\n"
    )
    write(workdir / "l.md", text)
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    assert sorted(by_title(workdir / "out.bib")) == [
        "How Invented are Features in Deep Networks?",
        "Invented Explanations for Graph Networks",
    ]
    assert sum("-Metadata" in r.subpath for r in papers.requests("neurips")) == 2  # the shared hash asked once


def test_one_index_request_serves_every_paper_of_a_year_and_the_year_around_is_tried(cli, papers, workdir):
    text = (
        "- How Invented are Features in Deep Networks? (2014) [pdf](http://papers.nips.cc/paper/5347-a.pdf)\n"
        "- An Invented Companion Paper (2014) [pdf](http://papers.nips.cc/paper/5350-b.pdf)\n"
        "- An Invented Paper a Year Later (2016) [pdf](http://papers.nips.cc/paper/5900-c.pdf)\n"  # in the 2015 index
    )
    write(workdir / "l.md", text)
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.output
    out = by_title(workdir / "out.bib")
    assert out["An Invented Paper a Year Later"]["year"] == "2015"
    assert out["An Invented Companion Paper"]["pages"] == "10--18"
    assert index_requests(papers, 2014) == 1
    assert index_requests(papers, 2016) == 1 and index_requests(papers, 2015) == 1
    data = json.loads((workdir / "cache" / "neurips" / "legacy%2F5900.json").read_text())
    assert data["record"]["evidence"] == "equal title in the 2015 index"


def test_a_title_in_no_index_is_a_context_entry_with_the_years_tried(cli, papers, workdir):
    url = "http://papers.nips.cc/paper/5400-an-invented-lost-paper.pdf"
    write(workdir / "l.md", f"- **An Invented Lost Paper** (2014), Z. Nobody et al. [[pdf]]({url})\n")
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert "Traceback" not in result.output
    reason = "no paper titled 'An Invented Lost Paper' in the NeurIPS 2014/2013/2015 indexes"
    assert reason in result.stderr
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["ENTRYTYPE"] == "misc" and fields["url"] == url and fields["year"] == "2014"
    assert from_latex(fields["title"]) == "An Invented Lost Paper" and "author" not in fields
    link = report_links(workdir)[url]
    assert link["outcome"] == "failed" and reason in link["reason"]
    # the answer is permanent: cached, the next run asks NeurIPS nothing
    papers.clear_log()
    cli("build", "l.md", "-o", "out.bib")
    assert papers.requests("neurips") == []


def test_a_row_without_a_year_stays_a_context_entry_and_nothing_is_asked(cli, papers, workdir):
    url = "http://papers.nips.cc/paper/5347-how-invented-are-features-in-deep-networks.pdf"
    write(workdir / "l.md", f"- How Invented are Features in Deep Networks? [[pdf]]({url})\n")
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert "Traceback" not in result.output
    assert "no year in the list for old NeurIPS link legacy/5347" in result.stderr
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["ENTRYTYPE"] == "misc" and fields["url"] == url
    assert papers.requests("neurips") == []
    folder = workdir / "cache" / "neurips"
    assert not folder.exists() or not any(folder.iterdir())  # not a permanent answer: not cached


def test_the_slug_names_another_paper_the_row_gets_its_own(cli, papers, workdir):
    # the row's title is one paper, the link's number and slug another one of the same year
    url = "https://papers.nips.cc/paper/6527-invented-tree-structured-reinforcement-learning.pdf"
    write(workdir / "l.md", f"- **Invented image generation with pixel decoders** (2016) [[pdf]]({url})\n")
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    out = by_title(workdir / "out.bib")
    assert list(out) == ["Invented Image Generation with Pixel Decoders"]
    assert from_latex(out["Invented Image Generation with Pixel Decoders"]["author"]) == "Pixel, Di"
    assert out["Invented Image Generation with Pixel Decoders"]["url"].endswith(f"/{H_PIXELS}-Abstract.html")
    assert not any(H_TREES in r.subpath for r in papers.requests("neurips"))


def test_an_index_outage_is_not_cached_and_gives_no_traceback(cli, papers, workdir):
    papers.fail_always("neurips", Fault.status(503))
    write(workdir / "l.md", BULLETS)
    result = cli("build", "l.md", "-o", "out.bib", env=NO_RETRY)
    assert "Traceback" not in result.output and "HTTP 503" in result.stderr
    assert len(entries(workdir / "out.bib")) == 2  # context entries from the bullets
    for folder in ("neurips", "neurips-index"):
        path = workdir / "cache" / folder
        assert not path.exists() or not any(path.iterdir()), folder
    papers.clear_faults()
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    assert all(fields["ENTRYTYPE"] == "inproceedings" for fields in entries(workdir / "out.bib").values())
