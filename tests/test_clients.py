"""The programs that read our .bib accept it: ``bibtex`` (plain style, ``\\nocite{*}``) and ``biber --tool --validate-datamodel``.

Run where they are installed, skipped with the reason where not; ``scripts/check-clients``
installs them (Debian: texlive-binaries, texlive-base, biber) and runs this file. The
functions here are also what that script runs on any .bib given to it.

biber's tool mode reads the file without biblatex's driver source map, which is what
maps ``archivePrefix`` to ``eprinttype`` in a real document; there it warns that
``archiveprefix`` is not in its data model. We write ``archivePrefix`` on purpose
(natbib-era styles and Zotero read it), so that warning, and only that one, is allowed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import write

#: biber warnings that are expected in tool mode (see the module docstring)
ALLOWED_BIBER_WARNINGS = (re.compile(r"Datamodel: Entry '[^']*' \([^)]*\): Field 'archiveprefix' invalid in data model - ignoring$"),)

AUX = "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n"


def bibtex_missing() -> str:
    """Why bibtex cannot run here ("" when it can)."""
    if shutil.which("bibtex") is None:
        return "bibtex is not installed (Debian: apt-get install texlive-binaries texlive-base; or run scripts/check-clients)"
    found = subprocess.run(["kpsewhich", "plain.bst"], capture_output=True, text=True) if shutil.which("kpsewhich") else None
    if found is None or found.returncode != 0 or not found.stdout.strip():
        return "bibtex is installed but plain.bst is not (Debian: apt-get install texlive-base)"
    return ""


def biber_missing() -> str:
    """Why biber cannot run here ("" when it can)."""
    return "" if shutil.which("biber") else "biber is not installed (Debian: apt-get install biber; or run scripts/check-clients)"


def run_bibtex(bib_text: str) -> tuple[list[str], list[str], str]:
    """(errors, warnings, log) of plain BibTeX over every entry of ``bib_text``."""
    with tempfile.TemporaryDirectory(prefix="tridentbib-bibtex-") as folder:
        where = Path(folder)
        (where / "refs.bib").write_text(bib_text, encoding="utf-8")
        (where / "check.aux").write_text(AUX, encoding="utf-8")
        done = subprocess.run(["bibtex", "check"], cwd=where, capture_output=True, text=True, errors="replace", timeout=120)
        log = done.stdout + done.stderr
        blg = (where / "check.blg").read_text(encoding="utf-8", errors="replace") if (where / "check.blg").exists() else ""
    counted = re.search(r"\(There (?:was|were) (\d+|one) error messages?\)", log)
    errors = [line for line in log.splitlines() if re.match(r"^(I was expecting|I'm skipping|You're missing|Repeated entry|I couldn't open|Illegal, |.*---line \d+ of file)", line)]
    if counted and not errors:
        errors = [counted.group(0)]
    if done.returncode >= 2 and not errors:
        errors = [f"bibtex exited with status {done.returncode}"]
    warnings = [line for line in log.splitlines() if line.startswith("Warning--")]
    return errors, warnings, log + blg


def run_biber(bib_text: str) -> tuple[list[str], list[str], str]:
    """(errors, warnings not allowed, log) of ``biber --tool --validate-datamodel`` over ``bib_text``."""
    with tempfile.TemporaryDirectory(prefix="tridentbib-biber-") as folder:
        where = Path(folder)
        (where / "refs.bib").write_text(bib_text, encoding="utf-8")
        done = subprocess.run(["biber", "--tool", "--validate-datamodel", "refs.bib"], cwd=where, capture_output=True, text=True, errors="replace", timeout=300)
    log = done.stdout + done.stderr
    errors = [line for line in log.splitlines() if line.startswith("ERROR - ")]
    if done.returncode != 0 and not errors:
        errors = [f"biber exited with status {done.returncode}"]
    warnings = [line[len("WARN - ") :] for line in log.splitlines() if line.startswith("WARN - ")]
    unexpected = [w for w in warnings if not any(p.match(w) for p in ALLOWED_BIBER_WARNINGS)]
    return errors, unexpected, log


# -- the outputs to check ---------------------------------------------------------


@pytest.fixture(params=["utf8", "ascii"])
def built(request, cli, api, workdir) -> str:
    """The seed's rows and citation blocks plus the hostile papers, built as UTF-8 and with --ascii."""
    from test_merge_blocks import ROWS, SEED_BLOCKS, register_seed_papers
    from test_output_fidelity import HOSTILE, LIST

    register_seed_papers(api)
    for paper in HOSTILE:
        api.arxiv.add_paper(paper)
    extra = "```\n@misc{handwritten, title={50% of R&D: x_1 and $x_1$}, author={M{\\\"u}ller, J{\\\"o}rg and others}, year={2020}, month={Feb}}\n```\n"
    write(workdir / "list.md", ROWS + LIST + SEED_BLOCKS + extra)
    flags = ["--ascii"] if request.param == "ascii" else []
    result = cli("build", "list.md", "-o", "out.bib", *flags)
    assert result.exit_code == 0, result.output
    return (workdir / "out.bib").read_text(encoding="utf-8")


@pytest.mark.clients
@pytest.mark.skipif(bool(bibtex_missing()), reason=bibtex_missing())
def test_plain_bibtex_reads_every_entry_without_errors(built):
    errors, warnings, log = run_bibtex(built)
    assert errors == [], log
    assert "Database file #1: refs.bib" in log


@pytest.mark.clients
@pytest.mark.skipif(bool(biber_missing()), reason=biber_missing())
def test_biber_validates_every_entry_against_its_data_model(built):
    errors, unexpected, log = run_biber(built)
    assert errors == [], log
    assert unexpected == [], log


@pytest.mark.clients
def test_the_checks_catch_a_broken_file():
    """The checkers are not vacuous: a file with a real error fails them."""
    broken = "@misc{a, title = {unbalanced}\n@misc{b, title = {x}}\n@misc{b, title = {again}}\n"
    if not bibtex_missing():
        errors, _warnings, _log = run_bibtex(broken)
        assert any("line 2 of file refs.bib" in e for e in errors) and any(e.startswith("Repeated entry") for e in errors)
    if not biber_missing():
        _errors, unexpected, _log = run_biber("@misc{a, title = {x}, booktitle = {y}, year = {2020}}\n")
        assert unexpected == ["Datamodel: Entry 'a' (refs.bib): Invalid field 'booktitle' for entrytype 'misc'"]
    if bibtex_missing() and biber_missing():
        pytest.skip(f"{bibtex_missing()}; {biber_missing()}")
