"""ServiceClient on its own: retries, Retry-After, backoff bounds, timeouts, size cap, only the configured host.

Most tests use ``httpx.MockTransport`` (no sockets, no sleeping beyond a few ms); the
redirect test uses two real fake servers to prove the second one is never contacted.
"""

from __future__ import annotations

import email.utils
import gzip
import time
from types import SimpleNamespace

import httpx
import pytest

from fakeapi import FakeAPI, Fault
from tridentbib.http import ServiceClient, ServiceError, ServiceUnavailable, _retry_after
from tridentbib.settings import Settings

FAST = Settings(retry_base_wait=0.001, max_retry_wait=0.05)


def client_for(
    handler, settings: Settings = FAST, *, min_interval: float = 0.0, base: str = "https://api.example.org/v1"
) -> ServiceClient:
    return ServiceClient("test", base, settings, min_interval, transport=httpx.MockTransport(handler))


class Script:
    """A MockTransport handler answering with a list of responses (or exceptions), logging each request."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_transient_failures_are_retried_until_an_answer():
    script = Script(
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("cut"),
        httpx.Response(503),
        httpx.Response(429),
        httpx.Response(200, text="ok"),
    )
    response = client_for(script, FAST.with_(max_retries=5)).get("/x")
    assert (response.status, response.text) == (200, "ok")
    assert len(script.requests) == 6


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_client_errors_come_back_at_once(status):
    script = Script(httpx.Response(status, text="no"))
    assert client_for(script).get("/x").status == status
    assert len(script.requests) == 1


def test_the_attempts_are_bounded_and_the_last_answer_returned():
    script = Script(httpx.Response(429, text="slow down"))
    response = client_for(script, FAST.with_(max_retries=3)).get("/x")
    assert response.status == 429 and len(script.requests) == 4


def test_a_5xx_on_every_attempt_is_an_outage():
    script = Script(httpx.Response(502, text="bad gateway"))
    with pytest.raises(ServiceUnavailable) as raised:
        client_for(script, FAST.with_(max_retries=3)).get("/x")
    assert str(raised.value) == "test unavailable (HTTP 502 from api.example.org after 4 attempts)"
    assert len(script.requests) == 4


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (httpx.ConnectTimeout("t"), "test unreachable (connecting to api.example.org timed out after 3 attempts)"),
        (httpx.ReadTimeout("t"), "test: timed out after 3 attempts (ReadTimeout)"),
        (
            httpx.ConnectError("[Errno 111] Connection refused"),
            "test unreachable (connection refused by api.example.org after 3 attempts)",
        ),
        (
            httpx.ConnectError("[Errno -2] Name or service not known"),
            "test unreachable (cannot resolve api.example.org after 3 attempts)",
        ),
        (
            httpx.ConnectError("[Errno 101] Network is unreachable"),
            "test unreachable (network unreachable after 3 attempts)",
        ),
        (httpx.RemoteProtocolError("cut"), "test: connection failed after 3 attempts (RemoteProtocolError: cut)"),
    ],
)
def test_an_outage_becomes_one_service_error(error, message):
    with pytest.raises(ServiceError) as raised:
        client_for(Script(error), FAST.with_(max_retries=2)).get("/x")
    assert str(raised.value) == message


def test_a_body_that_does_not_decode_is_a_service_error_not_a_crash():
    script = Script(
        httpx.Response(200, stream=httpx.ByteStream(b"this is not gzip"), headers={"Content-Encoding": "gzip"})
    )
    with pytest.raises(ServiceError, match="unusable answer \\(DecodingError"):
        client_for(script).get("/x")


def test_timeouts_are_explicit():
    timeout = client_for(Script(httpx.Response(200)), Settings(connect_timeout=1.5, read_timeout=7.0))._client.timeout
    assert (timeout.connect, timeout.read) == (1.5, 7.0)


# ----------------------------------------------------------------------------- waits
def state(attempt: int, error: Exception | None = None) -> SimpleNamespace:
    outcome = SimpleNamespace(exception=lambda: error)
    return SimpleNamespace(attempt_number=attempt, outcome=outcome)


def test_backoff_doubles_with_jitter_and_is_capped():
    client = client_for(Script(httpx.Response(200)), Settings(retry_base_wait=0.5, max_retry_wait=10))
    for attempt in range(1, 8):
        base = min(10, 0.5 * 2 ** (attempt - 1))
        waits = [client._wait(state(attempt)) for _ in range(200)]
        assert all(base / 2 <= w <= base for w in waits)
        assert len(set(waits)) > 150  # jitter: no two clients retry in lock-step
    assert client._wait(state(10_000)) <= 10  # no overflow on absurd attempt counts


def test_retry_after_wins_over_backoff_up_to_the_cap():
    from tridentbib.http import Response, _Retryable

    client = client_for(Script(httpx.Response(200)), Settings(retry_base_wait=0.5, max_retry_wait=30))
    answer = Response(429, {}, b"", "u")
    assert client._wait(state(1, _Retryable(answer, 12.0))) == 12.0
    assert client._wait(state(1, _Retryable(answer, 99999.0))) == 30


def test_retry_after_values():
    assert _retry_after("120") == 120.0
    assert _retry_after(" 0 ") == 0.0
    in_two = _retry_after(email.utils.formatdate(time.time() + 2, usegmt=True))
    assert in_two is not None and 0.9 < in_two <= 2.0
    assert _retry_after("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0
    for junk in (None, "", "soon", "-5", "1.5e9999", "Sun, 99 Foo 2024 99:99:99 GMT"):
        assert _retry_after(junk) is None, junk


def test_retries_are_paced_like_requests():
    script = Script(httpx.Response(503), httpx.Response(503), httpx.Response(200))
    times: list[float] = []
    original = script.__call__

    def timed(request):
        times.append(time.monotonic())
        return original(request)

    client = ServiceClient("paced-test", "https://api.example.org", FAST, 0.1, transport=httpx.MockTransport(timed))
    assert client.get("/x").status == 200
    assert len(times) == 3 and all(b - a >= 0.099 for a, b in zip(times, times[1:], strict=False))
    assert client.request_count == 3


# ----------------------------------------------------------------------------- bodies
def streamed(total: int, chunk: int = 1024):
    def body():
        for start in range(0, total, chunk):
            yield b"x" * min(chunk, total - start)

    return body()


def test_a_body_over_the_limit_is_refused_declared_or_streamed():
    small = Settings(max_response_bytes=4096)
    declared = Script(httpx.Response(200, content=b"x" * 5000))
    with pytest.raises(ServiceError, match="response of 5000 bytes exceeds the 4096-byte limit"):
        client_for(declared, small).get("/x")
    undeclared = Script(httpx.Response(200, content=streamed(10_000_000)))  # no Content-Length
    with pytest.raises(ServiceError, match="response exceeds the 4096-byte limit"):
        client_for(undeclared, small).get("/x")
    assert len(declared.requests) == len(undeclared.requests) == 1  # never retried
    bomb = Script(
        httpx.Response(
            200, stream=httpx.ByteStream(gzip.compress(b"\0" * 5_000_000)), headers={"Content-Encoding": "gzip"}
        )
    )
    with pytest.raises(ServiceError, match="exceeds the 4096-byte limit"):  # counted after decompression
        client_for(bomb, small).get("/x")
    assert client_for(Script(httpx.Response(200, content=b"x" * 4096)), small).get("/x").content == b"x" * 4096


# ----------------------------------------------------------------------------- only the configured host
@pytest.mark.parametrize(
    "path", ["https://evil.example/x", "//evil.example/x", "/x\\..\\y", "@evil.example/x", "http:/\\evil.example"]
)
def test_requests_never_leave_the_base_url(path):
    script = Script(httpx.Response(200))
    client = client_for(script)
    if path == "@evil.example/x":  # glued onto the base path: still the configured host
        assert client.url_for(path).startswith("https://api.example.org/")
        return
    with pytest.raises(ValueError, match="refusing to request"):
        client.get(path)
    assert script.requests == []


def test_redirects_to_another_host_are_not_followed():
    with FakeAPI() as api, FakeAPI() as other:
        target = other.url("arxiv") + "/api/query?id_list=2301.00001"
        api.inject(
            "arxiv",
            Fault.status(302, "", {"Location": target}),
            Fault.status(301, "", {"Location": "/arxiv/api/query"}),
        )
        client = ServiceClient("arxiv", api.env()["TRIDENTBIB_ARXIV_API_URL"], FAST, 0)
        assert client.get("").status == 302
        assert client.get("").status == 301  # not even to the same host
        assert other.requests() == [] and len(api.requests()) == 2
