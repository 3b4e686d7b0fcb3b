"""commands.build.run, without typer: the write policy on inline values (the CLI tests cover it end to end)."""

from __future__ import annotations

import io
import os

import pytest

from conftest import write
from tridentbib.commands.build import EXIT_FAILED_LINKS, EXIT_OK, BuildRequest, CommandError, run
from tridentbib.model import BuildResult, Entry, LinkOutcome, Outcome


def entry(key: str = "doe2024paper") -> Entry:
    return Entry(
        key=key,
        entry_type="misc",
        fields={"title": "A Paper", "author": "Doe, Jane", "year": "2024"},
        identity=frozenset({"arxiv:2401.00001"}),
        origin="arxiv",
    )


def outcome(result: str = Outcome.RESOLVED, transient: bool = False) -> LinkOutcome:
    return LinkOutcome(
        "l.md", 1, "https://arxiv.org/abs/2401.00001", "arxiv", "2401.00001", None, result, transient=transient
    )


def pipeline_giving(result: BuildResult):
    calls = []

    def pipeline(documents, settings, cache, save_keys):
        calls.append(save_keys)
        return result

    pipeline.calls = calls
    return pipeline


@pytest.fixture
def listfile(workdir):
    return write(workdir / "l.md", "- https://arxiv.org/abs/2401.00001\n")


def test_writes_the_bib_and_says_nothing_failed(listfile, workdir):
    lines: list[str] = []
    code = run(
        BuildRequest([listfile], output="out.bib", offline=True),
        pipeline_giving(BuildResult([entry()], [outcome()])),
        lines.append,
        io.StringIO(),
    )
    assert code == EXIT_OK
    assert "@misc{doe2024paper," in (workdir / "out.bib").read_text(encoding="utf-8")
    assert lines[0].startswith("tridentbib: 1 links")


def test_an_output_that_already_holds_the_text_keeps_its_mtime(listfile, workdir):
    result = BuildResult([entry()], [outcome()])
    run(
        BuildRequest([listfile], output="out.bib", offline=True),
        pipeline_giving(result),
        lambda line: None,
        io.StringIO(),
    )
    os.utime(workdir / "out.bib", (1_000_000, 1_000_000))
    run(
        BuildRequest([listfile], output="out.bib", offline=True),
        pipeline_giving(result),
        lambda line: None,
        io.StringIO(),
    )
    assert os.stat(workdir / "out.bib").st_mtime == 1_000_000


def test_an_outage_never_replaces_an_existing_file(listfile, workdir):
    write(workdir / "out.bib", "@misc{kept, title = {Kept}}\n")
    lines: list[str] = []
    result = BuildResult([entry()], [outcome(Outcome.FAILED, transient=True)])
    code = run(
        BuildRequest([listfile], output="out.bib", offline=True), pipeline_giving(result), lines.append, io.StringIO()
    )
    assert code == EXIT_FAILED_LINKS
    assert (workdir / "out.bib").read_text(encoding="utf-8") == "@misc{kept, title = {Kept}}\n"
    assert "tridentbib: some services were unavailable; out.bib left as it was (rerun to complete it)" in lines


def test_a_dry_run_writes_no_bib_and_keeps_the_keys_unsaved(listfile, workdir):
    pipeline = pipeline_giving(BuildResult([entry()], [outcome()]))
    run(
        BuildRequest([listfile], output="out.bib", offline=True, dry_run=True, report=workdir / "r.json"),
        pipeline,
        lambda line: None,
        io.StringIO(),
    )
    assert not (workdir / "out.bib").exists() and (workdir / "r.json").exists()
    assert pipeline.calls == [False]


def test_nothing_to_write_leaves_the_file(listfile, workdir):
    write(workdir / "out.bib", "old\n")
    lines: list[str] = []
    run(
        BuildRequest([listfile], output="out.bib", offline=True),
        pipeline_giving(BuildResult([], [])),
        lines.append,
        io.StringIO(),
    )
    assert (
        workdir / "out.bib"
    ).read_text() == "old\n" and "tridentbib: nothing to write; out.bib left as it was" in lines


def test_standard_output_and_the_flags_that_need_a_file(listfile):
    out = io.StringIO()
    run(
        BuildRequest([listfile], offline=True),
        pipeline_giving(BuildResult([entry()], [outcome()])),
        lambda line: None,
        out,
    )
    assert out.getvalue().startswith("@misc{doe2024paper,")
    with pytest.raises(CommandError, match="name it with -o FILE"):
        run(BuildRequest([listfile], dry_run=True), pipeline_giving(BuildResult([], [])), lambda line: None, out)


def test_an_unreadable_input_is_one_line(workdir):
    with pytest.raises(CommandError, match="no such file"):
        run(
            BuildRequest([workdir / "missing.md"]),
            pipeline_giving(BuildResult([], [])),
            lambda line: None,
            io.StringIO(),
        )
