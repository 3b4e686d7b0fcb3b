"""A list's own citation blocks merged with the records its rows resolve to: each work once, under the maintainer's key.

The five blocks are the seed list's own (the "## Citation" section that ends
tests/fixtures/lists/speech-trident-awesome-list.md); the rows link the same papers
on arXiv and the ACL Anthology.
"""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest

from conftest import FIXTURES, write
from fakeapi.arxiv import ArxivPaper
from tridentbib.latex import from_latex, safe_tex
from tridentbib.model import CitationBlock
from tridentbib.names import parse_bibtex_names, split_names
from tridentbib.sources.blocks import block_identity, read_block

SEED_LIST = (FIXTURES / "lists" / "speech-trident-awesome-list.md").read_text(encoding="utf-8")
SEED_BLOCKS = SEED_LIST[SEED_LIST.index("\n## Citation\n") + 1 :]

ROWS = """# Speech Trident (test copy)

## Codec Models

| Date    | Model Name          | Paper Title                                                             | Link |
| ------- | ------------------- | ----------------------------------------------------------------------- | ---- |
| 2024-12 | TS3-Codec           | TS3-Codec: Transformer-Based Simple Streaming Single Codec              | [paper](https://arxiv.org/pdf/2411.18803) |
| 2023-01 | VALL-E              | Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers  | [paper](https://arxiv.org/abs/2301.02111) |
| 2024-09 | Codec-SUPERB @ SLT  | Codec-SUPERB @ SLT 2024: A lightweight benchmark                         | [paper](https://arxiv.org/abs/2409.14085) |
| 2024-08 | Codec-SUPERB        | Codec-SUPERB: An In-Depth Analysis of Sound Codec Models                | [paper](https://aclanthology.org/2024.findings-acl.616/) |

## Speech/Audio Language Models

| Date    | Model Name | Paper Title | Link |
| ------- | ---------- | ----------- | ---- |
| 2023-08 | SpeechGen  | SpeechGen: Unlocking the Generative Power of Speech Language Models with Prompts | [paper](https://arxiv.org/abs/2306.02207) |
| 2024-02 | Overview   | Towards audio language modeling - an overview | [paper](https://arxiv.org/abs/2402.13236) |

"""

CODEC_SUPERB_SLT_AUTHORS = [
    "Haibin Wu", "Xuanjun Chen", "Yi-Cheng Lin", "Kai-Wei Chang", "Jiawei Du", "Ke-Han Lu", "Alexander H. Liu",
    "Ho-Lam Chung", "Yuan-Kuei Wu", "Dongchao Yang", "Songxiang Liu", "Yi-Chiao Wu", "Xu Tan", "James Glass",
    "Shinji Watanabe", "Hung-yi Lee",
]  # fmt: skip

ACL_BIB = """@inproceedings{wu-etal-2024-codec,
    title = "Codec-{SUPERB}: An In-Depth Analysis of Sound Codec Models",
    author = "Wu, Haibin  and
      Chung, Ho-Lam  and
      Lin, Yi-Cheng  and
      Wu, Yuan-Kuei  and
      Chen, Xuanjun  and
      Pai, Yu-Chi  and
      Wang, Hsiu-Hsuan  and
      Chang, Kai-Wei  and
      Liu, Alexander  and
      Lee, Hung-yi",
    editor = "Ku, Lun-Wei  and
      Martins, Andre  and
      Srikumar, Vivek",
    booktitle = "Findings of the Association for Computational Linguistics: ACL 2024",
    month = aug,
    year = "2024",
    address = "Bangkok, Thailand",
    publisher = "Association for Computational Linguistics",
    url = "https://aclanthology.org/2024.findings-acl.616/",
    doi = "10.18653/v1/2024.findings-acl.616",
    pages = "10330--10348",
    abstract = "The sound codec{'}s dual roles in minimizing data transmission latency and serving as tokenizers underscore its critical importance. This study introduces Codec-SUPERB, an acronym for Codec sound processing Universal PERformance Benchmark."
}
"""


