"""Lists written in HTML: ``<table>`` rows, ``<a href>`` in paragraphs and blocks, ``<details>``.

The titles, ids and hosts below are invented; the shapes are those real awesome
lists use (a ``<tr><th>Date</th><th>Title</th>...`` header, ``<td align='center'>``
cells holding ``<a href>Paper</a>``, badges, tables cut by blank lines).
"""

from __future__ import annotations

import json
import time

import bibtexparser
import pytest

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.crossref import make_work
from tridentbib.identifiers import Kind, PaperId
from tridentbib.sources import markdown
from tridentbib.sources.markdown import read_markdown


def links_of(doc) -> list[tuple[int, str, str]]:
    return [(link.context.line, link.url, link.text) for item in doc.items for link in item.links]


# ----------------------------------------------------------------------------- tables
HTML_TABLE = """# Invented list

## Speech models

<table>
  <tr><th>Date</th><th>Model Name</th><th>Paper Title</th><th>Link</th></tr>
  <tr>
    <td>2023-01</td>
    <td>Warble</td>
    <td>Warble: Singing Codecs &amp; Friends</td>
    <td align='center'><a href="https://arxiv.org/abs/2301.00011">Paper</a>
      <a href="https://github.com/example/warble"><img src="https://img.shields.io/github/stars/example/warble"></a></td>
  </tr>
  <tr>
    <td>2024-11</td><td>Hum</td><td>Hum: a model announced in a blog</td><td><a href='https://hum.example.org/blog/hum'>Blog</a></td>
  </tr>
</table>
"""


def test_an_html_table_row_is_a_row_with_its_cells():
    doc = read_markdown(HTML_TABLE, "l.md")
    first, blog = doc.items
    assert first.context.line == 7 and blog.context.line == 14  # each <tr>'s own line
    assert first.context.section == "Speech models"
    assert dict(first.context.cells) == {
        "Date": "2023-01",
        "Model Name": "Warble",
        "Paper Title": "Warble: Singing Codecs & Friends",
        "Link": "Paper",
    }
    assert (first.context.title, first.context.date, first.context.name) == (
        "Warble: Singing Codecs & Friends",
        "2023-01",
        "Warble",
    )
    assert [(link.url, link.text, link.target) for link in first.links] == [
        ("https://arxiv.org/abs/2301.00011", "Paper", PaperId(Kind.ARXIV, "2301.00011")),
        ("https://github.com/example/warble", "", None),  # a badge is just its link; the <img> is no link
    ]
    assert (blog.context.name, blog.links[0].url) == ("Hum", "https://hum.example.org/blog/hum")


def test_a_header_from_the_first_row_of_thead_and_br_separated_cells():
    doc = read_markdown(
        "<table><thead><tr><td>Title</td><td>Links</td></tr></thead><tbody>\n"
        '<tr><td>Murmur<br>Small Voices</td><td><a href=https://arxiv.org/abs/2302.00012>arXiv</a><br/><a href="https://github.com/example/murmur">code</a></td></tr>\n'
        "</tbody></table>\n",
        "l.md",
    )
    (row,) = doc.items
    assert dict(row.context.cells) == {"Title": "Murmur Small Voices", "Links": "arXiv code"}
    assert [link.url for link in row.links] == ["https://arxiv.org/abs/2302.00012", "https://github.com/example/murmur"]


def test_a_table_cut_by_blank_lines_with_markdown_in_a_cell_is_one_table():
    text = (
        "<table>\n<tr><th>Date</th><th>Title</th><th>Link</th></tr>\n\n"  # a blank line ends the html_block
        "<tr>\n<td>2023-03</td>\n<td>\n\n"
        "**Chirp**: a Markdown title [pdf](https://arxiv.org/pdf/2303.00013)\n\n"  # a Markdown paragraph inside the <td>
        '</td>\n<td><a href="https://github.com/example/chirp">code</a></td>\n</tr>\n\n'
        '<tr><td>2023-04</td><td>Trill</td><td><a href="https://arxiv.org/abs/2304.00014">paper</a></td></tr>\n'
        "</table>\n\n"
        "- after the table: [x](https://arxiv.org/abs/2305.00015)\n"
    )
    doc = read_markdown(text, "l.md")
    chirp, trill, bullet = doc.items
    assert chirp.context.line == 4 and dict(chirp.context.cells) == {
        "Date": "2023-03",
        "Title": "Chirp: a Markdown title pdf",
        "Link": "code",
    }
    assert [link.url for link in chirp.links] == [
        "https://arxiv.org/pdf/2303.00013",
        "https://github.com/example/chirp",
    ]
    assert (trill.context.line, trill.context.title) == (14, "Trill")
    assert bullet.context.cells == () and bullet.links[0].target == PaperId(Kind.ARXIV, "2305.00015")


