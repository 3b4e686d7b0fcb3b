"""The Markdown reader's shortcuts through markdown-it-py.

It parses each inline run when the reader reaches it, skips the inline tokenizer
on runs without inline syntax, and link normalisation on links that are already
normal. None may change what is read: these tests
compare them with the stock parser, token by token on generated text, link by link
on generated URLs and item by item on real lists.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tridentbib.sources import markdown

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
EXAMPLES = Path(__file__).parent.parent / "examples"

#: every ASCII punctuation mark, so each inline rule gets its chance to fire
ALPHABET = (
    list("abc XYZ 019")
    + list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
    + ["\n", "  \n", "é", "\t", "http://x.org/a ", "arXiv:2301.02111 ", "[a](http://b.c)", "&amp;"]
)


def stock() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def shape(tokens: list) -> list:
    """Everything the reader looks at, token by token."""
    return [
        (
            t.type,
            t.content,
            t.map,
            t.info,
            dict(t.attrs),
            [(c.type, c.content, c.markup, dict(c.attrs)) for c in t.children or []],
        )
        for t in tokens
    ]


def documents(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        cells = [
            "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))).replace("|", "\\|").replace("\n", " ")
            for _ in range(3)
        ]
        paragraph = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        docs.append(
            f"# {cells[0]}\n\n| a | b | c |\n|---|---|---|\n| {' | '.join(cells)} |\n\n{paragraph}\n\n- {cells[1]}\n"
        )
    return docs


def test_plain_runs_are_one_text_token_exactly_as_markdown_it_makes_them() -> None:
    plain = "Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers (2023-01) #1 ~ ü"
    text = f"| Title | Date |\n|---|---|\n| {plain} | 2023-01 |\n\n{plain}\n"
    ours = list(markdown._tokens(text))
    assert shape(ours) == shape(stock().parse(text))
    cells = [t for t in ours if t.type == "inline"]
    assert [c.type for c in cells[2].children] == ["text"] and cells[2].children[0].content == plain


@pytest.mark.parametrize("seed", range(8))
def test_generated_text_gives_the_same_tokens_as_the_stock_parser(seed: int) -> None:
    for text in documents(150, seed):
        assert shape(list(markdown._tokens(text))) == shape(stock().parse(text)), text


URL_PARTS = [
    "https://",
    "http://",
    "HTTPS://",
    "ftp://",
    "//",
    "arxiv.org",
    "ArXiv.org",
    "xn--bcher-kva.example",
    "bücher.de",
    "[::1]",
    ":8080",
    "user@",
    "/abs/2301.02111",
    "/pdf/2301.02111v2.pdf",
    "?id=",
    "#",
    "%20",
    "%zz",
    "%",
    " ",
    '"',
    "<",
    "`",
    "{",
    "|",
    "é",
    "~",
    "'",
    "(",
    ")",
    "*",
    "!",
    ";",
    "@",
    ":",
    "=",
    "&",
    "+",
    "$",
    ",",
    "a",
    "Z",
    "-",
    "_",
    ".",
]


@pytest.mark.parametrize("seed", range(4))
def test_link_normalisation_matches_markdown_it_on_generated_urls(seed: int) -> None:
    rng = random.Random(seed)
    ours, theirs = markdown._parser(), stock()
    normal_seen = 0
    for _ in range(3000):
        url = "".join(rng.choice(URL_PARTS) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.5:
            url = (
                rng.choice(["https://", "http://"])
                + rng.choice(["arxiv.org", "openreview.net", "aclanthology.org"])
                + url
            )
        normal_seen += bool(markdown._NORMAL_LINK.fullmatch(url))
        assert ours.normalizeLink(url) == theirs.normalizeLink(url), url
    assert normal_seen > 50  # the shortcut itself was exercised


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "speech-trident-awesome-list.md", EXAMPLES / "reading-list.md"],
    ids=lambda p: p.name,
)
def test_real_lists_read_the_same_with_and_without_the_shortcut(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    fast = markdown.read_markdown(text, path.name)
    monkeypatch.setattr(markdown, "_tokens", lambda text: stock().parse(text))
    slow = markdown.read_markdown(text, path.name)
    assert fast == slow
    assert len(fast.items) + len(fast.blocks) > 3
