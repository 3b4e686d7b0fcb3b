"""Reading awesome-list Markdown: every link form, with its line, section and row context."""

from __future__ import annotations

from tridentbib.identifiers import Kind, PaperId, Rejected
from tridentbib.sources.markdown import read_markdown

DOC = """# List

## Codec Models

| Date    | Model Name | Paper Title                                   | Link |
| ------- | ---------- | --------------------------------------------- | ---- |
| 2023-01 | VALL-E     | Neural Codec Language Models \\| Zero-Shot TTS | [paper](https://arxiv.org/abs/2301.02111), [code](https://github.com/x/valle) |
| 2024-11 | hertz-dev  | [blog](https://si.inc/hertz-dev/) |
| 2024-10 | -          | Ragged row with too many cells | [paper](https://arxiv.org/pdf/2410.00001v2) | extra | cells |

## Bullets

- Reference style [WavLM][wavlm] and an autolink <https://arxiv.org/abs/2110.13900>
- Bare URL: https://arxiv.org/html/2501.01957v1, then prose.
- Text mention arXiv:hep-th/9901001v2 in a sentence
  continued on a second line with https://arxiv.org/abs/2006.11477
- Not an id: version 2301.02111 of the dataset
- `https://arxiv.org/abs/1111.11111` in code is not a link

```python
print("https://arxiv.org/abs/2222.22222")
```

```
@article{wu2024ts3,
  title={TS3-Codec},
  journal={arXiv preprint arXiv:2411.18803},
}
```

```bibtex
@misc{x, title={Tagged}}
```

[wavlm]: https://arxiv.org/abs/2110.13900v3
"""


def links_by_line(doc):
    return {link.context.line: link for item in doc.items for link in item.links}


def test_table_rows_keep_their_cells_and_context():
    doc = read_markdown(DOC, "list.md")
    row = doc.items[0]
    assert row.context.line == 7
    assert row.context.section == "Codec Models"
    assert (row.context.date, row.context.name) == ("2023-01", "VALL-E")
    assert row.context.title == "Neural Codec Language Models | Zero-Shot TTS"
    assert [link.url for link in row.links] == ["https://arxiv.org/abs/2301.02111", "https://github.com/x/valle"]
    assert row.links[0].target == PaperId(Kind.ARXIV, "2301.02111")
    assert row.links[1].target is None
    assert dict(row.context.cells)["Model Name"] == "VALL-E"


def test_a_row_with_only_a_blog_link_is_kept():
    doc = read_markdown(DOC, "list.md")
    blog = doc.items[1]
    assert blog.context.name == "hertz-dev"
    assert [link.url for link in blog.links] == ["https://si.inc/hertz-dev/"]
    assert blog.paper_links == ()


def test_ragged_rows_still_yield_their_links():
    doc = read_markdown(DOC, "list.md")
    ragged = doc.items[2]
    assert ragged.links[0].target == PaperId(Kind.ARXIV, "2410.00001", 2)


def test_bullets_reference_links_autolinks_bare_urls_and_text_mentions():
    doc = read_markdown(DOC, "list.md")
    targets = [(link.context.line, link.target) for item in doc.items[3:] for link in item.links]
    assert targets == [
        (13, PaperId(Kind.ARXIV, "2110.13900", 3)),  # reference-style: the definition's URL
        (13, PaperId(Kind.ARXIV, "2110.13900")),  # autolink
        (14, PaperId(Kind.ARXIV, "2501.01957", 1)),  # bare URL; trailing comma is not part of it
        (15, PaperId(Kind.ARXIV, "hep-th/9901001", 2)),  # arXiv:ID in prose
        (16, PaperId(Kind.ARXIV, "2006.11477")),  # second line of the same bullet
    ]
    assert doc.items[3].context.section == "Bullets"


def test_code_is_never_read_as_links():
    doc = read_markdown(DOC, "list.md")
    urls = [link.url for item in doc.items for link in item.links]
    assert not any("1111.11111" in url or "2222.22222" in url for url in urls)


def test_citation_blocks_tagged_and_untagged():
    doc = read_markdown(DOC, "list.md")
    assert [(block.line, block.text.splitlines()[0]) for block in doc.blocks] == [
        (24, "@article{wu2024ts3,"),
        (31, "@misc{x, title={Tagged}}"),
    ]


def test_hostile_paths_are_rejected_not_followed():
    doc = read_markdown(
        "- [x](https://arxiv.org/abs/../../etc/passwd)\n- [y](https://aclanthology.org/N13-1.pdf#page=784)\n", "l.md"
    )
    targets = [link.target for item in doc.items for link in item.links]
    assert all(isinstance(t, Rejected) for t in targets)
    assert targets[1].reason == "links a whole ACL volume, not a paper"
