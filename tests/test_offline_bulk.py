"""Cache gaps (#16 item 9, #17 item 4): what ``--offline``, ``check`` and ``cache prune`` make of the files kept whole.

Through the real CLI against the fakes: a title-route item keeps, through ``cache
prune LIST``, the record it was written from; ``--offline`` answers ids that have no
record of their own from a stored ACL export, PMLR volume bibliography or NeurIPS year
index, and writes nothing; ``cache stats`` and ``cache prune`` treat every folder of
kept files alike (rows, lists, ``--older-than``, leftovers of killed runs). Titles,
names and ids are invented.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import bibtexparser
import pytest

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.crossref import make_work
from fakeapi.neurips import NeuripsPaper
from fakeapi.pmlr import PmlrPaper, PmlrVolume
from fakeapi.s2 import S2Paper

LAB = "https://lab.example.edu/~ann/papers"
BULK = "/anthology+abstracts.bib.gz"
ACL_HEADER = Path("cache") / "acl-bulk" / "anthology+abstracts.bib.gz.json"


def keys_of(path: Path) -> list[str]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return [entry.key for entry in library.entries]


def fields_of(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def outcomes(workdir: Path, report: str = "r.json") -> list[str]:
    return [link["outcome"] for link in json.loads((workdir / report).read_text())["links"]]


def make_old(path: Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def age_header(header: Path, days: float) -> None:
    data = json.loads(header.read_text())
    data["fetched_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - days * 86400))
    header.write_text(json.dumps(data, indent=2))


# -- 1. cache prune LIST keeps the record the title route applied ---------------------

TITLE = "An Invented Study of Portable Features in Deep Networks"


def _found_through_arxiv(api) -> str:
    api.s2.add(S2Paper("a" * 40, TITLE, {"ArXiv": "1411.1792"}, venue="NeurIPS", year=2014, authors=["Ann Inventor"]))
    api.arxiv.add_paper(
        ArxivPaper("1411.1792", title=TITLE, authors=[("Ann Inventor", [])], published="2014-11-06T00:00:00Z")
    )
    return "arxiv/1411.1792.json"


def _found_through_a_doi(api) -> str:
    doi = "10.1109/invented.2016.90"
    api.s2.add(S2Paper("b" * 40, TITLE, {"DOI": doi}, venue="CVPR", year=2014, authors=["Ann Inventor"]))
    api.crossref.add(make_work(doi, "proceedings-article", TITLE, [("Ann", "Inventor")], date=[2014]))
    return "crossref/10.1109%2Finvented.2016.90.json"


@pytest.mark.parametrize("register", [_found_through_arxiv, _found_through_a_doi])
def test_prune_with_the_list_keeps_the_record_a_title_match_applied(cli, api, workdir, register):
    record = workdir / "cache" / register(api)
    write(workdir / "l.md", f"# Papers\n\n- {TITLE} (2014), A. Inventor et al. [[pdf]]({LAB}/portable.pdf)\n")
    result = cli("build", "l.md", "-o", "l.bib", "--report", "r.json")
    assert result.exit_code == 0, result.output
    assert json.loads((workdir / "r.json").read_text())["title_matches"][0]["applied"]
    assert record.is_file()  # the record is named by no link of the list: only the decision names it

    pruned = cli("cache", "prune", "l.md")
    assert pruned.exit_code == 0, pruned.output
    assert "dropped 0 records" in pruned.stdout and record.is_file()

    api.clear_log()
    offline = cli("build", "l.md", "-o", "offline.bib", "--offline")
    assert offline.exit_code == 0, offline.output
    assert api.requests() == []
    assert (workdir / "offline.bib").read_text() == (workdir / "l.bib").read_text()
    check = cli("check", "l.md", "l.bib", "--offline")
    assert check.exit_code == 0, check.output


def test_prune_with_another_list_drops_the_applied_record(cli, api, workdir):
    record = workdir / "cache" / _found_through_arxiv(api)
    write(workdir / "l.md", f"# Papers\n\n- {TITLE} (2014), A. Inventor et al. [[pdf]]({LAB}/portable.pdf)\n")
    write(workdir / "other.md", "# Nothing here yet\n")
    assert cli("build", "l.md", "-o", "l.bib").exit_code == 0
    assert cli("cache", "prune", "other.md").exit_code == 0
    assert not record.exists() and files(workdir / "cache" / "title-match") == []


# -- 2. --offline reads the stored bulk files ----------------------------------------


def anthology_bib(ident: str, n: int) -> str:
    """One paper's ``.bib`` in the Anthology's shape (as tests/test_acl_bulk.py makes them)."""
    return (
        f"@inproceedings{{author{n}-etal-2031-paper,\n"
        f'    title = "Invented Paper {n} on {{T}}agalog",\n'
        f'    author = "Surname{n}, Given  and\n      Other, Person",\n'
        '    booktitle = "Proceedings of an Invented Volume",\n'
        "    month = jul,\n"
        '    year = "2031",\n'
        '    publisher = "Association for Computational Linguistics",\n'
        f'    url = "https://aclanthology.org/{ident}/",\n'
        f'    doi = "10.18653/v1/{ident}",\n'
        f'    pages = "{n}--{n + 9}",\n'
        f'    abstract = "We study invented thing {n}."\n'
        "}\n"
    )


def register_acl(api, start: int, count: int) -> list[str]:
    ids = []
    for n in range(start, start + count):
        ident = f"2031.acl-long.{n + 1}" if n % 2 else f"W31-{1001 + n:04d}"
        api.acl.add(ident, anthology_bib(ident, n))
        ids.append(ident)
    return ids


def acl_list(path: Path, ids: list[str]) -> Path:
    return write(path, "# ACL\n\n" + "".join(f"- https://aclanthology.org/{i}/\n" for i in ids))


def acl_requests(api) -> list[str]:
    return [r.subpath for r in api.requests("acl")]


@pytest.fixture
def acl_export(cli, api, workdir):
    """A first list of 60 ACL papers has downloaded the export; three more papers are in it, with no record."""
    first = register_acl(api, 0, 60)
    extra = register_acl(api, 200, 3)
    acl_list(workdir / "big.md", first)
    assert cli("build", "big.md", "-o", "big.bib").exit_code == 0
    assert acl_requests(api) == [BULK]
    acl_list(workdir / "small.md", extra)
    api.clear_log()
    return extra


def test_offline_answers_acl_papers_with_no_record_from_the_stored_export_and_writes_nothing(
    cli, api, workdir, acl_export
):
    records = files(workdir / "cache" / "acl")
    result = cli("build", "small.md", "-o", "offline.bib", "--offline", "--report", "r.json")
    assert result.exit_code == 0, result.output
    assert api.requests() == []
    assert keys_of(workdir / "offline.bib") == [
        "author200-etal-2031-paper",
        "author201-etal-2031-paper",
        "author202-etal-2031-paper",
    ]
    entry = fields_of(workdir / "offline.bib")["author201-etal-2031-paper"]
    assert entry["ENTRYTYPE"] == "inproceedings" and entry["pages"] == "201--210" and "abstract" in entry
    assert outcomes(workdir) == ["cached"] * 3
    assert files(workdir / "cache" / "acl") == records  # --offline writes no cache file
    assert cli("check", "small.md", "offline.bib", "--offline").exit_code == 0
    assert files(workdir / "cache" / "acl") == records

    online = cli("build", "small.md", "-o", "online.bib")  # the same file, read online: the same output
    assert online.exit_code == 0 and acl_requests(api) == []
    assert (workdir / "online.bib").read_bytes() == (workdir / "offline.bib").read_bytes()


def test_offline_without_the_export_still_reports_what_is_missing(cli, api, workdir, acl_export):
    for path in (workdir / "cache" / "acl-bulk").iterdir():
        path.unlink()
    result = cli("build", "small.md", "-o", "offline.bib", "--offline", "--report", "r.json")
    assert result.exit_code == 1 and api.requests() == []
    assert "cached" not in outcomes(workdir)
    assert "offline and not in the cache" in (workdir / "r.json").read_text()


def test_prune_keeps_the_export_while_a_list_names_an_acl_paper_and_drops_it_with_its_header(
    cli, api, workdir, acl_export
):
    pruned = cli("cache", "prune", "small.md")  # big.md's records go, the export stays
    assert pruned.exit_code == 0, pruned.output
    assert "acl 60" in pruned.stdout and "acl-bulk" not in pruned.stdout
    assert files(workdir / "cache" / "acl-bulk") == ["anthology+abstracts.bib.gz", "anthology+abstracts.bib.gz.json"]
    offline = cli("build", "small.md", "-o", "offline.bib", "--offline")
    assert offline.exit_code == 0, offline.output
    assert len(keys_of(workdir / "offline.bib")) == 3

    write(workdir / "none.md", "# No ACL paper\n")
    preview = cli("cache", "prune", "none.md", "--dry-run")
    assert "  acl-bulk anthology+abstracts.bib.gz: not used by the lists" in preview.stdout
    assert len(files(workdir / "cache" / "acl-bulk")) == 2
    assert "acl-bulk 1" in cli("cache", "prune", "none.md").stdout
    assert files(workdir / "cache" / "acl-bulk") == []


V931 = PmlrVolume("v931", "Proceedings of the 1st Invented Symposium", [("Ada", "Editorson")], "2031")
V932 = PmlrVolume("v932", "Proceedings of the 2nd Invented Symposium", [("Ada", "Editorson")], "2032")


def pmlr_table(*ids: str) -> str:
    rows = "".join(
        f"| 2031-07 | Invented Paper {i.split('/')[1]} | [pdf](https://proceedings.mlr.press/{i}.pdf) |\n" for i in ids
    )
    return "## Papers\n\n| Date | Paper Title | Link |\n|---|---|---|\n" + rows


@pytest.fixture
def pmlr_volume(cli, api, workdir):
    """A first list of three papers of v931 has kept its bibliography; a fourth paper of it has no record."""
    for n, family in enumerate(("Doe", "Roe", "Poe", "Zoe")):
        ident = f"{family.lower()}31{'abcd'[n]}"
        api.pmlr.add(PmlrPaper(V931, ident, f"Invented Paper {ident}", [("Jo", family)], 10 * n + 1, 10 * n + 9))
    api.pmlr.add(PmlrPaper(V932, "moe32a", "Invented Paper moe32a", [("Mo", "Moe")]))
    write(workdir / "first.md", pmlr_table("v931/doe31a", "v931/roe31b", "v931/poe31c"))
    assert cli("build", "first.md", "-o", "first.bib", env={"TRIDENTBIB_PMLR_VOLUME_THRESHOLD": "3"}).exit_code == 0
    assert [r.subpath for r in api.requests("pmlr")] == ["/v931/assets/bib/bibliography.bib"]
    write(workdir / "second.md", pmlr_table("v931/zoe31d"))
    api.clear_log()


def test_offline_answers_a_pmlr_paper_from_its_stored_volume_bibliography(cli, api, workdir, pmlr_volume):
    result = cli("build", "second.md", "-o", "offline.bib", "--offline", "--report", "r.json")
    assert result.exit_code == 0, result.output
    assert api.requests() == [] and outcomes(workdir) == ["cached"]
    (entry,) = fields_of(workdir / "offline.bib").values()
    assert (entry["author"], entry["pages"], entry["volume"], entry["publisher"]) == (
        "Zoe, Jo",
        "31--39",
        "931",
        "PMLR",
    )
    assert entry["editor"] == "Editorson, Ada" and "month" not in entry
    assert not (workdir / "cache" / "pmlr" / "v931%2Fzoe31d.json").exists()
    assert cli("check", "second.md", "offline.bib", "--offline").exit_code == 0

    online = cli("build", "second.md", "-o", "online.bib")
    assert online.exit_code == 0 and api.requests() == []
    assert (workdir / "online.bib").read_bytes() == (workdir / "offline.bib").read_bytes()


def test_a_paper_of_a_volume_not_stored_is_not_answered_offline(cli, api, workdir, pmlr_volume):
    write(workdir / "third.md", pmlr_table("v932/moe32a"))
    result = cli("build", "third.md", "-o", "third.bib", "--offline", "--report", "r.json")
    assert result.exit_code == 1 and api.requests() == []
    assert "offline and not in the cache" in (workdir / "r.json").read_text()


def test_prune_keeps_the_volumes_the_lists_name(cli, api, workdir, pmlr_volume):
    volume = workdir / "cache" / "pmlr-volume"
    assert cli("cache", "prune", "second.md").exit_code == 0
    assert files(volume) == ["v931.bib", "v931.bib.json"] and files(workdir / "cache" / "pmlr") == []
    assert cli("build", "second.md", "-o", "offline.bib", "--offline").exit_code == 0
    write(workdir / "third.md", pmlr_table("v932/moe32a"))
    result = cli("cache", "prune", "third.md")
    assert "pmlr-volume 1" in result.stdout and files(volume) == []


H_FEATURES = "1a2b3c4d5e6f708192a3b4c5d6e7f809"
H_OTHER = "5e6f708192a3b4c5d6e7f8091a2b3c4d"


def test_offline_maps_an_old_neurips_link_through_the_stored_index_to_a_cached_record(cli, api, workdir):
    api.neurips.add(NeuripsPaper(2014, H_FEATURES, "How Invented are Features in Deep Networks?", ["Example, Ann"]))
    api.neurips.add(NeuripsPaper(2014, H_OTHER, "An Invented Companion Paper", ["Sample, Bo"], pages="10--18"))
    first = (
        "- **How Invented are Features in Deep Networks?** (2014) [[pdf]](http://papers.nips.cc/paper/5347-a.pdf)\n"
        f"- An Invented Companion Paper [[abs]](https://proceedings.neurips.cc/paper/2014/hash/{H_OTHER}-Abstract.html)\n"
    )
    write(workdir / "l.md", first)
    assert cli("build", "l.md", "-o", "l.bib").exit_code == 0
    assert files(workdir / "cache" / "neurips-index") == ["2014.html", "2014.html.json"]
    write(workdir / "m.md", "- An Invented Companion Paper, NIPS 2014 [pdf](http://papers.nips.cc/paper/5350-x.pdf)\n")
    api.clear_log()

    offline = cli("build", "m.md", "-o", "offline.bib", "--offline", "--report", "r.json")
    assert offline.exit_code == 0, offline.output
    assert api.requests() == [] and outcomes(workdir) == ["cached"]
    assert not (workdir / "cache" / "neurips" / "legacy%2F5350.json").exists()
    (entry,) = fields_of(workdir / "offline.bib").values()
    assert (entry["pages"], entry["year"]) == ("10--18", "2014") and entry["url"].endswith(f"{H_OTHER}-Abstract.html")
    online = cli("build", "m.md", "-o", "online.bib")
    assert online.exit_code == 0
    assert (workdir / "online.bib").read_bytes() == (workdir / "offline.bib").read_bytes()

    # prune keeps the year index while an old link of that year (or the one before or after) is listed
    assert cli("cache", "prune", "m.md").exit_code == 0
    assert files(workdir / "cache" / "neurips-index") == ["2014.html", "2014.html.json"]
    write(
        workdir / "none.md",
        f"- Other [[abs]](https://proceedings.neurips.cc/paper/2014/hash/{H_OTHER}-Abstract.html)\n",
    )
    assert "neurips-index 1" in cli("cache", "prune", "none.md").stdout
    assert files(workdir / "cache" / "neurips-index") == []


# -- 3. cache stats and prune know every folder of kept files -------------------------


def test_stats_rows_and_prune_rules_for_every_folder_of_kept_files(cli, api, workdir, pmlr_volume):
    root = workdir / "cache"
    for folder, name in (("acl-bulk", "anthology+abstracts.bib.gz"), ("neurips-index", "2014.html")):
        (root / folder).mkdir()
        (root / folder / name).write_bytes(b"x" * 10)
        (root / folder / (name + ".json")).write_text(
            json.dumps({"schema": 1, "fetched_at": "2031-01-01T00:00:00Z", "bytes": 10})
        )
    (root / "neurips-index" / "2013.html.corrupt").write_text("<")
    (root / "neurips-index" / "2013.html.json.corrupt").write_text("{")
    stats = cli("cache", "stats")
    assert stats.exit_code == 0, stats.output
    rows = {line.split()[0]: line.split() for line in stats.stdout.splitlines()[2:-2]}
    assert {"acl-bulk", "pmlr-volume", "neurips-index", "pmlr"} <= set(rows)
    assert rows["acl-bulk"][1:3] == ["1", "0"] and rows["pmlr-volume"][1:3] == ["1", "0"]
    assert "1 *.corrupt file(s) set aside" in stats.stdout  # a kept file and its header: one set aside

    # --older-than: a kept file's header says when it was fetched
    age_header(root / "pmlr-volume" / "v931.bib.json", 45)
    result = cli("cache", "prune", "--older-than", "30")
    assert result.exit_code == 0 and "pmlr-volume 1" in result.stdout
    assert files(root / "pmlr-volume") == []
    assert len(files(root / "acl-bulk")) == 2  # fetched "in 2031": not old

    # leftovers of killed runs: a temporary file, a kept file whose header was never written
    temp = root / "acl-bulk" / ".anthology+abstracts.bib.gz.k1ll3d.tmp"
    fresh_temp = root / "acl-bulk" / ".anthology+abstracts.bib.gz.w0rk1n.tmp"
    orphan = root / "pmlr-volume" / "v932.bib"
    for path in (temp, fresh_temp, orphan):
        path.write_bytes(b"@")
    make_old(temp, 1)
    make_old(orphan, 1)
    result = cli("cache", "prune", "--older-than", "3650")
    assert "dropped 2 temporary file(s)" in result.stdout
    assert not temp.exists() and not orphan.exists() and fresh_temp.exists()
    assert files(root / "neurips-index") == [
        "2013.html.corrupt",
        "2013.html.json.corrupt",
        "2014.html",
        "2014.html.json",
    ]
