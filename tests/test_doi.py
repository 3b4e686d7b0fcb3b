"""DOIs of any registrar: Crossref first, DataCite for what Crossref does not know, through the real CLI."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi import Fault
from fakeapi.crossref import make_work
from fakeapi.datacite import make_doi
from tridentbib.identifiers import Kind, PaperId, classify_url
from tridentbib.latex import from_latex
from tridentbib.resolvers.crossref import from_crossref, jats_text


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def by_doi(path) -> dict[str, dict[str, str]]:
    return {fields["doi"].lower(): fields for fields in entries(path).values() if "doi" in fields}


def table(*rows: tuple[str, str]) -> str:
    lines = ["## Papers", "", "| Date | Paper Title | Link |", "|---|---|---|"]
    lines += [f"| 2021-06 | {title} | [paper]({url}) |" for title, url in rows]
    return "\n".join(lines) + "\n"


# -- links -> DOIs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, doi",
    [
        ("https://doi.org/10.1109/ICCV.2007.4408927", "10.1109/iccv.2007.4408927"),
        ("http://dx.doi.org/10.1016/j.example.2020.01.001", "10.1016/j.example.2020.01.001"),
        ("https://link.springer.com/chapter/10.1007/978-3-030-58452-8_13", "10.1007/978-3-030-58452-8_13"),
        ("https://link.springer.com/article/10.1007%2Fs11263-015-0816-y", "10.1007/s11263-015-0816-y"),
        ("https://link.springer.com/content/pdf/10.1007%2F978-3-540-27868-9_4.pdf", "10.1007/978-3-540-27868-9_4"),
        ("https://dl.acm.org/doi/10.1145/3448016.3452841", "10.1145/3448016.3452841"),
        ("https://dl.acm.org/doi/abs/10.1145/3448016.3452841", "10.1145/3448016.3452841"),
        ("https://dl.acm.org/doi/pdf/10.1145/3448016.3452841?download=true", "10.1145/3448016.3452841"),
        ("https://direct.mit.edu/tacl/article/doi/10.1162/tacl_a_00349/96474/An-Invented-Slug", "10.1162/tacl_a_00349"),
        ("https://pubs.acs.org/doi/10.1021/ci049613b", "10.1021/ci049613b"),
        ("https://onlinelibrary.wiley.com/doi/10.1002/anie.201911234", "10.1002/anie.201911234"),
        ("https://www.tandfonline.com/doi/full/10.1080/01621459.2017.1285773", "10.1080/01621459.2017.1285773"),
        ("https://www.morganclaypool.com/doi/10.2200/S00980ED1V01Y202001AIM045", "10.2200/s00980ed1v01y202001aim045"),
        ("https://www.ijcai.org/proceedings/2019/0366.pdf", "10.24963/ijcai.2019/366"),
        ("https://doi.org/10.21437/Interspeech.2021-1234", "10.21437/interspeech.2021-1234"),
    ],
)
def test_each_link_form_names_its_doi(url, doi):
    assert classify_url(url) == PaperId(Kind.DOI, doi)


@pytest.mark.parametrize(
    "url",
    [
        "http://citeseerx.ist.psu.edu/viewdoc/download?doi=10.1.1.383.1327&rep=rep1&type=pdf",
        "https://www.ijcai.org/proceedings/2015/0366.pdf",  # before IJCAI's DOIs
        "https://link.springer.com/journal/11263",
        "https://dl.acm.org/doi/",
        "https://onlinelibrary.wiley.com/journal/15213773",
    ],
)
def test_pages_without_a_doi_name_none(url):
    assert classify_url(url) is None


def test_arxiv_and_acl_dois_keep_their_own_resolvers():
    assert classify_url("https://doi.org/10.48550/arXiv.2301.02111") == PaperId(Kind.ARXIV, "2301.02111")
    assert classify_url("https://dl.acm.org/doi/10.18653/v1/2024.acl-long.589") == PaperId(
        Kind.ACL, "2024.acl-long.589"
    )


def test_jats_abstract_becomes_plain_paragraphs():
    jats = "<jats:title>Abstract</jats:title><jats:p>We study <jats:italic>x</jats:italic> &amp; y.</jats:p>\n<jats:p>Second.</jats:p>"
    assert jats_text(jats) == "We study x & y.\n\nSecond."


# -- end to end -----------------------------------------------------------------


@pytest.fixture
def works(api):
    api.crossref.add(
        make_work(
            "10.1145/3448016.3452841",
            "proceedings-article",
            "Invented Quotient Filters",
            [("Pia", "Pandey"), ("Al", "Conway")],
            subtitle=["Overcoming a Trade-Off"],
            container=["Proceedings of the 2021 International Conference on Inventing Data"],
            date=[2021, 6, 9],
            publisher="ACM",
            page="1386-1399",
        )
    )
    api.crossref.add(
        make_work(
            "10.1016/J.EXAMPLE.2020.01.001",
            "journal-article",
            "Deep Nets for Müller Chains",
            [("Jürgen", "Schmidt"), "The Invented Consortium"],
            container=["Journal of Invented Results"],
            date=[2020, 3],
            date_field="published-online",
            publisher="Elsevier BV",
            volume="12",
            issue="3",
            page="100-120",
            abstract="<jats:title>Abstract</jats:title><jats:p>We show 50% &amp; more.</jats:p>",
        )
    )
    api.crossref.add(
        make_work(
            "10.1007/978-3-030-58452-8_13",
            "book-chapter",
            "An Invented Chapter",
            [("Lee", "Wong")],
            container=["Lecture Notes in Computer Science", "Computer Vision – ECCV 2020"],
            date=[2020],
            publisher="Springer International Publishing",
            page="200-216",
            editor=[{"given": "Ed", "family": "Itor", "sequence": "first", "affiliation": []}],
        )
    )
    api.crossref.add(
        make_work(
            "10.2200/S00980ED1V01Y202001AIM045",
            "book",
            "An Invented Book on Graphs",
            [("Bea", "Book")],
            date=[2020, 1, 15],
            publisher="Morgan & Claypool",
        )
    )
    api.crossref.add(
        make_work(
            "10.31219/osf.io/abcde",
            "posted-content",
            "An Invented Preprint",
            [("Pre", "Print")],
            date=[2022, 11],
            date_field="published-online",
            publisher="Center for Open Science",
        )
    )
    api.datacite.add(
        make_doi(
            "10.5281/zenodo.1234567",
            "Invented Speech Corpus",
            [("Dana", "Data"), "Invented Lab"],
            year=2022,
            abstract="A corpus of invented speech.",
        )
    )
    return api


LINKS = (
    ("Invented Quotient Filters", "https://dl.acm.org/doi/10.1145/3448016.3452841"),
    ("Deep Nets", "https://doi.org/10.1016/j.example.2020.01.001"),
    ("A chapter", "https://link.springer.com/chapter/10.1007%2F978-3-030-58452-8_13"),
    ("A book", "https://www.morganclaypool.com/doi/10.2200/S00980ED1V01Y202001AIM045"),
    ("A preprint", "https://doi.org/10.31219/osf.io/abcde"),
    ("A corpus", "https://doi.org/10.5281/zenodo.1234567"),
)


def test_every_crossref_type_and_a_datacite_doi(cli, works, workdir):
    write(workdir / "l.md", table(*LINKS))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    out = by_doi(workdir / "out.bib")
    assert len(out) == 6

    acm = out["10.1145/3448016.3452841"]
    assert acm["ENTRYTYPE"] == "inproceedings"
    assert from_latex(acm["title"]) == "Invented Quotient Filters: Overcoming a Trade-Off"
    assert acm["author"] == "Pandey, Pia and Conway, Al"
    assert acm["booktitle"] == "Proceedings of the 2021 International Conference on Inventing Data"
    assert (acm["year"], acm["month"], acm["pages"], acm["publisher"]) == ("2021", "jun", "1386--1399", "ACM")
    assert acm["url"] == "https://doi.org/10.1145/3448016.3452841"

    journal = out["10.1016/j.example.2020.01.001"]
    assert journal["ENTRYTYPE"] == "article"
    assert journal["doi"] == "10.1016/J.EXAMPLE.2020.01.001"  # as registered
    assert from_latex(journal["title"]) == "Deep Nets for Müller Chains"
    assert journal["author"].startswith("Schmidt, J")
    assert journal["author"].endswith("and {The Invented Consortium}")
    assert (journal["journal"], journal["volume"], journal["number"]) == ("Journal of Invented Results", "12", "3")
    assert (journal["pages"], journal["year"], journal["month"]) == ("100--120", "2020", "mar")
    assert from_latex(journal["abstract"]) == "We show 50% & more."

    chapter = out["10.1007/978-3-030-58452-8_13"]
    assert chapter["ENTRYTYPE"] == "incollection"
    assert from_latex(chapter["booktitle"]) == "Computer Vision – ECCV 2020"
    assert chapter["series"] == "Lecture Notes in Computer Science"
    assert (chapter["publisher"], chapter["editor"]) == ("Springer International Publishing", "Itor, Ed")

    book = out["10.2200/s00980ed1v01y202001aim045"]
    assert book["ENTRYTYPE"] == "book"
    assert from_latex(book["publisher"]) == "Morgan & Claypool"
    assert (book["year"], book["month"]) == ("2020", "jan")

    preprint = out["10.31219/osf.io/abcde"]
    assert (preprint["ENTRYTYPE"], preprint["year"], preprint["month"]) == ("misc", "2022", "nov")

    corpus = out["10.5281/zenodo.1234567"]
    assert corpus["ENTRYTYPE"] == "misc"
    assert corpus["author"] == "Data, Dana and {Invented Lab}"
    assert (corpus["year"], corpus["publisher"], corpus["howpublished"]) == ("2022", "Zenodo", "Dataset")
    assert corpus["abstract"] == "A corpus of invented speech."

    assert len(works.requests("crossref")) == 6  # one /works/{doi} each (a few DOIs: single records)
    assert [r.subpath for r in works.requests("datacite")] == ["/dois/10.5281/zenodo.1234567"]
    report = json.loads((workdir / "r.json").read_text())
    assert report["requests"]["crossref"] == 6 and report["requests"]["datacite"] == 1
    assert (workdir / "cache" / "crossref" / "10.1145%2F3448016.3452841.json").is_file()
    assert (workdir / "cache" / "datacite" / "10.5281%2Fzenodo.1234567.json").is_file()

    # a warm run asks nothing and writes the same file
    works.clear_log()
    assert cli("build", "l.md", "-o", "again.bib").exit_code == 0
    assert works.requests() == []
    assert (workdir / "again.bib").read_text() == (workdir / "out.bib").read_text()

    # --offline replays the cache with zero requests
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert works.requests() == []
    assert (workdir / "offline.bib").read_text() == (workdir / "out.bib").read_text()

    # check and cache stats know the new services
    assert cli("check", "l.md", "out.bib", "--offline").exit_code == 0
    stats = cli("cache", "stats")
    assert stats.exit_code == 0
    assert "crossref" in stats.output and "datacite" in stats.output
    assert works.requests() == []


def test_many_dois_go_in_list_queries(cli, api, workdir):
    dois = [f"10.1234/invented.{n}" for n in range(45)]
    for doi in dois[:-1]:
        api.crossref.add(make_work(doi, "journal-article", f"Invented Paper {doi[-2:]}", [("A", "Uthor")]))
    write(workdir / "l.md", table(*((f"Paper {doi}", f"https://doi.org/{doi}") for doi in dois)))
    result = cli("build", "l.md", "-o", "out.bib")
    assert "1 failed" in result.stderr  # the DOI nobody knows
    lists = api.requests("crossref")
    assert [r.subpath for r in lists] == ["/works", "/works"]  # 40 + 5
    assert lists[0].param("filter").count("doi:") == 40 and lists[0].param("rows") == "40"
    assert len(by_doi(workdir / "out.bib")) == 44
    assert [r.subpath for r in api.requests("datacite")] == [f"/dois/{dois[-1]}"]  # the one Crossref does not list


def test_a_doi_neither_registrar_knows_is_a_named_failure_with_a_context_entry(cli, api, workdir):
    write(workdir / "l.md", table(("An Invented Lost Paper", "https://doi.org/10.9999/lost.2021.1")))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert "doi 10.9999/lost.2021.1: neither Crossref nor DataCite has a record of this DOI" in result.stderr
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["url"] == "https://doi.org/10.9999/lost.2021.1"
    assert from_latex(fields["title"]) == "An Invented Lost Paper"
    (link,) = json.loads((workdir / "r.json").read_text())["links"]
    assert link["outcome"] == "failed" and "entry built from the list's row" in link["reason"]
    assert len(api.requests("crossref")) == 1 and len(api.requests("datacite")) == 1
    # the negative answer is cached: the next run asks nobody
    api.clear_log()
    cli("build", "l.md", "-o", "out.bib")
    assert api.requests() == []
    assert (workdir / "cache" / "datacite" / "10.9999%2Flost.2021.1.json").is_file()


def test_rate_limits_and_outages_are_retried(cli, works, workdir):
    works.inject("crossref", Fault.status(429, headers={"Retry-After": "0"}), Fault.status(503))
    write(workdir / "l.md", table(LINKS[0]))
    result = cli("build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0"})
    assert result.exit_code == 0, result.stderr
    assert [r.status for r in works.requests("crossref")] == [429, 503, 200]
    assert by_doi(workdir / "out.bib")["10.1145/3448016.3452841"]["ENTRYTYPE"] == "inproceedings"


def test_an_outage_is_not_cached_and_not_sent_to_datacite(cli, works, workdir):
    works.fail_always("crossref", Fault.status(503))
    write(workdir / "l.md", table(LINKS[0]))
    result = cli(
        "build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1"}
    )
    assert result.exit_code == 1 and "1 failed" in result.stderr and "HTTP 503" in result.stderr
    assert works.requests("datacite") == []
    assert not (workdir / "cache" / "crossref").exists() or not any((workdir / "cache" / "crossref").iterdir())


def test_mailto_joins_the_polite_pool(cli, works, workdir):
    write(workdir / "l.md", table(LINKS[0], LINKS[-1]))
    result = cli("build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_MAILTO": "lists@example.org"})
    assert result.exit_code == 0, result.stderr
    (crossref,) = works.requests("crossref")[:1]
    assert crossref.param("mailto") == "lists@example.org"
    assert "mailto:lists@example.org" in crossref.headers["user-agent"]
    (datacite,) = works.requests("datacite")
    assert "mailto:lists@example.org" in datacite.headers["user-agent"]
    bad = cli("build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_MAILTO": "not an address\r\n"})
    assert bad.exit_code != 0 and "TRIDENTBIB_MAILTO" in bad.output + bad.stderr


def test_citeseerx_doi_parameter_is_never_sent(cli, api, workdir):
    url = "http://citeseerx.ist.psu.edu/viewdoc/download?doi=10.1.1.383.1327&rep=rep1&type=pdf"
    write(workdir / "l.md", table(("An Invented Old Paper", url)))
    cli("build", "l.md", "-o", "out.bib")
    assert api.requests("crossref") == [] and api.requests("datacite") == []


def test_prune_keeps_the_records_a_list_uses(cli, works, workdir):
    write(workdir / "l.md", table(*LINKS))
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    write(workdir / "m.md", table(LINKS[0], LINKS[-1]))
    assert cli("cache", "prune", "m.md").exit_code == 0
    left = sorted(p.name for folder in ("crossref", "datacite") for p in (workdir / "cache" / folder).glob("*.json"))
    assert left == ["10.1145%2F3448016.3452841.json", "10.5281%2Fzenodo.1234567.json"]


def test_shape_without_optional_fields():
    entry = from_crossref(
        {"id": "10.1/x", "DOI": "10.1/X", "type": "report", "title": ["Title"], "issued": {"date-parts": [[None]]}}
    )
    assert entry.entry_type == "misc"
    assert entry.fields == {"title": "Title", "doi": "10.1/X", "url": "https://doi.org/10.1/X"}
    assert entry.identity == frozenset({"doi:10.1/x"})
