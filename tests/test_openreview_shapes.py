"""OpenReview notes -> entries: 2018-era API v1 notes without venue fields, and records imported from dblp/ORCID.

Notes are built with invented papers in the shapes real OpenReview answers have
(tests/fakeapi/openreview.py); unit tests go note -> record (the resolver's
``record_from_note``) -> ``from_openreview``, the end-to-end test through the CLI.
"""

from __future__ import annotations

import bibtexparser
import pytest

from conftest import write
from fakeapi.openreview import make_dblp_note, make_orcid_note, make_v1_2018_note, make_v1_note, make_v2_note
from tridentbib.resolvers.openreview import (
    _openreview_bibtex,
    from_openreview,
    is_imported,
    legacy_decision,
    record_from_note,
)

# -- invented imported records, in the shapes of the real ones -------------------------

NETWORK_BIBTEX = """@article{DBLP:journals/network/OkaforVB31,
  author={Chidi Okafor and Lena Vogt and Rui Barros},
  title={FlowLattice: Programmable Queues for Campus Networks},
  year={2031},
  month={January},
  cdate={1925078400000},
  journal={IEEE Netw.},
  volume={45},
  number={1},
  pages={7-14},
  url={https://doi.org/10.5555/MNET.2031.0000001}
}
"""

NEURAL_NETWORKS_BIBTEX = """@article{DBLP:journals/nn/HalvorsenMQ31,
  author={Ingrid Halvorsen and Tomasz Mazur and Yusuf Qureshi},
  title={Sparse Recurrent Memories for Streaming Speech},
  year={2031},
  cdate={1925078400000},
  journal={Neural Networks},
  volume={181},
  pages={106999},
  url={https://doi.org/10.5555/j.neunet.2031.106999}
}
"""

DBLP_ICLR_BIBTEX = """@inproceedings{DBLP:conf/iclr/PereiraN19,
  author    = {Ana Pereira and
               Kwame Nkrumah-Asante},
  title     = {Gated Codebooks for Low-Bitrate Speech},
  booktitle = {7th International Conference on Learning Representations, {ICLR} 2019,
               New Orleans, LA, USA, May 6-9, 2019},
  publisher = {OpenReview.net},
  year      = {2019},
  url       = {https://openreview.net/forum?id=Gat3dC0d3b},
  timestamp = {Thu, 25 Jul 2019 14:25:55 +0200},
  biburl    = {https://dblp.org/rec/conf/iclr/PereiraN19.bib},
  bibsource = {dblp computer science bibliography, https://dblp.org}
}
"""

ORCID_ACL_TITLE = "Cross-document Coreference with Event Graph Attention"
ORCID_ACL_BIBTEX = """@inproceedings{0d4a1c6e9b2f4e7a8c3d5b6a7e8f9012,
  title     = "Cross-document Coreference with Event Graph Attention",
  abstract  = "Cross-document coreference links mentions of one event across documents. We attend over an event graph & report 3% gains.",
  author    = "Priya Raman and Mateo Lindqvist and Hana Sato",
  year      = "2019",
  month     = jul,
  doi       = "10.18653/v1/P19-9423",
  language  = "English",
  pages     = "4309--4316",
  booktitle = "Cross-document Coreference with Event Graph Attention",
}
"""


def shape(note: dict, version: int = 2):
    return from_openreview(record_from_note(note, api_version=version))


def network_note() -> dict:
    return make_dblp_note(
        "N3tw0rkA1b",
        "FlowLattice: Programmable Queues for Campus Networks",
        ["Chidi Okafor", "Lena Vogt", "Rui Barros"],
        NETWORK_BIBTEX,
        venue="IEEE Netw. 2031",
        venueid="dblp.org/journals/NETWORK/2031",
        html="https://doi.org/10.5555/MNET.2031.0000001",
        pdf="https://ieeexplore.example/iel7/65/1/1.pdf",
        profiles=1,
    )


def neural_networks_note() -> dict:
    return make_dblp_note(
        "NeuNetB2c3",
        "Sparse Recurrent Memories for Streaming Speech",
        ["Ingrid Halvorsen", "Tomasz Mazur", "Yusuf Qureshi"],
        NEURAL_NETWORKS_BIBTEX,
        venue="Neural Networks 2031",
        venueid="dblp.org/journals/NN/2031",
        html="https://doi.org/10.5555/j.neunet.2031.106999",
        profiles=0,
    )


