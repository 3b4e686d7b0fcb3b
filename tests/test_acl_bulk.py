"""ACL Anthology in bulk (issue 17): many papers come from the one export with abstracts, same output as per paper."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import bibtexparser
import pytest

from conftest import write
from fakeapi import FakeAPI
from tridentbib.identifiers.grammar import acl_volume
from tridentbib.resolvers.acl import entry_id, split_entries

BULK = "/anthology+abstracts.bib.gz"
PER_PAPER = {"TRIDENTBIB_ACL_BULK_THRESHOLD": "100000"}


def anthology_bib(ident: str, n: int, abstract: bool = True) -> str:
    """One paper's ``.bib`` in the Anthology's shape (tests/fixtures/acl/*.bib)."""
    year = ident[:4] if "." in ident else "20" + ident[1:3]
    lines = [
        f"@inproceedings{{author{n}-etal-{year}-paper,",
        f'    title = "Paper {n} on {{C}}atalan {"and {T}agalog" if n % 3 else "Speech"}",',
        f'    author = "Surname{n}, Given  and\n      Other, Person",',
        f'    booktitle = "Proceedings of Volume {acl_volume(ident)}",',
        "    month = jul,",
        f'    year = "{year}",',
        '    address = "Florence, Italy",',
        '    publisher = "Association for Computational Linguistics",',
        f'    url = "https://aclanthology.org/{ident}/",',
        f'    doi = "10.18653/v1/{ident}",',
        f'    pages = "{n}--{n + 9}"' + ("," if abstract else ""),
    ]
    if abstract:
        lines.append(f'    abstract = "We study thing {n}: 81% better, {{--}} and more.\\n@ not an entry."')
    return "\n".join(lines) + "\n}\n"


def register(api: FakeAPI, count: int, start: int = 0) -> list[str]:
    """``count`` papers over several volumes, new- and old-style ids, a few without abstracts."""
    ids = []
    for n in range(start, start + count):
        style = n % 4
        if style == 0:
            ident = f"2023.acl-long.{n + 1}"
        elif style == 1:
            ident = f"2022.findings-emnlp.{n + 1}"
        elif style == 2:
            ident = f"P19-1{n + 1:03d}"
        else:
            ident = f"W18-54{n % 90 + 10:02d}"
        api.acl.add(ident, anthology_bib(ident, n, abstract=n % 7 != 0))
        ids.append(ident)
    return ids


def reading_list(path: Path, ids: list[str]) -> Path:
    return write(path, "# ACL\n\n" + "".join(f"- https://aclanthology.org/{i}/\n" for i in ids))


def acl_paths(api: FakeAPI) -> list[str]:
    return [r.subpath for r in api.requests("acl")]


@pytest.fixture
def papers(api):
    return register(api, 60)


def test_bulk_output_is_byte_identical_to_per_paper(cli, api, workdir, papers):
    reading_list(workdir / "l.md", papers)
    one = cli("build", "l.md", "-o", "one.bib", "--cache-dir", "c1", env=PER_PAPER)
    assert one.exit_code == 0, one.output
    assert sorted(acl_paths(api)) == sorted(f"/{i}.bib" for i in papers)
    api.clear_log()
    bulk = cli("build", "l.md", "-o", "bulk.bib", "--cache-dir", "c2")
    assert bulk.exit_code == 0, bulk.output
    assert acl_paths(api) == [BULK]
    assert (workdir / "bulk.bib").read_bytes() == (workdir / "one.bib").read_bytes()
    assert len(bibtexparser.parse_file("bulk.bib").entries) == 60
    for ident in papers:  # the same per-paper records: everything downstream is unchanged
        a = json.loads((workdir / "c1" / "acl" / f"{ident}.json").read_text())
        b = json.loads((workdir / "c2" / "acl" / f"{ident}.json").read_text())
        assert a["record"] == b["record"]
        assert b["request"].endswith(BULK)
    header = json.loads((workdir / "c2" / "acl-bulk" / "anthology+abstracts.bib.gz.json").read_text())
    assert header["fetched_at"] == b["fetched_at"] and header["bytes"] == len(api.acl.bulk_file())


def test_second_list_reuses_the_cached_bulk_file_with_zero_requests(cli, api, workdir, papers):
    extra = register(api, 3, start=100)
    reading_list(workdir / "l.md", papers)
    assert cli("build", "l.md", "-o", "l.bib").exit_code == 0
    assert acl_paths(api) == [BULK]
    api.clear_log()
    reading_list(workdir / "small.md", extra)  # three papers no record holds yet, below the threshold
    result = cli("build", "small.md", "-o", "small.bib")
    assert result.exit_code == 0, result.output
    assert acl_paths(api) == []
    keys = [e.key for e in bibtexparser.parse_file("small.bib").entries]
    assert keys == ["author100-etal-2023-paper", "author101-etal-2022-paper", "author102-etal-2019-paper"]


def test_max_age_and_refresh_fetch_the_bulk_file_again(cli, api, workdir, papers):
    extra = register(api, 3, start=100)
    reading_list(workdir / "l.md", papers)
    assert cli("build", "l.md", "-o", "l.bib").exit_code == 0
    header_path = workdir / "cache" / "acl-bulk" / "anthology+abstracts.bib.gz.json"
    header = json.loads(header_path.read_text())
    header_path.write_text(json.dumps({**header, "fetched_at": "2020-01-01T00:00:00Z"}))
    reading_list(workdir / "small.md", extra)
    api.clear_log()
    low = {"TRIDENTBIB_ACL_BULK_THRESHOLD": "1"}
    assert cli("build", "small.md", "-o", "small.bib", env=low).exit_code == 0
    assert acl_paths(api) == []  # no --max-age: an old file is still good
    (workdir / "cache" / "acl").rename(workdir / "cache" / "acl-old")
    result = cli("build", "small.md", "-o", "small.bib", "--max-age", "30", env=low)
    assert result.exit_code == 0, result.output
    assert acl_paths(api) == [BULK]
    assert json.loads(header_path.read_text())["fetched_at"] > "2020-01-01T00:00:00Z"
    api.clear_log()
    assert cli("build", "l.md", "-o", "l.bib", "--refresh").exit_code == 0
    assert acl_paths(api) == [BULK]
    api.clear_log()
    assert cli("build", "small.md", "-o", "small.bib", "--refresh").exit_code == 0  # few papers: per paper
    assert sorted(acl_paths(api)) == sorted(f"/{i}.bib" for i in extra)


def test_an_id_missing_from_the_bulk_file_falls_back_to_its_own_file(cli, api, workdir, papers):
    api.acl.bulk_omits = {papers[5]}
    reading_list(workdir / "l.md", papers)
    result = cli("build", "l.md", "-o", "l.bib")
    assert result.exit_code == 0, result.output
    assert acl_paths(api) == [BULK, f"/{papers[5]}.bib"]
    assert len(bibtexparser.parse_file("l.bib").entries) == 60


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_corrupt_bulk_file_is_reported_and_each_paper_fetched(cli, api, workdir, papers, damage):
    whole = api.acl.bulk_file()
    api.acl.bulk_bytes = whole[: len(whole) // 2] if damage == "truncated" else whole[:20] + b"\x00" * 5000
    reading_list(workdir / "l.md", papers)
    one = cli("build", "l.md", "-o", "one.bib", "--cache-dir", "c1", env=PER_PAPER)
    assert one.exit_code == 0
    api.clear_log()
    result = cli("build", "l.md", "-o", "l.bib", "--report", "report.json")
    assert result.exit_code == 0, result.output
    assert acl_paths(api) == [BULK] + [f"/{i}.bib" for i in papers]
    assert (workdir / "l.bib").read_bytes() == (workdir / "one.bib").read_bytes()
    assert "anthology+abstracts.bib.gz was corrupt (unreadable gzip" in result.output
    corrupt = json.loads((workdir / "report.json").read_text())["corrupt_cache_files"]
    assert [Path(c["path"]).name for c in corrupt] == ["anthology+abstracts.bib.gz"]
    assert sorted(p.name for p in (workdir / "cache" / "acl-bulk").iterdir()) == [
        "anthology+abstracts.bib.gz.corrupt",
        "anthology+abstracts.bib.gz.json.corrupt",
    ]


def test_the_size_bound_refuses_an_oversize_bulk_file(cli, api, workdir, papers, caplog):
    reading_list(workdir / "l.md", papers)
    result = cli("build", "l.md", "-o", "l.bib", env={"TRIDENTBIB_ACL_BULK_MAX_BYTES": "1000"})
    assert result.exit_code == 0, result.output
    assert acl_paths(api) == [BULK] + [f"/{i}.bib" for i in papers]
    assert "anthology+abstracts.bib.gz not used" in caplog.text and "exceeds the 1000-byte limit" in caplog.text
    assert not (workdir / "cache" / "acl-bulk").exists()
    assert len(bibtexparser.parse_file("l.bib").entries) == 60


def test_a_dry_run_uses_the_bulk_file_and_writes_no_cache(cli, api, workdir, papers):
    reading_list(workdir / "l.md", papers)
    result = cli("build", "l.md", "-o", "l.bib", "--dry-run")
    assert result.exit_code == 0, result.output
    assert acl_paths(api) == [BULK]
    assert not (workdir / "cache").exists()


def test_volume_ids_for_both_id_styles():
    assert acl_volume("2023.acl-long.5") == "2023.acl-long"
    assert acl_volume("2022.findings-emnlp.120") == "2022.findings-emnlp"
    assert acl_volume("P19-1007") == "P19-1"
    assert acl_volume("W18-5446") == "W18-54"
    assert acl_volume("D19-5012") == "D19-50" and acl_volume("D19-1012") == "D19-1"


def test_the_fake_serves_volume_files_without_abstracts_and_the_bulk_file_with_them(api):
    api.acl.load_fixtures()
    import httpx

    volume = httpx.get(api.url("acl") + "/volumes/2022.acl-long.bib").text
    library = bibtexparser.parse_string(volume)
    assert not library.failed_blocks and len(library.entries) == 2
    assert all("abstract" not in e.fields_dict for e in library.entries)
    bulk = gzip.decompress(httpx.get(api.url("acl") + BULK).content).decode("utf-8")
    entries = list(split_entries(bulk.splitlines(keepends=True)))
    assert [entry_id(e) for e in entries] == [
        "2022.acl-long.920",
        "2022.acl-long.968",
        "2022.acl-short.0",
        "J89-2902",
        "P19-1907",
    ]
    assert entries[1].strip() + "\n" == api.acl._papers["2022.acl-long.968"].bibtex.strip() + "\n"


def test_entries_split_only_at_top_level():
    text = '@misc{a,\n  abstract = "x\n@misc{not, an entry}\n"\n}\n\n% comment\n@misc{b,\n  url = "https://aclanthology.org/P19-1001.pdf"\n}\n'
    entries = list(split_entries(text.splitlines(keepends=True)))
    assert len(entries) == 2 and entries[0].startswith("@misc{a,") and "@misc{not" in entries[0]
    assert entry_id(entries[1]) == "P19-1001"
