"""Refreshing a list and reading what changed: --refresh, --max-age, --changes, --dry-run."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import write
from fakeapi.arxiv import ArxivPaper


def add(api, ident, title, version=1, **more):
    api.arxiv.add_paper(ArxivPaper(ident, version=version, title=title, published="2021-01-04T18:00:00Z", **more))


def cache_file(workdir: Path, ident: str) -> Path:
    return workdir / "cache" / "arxiv" / f"{ident}.json"


def setup_two(api, workdir):
    add(api, "2101.00002", "Sparse Attention for Speech", authors=["Ada Lovelace", "Alan Turing"])
    add(api, "2101.00003", "Tokenizers All the Way Down")
    write(workdir / "list.md", "- https://arxiv.org/abs/2101.00002\n- https://arxiv.org/abs/2101.00003\n")


def test_refresh_prints_each_changed_field_with_its_source_and_writes_markdown(cli, api, workdir):
    setup_two(api, workdir)
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    add(
        api,
        "2101.00002",
        "Sparse Attention for Speech Recognition",
        version=3,
        authors=["Ada Lovelace", "Grace Hopper"],
        doi="10.1109/TASLP.2022.1234567",
    )

    result = cli("build", "list.md", "-o", "out.bib", "--refresh", "--changes", "CHANGES.md")

    assert result.exit_code == 0, result.output
    err = result.stderr
    assert err.splitlines()[0].startswith("tridentbib: 2 links")  # the summary stays first
    assert "tridentbib: changes to out.bib: 0 added, 0 removed, 1 changed" in err
    assert "  ~ lovelace2021sparse: changed (from arxiv)" in err
    assert "new arXiv version: v1 -> v3" in err
    assert 'title: "Sparse Attention for Speech" -> "Sparse Attention for Speech Recognition"' in err
    assert "authors: + Hopper, Grace; - Turing, Alan" in err
    assert 'doi: "10.48550/arXiv.2101.00002" -> "10.1109/TASLP.2022.1234567"' in err
    assert "tokenizers" not in err.lower()  # unchanged entries are not listed
    markdown = (workdir / "CHANGES.md").read_text()
    assert markdown.startswith("# Changes to out.bib\n")
    assert "0 added, 0 removed, 1 changed (2 entries now)." in markdown
    assert "### `lovelace2021sparse`" in markdown
    assert (
        "(arxiv:2101.00002, doi:10.1109/taslp.2022.1234567, doi:10.48550/arxiv.2101.00002; source: arxiv)" in markdown
    )
    assert "| version | v1 | v3 |" in markdown
    assert "| doi | 10.48550/arXiv.2101.00002 | 10.1109/TASLP.2022.1234567 |" in markdown
    assert "| author | Lovelace, Ada and Turing, Alan | + Hopper, Grace; - Turing, Alan |" in markdown
    assert "Recognition" in (workdir / "out.bib").read_text()


def test_added_and_removed_entries_are_listed(cli, api, workdir):
    setup_two(api, workdir)
    add(api, "2101.00004", "Benchmarks Considered Harmful")
    cli("build", "list.md", "-o", "out.bib")
    write(workdir / "list.md", "- https://arxiv.org/abs/2101.00002\n- https://arxiv.org/abs/2101.00004\n")

    result = cli("build", "list.md", "-o", "out.bib", "--changes", "CHANGES.md")

    assert result.exit_code == 0
    assert "changes to out.bib: 1 added, 1 removed, 0 changed" in result.stderr
    assert '  + lovelace2021benchmarks: added (from arxiv): "Benchmarks Considered Harmful"' in result.stderr
    assert (
        '  - lovelace2021tokenizers: removed: no input links it any more: "Tokenizers All the Way Down"'
        in result.stderr
    )
    markdown = (workdir / "CHANGES.md").read_text()
    assert "## Added (1)" in markdown and "## Removed (1)" in markdown
    assert (
        "- `lovelace2021benchmarks`: Benchmarks Considered Harmful (arxiv:2101.00004, doi:10.48550/arxiv.2101.00004; source: arxiv)"
        in markdown
    )


def test_a_refresh_that_gets_no_such_paper_keeps_the_record_and_says_so(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    before = (workdir / "out.bib").read_text()
    api.arxiv.clear()
    add(api, "2101.00002", "Sparse Attention for Speech", authors=["Ada Lovelace", "Alan Turing"])
    result = cli("build", "list.md", "-o", "out.bib", "--refresh")
    assert result.exit_code == 0, result.stderr
    assert (
        "stale: arxiv 2101.00003: arxiv now says arXiv has no paper with this id; kept the record of" in result.stderr
    )
    assert (workdir / "out.bib").read_text() == before


def test_an_entry_lost_to_a_failed_lookup_says_why(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    api.arxiv.clear()
    add(api, "2101.00002", "Sparse Attention for Speech", authors=["Ada Lovelace", "Alan Turing"])
    for path in (workdir / "cache" / "arxiv").glob("2101.00003*"):
        path.unlink()  # the record is gone from the cache too: nothing is left to keep
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 1
    assert "- lovelace2021tokenizers: removed: could not be resolved: arXiv has no paper with this id" in result.stderr


def test_dry_run_shows_the_changes_and_writes_nothing(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    before = {p: p.read_bytes() for p in (workdir / "cache").rglob("*") if p.is_file()}
    bib = (workdir / "out.bib").read_bytes()
    add(api, "2101.00002", "A Corrected Title", version=2)
    add(api, "2101.00005", "Something New")
    write(
        workdir / "list.md",
        "- https://arxiv.org/abs/2101.00002\n- https://arxiv.org/abs/2101.00003\n- https://arxiv.org/abs/2101.00005\n",
    )

    result = cli("build", "list.md", "-o", "out.bib", "--refresh", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "changes to out.bib: 1 added, 0 removed, 1 changed" in result.stderr
    assert "new arXiv version: v1 -> v2" in result.stderr
    assert "tridentbib: dry run: out.bib not written" in result.stderr
    assert (workdir / "out.bib").read_bytes() == bib
    after = {p: p.read_bytes() for p in (workdir / "cache").rglob("*") if p.is_file()}
    assert after == before  # no record, no new key
    assert not cache_file(workdir, "2101.00005").exists()


def test_dry_run_leaves_a_corrupt_cache_file_where_it_is_and_reports_it(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    cache_file(workdir, "2101.00003").write_text("{not json", encoding="utf-8")

    result = cli("build", "list.md", "-o", "out.bib", "--dry-run", "--report", "run.json")

    assert result.exit_code == 0, result.output
    assert cache_file(workdir, "2101.00003").read_text(encoding="utf-8") == "{not json"  # still there, not *.corrupt
    assert not list((workdir / "cache" / "arxiv").glob("*.corrupt"))
    (corrupt,) = json.loads((workdir / "run.json").read_text())["corrupt_cache_files"]
    assert corrupt["path"].endswith("2101.00003.json") and "left in place (dry run)" in corrupt["problem"]
    assert len(api.requests("arxiv")) == 2  # it was fetched again, as a real run would


def test_dry_run_and_changes_need_an_output_file(cli, api, workdir):
    write(workdir / "list.md", "- https://arxiv.org/abs/2202.92139\n")
    for flag in ("--dry-run", "--changes=c.md"):
        result = cli("build", "list.md", flag)
        assert result.exit_code == 2
        assert "name it with -o FILE" in result.stderr
    assert api.requests() == []


def test_max_age_fetches_only_records_older_than_the_limit(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    old = cache_file(workdir, "2101.00002")
    record = json.loads(old.read_text())
    record["fetched_at"] = "2020-01-01T00:00:00Z"
    old.write_text(json.dumps(record, indent=2))
    add(api, "2101.00002", "Sparse Attention, Revised", version=2, authors=["Ada Lovelace", "Alan Turing"])
    add(api, "2101.00003", "Tokenizers: A Change Nobody Fetches", version=2)
    api.clear_log()

    result = cli("build", "list.md", "-o", "out.bib", "--max-age", "30")

    assert result.exit_code == 0, result.output
    (request,) = api.requests("arxiv")
    assert request.query["id_list"] == ["2101.00002"]
    assert "1 resolved; 1 from cache" in result.stderr
    assert "new arXiv version: v1 -> v2" in result.stderr
    assert "Nobody" not in (workdir / "out.bib").read_text()
    assert json.loads(old.read_text())["fetched_at"] > "2020-01-01T00:00:00Z"


def test_negative_max_age_is_refused(cli, api, workdir):
    write(workdir / "list.md", "- https://arxiv.org/abs/2202.92139\n")
    assert cli("build", "list.md", "-o", "out.bib", "--max-age", "-1").exit_code == 2


def test_unchanged_refresh_says_so_and_a_plain_build_stays_quiet(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    plain = cli("build", "list.md", "-o", "out.bib")
    assert "changes" not in plain.stderr
    refreshed = cli("build", "list.md", "-o", "out.bib", "--refresh", "--changes", "CHANGES.md")
    assert "tridentbib: no changes to out.bib (2 entries)" in refreshed.stderr
    assert (workdir / "CHANGES.md").read_text() == "# Changes to out.bib\n\nNo changes.\n"


def test_a_run_that_changes_nothing_leaves_the_output_file_alone(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    out = workdir / "out.bib"
    os.utime(out, (1_000_000_000, 1_000_000_000))  # an old mtime, as make or CI would see it
    before = out.stat()
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    after = out.stat()
    assert (after.st_ino, after.st_mtime) == (before.st_ino, before.st_mtime)
    add(api, "2101.00003", "Tokenizers All the Way Down, Again", version=2)
    assert cli("build", "list.md", "-o", "out.bib", "--refresh").exit_code == 0
    assert out.stat().st_mtime > before.st_mtime and "Again" in out.read_text()


def test_a_changed_key_is_reported_as_a_rename(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    (workdir / "cache" / "keys.json").unlink()
    add(api, "2101.00003", "Detokenizers All the Way Down", version=2)
    result = cli("build", "list.md", "-o", "out.bib", "--refresh")
    assert "  ~ lovelace2021detokenizers (was lovelace2021tokenizers): changed (from arxiv)" in result.stderr
    assert "removed" not in result.stderr.split("changes to out.bib")[1].split("\n", 1)[1]


def test_first_build_reports_a_new_file(cli, api, workdir):
    setup_two(api, workdir)
    result = cli("build", "list.md", "-o", "out.bib", "--changes", "CHANGES.md")
    assert "tridentbib: out.bib does not exist yet: 2 entries" in result.stderr
    markdown = (workdir / "CHANGES.md").read_text()
    assert "out.bib did not exist before; 2 entries." in markdown
    assert "## Added (2)" in markdown


def test_quiet_prints_only_failures(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    add(api, "2101.00002", "Changed", version=2)
    write(workdir / "list.md", "- https://arxiv.org/abs/2101.00002\n- https://arxiv.org/abs/2212.99999\n")
    result = cli("build", "list.md", "-o", "out.bib", "--refresh", "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["  list.md:2: failed: arxiv 2212.99999: arXiv has no paper with this id"]


def test_a_dry_run_changelog_file_says_nothing_was_written(cli, api, workdir):
    setup_two(api, workdir)
    cli("build", "list.md", "-o", "out.bib")
    add(api, "2101.00003", "Tokenizers, Revised", version=2)
    result = cli("build", "list.md", "-o", "out.bib", "--refresh", "--dry-run", "--changes", "CHANGES.md")
    assert result.exit_code == 0
    markdown = (workdir / "CHANGES.md").read_text()
    assert markdown.startswith("# Changes to out.bib\n\n> dry run: out.bib not written\n")
    assert "| version | v1 | v2 |" in markdown
    assert "Revised" not in (workdir / "out.bib").read_text()


def test_a_venue_upgrade_carries_its_evidence():
    from types import SimpleNamespace

    from tridentbib.model import Entry
    from tridentbib.writers.changelog import compare, parse_bib_text, render_lines, render_markdown

    previous = parse_bib_text("@misc{lovelace2021sparse,\n  title = {Sparse},\n  eprint = {2101.00002}\n}\n")
    now = Entry(
        "lovelace2021sparse",
        "inproceedings",
        {"title": "Sparse", "booktitle": "Proc. ICASSP", "eprint": "2101.00002"},
        frozenset({"arxiv:2101.00002"}),
        origin="arxiv",
    )
    upgrade = SimpleNamespace(
        key="lovelace2021sparse", evidence="Semantic Scholar externalIds.ArXiv=2101.00002, venue ICASSP 2022"
    )
    log = compare(previous, [now], [], output="out.bib", upgrades=[upgrade])
    lines = render_lines(log)
    assert "      entry type: @misc -> @inproceedings" in lines
    assert '      booktitle: added "Proc. ICASSP"' in lines
    assert "      published version: Semantic Scholar externalIds.ArXiv=2101.00002, venue ICASSP 2022" in lines
    assert "Published version: Semantic Scholar externalIds.ArXiv=2101.00002, venue ICASSP 2022" in render_markdown(log)
    assert log.as_json()["entries"][0]["evidence"].startswith("Semantic Scholar")


def test_author_change_tells_a_new_spelling_from_a_new_order():
    from tridentbib.writers.changelog import author_change

    assert (
        author_change('M{\\"u}ller, J{\\"o}rg and Doe, Jane', "Müller, Jörg and Doe, Jane")
        == "same names, spelled differently"
    )
    assert author_change("Doe, Jane and Müller, Jörg", "Müller, Jörg and Doe, Jane") == "order changed"
    assert author_change("Doe, Jane", "Doe, Jane and Roe, Rick") == "+ Roe, Rick"