def orcid_acl_note() -> dict:
    return make_orcid_note(
        "0rc1dAclX9",
        ORCID_ACL_TITLE,
        ["Priya Raman", "Mateo Lindqvist", "Hana Sato"],
        ORCID_ACL_BIBTEX,
        html="https://research.example.ac.uk/en/publications/0d4a1c6e",
        external_ids=["doi:10.18653/v1/p19-9423"],
        usernames={"Hana Sato": "~Hana_Sato1"},
    )


# -- API v1 notes of the 2018 era: no venue, no venueid ---------------------------------


def test_accepted_2018_v1_note_is_the_iclr_paper_its_bibtex_says():
    note = make_v1_2018_note(
        "Hk2018AccX",
        "Progressive Widening of Codec Language Models",
        ["Maren Holt", "Oskar Lind"],
        abstract="We widen.",
    )
    assert "venue" not in note["content"] and "venueid" not in note["content"]
    entry = shape(note, version=1)
    assert entry.entry_type == "inproceedings"
    assert (
        entry.fields
        == {
            "title": "Progressive Widening of Codec Language Models",
            "author": "Holt, Maren and Lind, Oskar",
            "booktitle": "The Sixth International Conference on Learning Representations",  # as for every accepted ICLR paper
            "year": "2018",
            "publisher": "OpenReview.net",
            "url": "https://openreview.net/forum?id=Hk2018AccX",
            "abstract": "We widen.",
        }
    )
    assert entry.identity == {"openreview:Hk2018AccX"}


def test_blind_2018_misc_is_not_accepted_and_names_its_venue_and_year():
    entry = shape(
        make_v1_2018_note("Hk2018RejX", "A Blind Submission Nobody Took", ["Maren Holt"], accepted=False), version=1
    )
    assert entry.entry_type == "misc"
    assert entry.fields["howpublished"] == "Submitted to ICLR 2018 (not accepted)"
    assert entry.fields["author"] == "{Anonymous}" and entry.fields["year"] == "2018"  # what the blind note says
    assert "booktitle" not in entry.fields and "publisher" not in entry.fields


def _bib(entry_type: str, *fields: str) -> str:
    return f"@{entry_type}{{\nkey2018x,\ntitle={{T}},\n" + ",\n".join(fields) + "\n}"


NAMED = "author={Maren Holt and Oskar Lind}"
ICLR = "booktitle={International Conference on Learning Representations}"


@pytest.mark.parametrize(
    ("bibtex", "invitation", "expected"),
    [
        (_bib("inproceedings", NAMED, ICLR, "year={2018}"), "ICLR.cc/2018/Conference/-/Blind_Submission", "accepted"),
        (_bib("conference", NAMED, ICLR, "year={2018}"), "ICLR.cc/2018/Conference/-/Blind_Submission", "accepted"),
        (
            _bib("article", NAMED, "journal={Journal of Invented Results}", "year={2018}"),
            "JIR.org/2018/-/Submission",
            "accepted",
        ),
        (
            _bib("misc", NAMED, "year={2018}"),
            "ICLR.cc/2018/Conference/-/Blind_Submission",
            "rejected",
        ),  # named but @misc
        (
            _bib("inproceedings", "author={Anonymous}", ICLR, "year={2018}"),
            "ICLR.cc/2018/Conference/-/Blind_Submission",
            "rejected",
        ),
        (
            _bib(
                "inproceedings",
                "author={Anonymous}",
                "booktitle={Submitted to International Conference on Learning Representations}",
                "year={2019}",
                "note={under review}",
            ),
            "ICLR.cc/2019/Conference/-/Blind_Submission",
            "rejected",
        ),
        (
            _bib(
                "inproceedings",
                NAMED,
                "booktitle={Submitted to International Conference on Learning Representations}",
                "year={2018}",
            ),
            "ICLR.cc/2018/Conference/-/Blind_Submission",
            "rejected",
        ),
        (
            _bib("inproceedings", NAMED, ICLR, "year={2018}", "note={under review}"),
            "ICLR.cc/2018/Conference/-/Blind_Submission",
            "rejected",
        ),
        (
            _bib("inproceedings", NAMED, "year={2018}"),
            "ICLR.cc/2018/Conference/-/Blind_Submission",
            "rejected",
        ),  # no container
        (
            _bib("inproceedings", NAMED, ICLR, "year={2018}"),
            "ICLR.cc/2019/Conference/-/Withdrawn_Submission",
            "withdrawn",
        ),
        (
            _bib("inproceedings", NAMED, ICLR, "year={2018}"),
            "ICLR.cc/2020/Conference/-/Desk_Rejected_Submission",
            "rejected",
        ),
        ("", "ICLR.cc/2018/Conference/-/Blind_Submission", "under review"),  # nothing says more
        ("@misc{broken", "ICLR.cc/2018/Conference/-/Blind_Submission", "under review"),
    ],
)
def test_legacy_decision_rule(bibtex, invitation, expected):
    note = make_v1_2018_note("Hk2018Rul3", "T", ["Maren Holt"], bibtex=bibtex, invitation=invitation)
    record = record_from_note(note, api_version=1)
    assert legacy_decision(record, _openreview_bibtex(record["bibtex"])) == expected


