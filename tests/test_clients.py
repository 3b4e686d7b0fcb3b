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
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import write

#: biber warnings that are expected in tool mode (see the module docstring)
ALLOWED_BIBER_WARNINGS = (
    re.compile(r"Datamodel: Entry '[^']*' \([^)]*\): Field 'archiveprefix' invalid in data model - ignoring$"),
)

AUX = "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n"


def bibtex_missing() -> str:
    """Why bibtex cannot run here ("" when it can)."""
    if shutil.which("bibtex") is None:
        return "bibtex is not installed (Debian: apt-get install texlive-binaries texlive-base; or run scripts/check-clients)"
    found = (
        subprocess.run(["kpsewhich", "plain.bst"], capture_output=True, text=True)
        if shutil.which("kpsewhich")
        else None
    )
    if found is None or found.returncode != 0 or not found.stdout.strip():
        return "bibtex is installed but plain.bst is not (Debian: apt-get install texlive-base)"
    return ""


def biber_missing() -> str:
    """Why biber cannot run here ("" when it can)."""
    return (
        ""
        if shutil.which("biber")
        else "biber is not installed (Debian: apt-get install biber; or run scripts/check-clients)"
    )


def run_bibtex(bib_text: str) -> tuple[list[str], list[str], str]:
    """(errors, warnings, log) of plain BibTeX over every entry of ``bib_text``."""
    with tempfile.TemporaryDirectory(prefix="tridentbib-bibtex-") as folder:
        where = Path(folder)
        (where / "refs.bib").write_text(bib_text, encoding="utf-8")
        (where / "check.aux").write_text(AUX, encoding="utf-8")
        done = subprocess.run(
            ["bibtex", "check"], cwd=where, capture_output=True, text=True, errors="replace", timeout=120
        )
        log = done.stdout + done.stderr
        blg = (
            (where / "check.blg").read_text(encoding="utf-8", errors="replace")
            if (where / "check.blg").exists()
            else ""
        )
    counted = re.search(r"\(There (?:was|were) (\d+|one) error messages?\)", log)
    errors = [
        line
        for line in log.splitlines()
        if re.match(
            r"^(I was expecting|I'm skipping|You're missing|Repeated entry|I couldn't open|Illegal, |.*---line \d+ of file)",
            line,
        )
    ]
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
        done = subprocess.run(
            ["biber", "--tool", "--validate-datamodel", "refs.bib"],
            cwd=where,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=300,
        )
    log = done.stdout + done.stderr
    errors = [line for line in log.splitlines() if line.startswith("ERROR - ")]
    if done.returncode != 0 and not errors:
        errors = [f"biber exited with status {done.returncode}"]
    warnings = [line[len("WARN - ") :] for line in log.splitlines() if line.startswith("WARN - ")]
    unexpected = [w for w in warnings if not any(p.match(w) for p in ALLOWED_BIBER_WARNINGS)]
    return errors, unexpected, log


#: the styles a document is compiled with: BibTeX styles, and biblatex through biber
STYLES = ("plain", "plainnat", "IEEEtran", "biblatex")
_PREAMBLE = "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{url}\n"
_DOCUMENTS = {
    "biblatex": _PREAMBLE
    + "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n",
    "plainnat": _PREAMBLE
    + "\\usepackage{natbib}\n\\begin{document}\n\\nocite{*}\n\\bibliographystyle{plainnat}\n\\bibliography{refs}\n\\end{document}\n",
}


def latex_missing(style: str) -> str:
    """Why a document cannot be compiled with ``style`` here ("" when it can)."""
    if shutil.which("pdflatex") is None:
        return "pdflatex is not installed (Debian: apt-get install texlive-latex-base texlive-latex-recommended)"
    needed = {"plain": "plain.bst", "plainnat": "plainnat.bst", "IEEEtran": "IEEEtran.bst", "biblatex": "biblatex.sty"}[
        style
    ]
    found = subprocess.run(["kpsewhich", needed], capture_output=True, text=True)
    if found.returncode != 0 or not found.stdout.strip():
        return f"{needed} is not installed (Debian: texlive-publishers for IEEEtran, texlive-bibtex-extra for biblatex)"
    if style == "biblatex" and shutil.which("biber") is None:
        return "biber is not installed (Debian: apt-get install biber)"
    return ""


