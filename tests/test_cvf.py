"""CVF open access: the link forms, the paper page read leniently, through the real CLI on both hosts, a 404, warm and offline runs."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.cvf import CvfPaper
from tridentbib.identifiers import Kind, PaperId, classify_url, is_valid_id
from tridentbib.latex import from_latex
from tridentbib.resolvers.cvf import from_cvf, parse_page

RESNET = "content_cvpr_2016/Example_Invented_Residual_Learning_CVPR_2016_paper"
NEW = "content/CVPR2023/Doe_An_Invented_Transformer_CVPR_2023_paper"
WORKSHOP = "content_cvpr_workshops_2014/W15/Roe_Invented_Workshop_Features_2014_CVPR_paper"


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def table(*rows: tuple[str, str]) -> str:
    lines = ["## Papers", "", "| Date | Paper Title | Link |", "|---|---|---|"]
    lines += [f"| 2016-06 | {title} | [paper]({url}) |" for title, url in rows]
    return "\n".join(lines) + "\n"


# -- links -> ids ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, ident",
    [
        (f"https://openaccess.thecvf.com/{RESNET}.pdf".replace("2016/", "2016/papers/"), RESNET),
        (f"https://openaccess.thecvf.com/{RESNET}.html".replace("2016/", "2016/html/"), RESNET),
        (f"http://openaccess.thecvf.com/{RESNET}.pdf".replace("2016/", "2016/papers_backup/"), RESNET),
        (f"http://www.cv-foundation.org/openaccess/{RESNET}.pdf".replace("2016/", "2016/papers/"), RESNET),
        (f"https://cv-foundation.org/openaccess/{RESNET}.html".replace("2016/", "2016/html/"), RESNET),
        (
            "http://www.cv-foundation.org//openaccess/content_cvpr_workshops_2014/W15/papers/"
            "Roe_Invented_Workshop_Features_2014_CVPR_paper.pdf",
            WORKSHOP,
        ),
        (
            "https://openaccess.thecvf.com/content/CVPR2023/html/Doe_An_Invented_Transformer_CVPR_2023_paper.html",
            NEW,
        ),
        (
            "https://openaccess.thecvf.com/content/CVPR2023/papers/Doe_An_Invented_Transformer_CVPR_2023_paper.pdf",
            NEW,
        ),
        (  # the folder's case is kept: the site's paths are case-sensitive
            "http://openaccess.thecvf.com/content_CVPR_2019/papers/Example_Invented_CVPR_2019_paper.pdf",
            "content_CVPR_2019/Example_Invented_CVPR_2019_paper",
        ),
        (
            "http://openaccess.thecvf.com/content_cvpr_2018/papers/Example_Invented_CVPR_2018_paper.pdf?x=1#page=2",
            "content_cvpr_2018/Example_Invented_CVPR_2018_paper",
        ),
        (
            "https://openaccess.thecvf.com/content_ICCV_2017/html/Example_Invented_ICCV_2017_paper.html",
            "content_ICCV_2017/Example_Invented_ICCV_2017_paper",
        ),
        (
            "openaccess.thecvf.com/content/ICCV2023W/INVENTED/html/Example_Workshop_ICCVW_2023_paper.html",
            "content/ICCV2023W/INVENTED/Example_Workshop_ICCVW_2023_paper",
        ),
    ],
)
def test_each_link_form_names_folder_and_stem(url, ident):
    assert classify_url(url) == PaperId(Kind.CVF, ident)


@pytest.mark.parametrize(
    "url",
    [
        "https://openaccess.thecvf.com.evil.com/content_cvpr_2016/html/Example_CVPR_2016_paper.html",  # look-alikes
        "https://evilopenaccess.thecvf.com/content_cvpr_2016/html/Example_CVPR_2016_paper.html",
        "https://openaccess-thecvf.com/content_cvpr_2016/html/Example_CVPR_2016_paper.html",
        "https://www.cv-foundation.org.example.org/openaccess/content_cvpr_2014/papers/Example_paper.pdf",
        "https://notcv-foundation.org/openaccess/content_cvpr_2014/papers/Example_paper.pdf",
        "https://www.cv-foundation.org/content_cvpr_2014/papers/Example_paper.pdf",  # not under /openaccess/
        "https://openaccess.thecvf.com/content_cvpr_2016/../papers/Example_CVPR_2016_paper.pdf",  # traversal
        "https://openaccess.thecvf.com/content_cvpr_2016/html/..%2F..%2Fetc%2Fpasswd.html",
        "https://openaccess.thecvf.com/content_cvpr_2016/html/%2e%2e.html",
        "https://openaccess.thecvf.com/content_cvpr_2016/html/Example.paper.html",  # a dot in the stem
        "https://openaccess.thecvf.com/content_cvpr_2016/html/Ex%20ample.html",
        "https://openaccess.thecvf.com/content_cvpr_2016/papers/Example_CVPR_2016_paper.html",  # wrong extension
        "https://openaccess.thecvf.com/content_cvpr_2016/html/Example_CVPR_2016_paper.pdf",
        "https://openaccess.thecvf.com/content_cvpr_2016/supplemental/Example_CVPR_2016_supplemental.pdf",
        "https://openaccess.thecvf.com/content_cvpr_2016/html/.html",
        "https://openaccess.thecvf.com/content_cvpr_1999/html/Example_paper.html",  # years 2013 on
        "https://openaccess.thecvf.com/content_cvpr/html/Example_paper.html",
        "https://openaccess.thecvf.com/CVPR2023",  # index pages
        "https://openaccess.thecvf.com/CVPR2023?day=all",
        "https://openaccess.thecvf.com/content/CVPR2023/html",
        "https://openaccess.thecvf.com/",
        "https://openaccess.thecvf.com/content/CVPR2023/html/a/b/Example_paper.html",  # too deep
        f"https://openaccess.thecvf.com/content/CVPR2023/html/{'A' * 260}_paper.html",  # too long
    ],
)
def test_look_alikes_traversal_and_other_pages_name_no_cvf_paper(url):
    assert classify_url(url) is None


def test_the_id_grammar_is_strict():
    for good in (RESNET, NEW, WORKSHOP, "content_CVPR_2019/X_paper", "content/CVPR2023W/L3D-IVU/X_paper"):
        assert is_valid_id(Kind.CVF, good), good
    for bad in (
        "content_cvpr_2016/../x",
        "content_cvpr_2016/a.b",
        "content_cvpr_2016",
        "content_cvpr_2016/",
        "/content_cvpr_2016/x",
        "content_cvpr_2016/html/x",
        "content_cvpr_2016/x/y/z",
        "elsewhere_2016/x",
        "content/CVPR2023/x\n",
        "content_cvpr_2016/" + "x" * 250,
    ):
        assert not is_valid_id(Kind.CVF, bad), bad
    with pytest.raises(ValueError):
        PaperId(Kind.CVF, "content_cvpr_2016/../../x")


# -- the page, on inline html ----------------------------------------------------------


PAGE = """<!DOCTYPE html><html><head>
<meta name="citation_title" content="Meta Title &amp; More">
<meta name="citation_author" content="M&uuml;ller, J&uuml;rgen">
<meta name="citation_author" content="Ann Example">
<meta name="citation_publication_date" content="2019">
<meta name="citation_conference_title" content="Proceedings of the Invented Conference">
<meta name="citation_firstpage" content="100">
<meta name="citation_lastpage" content="109">
<meta name="citation_pdf_url" content="https://openaccess.thecvf.com/content_CVPR_2019/papers/X_paper.pdf">
</head><body><div id="content"><dl><dd>
<div id="papertitle">Div Title</div>
<div id="abstract">
  We invent a <b>new</b> method: 30% faster &lt;really&gt;.
  <p>Second paragraph, never closed.