def register_seed_papers(api) -> None:
    """The five works as arXiv and the Anthology would answer (names as the services print them)."""
    api.arxiv.add_paper(
        ArxivPaper(
            "2411.18803",
            title="TS3-Codec: Transformer-Based Simple Streaming Single Codec",
            authors=["Haibin Wu", "Naoyuki Kanda", "Sefik Emre Eskimez", "Jinyu Li"],
            summary="Neural audio codecs (NACs) have garnered significant attention; we get 12% fewer FLOPs & lower latency.",
            published="2024-11-27T16:56:29Z",
            primary_category="eess.AS",
            categories=["eess.AS", "cs.SD"],
        )
    )
    api.arxiv.add_paper(
        ArxivPaper(
            "2409.14085",
            title="Codec-SUPERB @ SLT 2024: A lightweight benchmark for neural audio codec models",
            authors=CODEC_SUPERB_SLT_AUTHORS,
            summary="Neural audio codec models are becoming increasingly important.",
            published="2024-09-21T09:41:18Z",
            primary_category="eess.AS",
        )
    )
    api.arxiv.add_paper(
        ArxivPaper(
            "2306.02207",
            title="SpeechGen: Unlocking the Generative Power of Speech Language Models with Prompts",
            authors=["Haibin Wu", "Kai-Wei Chang", "Yuan-Kuei Wu", "Hung-yi Lee"],
            summary="Large language models (LLMs) have gained considerable attention.",
            published="2023-06-03T22:35:27Z",
            primary_category="eess.AS",
        )
    )
    api.arxiv.add_paper(
        ArxivPaper(
            "2402.13236",
            title="Towards audio language modeling -- an overview",
            authors=[
                "Haibin Wu",
                "Xuanjun Chen",
                "Yi-Cheng Lin",
                "Kai-wei Chang",
                "Ho-Lam Chung",
                "Alexander H. Liu",
                "Hung-yi Lee",
            ],
            summary="Neural audio codecs are initially introduced to compress audio data.",
            published="2024-02-20T18:53:02Z",
            primary_category="eess.AS",
        )
    )
    api.arxiv.add_paper(
        ArxivPaper(
            "2301.02111",
            title="Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers",
            authors=["Chengyi Wang", "Sanyuan Chen"],
            published="2023-01-05T18:59:05Z",
            primary_category="cs.CL",
        )
    )
    api.acl.add("2024.findings-acl.616", ACL_BIB)