def test_legacy_labels_come_from_the_invitation_group():
    withdrawn = shape(
        make_v1_2018_note(
            "Hk2019WdrX", "Gone Quietly", ["Maren Holt"], invitation="ICLR.cc/2019/Conference/-/Withdrawn_Submission"
        ),
        version=1,
    )
    assert (withdrawn.entry_type, withdrawn.fields["howpublished"], withdrawn.fields["year"]) == (
        "misc",
        "Submitted to ICLR 2019 (withdrawn)",
        "2019",
    )
    unknown = shape(make_v1_2018_note("Hk2018Unk1", "No Bibtex At All", ["Maren Holt"], bibtex=""), version=1)
    assert unknown.fields["howpublished"] == "Submitted to ICLR 2018 (under review)"


def test_accepted_2018_workshop_paper_keeps_its_own_booktitle_made_safe():
    bibtex = _bib(
        "inproceedings",
        NAMED,
        "booktitle={Sixth International Conference on Learning Representations, Workshop Track: Speech & {NLP}}",
        "year={2018}",
    )
    entry = shape(
        make_v1_2018_note(
            "Hk2018Wsh1",
            "A Workshop Paper",
            ["Maren Holt", "Oskar Lind"],
            bibtex=bibtex,
            invitation="ICLR.cc/2018/Workshop/-/Submission",
        ),
        version=1,
    )
    assert entry.entry_type == "inproceedings"
    # not the main conference's name; the bare & is escaped, the {NLP} protection kept
    assert (
        entry.fields["booktitle"]
        == r"Sixth International Conference on Learning Representations, Workshop Track: Speech \& {NLP}"
    )
    assert entry.fields["year"] == "2018" and entry.fields["publisher"] == "OpenReview.net"


def test_accepted_v1_note_of_an_unknown_series_uses_its_bibtex_container():
    bibtex = _bib("article", NAMED, "journal={Journal of Invented Results}", "year={2018}")
    entry = shape(
        make_v1_2018_note(
            "Jir2018Ac1",
            "Invented Result",
            ["Maren Holt", "Oskar Lind"],
            bibtex=bibtex,
            invitation="JIR.org/2018/-/Submission",
        ),
        version=1,
    )
    assert (entry.entry_type, entry.fields["journal"], entry.fields["year"]) == (
        "article",
        "Journal of Invented Results",
        "2018",
    )


# -- accepted OpenReview-native papers: exactly as before ---------------------------------


