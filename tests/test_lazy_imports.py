"""A warm run loads no network or lock library: start-up time and memory are the user's.

The HTTP stack (httpx, tenacity), the feed parser (lxml, arxiv.py and its requests)
and the key file's lock (filelock) are imported where they are used. A run that the
cache answers entirely never reaches those places; this keeps it so, in a fresh
process, as a user runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FAST, write
from fakeapi import ArxivPaper, FakeAPI

NETWORK_AND_LOCK = {"httpx", "httpcore", "tenacity", "lxml", "arxiv", "requests", "filelock"}

#: runs the CLI in this process, then prints which of the packages above it loaded
WARM_RUN = f"""
import sys
from tridentbib.cli import main
sys.argv = ["tridentbib", "build", "list.md", "-o", "out.bib"]
try:
    main()
except SystemExit as done:
    print("exit", done.code)
print(sorted({{name.split(".")[0] for name in sys.modules}} & set({sorted(NETWORK_AND_LOCK)!r})))
"""


def test_a_warm_run_imports_no_network_or_lock_library(tmp_path: Path) -> None:
    with FakeAPI() as api:
        api.arxiv.add_paper(
            ArxivPaper(
                "2301.02111",
                title="Neural Codec Language Models",
                authors=["Chengyi Wang"],
                published="2023-01-05T18:00:00Z",
            )
        )
        write(
            tmp_path / "list.md",
            "| Date | Paper | Link |\n|---|---|---|\n| 2023-01 | VALL-E | [paper](https://arxiv.org/abs/2301.02111) |\n"
            # a lab PDF: the title route's answers (S2, dblp, arXiv title search: none) come from the cache too
            "\n- **An Invented Lab Report on Codecs.** A. Author, 2021. [pdf](https://lab.example.edu/report.pdf)\n",
        )
        env = {**os.environ, **api.env(), **FAST}
        cold = subprocess.run(
            [sys.executable, "-m", "tridentbib", "build", "list.md", "-o", "out.bib"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cold.returncode == 0, cold.stderr
        asked = len(api.log)
        warm = subprocess.run(
            [sys.executable, "-c", WARM_RUN], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert len(api.log) == asked  # the cache answered everything
    assert warm.returncode == 0, warm.stderr
    exit_line, loaded = warm.stdout.strip().splitlines()[-2:]
    assert exit_line == "exit 0"
    assert loaded == "[]", f"a warm run imported {loaded}"


#: runs ``tridentbib --help`` in this process, then prints which heavy packages it loaded
HELP_RUN = f"""
import contextlib, io, sys
from tridentbib.cli import main
sys.argv = ["tridentbib", "--help"]
try:
    with contextlib.redirect_stdout(io.StringIO()):
        main()
except SystemExit as done:
    print("exit", done.code)
print(sorted({{name.split(".")[0] for name in sys.modules}} & set({sorted(NETWORK_AND_LOCK | {"rich", "markdown_it", "bibtexparser", "pydantic"})!r})))
"""


def test_help_imports_no_network_lock_rich_or_parser_library(tmp_path: Path) -> None:
    """``tridentbib --help`` stays fast (0.3 s was the target): plain help, and no command's libraries."""
    done = subprocess.run([sys.executable, "-c", HELP_RUN], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    exit_line, loaded = done.stdout.strip().splitlines()[-2:]
    assert exit_line == "exit 0"
    assert loaded == "[]", f"tridentbib --help imported {loaded}"