def parse_bib(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {
        entry.key: {f.key: f.value for f in entry.fields} | {"ENTRYTYPE": entry.entry_type} for entry in library.entries
    }


@pytest.fixture
def seed(cli, api, workdir):
    register_seed_papers(api)
    write(workdir / "list.md", ROWS + SEED_BLOCKS)
    return workdir


def test_each_work_appears_once_under_the_maintainers_key(cli, api, seed):
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    entries = parse_bib(seed / "out.bib")
    # row order; the blocks' works sit where the list first mentions them, VALL-E keeps its generated key
    assert list(entries) == [
        "wu2024ts3",
        "wang2023neural",
        "wu2024codec",
        "wu-etal-2024-codec",
        "wu2023speechgen",
        "wu2024towards",
    ]
    eprints = [fields.get("eprint") for fields in entries.values()]
    assert eprints == ["2411.18803", "2301.02111", "2409.14085", None, "2306.02207", "2402.13236"]
    # the block's type and fields win; the resolved record fills in what it lacks
    ts3 = entries["wu2024ts3"]
    assert ts3["ENTRYTYPE"] == "article"
    assert ts3["journal"] == "arXiv preprint arXiv:2411.18803"
    assert ts3["author"] == "Wu, Haibin and Kanda, Naoyuki and Eskimez, Sefik Emre and Li, Jinyu"
    assert (ts3["eprint"], ts3["eprinttype"], ts3["archivePrefix"], ts3["primaryClass"]) == (
        "2411.18803",
        "arxiv",
        "arXiv",
        "eess.AS",
    )
    assert ts3["doi"] == "10.48550/arXiv.2411.18803" and ts3["url"] == "https://arxiv.org/abs/2411.18803"
    assert (
        ts3["abstract"]
        == r"Neural audio codecs (NACs) have garnered significant attention; we get 12\% fewer FLOPs \& lower latency."
    )
    assert ts3["month"] == "nov" and "month = nov," in (seed / "out.bib").read_text()
    # the hand-written title is kept, its acronym protected so styles do not lowercase it
    assert ts3["title"] == "{TS3-Codec}: Transformer-Based Simple Streaming Single Codec"
    # "and others" becomes the full list: the block's names as written, then the rest from arXiv
    names = parse_bibtex_names(entries["wu2024codec"]["author"])
    assert len(names) == 16 and "others" not in names
    assert entries["wu2024codec"]["author"].startswith(
        "Wu, Haibin and Chen, Xuanjun and Lin, Yi-Cheng and Chang, Kaiwei and"
    )
    assert entries["wu2024codec"]["author"].endswith(
        "Yang, Dongchao and Liu, Songxiang and Wu, Yi-Chiao and Tan, Xu and Glass, James and Watanabe, Shinji and Lee, Hung-yi"
    )
    # the ACL block: same type as the Anthology's record, so its abstract comes in; nothing is duplicated
    acl = entries["wu-etal-2024-codec"]
    assert acl["ENTRYTYPE"] == "inproceedings" and acl["month"] == "aug" and acl["pages"] == "10330--10348"
    assert acl["url"] == "https://aclanthology.org/2024.findings-acl.616"  # the block's URL, not the Anthology's
    assert acl["abstract"].startswith("The sound codec{'}s dual roles")
    # the key the work would otherwise have had is an alias; keys equal to the block's need none
    assert entries["wu2024towards"]["ids"] == "wu2024audio"
    assert all(
        "ids" not in entries[key] for key in ("wu2024ts3", "wu2024codec", "wu-etal-2024-codec", "wu2023speechgen")
    )
    # no literal "others" is left where the source had the full list
    assert all("others" not in [n for n in parse_bibtex_names(f["author"])] for f in entries.values())
    # the seed's blocks agree with the records (case, hyphenation and given-name spelling aside): nothing to report
    assert "kept hand-written" not in result.stderr


def test_outcomes_point_at_the_merged_entries(cli, api, seed):
    result = cli("build", "list.md", "-o", "out.bib", "--report", "report.json")
    assert result.exit_code == 0, result.output
    report = json.loads((seed / "report.json").read_text())
    text = json.dumps(report)
    assert '"wu2024towards"' in text and '"wu2024audio"' not in text.replace('"ids"', "")


def test_keys_and_aliases_are_stable_across_reruns_and_refreshes(cli, api, seed):
    assert cli("build", "list.md", "-o", "first.bib").exit_code == 0
    assert cli("build", "list.md", "-o", "second.bib").exit_code == 0
    assert (seed / "first.bib").read_text() == (seed / "second.bib").read_text()
    # arXiv corrects the author list of two papers: a refresh keeps every key and alias
    api.arxiv.add_paper(
        ArxivPaper(
            "2402.13236",
            version=2,
            title="Towards audio language modeling -- an overview",
            authors=["Xuanjun Chen", "Haibin Wu"],
            published="2024-02-20T18:53:02Z",
        )
    )
    api.arxiv.add_paper(
        ArxivPaper(
            "2301.02111",
            version=2,
            title="Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers",
            authors=["Sanyuan Chen", "Chengyi Wang"],
            published="2023-01-05T18:59:05Z",
        )
    )
    result = cli("build", "list.md", "-o", "third.bib", "--refresh")
    assert result.exit_code == 0, result.output
    third = parse_bib(seed / "third.bib")
    assert list(third) == list(parse_bib(seed / "first.bib"))
    assert third["wu2024towards"]["ids"] == "wu2024audio"
    assert third["wang2023neural"]["author"] == "Chen, Sanyuan and Wang, Chengyi"


def test_a_block_added_later_keeps_the_key_people_already_cite(cli, api, workdir):
    register_seed_papers(api)
    write(workdir / "list.md", ROWS)
    assert cli("build", "list.md", "-o", "before.bib").exit_code == 0
    assert "wu2024audio" in parse_bib(workdir / "before.bib")
    write(workdir / "list.md", ROWS + SEED_BLOCKS)
    assert cli("build", "list.md", "-o", "after.bib").exit_code == 0
    after = parse_bib(workdir / "after.bib")
    assert "wu2024audio" not in after and after["wu2024towards"]["ids"] == "wu2024audio"
    # and a block that gives a work a key different from the one it had: the old key stays an alias
    write(
        workdir / "list.md",
        ROWS
        + "```\n@misc{valle,\n  title={Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers},\n  author={Wang, Chengyi and others},\n  year={2023}\n}\n```\n",
    )
    assert cli("build", "list.md", "-o", "valle.bib").exit_code == 0
    valle = parse_bib(workdir / "valle.bib")["valle"]
    assert valle["ids"] == "wang2023neural" and valle["author"] == "Wang, Chengyi and Chen, Sanyuan"


def test_blocks_whose_papers_the_list_does_not_link_are_resolved_too(cli, api, workdir):
    register_seed_papers(api)
    write(workdir / "list.md", "# Only citations\n\n" + SEED_BLOCKS)
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    entries = parse_bib(workdir / "out.bib")
    assert list(entries) == ["wu2024ts3", "wu2024codec", "wu-etal-2024-codec", "wu2023speechgen", "wu2024towards"]
    assert entries["wu2024ts3"]["eprint"] == "2411.18803" and "abstract" in entries["wu2024ts3"]
    assert entries["wu-etal-2024-codec"]["abstract"].startswith("The sound codec")
    assert all(
        "ids" not in fields for fields in entries.values()
    )  # without the blocks these works would not be here: no alias
    (request,) = api.requests("arxiv")  # the blocks' four arXiv ids in one batch, and one Anthology export
    assert sorted(request.query["id_list"][0].split(",")) == ["2306.02207", "2402.13236", "2409.14085", "2411.18803"]
    assert len(api.requests("acl")) == 1
    # offline with an empty cache: the blocks are still written as they are, and the misses reported
    result = cli("build", "list.md", "-o", "offline.bib", "--offline", "--cache-dir", "empty")
    assert result.exit_code == 0, result.output
    offline = parse_bib(workdir / "offline.bib")
    assert list(offline) == list(entries) and "eprint" not in offline["wu2024ts3"]
    assert (
        "list.md:8: wu2024ts3: arxiv 2411.18803 could not be resolved (offline and not in the cache); the block is written as it is"
        in result.stderr
    )


def test_disagreements_are_reported_and_the_hand_written_values_kept(cli, api, workdir):
    register_seed_papers(api)
    block = """```bibtex
@article{mine,
  title={TS3 Codec: a streaming codec},
  author={Wu, H. and Kandah, Naoyuki and others},
  journal={arXiv preprint arXiv:2411.18803},
  year={2023},
  month={March}
}
```
"""
    write(workdir / "list.md", "- [TS3-Codec](https://arxiv.org/abs/2411.18803)\n\n" + block)
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    ((key, fields),) = parse_bib(workdir / "out.bib").items()
    assert key == "mine"
    assert fields["title"] == "{TS3} Codec: a streaming codec" and fields["year"] == "2023"
    assert fields["author"] == "Wu, H. and Kandah, Naoyuki and others"  # names disagree: the truncated list stays
    assert fields["month"] == "mar"  # the block's month, as a macro; arXiv's (another year) is not taken
    assert fields["ids"] == "wu2024ts3"
    stderr = result.stderr
    assert (
        'list.md:4: mine: kept hand-written title "TS3 Codec: a streaming codec"; arXiv says "TS3-Codec: Transformer-Based Simple Streaming Single Codec"'
        in stderr
    )
    assert 'list.md:4: mine: kept hand-written year "2023"; arXiv says "2024"' in stderr
    assert "kept hand-written author list; arXiv names differ (Naoyuki Kandah / Naoyuki Kanda)" in stderr
    assert "H. Wu" not in stderr  # an initial is not a disagreement


def test_same_work_by_title_and_first_author_when_no_id_is_shared(cli, api, workdir):
    register_seed_papers(api)
    block = "```\n@inproceedings{speechgen-is24,\n  title={{SpeechGen}: Unlocking the Generative Power of Speech Language Models with Prompts},\n  author={Wu, Haibin and Chang, Kai-Wei and Wu, Yuan-Kuei and Lee, Hung-yi},\n  booktitle={Interspeech},\n  year={2023}\n}\n```\n"
    write(workdir / "list.md", "- https://arxiv.org/abs/2306.02207\n- https://arxiv.org/abs/2301.02111\n\n" + block)
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    entries = parse_bib(workdir / "out.bib")
    assert list(entries) == ["speechgen-is24", "wang2023neural"]
    merged = entries["speechgen-is24"]
    assert merged["ENTRYTYPE"] == "inproceedings" and merged["booktitle"] == "Interspeech"
    assert (merged["eprint"], merged["eprinttype"], merged["archivePrefix"]) == ("2306.02207", "arxiv", "arXiv")
    assert merged["ids"] == "wu2023speechgen"


def test_a_venue_block_absorbs_the_arxiv_row_of_the_same_paper(cli, api, workdir):
    """The ACL block and the list's arXiv link share no id, but title and first author: one work, @inproceedings with its eprint."""
    api.arxiv.add_paper(
        ArxivPaper(
            "2402.13071",
            title="Codec-SUPERB: An In-Depth Analysis of Sound Codec Models",
            authors=["Haibin Wu", "Ho-Lam Chung", "Yi-Cheng Lin"],
            summary="The sound codec's dual roles.",
            published="2024-02-20T12:00:00Z",
            primary_category="eess.AS",
        )
    )
    acl_block = SEED_BLOCKS[SEED_BLOCKS.index("```\n@inproceedings{wu-etal-2024-codec") :].split("```\n\n")[0] + "```\n"
    write(workdir / "list.md", "- [Codec-SUPERB](https://arxiv.org/abs/2402.13071)\n\n" + acl_block)
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    ((key, fields),) = parse_bib(workdir / "out.bib").items()
    assert key == "wu-etal-2024-codec" and fields["ENTRYTYPE"] == "inproceedings"
    assert (fields["eprint"], fields["eprinttype"], fields["archivePrefix"], fields["primaryClass"]) == (
        "2402.13071",
        "arxiv",
        "arXiv",
        "eess.AS",
    )
    assert fields["doi"] == "10.18653/v1/2024.findings-acl.616"  # the block's DOI, not the preprint's
    assert fields["ids"] == "wu2024codec"
    assert (
        "acl 2024.findings-acl.616 could not be resolved (the ACL Anthology has no paper with this id)" in result.stderr
    )


def test_duplicate_blocks_and_repeated_keys(cli, api, workdir):
    register_seed_papers(api)
    blocks = (
        "```\n@misc{first, title={SpeechGen}, author={Wu, Haibin}, eprint={2306.02207}}\n```\n\n"
        "```\n@misc{second, title={SpeechGen again}, note={arXiv:2306.02207}}\n```\n\n"
        "```\n@misc{first, title={Something else entirely}, author={Doe, Jane}, year={2020}}\n```\n"
    )
    write(workdir / "list.md", blocks)
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    entries = parse_bib(workdir / "out.bib")
    assert list(entries) == ["first", "firstb"]
    assert entries["first"]["ids"] == "second"  # the later block's key; the list itself never gave this work a key
    assert (
        "list.md:6: second: same work as citation block first (list.md:2); its key is kept as an alias" in result.stderr
    )
    assert (
        "list.md:10: citation block key first is already used by an earlier block; this entry is written as firstb"
        in result.stderr
    )


BROKEN = """# List

- https://arxiv.org/abs/2306.02207

```bibtex
@article{good1,
  title={Fine},
  year={2020}
}
@article{broken,
  title={Never closed,
  year={2021}

@misc{good2, title={Also fine}}
```

```latex
\\begin{equation} E = mc^2 \\end{equation}
```

```
@misc{good3, title={100% & #1 of x_1, $x_1$ and \\% kept}, url={https://example.org/a%20b_c}, month = "8"}
```
"""


def test_blocks_that_fail_to_parse_are_reported_with_their_line_and_the_rest_kept(cli, api, workdir):
    register_seed_papers(api)
    write(workdir / "list.md", BROKEN)
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    entries = parse_bib(workdir / "out.bib")
    assert list(entries) == ["wu2023speechgen", "good1", "good2", "good3"]
    assert "list.md:10: citation block could not be parsed: Unexpected block start: `@misc`" in result.stderr
    assert result.stderr.count("citation block could not be parsed") == 1  # the LaTeX block is not BibTeX: no complaint
    good3 = entries["good3"]
    assert good3["title"] == r"100\% \& \#1 of x\_1, $x_1$ and \% kept"
    assert good3["url"] == "https://example.org/a%20b_c"
    assert "month = aug\n" in (workdir / "out.bib").read_text()


# -- units -------------------------------------------------------------------------


def test_a_block_entrys_identity_is_read_from_every_field_that_can_hold_it():
    assert block_identity({"journal": "arXiv preprint arXiv:2411.18803"}) == {
        "arxiv:2411.18803",
        "doi:10.48550/arxiv.2411.18803",
    }
    assert "arxiv:2301.02111" in block_identity({"eprint": "2301.02111v2", "archivePrefix": "arXiv"})
    assert block_identity({"eprint": "12345", "eprinttype": "pubmed"}) == frozenset()
    assert "arxiv:2301.02111" in block_identity({"doi": "10.48550/arXiv.2301.02111"})
    assert "arxiv:2301.02111" in block_identity({"url": "https://arxiv.org/pdf/2301.02111v3.pdf"})
    assert {"acl:2024.findings-acl.616", "doi:10.18653/v1/2024.findings-acl.616"} <= block_identity(
        {"doi": "10.18653/v1/2024.findings-acl.616"}
    )
    assert "acl:2024.findings-acl.616" in block_identity({"url": "https://aclanthology.org/2024.findings-acl.616"})
    assert "openreview:Bkg6RiCqY7" in block_identity({"url": "https://openreview.net/forum?id=Bkg6RiCqY7"})
    assert block_identity({"doi": "https://doi.org/10.1109/TASLP.2022.1234567"}) == {"doi:10.1109/taslp.2022.1234567"}


def test_block_line_numbers_point_into_the_list():
    block = CitationBlock("l.md", 7, "@misc{a, title={A}}\n\n@misc{b,\n title={B}}\n")
    cited, problems = read_block(block)
    assert [(c.entry.key, c.line) for c in cited] == [("a", 8), ("b", 10)] and problems == []


def test_string_macros_and_concatenation_in_blocks():
    cited, problems = read_block(
        CitationBlock(
            "l.md",
            1,
            '@string{acl = "Proc. of ACL"}\n@inproceedings{k, booktitle = acl # " 2024", publisher = acl, note = undefinedmacro}\n',
        )
    )
    fields = cited[0].entry.fields
    assert fields["booktitle"] == "Proc. of ACL 2024" and fields["publisher"] == "Proc. of ACL"
    assert (
        problems == ["l.md:3: k: field note = undefinedmacro uses an undefined macro; kept as text"]
        or fields["note"] == "undefinedmacro"
    )


@pytest.mark.parametrize(
    ("written", "escaped"),
    [
        ("50% of A&B #1 x_y", r"50\% of A\&B \#1 x\_y"),
        (r"already \% \& \# \_ fine", r"already \% \& \# \_ fine"),
        ("math $a_1 + b^2$ stays, $5 is money", r"math $a_1 + b^2$ stays, \$5 is money"),
        (r"\emph{x} {B}races", r"\emph{x} {B}races"),
        ("x^2 outside math", r"x\textasciicircum{}2 outside math"),
        ("ends in a backslash \\", r"ends in a backslash \textbackslash{}"),
    ],
)
def test_bare_specials_of_hand_written_values_are_escaped(written, escaped):
    assert safe_tex(written) == escaped
    assert from_latex(safe_tex(written)) == from_latex(escaped)


def test_split_names_keeps_braced_ands():
    assert split_names("{Barnes and Noble} and Doe, J.  and\n  others") == ["{Barnes and Noble}", "Doe, J.", "others"]


def test_a_block_key_wins_over_a_services_own_key_for_another_work(cli, api, workdir):
    register_seed_papers(api)
    write(
        workdir / "list.md",
        "- https://aclanthology.org/2024.findings-acl.616/\n\n```\n@misc{wu-etal-2024-codec, title={Something else}, author={Doe, Jane}, year={2020}}\n```\n",
    )
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    entries = parse_bib(workdir / "out.bib")
    assert list(entries) == ["wu2024codec", "wu-etal-2024-codec"]
    assert entries["wu-etal-2024-codec"]["title"] == "Something else"


def test_colliding_keys_get_suffixes_that_do_not_depend_on_list_order(cli, api, workdir):
    for ident in ("2305.00001", "2305.00002", "2305.00003"):
        api.arxiv.add_paper(
            ArxivPaper(ident, title="Speech models at scale", authors=["Ann Lee"], published="2023-05-01T00:00:00Z")
        )
    keys = {}
    for name, order in (
        ("a", ["2305.00003", "2305.00001", "2305.00002"]),
        ("b", ["2305.00002", "2305.00003", "2305.00001"]),
    ):
        write(workdir / "list.md", "".join(f"- https://arxiv.org/abs/{ident}\n" for ident in order))
        assert cli("build", "list.md", "-o", f"{name}.bib", "--cache-dir", f"cache-{name}").exit_code == 0
        keys[name] = {fields["eprint"]: key for key, fields in parse_bib(workdir / f"{name}.bib").items()}
    assert (
        keys["a"]
        == keys["b"]
        == {"2305.00001": "lee2023speech", "2305.00002": "lee2023speechb", "2305.00003": "lee2023speechc"}
    )


def test_a_block_and_a_bib_input_read_the_same_ids_from_the_same_fields():
    """One reading of ids from BibTeX fields (identifiers.text.ids_in_fields) for blocks, .bib inputs and the changelog."""
    from tridentbib.identifiers.text import ids_in_fields
    from tridentbib.sources.bibfile import read_bib

    fields = {
        "title": "T",
        "booktitle": "Workshop version of arXiv:2301.02111",
        "openreview": "https://openreview.net/forum?id=KCVv3tICvp",
        "doi": "10.1109/TASLP.2024.3379877",
    }
    written = "@inproceedings{k,\n" + ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items()) + "\n}\n"
    (cited,), _problems = read_block(CitationBlock("l.md", 1, written))
    from_bib = read_bib(written, "refs.bib").entries[0].identity
    wanted = {"arxiv:2301.02111", "openreview:KCVv3tICvp", "doi:10.1109/taslp.2024.3379877"}
    assert {paper.key for paper in ids_in_fields(fields)} == wanted
    assert wanted <= cited.entry.identity and wanted <= from_bib
    assert "doi:10.48550/arxiv.2301.02111" in cited.entry.identity  # the arXiv paper's own DOI is the same work


