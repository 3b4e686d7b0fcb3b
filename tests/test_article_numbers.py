"""IEEE Xplore document numbers and ACM article numbers: an id-checked Crossref title query (#16 item 3)."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.crossref import make_work
from fakeapi.faults import Fault
from tridentbib.identifiers import Kind, PaperId, classify_url
from tridentbib.resolvers.article_numbers import acm_evidence, ieee_evidence

TITLE = "An Invented Graph Network Model"
IEEE_DOI = "10.1109/tnn.2008.2005605"


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


@pytest.mark.parametrize(
    "url, paper",
    [
        ("https://ieeexplore.ieee.org/document/4700287", PaperId(Kind.IEEE, "4700287")),
        ("https://ieeexplore.ieee.org/document/4700287/", PaperId(Kind.IEEE, "4700287")),
        ("https://ieeexplore.ieee.org/abstract/document/8237586?casa_token=AbC", PaperId(Kind.IEEE, "8237586")),
        ("https://ieeexplore.ieee.org/document/8237586/authors", PaperId(Kind.IEEE, "8237586")),
        ("https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=10738376", PaperId(Kind.IEEE, "10738376")),
        ("http://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=04408927", PaperId(Kind.IEEE, "4408927")),
        (
            "http://delivery.acm.org/10.1145/3190000/3186116/p499-zhuang.pdf?ip=1.2.3.4&id=3186116&acc=OPEN&key=4D4",
            PaperId(Kind.ACM, "3186116"),
        ),
        ("https://dl.acm.org/citation.cfm?id=3186116", PaperId(Kind.ACM, "3186116")),
        ("https://ojs.aaai.org/index.php/AAAI/article/view/16789", PaperId(Kind.AAAI, "16789")),
        ("https://ojs.aaai.org/index.php/AAAI/article/view/16789/16596", PaperId(Kind.AAAI, "16789")),  # its PDF
        # a DOI on the ACM DL is a DOI link, not an article number
        ("https://dl.acm.org/doi/10.1145/3448016.3452841", PaperId(Kind.DOI, "10.1145/3448016.3452841")),
    ],
)
def test_link_forms(url, paper):
    assert classify_url(url) == paper


@pytest.mark.parametrize(
    "url",
    [
        "https://ieeexplore.ieee.org.evil.example/document/4700287",
        "https://ieeexplore.ieee.org/xpl/conhome/1000001/proceeding",
        "https://ieeexplore.ieee.org/document/abc",
        "https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=1&arnumber=2",  # two numbers: none
        "http://delivery.acm.org/10.1145/3190000/3186116/p499.pdf?id=999",  # path and id= disagree
        "https://dl.acm.org/",
        "https://ojs.aaai.org/index.php/AAAI/issue/view/385",  # an issue, not an article
        "https://www.aaai.org/ocs/index.php/AAAI/AAAI18/paper/view/17146/16755",  # the retired OCS: another id space
    ],
)
def test_look_alikes_and_pages_without_one_number_name_no_paper(url):
    assert not isinstance(classify_url(url), PaperId)


def test_evidence_rules():
    work = {"DOI": IEEE_DOI, "resource": {"primary": {"URL": "http://ieeexplore.ieee.org/document/4700287/"}}}
    assert ieee_evidence("4700287", work) and not ieee_evidence("470028", work)
    linked = {
        "DOI": IEEE_DOI,
        "link": [{"URL": "http://xplorestaging.ieee.org/ielx5/1/2/04700287.pdf?arnumber=4700287"}],
    }
    assert ieee_evidence("4700287", linked)
    assert acm_evidence("3186116", {"DOI": "10.1145/3178876.3186116"})
    assert not acm_evidence("3186116", {"DOI": "10.1145/3178876.31861160"})


def ieee_work(number: str, title: str = TITLE, doi: str = IEEE_DOI) -> dict:
    return make_work(
        doi,
        "journal-article",
        title,
        [("Franca", "Scarsello"), ("Marco", "Gorini")],
        container=["IEEE Transactions on Invented Networks"],
        date=[2009, 1],
        publisher="Institute of Electrical and Electronics Engineers (IEEE)",
        resource={"primary": {"URL": f"http://ieeexplore.ieee.org/document/{number}/"}},
        volume="20",
        issue="1",
        page="61-80",
    )


def bullets(*lines: str) -> str:
    return "# Papers\n\n" + "\n".join(lines) + "\n"


def test_an_xplore_link_resolves_to_the_crossref_record_that_carries_its_number(cli, api, workdir):
    api.crossref.add(ieee_work("4700287"))
    # Crossref ranks everything: a work with a closer title but another number must not win
    api.crossref.add(ieee_work("4700288", title=TITLE + " Revisited", doi="10.1109/tnn.2008.9999999"))
    write(
        workdir / "l.md",
        bullets(f"- **{TITLE}.** IEEE TNN 2009. [[paper]](https://ieeexplore.ieee.org/document/4700287)"),
    )
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.output
    (entry,) = entries(workdir / "out.bib").values()
    assert entry["ENTRYTYPE"] == "article"
    assert entry["journal"] == "IEEE Transactions on Invented Networks"
    assert entry["doi"] == IEEE_DOI and entry["pages"] == "61--80" and entry["year"] == "2009"
    (request,) = api.requests("crossref")
    assert request.param("filter") == "prefix:10.1109"
    assert request.param("query.bibliographic") == TITLE
    report = json.loads((workdir / "r.json").read_text())
    assert [link["outcome"] for link in report["links"]] == ["resolved"]
    # the mapping and its evidence are cached: warm and offline runs ask nothing and write the same
    cached = json.loads((workdir / "cache" / "ieee" / "4700287.json").read_text())
    assert cached["record"]["to"] == f"doi:{IEEE_DOI}" and "document/4700287" in cached["record"]["evidence"]
    api.clear_log()
    assert cli("build", "l.md", "-o", "warm.bib").exit_code == 0
    assert cli("build", "l.md", "-o", "offline.bib", "--offline").exit_code == 0
    assert api.requests() == []
    assert (
        (workdir / "warm.bib").read_text() == (workdir / "offline.bib").read_text() == (workdir / "out.bib").read_text()
    )


def test_no_record_carries_the_number_a_context_entry_and_the_reason(cli, api, workdir):
    api.crossref.add(ieee_work("4700288"))  # the same title, another document
    write(workdir / "l.md", bullets(f"- **{TITLE}.** [[paper]](https://ieeexplore.ieee.org/document/4700287)"))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    (entry,) = entries(workdir / "out.bib").values()
    assert entry["ENTRYTYPE"] == "misc" and entry["url"] == "https://ieeexplore.ieee.org/document/4700287"
    assert "author" not in entry
    assert "carries IEEE Xplore document 4700287" in result.output
    link = json.loads((workdir / "r.json").read_text())["links"][0]
    assert link["outcome"] == "failed" and "no Crossref 10.1109 record" in link["reason"]


def test_an_acm_delivery_link_matches_by_the_doi_suffix(cli, api, workdir):
    api.crossref.add(
        make_work(
            "10.1145/3178876.3186116",
            "proceedings-article",
            "Invented Recommendations at Web Scale",
            [("Lin", "Zhuo")],
            container=["Proceedings of the 2018 World Wide Web Conference on World Wide Web - WWW '18"],
            date=[2018],
            publisher="ACM Press",
        )
    )
    url = "http://delivery.acm.org/10.1145/3190000/3186116/p499-zhuo.pdf?ip=1.2.3.4&id=3186116&acc=OPEN&key=4D4"
    write(workdir / "l.md", bullets(f"- Invented Recommendations at Web Scale (2018), L. Zhuo. [[pdf]]({url})"))
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    (entry,) = entries(workdir / "out.bib").values()
    assert entry["ENTRYTYPE"] == "inproceedings" and entry["doi"] == "10.1145/3178876.3186116"
    (request,) = api.requests("crossref")
    assert request.param("filter") == "prefix:10.1145"
    assert "key=" not in request.path and "ip=" not in json.dumps(request.query)  # the signed query never leaves


def test_a_crossref_outage_is_not_cached(cli, api, workdir):
    api.fail_always("crossref", Fault.status(503))
    write(workdir / "l.md", bullets(f"- **{TITLE}.** [[paper]](https://ieeexplore.ieee.org/document/4700287)"))
    result = cli("build", "l.md", "-o", "out.bib", "--max-retries", "0")
    assert "Traceback" not in result.output
    assert not (workdir / "cache" / "ieee" / "4700287.json").exists()
    api.clear_faults()
    api.crossref.add(ieee_work("4700287"))
    assert cli("build", "l.md", "-o", "out.bib").exit_code == 0
    assert entries(workdir / "out.bib").popitem()[1]["doi"] == IEEE_DOI


def test_an_aaai_ojs_link_matches_by_the_doi_suffix(cli, api, workdir):
    api.crossref.add(
        make_work(
            "10.1609/aaai.v35i12.16789",
            "journal-article",
            "Invented Planning with Small Models",
            [("Rin", "Okabe"), ("Tom", "Vale")],
            container=["Proceedings of the AAAI Conference on Artificial Intelligence"],
            date=[2021, 5, 18],
            publisher="Association for the Advancement of Artificial Intelligence (AAAI)",
        )
    )
    api.crossref.add(  # same title, another article: Crossref ranks it too, the id check refuses it
        make_work("10.1609/aaai.v35i12.16790", "journal-article", "Invented Planning with Small Models", [("A", "B")])
    )
    url = "https://ojs.aaai.org/index.php/AAAI/article/view/16789/16596"
    write(
        workdir / "l.md",
        bullets(f"- **Invented Planning with Small Models.** R. Okabe et al. AAAI 2021. [[pdf]]({url})"),
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    (entry,) = entries(workdir / "out.bib").values()
    assert entry["doi"] == "10.1609/aaai.v35i12.16789" and entry["ENTRYTYPE"] == "article"
    (request,) = api.requests("crossref")
    assert request.param("filter") == "prefix:10.1609"
