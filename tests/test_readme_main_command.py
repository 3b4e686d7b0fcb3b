"""The README's main command works on a fresh clone with no network, and writes the committed example."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_command_rebuilds_the_example_from_the_committed_cache(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "tridentbib build examples/reading-list.md -o reading-list.bib --offline"
    assert command in readme  # the command this test runs is the one the README gives
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "cache", tmp_path / "cache")  # a copy: the run must not need to write the repository's
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIDENTBIB_")}
    done = subprocess.run(
        [sys.executable, "-m", "tridentbib", *command.split()[1:]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "reading-list.bib").read_bytes() == (ROOT / "examples" / "reading-list.bib").read_bytes()
    assert "0 failed" in done.stderr.splitlines()[0]