def test_one_fill_in_rule_for_blocks_and_bib_inputs():
    """steps.fill.fill_in: what a written entry lacks, never what would describe something else."""
    from tridentbib.model import Entry
    from tridentbib.steps.fill import fill_in

    resolved = Entry(
        "", "misc", {"title": "T", "eprint": "2101.00002", "archivePrefix": "arXiv", "doi": "10.48550/arXiv.2101.00002", "month": "jan", "year": "2021", "note": "x", "publisher": "arXiv"},
        origin="arxiv",
    )  # fmt: skip
    venue = Entry(
        "k", "inproceedings", {"title": "Mine", "booktitle": "Proc. of Something", "date": "2022-05"}, origin="bib"
    )
    fields, _macros = fill_in(venue, resolved)
    assert fields["title"] == "Mine" and fields["eprint"] == "2101.00002" and fields["archivePrefix"] == "arXiv"
    assert "doi" not in fields  # an entry that names its venue is not pointed at its preprint
    assert "month" not in fields and "year" not in fields  # "date" stands for both
    assert "note" not in fields and "publisher" not in fields  # never filled; a container field from another type
    preprint = Entry(
        "k", "article", {"title": "Mine", "journal": "arXiv preprint arXiv:2101.00002", "year": "2020"}, origin="block"
    )
    fields, _macros = fill_in(preprint, resolved)
    assert fields["doi"] == "10.48550/arXiv.2101.00002" and "month" not in fields  # a month of another year is wrong
