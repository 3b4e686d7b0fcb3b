"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit in a throwaway repository.

The hook repository is a committed copy of this working tree (tests/checkout.py), used as
``repo: <path>`` / ``rev: <commit>``, as a maintainer's ``.pre-commit-config.yaml`` would
name the published one. pre-commit builds the hooks' environment itself (``language:
python``: a virtualenv, then ``pip install`` of the hook repository, its dependencies from
the package index); that takes most of this file's time, once per test session. The hooks
themselves never open a connection: every service URL points at a fake server that must
see no request.

The maintainer's repository is the example list (examples/reading-list.md, as README.md)
with the committed cache, so ``tridentbib build --offline`` makes its papers.bib.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkout import ROOT, committed_copy, git, git_env
from fakeapi import FakeAPI

pytestmark = pytest.mark.precommit
pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")

FIX = "tridentbib: to update it, run: tridentbib build README.md -o papers.bib"


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory):
    """(hook repository, its commit, the environment): pre-commit's home and hook environment made once."""
    base = tmp_path_factory.mktemp("precommit")
    env = git_env(base / "home")
    env["PRE_COMMIT_HOME"] = str(base / "pre-commit-home")
    env.pop("PRE_COMMIT", None)
    env.pop("SKIP", None)
    sha = committed_copy(base / "tridentbib", env)
    return base / "tridentbib", sha, env


@pytest.fixture
def fake_api():
    with FakeAPI() as api:
        yield api


def maintainer_repo(root: Path, hook_repo: Path, sha: str, hooks_yaml: str, env: dict[str, str]) -> Path:
    """A maintainer's repository: README.md (the example list), cache/, a fresh papers.bib, the config."""
    root.mkdir()
    shutil.copy(ROOT / "examples" / "reading-list.md", root / "README.md")
    shutil.copytree(ROOT / "cache", root / "cache", ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    build(root, env)
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {sha}\n    hooks:\n{hooks_yaml}", encoding="utf-8"
    )
    git(root, "init", "-q", env=env)
    precommit(root, env, "install")
    return root


def build(root: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tridentbib", "build", "README.md", "-o", "papers.bib", "--offline", "-q"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def precommit(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def commit(root: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    """``git add -A`` then ``git commit``, which runs the installed pre-commit hook."""
    git(root, "add", "-A", env=env)
    done = subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    return done  # git passes the hook's output on to stderr: .stdout holds both


def drop_a_row(readme: Path) -> None:
    """Remove one paper's table row from the list: papers.bib then holds an entry no longer linked."""
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if "arxiv.org/abs/2202.92139" in line)
    readme.write_text("".join(lines[:row] + lines[row + 1 :]), encoding="utf-8")


def test_the_check_hook_stops_a_commit_whose_bib_is_stale_and_names_the_fix(hooks, fake_api, tmp_path):
    hook_repo, sha, base_env = hooks
    env = {**base_env, **fake_api.env()}
    hooks_yaml = "      - id: tridentbib-check\n        args: [README.md, papers.bib, --offline]\n"
    repo = maintainer_repo(tmp_path / "list", hook_repo, sha, hooks_yaml, env)
    precommit(repo, env, "install-hooks")  # the hook's environment: pip installs the hook repository

    fresh = commit(repo, env, "a reading list and its .bib")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "tridentbib check" in fresh.stdout and "Passed" in fresh.stdout

    drop_a_row(repo / "README.md")  # edit the list, forget the .bib
    stale = commit(repo, env, "drop a paper")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "Failed" in stale.stdout
    assert "papers.bib is out of date with README.md: 1 stale" in stale.stdout
    assert "stale: papers.bib:" in stale.stdout and "feldkamp2022temperature (arxiv:2202.92139" in stale.stdout
    assert FIX in stale.stdout

    build(repo, env)  # the command the hook named
    fixed = commit(repo, env, "drop a paper")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert git(repo, "status", "--porcelain", env=env) == ""
    assert fake_api.log == []  # nothing was asked of any service


def test_the_build_hook_rebuilds_the_bib_offline_and_the_check_hook_then_passes(hooks, fake_api, tmp_path):
    hook_repo, sha, base_env = hooks
    env = {**base_env, **fake_api.env()}
    hooks_yaml = "      - id: tridentbib-build\n      - id: tridentbib-check\n"  # the defaults: README.md, papers.bib
    repo = maintainer_repo(tmp_path / "list", hook_repo, sha, hooks_yaml, env)
    first = commit(repo, env, "a reading list and its .bib")
    assert first.returncode == 0, first.stdout + first.stderr
    bib = (repo / "papers.bib").read_text(encoding="utf-8")
    assert "feldkamp2022temperature" in bib

    drop_a_row(repo / "README.md")
    stopped = commit(repo, env, "drop a paper")
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert "files were modified by this hook" in stopped.stdout  # pre-commit stops the commit once
    rebuilt = (repo / "papers.bib").read_text(encoding="utf-8")
    assert "feldkamp2022temperature" not in rebuilt and rebuilt.count("@") == bib.count("@") - 1

    done = commit(repo, env, "drop a paper")  # add the rebuilt .bib and commit again
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(repo, "status", "--porcelain", env=env) == ""
    assert "feldkamp2022temperature" not in git(repo, "show", "HEAD:papers.bib", env=env)
    assert fake_api.log == []


def test_a_commit_that_touches_no_list_skips_the_hooks(hooks, fake_api, tmp_path):
    hook_repo, sha, base_env = hooks
    env = {**base_env, **fake_api.env()}
    repo = maintainer_repo(tmp_path / "list", hook_repo, sha, "      - id: tridentbib-check\n", env)
    assert commit(repo, env, "start").returncode == 0
    (repo / "notes.py").write_text("print('not a list')\n", encoding="utf-8")
    skipped = commit(repo, env, "unrelated")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "(no files to check)Skipped" in skipped.stdout