def test_native_accepted_notes_are_shaped_as_before():
    v2 = shape(
        make_v2_note(
            "Acc3pt3d02",
            "HALL-E 2: A Sequel",
            ["Yuto Nishimura"],
            abstract="More.",
            venue="ICLR 2025 Spotlight",
            venueid="ICLR.cc/2025/Conference",
        )
    )
    assert (v2.entry_type, v2.fields) == (
        "inproceedings",
        {
            "title": "{HALL-E} 2: A Sequel",
            "author": "Nishimura, Yuto",
            "booktitle": "The Thirteenth International Conference on Learning Representations",
            "year": "2025",
            "publisher": "OpenReview.net",
            "url": "https://openreview.net/forum?id=Acc3pt3d02",
            "abstract": "More.",
        },
    )
    v1 = shape(
        make_v1_note(
            "Old1Cl3ar2", "An ICLR 2022 Paper", ["Dee Dee"], venue="ICLR 2022 Poster", venueid="ICLR.cc/2022/Conference"
        ),
        version=1,
    )
    assert (
        v1.fields["booktitle"] == "The Tenth International Conference on Learning Representations"
        and v1.fields["publisher"] == "OpenReview.net"
    )
    rejected = shape(
        make_v2_note(
            "Rej3ct3d02",
            "Rejected",
            ["Ann Smith"],
            venue="Submitted to ICLR 2025",
            venueid="ICLR.cc/2025/Conference/Rejected_Submission",
        )
    )
    assert rejected.fields["howpublished"] == "Submitted to ICLR 2025 (not accepted)"
    for note in (make_v2_note("Acc3pt3d02", "T", ["A B"]), make_v1_note("Old1Cl3ar2", "T", ["A B"])):
        assert not is_imported(record_from_note(note, api_version=2))


# -- records imported from dblp and ORCID ----------------------------------------------


def test_dblp_journal_record_is_shaped_from_its_bibtex():
    entry = shape(network_note())
    assert entry.entry_type == "article"
    assert entry.fields == {
        "title": "{FlowLattice}: Programmable Queues for Campus Networks",
        "author": "Okafor, Chidi and Vogt, Lena and Barros, Rui",
        "journal": "IEEE Netw.",
        "year": "2031",
        "month": "jan",
        "volume": "45",
        "number": "1",
        "pages": "7--14",
        "doi": "10.5555/MNET.2031.0000001",  # from dblp's doi.org url, as written
        "url": "https://doi.org/10.5555/MNET.2031.0000001",
    }  # no publisher = {OpenReview.net}, no dblp cdate
    assert entry.identity == {"openreview:N3tw0rkA1b", "doi:10.5555/mnet.2031.0000001"}
    assert entry.origin == "openreview"


def test_dblp_record_with_only_dblp_author_urls():
    entry = shape(neural_networks_note())
    assert entry.entry_type == "article"
    assert (entry.fields["journal"], entry.fields["volume"], entry.fields["pages"], entry.fields["doi"]) == (
        "Neural Networks",
        "181",
        "106999",
        "10.5555/j.neunet.2031.106999",
    )
    assert "number" not in entry.fields and "publisher" not in entry.fields and "month" not in entry.fields


def test_v1_dblp_import_of_an_iclr_paper_drops_openreview_as_publisher():
    note = make_dblp_note(
        "Gat3dC0d3b",
        "Gated Codebooks for Low-Bitrate Speech",
        ["Ana Pereira", "Kwame Nkrumah-Asante"],
        DBLP_ICLR_BIBTEX,
        venue="ICLR (Poster) 2019",
        venueid="dblp.org/conf/ICLR/2019",
        profiles=0,
        version=1,
        pdate_ms=1546300800000,
    )
    assert note["invitation"] == "dblp.org/-/record"
    entry = shape(note, version=1)
    assert entry.entry_type == "inproceedings"
    assert (
        entry.fields["booktitle"]
        == "7th International Conference on Learning Representations, {ICLR} 2019, New Orleans, LA, USA, May 6-9, 2019"
    )
    assert entry.fields["year"] == "2019" and entry.fields["url"] == "https://openreview.net/forum?id=Gat3dC0d3b"
    assert "publisher" not in entry.fields and "timestamp" not in entry.fields and "biburl" not in entry.fields


def test_orcid_record_never_gets_its_title_as_booktitle():
    entry = shape(orcid_acl_note())
    assert entry.entry_type == "inproceedings"
    assert (
        entry.fields
        == {
            "title": "Cross-document Coreference with Event Graph Attention",
            "author": "Raman, Priya and Lindqvist, Mateo and Sato, Hana",  # authors given as {"fullname", "username"} objects
            "year": "2019",
            "month": "jul",
            "pages": "4309--4316",
            "doi": "10.18653/v1/P19-9423",
            "url": "https://openreview.net/forum?id=0rc1dAclX9",
            # only in _bibtex: BibTeX content, made safe (bare & and % escaped)
            "abstract": r"Cross-document coreference links mentions of one event across documents. We attend over an event graph \& report 3\% gains.",
        }
    )
    assert entry.identity == {"openreview:0rc1dAclX9", "doi:10.18653/v1/p19-9423"}


