"""Bullets and paragraphs that link a paper on a site no supported API resolves become entries.

Every paper a list names becomes an entry or a named failure: a bullet linking
NeurIPS proceedings, CVF open access, IEEE Xplore, a DOI or a PDF is a paper item
like a table row. Titles, authors and paths below are invented, in the shapes real
lists use.
"""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import write
from fakeapi.arxiv import ArxivPaper
from tridentbib.hosts import PAPER_HOSTS, is_paper_host
from tridentbib.latex import from_latex
from tridentbib.sources.markdown import read_markdown

PAPER_LINKS = [
    "https://proceedings.neurips.cc/paper/2020/file/0123abcd-Paper.pdf",
    "https://proceedings.neurips.cc/paper_files/paper/2023/hash/0123abcd-Abstract-Conference.html",
    "http://papers.nips.cc/paper/5347-an-invented-paper",
    "http://openaccess.thecvf.com/content_cvpr_2018/html/Example_Invented_CVPR_2018_paper.html",
    "http://www.cv-foundation.org/openaccess/content_iccv_2015/html/Example_ICCV_2015_paper.html",
    "http://proceedings.mlr.press/v139/example21a.html",
    "http://www.jmlr.org/papers/volume13/example12a/example12a",
    "https://ieeexplore.ieee.org/abstract/document/1234567",
    "https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=1234567",
    "https://x.ieeexplore.ieee.org/document/1234567",  # a subdomain is the same site
    "https://dl.acm.org/doi/10.1145/1234567.1234568",
    "https://link.springer.com/chapter/10.1007/978-3-000-00000-0_1",
    "https://www.ijcai.org/Proceedings/2019/0001",
    "https://www.aaai.org/Papers/AAAI/2020/AAAI-Example.1234",
    "https://ojs.aaai.org/index.php/AAAI/article/view/12345",
    "https://www.isca-archive.org/interspeech_2023/example23_interspeech.html",
    "https://www.isca-speech.org/archive/Interspeech_2019/abstracts/1234.html",
    "https://doi.org/10.1109/example.2021.0001",
    "https://dx.doi.org/10.1016/j.example.2020.01.001",
    "https://www.semanticscholar.org/paper/An-Invented-Paper/0123456789abcdef",
    "https://www.nature.com/articles/nature00001",
    "https://www.sciencedirect.com/science/article/pii/S0000000000000001",
    "https://lab.example.edu/~someone/papers/invented.pdf",  # a PDF anywhere
    "https://cdn.example.net/papers/INVENTED.PDF?download=1",
]

NOT_PAPER_LINKS = [
    "https://ieeexplore.ieee.org.evil.com/document/1234567",  # looks like the host, is not
    "https://evilieeexplore.ieee.org/document/1234567",
    "https://notdoi.org/10.1109/x",
    "https://github.com/example/invented",
    "https://github.com/example/invented/blob/main/paper.pdf",  # code hosting, even for a PDF
    "https://raw.githubusercontent.com/example/invented/main/paper.pdf",
    "https://img.shields.io/badge/NeurIPS-2020-blue",
    "https://www.youtube.com/watch?v=abcdefghijk",
    "https://scholar.google.com/citations?user=abcdefgh",
    "https://lab.example.edu/talks/invented-slides.pdf",  # slides, a poster
    "https://lab.example.edu/invented-poster.pdf",
    "https://docs.example.org/guide",
    "https://proceedings.neurips.cc/",  # home pages
    "https://dl.acm.org",
    "https://ieeexplore.ieee.org/Xplore/home.jsp",
    "https://www.semanticscholar.org/author/Ann-Example/123",
    "https://doi.org/",
    "ftp://lab.example.edu/paper.pdf",
    "javascript:alert('x.pdf')",
    "http://[::1/x.pdf",
    "",
]


@pytest.mark.parametrize("url", PAPER_LINKS)
def test_paper_hosts(url):
    assert is_paper_host(url)


