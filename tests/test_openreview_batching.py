"""OpenReview asked in batches: v2 ``GET /notes?ids=``, v1 ``POST /notes/search {"ids": [...]}``.

API v1's ``GET /notes`` filters by a single ``id`` (openreview-py's v1 ``Client.get_notes``
has no ``ids``); many v1 notes by id are ``POST /notes/search`` with a JSON ``ids`` list,
the request behind ``Client.get_notes_by_ids``. The fake refuses v1 ``GET /notes?ids=``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from conftest import FAST, write
from fakeapi.openreview import make_v1_note, make_v2_note
from tridentbib.identifiers import Kind
from tridentbib.resolvers.interface import Found, Missing
from tridentbib.resolvers.openreview.client import BATCH_SIZE, OpenReviewResolver
from tridentbib.resolvers.registry import SERVICES
from tridentbib.settings import Settings


def v1_ids(count: int, prefix: str = "V1") -> list[str]:
    return [f"{prefix}{n:08d}" for n in range(count)]


def add_v1_papers(api, ids: list[str]) -> None:
    for n, ident in enumerate(ids):
        api.openreview.add_v1(make_v1_note(ident, f"Old Paper Number {n}", [f"Author {n} Person"], abstract=f"A{n}."))


def listing(ids: list[str]) -> str:
    return "".join(f"- [paper](https://openreview.net/forum?id={ident})\n" for ident in ids)


@pytest.fixture
def resolver(api) -> Iterator[OpenReviewResolver]:
    built = SERVICES[Kind.OPENREVIEW].build(Settings.from_env({**api.env(), **FAST}), None)
    assert isinstance(built, OpenReviewResolver)
    yield built
    for client in built.clients:
        client.close()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


def batched_ids(request) -> list[str]:
    return json.loads(request.body.decode("utf-8"))["ids"]


# -- the fake follows the real API ---------------------------------------------------
def test_fake_v1_refuses_get_notes_ids_and_both_versions_take_post_notes_search(api, http):
    api.openreview.add_v1(make_v1_note("Old1Cl3ar1", "T", ["A B"]))
    api.openreview.add_v2(make_v2_note("Acc3pt3d01", "T", ["A B"]))
    v1, v2 = api.env()["TRIDENTBIB_OPENREVIEW_V1_API_URL"], api.env()["TRIDENTBIB_OPENREVIEW_API_URL"]
    refused = http.get(v1 + "/notes", params={"ids": "Old1Cl3ar1"})
    assert refused.status_code == 400 and refused.json()["name"] == "ValidationError"
    assert http.get(v1 + "/notes", params={"id": "Old1Cl3ar1"}).json()["count"] == 1
    for base, known in ((v1, "Old1Cl3ar1"), (v2, "Acc3pt3d01")):
        body = http.post(base + "/notes/search", json={"ids": ["nope", known]}).json()
        assert [n["id"] for n in body["notes"]] == [known] and body["count"] == 1
        assert http.post(base + "/notes/search", json={}).status_code == 400


# -- request counts ------------------------------------------------------------------
def test_sixty_papers_only_in_v1_take_three_v1_requests_not_sixty(cli, api, workdir):
    ids = v1_ids(60)
    add_v1_papers(api, ids)
    write(workdir / "l.md", listing(ids))
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    assert (workdir / "out.bib").read_text().count("@inproceedings{") == 60
    v2, v1 = api.requests("openreview2"), api.requests("openreview1")
    assert len(v2) == 3 and len(v1) == 3
    assert all((r.method, r.subpath) == ("POST", "/notes/search") for r in v1)
    assert [len(batched_ids(r)) for r in v1] == [BATCH_SIZE, BATCH_SIZE, 60 - 2 * BATCH_SIZE]
    assert sorted(i for r in v1 for i in batched_ids(r)) == ids


def test_batched_output_is_the_per_paper_output(cli, api, workdir, tmp_path):
    ids = v1_ids(30)
    add_v1_papers(api, ids)
    api.openreview.add_v1(make_v1_note("R3plyV1n0t", "Official Review", ["Reviewer"], forum=ids[3]))
    wanted = [*ids, "R3plyV1n0t"]
    write(workdir / "l.md", listing(wanted))
    assert cli("build", "l.md", "-o", "batched.bib").exit_code == 0
    batched = (workdir / "batched.bib").read_text()
    assert len(api.requests("openreview1")) == 2 + 1  # two batches + the reply's forum
    # the same list against a v1 without POST /notes/search: one refused batch, then one id per request
    api.clear_log()
    api.openreview.v1_without_notes_by_ids = True
    other = tmp_path / "per-paper"
    other.mkdir()
    write(other / "l.md", listing(wanted))
    result = cli("build", str(other / "l.md"), "-o", str(other / "per-paper.bib"), "--cache-dir", str(other / "c"))
    assert result.exit_code == 0, result.stderr
    v1 = api.requests("openreview1")
    assert [(r.method, r.subpath) for r in v1[:1]] == [("POST", "/notes/search")]
    assert len(v1) == 1 + len(wanted) + 1 and all(r.method == "GET" and r.param("id") for r in v1[1:])
    assert (other / "per-paper.bib").read_text() == batched


def test_a_v1_batch_that_returns_some_ids_and_not_others(resolver, api):
    in_v2 = [f"N3wV2p{n:04d}" for n in range(5)]
    for ident in in_v2:
        api.openreview.add_v2(make_v2_note(ident, f"New {ident}", ["New Author"]))
    in_v1 = v1_ids(12)
    add_v1_papers(api, in_v1)
    nowhere = [f"N0wh3r3{n:03d}" for n in range(8)]
    ids = [i for triple in zip(in_v1[:5], in_v2, nowhere[:5], strict=True) for i in triple] + in_v1[5:] + nowhere[5:]
    answers = list(resolver.fetch(ids))
    assert [ident for ident, _ in answers] == ids  # each id once, in order
    by_id = dict(answers)
    assert all(isinstance(by_id[i], Found) and by_id[i].data["api_version"] == 2 for i in in_v2)
    assert all(isinstance(by_id[i], Found) and by_id[i].data["api_version"] == 1 for i in in_v1)
    for ident in nowhere:
        missing = by_id[ident]
        assert isinstance(missing, Missing) and missing.reason == "OpenReview has no note with this id (API v2 and v1)"
        assert missing.permanent
    assert len(api.requests("openreview2")) == 1  # 25 ids, one batch
    assert [len(batched_ids(r)) for r in api.requests("openreview1")] == [20]  # all that v2 did not have


# -- errors as before ------------------------------------------------------------------
def test_a_v1_batch_rate_limited_marks_the_batch_and_the_rest_unavailable(resolver, api):
    ids = v1_ids(60)
    add_v1_papers(api, ids)
    api.openreview.rate_limit_after = 1  # the first v2 batch answers; the v1 batch is refused
    answers = list(resolver.fetch(ids))
    assert [ident for ident, _ in answers] == ids
    for _, answer in answers:
        assert isinstance(answer, Missing) and not answer.permanent and answer.recoverable
        assert "rate limit reached (429 RateLimitError, resets at " in answer.reason
    assert len(api.requests("openreview2")) == 1 and len(api.requests("openreview1")) == 1  # nothing retried


def test_a_v1_challenge_is_reported_once_with_the_credentials_hint(resolver, api):
    ids = v1_ids(30)
    add_v1_papers(api, ids)
    api.openreview.require_auth = True
    api.openreview.challenge_versions = frozenset({1})
    answers = dict(resolver.fetch(ids))
    assert len(answers) == 30
    reasons = {answer.reason for answer in answers.values() if isinstance(answer, Missing)}
    (reason,) = reasons
    assert "403 ChallengeRequiredError" in reason and "TRIDENTBIB_OPENREVIEW_USERNAME" in reason
    assert len(api.requests("openreview1")) == 1  # the second batch never asks v1


def test_a_v1_challenge_with_credentials_sends_the_token_with_the_batch(api):
    ids = v1_ids(3)
    add_v1_papers(api, ids)
    api.openreview.require_auth = True
    api.openreview.users = {"me@example.org": "secret"}
    settings = Settings.from_env(
        {**api.env(), **FAST},
        openreview_username="me@example.org",
        openreview_password="secret",
    )
    resolver = SERVICES[Kind.OPENREVIEW].build(settings, None)
    try:
        answers = dict(resolver.fetch(ids))
    finally:
        for client in resolver.clients:
            client.close()
    assert all(isinstance(answer, Found) for answer in answers.values())
    (batch,) = api.requests("openreview1")
    assert batch.method == "POST" and batch.headers["authorization"].startswith("Bearer ")
