"""``tridentbib check LIST.md OUT.bib``: the CI gate. It never opens a connection."""

from __future__ import annotations

import shutil

from conftest import write
from fakeapi.arxiv import ArxivPaper

LIST = "- https://arxiv.org/abs/2101.00002\n- https://arxiv.org/abs/2101.00003\n- [blog](https://example.org/post)\n"


def setup(cli, api, workdir, text=LIST, exit_code=0):
    api.arxiv.add_paper(ArxivPaper("2101.00002", title="Sparse Attention for Speech", published="2021-01-04T18:00:00Z"))
    api.arxiv.add_paper(ArxivPaper("2101.00003", title="Tokenizers All the Way Down", published="2021-01-04T18:00:00Z"))
    api.arxiv.add_paper(
        ArxivPaper("2101.00004", title="Benchmarks Considered Harmful", published="2021-01-04T18:00:00Z")
    )
    write(workdir / "list.md", text)
    assert cli("build", "list.md", "-o", "out.bib").exit_code == exit_code
    api.clear_log()


def test_an_up_to_date_file_passes(cli, api, workdir):
    setup(cli, api, workdir)
    for flags in ((), ("--offline",)):
        result = cli("check", "list.md", "out.bib", *flags)
        assert result.exit_code == 0, result.output
        assert "tridentbib: out.bib is up to date with list.md (2 entries, 3 links)" in result.stderr
    assert api.requests() == []


def test_a_file_built_with_ascii_passes_too(cli, api, workdir):
    api.arxiv.add_paper(
        ArxivPaper("2101.00005", title="Über Sprachmodelle", authors=["Zoë Łukasik"], published="2021-01-04T18:00:00Z")
    )
    write(workdir / "list.md", "- https://arxiv.org/abs/2101.00005\n")
    assert cli("build", "list.md", "-o", "out.bib", "--ascii").exit_code == 0
    assert (workdir / "out.bib").read_text(encoding="utf-8").isascii()
    for flags in ((), ("--offline",)):
        result = cli("check", "list.md", "out.bib", *flags)
        assert result.exit_code == 0, result.output
        assert "out.bib is up to date with list.md (1 entries, 1 links)" in result.stderr


def test_a_file_that_is_build_output_but_misses_an_uncached_link_still_fails(cli, api, workdir):
    setup(cli, api, workdir)
    write(workdir / "list.md", LIST + "- https://arxiv.org/abs/2101.00004\n")  # linked, never fetched
    result = cli("check", "list.md", "out.bib")
    assert result.exit_code == 1 and "arxiv 2101.00004 has no entry in out.bib" in result.stderr


def test_a_new_link_without_an_entry_fails_and_names_the_command(cli, api, workdir):
    setup(cli, api, workdir)
    write(workdir / "list.md", LIST + "- new: https://arxiv.org/abs/2101.00004\n")
    result = cli("check", "list.md", "out.bib")
    assert result.exit_code == 1
    assert "tridentbib: out.bib is out of date with list.md: 1 missing" in result.stderr
    assert "  missing: list.md:4: arxiv 2101.00004 has no entry in out.bib" in result.stderr
    assert result.stderr.rstrip().endswith("tridentbib: to update it, run: tridentbib build list.md -o out.bib")
    assert api.requests() == []
    # running the suggested command fixes it
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    assert cli("check", "list.md", "out.bib").exit_code == 0


def test_an_entry_no_longer_in_the_list_fails(cli, api, workdir):
    setup(cli, api, workdir)
    write(workdir / "list.md", "- https://arxiv.org/abs/2101.00002\n")
    result = cli("check", "list.md", "out.bib")
    assert result.exit_code == 1
    assert "1 stale" in result.stderr
    assert "  stale: out.bib:" in result.stderr
    assert "lovelace2021tokenizers (arxiv:2101.00003) is not linked from any input any more" in result.stderr


def test_works_without_any_cache_by_matching_ids(cli, api, workdir):
    setup(cli, api, workdir)
    shutil.rmtree(workdir / "cache")
    assert cli("check", "list.md", "out.bib").exit_code == 0
    write(workdir / "list.md", LIST + "- https://arxiv.org/pdf/2101.00004v2\n")
    result = cli("check", "list.md", "out.bib")
    assert result.exit_code == 1 and "arxiv 2101.00004 has no entry" in result.stderr
    assert not (workdir / "cache").exists()  # check writes nothing
    assert api.requests() == []