@pytest.mark.parametrize("url", NOT_PAPER_LINKS)
def test_not_paper_hosts(url):
    assert not is_paper_host(url)


def test_every_listed_host_is_matched_on_its_own_and_on_a_subdomain():
    for domain, prefix in PAPER_HOSTS:
        path = prefix + ("1234/x" if prefix.endswith("/") else "/1234/x")
        assert is_paper_host(f"https://{domain}{path}") and is_paper_host(f"https://www.{domain}{path}"), domain
        assert not is_paper_host(f"https://{domain}.example.com{path}"), domain


# ----------------------------------------------------------------------------- titles and years from the item
@pytest.mark.parametrize(
    ("bullet", "title", "year"),
    [
        (
            "- **How portable are invented features?** (2014), J. Example et al. [[pdf]](http://papers.nips.cc/paper/1-x)",
            "How portable are invented features?",
            "2014",
        ),
        (
            "1. **Non-local Invented Networks.** CVPR 2018. [paper](http://openaccess.thecvf.com/x_CVPR_2018_paper.pdf)",
            "Non-local Invented Networks",
            "2018",
        ),
        (
            "- Graph Invented Networks, ICLR 2019 [pdf](https://proceedings.mlr.press/v1/x.html) [code](https://github.com/x/y)",
            "Graph Invented Networks",
            "2019",
        ),
        (
            "- Random invented search (2012) A. Example and B. Example [[pdf]](http://www.jmlr.org/papers/v13/x)",
            "Random invented search",
            "2012",
        ),
        (
            "- Deep invented residuals. In CVPR 2016 [[pdf]](https://lab.example.edu/x.pdf) [[code]](https://github.com/x)",
            "Deep invented residuals",
            "2016",
        ),
        (
            "- [An Invented Journal Paper](https://doi.org/10.1109/example.2021.0001), 2021.5",
            "An Invented Journal Paper",
            "2021",
        ),
        (
            "- **NeurIPS 2020** [Bold is a venue, the label is the title](https://papers.nips.cc/paper/2-y)",
            "NeurIPS 2020 Bold is a venue, the label is the title",
            "2020",
        ),
    ],
)
def test_a_bullet_title_without_its_citation_tail_and_its_year(bullet, title, year):
    (item,) = read_markdown(bullet + "\n", "l.md").items
    assert (item.context.title, item.context.date, item.context.paragraph) == (title, year, True)


def test_a_title_on_its_own_paragraph_above_the_links_titles_them():
    text = (
        "1. **Invented Few-Shot Tuning via Self-Supervision.**.\n\n"
        "   *Ann Example, Bo Example*.  [[pdf](http://proceedings.mlr.press/v139/example21c.html)], 2021.2\n"
        "2. **A Second Invented Paper**\n\n   - [nested items keep their own titles](https://arxiv.org/abs/2101.00001)\n"
    )
    first, nested = read_markdown(text, "l.md").items
    assert (first.context.title, first.context.date) == ("Invented Few-Shot Tuning via Self-Supervision", "2021")
    assert nested.context.title == "nested items keep their own titles"


def test_an_arxiv_id_is_not_a_year_and_a_heading_or_table_row_is_no_paragraph():
    (bullet,) = read_markdown("- Foo bar arXiv:2005.14124 [pdf](https://lab.example.edu/x.pdf)\n", "l.md").items
    assert bullet.context.date == ""
    heading, row = read_markdown(
        "## [CVPR](https://openaccess.thecvf.com/CVPR2023)\n\n| Title | Link |\n|---|---|\n| X | [p](https://lab.example.edu/x.pdf) |\n",
        "l.md",
    ).items
    assert not heading.context.paragraph and not row.context.paragraph


# ----------------------------------------------------------------------------- through the CLI
def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def build(cli, workdir, text, *extra):
    write(workdir / "l.md", text)
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json", *extra)
    report = json.loads((workdir / "r.json").read_text())
    links: dict[str, dict] = {}
    for link in report["links"]:
        links.setdefault(link["url"], link)  # a URL's first mention
    return result, links, (entries(workdir / "out.bib") if (workdir / "out.bib").exists() else {})


