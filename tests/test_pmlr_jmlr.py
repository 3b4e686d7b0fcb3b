"""PMLR and JMLR links: the link forms, parsing on inline values, the sites' data through the real CLI."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.jmlr import JmlrPaper
from fakeapi.pmlr import PmlrPaper, PmlrVolume
from tridentbib.identifiers import Kind, PaperId, classify_url, is_valid_id
from tridentbib.latex import from_latex
from tridentbib.resolvers.jmlr import abstract_from_page, author_list, from_jmlr
from tridentbib.resolvers.pmlr import from_pmlr, record_from_page, volume_records

V901 = PmlrVolume(
    "v901",
    "Proceedings of the 1st Invented Conference on Machine Learning",
    [("Ada", "Editorson"), ("Bo", "Redacteur")],
    "2031",
    date_str="18--24 Jul",
    published="2031-07-01",
)


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def table(*rows: tuple[str, str]) -> str:
    lines = ["## Papers", "", "| Date | Paper Title | Link |", "|---|---|---|"]
    lines += [f"| 2031-07 | {title} | [paper]({url}) |" for title, url in rows]
    return "\n".join(lines) + "\n"


def bullets(*rows: tuple[str, str]) -> str:
    return "# Reading list\n\n" + "".join(f"- **{title}** (2031) [[pdf]]({url})\n" for title, url in rows)


def by_title(path) -> dict[str, dict[str, str]]:
    return {from_latex(fields["title"]).strip("{}"): fields for fields in entries(path).values()}


# -- links -> ids ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, kind, ident",
    [
        ("https://proceedings.mlr.press/v139/zhao21c.html", Kind.PMLR, "v139/zhao21c"),
        ("http://proceedings.mlr.press/v48/niepert16.pdf", Kind.PMLR, "v48/niepert16"),
        ("https://proceedings.mlr.press/v80/dai18a/dai18a.pdf", Kind.PMLR, "v80/dai18a"),
        ("proceedings.mlr.press//v80/dai18a/dai18a.pdf", Kind.PMLR, "v80/dai18a"),
        ("http://www.jmlr.org/proceedings/papers/v48/mniha16.pdf", Kind.PMLR, "v48/mniha16"),
        ("http://jmlr.org/proceedings/papers/v37/ioffe15.pdf", Kind.PMLR, "v37/ioffe15"),
        ("http://jmlr.org/proceedings/papers/v32/le14.html", Kind.PMLR, "v32/le14"),
        ("https://jmlr.org/papers/v21/20-074.html", Kind.JMLR, "v21/20-074"),
        ("https://www.jmlr.org/papers/v21/20-074.bib", Kind.JMLR, "v21/20-074"),
        ("http://jmlr.org/papers/volume15/srivastava14a/srivastava14a.pdf", Kind.JMLR, "v15/srivastava14a"),
        ("http://www.jmlr.org/papers/volume13/bergstra12a/bergstra12a", Kind.JMLR, "v13/bergstra12a"),
        ("https://jmlr.org/papers/volume17/15-522/source/15-522.pdf", Kind.JMLR, "v17/15-522"),
        ("jmlr.org/papers/v15/srivastava14a.html#abs", Kind.JMLR, "v15/srivastava14a"),
    ],
)
def test_each_link_form_names_its_service_and_id(url, kind, ident):
    assert classify_url(url) == PaperId(kind, ident)


@pytest.mark.parametrize(
    "url",
    [
        "https://proceedings.mlr.press.evil.com/v139/zhao21c.html",  # look-alike hosts
        "https://evilproceedings.mlr.press/v139/zhao21c.html",
        "https://proceedings-mlr.press/v139/zhao21c.html",
        "https://jmlr.org.example.org/papers/v15/srivastava14a.html",
        "https://notjmlr.org/papers/v15/srivastava14a.html",
        "https://mirror.jmlr.org/papers/v15/srivastava14a.html",
        "https://proceedings.mlr.press/v139/../../etc/passwd.html",  # traversal
        "https://proceedings.mlr.press/v139/%2e%2e/zhao21c.html",
        "https://jmlr.org/papers/volume15/../srivastava14a/srivastava14a.pdf",
        "https://proceedings.mlr.press/v139/zhao21c.bib",  # not a paper file there
        "https://proceedings.mlr.press/v80/dai18a/other18b.pdf",  # folder and file disagree
        "https://proceedings.mlr.press/v139/",  # a volume's index
        "https://proceedings.mlr.press/v139/assets/bib/bibliography.bib",
        "https://proceedings.mlr.press/v0/x.html",
        "https://proceedings.mlr.press/139/zhao21c.html",
        "https://proceedings.mlr.press/v139/zha.o21c.html",
        "https://jmlr.org/papers/volume15/srivastava14a/other14b.pdf",
        "https://jmlr.org/papers/v15/",  # a volume's index
        "https://jmlr.org/papers/v15/srivastava14a.pdf",
        "https://jmlr.org/proceedings/",
        "https://jmlr.org/tmlr/papers/x.html",
        "https://jmlr.org/",
    ],
)
def test_look_alikes_traversal_and_other_pages_name_no_paper(url):
    assert not isinstance(classify_url(url), PaperId)


def test_jmlr_proceedings_are_pmlr_and_jmlr_papers_are_the_journal():
    assert classify_url("https://jmlr.org/proceedings/papers/v15/glorot11a.pdf") == PaperId(Kind.PMLR, "v15/glorot11a")
    assert classify_url("https://jmlr.org/papers/v15/glorot11a.html") == PaperId(Kind.JMLR, "v15/glorot11a")


def test_the_id_grammars():
    for kind in (Kind.PMLR, Kind.JMLR):
        assert is_valid_id(kind, "v15/srivastava14a") and is_valid_id(kind, "v21/20-074")
        for bad in ("v15", "15/x", "v15/x/y", "v15/../x", "v15/.x", "v15/x.html", "v0/x", "v15/", "/v15/x"):
            assert not is_valid_id(kind, bad), bad
        with pytest.raises(ValueError):
            PaperId(kind, "v15/a b")
    assert is_valid_id(Kind.PMLR, "v1234/x") and not is_valid_id(Kind.JMLR, "v1234/x")


# -- parsing on inline values ---------------------------------------------------

PAGE = """<!DOCTYPE html><html><head>
<meta name="citation_title" content="Invented &amp; Calibrated Learners">
<meta name="citation_author" content="Jane Q. Doe">
<meta name="citation_author" content="Jürgen Müller">
<meta name="citation_firstpage" content="101"><meta name="citation_lastpage" content="110">
<meta name="citation_publication_date" content="2031/07/01">
<meta name="citation_conference_title" content="International Conference on Invented Learning">
</head><body><div id="info" class="info"><i>Proceedings of the 1st Invented Conference</i>, PMLR 901:101-110, 2031.</div>
<div id="abstract" class="abstract">We  invent <b>things</b>.</div>
<code class="citecode" id="bibtex">@InProceedings{pmlr-v901-doe31a,
  title = \t {Invented &amp; Calibrated Learners},
  author =       {Doe, Jane Q. and M{\\"u}ller, J{\\"u}rgen},
  booktitle = \t {Proceedings of the 1st Invented Conference},
  pages = \t {101--110},
  year = \t {2031},
  editor = \t {Editorson, Ada},
  volume = \t {901},
  series = \t {Proceedings of Machine Learning Research},
  month = \t {18--24 Jul},
  publisher =    {PMLR},
  url = \t {https://proceedings.mlr.press/v901/doe31a.html}
}</code></body></html>"""


def test_a_pmlr_page_gives_its_bibtex_and_the_month_range_never_becomes_month():
    record = record_from_page("v901/doe31a", PAGE)
    assert record is not None and record["fields"]["month"] == "18--24 Jul"  # kept in the record as the site wrote it
    entry = from_pmlr(record)
    assert "month" not in entry.fields and "pdf" not in entry.fields
    assert entry.entry_type == "inproceedings" and entry.identity == {"pmlr:v901/doe31a"}
    assert entry.fields["booktitle"] == "Proceedings of the 1st Invented Conference"
    assert entry.fields["series"] == "Proceedings of Machine Learning Research"
    assert (entry.fields["volume"], entry.fields["publisher"], entry.fields["year"]) == ("901", "PMLR", "2031")
    assert (entry.fields["pages"], entry.fields["editor"]) == ("101--110", "Editorson, Ada")
    assert entry.fields["abstract"] == "We invent things."  # from the page's #abstract: the BibTeX had none
    assert entry.fields["url"] == "https://proceedings.mlr.press/v901/doe31a.html"


def test_a_pmlr_page_without_bibtex_falls_back_to_its_meta():
    page = PAGE[: PAGE.index('<code class="citecode"')] + "</body></html>"
    entry = from_pmlr(record_from_page("v901/doe31a", page))
    assert from_latex(entry.fields["title"]).strip("{}") == "Invented & Calibrated Learners"
    assert from_latex(entry.fields["author"]) == "Doe, Jane Q. and Müller, Jürgen"
    assert entry.fields["booktitle"] == "Proceedings of the 1st Invented Conference"  # the #info line, not the meta
    assert (entry.fields["pages"], entry.fields["year"]) == ("101--110", "2031")
    assert "editor" not in entry.fields and "month" not in entry.fields


def test_a_page_that_is_no_paper_page_gives_no_record():
    assert record_from_page("v901/x", "<html><body><h1>Volume 901</h1></body></html>") is None
    assert record_from_page("v901/x", "<html><meta name='citation_title' content='T'><div id='info'") is not None


def test_a_volume_bibliography_splits_into_the_wanted_papers():
    a = PmlrPaper(V901, "doe31a", "Invented One", [("Jane", "Doe")], abstract="First {abstract}.")
    b = PmlrPaper(V901, "roe31b", "Invented Two", [("Rob", "Roe")])
    text = "% a comment line\n" + a.bibtex() + "\n" + b.bibtex()
    records = volume_records(text, {"v901/roe31b", "v901/absent"})
    assert list(records) == ["v901/roe31b"]
    entry = from_pmlr(records["v901/roe31b"])
    assert (entry.fields["title"], entry.fields["author"]) == ("Invented Two", "Roe, Rob")
    assert entry.fields["editor"] == "Editorson, Ada and Redacteur, Bo" and "month" not in entry.fields
    assert from_pmlr(volume_records(text, {"v901/doe31a"})["v901/doe31a"]).fields["abstract"] == "First {abstract}."


def test_jmlr_names_become_the_same_people_in_comma_form():
    assert author_list("Nadia Inventova and Jean-Baptiste de La Fontaine and others") == (
        "Inventova, Nadia and de La Fontaine, Jean-Baptiste and others"
    )
    entry = from_jmlr(
        {
            "id": "v77/inv31a",
            "fields": {"title": "T", "author": "Ann Example", "number": "5", "pages": "1--2", "year": "2031"},
            "abstract": "An abstract with 50% & more.",
        }
    )
    assert entry.entry_type == "article" and entry.identity == {"jmlr:v77/inv31a"}
    assert entry.fields["journal"] == "Journal of Machine Learning Research"
    assert (entry.fields["volume"], entry.fields["number"], entry.fields["author"]) == ("77", "5", "Example, Ann")
    assert entry.fields["abstract"] == r"An abstract with 50\% \& more."
    assert entry.fields["url"] == "https://jmlr.org/papers/v77/inv31a.html"


@pytest.mark.parametrize(
    "html, abstract",
    [
        ('<h3>Abstract</h3><p class="abstract">\n Deep  nets.\n</p><h3>[pdf]</h3>', "Deep nets."),
        ("<h3>Abstract</h3>\nDeep nets &amp; more.\n<h3>[pdf][bib]</h3>", "Deep nets & more."),
        ('<p id="abstract">By id.</p>', "By id."),
        ("<h2>Title</h2><p>No abstract here.</p>", ""),
        ("<h3>Abstract</h3><p>Unclosed <b>markup", "Unclosed markup"),
    ],
)
def test_the_jmlr_abstract_is_read_leniently(html, abstract):
    assert abstract_from_page(html) == abstract


# -- through the CLI ----------------------------------------------------------------


@pytest.fixture
def sites(api):
    for paper in (
        PmlrPaper(
            V901, "doe31a", "Invented Calibration of Learners", [("Jane", "Doe"), ("Jürgen", "Müller")], 101, 110
        ),
        PmlrPaper(V901, "roe31b", "An Invented Second Paper", [("Rob", "Roe")], 111, 120, page_bibtex=False),
        PmlrPaper(V901, "poe31c", "An Invented Third Paper", [("Pat", "Poe")], 121, 130),
    ):
        api.pmlr.add(paper)
    api.jmlr.add(
        JmlrPaper(
            "v77",
            "inventova31a",
            "Invented Dropout for Imaginary Networks",
            ["Nadia Inventova", "Jean-Baptiste de La Fontaine"],
            "2031",
            number="56",
            pages="1929--1958",
            abstract="Deep nets are invented.",
        )
    )
    api.jmlr.add(
        JmlrPaper("v78", "31-074", "Invented Heading Abstract", ["Ann Example"], "2032", abstract_markup="heading")
    )
    return api


LINKS = (
    ("Invented Calibration of Learners", "https://proceedings.mlr.press/v901/doe31a.html"),
    ("An Invented Second Paper", "http://www.jmlr.org/proceedings/papers/v901/roe31b.pdf"),
    ("Invented Dropout for Imaginary Networks", "https://jmlr.org/papers/volume77/inventova31a/inventova31a.pdf"),
    ("Invented Heading Abstract", "https://www.jmlr.org/papers/v78/31-074.html"),
)


@pytest.mark.parametrize("layout", [table, bullets])
def test_links_build_full_entries_then_replay_warm_and_offline(cli, sites, workdir, layout):
    write(workdir / "l.md", layout(*LINKS))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    out = by_title(workdir / "out.bib")
    assert len(out) == 4, list(out)

    doe = out["Invented Calibration of Learners"]
    assert doe["ENTRYTYPE"] == "inproceedings"
    assert from_latex(doe["author"]) == "Doe, Jane and Müller, Jürgen"
    assert doe["booktitle"] == V901.booktitle and doe["series"] == "Proceedings of Machine Learning Research"
    assert (doe["volume"], doe["pages"], doe["year"], doe["publisher"]) == ("901", "101--110", "2031", "PMLR")
    assert doe["editor"] == "Editorson, Ada and Redacteur, Bo"
    assert doe["url"] == "https://proceedings.mlr.press/v901/doe31a.html" and "month" not in doe
    assert doe["abstract"] == "An invented abstract."

    roe = out["An Invented Second Paper"]  # an old jmlr.org/proceedings link, a page with meta only
    assert (roe["author"], roe["pages"], roe["year"], roe["volume"]) == ("Roe, Rob", "111--120", "2031", "901")
    assert roe["booktitle"] == V901.booktitle and roe["url"] == "https://proceedings.mlr.press/v901/roe31b.html"

    drop = out["Invented Dropout for Imaginary Networks"]
    assert drop["ENTRYTYPE"] == "article" and drop["journal"] == "Journal of Machine Learning Research"
    assert drop["author"] == "Inventova, Nadia and de La Fontaine, Jean-Baptiste"
    assert (drop["volume"], drop["number"], drop["pages"], drop["year"]) == ("77", "56", "1929--1958", "2031")
    assert drop["url"] == "https://jmlr.org/papers/v77/inventova31a.html"
    assert drop["abstract"] == "Deep nets are invented."
    assert out["Invented Heading Abstract"]["abstract"] == "An invented abstract."

    assert sorted(r.subpath for r in sites.requests("pmlr")) == ["/v901/doe31a.html", "/v901/roe31b.html"]
    assert sorted(r.subpath for r in sites.requests("jmlr")) == [
        "/papers/v77/inventova31a.bib",
        "/papers/v77/inventova31a.html",
        "/papers/v78/31-074.bib",
        "/papers/v78/31-074.html",
    ]
    report = json.loads((workdir / "r.json").read_text())
    assert (report["requests"]["pmlr"], report["requests"]["jmlr"]) == (2, 4)

    sites.clear_log()
    assert cli("build", "l.md", "-o", "again.bib").exit_code == 0
    assert sites.requests() == []
    assert (workdir / "again.bib").read_text() == (workdir / "out.bib").read_text()
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert sites.requests() == []
    assert (workdir / "offline.bib").read_text() == (workdir / "out.bib").read_text()
    stats = cli("cache", "stats").output
    assert "pmlr " in stats and "jmlr " in stats


def test_many_papers_of_one_volume_come_from_its_bibliography_once(cli, sites, workdir):
    rows = [
        ("Invented Calibration of Learners", "https://proceedings.mlr.press/v901/doe31a.html"),
        ("An Invented Second Paper", "https://proceedings.mlr.press/v901/roe31b/roe31b.pdf"),
        ("An Invented Third Paper", "https://proceedings.mlr.press/v901/poe31c.pdf"),
    ]
    write(workdir / "l.md", table(*rows))
    env = {"TRIDENTBIB_PMLR_VOLUME_THRESHOLD": "3"}
    assert cli("build", "l.md", "-o", "out.bib", env=env).exit_code == 0
    assert [r.subpath for r in sites.requests("pmlr")] == ["/v901/assets/bib/bibliography.bib"]
    out = by_title(workdir / "out.bib")
    assert len(out) == 3 and all("month" not in fields for fields in out.values())
    roe = out["An Invented Second Paper"]
    assert roe["editor"] == "Editorson, Ada and Redacteur, Bo" and roe["pages"] == "111--120"
    assert (workdir / "cache" / "pmlr-volume" / "v901.bib").is_file()
    stats = cli("cache", "stats").output
    assert "pmlr-volume" in stats

    # one paper of the volume in another list: read from the kept file, no request
    sites.clear_log()
    (workdir / "cache" / "pmlr").rename(workdir / "cache" / "pmlr-old")
    write(workdir / "m.md", table(rows[2]))
    assert cli("build", "m.md", "-o", "m.bib").exit_code == 0
    assert sites.requests() == []
    assert by_title(workdir / "m.bib")["An Invented Third Paper"]["pages"] == "121--130"


def test_below_the_threshold_or_without_a_volume_file_papers_come_page_by_page(cli, sites, workdir, caplog):
    rows = [
        ("Invented Calibration of Learners", "https://proceedings.mlr.press/v901/doe31a.html"),
        ("An Invented Third Paper", "https://proceedings.mlr.press/v901/poe31c.pdf"),
    ]
    write(workdir / "l.md", table(*rows))
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0  # 2 papers, the default threshold is 3
    assert [r.subpath for r in sites.requests("pmlr")] == ["/v901/doe31a.html", "/v901/poe31c.html"]

    sites.clear_log()
    sites.pmlr.no_volume_file.add("v901")
    env = {"TRIDENTBIB_PMLR_VOLUME_THRESHOLD": "2"}
    assert cli("build", "l.md", "-o", "out.bib", "--cache-dir", "c2", env=env).exit_code == 0
    assert "bibliography.bib not used (HTTP 404)" in caplog.text
    assert [r.subpath for r in sites.requests("pmlr")] == [
        "/v901/assets/bib/bibliography.bib",
        "/v901/doe31a.html",
        "/v901/poe31c.html",
    ]
    assert len(by_title(workdir / "out.bib")) == 2


@pytest.mark.parametrize(
    "service, title, url, message",
    [
        (
            "pmlr",
            "An Invented Lost Paper",
            "https://proceedings.mlr.press/v901/lost31z.html",
            "pmlr v901/lost31z: PMLR has no paper",
        ),
        (
            "jmlr",
            "An Invented Lost Article",
            "https://jmlr.org/papers/v77/lost31z.html",
            "jmlr v77/lost31z: JMLR has no paper",
        ),
    ],
)
def test_a_404_is_a_named_failure_with_a_context_entry_and_cached(cli, sites, workdir, service, title, url, message):
    write(workdir / "l.md", table((title, url)))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert message in result.stderr
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["url"] == url and from_latex(fields["title"]).strip("{}") == title
    (link,) = json.loads((workdir / "r.json").read_text())["links"]
    assert link["outcome"] == "failed" and "entry built from the list's row" in link["reason"]
    sites.clear_log()
    cli("build", "l.md", "-o", "out.bib")
    assert sites.requests() == []


def test_a_missing_jmlr_page_still_gives_the_entry_without_abstract(cli, api, workdir):
    api.jmlr.add(JmlrPaper("v77", "nopage31a", "Invented Pageless Article", ["Ann Example"], "2031", has_page=False))
    write(workdir / "l.md", table(("Invented Pageless Article", "https://jmlr.org/papers/v77/nopage31a.bib")))
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    fields = by_title(workdir / "out.bib")["Invented Pageless Article"]
    assert fields["journal"] == "Journal of Machine Learning Research" and "abstract" not in fields
    (cached,) = (workdir / "cache" / "jmlr").glob("*.json")
    assert json.loads(cached.read_text())["record"]["abstract_note"] == "the paper's page answered HTTP 404"


@pytest.mark.parametrize("service", ["pmlr", "jmlr"])
def test_an_outage_is_not_cached(cli, sites, workdir, service):
    from fakeapi import Fault

    sites.fail_always(service, Fault.status(503))
    write(workdir / "l.md", table(LINKS[0] if service == "pmlr" else LINKS[2]))
    result = cli(
        "build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1"}
    )
    assert "1 failed" in result.stderr and "HTTP 503" in result.stderr
    folder = workdir / "cache" / service
    assert not folder.exists() or not any(folder.iterdir())


def test_a_page_that_is_not_a_paper_page_is_not_cached(cli, api, workdir):
    from fakeapi import Fault

    api.fail_always("pmlr", Fault.status(200, body=b"<html><body>maintenance</body></html>"))
    write(workdir / "l.md", table(LINKS[0]))
    result = cli("build", "l.md", "-o", "out.bib")
    assert "no citation_title" in result.stderr
    folder = workdir / "cache" / "pmlr"
    assert not folder.exists() or not any(folder.iterdir())