def test_offline_also_compares_content_with_the_cache(cli, api, workdir):
    setup(cli, api, workdir)
    bib = workdir / "out.bib"
    bib.write_text(bib.read_text().replace("Sparse Attention for Speech", "Sparse Attention for Speech (hand edited)"))
    assert cli("check", "list.md", "out.bib").exit_code == 0  # same papers
    result = cli("check", "list.md", "out.bib", "--offline")
    assert result.exit_code == 1
    assert (
        '  differs: out.bib:1: lovelace2021sparse differs from the cache: title: "Sparse Attention for Speech (hand edited)" -> "Sparse Attention for Speech"'
        in result.stderr
    )
    assert "to update it, run: tridentbib build list.md -o out.bib" in result.stderr


def test_offline_notices_order_and_formatting(cli, api, workdir):
    setup(cli, api, workdir)
    bib = workdir / "out.bib"
    first, second = bib.read_text().split("\n\n")
    bib.write_text(second.rstrip("\n") + "\n\n" + first + "\n")
    assert cli("check", "list.md", "out.bib").exit_code == 0
    result = cli("check", "list.md", "out.bib", "--offline")
    assert result.exit_code == 1
    assert "out.bib holds the same entries but not as build writes them (order or formatting)" in result.stderr


def test_offline_fails_when_the_cache_cannot_reproduce_the_file(cli, api, workdir):
    setup(cli, api, workdir)
    (workdir / "cache" / "arxiv" / "2101.00003.json").unlink()
    assert cli("check", "list.md", "out.bib").exit_code == 0
    result = cli("check", "list.md", "out.bib", "--offline")
    assert result.exit_code == 1
    assert "1 link(s) have no record in the cache (cache); the cache cannot reproduce out.bib" in result.stderr
    assert api.requests() == []


def test_links_the_service_does_not_know_are_not_expected(cli, api, workdir):
    setup(cli, api, workdir, LIST + "- https://arxiv.org/abs/2212.99999\n", exit_code=1)
    assert cli("check", "list.md", "out.bib", "--offline").exit_code == 0


def test_a_missing_output_fails_with_the_command_to_create_it(cli, api, workdir):
    write(workdir / "list.md", LIST)
    result = cli("check", "list.md", "papers.bib", "--cache-dir", "refs cache")
    assert result.exit_code == 1
    assert "tridentbib: papers.bib does not exist" in result.stderr
    assert "to create it, run: tridentbib build list.md -o papers.bib --cache-dir 'refs cache'" in result.stderr


def test_several_inputs_and_bad_arguments(cli, api, workdir):
    setup(cli, api, workdir, "- https://arxiv.org/abs/2101.00002\n")
    write(workdir / "more.txt", "2101.00003\n")
    assert cli("build", "list.md", "more.txt", "-o", "out.bib").exit_code == 0
    assert cli("check", "list.md", "more.txt", "out.bib").exit_code == 0
    assert cli("check", "list.md", "out.bib").exit_code == 1
    assert cli("check", "out.bib").exit_code == 2
    assert cli("check", "list.md", "more.txt").exit_code == 2
    write(workdir / "broken.bib", "@misc{a, title = {unclosed\n")
    result = cli("check", "list.md", "broken.bib")
    assert result.exit_code == 2 and "broken.bib:1: cannot parse" in result.stderr


def test_the_readme_documents_the_maintainer_commands_and_options():
    """check, cache stats/prune and build's refresh/report options each have their README section or row."""
    from pathlib import Path

    import typer

    from tridentbib.cli import app

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    root = typer.main.get_command(app)
    wanted = {
        ("build",): {"--max-age", "--changes", "--dry-run", "--report", "--quiet"},
        ("check",): None,
        ("cache", "stats"): None,
        ("cache", "prune"): None,
    }
    for path, options in wanted.items():
        command = root
        for name in path:
            command = command.commands[name]
        assert f"### `tridentbib {' '.join(path)}" in readme, path
        for param in command.params:
            if param.param_type_name != "option" or param.name == "help":
                continue
            if options is None or set(param.opts) & options:
                assert any(f"`{flag}" in readme for flag in param.opts), (path, param.opts)