def compile_document(bib_text: str, style: str) -> tuple[list[str], str]:
    """(errors, logs) of pdflatex -> bibtex/biber -> pdflatex x2 over a document citing every entry in ``style``."""
    document = (
        _DOCUMENTS.get(style)
        or _PREAMBLE
        + "\\begin{document}\n\\nocite{*}\n\\bibliographystyle{%s}\n\\bibliography{refs}\n\\end{document}\n" % style
    )
    latex = ["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "doc.tex"]
    with tempfile.TemporaryDirectory(prefix="tridentbib-latex-") as folder:
        where = Path(folder)
        (where / "refs.bib").write_text(bib_text, encoding="utf-8")
        (where / "doc.tex").write_text(document, encoding="utf-8")
        steps = [latex, ["biber", "doc"] if style == "biblatex" else ["bibtex", "doc"], latex, latex]
        logs, errors = [], []
        for step in steps:
            done = subprocess.run(step, cwd=where, capture_output=True, text=True, errors="replace", timeout=300)
            logs.append(done.stdout + done.stderr)
            if step[0] == "bibtex":
                errors += [
                    line
                    for line in logs[-1].splitlines()
                    if re.match(
                        r"^(I was expecting|I'm skipping|You're missing|Repeated entry|I couldn't open|Illegal, |.*---line \d+ of file)",
                        line,
                    )
                ]
            elif step[0] == "biber":
                errors += [line for line in logs[-1].splitlines() if line.startswith("ERROR - ")]
        final = (
            (where / "doc.log").read_text(encoding="utf-8", errors="replace") if (where / "doc.log").exists() else ""
        )
    errors += [line for line in final.splitlines() if line.startswith("! ")]
    if "Output written on doc.pdf" not in final:
        errors.append("no PDF was written")
    return errors, "\n".join(logs) + final


# -- the outputs to check ---------------------------------------------------------


@pytest.fixture(params=["utf8", "ascii"])
def built(request, cli, api, workdir) -> str:
    """The seed's rows and citation blocks plus the hostile papers, built as UTF-8 and with --ascii."""
    from test_merge_blocks import ROWS, SEED_BLOCKS, register_seed_papers
    from test_output_fidelity import HOSTILE, LIST

    register_seed_papers(api)
    for paper in HOSTILE:
        api.arxiv.add_paper(paper)
    extra = '```\n@misc{handwritten, title={50% of R&D: x_1 and $x_1$}, author={M{\\"u}ller, J{\\"o}rg and others}, year={2020}, month={Feb}}\n```\n'
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
        assert any("line 2 of file refs.bib" in e for e in errors) and any(
            e.startswith("Repeated entry") for e in errors
        )
    if not biber_missing():
        _errors, unexpected, _log = run_biber("@misc{a, title = {x}, booktitle = {y}, year = {2020}}\n")
        assert unexpected == ["Datamodel: Entry 'a' (refs.bib): Invalid field 'booktitle' for entrytype 'misc'"]
    if bibtex_missing() and biber_missing():
        pytest.skip(f"{bibtex_missing()}; {biber_missing()}")


@pytest.fixture
def default_output(cli, api, workdir) -> str:
    """The seed's rows and citation blocks plus the hostile papers, built with the default options.

    CJK names are left out: pdflatex's default fonts have no CJK, and no LaTeX
    spelling makes them print there (they stay UTF-8; see the README).
    """
    from test_merge_blocks import ROWS, SEED_BLOCKS, register_seed_papers
    from test_output_fidelity import HOSTILE, LIST

    register_seed_papers(api)
    for paper in HOSTILE:
        api.arxiv.add_paper(
            replace(
                paper,
                authors=[
                    author
                    for author in paper.authors
                    if author[0].isascii() or not any("\u4e00" <= c <= "\u9fff" for c in author[0])
                ],
            )
        )
    extra = '```\n@misc{handwritten, title={50% of R&D: x_1 and $x_1$ for $ω$-regular {\\L}ukasz}, author={M{\\"u}ller, J{\\"o}rg and others}, year={2020}, month={Feb}}\n```\n'
    write(
        workdir / "list.md",
        ROWS
        + LIST
        + SEED_BLOCKS
        + extra
        + "\n| Date | Title | Link |\n|---|---|---|\n| 2024-02 | A Blog Post Without Authors | [blog](https://example.org/post) |\n",
    )
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    return (workdir / "out.bib").read_text(encoding="utf-8")


@pytest.mark.clients
@pytest.mark.parametrize("style", STYLES)
def test_the_default_output_compiles_without_errors_in_every_style(default_output, style):
    if latex_missing(style):
        pytest.skip(latex_missing(style))
    errors, log = compile_document(default_output, style)
    assert errors == [], log[-6000:]


@pytest.mark.clients
def test_the_compile_check_catches_a_character_pdflatex_cannot_print():
    """Not vacuous: raw Greek in a title is an error for pdflatex's default fonts."""
    if latex_missing("plain"):
        pytest.skip(latex_missing("plain"))
    errors, _log = compile_document("@misc{a, title = {The ω Test}, author = {Doe, Jane}, year = {2020}}\n", "plain")
    assert any("Unicode character" in error or error.startswith("! ") for error in errors), errors
