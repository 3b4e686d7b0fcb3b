"""``--help`` says what each option takes and nothing else; shell completion installs and completes.

Typer's Rich help panels print a type for every parameter, so each flag read
``--offline <bool>`` (``--help`` included) and ``[default: 4]`` inside a help text was
taken for markup and dropped; the app uses plain help (``rich_markup_mode=None``) and
names what options take with metavars (FILE, DIR, DAYS, N).

Completion is typer's (``--install-completion`` / ``--show-completion``): a script per
shell that asks ``tridentbib`` itself for the candidates through ``_TRIDENTBIB_COMPLETE``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
COMMANDS = [(), ("build",), ("check",), ("cache",), ("cache", "stats"), ("cache", "prune")]


def tridentbib(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "COLUMNS": "120",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        **(env or {}),
    }
    return subprocess.run(
        [str(BIN / "tridentbib"), *args], env=environment, cwd=cwd, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "tridentbib")
def test_help_has_no_type_noise(command):
    done = tridentbib(*command, "--help")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("Usage: tridentbib")
    for noise in ("<bool>", "<str>", "<path>", "<float>", "<int>", "<list[Path]>", "╭"):
        assert noise not in text, f"{noise} in tridentbib {' '.join(command)} --help:\n{text}"
    assert "--help  " in text or "--help\n" in text or "--help " in text


def test_help_names_what_options_take():
    build = tridentbib("build", "--help").stdout
    for shown in (
        "-o, --output FILE",
        "--cache-dir DIR",
        "--max-age DAYS",
        "--max-retries N",
        "--changes FILE",
        "--report FILE.json",
        "--csl-json OUT.json",
        "--ascii / --utf8",
        "--venues [fast|full|off]",
    ):
        assert shown in build, shown
    assert "Usage: tridentbib build [OPTIONS] {INPUT}..." in build
    assert "Retry-After honoured) [default: 4]." in build  # Rich markup took this for a tag
    assert "--cache-dir DIR" in tridentbib("check", "--help").stdout
    assert "Usage: tridentbib cache prune [OPTIONS] [LIST]..." in tridentbib("cache", "prune", "--help").stdout


def test_version_and_completion_options_are_offered():
    root = tridentbib("--help").stdout
    for option in ("--version", "--install-completion", "--show-completion"):
        assert option in root


def test_the_completion_protocol_completes_commands_and_options():
    commands = tridentbib(
        env={"_TRIDENTBIB_COMPLETE": "complete_bash", "COMP_WORDS": "tridentbib bu", "COMP_CWORD": "1"}
    )
    assert commands.returncode == 0 and commands.stdout.split() == ["build"]
    options = tridentbib(
        env={"_TRIDENTBIB_COMPLETE": "complete_bash", "COMP_WORDS": "tridentbib build --of", "COMP_CWORD": "2"}
    )
    assert options.stdout.split() == ["--offline"]
    zsh = tridentbib(env={"_TRIDENTBIB_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "tridentbib cache pr"})
    assert '"prune":"Drop cached records' in zsh.stdout
    fish = tridentbib(
        env={
            "_TRIDENTBIB_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": "tridentbib ch",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        }
    )
    assert fish.stdout.startswith("check\t")


@pytest.mark.parametrize(
    ("shell", "script", "rc"),
    [
        ("bash", ".bash_completions/tridentbib.sh", ".bashrc"),
        ("zsh", ".zfunc/_tridentbib", ".zshrc"),
        ("fish", ".config/fish/completions/tridentbib.fish", None),
    ],
)
def test_install_completion_writes_the_shells_script(tmp_path, shell, script, rc):
    # The shell named explicitly (typer's switch for it); a user's shell is detected from the process tree.
    env = {"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    shown = tridentbib("--show-completion", shell, env=env)
    assert shown.returncode == 0 and "_TRIDENTBIB_COMPLETE" in shown.stdout
    done = tridentbib("--install-completion", shell, env=env)
    assert done.returncode == 0, done.stderr
    assert f"{shell} completion installed in" in done.stdout
    assert "_TRIDENTBIB_COMPLETE" in (tmp_path / script).read_text()
    if rc is not None:
        assert (tmp_path / rc).is_file()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_detected_installed_and_working_end_to_end(tmp_path):
    """``tridentbib --install-completion`` from bash finds bash, and the installed script completes in bash."""
    env = {**os.environ, "HOME": str(tmp_path), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", None)
    installed = subprocess.run(
        ["bash", "-c", "tridentbib --install-completion"], env=env, capture_output=True, text=True, timeout=60
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "bash completion installed in" in installed.stdout
    assert f"source '{tmp_path}/.bash_completions/tridentbib.sh'" in (tmp_path / ".bashrc").read_text()
    probe = (
        "source ~/.bash_completions/tridentbib.sh\n"
        'COMP_WORDS=(tridentbib ch); COMP_CWORD=1; _tridentbib_completion tridentbib; echo "${COMPREPLY[*]}"\n'
        'COMP_WORDS=(tridentbib build --dry); COMP_CWORD=2; _tridentbib_completion tridentbib; echo "${COMPREPLY[*]}"\n'
    )
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["check", "--dry-run"]
