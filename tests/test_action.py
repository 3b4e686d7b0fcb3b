"""action.yml, the composite GitHub Action: its steps run here as a runner would run them.

A small runner stands in for GitHub's: it reads action.yml, fills in ``${{ inputs.* }}``
(defaults included), ``${{ github.action_path }}`` and ``${{ runner.temp }}``, runs each
step's ``run:`` with ``bash --noprofile --norc -eo pipefail`` (GitHub's ``shell: bash``)
and the step's ``env:``, with GITHUB_OUTPUT pointing at a file, and then computes the
action's outputs from the steps' outputs. Every service URL points at the fake server.

Most tests skip the install step (it pip-installs the checkout into a new environment)
and put this test environment's ``tridentbib`` where that step would; one test, marked
``action``, runs it too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from checkout import ROOT, committed_copy, git_env
from conftest import FAST, write
from fakeapi import ArxivPaper, FakeAPI

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (pip install -e '.[test]')")
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class Run:
    code: int  # the exit code of the step that failed, or 0
    log: str  # every step's output, stdout and stderr
    outputs: dict[str, str]  # the action's outputs
    steps: list[str]  # names of the steps that ran


def run_action(
    workspace: Path,
    runner_temp: Path,
    inputs: dict[str, str],
    env: dict[str, str],
    action_path: Path = ROOT,
    install: bool = False,
) -> Run:
    """Run action.yml's steps in ``workspace`` as a runner would; stop at the first failing step."""
    declared = ACTION["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"not inputs of action.yml: {unknown}"
    values = {name: inputs.get(name, spec.get("default", "")) for name, spec in declared.items()}
    step_outputs: dict[str, dict[str, str]] = {}

    def evaluate(expression: str) -> str:
        scope, _, rest = expression.partition(".")
        if scope == "inputs":
            return values[rest]
        if expression == "github.action_path":
            return str(action_path)
        if expression == "runner.temp":
            return str(runner_temp)
        if scope == "steps":
            step, kind, name = rest.split(".")
            assert kind == "outputs", expression
            return step_outputs.get(step, {}).get(name, "")
        raise AssertionError(f"action.yml uses an expression this runner does not know: {expression}")

    def expand(text: object) -> str:
        return EXPRESSION.sub(lambda m: evaluate(m.group(1)), str(text))

    assert ACTION["runs"]["using"] == "composite"
    log, names = [], []
    for number, step in enumerate(ACTION["runs"]["steps"]):
        name = expand(step.get("name", f"step {number}"))
        if not install and 'action-run" install' in step["run"]:
            continue
        assert step["shell"] == "bash"
        output_file = runner_temp / f"output-{number}"
        output_file.write_text("", encoding="utf-8")
        script = runner_temp / f"step-{number}.sh"
        script.write_text(expand(step["run"]), encoding="utf-8")
        step_env = {
            **env,
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(runner_temp / "summary.md"),
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(runner_temp),
            **{key: expand(value) for key, value in (step.get("env") or {}).items()},
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        log.append(f"== {name}\n{done.stdout}{done.stderr}")
        names.append(name)
        outputs = dict(line.split("=", 1) for line in output_file.read_text(encoding="utf-8").splitlines() if line)
        if "id" in step:
            step_outputs[step["id"]] = outputs
        if done.returncode != 0:
            return Run(done.returncode, "".join(log), {}, names)
    action_outputs = {name: expand(spec["value"]) for name, spec in ACTION["outputs"].items()}
    return Run(0, "".join(log), action_outputs, names)


@pytest.fixture
def runner(tmp_path: Path):
    """(workspace, runner temp dir, the fake API, env): the tool this test environment has, where the install step puts it."""
    workspace, temp = tmp_path / "workspace", tmp_path / "runner-temp"
    workspace.mkdir()
    bin_dir = temp / "tridentbib-action" / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "tridentbib").symlink_to(Path(sys.executable).parent / "tridentbib")
    with FakeAPI() as api:
        api.arxiv.add_paper(
            ArxivPaper("2101.00002", title="Sparse Attention for Speech", published="2021-01-04T18:00:00Z")
        )
        api.arxiv.add_paper(
            ArxivPaper("2101.00003", title="Tokenizers All the Way Down", published="2021-01-04T18:00:00Z")
        )
        env = {
            **os.environ,
            **api.env(),
            **FAST,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        yield workspace, temp, api, env


def tool(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tridentbib", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


ONE = "# Papers\n\n- https://arxiv.org/abs/2101.00002\n"
TWO = ONE + "- https://arxiv.org/abs/2101.00003\n"


def test_action_yml_declares_the_inputs_and_outputs_of_the_contract():
    inputs = ACTION["inputs"]
    assert set(inputs) == {"list", "output", "mode", "max-age", "venues", "args"}
    assert (inputs["list"]["default"], inputs["output"]["default"], inputs["mode"]["default"]) == (
        "README.md",
        "papers.bib",
        "check",
    )
    assert str(inputs["max-age"]["default"]) == "30"
    assert {"changed", "changelog"} <= set(ACTION["outputs"])
    steps = ACTION["runs"]["steps"]
    assert all(step["shell"] == "bash" and "scripts/action-run" in step["run"] for step in steps)
    assert "${{ github.action_path }}" in json.dumps(steps)  # installed from the action's own checkout
    mapped = " ".join(str(value) for step in steps for value in (step.get("env") or {}).values())
    assert all(f"inputs.{name} }}}}" in mapped for name in inputs), mapped  # every input reaches the script
    assert os.access(ROOT / "scripts" / "action-run", os.X_OK)


def test_check_mode_passes_a_fresh_bib_and_fails_a_stale_one_naming_the_fix(runner):
    workspace, temp, api, env = runner
    write(workspace / "README.md", ONE)
    assert tool(env, workspace, "build", "README.md", "-o", "papers.bib").returncode == 0
    api.clear_log()

    fresh = run_action(workspace, temp, {}, env)
    assert fresh.code == 0, fresh.log
    assert fresh.outputs["changed"] == "false" and fresh.outputs["changelog"] == ""
    assert "tridentbib check README.md papers.bib --offline" in fresh.log
    assert "papers.bib is up to date with README.md" in fresh.log

    write(workspace / "README.md", TWO)
    stale = run_action(workspace, temp, {}, env)
    assert stale.code == 1, stale.log
    assert "arxiv 2101.00003 has no entry in papers.bib" in stale.log
    assert "tridentbib: to update it, run: tridentbib build README.md -o papers.bib" in stale.log
    assert "::error title=tridentbib::papers.bib is out of date with README.md" in stale.log
    assert api.requests() == []  # check never opens a connection


def test_refresh_mode_rebuilds_the_bib_and_says_whether_it_changed(runner):
    workspace, temp, _api, env = runner
    write(workspace / "papers.md", ONE)
    assert tool(env, workspace, "build", "papers.md", "-o", "refs.bib").returncode == 0
    write(workspace / "papers.md", TWO)

    changed = run_action(
        workspace, temp, {"list": "papers.md", "output": "refs.bib", "mode": "refresh", "max-age": "0"}, env
    )
    assert changed.code == 0, changed.log
    assert changed.outputs["changed"] == "true"
    changelog = Path(changed.outputs["changelog"])
    assert (
        changelog == temp / "tridentbib-action" / "CHANGES.md"
    )  # outside the repository: a pull request does not commit it
    assert "Added" in changelog.read_text(encoding="utf-8") and "Tokenizers All the Way Down" in changelog.read_text(
        encoding="utf-8"
    )
    assert "Tokenizers All the Way Down" in (temp / "summary.md").read_text(
        encoding="utf-8"
    )  # the job summary shows it too
    report = json.loads(Path(changed.outputs["report"]).read_text(encoding="utf-8"))
    assert report["output"] == "refs.bib" and report["summary"]["entries"] == 2
    assert "--max-age 0 --changes" in changed.log
    assert "2101.00003" in (workspace / "refs.bib").read_text(encoding="utf-8")
    assert sorted(os.listdir(workspace)) == ["cache", "papers.md", "refs.bib"]

    again = run_action(
        workspace, temp, {"list": "papers.md", "output": "refs.bib", "mode": "refresh", "max-age": ""}, env
    )
    assert again.code == 0, again.log
    assert again.outputs["changed"] == "false"
    assert "--max-age" not in again.log  # empty: only what the cache lacks
    assert Path(again.outputs["changelog"]).is_file()


def test_refresh_mode_succeeds_when_some_links_fail_and_warns(runner):
    workspace, temp, _api, env = runner
    write(workspace / "README.md", TWO + "- https://arxiv.org/abs/2101.09999\n")  # arXiv has no such paper
    run = run_action(workspace, temp, {"mode": "refresh"}, env)
    assert run.code == 0, run.log
    assert "::warning title=tridentbib::some links could not be resolved" in run.log
    assert run.outputs["changed"] == "true"  # papers.bib did not exist
    assert (workspace / "papers.bib").read_text(encoding="utf-8").count("@misc") == 2


def test_several_lists_venues_and_args_reach_the_command(runner):
    workspace, temp, _api, env = runner
    write(workspace / "a.md", ONE)
    write(workspace / "b.md", "- https://arxiv.org/abs/2101.00003\n")
    inputs = {"list": "a.md\nb.md\n", "mode": "refresh", "venues": "off", "args": "--cache-dir 'bib cache' --quiet"}
    run = run_action(workspace, temp, inputs, env)
    assert run.code == 0, run.log
    assert (
        "tridentbib build a.md b.md -o papers.bib --max-age 30" in run.log
        and "--venues off --cache-dir 'bib cache' --quiet" in run.log
    )
    assert (workspace / "bib cache" / "arxiv" / "2101.00003.json").is_file()
    checked = run_action(workspace, temp, {"list": "a.md\nb.md", "args": "--cache-dir 'bib cache'"}, env)
    assert checked.code == 0, checked.log
    assert "tridentbib check a.md b.md papers.bib --offline --cache-dir 'bib cache'" in checked.log


def test_a_mode_or_arguments_the_tool_rejects_fail_the_step(runner):
    workspace, temp, _api, env = runner
    write(workspace / "README.md", ONE)
    run = run_action(workspace, temp, {"mode": "rebuild"}, env)
    assert run.code == 2 and "mode must be check or refresh, not 'rebuild'" in run.log
    bad = run_action(workspace, temp, {"mode": "refresh", "args": "--no-such-flag"}, env)
    assert bad.code == 2 and "::error title=tridentbib::tridentbib build could not run (exit 2)" in bad.log
    assert not (workspace / "papers.bib").exists()


@pytest.mark.action
def test_the_install_step_installs_the_tool_from_the_actions_own_checkout(runner, tmp_path):
    """The whole action, install step included, from a committed copy of this working tree."""
    workspace, temp, _api, env = runner
    os.remove(temp / "tridentbib-action" / "venv" / "bin" / "tridentbib")  # let the install step make the real one
    os.rmdir(temp / "tridentbib-action" / "venv" / "bin")
    os.rmdir(temp / "tridentbib-action" / "venv")
    action_path = tmp_path / "actions" / "tridentbib"
    committed_copy(action_path, git_env(tmp_path / "home"))
    write(workspace / "README.md", ONE)
    assert tool(env, workspace, "build", "README.md", "-o", "papers.bib").returncode == 0

    run = run_action(workspace, temp, {}, env, action_path=action_path, install=True)
    assert run.code == 0, run.log
    assert run.steps == ["Install tridentbib", "tridentbib check"]
    from tridentbib import __version__

    assert f"tridentbib {__version__}" in run.log  # the install step prints the installed version
    installed = temp / "tridentbib-action" / "venv" / "bin" / "tridentbib"
    assert installed.is_file() and not installed.is_symlink()
    assert "papers.bib is up to date with README.md" in run.log and run.outputs["changed"] == "false"
