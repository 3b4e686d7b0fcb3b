"""Issue 13, item 5: a service that is gone costs one retry ladder, not one per request.

Real HTTP throughout: a closed port on 127.0.0.1 for "connection refused", the fake
API's injected faults for 5xx and 429. Request counts are what the fake server
received (or, for a closed port, what ``--report`` says was sent); no timing is
asserted here -- benchmarks/outage.py measures how fast a build gives up.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from conftest import write
from fakeapi import ArxivPaper, FakeAPI, Fault
from fakeapi.openreview import make_v2_note
from tridentbib.http import ServiceClient, ServiceUnavailable, open_breakers
from tridentbib.settings import Settings

QUICK = {"TRIDENTBIB_RETRY_BASE_WAIT": "0.01"}
ARXIV = [f"2305.{n:05d}" for n in range(1, 251)]  # three id_list batches
FORUM = "Brk0pen001"
ACL = "2024.acl-long.1"
ACL_BIB = '@inproceedings{lee-2024-breakers,\n    title = "Breakers for Speech",\n    author = "Lee, Ann",\n    booktitle = "Proceedings of ACL",\n    year = "2024",\n    url = "https://aclanthology.org/2024.acl-long.1/"\n}\n'


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(
    api: FakeAPI, workdir: Path, arxiv: list[str] = ARXIV, *, forums: tuple[str, ...] = (FORUM,), acl: bool = True
) -> Path:
    """A list of ``arxiv`` links (line n+1 for the n-th), then the OpenReview and ACL papers; all known to the fake API."""
    for n, ident in enumerate(arxiv):
        api.arxiv.add_paper(ArxivPaper(ident, title=f"Breaker paper {n}", authors=[f"Author{n} Family"]))
    lines = [f"- https://arxiv.org/abs/{ident}" for ident in arxiv]
    for n, forum in enumerate(forums):
        api.openreview.add_v2(make_v2_note(forum, f"An OpenReview paper about breakers number {n}", ["Ann Lee"]))
        lines.append(f"- [An OpenReview paper about breakers number {n}](https://openreview.net/forum?id={forum})")
    if acl:
        api.acl.add(ACL, ACL_BIB)
        lines.append(f"- [Breakers for Speech](https://aclanthology.org/{ACL}/)")
    return write(workdir / "list.md", "\n".join(lines) + "\n")


def report(workdir: Path) -> dict:
    return json.loads((workdir / "report.json").read_text())


def outcomes(data: dict, kind: str) -> list[str]:
    return [link["outcome"] for link in data["links"] if link["kind"] == kind]


def outage_lines(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if re.match(r"  \S+ (?:unavailable|unreachable) \(.*\): \d+ papers? (?:\(\d+ links\) )?not resolved \(", line)
    ]


def per_paper_failures(stderr: str, kind: str = "arxiv") -> list[str]:
    return [line for line in stderr.splitlines() if re.match(rf"  \S+:\d+: failed: {kind} ", line)]


# --------------------------------------------------------------------------- connection refused
def test_nothing_listening_at_arxiv_costs_one_retry_ladder_and_the_rest_resolves(cli, api, workdir):
    seed(api, workdir)
    url = f"http://127.0.0.1:{closed_port()}/arxiv/api/query"
    result = cli(
        "build",
        "list.md",
        "-o",
        "out.bib",
        "--max-retries",
        "2",
        "--report",
        "report.json",
        env={**QUICK, "TRIDENTBIB_ARXIV_API_URL": url},
    )
    assert result.exit_code == 1, result.output
    data = report(workdir)
    assert data["requests"]["arxiv"] == 3  # the first batch's three attempts; the other two batches asked nothing
    assert outcomes(data, "openreview") == ["resolved"] and outcomes(data, "acl") == [
        "resolved"
    ]  # the other services went on
    assert sorted(data["requests"]) == ["acl", "arxiv", "openreview"]

    (line,) = outage_lines(result.stderr)
    assert re.fullmatch(
        r"  arxiv unreachable \(connection refused by 127\.0\.0\.1:\d+ after 3 attempts\): 250 papers not resolved "
        r"\(lines 1, 2, 3, .*, 20 and 230 more; see --report\); try again later or use --offline",
        line,
    ), line
    assert per_paper_failures(result.stderr) == []  # once for the service, not 250 times
    reason = line.split(": 250 papers")[0].strip()
    failed = [link for link in data["links"] if link["kind"] == "arxiv"]
    assert len(failed) == 250 and all(
        link["outcome"] == "failed" and link["reason"] == reason and link["transient"] for link in failed
    )  # --report names each
    assert data["unavailable_services"] == [{"service": "arxiv", "url": url, "reason": reason}]
    assert "2 entries" in result.stderr.splitlines()[0]


def test_each_service_has_its_own_breaker(cli, api, workdir):
    seed(api, workdir, ARXIV[:3])
    gone = f"http://127.0.0.1:{closed_port()}"
    env = {
        **QUICK,
        "TRIDENTBIB_ACL_URL": gone + "/acl",
        "TRIDENTBIB_OPENREVIEW_API_URL": gone + "/openreview2",
        "TRIDENTBIB_DBLP_API_URL": gone + "/dblp/search/publ/api",
    }
    result = cli("build", "list.md", "-o", "out.bib", "--max-retries", "1", "--report", "report.json", env=env)
    assert result.exit_code == 1
    data = report(workdir)
    assert outcomes(data, "arxiv") == ["resolved"] * 3
    assert sorted(o["service"] for o in data["unavailable_services"]) == ["acl", "dblp", "openreview"]
    assert data["requests"]["dblp"] == 2  # the fallback for both papers: one ladder between them
    grouped = outage_lines(result.stderr)
    assert sorted(line.split()[0] for line in grouped) == ["acl", "openreview"], (
        result.stderr
    )  # under the paper's own service, not its fallback's
    assert all(" unreachable (connection refused by " in line and "1 paper not resolved" in line for line in grouped), (
        grouped
    )
    assert per_paper_failures(result.stderr, "openreview") == per_paper_failures(result.stderr, "acl") == []


# --------------------------------------------------------------------------- 5xx
def test_a_503_on_every_attempt_opens_the_breaker_for_every_later_batch(cli, api, workdir):
    seed(api, workdir)
    api.fail_always("arxiv", Fault.status(503, "Service Unavailable"))
    result = cli("build", "list.md", "-o", "out.bib", "--max-retries", "2", "--report", "report.json", env=QUICK)
    assert result.exit_code == 1
    assert len(api.requests("arxiv")) == 3  # retries + 1, across three batches
    assert len(api.requests("openreview2")) == 1 and len(api.requests("acl")) == 1
    data = report(workdir)
    assert outcomes(data, "openreview") == ["resolved"] and outcomes(data, "acl") == ["resolved"]
    (line,) = outage_lines(result.stderr)
    assert line.startswith(
        f"  arxiv unavailable (HTTP 503 from 127.0.0.1:{api.port} after 3 attempts): 250 papers not resolved (lines 1, 2, "
    )
    assert per_paper_failures(result.stderr) == []
    assert (workdir / "out.bib").read_text().count("@") == 2  # no previous output: what resolved is written


def test_the_breaker_is_shared_with_the_fallbacks_arxiv_title_search(cli, api, workdir):
    """The OpenReview paper's fallback asks arXiv's title search: the same breaker, one ladder in all."""
    seed(api, workdir, acl=False)
    api.openreview.require_auth = (
        True  # 403 ChallengeRequiredError: the paper goes to dblp, then to arXiv's title search
    )
    api.fail_always("arxiv", Fault.status(503))
    result = cli("build", "list.md", "-o", "out.bib", "--max-retries", "2", "--report", "report.json", env=QUICK)
    assert result.exit_code == 1
    arxiv = api.requests("arxiv")
    assert len(arxiv) == 3, [
        (r.param("id_list"), r.param("search_query")) for r in arxiv
    ]  # batches and title search together
    assert len(api.requests("dblp")) == 1
    (line,) = outage_lines(result.stderr)
    assert line.startswith("  arxiv unavailable (HTTP 503 from ") and ": 250 papers not resolved" in line
    (own,) = per_paper_failures(result.stderr, "openreview")  # its own reason is the challenge: listed on its own
    assert "ChallengeRequiredError" in own and "arXiv title search failed: arxiv unavailable (HTTP 503" in own


def test_the_breaker_is_shared_with_the_venue_lookups(cli, api, workdir):
    """dblp is asked by the OpenReview fallback and by --venues full: once it is gone, neither asks again."""
    seed(api, workdir, ARXIV[:4], acl=False)
    api.openreview.require_auth = True
    api.fail_always("dblp", Fault.status(502))
    result = cli(
        "build",
        "list.md",
        "-o",
        "out.bib",
        "--max-retries",
        "2",
        "--venues",
        "full",
        "--report",
        "report.json",
        env=QUICK,
    )
    assert len(api.requests("dblp")) == 3, result.stderr  # one ladder for the fallback and the four venue searches
    assert outcomes(report(workdir), "arxiv") == ["resolved"] * 4
    assert "dblp unavailable (HTTP 502 from " in result.stderr


def test_two_clients_of_one_service_share_its_breaker():
    settings = Settings(retry_base_wait=0.001, max_retries=1)
    with FakeAPI() as server:
        server.fail_always("dblp", Fault.status(503))
        base = server.env()["TRIDENTBIB_DBLP_API_URL"]
        first, second = ServiceClient("dblp", base, settings, 0.0), ServiceClient("dblp", base, settings, 0.0)
        with pytest.raises(ServiceUnavailable) as tripped:
            first.get("", params={"q": "a title"})
        with pytest.raises(ServiceUnavailable) as at_once:
            second.get("", params={"q": "another title"})
        other = ServiceClient("s2", server.env()["TRIDENTBIB_S2_API_URL"], settings, 0.0)
        other.post(
            "/paper/batch", params={"fields": "title"}, json={"ids": []}
        )  # another service: its own breaker, still closed
        assert len(server.requests("dblp")) == 2 and len(server.requests("s2")) == 1
    assert (
        str(tripped.value)
        == str(at_once.value)
        == f"dblp unavailable (HTTP 503 from 127.0.0.1:{server_port(base)} after 2 attempts)"
    )
    assert [o.service for o in open_breakers()] == ["dblp"]


def server_port(url: str) -> int:
    return int(re.search(r":(\d+)/", url).group(1))


# --------------------------------------------------------------------------- what never opens it
def test_429_with_retry_after_is_waited_out_and_never_opens_the_breaker(cli, api, workdir):
    seed(api, workdir, forums=(), acl=False)
    slow_down = Fault.status(429, "Rate exceeded.", {"Retry-After": "0"})
    api.inject("arxiv", slow_down, slow_down, slow_down)  # the first batch is refused on every attempt
    result = cli("build", "list.md", "-o", "out.bib", "--max-retries", "2", "--report", "report.json", env=QUICK)
    assert result.exit_code == 1
    assert len(api.requests("arxiv")) == 3 + 1 + 1  # the later batches are still asked
    assert outage_lines(result.stderr) == [] and report(workdir)["unavailable_services"] == []
    failed = per_paper_failures(result.stderr)
    assert len(failed) == 100 and all(
        "HTTP 429 after 3 attempts" in line for line in failed
    )  # a rate limit is not an outage: each paper listed
    assert outcomes(report(workdir), "arxiv") == ["failed"] * 100 + ["resolved"] * 150


def test_an_answer_between_two_5xx_starts_the_count_again(cli, api, workdir):
    seed(api, workdir, forums=(), acl=False)
    api.inject("arxiv", Fault.status(503), Fault.status(429, "", {"Retry-After": "0"}), Fault.status(503))
    result = cli("build", "list.md", "-o", "out.bib", "--max-retries", "2", "--report", "report.json", env=QUICK)
    assert len(api.requests("arxiv")) == 3 + 1 + 1
    assert outage_lines(result.stderr) == [] and report(workdir)["unavailable_services"] == []
    assert outcomes(report(workdir), "arxiv") == ["failed"] * 100 + ["resolved"] * 150
    assert all("arXiv: HTTP 503 after 3 attempts" in line for line in per_paper_failures(result.stderr))


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_never_open_the_breaker(cli, api, workdir, status):
    seed(api, workdir, forums=(), acl=False)
    api.fail_always("arxiv", Fault.status(status, "no"))
    result = cli("build", "list.md", "-o", "out.bib", "--report", "report.json", env=QUICK)
    assert result.exit_code == 1
    assert len(api.requests("arxiv")) == 3  # every batch asked once: no retry, no breaker
    assert outage_lines(result.stderr) == [] and report(workdir)["unavailable_services"] == []


# --------------------------------------------------------------------------- the run around it
def test_a_breaker_opened_mid_run_keeps_what_arrived_and_the_next_run_asks_again(cli, api, workdir):
    seed(api, workdir, forums=(), acl=False)
    write(workdir / "out.bib", "@misc{mine, title = {Keep}}\n")
    api.inject("arxiv", Fault.delay(0))  # the first batch is answered
    api.fail_always("arxiv", Fault.status(503))
    result = cli("build", "list.md", "-o", "out.bib", "--max-retries", "1", env=QUICK)
    assert result.exit_code == 1
    assert len(api.requests("arxiv")) == 1 + 2  # the second batch's ladder; the third asked nothing
    assert len(list((workdir / "cache" / "arxiv").glob("*.json"))) == 100  # what arrived is kept
    assert (workdir / "out.bib").read_text() == "@misc{mine, title = {Keep}}\n"  # an outage never replaces the output
    assert "some services were unavailable; out.bib left as it was" in result.stderr
    (line,) = outage_lines(result.stderr)
    assert ": 150 papers not resolved (lines 101, 102, " in line

    api.clear_faults()
    api.clear_log()
    again = cli("build", "list.md", "-o", "out.bib", env=QUICK)  # a new run: the service gets a fresh chance
    assert again.exit_code == 0, again.stderr
    assert [len(r.param("id_list").split(",")) for r in api.requests("arxiv")] == [100, 50]
    assert "unavailable" not in again.stderr and (workdir / "out.bib").read_text().count("@misc{") == 250


def test_quiet_still_names_the_unavailable_service(cli, api, workdir):
    seed(api, workdir, ARXIV[:5], forums=(), acl=False)
    url = f"http://127.0.0.1:{closed_port()}/arxiv/api/query"
    result = cli(
        "build", "list.md", "-o", "out.bib", "--max-retries", "0", "-q", env={**QUICK, "TRIDENTBIB_ARXIV_API_URL": url}
    )
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()[:-1]  # no summary; the outage line; then "nothing to write"
    assert re.fullmatch(
        r"  arxiv unreachable \(connection refused by 127\.0\.0\.1:\d+ after 1 attempt\): 5 papers not resolved \(lines 1, 2, 3, 4, 5\); try again later or use --offline",
        line,
    ), line
