"""``build --csl-json OUT.json``: the same works as CSL-JSON, typed the way Zotero's importer needs."""

from __future__ import annotations

import json

import bibtexparser
from test_merge_blocks import ROWS, SEED_BLOCKS, register_seed_papers
from test_output_fidelity import HOSTILE, LIST

from conftest import write
from texview import as_arxiv_shows, rendered
from tridentbib.model import Entry
from tridentbib.writers.csljson import csl_item, format_csl_json


def test_the_sidecar_holds_the_same_works_as_the_bib(cli, api, workdir):
    register_seed_papers(api)
    write(workdir / "list.md", ROWS + SEED_BLOCKS)
    result = cli("build", "list.md", "-o", "out.bib", "--csl-json", "out.json")
    assert result.exit_code == 0, result.output
    items = json.loads((workdir / "out.json").read_text(encoding="utf-8"))
    keys = [entry.key for entry in bibtexparser.parse_file(str(workdir / "out.bib")).entries]
    assert [item["id"] for item in items] == keys
    by_id = {item["id"]: item for item in items}
    # arXiv preprints (even the block's @article "arXiv preprint arXiv:ID") -> Zotero Preprint items
    for key, arxiv in (("wu2024ts3", "2411.18803"), ("wang2023neural", "2301.02111"), ("wu2024towards", "2402.13236")):
        assert (by_id[key]["type"], by_id[key]["number"], by_id[key]["publisher"]) == ("article", arxiv, "arXiv")
        assert "container-title" not in by_id[key]
    ts3 = by_id["wu2024ts3"]
    assert ts3["title"] == "TS3-Codec: Transformer-Based Simple Streaming Single Codec"
    assert ts3["author"][0] == {"family": "Wu", "given": "Haibin"} and len(ts3["author"]) == 4
    assert ts3["issued"] == {"date-parts": [[2024, 11]]}
    assert ts3["DOI"] == "10.48550/arXiv.2411.18803" and ts3["URL"] == "https://arxiv.org/abs/2411.18803"
    assert ts3["abstract"].endswith("12% fewer FLOPs & lower latency.")
    assert len(by_id["wu2024codec"]["author"]) == 16  # "and others" was filled in
    # proceedings -> paper-conference with its container, editors and pages
    acl = by_id["wu-etal-2024-codec"]
    assert acl["type"] == "paper-conference"
    assert acl["container-title"] == "Findings of the Association for Computational Linguistics: ACL 2024"
    assert acl["title"] == "Codec-SUPERB: An In-Depth Analysis of Sound Codec Models"
    assert acl["editor"][0] == {"family": "Ku", "given": "Lun-Wei"}
    assert (acl["page"], acl["publisher"], acl["publisher-place"]) == (
        "10330-10348",
        "Association for Computational Linguistics",
        "Bangkok, Thailand",
    )
    assert acl["issued"] == {"date-parts": [[2024, 8]]} and acl["DOI"] == "10.18653/v1/2024.findings-acl.616"
    assert acl["abstract"].startswith("The sound codec's dual roles")


def test_hostile_text_is_decoded_to_plain_unicode(cli, api, workdir):
    for paper in HOSTILE:
        api.arxiv.add_paper(paper)
    write(workdir / "list.md", LIST)
    assert cli("build", "list.md", "-o", "out.bib", "--ascii", "--csl-json", "out.json").exit_code == 0
    items = {item["number"]: item for item in json.loads((workdir / "out.json").read_text(encoding="utf-8"))}
    first, second = items["2501.00001"], items["2501.00002"]
    assert first["title"] == HOSTILE[0].title
    assert " ".join(first["abstract"].split()) == rendered(
        as_arxiv_shows(HOSTILE[0].summary)
    )  # arXiv's TeX, as printed
    assert first["author"][0] == {"family": "Dvořák", "given": "Antonín"}
    assert second["author"][0] == {"family": "Ñúñez", "given": "José", "suffix": "Jr."}
    assert second["author"][1] == {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}
    assert second["author"][2] == {"literal": "王小明"}


def test_no_sidecar_when_nothing_is_written(cli, api, workdir):
    write(workdir / "list.md", "- https://arxiv.org/abs/2212.99999\n")
    result = cli("build", "list.md", "-o", "out.bib", "--csl-json", "out.json")
    assert result.exit_code == 1
    assert not (workdir / "out.json").exists() and not (workdir / "out.bib").exists()


def test_entry_types_map_to_csl_types():
    def item(entry_type: str, **fields: str) -> dict:
        return csl_item(Entry("k", entry_type, fields))

    assert item("inproceedings", booktitle="Proc. of X")["type"] == "paper-conference"
    journal = item(
        "article",
        journal="IEEE/ACM TASLP",
        volume="30",
        number="4",
        pages="1--10",
        publisher="IEEE",
        year="2022",
        month="mar",
    )
    assert (journal["type"], journal["container-title"], journal["issue"], journal["page"], journal["issued"]) == (
        "article-journal",
        "IEEE/ACM TASLP",
        "4",
        "1-10",
        {"date-parts": [[2022, 3]]},
    )
    assert item("misc", eprint="2301.02111", archivePrefix="arXiv")["type"] == "article"
    assert item("misc", eprint="12345", eprinttype="pubmed")["type"] == "document"
    assert item("article", journal="CoRR", eprint="2301.02111")["type"] == "article"
    assert item("phdthesis", school="MIT")["type"] == "thesis" and item("phdthesis", school="MIT")["publisher"] == "MIT"
    assert item("techreport", number="TR-7")["number"] == "TR-7"
    assert (
        item(
            "misc", howpublished="Submitted to ICLR 2025 (under review)", url="https://openreview.net/forum?id=abcdef"
        )["genre"]
        == "Submitted to ICLR 2025 (under review)"
    )
    organisation = csl_item(Entry("k", "misc", {"author": "{OpenAI} and others"}))
    assert organisation["author"] == [{"literal": "OpenAI"}]
    assert json.loads(format_csl_json([])) == []