def test_imported_doi_falls_back_to_the_notes_external_ids():
    note = orcid_acl_note()
    note["content"]["_bibtex"]["value"] = ORCID_ACL_BIBTEX.replace('  doi       = "10.18653/v1/P19-9423",\n', "")
    entry = shape(note)
    assert entry.fields["doi"] == "10.18653/v1/p19-9423"


def test_imported_record_without_bibtex_is_misc_with_its_venue():
    note = network_note()
    note["content"]["_bibtex"]["value"] = ""
    entry = shape(note)
    assert entry.entry_type == "misc"
    assert entry.fields["howpublished"] == "IEEE Netw. 2031" and entry.fields["year"] == "2031"
    assert "publisher" not in entry.fields and "booktitle" not in entry.fields


def test_imported_text_escaping():
    bibtex = NETWORK_BIBTEX.replace("journal={IEEE Netw.}", r"journal={Networks & Systems: {\"U}ber Queues}")
    note = make_dblp_note(
        "Esc4p3Me01",
        "Queues & Stacks: 100% Fair",
        ["Chidi Okafor"],
        bibtex,
        venue="N&S 2031",
        venueid="dblp.org/journals/NS/2031",
    )
    entry = shape(note)
    assert entry.fields["title"] == r"Queues \& Stacks: 100\% Fair"  # the note's title is plain text: to_latex
    assert entry.fields["journal"] == r"Networks \& Systems: {\"U}ber Queues"  # _bibtex is BibTeX content: safe_tex


BASE = {
    "id": "Sign4lT3st",
    "api_version": 2,
    "title": "A Paper About Signals",
    "authors": ["Ann Lee"],
    "abstract": "",
    "venue": "",
    "venueid": "",
    "bibtex": "@article{k,\n title={A Paper About Signals},\n journal={Journal of Signals},\n volume={3},\n year={2030}\n}",
    "pdf": "",
    "keywords": [],
    "pdate": None,
    "odate": None,
    "cdate": None,
}


@pytest.mark.parametrize(
    "signal",
    [
        {"venueid": "dblp.org/journals/JS/2030", "venue": "J. Signals 2030"},
        {"venueid": "OpenReview.net/Public_Article"},
        {"invitations": ["dblp.org/-/record"]},
        {"invitations": ["DBLP.org/-/Record", "DBLP.org/-/Edit"]},
        {"invitations": ["OpenReview.net/Public_Article/ORCID.org/-/Record"]},
        {"invitations": ["OpenReview.net/Archive/-/Direct_Upload"]},
        {"authorids": ["https://dblp.org/pid/12/3456"]},
        {"authorids": ["~Ann_Lee1", "https://dblp.org/search/pid/api?q=author:Ann_Lee:"]},
        {"authorids": ["https://orcid.org/0000-0002-1825-0097"]},
        {"venue": "A paper about signals"},  # the venue is the title (ORCID)
    ],
)
def test_each_import_signal_alone(signal):
    record = {**BASE, **signal}
    assert is_imported(record)
    entry = from_openreview(record)
    assert (entry.entry_type, entry.fields["journal"], entry.fields["volume"]) == ("article", "Journal of Signals", "3")
    assert "publisher" not in entry.fields and "howpublished" not in entry.fields


def test_a_cached_record_from_before_invitations_were_kept_is_still_recognised():
    record = record_from_note(network_note(), api_version=2)
    for key in ("invitations", "authorids", "external_ids"):
        del record[key]
    assert from_openreview(record).fields["journal"] == "IEEE Netw."


# -- end to end, through the CLI ------------------------------------------------------