def test_a_table_without_a_header_is_read_like_bullets():
    """A contributors' table: photos linking home pages. No column says "Title", so no row is a paper row."""
    doc = read_markdown(
        '<table>\n  <tr>\n    <td align="center">\n      <a href="https://ann.example.org/">\n'
        '        <img src="https://avatars.example.org/u/1" width="100px;" alt=""/>\n        <br />\n'
        "        <sub><b>Ann Example</b></sub>\n      </a>\n    </td>\n"
        '    <td align="center"><a href="https://scholar.google.com/citations?user=x"><sub><b>Bo Example</b></sub></a></td>\n'
        "  </tr>\n</table>\n",
        "l.md",
    )
    (row,) = doc.items
    assert row.context.cells == () and row.context.paragraph
    assert [(link.context.line, link.url) for link in row.links] == [
        (2, "https://ann.example.org/"),
        (2, "https://scholar.google.com/citations?user=x"),
    ]


def test_an_unclosed_table_ends_at_the_next_heading():
    doc = read_markdown(
        '<table><tr><th>Title</th></tr><tr><td><a href="https://arxiv.org/abs/2306.00016">Never closed</a>\n\n'
        "## Next section\n\n- [p](https://arxiv.org/abs/2306.00017)\n",
        "l.md",
    )
    row, bullet = doc.items
    assert row.context.title == "Never closed" and row.context.section == ""
    assert bullet.context.section == "Next section" and bullet.context.cells == ()


# ----------------------------------------------------------------------------- links outside tables
def test_inline_html_links_in_paragraphs_and_bullets():
    doc = read_markdown(
        'Read <a href="https://arxiv.org/abs/2307.00018">the Quill paper</a> first.\n\n'
        "- **Quill 2**: second\n  line <A HREF='https://arxiv.org/abs/2307.00019v2'>pdf</A>\n",
        "l.md",
    )
    prose, bullet = doc.items
    assert prose.context.title == "Read the Quill paper first"
    assert links_of(doc) == [
        (1, "https://arxiv.org/abs/2307.00018", "the Quill paper"),
        (4, "https://arxiv.org/abs/2307.00019v2", "pdf"),
    ]
    assert bullet.context.title == "Quill 2" and bullet.links[0].target == PaperId(Kind.ARXIV, "2307.00019", 2)


def test_links_in_html_blocks_each_block_element_one_item():
    doc = read_markdown(
        '<p align="center">\n  <a href="https://arxiv.org/abs/2308.00020"><img src="https://img.shields.io/badge/arXiv-2308.00020-red"></a>\n'
        '  <a href="https://github.com/example/lark">code</a>\n</p>\n'
        "<div>Also: https://arxiv.org/abs/2308.00021 and arXiv:2308.00022</div>\n",
        "l.md",
    )
    badges, also = doc.items
    assert [(link.context.line, link.url) for link in badges.links] == [
        (2, "https://arxiv.org/abs/2308.00020"),
        (3, "https://github.com/example/lark"),
    ]
    assert [link.target for link in also.links] == [
        PaperId(Kind.ARXIV, "2308.00021"),
        PaperId(Kind.ARXIV, "2308.00022"),
    ]
    assert also.context.line == 5


def test_relative_javascript_and_mailto_hrefs_images_comments_code_and_scripts_are_not_links():
    doc = read_markdown(
        '<p><a href="#survey">Survey</a> <a href="papers/x.pdf">x</a> <a href="javascript:alert(1)">js</a>\n'
        '<a href="mailto:a@example.org">mail</a> <img src="https://arxiv.org/abs/2309.00023"></p>\n'
        '<!-- <a href="https://arxiv.org/abs/2309.00024">commented out</a> -->\n'
        "<pre>https://arxiv.org/abs/2309.00025</pre>\n"
        "<p><code>https://arxiv.org/abs/2309.00026</code></p>\n"
        '<script>var u = "https://arxiv.org/abs/2309.00027";</script>\n'
        '<p><a href="https://arxiv.org/abs/2309.00028">kept</a></p>\n',
        "l.md",
    )
    assert [url for _line, url, _text in links_of(doc)] == ["https://arxiv.org/abs/2309.00028"]


def test_details_with_markdown_inside_and_with_html_inside():
    doc = read_markdown(
        '<details>\n<summary>Milestones <a href="https://arxiv.org/abs/2310.00029">survey</a></summary>\n\n'
        "| Date | Paper |\n|---|---|\n| 2023-10 | [Robin](https://arxiv.org/abs/2310.00030) |\n\n"
        "- [Wren](https://arxiv.org/abs/2310.00031)\n\n"
        '<a href="https://arxiv.org/abs/2310.00032">Finch</a>\n</details>\n',
        "l.md",
    )
    assert [(line, url.rsplit("/", 1)[1]) for line, url, _text in links_of(doc)] == [
        (2, "2310.00029"),
        (6, "2310.00030"),
        (8, "2310.00031"),
        (10, "2310.00032"),
    ]
    summary, robin, wren, finch = doc.items
    assert robin.context.title == "Robin" and dict(robin.context.cells)["Date"] == "2023-10"
    assert (summary.context.title, wren.context.title, finch.context.title) == ("Milestones survey", "Wren", "Finch")


