"""Property: no Markdown, however hostile, makes ``build`` crash or write a .bib that does not parse.

hypothesis generates lists from the pieces real lists are made of (tables, bullets,
HTML, citation blocks, headings, quotes) filled with hostile text: very long cells
and lines, 10k-character titles, deep nesting, every Unicode category, NULs, ``\\r``,
escaped lone surrogates, thousands of links in one cell. Runs offline (no server):
what is checked is reading, shaping and writing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import bibtexparser
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FAST
from tridentbib.cli import app

#: any code point except surrogates (a UTF-8 file cannot hold them); they appear escaped, as text
ANY_CHAR = st.characters(exclude_categories=("Cs",))
HOSTILE_BITS = st.sampled_from(
    [
        "\x00",
        "\r",
        "\r\n",
        "\\ud800",
        "\\udfff",
        "|",
        "\\|",
        "`",
        "```",
        "{",
        "}",
        "}}{{",
        "%",
        "&",
        "#",
        "_",
        "$",
        "$$",
        "\\",
        "\\\\",
        "@",
        "@misc{",
        "<",
        ">",
        "<br>",
        "<td>",
        "</table>",
        "<!--",
        "-->",
        "\u202e",
        "\u200b",
        "\ufeff",
        "𝔘𝔫𝔦",
        "ǅ",
        "ﬁ",
        "\u0301",
        " ",
        "\t",
    ]
)
TEXT = st.lists(st.one_of(st.text(ANY_CHAR, max_size=20), HOSTILE_BITS), max_size=12).map("".join)
HUGE = st.sampled_from(
    ["T" * 10_000, "Title " * 2_000, "ω$" * 3_000, "{" * 5_000, "\\" * 4_001, "|" * 3_000, "é" * 10_000]
)
URL = st.one_of(
    st.sampled_from(
        [
            "https://arxiv.org/abs/2301.02111",
            "https://arxiv.org/abs/../../etc/passwd",
            "https://arxiv.org/abs/2301.02111v999999",
            "https://openreview.net/forum?id=KCVv3tICvp",
            "https://openreview.net/pdf/" + "a" * 40 + ".pdf",
            "https://aclanthology.org/2024.acl-long.1/",
            "https://aclanthology.org/N13-1.pdf#page=784",
            "https://doi.org/10.1109/5.771073",
            "https://proceedings.neurips.cc/paper/2020/hash/abc-Abstract.html",
            "https://example.org/paper.pdf",
            "javascript:alert(1)",
            "https://github.com/a/b",
            "http://[::1",
            "https://" + "a" * 5_000 + ".org/x",
            "file:///etc/passwd",
            "../relative.pdf",
        ]
    ),
    st.builds(lambda t: "https://example.org/" + t, TEXT),
)
LINK = st.one_of(
    st.builds(lambda label, url: f"[{label}]({url})", TEXT, URL),
    st.builds(lambda url: f'<a href="{url}">x</a>', URL),
    URL,
    st.builds(lambda t: f"arXiv:{t}", st.sampled_from(["2301.02111", "2301.0211", "hep-th/9901001", "9999.99999"])),
)
CELL = st.one_of(
    TEXT,
    HUGE,
    LINK,
    st.lists(LINK, max_size=5).map(" ".join),
    st.builds(lambda n: " ".join(["[p](https://arxiv.org/abs/2301.02111)"] * n), st.integers(1_000, 3_000)),
)


def table(cells: list[list[str]]) -> str:
    width = max(len(row) for row in cells)
    head = "| Date | Model Name | Paper Title | Link |" + " x |" * max(0, width - 4)
    rule = "|" + "---|" * max(4, width)
    return "\n".join([head, rule] + ["| " + " | ".join(row) + " |" for row in cells])


def html_table(cells: list[list[str]]) -> str:
    rows = "".join("<tr>" + "".join(f"<td align='center'>{cell}</td>" for cell in row) + "</tr>\n" for row in cells)
    return f"<table>\n<tr><th>Date</th><th>Title</th><th>Link</th></tr>\n{rows}</table>"


BLOCK = st.one_of(
    st.builds(table, st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=4)),
    st.builds(html_table, st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=3)),
    st.builds(lambda depth, t, link: "  " * depth + "- " + t + " " + link, st.integers(0, 60), TEXT, LINK),
    st.builds(lambda depth, t: ">" * depth + " " + t, st.integers(1, 200), TEXT),
    st.builds(lambda t, link: f"<details><summary>{t}</summary>\n\n- {link}\n\n</details>", TEXT, LINK),
    st.builds(lambda level, t: "#" * level + " " + t, st.integers(1, 7), st.one_of(TEXT, HUGE)),
    st.builds(lambda body: f"```\n@article{{k,\n  title = {{{body}}},\n  eprint = {{2301.02111}}\n}}\n```", TEXT),
    st.builds(lambda body: f"```bibtex\n{body}\n```", TEXT),
    TEXT,
    HUGE,
)
DOCUMENT = st.lists(BLOCK, min_size=1, max_size=8).map("\n\n".join)


@settings(
    max_examples=int(os.environ.get("TRIDENTBIB_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(DOCUMENT)
@example(
    "| Date | Model Name | Paper Title | Link |\n|---|---|---|---|\n|  |  | "
    + "{" * 5000
    + ' | <a href="https://openreview.net/forum?id=KCVv3tICvp">x</a> |'
)
@example("```\n@article{k,\n  title = {A\\.},\n  eprint = {2301.02111}\n}\n```")
# found by this test: a bare URL holding "{" (the url field lost a brace), a block value ending in "\\"
@example("| Date | Model Name | Paper Title | Link |\n|---|---|---|---|\n| [\r](https://example.org/{) |")
@example("-  https://arxiv.org/abs/2301.02111\n\n```\n@article{k,\n  title = {\\\r},\n  eprint = {2301.02111}\n}\n```")
@example(
    "-  https://arxiv.org/abs/2301.02111\n\n```\n@article{k,\n  title = {\\\\\r},\n  eprint = {2301.02111}\n}\n```"
)
def test_any_markdown_exits_cleanly_and_writes_a_bib_that_parses(document: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "list.md").write_text(document, encoding="utf-8")
        old = os.getcwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(app, ["build", "list.md", "-o", "out.bib", "--offline", "-q"], env=FAST)
        finally:
            os.chdir(old)
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        out = root / "out.bib"
        event("wrote a .bib" if out.exists() else "wrote nothing")
        if out.exists():
            library = bibtexparser.parse_string(out.read_text(encoding="utf-8"))
            assert not library.failed_blocks, [block.error for block in library.failed_blocks]
        assert sorted(p.name for p in root.iterdir()) in (
            ["list.md"],
            ["list.md", "out.bib"],
            ["cache", "list.md"],
            ["cache", "list.md", "out.bib"],
        )
