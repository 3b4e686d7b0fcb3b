"""Shared fixtures: a fake API server on 127.0.0.1 and a way to run the real CLI against it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from fakeapi import FakeAPI
from tridentbib.cli import app

FIXTURES = Path(__file__).parent / "fixtures"

#: No politeness delays in tests unless a test sets its own.
FAST = {
    "TRIDENTBIB_ARXIV_DELAY": "0",
    "TRIDENTBIB_DBLP_DELAY": "0",
    "TRIDENTBIB_OPENREVIEW_DELAY": "0",
    "TRIDENTBIB_ACL_DELAY": "0",
    "TRIDENTBIB_S2_DELAY": "0",
    "TRIDENTBIB_CROSSREF_DELAY": "0",
    "TRIDENTBIB_DATACITE_DELAY": "0",
    "TRIDENTBIB_NEURIPS_DELAY": "0",
    "TRIDENTBIB_PMLR_DELAY": "0",
    "TRIDENTBIB_JMLR_DELAY": "0",
    "TRIDENTBIB_CVF_DELAY": "0",
    "TRIDENTBIB_ISCA_DELAY": "0",
    #: no venue lookups (one Semantic Scholar request per run by default) unless a test asks: tests/test_venues.py
    "TRIDENTBIB_VENUES": "off",
}


@pytest.fixture(autouse=True)
def _fresh_breakers() -> None:
    """Every test starts with every service's circuit breaker closed (a run resets them too; clients made directly do not)."""
    from tridentbib.http import reset_breakers

    reset_breakers()


@pytest.fixture
def api() -> FakeAPI:
    """A running fake server with every verbatim arXiv fixture entry registered."""
    with FakeAPI() as server:
        server.arxiv.load_fixture_entries()
        yield server


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a temporary directory, so the default ./cache is the test's own."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


CliRun = Callable[..., object]


@pytest.fixture
def cli(api: FakeAPI, workdir: Path) -> CliRun:
    """``cli("build", "list.md", "-o", "out.bib", env={...})`` -> typer Result, pointed at the fake API."""

    def invoke(*args: str, env: dict[str, str] | None = None):
        environment = {**api.env(), **FAST, **(env or {})}
        return CliRunner().invoke(app, list(args), env=environment)

    return invoke


def write(path: Path, text: str) -> Path:
    """Write a test input file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path