def test_an_html_heading_names_the_section():
    doc = read_markdown('<h2 align="center">Codec papers</h2>\n\n- [Owl](https://arxiv.org/abs/2311.00033)\n', "l.md")
    assert doc.items[0].context.section == "Codec papers"


def test_plain_markdown_never_starts_the_html_reader(monkeypatch):
    """Reading a 10,000-row GFM list must not get slower: the HTML reader is made at the first HTML."""

    def refuse(*_args):
        raise AssertionError("no HTML here")

    monkeypatch.setattr(markdown, "HtmlReader", refuse)
    rows = "".join(
        f"| 2023-01 | M{n} | Title {n} | [paper](https://arxiv.org/abs/2301.{n + 1:05d}) |\n" for n in range(2000)
    )
    doc = read_markdown(
        "| Date | Model | Title | Link |\n|---|---|---|---|\n" + rows + "\n- a < b and [x](https://example.org/x)\n",
        "l.md",
    )
    assert len(doc.items) == 2001
    with pytest.raises(AssertionError, match="no HTML here"):
        read_markdown('<p><a href="https://arxiv.org/abs/2301.00001">x</a></p>\n', "l.md")


# ----------------------------------------------------------------------------- hostile HTML
PATHOLOGICAL_HTML = {
    "100k-unclosed-cells": "<table><tr><th>Title</th></tr><tr>" + "<td>x" * 100_000 + "\n",
    # kept, the unclosed comment would be scanned again at every later block: 10x slower here, and quadratic
    "unclosed-comment-then-many-blocks": "<div><!-- never closed\n\n" + "<div>x</div>\n\n" * 80_000,
    "unclosed-tag-then-many-blocks": '<div><a href="https://x.org\n\n' + "<p>y</p>\n\n" * 20_000,
    "unclosed-script-then-many-blocks": "<script>\n\n"
    + '<p><a href="https://arxiv.org/abs/2301.00001">p</a></p>\n\n' * 20_000,
    "marked-sections": "<div>" + "<![foo[x]]>" * 20_000 + "</div>\n",
    "50k-nested-anchors": "<p>" + '<a href="https://example.org/a">' * 50_000 + "</p>\n",
    "20k-nested-tables": "<table><tr><td>" * 20_000 + "\n",
    "1MB-of-angle-brackets": "<div>" + "<" * 1_000_000 + "\n",
    "inline-html-10k-times": "".join(
        f'- <b>t</b> <a href="https://arxiv.org/abs/2301.{n + 1:05d}">p</a>\n' for n in range(10_000)
    ),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL_HTML))
def test_pathological_html_is_read_in_linear_time(name):
    started = time.monotonic()
    read_markdown(PATHOLOGICAL_HTML[name], "p.md")
    assert time.monotonic() - started < 8, name


def test_a_script_left_open_in_a_block_ends_with_the_block():
    doc = read_markdown('<div><script>\n\n<p><a href="https://arxiv.org/abs/2312.00034">kept</a></p>\n', "l.md")
    assert [url for _l, url, _t in links_of(doc)] == ["https://arxiv.org/abs/2312.00034"]


def test_what_the_html_parser_gives_up_on_loses_nothing_after_it(monkeypatch):
    from tridentbib.sources.html import HtmlReader

    text = '<p><![foo[ x ]]> <a href="https://arxiv.org/abs/2312.00035">after a marked section</a></p>\n\n<div><?php x ?></div>\n\n<p><a href="https://arxiv.org/abs/2312.00036">next block</a></p>\n'
    assert [url for _l, url, _t in links_of(read_markdown(text, "l.md"))] == [
        "https://arxiv.org/abs/2312.00035",
        "https://arxiv.org/abs/2312.00036",
    ]

    def gives_up(self, i):
        raise AssertionError("unexpected call to parse_pi()")

    monkeypatch.setattr(HtmlReader, "parse_pi", gives_up)  # as HTMLParser does on some constructs
    assert [url for _l, url, _t in links_of(read_markdown(text, "l.md"))] == [
        "https://arxiv.org/abs/2312.00035",
        "https://arxiv.org/abs/2312.00036",
    ]