</div>
<div class="footer">not the abstract</div>
BIB
</dd></dl></div></body></html>"""

OLD_BIB = """<div class="bibref">
@InProceedings{Mueller_2019_CVPR,<br>
author = {M&uuml;ller, J&uuml;rgen and Example, Ann},<br>
title = {Bib Title: Invented {3D} Things &amp; Stuff},<br>
booktitle = {Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR) Workshops},<br>
month = {June},<br>
year = {2019}<br>
}
</div>"""


def test_the_bibtex_block_is_the_record_entities_decoded_and_the_meta_fill_the_pages():
    page = parse_page(PAGE.replace("BIB", OLD_BIB))
    assert page["bibtex"]["key"] == "Mueller_2019_CVPR"
    assert page["bibtex"]["fields"]["author"] == "Müller, Jürgen and Example, Ann"
    assert page["abstract"] == "We invent a new method: 30% faster <really>. Second paragraph, never closed."
    assert page["meta"]["authors"] == ["Müller, Jürgen", "Ann Example"]
    entry = from_cvf({"id": "content_CVPR_2019/X_paper", "legacy": False, **page})
    assert entry.entry_type == "inproceedings" and entry.origin == "cvf"
    assert entry.identity == {"cvf:content_CVPR_2019/X_paper"}
    fields = entry.fields
    assert from_latex(fields["title"]) == "Bib Title: Invented 3D Things & Stuff"
    assert fields["author"] == "Müller, Jürgen and Example, Ann"
    # a workshop keeps its own booktitle
    assert fields["booktitle"].endswith("(CVPR) Workshops")
    assert (fields["year"], fields["month"], fields["pages"]) == ("2019", "jun", "100--109")
    assert "month" in entry.macros
    assert from_latex(fields["abstract"]) == page["abstract"]
    assert fields["url"] == "https://openaccess.thecvf.com/content_CVPR_2019/html/X_paper.html"
    assert "doi" not in fields


def test_without_the_bibtex_block_the_meta_give_title_authors_venue_year_and_pages():
    page = parse_page(PAGE.replace("BIB", ""))
    assert page["bibtex"] == {}
    entry = from_cvf({"id": "content_cvpr_2016/X_paper", "legacy": True, **page})
    fields = entry.fields
    assert from_latex(fields["title"]) == "Meta Title & More"
    assert from_latex(fields["author"]) == "Müller, Jürgen and Example, Ann"
    assert fields["booktitle"] == "Proceedings of the Invented Conference"
    assert (fields["year"], fields["pages"]) == ("2019", "100--109") and "month" not in fields
    assert fields["url"] == "https://www.cv-foundation.org/openaccess/content_cvpr_2016/html/X_paper.html"


def test_a_new_layout_bib_gives_its_pages_and_the_title_div_is_the_last_resort():
    bib = (
        '<div class="bibref pre-white-space">@InProceedings{Doe_2023_CVPR,\n    author    = {Doe, Jane},\n'
        "    title     = {Invented},\n    booktitle = {Proceedings (CVPR)},\n    month     = {June},\n"
        "    year      = {2023},\n    pages     = {5294-5306}\n}</div>"
    )
    entry = from_cvf({"id": NEW, "legacy": False, **parse_page(f"<html><body>{bib}</body></html>")})
    assert (entry.fields["pages"], entry.fields["month"], entry.fields["year"]) == ("5294--5306", "jun", "2023")
    bare = parse_page('<div id="papertitle">Only &quot;A&quot; Title</div><div class="bibref">@broken{</div>')
    assert bare["bibtex"] == {}
    entry = from_cvf({"id": NEW, "legacy": False, **bare})
    assert from_latex(entry.fields["title"]) == 'Only "A" Title' and entry.fields["year"] == "2023"
    assert "author" not in entry.fields and "pages" not in entry.fields


# -- through the CLI ---------------------------------------------------------------


@pytest.fixture
def papers(api):
    api.cvf.add(
        CvfPaper(
            "content_cvpr_2016",
            "Example_Invented_Residual_Learning_CVPR_2016_paper",
            "Invented Residual Learning for Images",
            ["Exampleson, Kai", "Zhang, Xi", "Ren\u00e9, Shao"],
            booktitle="Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)",
            year=2016,
            pages=(770, 778),
            abstract="Deeper invented networks are harder to train & we fix that.",
            old_layout=True,
            hosts=frozenset({"legacy", "main"}),
        )
    )
    api.cvf.add(
        CvfPaper(
            "content/CVPR2023",
            "Doe_An_Invented_Transformer_CVPR_2023_paper",
            "An Invented Transformer",
            ["Doe, Jane", "Roe, Richard"],
            year=2023,
            pages=(5294, 5306),
        )
    )
    api.cvf.add(
        CvfPaper(
            "content_cvpr_workshops_2014/W15",
            "Roe_Invented_Workshop_Features_2014_CVPR_paper",
            "Invented Workshop Features",
            ["Roe, Richard"],
            booktitle="Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR) Workshops",
            year=2014,
            pages=None,
            old_layout=True,
            hosts=frozenset({"main"}),  # the old host has lost it: asked there first, then on the main host
        )
    )
    return api


RESNET_PDF = (
    "http://www.cv-foundation.org/openaccess/content_cvpr_2016/papers/"
    "Example_Invented_Residual_Learning_CVPR_2016_paper.pdf"
)
NEW_PDF = "https://openaccess.thecvf.com/content/CVPR2023/papers/Doe_An_Invented_Transformer_CVPR_2023_paper.pdf"
WORKSHOP_PDF = (
    "http://www.cv-foundation.org//openaccess/content_cvpr_workshops_2014/W15/papers/"
    "Roe_Invented_Workshop_Features_2014_CVPR_paper.pdf"
)


def test_table_links_build_the_sites_entries_then_replay_warm_and_offline(cli, papers, workdir):
    write(
        workdir / "l.md",
        table(
            ("Invented Residual Learning for Images", RESNET_PDF),
            ("An Invented Transformer", NEW_PDF),
            ("Invented Workshop Features", WORKSHOP_PDF),
            (
                "Invented Residual Learning for Images",
                RESNET_PDF.replace("www.cv-foundation.org/openaccess", "openaccess.thecvf.com"),
            ),
        ),
    )
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert result.exit_code == 0, result.stderr
    out = {from_latex(fields["title"]): fields for fields in entries(workdir / "out.bib").values()}
    assert len(out) == 3, out.keys()

    resnet = out["Invented Residual Learning for Images"]
    assert resnet["ENTRYTYPE"] == "inproceedings"
    assert from_latex(resnet["author"]) == "Exampleson, Kai and Zhang, Xi and René, Shao"
    assert resnet["booktitle"] == "Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert (resnet["year"], resnet["month"], resnet["pages"]) == ("2016", "jun", "770--778")  # pages from the meta
    assert from_latex(resnet["abstract"]) == "Deeper invented networks are harder to train & we fix that."
    assert resnet["url"] == (
        "https://www.cv-foundation.org/openaccess/content_cvpr_2016/html/"
        "Example_Invented_Residual_Learning_CVPR_2016_paper.html"
    )
    assert "month = jun," in (workdir / "out.bib").read_text()  # the macro, bare

    new = out["An Invented Transformer"]
    assert (new["pages"], new["year"], new["month"]) == ("5294--5306", "2023", "jun")
    assert new["url"] == (
        "https://openaccess.thecvf.com/content/CVPR2023/html/Doe_An_Invented_Transformer_CVPR_2023_paper.html"
    )
    workshop = out["Invented Workshop Features"]
    assert workshop["booktitle"].endswith("(CVPR) Workshops") and "pages" not in workshop
    assert workshop["url"].startswith("https://openaccess.thecvf.com/content_cvpr_workshops_2014/W15/html/")

    # 2013-2016: the old host first; the workshop paper it lacks then comes from the main host; 2023 only there
    asked = [(r.service, r.subpath) for r in papers.log if r.service.startswith("cvf")]
    assert asked == [
        ("cvf-legacy", "/openaccess/content_cvpr_2016/html/Example_Invented_Residual_Learning_CVPR_2016_paper.html"),
        ("cvf", "/content/CVPR2023/html/Doe_An_Invented_Transformer_CVPR_2023_paper.html"),
        (
            "cvf-legacy",
            "/openaccess/content_cvpr_workshops_2014/W15/html/Roe_Invented_Workshop_Features_2014_CVPR_paper.html",
        ),
        ("cvf", "/content_cvpr_workshops_2014/W15/html/Roe_Invented_Workshop_Features_2014_CVPR_paper.html"),
    ]
    report = json.loads((workdir / "r.json").read_text())
    assert report["requests"]["cvf"] == 4
    assert len(list((workdir / "cache" / "cvf").iterdir())) == 3

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
    assert stats.exit_code == 0 and "cvf" in stats.output
    assert papers.requests() == []


def test_bullets_with_cvf_links_build_full_entries(cli, papers, workdir):
    write(
        workdir / "l.md",
        "# Vision\n\n"
        f"- **Invented Residual Learning for Images** (2016), K. Exampleson et al. [[pdf]]({RESNET_PDF})\n"
        f"- An Invented Transformer. CVPR 2023. [paper]({NEW_PDF})\n",
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    out = {from_latex(fields["title"]): fields for fields in entries(workdir / "out.bib").values()}
    assert set(out) == {"Invented Residual Learning for Images", "An Invented Transformer"}
    assert all(fields["ENTRYTYPE"] == "inproceedings" and "author" in fields for fields in out.values())
    assert from_latex(out["An Invented Transformer"]["author"]) == "Doe, Jane and Roe, Richard"


def test_a_page_on_no_host_is_a_named_failure_with_a_context_entry(cli, api, workdir):
    url = "http://www.cv-foundation.org/openaccess/content_iccv_2015/papers/Lost_Invented_Paper_ICCV_2015_paper.pdf"
    write(workdir / "l.md", table(("An Invented Lost Paper", url)))
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json")
    assert "cvf content_iccv_2015/Lost_Invented_Paper_ICCV_2015_paper: CVF open access has no such paper" in (
        result.stderr
    )
    (fields,) = entries(workdir / "out.bib").values()
    assert fields["url"] == url and from_latex(fields["title"]) == "An Invented Lost Paper"
    assert fields["ENTRYTYPE"] == "misc"
    (link,) = json.loads((workdir / "r.json").read_text())["links"]
    assert link["outcome"] == "failed" and "entry built from the list's row" in link["reason"]
    assert [(r.service, r.subpath) for r in api.log if r.service.startswith("cvf")] == [
        ("cvf-legacy", "/openaccess/content_iccv_2015/html/Lost_Invented_Paper_ICCV_2015_paper.html"),
        ("cvf", "/content_iccv_2015/html/Lost_Invented_Paper_ICCV_2015_paper.html"),
    ]
    # the negative answer is cached: the next run asks CVF nothing
    api.clear_log()
    cli("build", "l.md", "-o", "out.bib")
    assert [r for r in api.log if r.service.startswith("cvf")] == []


def test_an_outage_is_not_cached(cli, papers, workdir):
    from fakeapi import Fault

    papers.fail_always("cvf", Fault.status(503))
    write(workdir / "l.md", table(("An Invented Transformer", NEW_PDF)))
    result = cli(
        "build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "1"}
    )
    assert "1 failed" in result.stderr and "HTTP 503" in result.stderr
    folder = workdir / "cache" / "cvf"
    assert not folder.exists() or not any(folder.iterdir())


def test_an_outage_on_the_old_host_with_a_404_on_the_main_one_is_not_taken_as_no_such_paper(cli, papers, workdir):
    from fakeapi import Fault

    papers.fail_always("cvf-legacy", Fault.status(503))
    url = "http://www.cv-foundation.org/openaccess/content_iccv_2015/papers/Lost_Invented_Paper_ICCV_2015_paper.pdf"
    write(workdir / "l.md", table(("An Invented Lost Paper", url), ("Invented Residual Learning", RESNET_PDF)))
    result = cli(
        "build", "l.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0", "TRIDENTBIB_MAX_RETRIES": "0"}
    )
    assert "1 failed" in result.stderr and "HTTP 503" in result.stderr
    # the paper the main host has still resolves, with the main host's page as its url
    out = {from_latex(fields["title"]): fields for fields in entries(workdir / "out.bib").values()}
    assert out["Invented Residual Learning for Images"]["url"].startswith("https://openaccess.thecvf.com/")
    assert [path.name for path in (workdir / "cache" / "cvf").iterdir()] == [
        "content_cvpr_2016%2FExample_Invented_Residual_Learning_CVPR_2016_paper.json"
    ]


def test_a_page_without_a_title_is_not_an_answer(cli, api, workdir):
    from fakeapi import Fault

    api.inject("cvf", Fault.html("<html><body><p>Please enable JavaScript</p></body></html>", 200))
    write(workdir / "l.md", table(("An Invented Transformer", NEW_PDF)))
    result = cli("build", "l.md", "-o", "out.bib")
    assert "CVF open access answered with a page that has no paper title" in result.stderr
    folder = workdir / "cache" / "cvf"
    assert not folder.exists() or not any(folder.iterdir())