def entries(path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def test_build_resolves_2018_v1_notes_and_imported_records(cli, api, workdir):
    api.openreview.add_v1(
        make_v1_2018_note("Hk2018AccX", "Progressive Widening of Codec Language Models", ["Maren Holt", "Oskar Lind"])
    )
    api.openreview.add_v1(
        make_v1_2018_note("Hk2018RejX", "A Blind Submission Nobody Took", ["Maren Holt"], accepted=False)
    )
    api.openreview.add_v2(network_note())
    api.openreview.add_v2(neural_networks_note())
    api.openreview.add_v2(orcid_acl_note())
    api.openreview.add_v1(
        make_dblp_note(
            "Gat3dC0d3b",
            "Gated Codebooks for Low-Bitrate Speech",
            ["Ana Pereira", "Kwame Nkrumah-Asante"],
            DBLP_ICLR_BIBTEX,
            venue="ICLR (Poster) 2019",
            venueid="dblp.org/conf/ICLR/2019",
            profiles=0,
            version=1,
        )
    )
    ids = ["Hk2018AccX", "Hk2018RejX", "N3tw0rkA1b", "NeuNetB2c3", "0rc1dAclX9", "Gat3dC0d3b"]
    write(workdir / "l.md", "".join(f"- [paper](https://openreview.net/forum?id={ident})\n" for ident in ids))
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    out = entries(workdir / "out.bib")
    assert len(out) == 6
    by_title = {fields["title"].strip("{}").split("}")[0]: fields for fields in out.values()}
    accepted = by_title["Progressive Widening of Codec Language Models"]
    assert (accepted["ENTRYTYPE"], accepted["booktitle"], accepted["year"], accepted["publisher"]) == (
        "inproceedings",
        "The Sixth International Conference on Learning Representations",
        "2018",
        "OpenReview.net",
    )
    blind = by_title["A Blind Submission Nobody Took"]
    assert (blind["ENTRYTYPE"], blind["howpublished"]) == ("misc", "Submitted to ICLR 2018 (not accepted)")
    network = by_title["FlowLattice"]
    assert (
        network["ENTRYTYPE"],
        network["journal"],
        network["volume"],
        network["number"],
        network["pages"],
        network["doi"],
    ) == ("article", "IEEE Netw.", "45", "1", "7--14", "10.5555/MNET.2031.0000001")
    assert by_title["Sparse Recurrent Memories for Streaming Speech"]["journal"] == "Neural Networks"
    acl = by_title["Cross-document Coreference with Event Graph Attention"]
    assert (acl["ENTRYTYPE"], acl["doi"], acl["pages"]) == ("inproceedings", "10.18653/v1/P19-9423", "4309--4316")
    assert "booktitle" not in acl
    iclr19 = by_title["Gated Codebooks for Low-Bitrate Speech"]
    assert iclr19["booktitle"].startswith("7th International Conference on Learning Representations")
    for ident, fields in zip(
        ids,
        (accepted, blind, network, by_title["Sparse Recurrent Memories for Streaming Speech"], acl, iclr19),
        strict=False,
    ):
        if ident not in ("Hk2018AccX",):
            assert "publisher" not in fields, ident
    text = (workdir / "out.bib").read_text()
    assert "month = jan" in text and "month = jul" in text  # bare macros
    assert "cdate" not in text and "language" not in text
    # the v1-only ids were asked of v2 in one batch first, then of v1 in one batch
    assert len(api.requests("openreview2")) == 1
    assert len(api.requests("openreview1")) == 1
    # warm run: the cached records give the same file
    api.clear_log()
    assert cli("build", "l.md", "-o", "again.bib").exit_code == 0
    assert api.requests() == []
    assert (workdir / "again.bib").read_text() == text


def test_an_orcid_import_and_the_anthology_link_of_the_same_paper_are_one_entry(cli, api, workdir):
    api.openreview.add_v2(orcid_acl_note())
    api.acl.add(
        "P19-9423",
        """@inproceedings{raman-etal-2019-cross,
    title = "Cross-document Coreference with Event Graph Attention",
    author = "Raman, Priya  and
      Lindqvist, Mateo  and
      Sato, Hana",
    booktitle = "Proceedings of the 57th Annual Meeting of the Association for Computational Linguistics",
    month = jul,
    year = "2019",
    address = "Florence, Italy",
    publisher = "Association for Computational Linguistics",
    url = "https://aclanthology.org/P19-9423/",
    doi = "10.18653/v1/P19-9423",
    pages = "4309--4316",
}
""",
    )
    write(
        workdir / "l.md",
        "- [acl](https://aclanthology.org/P19-9423/)\n- [openreview](https://openreview.net/forum?id=0rc1dAclX9)\n",
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    out = entries(workdir / "out.bib")
    assert list(out) == ["raman-etal-2019-cross"]
    assert out["raman-etal-2019-cross"]["booktitle"].startswith("Proceedings of the 57th Annual Meeting")
    assert out["raman-etal-2019-cross"]["publisher"] == "Association for Computational Linguistics"