# ----------------------------------------------------------------------------- through the CLI
GFM_EQUIVALENT = """# Invented list

## Speech models

| Date | Model Name | Paper Title | Link |
|---|---|---|---|
| 2023-01 | Warble | Warble: Singing Codecs & Friends | [Paper](https://arxiv.org/abs/2301.00011) [code](https://github.com/example/warble) |
| 2024-11 | Hum | Hum: a model announced in a blog | [Blog](https://hum.example.org/blog/hum) |
| 2022-06 | Lilt | Lilt: proceedings only | [pdf](https://proceedings.neurips.cc/paper/2022/file/abc-Paper.pdf) |
| 2021-02 | Coo | Coo: a DOI only | [doi](https://doi.org/10.1109/example.2021.0001) |
"""

HTML_EQUIVALENT = """# Invented list

## Speech models

<table>
<thead><tr><th>Date</th><th>Model Name</th><th>Paper Title</th><th>Link</th></tr></thead>
<tr>
  <td>2023-01</td><td>Warble</td><td>Warble: Singing Codecs &amp; Friends</td>
  <td align='center'><a href="https://arxiv.org/abs/2301.00011">Paper</a> <a href="https://github.com/example/warble">code</a></td>
</tr>

<tr><td>2024-11</td><td>Hum</td><td>Hum: a model announced in a blog</td><td><a href="https://hum.example.org/blog/hum">Blog</a></td></tr>
<tr><td>2022-06</td><td>Lilt</td><td>

Lilt: proceedings only

</td><td><a href="https://proceedings.neurips.cc/paper/2022/file/abc-Paper.pdf">pdf</a></td></tr>
<tr><td>2021-02</td><td>Coo</td><td>Coo: a DOI only</td><td><a href="https://doi.org/10.1109/example.2021.0001">doi</a></td></tr>
</table>
"""


def test_an_html_table_list_gives_the_same_entries_as_its_gfm_equivalent(cli, api, workdir):
    api.arxiv.add_paper(
        ArxivPaper(
            "2301.00011",
            title="Warble: Singing Codecs and Friends",
            authors=["Ann Example", "Bo Example"],
            published="2023-01-05T00:00:00Z",
        )
    )
    api.crossref.add(make_work("10.1109/example.2021.0001", "journal-article", "Coo: a DOI only", [("Cy", "Coo")]))
    write(workdir / "gfm.md", GFM_EQUIVALENT)
    write(workdir / "html.md", HTML_EQUIVALENT)
    outputs = {}
    for name in ("gfm", "html"):
        result = cli(
            "build", f"{name}.md", "-o", f"{name}.bib", "--report", f"{name}.json", "--cache-dir", f"cache-{name}"
        )
        assert result.exit_code == 0, result.output
        report = json.loads((workdir / f"{name}.json").read_text())
        outcomes = [(l["url"], l["kind"], l["id"], l["outcome"], l["key"], l["reason"]) for l in report["links"]]
        outputs[name] = ((workdir / f"{name}.bib").read_text(), outcomes, report["summary"])
    assert outputs["html"] == outputs["gfm"]
    bib, outcomes, summary = outputs["html"]
    library = bibtexparser.parse_string(bib)
    assert [(e.entry_type, e.fields_dict["url"].value) for e in library.entries] == [
        ("misc", "https://arxiv.org/abs/2301.00011"),
        ("misc", "https://hum.example.org/blog/hum"),
        ("misc", "https://proceedings.neurips.cc/paper/2022/file/abc-Paper.pdf"),
        ("article", "https://doi.org/10.1109/example.2021.0001"),  # resolved through Crossref
    ]
    assert [o[3] for o in outcomes] == ["resolved", "extra url", "context entry", "context entry", "resolved"]
    assert summary["entries"] == 4


def test_a_contributors_table_and_a_toc_table_make_no_entries(cli, api, workdir):
    write(
        workdir / "l.md",
        '<table>\n<tr><td colspan="2"><a href="#survey">1. Survey</a></td></tr>\n'
        '<tr><td>&ensp;<a href="#models">2.1 Models</a></td><td><a href="#apps">2.2 Apps</a></td></tr>\n</table>\n\n'
        '## Contributors\n\n<table>\n  <tr>\n    <td align="center"><a href="https://ann.example.org/"><img src="https://avatars.example.org/u/1"/><br /><sub><b>Ann Example</b></sub></a></td>\n'
        '    <td align="center"><a href="https://github.com/bo-example"><img src="https://avatars.example.org/u/2"/><br /><sub><b>Bo Example</b></sub></a></td>\n  </tr>\n</table>\n',
    )
    result = cli("build", "l.md", "-o", "out.bib", "--report", "r.json", "--offline")
    assert result.exit_code == 0, result.output
    report = json.loads((workdir / "r.json").read_text())
    assert report["summary"]["entries"] == 0
    assert [(l["line"], l["url"], l["outcome"]) for l in report["links"]] == [
        (9, "https://ann.example.org/", "not supported"),  # the <tr>'s line; "#" links are no links
        (9, "https://github.com/bo-example", "not supported"),
    ]