PAPER_BULLETS = """# Invented papers

## Classics

- **How portable are invented features?** (2014), J. Example et al. [[pdf]](http://papers.nips.cc/paper/5347-how-portable) [[code]](https://github.com/example/portable)
1. **Computational Capabilities of Invented Networks.** IEEE TNN 2009. [paper](https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=4703190)
- An invented journal article. [doi](https://doi.org/10.1016/j.example.2020.01.001)
- A lab report, 2011 [pdf](https://lab.example.edu/~ann/invented.pdf) [slides](https://lab.example.edu/~ann/invented-slides.pdf)

## Not papers

- [Invented toolkit](https://github.com/example/toolkit) - a library
- [A talk](https://www.youtube.com/watch?v=abcdefghijk) and [a profile](https://scholar.google.com/citations?user=abcdefgh)
- ![badge](https://img.shields.io/badge/x-y-blue) [home](https://proceedings.neurips.cc/) [look-alike](https://ieeexplore.ieee.org.evil.com/document/1)
Prose about a [blog post](https://blog.example.org/post) is no paper.

## Again

- **How portable are invented features?** (2014) [[pdf]](http://papers.nips.cc/paper/5347-how-portable)
"""


def test_bullets_linking_paper_hosts_become_entries_reported_as_context_entries(cli, api, workdir):
    result, links, out = build(cli, workdir, PAPER_BULLETS, "--offline")
    assert result.exit_code == 1, result.output  # the DOI: resolved through Crossref, not cached, offline
    assert [
        (fields["ENTRYTYPE"], from_latex(fields["title"]), fields.get("year"), fields["url"]) for fields in out.values()
    ] == [
        ("misc", "How portable are invented features?", "2014", "http://papers.nips.cc/paper/5347-how-portable"),
        (
            "misc",
            "Computational Capabilities of Invented Networks",
            "2009",
            "https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=4703190",
        ),
        ("misc", "An invented journal article", None, "https://doi.org/10.1016/j.example.2020.01.001"),
        ("misc", "A lab report", "2011", "https://lab.example.edu/~ann/invented.pdf"),
    ]
    lab = links["https://lab.example.edu/~ann/invented.pdf"]
    assert lab["outcome"] == "context entry" and lab["reason"].startswith("not resolved: no supported API")
    # links a service resolves (offline here, with an empty cache): a named failure, the entry from the list
    for url, kind, ident in (
        ("https://doi.org/10.1016/j.example.2020.01.001", "doi", "10.1016/j.example.2020.01.001"),
        ("https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=4703190", "ieee", "4703190"),
        ("http://papers.nips.cc/paper/5347-how-portable", "neurips", "legacy/5347"),
    ):
        link = links[url]
        assert (link["kind"], link["id"], link["outcome"]) == (kind, ident, "failed"), url
        assert link["reason"].endswith("; entry built from the list's item") and link["key"], url
    assert links["https://github.com/example/portable"]["outcome"] == "extra url"
    assert links["https://lab.example.edu/~ann/invented-slides.pdf"]["outcome"] == "extra url"
    for url in (
        "https://github.com/example/toolkit",
        "https://www.youtube.com/watch?v=abcdefghijk",
        "https://scholar.google.com/citations?user=abcdefgh",
        "https://proceedings.neurips.cc/",
        "https://ieeexplore.ieee.org.evil.com/document/1",
        "https://blog.example.org/post",
    ):
        assert (links[url]["outcome"], links[url]["key"]) == ("not supported", ""), url
    again = [l for l in json.loads((workdir / "r.json").read_text())["links"] if l["line"] == 19]
    assert [(l["outcome"], l["key"]) for l in again] == [
        ("failed", links["http://papers.nips.cc/paper/5347-how-portable"]["key"])
    ]  # a paper named twice is one entry (the same failed NeurIPS alias, the same context entry)


