"""A committed copy of this working tree, for tools that install tridentbib from a git repository.

pre-commit (``repo:`` + ``rev:``) and the GitHub Action (``github.action_path``) install
the package from a checkout of this repository. The tests must see the working tree as it
is, uncommitted edits included, so they copy it -- every file git tracks or would track
(``git ls-files -co --exclude-standard``), deleted files left out -- into a new repository
and commit it there. tests/ is left out (30 MB of fixtures; no installer reads it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: git as the tests run it: no user or system configuration (no signing, no hooks path), a fixed identity
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "tridentbib tests",
    "GIT_AUTHOR_EMAIL": "tests@tridentbib.invalid",
    "GIT_COMMITTER_NAME": "tridentbib tests",
    "GIT_COMMITTER_EMAIL": "tests@tridentbib.invalid",
}


def git_env(home: Path) -> dict[str, str]:
    """The environment for git and the tools that call it, with ``home`` as an empty global configuration."""
    config = home / "gitconfig"
    if not config.exists():
        home.mkdir(parents=True, exist_ok=True)
        config.write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n", encoding="utf-8")
    return {**os.environ, **GIT_ENV, "GIT_CONFIG_GLOBAL": str(config)}


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def source_files() -> list[str]:
    """The working tree's files as git sees them: tracked and untracked-but-not-ignored, minus tests/."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    names = [name for name in listed.decode("utf-8").split("\0") if name]
    return sorted(name for name in names if not name.startswith("tests/") and (ROOT / name).is_file())


def committed_copy(dest: Path, env: dict[str, str]) -> str:
    """Copy the working tree's source files into ``dest``, commit them there, return the commit."""
    dest.mkdir(parents=True)
    for name in source_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git(dest, "init", "-q", env=env)
    git(dest, "add", "-A", env=env)
    git(dest, "commit", "-q", "-m", "working tree of tridentbib, for the tests", env=env)
    return git(dest, "rev-parse", "HEAD", env=env).strip()
