"""Venue upgrades of arXiv preprints (issue 8): only on evidence, each with its evidence in the report.

End to end through the real CLI against the local fake server, which answers in
arXiv's Atom, Semantic Scholar's batch JSON and dblp's search JSON. A list of
published preprints and of traps:

=========  =====================================================  ===================
paper      what links it to a venue                               expected
=========  =====================================================  ===================
S2ID       S2 ``externalIds.ArXiv`` + ICASSP venue                fast: @inproceedings
AXDOI      arXiv's own ``doi`` + ``journal_ref`` (Interspeech)    fast: @inproceedings
DBLPEE     dblp ``ee`` holds ``arxiv.org/abs/ID`` (ACL)           full: @inproceedings
TITLE      dblp: same title, 2 of 3 authors, same first author    full: @inproceedings
SAMETITLE  dblp "Deep Learning." by other authors (KDD)           stays @misc (candidate)
NEARMISS   dblp title one word off                                stays @misc (candidate)
CORR       dblp CoRR record with the arXiv link; S2 "arXiv.org"   stays @misc
EARLY      dblp ``ee`` link, but the venue year precedes v1       stays @misc (candidate)
S2EARLY    S2 ``externalIds.ArXiv``, venue year precedes v1       stays @misc (candidate)
=========  =====================================================  ===================

arXiv's own ``journal_ref`` (issue 14), read by ``tridentbib.steps.venues.journal_ref``:

=========  =====================================================  ===================
JRDOI      DOI + ``Fict. Rev. B 89, 224502 (2014)``               @article, fields split
JRAMP      DOI + ``Fiction & Education, September 2014, ...``     @article, & escaped
JRBOOK     DOI + a chapter of an edited book (not confident)      @misc + howpublished
JRONLY     no DOI, a complete reference (volume, issue, pages)    @article (journal_ref)
JRSOON     no DOI, ``Accepted at ICASSP 2024``                    @misc + howpublished
JRS2       ``Accepted at ICASSP 2024`` + S2 id link               @inproceedings (S2)
=========  =====================================================  ===================
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser

from conftest import FAST, write
from fakeapi import FakeAPI
from fakeapi.arxiv import ArxivPaper
from fakeapi.dblp import DblpRecord
from fakeapi.s2 import S2Paper, s2_rate_limit_fault
from tridentbib.http import ServiceClient
from tridentbib.latex import from_latex
from tridentbib.model import Entry
from tridentbib.pipeline import build
from tridentbib.resolvers.interface import Found, Missing
from tridentbib.resolvers.s2 import S2Resolver
from tridentbib.settings import Settings
from tridentbib.sources.files import read_input
from tridentbib.steps.venues import (
    Evidence,
    Venue,
    author_overlap,
    decide,
    upgrade,
    venue_from_arxiv,
    venue_from_dblp,
    venue_from_s2,
)

S2ID, AXDOI, DBLPEE, TITLE = "2301.00001", "2302.00002", "2303.00003", "2304.00004"
SAMETITLE, NEARMISS, CORR, EARLY, S2EARLY = "2305.00005", "2306.00006", "2307.00007", "2308.00008", "2309.00009"
PUBLISHED_FAST = (S2ID, AXDOI)
PUBLISHED_FULL = (S2ID, AXDOI, DBLPEE, TITLE)
TRAPS = (SAMETITLE, NEARMISS, CORR, EARLY, S2EARLY)
ALL = (*PUBLISHED_FULL, *TRAPS)

TITLES = {
    S2ID: "Streaming Speech Codecs with Residual Vector Quantization",
    AXDOI: "Prompting Large Speech Models for Keyword Spotting",
    DBLPEE: "Aligning Spoken Dialogue Models with Human Preferences",
    TITLE: "Self-Supervised Speaker Diarization at Scale",
    SAMETITLE: "Deep Learning",
    NEARMISS: "Low-Latency Neural Speech Codec for Streaming",
    CORR: "A Benchmark of Spoken Question Answering",
    EARLY: "Tokenizing Speech for Language Models",
    S2EARLY: "Emotion Recognition from Raw Waveforms",
}
AUTHORS = {
    S2ID: ["Alice Zhang", "Bob Li", "Carol Wu"],
    AXDOI: ["Dara Singh", "Eli Cohen"],
    DBLPEE: ["Fang Chen", "Gina Kowalski", "Hiro Tanaka"],
    TITLE: ["Dana Kim", "Evan Park", "Fay Ng"],
    SAMETITLE: ["Hana Sato", "Ivan Petrov"],
    NEARMISS: ["Jon Berg", "Kim Lund"],
    CORR: ["Lea Roth", "Max Vogel"],
    EARLY: ["Nia Osei", "Omar Haddad"],
    S2EARLY: ["Pia Lind", "Quinn Shaw"],
}
PUBLISHED = {
    S2ID: "2023-01-05T18:00:00Z",
    AXDOI: "2023-02-01T10:00:00Z",
    DBLPEE: "2023-03-01T10:00:00Z",
    TITLE: "2023-04-03T10:00:00Z",
    SAMETITLE: "2023-05-01T10:00:00Z",
    NEARMISS: "2023-06-01T10:00:00Z",
    CORR: "2023-07-03T10:00:00Z",
    EARLY: "2023-08-01T10:00:00Z",
    S2EARLY: "2023-09-01T10:00:00Z",
}

ICASSP_VENUE = {
    "id": "0d6f7fba-7092-46b3-8039-93458dba736b",
    "name": "IEEE International Conference on Acoustics, Speech, and Signal Processing",
    "type": "conference",
    "alternate_names": [
        "Int Conf Acoust Speech Signal Process",
        "IEEE Int Conf Acoust Speech Signal Process",
        "ICASSP",
        "International Conference on Acoustics, Speech, and Signal Processing",
    ],
    "url": "http://www.wikicfp.com/cfp/program?id=1160",
}
ARXIV_VENUE = {
    "id": "1901e811-ee72-4b20-8f7e-de08cd395a10",
    "name": "arXiv.org",
    "alternate_names": ["ArXiv"],
    "issn": "2331-8422",
    "url": "https://arxiv.org",
}
INTERSPEECH_VENUE = {
    "id": "af90489f-bd1a-4e6e-ae10-ae5b4bb5a29d",
    "name": "Interspeech",
    "type": "conference",
    "alternate_names": ["Conf Int Speech Commun Assoc", "INTERSPEECH"],
    "issn": "2308-457X",
}


def register(api: FakeAPI, ids: tuple[str, ...] = ALL) -> None:
    """The preprints on arXiv, and what S2 and dblp know about them."""
    for ident in ids:
        extra = (
            {"doi": "10.21437/Interspeech.2023-1234", "journal_ref": "Proc. Interspeech 2023, 2538-2542"}
            if ident == AXDOI
            else {}
        )
        api.arxiv.add_paper(
            ArxivPaper(
                ident,
                title=TITLES[ident],
                authors=AUTHORS[ident],
                published=PUBLISHED[ident],
                primary_category="eess.AS",
                **extra,
            )
        )
    api.s2.add(
        S2Paper(
            "a1" * 20,
            TITLES[S2ID],
            {
                "ArXiv": S2ID,
                "DBLP": "conf/icassp/ZhangLW23",
                "DOI": "10.1109/ICASSP49357.2023.10095001",
                "CorpusId": 255000001,
            },
            venue=ICASSP_VENUE["name"],
            publication_venue=ICASSP_VENUE,
            year=2023,
            authors=AUTHORS[S2ID],
            publication_types=["JournalArticle", "Conference"],
            journal={"pages": "1-5"},
        )
    )
    api.s2.add(
        S2Paper(
            "c3" * 20,
            TITLES[CORR],
            {
                "ArXiv": CORR,
                "DBLP": "journals/corr/abs-2307-00007",
                "DOI": "10.48550/arXiv.2307.00007",
                "CorpusId": 255000003,
            },
            venue="arXiv.org",
            publication_venue=ARXIV_VENUE,
            year=2023,
            authors=AUTHORS[CORR],
            publication_types=["JournalArticle"],
            journal={"name": "ArXiv", "volume": "abs/2307.00007"},
        )
    )
    api.s2.add(
        S2Paper(
            "e5" * 20,
            TITLES[S2EARLY],
            {"ArXiv": S2EARLY, "CorpusId": 255000005},
            venue="Interspeech",
            publication_venue=INTERSPEECH_VENUE,
            year=2020,
            authors=AUTHORS[S2EARLY],
            publication_types=["Conference"],
        )
    )
    api.dblp.add(
        DblpRecord(
            TITLES[DBLPEE],
            [(n, None) for n in AUTHORS[DBLPEE]],
            venue="ACL (1)",
            year=2023,
            key="conf/acl/ChenKT23",
            doi="10.18653/V1/2023.ACL-LONG.12",
            ee=["https://doi.org/10.18653/v1/2023.acl-long.12", f"https://arxiv.org/abs/{DBLPEE}"],
            pages="201-215",
        )
    )
    api.dblp.add(
        DblpRecord(
            TITLES[TITLE],
            ["Dana Kim", "Evan Park 0002", "Gus Ho"],
            venue="INTERSPEECH",
            year=2023,
            key="conf/interspeech/KimPH23",
            doi="10.21437/INTERSPEECH.2023-777",
            ee="https://doi.org/10.21437/Interspeech.2023-777",
            pages="3100-3104",
        )
    )
    api.dblp.add(
        DblpRecord(
            "Deep Learning",
            ["Yann LeCun", "Yoshua Bengio", "Geoffrey E. Hinton"],
            venue="KDD",
            year=2023,
            key="conf/kdd/LeCunBH23",
            ee="https://doi.org/10.1145/0000000.0000001",
        )
    )
    api.dblp.add(
        DblpRecord(
            "Low-Latency Neural Speech Codecs for Streaming",
            AUTHORS[NEARMISS],
            venue="ICASSP",
            year=2024,
            key="conf/icassp/BergL24",
            doi="10.1109/ICASSP48485.2024.10440001",
            ee="https://doi.org/10.1109/ICASSP48485.2024.10440001",
        )
    )
    api.dblp.add(
        DblpRecord(
            TITLES[CORR],
            AUTHORS[CORR],
            venue="CoRR",
            year=2023,
            key="journals/corr/abs-2307-00007",
            type="Informal and Other Publications",
            volume="abs/2307.00007",
            ee=f"https://arxiv.org/abs/{CORR}",
        )
    )
    api.dblp.add(
        DblpRecord(
            TITLES[EARLY],
            AUTHORS[EARLY],
            venue="ICASSP",
            year=2021,
            key="conf/icassp/OseiH21",
            ee=["https://doi.org/10.1109/ICASSP39728.2021.9410001", f"https://arxiv.org/abs/{EARLY}"],
        )
    )


def the_list(ids: tuple[str, ...] = ALL) -> str:
    rows = "\n".join(f"| 2023 | - | {TITLES[i]} | [paper](https://arxiv.org/abs/{i}) |" for i in ids)
    return f"# Papers\n\n| Date | Model | Paper Title | Link |\n|---|---|---|---|\n{rows}\n"


def parse_bib(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {
        e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type, "KEY": e.key} for e in library.entries
    }


def by_eprint(path: Path) -> dict[str, dict[str, str]]:
    return {fields["eprint"]: fields for fields in parse_bib(path).values()}


def lines_about(stderr: str, text: str) -> list[str]:
    return [line for line in stderr.splitlines() if text in line]


# -- fast, full, off: the whole list ---------------------------------------------------------


def test_fast_upgrades_what_arxiv_or_s2_link_by_id_in_one_request_and_every_trap_stays(cli, api, workdir):
    register(api)
    write(workdir / "list.md", the_list())
    result = cli(
        "build", "list.md", "-o", "out.bib", "--report", "run.json", env={"TRIDENTBIB_VENUES": None}
    )  # the default mode
    assert result.exit_code == 0, result.output
    entries = by_eprint(workdir / "out.bib")
    assert {i for i, f in entries.items() if f["ENTRYTYPE"] != "misc"} == set(PUBLISHED_FAST)
    # one Semantic Scholar batch for the whole list, no dblp at all
    (s2,) = api.requests("s2")
    assert s2.method == "POST" and s2.subpath == "/graph/v1/paper/batch"
    assert set(s2.param("fields").split(",")) >= {
        "externalIds",
        "venue",
        "publicationVenue",
        "year",
        "title",
        "authors",
        "publicationTypes",
    }
    assert s2.json() == {"ids": [f"ARXIV:{i}" for i in ALL]}
    assert api.requests("dblp") == []

    icassp = entries[S2ID]
    assert icassp["ENTRYTYPE"] == "inproceedings"
    assert icassp["booktitle"] == "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)"
    assert (icassp["year"], icassp["pages"], icassp["publisher"]) == ("2023", "1--5", "IEEE")
    assert icassp["doi"] == "10.1109/ICASSP49357.2023.10095001"  # as S2 spells it
    assert icassp["url"] == "https://doi.org/10.1109/ICASSP49357.2023.10095001"
    assert (icassp["eprint"], icassp["archivePrefix"], icassp["eprinttype"], icassp["primaryClass"]) == (
        S2ID,
        "arXiv",
        "arxiv",
        "eess.AS",
    )
    assert "month" not in icassp  # the preprint's month is not the venue's
    assert icassp["KEY"] == "zhang2023streaming"

    interspeech = entries[AXDOI]
    assert (interspeech["ENTRYTYPE"], interspeech["booktitle"], interspeech["year"], interspeech["pages"]) == (
        "inproceedings",
        "Interspeech",
        "2023",
        "2538--2542",
    )
    assert interspeech["doi"] == "10.21437/Interspeech.2023-1234" and interspeech["eprint"] == AXDOI

    # the evidence of each upgrade, and the candidates that were not applied, on stderr
    (s2_line,) = lines_about(result.stderr, f"arXiv {S2ID} ->")
    assert (
        "zhang2023streaming" in s2_line
        and f"Semantic Scholar externalIds.ArXiv={S2ID}" in s2_line
        and "ICASSP 2023" in s2_line
    )
    (doi_line,) = lines_about(result.stderr, f"arXiv {AXDOI} ->")
    assert "arXiv lists doi 10.21437/Interspeech.2023-1234" in doi_line and "Interspeech 2023" in doi_line
    (early,) = lines_about(result.stderr, f"arXiv {S2EARLY} ~")
    assert "candidate, not applied" in early and "2020 is before the preprint's v1 (2023)" in early
    # S2's "arXiv.org" is not a venue: no upgrade, not even a candidate
    assert lines_about(result.stderr, CORR) == []
    # the machine-readable report carries the same evidence
    report = json.loads((workdir / "run.json").read_text())
    assert {u["arxiv_id"]: u["rule"] for u in report["venue_upgrades"]} == {S2ID: "id", AXDOI: "doi"}
    assert f"externalIds.ArXiv={S2ID}" in next(u["evidence"] for u in report["venue_upgrades"] if u["arxiv_id"] == S2ID)
    (candidate,) = report["venue_candidates"]
    assert candidate["arxiv_id"] == S2EARLY and "before the preprint's v1" in candidate["candidate"]
    assert report["requests"]["s2"] == 1


def test_full_also_upgrades_what_only_dblp_knows_and_the_traps_stay_preprints(cli, api, workdir):
    register(api)
    write(workdir / "list.md", the_list())
    result = cli("build", "list.md", "-o", "out.bib", "--venues", "full")
    assert result.exit_code == 0, result.output
    entries = by_eprint(workdir / "out.bib")
    assert {i for i, f in entries.items() if f["ENTRYTYPE"] != "misc"} == set(PUBLISHED_FULL)
    for trap in TRAPS:
        assert entries[trap]["ENTRYTYPE"] == "misc" and entries[trap]["url"] == f"https://arxiv.org/abs/{trap}"
        assert "booktitle" not in entries[trap] and "journal" not in entries[trap]

    # dblp is asked about every paper that no identifier settled (not S2ID, not AXDOI): one batched
    # search, and its own search for "Deep learning" (two words would swell any batch)
    asked = [r.param("q") for r in api.requests("dblp")]
    assert (
        len(asked) == 2 and "deep learning" in asked and all(r.param("format") == "json" for r in api.requests("dblp"))
    )
    assert "|" in asked[0] and api.requests("dblp")[0].param("h") == "1000"
    # one search per paper gives the same file, byte for byte, and the same report
    api.clear_log()
    alone = cli(
        "build",
        "list.md",
        "-o",
        "alone.bib",
        "--cache-dir",
        "c2",
        "--venues",
        "full",
        env={"TRIDENTBIB_DBLP_BATCH": "1"},
    )
    assert alone.exit_code == 0, alone.output
    assert len(api.requests("dblp")) == len(ALL) - 2
    assert (workdir / "alone.bib").read_bytes() == (workdir / "out.bib").read_bytes()
    assert alone.stderr.replace("alone.bib", "out.bib") == result.stderr

    acl = entries[DBLPEE]
    assert acl["ENTRYTYPE"] == "inproceedings"
    assert (
        acl["booktitle"] == "Proceedings of the Annual Meeting of the Association for Computational Linguistics (ACL)"
    )
    assert (acl["year"], acl["pages"], acl["doi"]) == ("2023", "201--215", "10.18653/v1/2023.acl-long.12")
    assert acl["publisher"] == "Association for Computational Linguistics"
    assert (acl["eprint"], acl["archivePrefix"]) == (DBLPEE, "arXiv")
    (line,) = lines_about(result.stderr, f"arXiv {DBLPEE} ->")
    assert f"dblp conf/acl/ChenKT23 ee https://arxiv.org/abs/{DBLPEE}" in line

    by_title = entries[TITLE]
    assert (by_title["ENTRYTYPE"], by_title["booktitle"], by_title["publisher"], by_title["pages"]) == (
        "inproceedings",
        "Interspeech",
        "ISCA",
        "3100--3104",
    )
    (line,) = lines_about(result.stderr, f"arXiv {TITLE} ->")
    assert "same title, 2 of 3 authors in common, same first author" in line

    candidates = {i: lines_about(result.stderr, f"arXiv {i} ~") for i in TRAPS}
    assert (
        "conf/kdd/LeCunBH23" in candidates[SAMETITLE][0]
        and "same title, but 0 of 3 authors in common" in candidates[SAMETITLE][0]
    )
    assert "conf/icassp/BergL24" in candidates[NEARMISS][0] and "the title differs" in candidates[NEARMISS][0]
    assert candidates[CORR] == []  # a CoRR record is no venue
    (early,) = candidates[EARLY]  # one line per record, though both rules see it
    assert (
        "conf/icassp/OseiH21" in early
        and f"linked by dblp conf/icassp/OseiH21 ee https://arxiv.org/abs/{EARLY}" in early
    )
    assert "2021 is before the preprint's v1 (2023)" in early
    assert all("candidate, not applied" in line for lines in candidates.values() for line in lines)

    # cached: the next run, in any mode, keeps every upgrade and asks nothing
    api.clear_log()
    for mode in ("full", "fast", "off"):
        again = cli("build", "list.md", "-o", f"{mode}.bib", "--venues", mode)
        assert again.exit_code == 0, again.output
        assert api.requests() == [], mode
        assert (workdir / f"{mode}.bib").read_text() == (workdir / "out.bib").read_text(), mode
    files = sorted(p.name for p in (workdir / "cache" / "dblp").glob("*.json"))
    assert f"arxiv%3A{DBLPEE}.json" in files and len(files) == len(ALL) - 2
    assert len(list((workdir / "cache" / "s2").glob("*.json"))) == len(ALL)


def test_off_asks_nothing_and_leaves_every_preprint_as_it_is(cli, api, workdir):
    register(api)
    write(workdir / "list.md", the_list())
    result = cli("build", "list.md", "-o", "out.bib", "--venues", "off")
    assert result.exit_code == 0, result.output
    assert api.requests("s2") == [] and api.requests("dblp") == []
    assert {f["ENTRYTYPE"] for f in by_eprint(workdir / "out.bib").values()} == {"misc"}
    assert "venue" not in result.stderr


def test_bad_mode_is_refused(cli, api, workdir):
    write(workdir / "list.md", the_list((S2ID,)))
    result = cli("build", "list.md", "--venues", "sometimes")
    assert result.exit_code == 2
    assert "fast, full or off" in result.stderr


# -- keys -----------------------------------------------------------------------------------


def test_an_upgrade_keeps_the_key_of_the_preprint_and_of_a_maintainers_block(cli, api, workdir):
    api.arxiv.add_paper(
        ArxivPaper(
            "2212.00010",
            title="Scaling Codec Language Models",
            authors=["Wei Huang", "Li Na"],
            published="2022-12-20T10:00:00Z",
        )
    )
    api.arxiv.add_paper(
        ArxivPaper(
            "2212.00011",
            title="Another Preprint from December",
            authors=["Ana Silva"],
            published="2022-12-21T10:00:00Z",
        )
    )
    for ident in ("2212.00010", "2212.00011"):
        api.s2.add(
            S2Paper(
                f"{ident[-2:]}" * 20,
                "x",
                {"ArXiv": ident},
                venue="Interspeech",
                publication_venue=INTERSPEECH_VENUE,
                year=2023,
                authors=["Wei Huang"],
                publication_types=["Conference"],
            )
        )
    block = (
        "```bibtex\n@article{huang2023scaling_vall,\n  title={Scaling Codec Language Models},\n  author={Huang, Wei and Na, Li},\n"
        "  journal={arXiv preprint arXiv:2212.00010},\n  year={2022}\n}\n```\n"
    )
    write(
        workdir / "list.md",
        "- [paper](https://arxiv.org/abs/2212.00010)\n- [paper](https://arxiv.org/abs/2212.00011)\n\n## Citation\n\n"
        + block,
    )
    result = cli("build", "list.md", "-o", "out.bib", "--venues", "fast")
    assert result.exit_code == 0, result.output
    entries = parse_bib(workdir / "out.bib")
    assert set(entries) == {
        "huang2023scaling_vall",
        "silva2022another",
    }  # the preprint's year in the key, not the venue's
    assert entries["silva2022another"]["ENTRYTYPE"] == "inproceedings" and entries["silva2022another"]["year"] == "2023"
    block_entry = entries["huang2023scaling_vall"]
    assert block_entry["ENTRYTYPE"] == "inproceedings" and block_entry["booktitle"] == "Interspeech"
    assert "journal" not in block_entry and block_entry["eprint"] == "2212.00010"


# -- Semantic Scholar: rate limits, key, batches ------------------------------------------------


def test_s2_429_without_retry_after_is_retried_with_backoff(cli, api, workdir):
    register(api, (S2ID,))
    api.inject("s2", s2_rate_limit_fault(), s2_rate_limit_fault())
    write(workdir / "list.md", the_list((S2ID,)))
    result = cli("build", "list.md", "-o", "out.bib", "--venues", "fast")
    assert result.exit_code == 0, result.output
    statuses = [r.status for r in api.requests("s2")]
    assert statuses == [429, 429, 200]
    starts = [r.started for r in api.requests("s2")]
    assert all(
        b - a >= 0.1 for a, b in zip(starts, starts[1:], strict=False)
    )  # backed off although no Retry-After came
    assert by_eprint(workdir / "out.bib")[S2ID]["ENTRYTYPE"] == "inproceedings"


def test_s2_that_keeps_refusing_is_given_up_and_the_run_carries_on(api, workdir):
    register(api, (S2ID, AXDOI))
    api.fail_always("s2", s2_rate_limit_fault())
    write(workdir / "list.md", the_list((S2ID, AXDOI)))
    settings = Settings.from_env({**api.env(), **FAST}, cache_dir=workdir / "cache", venues="fast", max_retries=1)
    result = build([read_input(workdir / "list.md")], settings)
    assert len(api.requests("s2")) == 2  # bounded: one try and one retry
    assert result.failed == [] and not result.outage
    kinds = {e.fields["eprint"]: e.entry_type for e in result.entries}
    assert kinds == {S2ID: "misc", AXDOI: "inproceedings"}  # arXiv's own evidence still applies
    (note,) = result.venue_notes
    assert (
        "Semantic Scholar unavailable" in note and "429" in note and "1 paper(s)" not in note and "2 paper(s)" in note
    )
    assert (
        not (workdir / "cache" / "s2").exists() or list((workdir / "cache" / "s2").glob("*.json")) == []
    )  # nothing cached: the next run asks again
    api.clear_faults("s2")
    again = build([read_input(workdir / "list.md")], settings)
    assert {e.fields["eprint"]: e.entry_type for e in again.entries} == {S2ID: "inproceedings", AXDOI: "inproceedings"}


def test_s2_api_key_is_sent_and_unknown_ids_are_cached_as_not_found(cli, api, workdir):
    register(api, (TITLE,))
    write(workdir / "list.md", the_list((TITLE,)))
    result = cli(
        "build", "list.md", "-o", "out.bib", env={"TRIDENTBIB_VENUES": "fast", "TRIDENTBIB_S2_API_KEY": "s3cret"}
    )
    assert result.exit_code == 0, result.output
    (request,) = api.requests("s2")
    assert request.headers.get("x-api-key") == "s3cret"
    cached = json.loads((workdir / "cache" / "s2" / f"{TITLE}.json").read_text())
    assert cached["status"] == "not_found"
    api.clear_log()
    assert cli("build", "list.md", "-o", "out.bib", "--venues", "fast").exit_code == 0
    assert api.requests() == []


def test_s2_batches_hold_at_most_500_ids(api):
    ids = [f"2401.{n:05d}" for n in range(1, 502)]
    api.s2.add(S2Paper("f0" * 20, "Known", {"ArXiv": ids[-1]}, venue="Interspeech", year=2024))
    settings = Settings(s2_delay=0)
    client = ServiceClient("s2", api.env()["TRIDENTBIB_S2_API_URL"], settings, 0)
    answers = dict(S2Resolver(client).fetch(ids))
    client.close()
    assert [len(r.json()["ids"]) for r in api.requests("s2")] == [500, 1]
    assert isinstance(answers[ids[-1]], Found) and answers[ids[-1]].data["venue"] == "Interspeech"
    assert isinstance(answers[ids[0]], Missing) and answers[ids[0]].permanent


# -- dblp: pacing, progress, resuming ----------------------------------------------------------


def test_dblp_requests_are_paced_and_progress_is_reported(api, workdir):
    ids = (DBLPEE, TITLE, SAMETITLE)
    register(api, ids)
    write(workdir / "list.md", the_list(ids))
    settings = Settings.from_env(
        {**api.env(), **FAST, "TRIDENTBIB_DBLP_DELAY": "0.3", "TRIDENTBIB_DBLP_BATCH": "1"},
        cache_dir=workdir / "cache",
        venues="full",
    )
    progress: list[tuple[str, int, int]] = []
    result = build(
        [read_input(workdir / "list.md")],
        settings,
        on_progress=lambda service, done, total: progress.append((service, done, total)),
    )
    starts = [r.started for r in api.requests("dblp")]
    assert len(starts) == 3
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.29, gaps
    assert [p for p in progress if p[0] == "dblp"] == [("dblp", 0, 3), ("dblp", 1, 3), ("dblp", 2, 3), ("dblp", 3, 3)]
    assert result.requests["dblp"] == 3 and result.requests["s2"] == 1
    assert {u.arxiv_id for u in result.upgrades} == {DBLPEE, TITLE}
    assert [c.arxiv_id for c in result.candidates] == [SAMETITLE]


def test_full_resumes_from_the_cache_and_stops_politely_when_dblp_throttles(cli, api, workdir):
    register(api)
    write(workdir / "one.md", the_list((DBLPEE,)))
    assert cli("build", "one.md", "-o", "one.bib", "--venues", "full").exit_code == 0
    assert len(api.requests("dblp")) == 1
    api.clear_log()
    api.dblp.throttle, api.dblp.retry_after = True, 0  # 429 + HTML page, as dblp answers clients that ask too often
    write(workdir / "two.md", the_list((DBLPEE, TITLE)))
    result = cli("build", "two.md", "-o", "two.bib", "--venues", "full")
    assert result.exit_code == 0, result.output  # a venue lookup never fails the run
    assert {r.param("q") for r in api.requests("dblp")} == {
        "self supervised speaker diarization at scale"
    }  # only the paper not yet asked
    (note,) = lines_about(result.stderr, "venues: dblp")
    assert "429" in note and "1 of 1 paper(s) not searched" in note and "--venues full" in note
    entries = by_eprint(workdir / "two.bib")
    assert entries[DBLPEE]["ENTRYTYPE"] == "inproceedings" and entries[TITLE]["ENTRYTYPE"] == "misc"
    api.dblp.throttle = False
    api.clear_log()
    result = cli("build", "two.md", "-o", "two.bib", "--venues", "full")
    assert len(api.requests("dblp")) == 1
    assert by_eprint(workdir / "two.bib")[TITLE]["ENTRYTYPE"] == "inproceedings"


def test_offline_uses_only_what_is_cached(cli, api, workdir):
    register(api, (S2ID, AXDOI))
    write(workdir / "list.md", the_list((S2ID, AXDOI)))
    assert cli("build", "list.md", "-o", "off.bib", "--venues", "off").exit_code == 0
    api.clear_log()
    result = cli("build", "list.md", "-o", "out.bib", "--offline", "--venues", "fast")
    assert result.exit_code == 0, result.output
    assert api.requests() == []
    kinds = {i: f["ENTRYTYPE"] for i, f in by_eprint(workdir / "out.bib").items()}
    assert kinds == {S2ID: "misc", AXDOI: "inproceedings"}
    assert lines_about(result.stderr, "Semantic Scholar: offline; 2 paper(s) not checked")


# -- the rules, as pure functions ---------------------------------------------------------------


def preprint(**changes: object) -> dict:
    record = {
        "id": "2301.02111",
        "title": "Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers",
        "published": "2023-01-05T18:59:05Z",
        "authors": [{"name": n} for n in ("Chengyi Wang", "Sanyuan Chen", "Yu Wu", "Ziqiang Zhang")],
        "doi": None,
        "journal_ref": None,
        "primary_category": "cs.CL",
    }
    return record | changes


def test_journal_refs_as_arxiv_lists_them():
    def venue(ref: str) -> Venue:
        found = venue_from_arxiv({"doi": "10.1/x", "journal_ref": ref})
        assert found is not None
        return found

    # real journal_refs in the shapes arXiv lists them (tests/fixtures/arxiv/ uses the same shapes)
    icstw = venue(
        "Proc. 2023 IEEE International Conference on Software Testing, Verification and Validation Workshops (ICSTW), pp. 66-69"
    )
    assert (icstw.entry_type, icstw.year, icstw.pages) == ("inproceedings", "2023", "66--69")
    assert (
        icstw.name
        == "Proceedings of the 2023 IEEE International Conference on Software Testing, Verification and Validation Workshops (ICSTW)"
    )
    issta = venue(
        "In Proc. ACM SIGSOFT International Symposium on Software Testing and Analysis (ISSTA 2020), pages 14-26. ACM, 2020"
    )
    assert (issta.name, issta.year, issta.pages, issta.publisher) == (
        "Proceedings of the ACM SIGSOFT International Symposium on Software Testing and Analysis (ISSTA 2020)",
        "2020",
        "14--26",
        "ACM",
    )
    issta22 = venue(
        "InProceedings of the 31st ACM SIGSOFT International Symposium on Software Testing and Analysis 2022 Jul 18 (pp. 289-301)"
    )
    assert (issta22.name, issta22.year, issta22.pages) == (
        "Proceedings of the 31st ACM SIGSOFT International Symposium on Software Testing and Analysis",
        "2022",
        "289--301",
    )
    ijsea = venue("International Journal of Software Engineering & Applications (IJSEA), Vol.3, No.1, January 2012")
    assert (ijsea.entry_type, ijsea.name, ijsea.volume, ijsea.number, ijsea.year) == (
        "article",
        "International Journal of Software Engineering & Applications (IJSEA)",
        "3",
        "1",
        "2012",
    )
    acta = venue("ActaAstron.56:1-50,2006")
    assert (acta.entry_type, acta.name, acta.volume, acta.pages, acta.year) == (
        "article",
        "ActaAstron.",
        "56",
        "1--50",
        "2006",
    )
    # the shapes speech papers use
    assert venue("Accepted at ICASSP 2024").label == "ICASSP 2024"
    assert (
        venue("Accepted at ICASSP 2024").name
        == "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)"
    )
    assert (
        venue(
            "IEEE/ACM Transactions on Audio, Speech, and Language Processing, vol. 31, pp. 2523-2533, 2023"
        ).entry_type
        == "article"
    )
    assert venue("IEEE TASLP 30 (2022)").name == "IEEE/ACM Transactions on Audio, Speech, and Language Processing"
    xplore = venue(
        "ICASSP 2023 - 2023 IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP), Rhodes Island, Greece, 2023, pp. 1-5"
    )
    assert (xplore.name, xplore.pages, xplore.publisher, xplore.label) == (
        "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)",
        "1--5",
        "IEEE",
        "ICASSP 2023",
    )
    # the references that used to land whole in `journal` (issue 14)
    prb = venue("Phys. Rev. B 89, 224502 (2014)")
    assert (prb.entry_type, prb.name, prb.volume, prb.pages, prb.year) == (
        "article",
        "Phys. Rev. B",
        "89",
        "224502",
        "2014",
    )
    sciadv = venue("Science Advances 1, e1400222 (2015)")
    assert (sciadv.name, sciadv.volume, sciadv.pages) == ("Science Advances", "1", "e1400222")
    theory = venue("IEEE Transactions on Information Theory ( Volume: 65 , Issue: 4 , April 2019 )")
    assert (theory.name, theory.volume, theory.number, theory.year) == (
        "IEEE Transactions on Information Theory",
        "65",
        "4",
        "2019",
    )
    # a reference that does not read with confidence names no venue, DOI or not
    assert (
        venue_from_arxiv(
            {"doi": "10.1/x", "journal_ref": "Formal Methods and Pretending, Springer-Verlag (Ed.) (2008) 209-239"}
        )
        is None
    )
    # without the DOI arXiv lists, only a complete reference is evidence; arXiv's own DOI is no venue DOI
    assert venue_from_arxiv({"doi": None, "journal_ref": "ICASSP 2023"}) is None
    assert venue_from_arxiv({"doi": None, "journal_ref": "Accepted at Fict. Rev. B 89, 224502 (2014)"}) is None
    assert venue_from_arxiv({"doi": "10.48550/arXiv.2301.02111", "journal_ref": "ICASSP 2023"}) is None
    complete = venue_from_arxiv({"doi": None, "journal_ref": "J. Imaginary Combin. 6 (1997), no. 3, 253--257"})
    assert complete is not None and (
        complete.name,
        complete.volume,
        complete.number,
        complete.pages,
        complete.doi,
        complete.url,
    ) == ("J. Imaginary Combin.", "6", "3", "253--257", "", "")


def test_author_overlap_needs_half_and_the_same_first_author():
    assert author_overlap(["Chengyi Wang", "Sanyuan Chen"], ["C. Wang", "Sanyuan Chen", "Yu Wu"])[0]
    assert not author_overlap(["Chengyi Wang", "Sanyuan Chen"], ["Sanyuan Chen", "Chengyi Wang"])[
        0
    ]  # other first author
    assert not author_overlap(["A Bc", "D Ef", "G Hi", "J Kl"], ["A Bc", "X Yz", "Q Rs", "T Uv"])[0]  # 1 of 4
    assert author_overlap(["José Álvarez", "Li Na"], ["Jose Alvarez", "Li Na"])[0]  # accents


def test_decide_trusts_the_doi_arxiv_lists_over_s2():
    s2 = {
        "paperId": "x" * 40,
        "externalIds": {"ArXiv": "2301.02111", "DOI": "10.1109/other.2023.1"},
        "venue": "Interspeech",
        "year": 2023,
        "title": "t",
        "authors": [],
    }
    verdict = decide(preprint(doi="10.21437/Interspeech.2023-1", journal_ref="Proc. Interspeech 2023, 1-5"), s2)
    assert verdict.evidence is not None and verdict.evidence.venue.source == "arXiv"
    (other,) = verdict.candidates
    assert (
        other.why
        == "linked by Semantic Scholar externalIds.ArXiv=2301.02111, but arXiv lists doi 10.21437/Interspeech.2023-1 and this record has doi 10.1109/other.2023.1"
    )
    # arXiv lists a DOI but no journal_ref: a record linked by id that lacks that DOI may be another version (conference vs journal)
    no_doi = s2 | {"externalIds": {"ArXiv": "2301.02111"}}
    verdict = decide(preprint(doi="10.1109/TASLP.2024.1"), no_doi)
    assert verdict.evidence is None and "this record has no DOI" in verdict.candidates[0].why
    s2_same = s2 | {"externalIds": {"DOI": "10.21437/interspeech.2023-1"}}  # no ArXiv id, but arXiv's DOI
    verdict = decide(preprint(doi="10.21437/Interspeech.2023-1"), s2_same)
    assert (
        verdict.evidence is not None
        and verdict.evidence.rule == "doi"
        and verdict.evidence.venue.source == "Semantic Scholar"
    )
    assert decide(preprint(), s2 | {"venue": "arXiv.org"}).evidence is None
    assert decide(preprint(), s2 | {"venue": "", "publicationVenue": None}).evidence is None


def test_dblp_corr_and_informal_records_are_no_venues():
    corr = {
        "key": "journals/corr/abs-2301-02111",
        "venue": ["CoRR"],
        "type": "Journal Articles",
        "year": "2023",
        "ee": ["https://arxiv.org/abs/2301.02111"],
    }
    assert venue_from_dblp(corr) is None
    assert decide(preprint(), None, [corr]) == decide(preprint(), None, [])
    informal = corr | {"key": "conf/x/Y23", "venue": ["X"], "type": "Informal and Other Publications"}
    assert venue_from_dblp(informal) is None
    findings = venue_from_dblp(
        {"key": "conf/acl/W23", "venue": ["ACL (Findings)"], "type": "Conference and Workshop Papers", "year": "2023"}
    )
    assert (
        findings is not None and findings.name == "Findings of the Association for Computational Linguistics: ACL 2023"
    )
    iclr = venue_from_s2(
        {
            "paperId": "p",
            "venue": "International Conference on Learning Representations",
            "year": 2024,
            "publicationTypes": ["Conference"],
        }
    )
    assert iclr is not None and iclr.name == "The Twelfth International Conference on Learning Representations"


def test_an_arxiv_id_prefix_is_no_link():
    hit = {
        "key": "conf/icassp/W23",
        "venue": ["ICASSP"],
        "type": "Conference and Workshop Papers",
        "year": "2023",
        "title": "Other",
        "authors": ["X Y"],
        "ee": ["https://arxiv.org/abs/2301.021110"],
    }
    assert decide(preprint(), None, [hit]).evidence is None
    assert decide(preprint(), None, [hit | {"ee": ["https://arxiv.org/abs/2301.02111v3"]}]).evidence is not None


def test_upgrade_is_pure_and_keeps_the_key_and_the_eprint():
    entry = Entry(
        "wang2023neural",
        "misc",
        {
            "title": "Neural Codec",
            "author": "Wang, Chengyi",
            "year": "2023",
            "month": "jan",
            "eprint": "2301.02111",
            "archivePrefix": "arXiv",
            "eprinttype": "arxiv",
            "primaryClass": "cs.CL",
            "doi": "10.48550/arXiv.2301.02111",
            "url": "https://arxiv.org/abs/2301.02111",
            "abstract": "A & B",
        },
        identity=frozenset({"arxiv:2301.02111"}),
        origin="arxiv",
    )
    before = dict(entry.fields)
    venue = Venue(
        "inproceedings", "Interspeech", "2023", "dblp", "conf/interspeech/W23", pages="1--5", publisher="ISCA"
    )
    published = upgrade(entry, Evidence(venue, "dblp conf/interspeech/W23 ee https://arxiv.org/abs/2301.02111", "id"))
    assert entry.fields == before and entry.entry_type == "misc"  # pure
    assert published.key == "wang2023neural" and published.entry_type == "inproceedings"
    assert list(published.fields)[:6] == ["title", "author", "booktitle", "year", "pages", "publisher"]
    assert published.fields["eprint"] == "2301.02111" and published.fields["primaryClass"] == "cs.CL"
    assert "month" not in published.fields and "doi" not in published.fields  # arXiv's DataCite DOI names the preprint
    assert published.fields["url"] == "https://arxiv.org/abs/2301.02111"  # no venue URL known: the arXiv page stays
    assert published.fields["abstract"] == "A & B"
    assert "evidence: dblp conf/interspeech/W23 ee" in published.notes[-1]


def test_s2_names_known_venues_like_dblp_does():
    venue = venue_from_s2(
        {
            "paperId": "p",
            "venue": "Neural Information Processing Systems",
            "year": 2017,
            "publicationTypes": ["JournalArticle", "Conference"],
            "journal": {"pages": "5998-6008"},
            "externalIds": {"ArXiv": "1706.03762"},
        }
    )
    assert venue is not None
    assert (venue.entry_type, venue.name, venue.pages, venue.label) == (
        "inproceedings",
        "Advances in Neural Information Processing Systems",
        "5998--6008",
        "NeurIPS 2017",
    )
    assert from_latex(venue.name) == venue.name


def test_a_long_list_of_upgrades_shows_twenty_lines_and_the_report_has_them_all(cli, api, workdir):
    ids = [f"2310.{n:05d}" for n in range(1, 26)]
    for n, ident in enumerate(ids):
        title = f"Streaming Speech Codecs, Part {n}"
        api.arxiv.add_paper(ArxivPaper(ident, title=title, authors=["Alice Zhang"], published="2023-01-05T18:00:00Z"))
        api.s2.add(
            S2Paper(
                f"{n:040d}",
                title,
                {"ArXiv": ident},
                venue=ICASSP_VENUE["name"],
                publication_venue=ICASSP_VENUE,
                year=2023,
                authors=["Alice Zhang"],
                publication_types=["Conference"],
            )
        )
    write(workdir / "list.md", "".join(f"- [paper](https://arxiv.org/abs/{ident})\n" for ident in ids))

    result = cli("build", "list.md", "-o", "out.bib", "--venues", "fast", "--report", "run.json")

    assert result.exit_code == 0, result.output
    assert len(lines_about(result.stderr, "  venue: ")) == 21
    assert "  venue: ... and 5 more upgrades; see --report" in result.stderr
    report = json.loads((workdir / "run.json").read_text())
    assert sorted(u["arxiv_id"] for u in report["venue_upgrades"]) == ids
    assert all(fields["ENTRYTYPE"] == "inproceedings" for fields in parse_bib(workdir / "out.bib").values())


# -- arXiv's journal_ref (issue 14) -------------------------------------------------------------

JRDOI, JRAMP, JRBOOK, JRONLY, JRSOON, JRS2 = (
    "2311.00001",
    "2311.00002",
    "2311.00003",
    "2311.00004",
    "2311.00005",
    "2311.00006",
)
JOURNAL_REFS = {
    JRDOI: ("Fict. Rev. B 89, 224502 (2014)", "10.1103/FictRevB.89.224502"),
    JRAMP: ("Fiction & Education, September 2014, 23(9): 1853-1873", "10.1007/s99999-014-9716-8"),
    JRBOOK: ("Formal Methods and Pretending, Springer-Verlag (Ed.) (2008) 209-239", "10.1007/978-3-540-99999-9_9"),
    JRONLY: ("J. Imaginary Combin. 6 (1997), no. 3, 253--257", None),
    JRSOON: ("Accepted at ICASSP 2024", None),
    JRS2: ("Accepted at ICASSP 2024", None),
}
JR_ALL = tuple(JOURNAL_REFS)


def register_journal_refs(api: FakeAPI) -> None:
    for n, (ident, (journal_ref, doi)) in enumerate(JOURNAL_REFS.items()):
        published = (
            "1995-01-10T10:00:00Z" if ident == JRONLY else "2023-11-01T10:00:00Z"
        )  # JRONLY: a preprint posted before its journal issue
        api.arxiv.add_paper(
            ArxivPaper(
                ident,
                title=f"A Paper With a Journal Reference, Part {n}",
                authors=["Rosa Quill", "Tomas Vey"],
                published=published,
                primary_category="cs.SD",
                journal_ref=journal_ref,
                doi=doi,
            )
        )
    api.s2.add(
        S2Paper(
            "b7" * 20,
            "A Paper With a Journal Reference, Part 5",
            {"ArXiv": JRS2, "DOI": "10.1109/ICASSP48485.2024.10440099"},
            venue=ICASSP_VENUE["name"],
            publication_venue=ICASSP_VENUE,
            year=2024,
            authors=["Rosa Quill", "Tomas Vey"],
            publication_types=["Conference"],
            journal={"pages": "101-105"},
        )
    )


def jr_list() -> str:
    return "".join(f"- [paper](https://arxiv.org/abs/{ident})\n" for ident in JR_ALL)


def test_journal_refs_become_venue_fields_or_stay_as_written_in_howpublished(cli, api, workdir):
    register_journal_refs(api)
    write(workdir / "list.md", jr_list())
    result = cli("build", "list.md", "-o", "out.bib", "--venues", "fast", "--report", "run.json")
    assert result.exit_code == 0, result.output
    entries = by_eprint(workdir / "out.bib")
    assert {i: f["ENTRYTYPE"] for i, f in entries.items()} == {
        JRDOI: "article",
        JRAMP: "article",
        JRBOOK: "misc",
        JRONLY: "article",
        JRSOON: "misc",
        JRS2: "inproceedings",
    }

    # DOI + a reference that reads with confidence: the venue, every part in its field
    prb = entries[JRDOI]
    assert (prb["journal"], prb["volume"], prb["pages"], prb["year"]) == ("Fict. Rev. B", "89", "224502", "2014")
    assert (prb["doi"], prb["url"]) == ("10.1103/FictRevB.89.224502", "https://doi.org/10.1103/FictRevB.89.224502")
    assert "howpublished" not in prb and "month" not in prb and prb["eprint"] == JRDOI
    amp = entries[JRAMP]
    assert (amp["journal"], amp["volume"], amp["number"], amp["pages"], amp["year"]) == (
        r"Fiction \& Education",
        "23",
        "9",
        "1853--1873",
        "2014",
    )

    # DOI, but a chapter of an edited book: no venue is invented; the preprint keeps the DOI and the reference as written
    book = entries[JRBOOK]
    assert book["doi"] == "10.1007/978-3-540-99999-9_9" and book["url"] == f"https://arxiv.org/abs/{JRBOOK}"
    assert book["howpublished"] == JOURNAL_REFS[JRBOOK][0]
    assert "journal" not in book and "booktitle" not in book and "volume" not in book
    (line,) = lines_about(result.stderr, f"arXiv {JRBOOK} ~")
    assert "does not read with confidence (names a book" in line and "howpublished" in line

    # no DOI, a complete reference: the authors' own statement is evidence; no year rule (posted before the issue appeared)
    combin = entries[JRONLY]
    assert (combin["journal"], combin["volume"], combin["number"], combin["pages"], combin["year"]) == (
        "J. Imaginary Combin.",
        "6",
        "3",
        "253--257",
        "1997",
    )
    assert (
        "doi" not in combin and combin["url"] == f"https://arxiv.org/abs/{JRONLY}"
    )  # arXiv's DataCite DOI names the preprint, not the article
    (line,) = lines_about(result.stderr, f"arXiv {JRONLY} ->")
    assert f'arXiv lists journal_ref "{JOURNAL_REFS[JRONLY][0]}" (a complete reference, no DOI)' in line

    # no DOI, "Accepted at": not published yet, as far as arXiv says: a preprint that says so
    soon = entries[JRSOON]
    assert soon["howpublished"] == "Accepted at ICASSP 2024" and "booktitle" not in soon
    (line,) = lines_about(result.stderr, f"arXiv {JRSOON} ~")
    assert "arXiv lists no DOI, and the journal_ref is no complete reference (says accepted, not published)" in line

    # the same, but Semantic Scholar links the arXiv id to the published paper: that evidence wins, the reference goes
    s2 = entries[JRS2]
    assert (s2["booktitle"], s2["year"], s2["pages"], s2["doi"]) == (
        "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)",
        "2024",
        "101--105",
        "10.1109/ICASSP48485.2024.10440099",
    )
    assert "howpublished" not in s2 and lines_about(result.stderr, f"arXiv {JRS2} ~") == []

    # every upgraded entry names a venue, its numbers in their own fields; machine-made entries carry no note
    for fields in entries.values():
        container = fields.get("journal") or fields.get("booktitle") or ""
        assert not re.search(
            r"(?<![\w.])\d+(?![\w])|[:,]\s*$", re.sub(r"\([A-Z]+\)$|^(?:19|20)\d\d ", "", container)
        ), container
        assert "note" not in fields
    report = json.loads((workdir / "run.json").read_text())
    assert {u["arxiv_id"]: u["rule"] for u in report["venue_upgrades"]} == {
        JRDOI: "doi",
        JRAMP: "doi",
        JRONLY: "journal_ref",
        JRS2: "id",
    }
    assert sorted(c["arxiv_id"] for c in report["venue_candidates"]) == [JRBOOK, JRSOON]


def test_without_venue_lookups_every_journal_ref_stays_on_the_preprint_as_written(cli, api, workdir):
    register_journal_refs(api)
    write(workdir / "list.md", jr_list())
    result = cli("build", "list.md", "-o", "out.bib", "--venues", "off")
    assert result.exit_code == 0, result.output
    entries = by_eprint(workdir / "out.bib")
    assert {f["ENTRYTYPE"] for f in entries.values()} == {"misc"}
    for ident, (journal_ref, doi) in JOURNAL_REFS.items():
        assert entries[ident]["howpublished"] == journal_ref.replace("&", r"\&")  # as written, escaped for BibTeX
        assert entries[ident]["doi"] == (doi or f"10.48550/arXiv.{ident}")
    assert (
        "howpublished = {Fiction \\& Education, September 2014, 23(9): 1853-1873}," in (workdir / "out.bib").read_text()
    )
    # the next run that looks venues up turns them into venue fields, and says what changed
    result = cli("build", "list.md", "-o", "out.bib", "--venues", "fast")
    assert result.exit_code == 0, result.output
    assert by_eprint(workdir / "out.bib")[JRDOI]["journal"] == "Fict. Rev. B"
    assert "howpublished" not in by_eprint(workdir / "out.bib")[JRDOI]


def test_decide_journal_ref_without_a_doi():
    complete = preprint(journal_ref="J. Imaginary Combin. 6 (1997), no. 3, 253--257")
    verdict = decide(complete)
    assert verdict.evidence is not None and verdict.evidence.rule == "journal_ref" and verdict.candidates == ()
    assert verdict.evidence.venue.doi == "" and verdict.evidence.venue.record == "journal_ref"
    # an identifier link from Semantic Scholar comes first (it carries the venue's DOI)...
    s2 = {
        "paperId": "x" * 40,
        "externalIds": {"ArXiv": "2301.02111", "DOI": "10.1000/jic.6.3"},
        "venue": "Journal of Imaginary Combinatorics",
        "year": 1997,
        "title": "t",
        "authors": [],
        "publicationTypes": ["JournalArticle"],
    }
    by_id = decide(complete, s2 | {"year": 2023})
    assert by_id.evidence is not None and by_id.evidence.rule == "id" and by_id.evidence.venue.doi == "10.1000/jic.6.3"
    # ...but not when its venue is dated before the preprint (the id rule's year check): then the journal_ref stands
    early = decide(complete, s2)
    assert early.evidence is not None and early.evidence.rule == "journal_ref"
    assert [c.venue.source for c in early.candidates] == ["Semantic Scholar"]
    # ...and the journal_ref comes before a title+authors match
    hit = {
        "key": "journals/jic/WangC97",
        "venue": ["J. Imag. Comb."],
        "type": "Journal Articles",
        "year": "2023",
        "ee": [],
        "title": complete["title"],
        "authors": ["Chengyi Wang", "Sanyuan Chen", "Yu Wu"],
    }
    assert decide(complete, None, [hit]).evidence.rule == "journal_ref"  # type: ignore[union-attr]
    # an incomplete or pending reference is a candidate, dropped when other evidence settles the venue
    pending = decide(preprint(journal_ref="Accepted at Interspeech 2023"))
    assert pending.evidence is None
    (candidate,) = pending.candidates
    assert candidate.venue.label == "Interspeech 2023" and "says accepted, not published" in candidate.why
    assert decide(preprint(journal_ref="Accepted at Interspeech 2023"), None, [hit]).candidates == ()


def test_upgrade_drops_the_howpublished_that_carried_the_journal_ref_and_keeps_a_hand_written_one():
    entry = Entry(
        "wang2023neural",
        "misc",
        {
            "title": "Neural Codec",
            "year": "2023",
            "howpublished": r"Fiction \& Education 23(9): 1853-1873 (2014)",
            "eprint": "2301.02111",
        },
        identity=frozenset({"arxiv:2301.02111"}),
        origin="arxiv",
    )
    venue = Venue(
        "article",
        "Fiction & Education",
        "2014",
        "arXiv",
        "10.1/x",
        volume="23",
        number="9",
        pages="1853--1873",
        doi="10.1/x",
    )
    published = upgrade(
        entry,
        Evidence(venue, "arXiv lists doi 10.1/x", "doi"),
        "2301.02111",
        journal_ref="Fiction & Education 23(9): 1853-1873 (2014)",
    )
    assert "howpublished" not in published.fields and published.fields["journal"] == r"Fiction \& Education"
    kept = upgrade(
        entry,
        Evidence(venue, "arXiv lists doi 10.1/x", "doi"),
        "2301.02111",
        journal_ref="Another Reference 1, 2 (2000)",
    )
    assert kept.fields["howpublished"] == entry.fields["howpublished"]  # not arXiv's: somebody wrote it


def test_the_fallback_and_the_venue_upgrade_name_a_dblp_venue_alike():
    """One venue table (venue_names.py): a dblp hit for "ACL (1)" is the ACL proceedings on both paths."""
    from tridentbib.resolvers.dblp import from_dblp

    hit = {
        "title": "A Paper",
        "authors": ["Ann Smith"],
        "venue": ["ACL (1)"],
        "year": "2023",
        "type": "Conference and Workshop Papers",
        "key": "conf/acl/Smith23",
    }
    fallback = from_dblp(hit, frozenset({"acl:2023.acl-long.1"}))
    upgrade = venue_from_dblp(hit)
    assert upgrade is not None
    assert (
        fallback.fields["booktitle"]
        == upgrade.name
        == "Proceedings of the Annual Meeting of the Association for Computational Linguistics (ACL)"
    )
    assert fallback.entry_type == upgrade.entry_type == "inproceedings"
