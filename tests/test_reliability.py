"""Issue 9: retries, partial failure and nothing lost -- the real CLI against injected faults.

Every test runs ``tridentbib build`` (typer's CliRunner, in process) against the fake
API on 127.0.0.1 while it injects one kind of failure. Where retries suffice, the
output must equal a clean run's byte for byte; where they do not, an existing output
must stay untouched and stderr must name every paper that failed and why.

Backoff waits are shrunk with the hidden ``TRIDENTBIB_RETRY_BASE_WAIT`` so the whole
file runs in a few seconds.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import time
from pathlib import Path

import pytest

from conftest import write
from fakeapi import ArxivPaper, FakeAPI, Fault

#: tiny backoff for every test here; tests about timing set their own
QUICK = {"TRIDENTBIB_RETRY_BASE_WAIT": "0.01"}

IDS = ["2301.00001", "2301.00002", "2301.00003"]
LIST = "# Papers\n\n" + "".join(f"- [Paper {n}](https://arxiv.org/abs/{ident})\n" for n, ident in enumerate(IDS, 1))


def add_papers(api: FakeAPI, ids: list[str]) -> None:
    for n, ident in enumerate(ids, 1):
        api.arxiv.add_paper(
            ArxivPaper(
                ident,
                title=f"Reliable Paper Number {n}",
                authors=[f"Author{n} Person"],
                published=f"2023-01-{1 + n % 27:02d}T12:00:00Z",
            )
        )


def clean_output(cli, workdir: Path, listfile: str = "list.md", env: dict[str, str] | None = None) -> bytes:
    """What a fault-free run writes, built with its own cache (so the faulted run starts cold)."""
    result = cli("build", listfile, "-o", "clean.bib", "--cache-dir", "clean-cache", env={**QUICK, **(env or {})})
    assert result.exit_code == 0, result.output
    return (workdir / "clean.bib").read_bytes()


def failed_lines(stderr: str) -> dict[str, str]:
    """``arxiv ID`` -> reason, from the report's ``  list.md:N: failed: arxiv ID: reason`` lines."""
    found = {}
    for line in stderr.splitlines():
        match = re.match(r"\s+\S+:\d+: (?:failed|rejected): arxiv (\S+): (.*)$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def outage_lines(stderr: str) -> list[str]:
    """The one line per service taken as gone: ``  arxiv unavailable (...): 3 papers not resolved (lines 3, 4, 5); ...``."""
    return [
        line
        for line in stderr.splitlines()
        if re.match(r"\s+\S+ (?:unavailable|unreachable) \(.*\): \d+ papers? (?:\(\d+ links\) )?not resolved \(", line)
    ]


def cached_ids(workdir: Path, cache: str = "cache") -> set[str]:
    folder = workdir / cache / "arxiv"
    return {json.loads(p.read_text())["id"] for p in folder.glob("*.json")} if folder.is_dir() else set()


@pytest.fixture
def papers(api: FakeAPI, workdir: Path) -> Path:
    add_papers(api, IDS)
    return write(workdir / "list.md", LIST)


# --------------------------------------------------------------------------- retries suffice
@pytest.mark.parametrize(
    "faults",
    [
        pytest.param([Fault.status(503)], id="503-then-success"),
        pytest.param([Fault.status(502), Fault.status(500), Fault.status(504)], id="502-500-504-then-success"),
        pytest.param([Fault.status(429, "slow down", {"Retry-After": "0"})], id="429-then-success"),
        pytest.param([Fault.reset()], id="reset-then-success"),
        pytest.param([Fault.truncate(0.5)], id="truncated-declared-length-then-success"),
        pytest.param([Fault.html(status=503)], id="html-503-then-success"),
    ],
)
def test_retries_give_exactly_the_clean_output(cli, api, workdir, papers, faults):
    clean = clean_output(cli, workdir)
    api.clear_log()
    api.inject("arxiv", *faults)
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 0, result.output
    assert (workdir / "out.bib").read_bytes() == clean
    assert len(api.requests("arxiv")) == len(faults) + 1  # each retry is a request; no more than needed
    assert api.pending_faults("arxiv") == 0


def test_a_response_slower_than_the_read_timeout_is_retried(cli, api, workdir, papers):
    clean = clean_output(cli, workdir)
    api.clear_log()
    api.inject("arxiv", Fault.delay(6))
    started = time.monotonic()
    result = cli("build", "list.md", "-o", "out.bib", env={**QUICK, "TRIDENTBIB_READ_TIMEOUT": "0.3"})
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 5  # gave up on the slow answer instead of waiting it out
    assert (workdir / "out.bib").read_bytes() == clean
    assert len(api.requests("arxiv")) == 2


# --------------------------------------------------------------------------- Retry-After and backoff
def gaps(api: FakeAPI) -> list[float]:
    starts = [r.started for r in api.requests("arxiv")]
    return [b - a for a, b in zip(starts, starts[1:], strict=False)]


def test_retry_after_in_seconds_is_honoured(cli, api, workdir, papers):
    api.inject("arxiv", Fault.status(429, "Rate exceeded.", {"Retry-After": "1"}))
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 0, result.output
    (gap,) = gaps(api)
    assert 0.95 <= gap < 2.0, gap


def test_retry_after_as_an_http_date_is_honoured(cli, api, workdir, papers):
    when = email.utils.formatdate(time.time() + 2, usegmt=True)  # whole seconds: the wait is in (1, 2]
    api.inject("arxiv", Fault.status(503, "maintenance", {"Retry-After": when}))
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 0, result.output
    (gap,) = gaps(api)
    assert 0.9 <= gap < 2.5, gap


def test_a_hostile_retry_after_is_capped(cli, api, workdir, papers):
    api.inject(
        "arxiv",
        Fault.status(429, "", {"Retry-After": "86400"}),
        Fault.status(503, "", {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}),
    )
    started = time.monotonic()
    result = cli("build", "list.md", "-o", "out.bib", env={**QUICK, "TRIDENTBIB_MAX_RETRY_WAIT": "0.2"})
    assert result.exit_code == 0, result.output
    assert all(0.19 <= gap < 1.0 for gap in gaps(api)), gaps(api)
    assert time.monotonic() - started < 3


def test_a_garbage_or_past_retry_after_falls_back_to_backoff(cli, api, workdir, papers):
    api.inject(
        "arxiv",
        Fault.status(503, "", {"Retry-After": "soon, maybe"}),
        Fault.status(503, "", {"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}),
    )
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 0, result.output
    assert all(gap < 0.5 for gap in gaps(api)), gaps(api)


def test_backoff_is_exponential_with_jitter(cli, api, workdir, papers):
    api.inject("arxiv", *[Fault.status(503)] * 4)
    result = cli("build", "list.md", "-o", "out.bib", env={"TRIDENTBIB_RETRY_BASE_WAIT": "0.03"})
    assert result.exit_code == 0, result.output
    measured = gaps(api)
    assert len(measured) == 4
    for attempt, gap in enumerate(measured):
        base = 0.03 * 2**attempt  # the wait before retry n+1 is drawn from [base/2, base]
        assert base / 2 - 0.005 <= gap <= base + 0.15, (attempt, measured)
    assert measured[3] > measured[0] * 2


def test_pacing_holds_across_retries(cli, api, workdir, papers):
    """A retry is a request: it waits out the service's delay even when the backoff is shorter."""
    api.inject("arxiv", Fault.status(503), Fault.reset())
    result = cli("build", "list.md", "-o", "out.bib", env={**QUICK, "TRIDENTBIB_ARXIV_DELAY": "0.2"})
    assert result.exit_code == 0, result.output
    assert len(gaps(api)) == 2 and min(gaps(api)) >= 0.195, gaps(api)


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_are_never_retried(cli, api, workdir, papers, status):
    api.fail_always("arxiv", Fault.status(status, "no"))
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 1
    assert len(api.requests("arxiv")) == 1
    reasons = failed_lines(result.stderr)
    assert sorted(reasons) == IDS and all(f"HTTP {status}" in r for r in reasons.values()), result.stderr


@pytest.mark.parametrize(
    ("args", "env", "attempts"),
    [
        pytest.param([], {}, 5, id="default-4-retries"),
        pytest.param(["--max-retries", "0"], {}, 1, id="option-0"),
        pytest.param([], {"TRIDENTBIB_MAX_RETRIES": "1"}, 2, id="env-1"),
        pytest.param(["--max-retries", "3"], {"TRIDENTBIB_MAX_RETRIES": "1"}, 4, id="option-beats-env"),
    ],
)
def test_max_retries_bounds_the_attempts(cli, api, workdir, papers, args, env, attempts):
    api.fail_always("arxiv", Fault.status(503, "down"))
    result = cli("build", "list.md", "-o", "out.bib", *args, env={**QUICK, **env})
    assert result.exit_code == 1
    assert len(api.requests("arxiv")) == attempts


# --------------------------------------------------------------------------- retries do not suffice
#: (fault, reason); a 5xx on every attempt opens arXiv's circuit breaker, so its papers are one line (tests/test_circuit_breaker.py)
GIVE_UP = [
    pytest.param(Fault.status(503, "Service Unavailable"), "arxiv unavailable (HTTP 503 from ", id="503"),
    pytest.param(Fault.status(429, "Rate exceeded.", {"Retry-After": "0"}), "HTTP 429", id="429"),
    pytest.param(Fault.status(500, "oops"), "arxiv unavailable (HTTP 500 from ", id="500"),
    pytest.param(Fault.reset(), "connection failed after 3 attempts", id="reset"),
    pytest.param(Fault.truncate(0.3), "connection failed after 3 attempts", id="truncated-declared-length"),
    pytest.param(Fault.delay(1), "timed out after 3 attempts", id="slow"),
    pytest.param(Fault.html(), "HTTP 200 with an HTML page, not an Atom feed", id="html-200"),
    pytest.param(
        Fault.truncate(0.6, declare_full_length=False), "not well-formed XML", id="truncated-complete-looking-200"
    ),
]


@pytest.mark.parametrize(("fault", "reason"), GIVE_UP)
def test_when_retries_do_not_suffice_the_previous_output_is_untouched(cli, api, workdir, papers, fault, reason):
    previous = workdir / "out.bib"
    previous.write_text("@misc{mine, title = {My good file}}\n")
    os.utime(previous, (1_000_000_000, 1_000_000_000))
    api.fail_always("arxiv", fault)
    result = cli(
        "build", "list.md", "-o", "out.bib", "--max-retries", "2", env={**QUICK, "TRIDENTBIB_READ_TIMEOUT": "0.2"}
    )
    assert result.exit_code == 1, result.output
    assert previous.read_text() == "@misc{mine, title = {My good file}}\n"
    assert previous.stat().st_mtime == 1_000_000_000
    assert "out.bib left as it was" in result.stderr
    assert "changes to out.bib" not in result.stderr  # nothing changed in it: no changelog that says otherwise
    reasons = failed_lines(result.stderr)
    if reason.startswith("arxiv unavailable"):  # the service is gone: one line names its papers' lines and the reason
        (line,) = outage_lines(result.stderr)
        assert (
            reasons == {}
            and line.startswith(f"  {reason}")
            and line.endswith(
                "after 3 attempts): 3 papers not resolved (lines 3, 4, 5); try again later or use --offline"
            )
        ), result.stderr
    else:
        assert sorted(reasons) == IDS, result.stderr  # every paper named, with the reason
        assert all(reason in r for r in reasons.values()), result.stderr
    assert cached_ids(workdir) == set()  # a failure is never cached
    assert "Traceback" not in result.output
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_an_unreachable_service_fails_the_papers_and_leaves_the_output(cli, api, workdir, papers):
    write(workdir / "out.bib", "@misc{mine, title = {Keep}}\n")
    with FakeAPI() as gone:
        url = gone.env()["TRIDENTBIB_ARXIV_API_URL"]
    result = cli(
        "build", "list.md", "-o", "out.bib", "--max-retries", "1", env={**QUICK, "TRIDENTBIB_ARXIV_API_URL": url}
    )
    assert result.exit_code == 1
    assert (workdir / "out.bib").read_text() == "@misc{mine, title = {Keep}}\n"
    assert failed_lines(result.stderr) == {}
    (line,) = outage_lines(result.stderr)
    assert re.fullmatch(
        r"  arxiv unreachable \(connection refused by 127\.0\.0\.1:\d+ after 2 attempts\): 3 papers not resolved \(lines 3, 4, 5\); try again later or use --offline",
        line,
    ), line


def test_an_outage_that_leaves_the_output_prints_no_changelog_for_it(cli, api, workdir, papers):
    assert cli("build", "list.md", "-o", "out.bib").exit_code == 0
    kept = (workdir / "out.bib").read_bytes()
    next((workdir / "cache" / "arxiv").glob("2301.00002.json")).unlink()  # one record has to be fetched again...
    api.fail_always("arxiv", Fault.status(503, "down"))  # ...and arXiv is down
    result = cli("build", "list.md", "-o", "out.bib", "--max-retries", "0", env=QUICK)
    assert result.exit_code == 1
    assert (workdir / "out.bib").read_bytes() == kept
    assert "out.bib left as it was" in result.stderr
    assert "removed" not in result.stderr  # the file lost nothing
    asked = cli("build", "list.md", "-o", "out.bib", "--max-retries", "0", "--changes", "CHANGES.md", env=QUICK)
    assert "changes to out.bib: 0 added, 1 removed" in asked.stderr  # asked for: what the run would have done
    assert "> some services were unavailable; out.bib left as it was" in (workdir / "CHANGES.md").read_text()


# --------------------------------------------------------------------------- partial failure
def test_a_failed_batch_fails_only_its_own_papers(cli, api, workdir):
    ids = [f"2302.{n:05d}" for n in range(1, 151)]
    add_papers(api, ids)
    write(workdir / "list.md", "".join(f"- https://arxiv.org/abs/{i}\n" for i in ids))
    api.inject("arxiv", Fault.delay(0))  # the first batch is answered normally
    api.fail_always("arxiv", Fault.status(503, "down"))
    result = cli("build", "list.md", "-o", "out.bib", "--max-retries", "1", "--report", "report.json", env=QUICK)
    assert result.exit_code == 1
    (line,) = outage_lines(result.stderr)  # the second batch opened arXiv's breaker: its papers are one line
    assert (
        "arxiv unavailable (HTTP 503 from " in line
        and ": 50 papers not resolved (lines 101, 102, " in line
        and "and 30 more; see --report)" in line
    ), line
    failed = [
        link for link in json.loads((workdir / "report.json").read_text())["links"] if link["outcome"] == "failed"
    ]
    assert [link["id"] for link in failed] == ids[100:]  # the report names every one
    assert all("HTTP 503" in link["reason"] and link["transient"] for link in failed)
    assert cached_ids(workdir) == set(ids[:100])
    text = (workdir / "out.bib").read_text()  # no previous output: the papers that did resolve are written
    assert text.count("@misc{") == 100 and "2302.00101" not in text

    api.clear_faults()
    api.clear_log()
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)  # the rerun asks only for the 50 missing
    assert result.exit_code == 0, result.output
    (request,) = api.requests("arxiv")
    assert request.param("id_list").split(",") == ids[100:]
    assert (workdir / "out.bib").read_text().count("@misc{") == 150


def test_a_failed_refresh_keeps_the_cached_records_and_says_they_are_stale(cli, api, workdir, papers):
    assert cli("build", "list.md", "-o", "out.bib", env=QUICK).exit_code == 0
    before = (workdir / "out.bib").read_bytes()
    cache_before = {p.name: p.read_bytes() for p in (workdir / "cache" / "arxiv").iterdir()}
    api.fail_always("arxiv", Fault.status(503))
    result = cli("build", "list.md", "-o", "out.bib", "--refresh", "--max-retries", "1", env=QUICK)
    assert result.exit_code == 0, result.output  # every paper has a record
    assert (workdir / "out.bib").read_bytes() == before
    assert {p.name: p.read_bytes() for p in (workdir / "cache" / "arxiv").iterdir()} == cache_before
    stale = [line for line in result.stderr.splitlines() if ": stale: arxiv " in line]
    assert len(stale) == 3 and all(
        re.search(
            r"arxiv refresh failed: arxiv unavailable \(HTTP 503 from \S+ after 2 attempts\); kept the record of", line
        )
        for line in stale
    ), result.stderr
    assert "3 stale" in result.stderr


# --------------------------------------------------------------------------- exit codes
def test_exit_codes_say_what_happened(cli, api, workdir, papers):
    assert cli("build", "list.md", "-o", "a.bib", env=QUICK).exit_code == 0
    write(workdir / "half.md", LIST + "- https://arxiv.org/abs/2301.09999\n")
    assert cli("build", "half.md", "-o", "b.bib", env=QUICK).exit_code == 1
    for bad in (["--max-retries", "-1"], ["--max-retries", "many"], ["--no-such-option"]):
        result = cli("build", "list.md", "-o", "c.bib", *bad)
        assert result.exit_code == 2, (bad, result.output)
    result = cli("build", "list.md", "-o", "c.bib", env={"TRIDENTBIB_MAX_RETRIES": "lots"})
    assert result.exit_code == 2
    for variable, value in [
        ("TRIDENTBIB_READ_TIMEOUT", "nan"),
        ("TRIDENTBIB_ARXIV_DELAY", "inf"),
        ("TRIDENTBIB_MAX_RESPONSE_BYTES", "1e9"),
        ("TRIDENTBIB_RETRY_BASE_WAIT", "-1"),
        ("TRIDENTBIB_ARXIV_API_URL", "file:///etc/passwd"),
    ]:
        result = cli("build", "list.md", "-o", "c.bib", env={variable: value})
        assert result.exit_code == 2, (variable, result.output)
        assert result.stderr.startswith(f"tridentbib: error: {variable}=") and result.stderr.count("\n") == 1, (
            result.stderr
        )
    assert cli("build", "missing.md", "-o", "c.bib").exit_code == 2
    assert not (workdir / "c.bib").exists()
    assert api.requests("arxiv") and all(r.status == 200 for r in api.requests("arxiv"))


# --------------------------------------------------------------------------- the output file
@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_new_output_gets_the_mode_a_plain_write_gives(cli, api, workdir, papers, umask):
    old = os.umask(umask)
    try:
        (workdir / "plain.bib").write_text("x")  # what a plain open(..., "w") gives
        result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    finally:
        os.umask(old)
    assert result.exit_code == 0
    mode = (workdir / "out.bib").stat().st_mode & 0o777
    assert mode == (workdir / "plain.bib").stat().st_mode & 0o777 == 0o666 & ~umask
    for record in (workdir / "cache" / "arxiv").glob("*.json"):  # cache files too: never the temp file's 0600
        assert record.stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_existing_output_keeps_its_mode_and_a_symlink_stays_a_symlink(cli, api, workdir, papers):
    clean = clean_output(cli, workdir)
    (workdir / "shared").mkdir()
    real = write(workdir / "shared" / "refs.bib", "old\n")
    real.chmod(0o640)
    (workdir / "refs.bib").symlink_to(real)
    result = cli("build", "list.md", "-o", "refs.bib", env=QUICK)
    assert result.exit_code == 0, result.output
    assert (workdir / "refs.bib").is_symlink()
    assert real.read_bytes() == clean
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (workdir / "shared").iterdir()) == ["refs.bib"]


def test_a_run_that_fails_never_replaces_a_good_output(cli, api, workdir, papers):
    good = workdir / "out.bib"
    assert cli("build", "list.md", "-o", "out.bib", env=QUICK).exit_code == 0
    content = good.read_bytes()
    write(workdir / "unknown.md", "- https://arxiv.org/abs/2301.09998\n")
    write(workdir / "empty.md", "\n\n")
    runs = [
        (("build", "unknown.md", "-o", "out.bib"), 1, "nothing to write"),  # nothing resolved
        (("build", "empty.md", "-o", "out.bib"), 2, "empty.md: is empty"),  # bad input
        (("build", "list.md", "nope.md", "-o", "out.bib"), 2, "nope.md: no such file"),  # one bad input of two
        (("build", "list.md", "-o", "out.bib", "--offline", "--cache-dir", "elsewhere"), 1, "nothing to write"),
    ]
    for args, code, message in runs:
        result = cli(*args, env=QUICK)
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert good.read_bytes() == content, args


def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(cli, api, workdir, papers):
    (workdir / "adir.bib").mkdir()
    result = cli("build", "list.md", "-o", "adir.bib", env=QUICK)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("tridentbib: error: adir.bib: cannot write (")
    assert [p.name for p in workdir.iterdir() if p.name.endswith(".tmp")] == []


# --------------------------------------------------------------------------- the cache
#: the kinds the issue names; tests/test_cache.py covers more (no record, not UTF-8, ...) at unit level
CORRUPTIONS = {
    "truncated-json": lambda text: text[: len(text) // 2],
    "empty": lambda text: "",
    "wrong-schema": lambda text: json.dumps({**json.loads(text), "schema": 99}),
    "names-another-id": lambda text: json.dumps({**json.loads(text), "id": "2301.00003"}),
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_a_corrupt_cache_file_is_reported_moved_aside_and_fetched_again(cli, api, workdir, papers, kind):
    clean = clean_output(cli, workdir)
    assert cli("build", "list.md", "-o", "out.bib", env=QUICK).exit_code == 0
    path = workdir / "cache" / "arxiv" / "2301.00002.json"
    corrupted = CORRUPTIONS[kind](path.read_text())
    path.write_bytes(corrupted.encode("utf-8", errors="surrogateescape"))
    api.clear_log()
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 0, result.output
    assert (workdir / "out.bib").read_bytes() == clean
    (request,) = api.requests("arxiv")
    assert request.param("id_list") == "2301.00002"  # only the bad one is fetched again
    assert (workdir / "cache" / "arxiv" / "2301.00002.json.corrupt").read_bytes() == corrupted.encode(
        "utf-8", errors="surrogateescape"
    )
    assert json.loads(path.read_text())["id"] == "2301.00002"
    assert re.search(
        r"cache file \S*2301\.00002\.json was corrupt \(.+\); moved aside and fetched again", result.stderr
    ), result.stderr
    assert "Traceback" not in result.output


def test_a_directory_in_place_of_a_cache_file_is_moved_aside(cli, api, workdir, papers):
    assert cli("build", "list.md", "-o", "out.bib", env=QUICK).exit_code == 0
    path = workdir / "cache" / "arxiv" / "2301.00001.json"
    path.unlink()
    path.mkdir()
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 0, result.output
    assert (workdir / "cache" / "arxiv" / "2301.00001.json.corrupt").is_dir()
    assert "was corrupt (unreadable" in result.stderr


def test_a_cache_that_cannot_be_written_stops_the_run_with_one_line(cli, api, workdir, papers):
    (workdir / "cache").mkdir()
    write(workdir / "cache" / "arxiv", "a file where the arxiv folder should be\n")
    write(workdir / "out.bib", "keep\n")
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1].startswith("tridentbib: error: cache folder ")
    assert "Traceback" not in result.output
    assert (workdir / "out.bib").read_text() == "keep\n"


def test_a_keyboard_interrupt_keeps_every_record_already_fetched(cli, api, workdir, monkeypatch):
    from tridentbib.http import ServiceClient

    ids = [f"2303.{n:05d}" for n in range(1, 251)]
    add_papers(api, ids)
    write(workdir / "list.md", "".join(f"- https://arxiv.org/abs/{i}\n" for i in ids))
    write(workdir / "out.bib", "keep\n")
    real_send = ServiceClient._send_once
    calls = []

    def send_then_interrupt(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(ServiceClient, "_send_once", send_then_interrupt)
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert result.exit_code == 130
    assert "interrupted; every record fetched so far is in the cache" in result.stderr
    assert cached_ids(workdir) == set(ids[:100])
    assert (workdir / "out.bib").read_text() == "keep\n"
    monkeypatch.setattr(ServiceClient, "_send_once", real_send)
    api.clear_log()
    assert cli("build", "list.md", "-o", "out.bib", env=QUICK).exit_code == 0
    assert [len(r.param("id_list").split(",")) for r in api.requests("arxiv")] == [100, 50]