def test_a_bullet_with_an_arxiv_link_needs_no_second_entry(cli, api, workdir):
    api.arxiv.add_paper(ArxivPaper("2101.00002", title="An Invented Preprint", authors=["Ann Example"]))
    text = "- An Invented Preprint [arXiv](https://arxiv.org/abs/2101.00002) [NeurIPS](https://proceedings.neurips.cc/paper/2021/hash/abc-Abstract.html)\n"
    result, links, out = build(cli, workdir, text)
    assert result.exit_code == 0, result.output
    assert len(out) == 1 and next(iter(out.values()))["eprint"] == "2101.00002"
    assert links["https://proceedings.neurips.cc/paper/2021/hash/abc-Abstract.html"]["outcome"] == "extra url"
    # arXiv failing (offline, nothing cached) is a named failure, not a reason to invent an entry
    (workdir / "out.bib").unlink()
    result, links, out = build(cli, workdir, text, "--offline", "--cache-dir", "empty")
    assert result.exit_code == 1 and out == {}
    assert links["https://arxiv.org/abs/2101.00002"]["outcome"] == "failed"
    assert links["https://proceedings.neurips.cc/paper/2021/hash/abc-Abstract.html"]["outcome"] == "not supported"


def test_a_failed_openreview_link_in_a_bullet_with_a_title_gets_an_entry_from_the_bullet(cli, api, workdir):
    text = (
        "- **An Invented Accepted Paper** (ICLR 2024) [[pdf]](https://openreview.net/pdf?id=Inv3nted01)\n"
        "- https://openreview.net/forum?id=Inv3nted02\n"  # no title beside it: only the failure
    )
    result, links, out = build(cli, workdir, text, "--offline")
    assert result.exit_code == 1
    titled = links["https://openreview.net/pdf?id=Inv3nted01"]
    assert (
        titled["outcome"] == "failed"
        and titled["reason"].endswith("; entry built from the list's item")
        and titled["key"]
    )
    ((key, fields),) = out.items()
    assert (
        key == titled["key"]
        and from_latex(fields["title"]) == "An Invented Accepted Paper"
        and fields["year"] == "2024"
    )
    assert links["https://openreview.net/forum?id=Inv3nted02"]["key"] == ""


def test_id_lists_and_headings_linking_paper_hosts_make_no_entries(cli, api, workdir):
    write(
        workdir / "ids.txt",
        "10.1016/j.example.2020.01.001\nhttps://proceedings.neurips.cc/paper/2020/file/abc-Paper.pdf\n",
    )
    write(workdir / "l.md", "## [Invented Workshop 2020](https://proceedings.mlr.press/v999/)\n")
    result = cli("build", "ids.txt", "l.md", "-o", "out.bib", "--report", "r.json", "--offline")
    report = json.loads((workdir / "r.json").read_text())
    assert report["summary"]["entries"] == 0, result.output
    assert [l["outcome"] for l in report["links"]] == ["failed"] + ["not supported"] * 2  # the DOI: offline


def test_a_table_row_whose_only_link_is_a_doi_gets_an_entry(cli, api, workdir):
    text = "| Date | Paper Title | Link |\n|---|---|---|\n| 2020-03 | An Invented Journal Paper | [doi](https://doi.org/10.1109/example.2020.0003) |\n"
    result, links, out = build(cli, workdir, text, "--offline")
    assert result.exit_code == 1, result.output  # offline, and Crossref's record is not cached
    ((_key, fields),) = out.items()
    assert (from_latex(fields["title"]), fields["year"], fields["month"], fields["url"]) == (
        "An Invented Journal Paper",
        "2020",
        "mar",
        "https://doi.org/10.1109/example.2020.0003",
    )
    doi = links["https://doi.org/10.1109/example.2020.0003"]
    assert doi["outcome"] == "failed" and doi["reason"].endswith("entry built from the list's row")
