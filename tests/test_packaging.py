"""What PyPI and pipx see: one version everywhere, complete metadata, a licence, a changelog.

The version is written once, ``tridentbib.__version__``; setuptools reads it
(``dynamic = ["version"]``), and ``--version``, the installed metadata and the report's
``tool`` field all agree with it. ``.ci/run`` builds the sdist and wheel and runs
``twine check --strict`` on them; these tests hold the sources those come from.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import write
from fakeapi.arxiv import ArxivPaper
from tridentbib import __version__

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def test_the_version_is_written_once_and_read_by_setuptools():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "tridentbib.__version__"}
    installed = importlib.metadata.version("tridentbib")
    assert installed == __version__, f"installed metadata says {installed}: reinstall (pip install -e '.[test]')"


def test_version_flag_report_and_bib_agree(cli, api, workdir):
    done = subprocess.run([sys.executable, "-m", "tridentbib", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == f"tridentbib {__version__}\n"
    api.arxiv.add_paper(ArxivPaper("2101.00002", title="Sparse Attention for Speech", published="2021-01-04T18:00:00Z"))
    write(workdir / "list.md", "- https://arxiv.org/abs/2101.00002\n")
    assert cli("build", "list.md", "-o", "out.bib", "--report", "report.json").exit_code == 0
    assert json.loads((workdir / "report.json").read_text(encoding="utf-8"))["tool"] == f"tridentbib {__version__}"
    bib = (workdir / "out.bib").read_text(encoding="utf-8")
    stamps = re.findall(r"tridentbib[ /]v?(\d+\.\d+\S*)", bib)  # a header comment, if the writer ever adds one
    assert all(stamp == __version__ for stamp in stamps), stamps


def test_the_changelog_starts_at_this_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n") and "Keep a Changelog" in text
    releases = re.findall(r"^## \[(\d[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", text, flags=re.MULTILINE)
    assert releases and releases[0][0] == __version__, releases
    assert f"[{__version__}]: https://github.com/" in text


def test_the_metadata_is_fit_for_pypi():
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n") and "Copyright (c)" in licence and "the tridentbib authors" in licence
    assert PROJECT["readme"] == "README.md" and PROJECT["requires-python"] == ">=3.11"
    assert {"bibtex", "arxiv", "awesome-list"} <= set(PROJECT["keywords"])
    classifiers = PROJECT["classifiers"]
    assert "Programming Language :: Python :: 3.11" in classifiers and "Environment :: Console" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # the SPDX `license` replaces them (PEP 639)
    urls = PROJECT["urls"]
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(urls)
    owners = {re.match(r"https://github\.com/([^/]+)/tridentbib\b", url).group(1) for url in urls.values()}
    assert len(owners) == 1  # one owner everywhere; the README's snippets name it too
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (owner,) = owners
    assert f"uses: {owner}/tridentbib@v{__version__}" in readme
    assert f"repo: https://github.com/{owner}/tridentbib" in readme and f"rev: v{__version__}" in readme
    assert PROJECT["scripts"] == {"tridentbib": "tridentbib.cli:main"}
    assert {"build", "twine"} <= {re.split(r"[<>=\[ ]", d)[0] for d in PROJECT["optional-dependencies"]["dev"]}


def test_the_sdist_leaves_the_test_suite_out_and_takes_the_changelog():
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").splitlines()
    assert "prune tests" in manifest and "include CHANGELOG.md" in manifest
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m build" in ci and "twine check --strict" in ci
