"""One polite HTTP client per service: pacing, retries, timeouts and a host allowlist.

Every request a resolver makes goes through :class:`ServiceClient`, so the rules
live in one place:

* **Only the configured host.** Requests are built from the service's base URL
  plus a path; redirects are not followed, so an answer cannot send us elsewhere.
* **Pacing.** At least ``min_interval`` seconds between the *starts* of two
  requests, retries included (a retry is a request). One connection at a time.
* **Retries** (tenacity): connection errors, timeouts, 429, 500, 502, 503, 504,
  with exponential backoff and jitter, honouring ``Retry-After`` (seconds or an
  HTTP date) up to ``max_retry_wait``. Never a 400/403/404.
* **Bounded bodies.** A response larger than ``max_response_bytes`` is refused.
* **A circuit breaker per service.** When ``max_retries + 1`` attempts in a row
  (one request's whole retry ladder, or several clients' attempts together) could
  not connect (refused, DNS, unreachable, connect timeout) or got a 500/502/503/504,
  the service is taken as gone for the rest of the run: that request and every
  later one, from any client of the service, raise :class:`ServiceUnavailable` at
  once with the same reason. Any other answer (a 429, a 404, a 200) resets the
  count; a 429 never opens the breaker, nor does a read timeout or a dropped
  connection (the request itself may be the cause). Breakers are keyed by base URL
  (arXiv's title search uses the export API's URL, so it shares arXiv's) and live
  in one registry, reset at the start of each run (:func:`reset_breakers`).
* **One connection at a time per service**, across clients: a second client of
  the same service (a fallback search beside the main batches) waits its turn.
  A connection that could not be made does not count against the service's delay
  (nothing reached it); the backoff still spaces the attempts.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping
from urllib.parse import urlsplit

if TYPE_CHECKING:  # imported where requests are made: a warm run (all from the cache) never loads them
    import httpx
    import tenacity

from tridentbib import __version__
from tridentbib.model import Outage
from tridentbib.settings import Settings

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = f"tridentbib/{__version__} (+https://github.com/tridentbib/tridentbib)"


class ServiceError(Exception):
    """A service could not be reached or kept failing after the retries."""

    def __init__(self, service: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status


class OfflineError(ServiceError):
    """A request was about to be made during an ``--offline`` run."""


class ServiceUnavailable(ServiceError):
    """The service's circuit breaker is open: it is taken as gone for the rest of the run.

    ``str()`` is the reason alone, the same for every request that fails because of
    it (``arxiv unreachable (connection refused by export.arxiv.org after 5 attempts)``),
    so failures can be grouped by it.
    """

    def __init__(self, service: str, reason: str, status: int | None = None) -> None:
        Exception.__init__(self, reason)
        self.service = service
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Response:
    """The parts of an HTTP answer that resolvers use (the body is already bounded)."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (every service we call sends UTF-8)."""
        return self.content.decode("utf-8", errors="replace")


class _Retryable(Exception):
    """Internal: an answer worth retrying (429/5xx), carrying its Retry-After wait."""

    def __init__(self, response: Response, wait: float | None) -> None:
        super().__init__(f"HTTP {response.status}")
        self.response = response
        self.wait = wait


#: Callback for progress displays: (service, seconds about to be spent waiting).
WaitListener = Callable[[str, float], None]


class _Pacer:
    """The time of the last request to one service, shared by every client of that service.

    Shared so that a second client (a fallback search beside the main batches) still
    waits out the service's delay instead of starting a fresh count, and waits for
    the connection in use (``busy``): one connection at a time per service.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.busy = threading.RLock()
        self.last_start: float | None = None
        #: seconds between requests as the service's own rate-limit headers set them, per pool of routes
        self.announced: dict[str, float] = {}


class _Breaker:
    """Consecutive failed attempts to one service (base URL), and why it is open once it is."""

    def __init__(self, service: str, base_url: str) -> None:
        self.lock = threading.Lock()
        self.service = service
        self.base_url = base_url
        self.failures = 0
        self.reason: str | None = None
        self.opened_at = 0.0
        #: set when the breaker opens: wakes every request waiting for the service's delay or a backoff
        self.opened = threading.Event()

    def close(self) -> None:
        """Forget every failure: the service gets a fresh chance."""
        with self.lock:
            self.failures, self.reason, self.opened_at = 0, None, 0.0
            self.opened.clear()

    def sleep(self, seconds: float) -> None:
        """``time.sleep(seconds)``, cut short when the breaker opens meanwhile (never shorter otherwise)."""
        deadline = time.monotonic() + seconds
        while not self.opened.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.opened.wait(left)

    def check(self) -> None:
        """Raise :class:`ServiceUnavailable` when the breaker is open."""
        if self.reason is not None:
            raise ServiceUnavailable(self.service, self.reason)

    def answered(self) -> None:
        """The service answered (not with a 5xx): the count starts again."""
        with self.lock:
            if self.reason is None:
                self.failures = 0

    def failed(self, threshold: int, reason: Callable[[int], str]) -> None:
        """One more attempt could not connect or got a 5xx; opens (and raises) at ``threshold``."""
        with self.lock:
            if self.reason is None:
                self.failures += 1
                if self.failures >= threshold:
                    self.reason = reason(self.failures)
                    self.opened_at = time.monotonic()
                    self.opened.set()
                    logger.info("%s: %s; no more requests to it this run", self.service, self.reason)
        self.check()


_BREAKERS: dict[str, _Breaker] = {}
_BREAKERS_LOCK = threading.Lock()


def _breaker_for(service: str, base_url: str) -> _Breaker:
    with _BREAKERS_LOCK:
        return _BREAKERS.setdefault(base_url, _Breaker(service, base_url))


def reset_breakers() -> None:
    """Close every breaker: a new run gives every service a fresh chance (clients already made included)."""
    with _BREAKERS_LOCK:
        breakers = list(_BREAKERS.values())
    for breaker in breakers:
        breaker.close()


def open_breakers() -> list[Outage]:
    """Every service taken as gone in this run, in the order their breakers opened."""
    with _BREAKERS_LOCK:
        breakers = sorted((b for b in _BREAKERS.values() if b.reason is not None), key=lambda b: b.opened_at)
    return [Outage(b.service, b.base_url, b.reason or "") for b in breakers]


_PACERS: dict[str, _Pacer] = {}
_PACERS_LOCK = threading.Lock()


def _pool(url: str, base_url: str) -> str:
    """The pool of routes a request belongs to for rate limits: ``works`` (a list query) or ``works/*`` (one record)."""
    path = urlsplit(url).path[len(urlsplit(base_url).path) :]
    segments = [seg for seg in path.split("/") if seg]
    return "" if not segments else segments[0] if len(segments) == 1 else f"{segments[0]}/*"


def _pacer_for(key: str) -> _Pacer:
    with _PACERS_LOCK:
        return _PACERS.setdefault(key, _Pacer())


class ServiceClient:
    """An httpx client bound to one service's base URL."""

    def __init__(
        self,
        service: str,
        base_url: str,
        settings: Settings,
        min_interval: float,
        *,
        retry_statuses: frozenset[int] = RETRY_STATUSES,
        transport: httpx.BaseTransport | None = None,
        on_wait: WaitListener | None = None,
        paced_by_headers: bool = False,
    ) -> None:
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.settings = settings
        #: seconds between the starts of two requests (the service's politeness rule)
        self.min_interval = min_interval
        self.retry_statuses = retry_statuses
        self.on_wait = on_wait
        #: follow the service's ``x-rate-limit-limit`` / ``x-rate-limit-interval`` headers (Crossref)
        self.paced_by_headers = paced_by_headers
        #: requests actually sent, retries included (for the report and the tests)
        self.request_count = 0
        self._pacer = _pacer_for(f"{service} {self.base_url}")
        self._breaker = _breaker_for(service, self.base_url)
        self._host = urlsplit(self.base_url).netloc
        import httpx

        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            follow_redirects=False,
            transport=transport,
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    # -- public ---------------------------------------------------------------
    def get(
        self, path: str = "", params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> Response:
        """GET ``base_url + path`` with retries; returns any final answer, raises ServiceError on outage."""
        return self.request("GET", path, params=params, headers=headers)

    def post(
        self,
        path: str = "",
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """POST JSON to ``base_url + path`` with the same rules as :meth:`get`."""
        return self.request("POST", path, params=params, json=json, headers=headers)

    def request(self, method: str, path: str, **kwargs: object) -> Response:
        """Send one logical request, retrying transient failures within the configured bounds."""
        if self.settings.offline:
            raise OfflineError(self.service, "offline: no request made")
        self._breaker.check()  # a service taken as gone fails at once
        url = self.url_for(path)
        import httpx
        import tenacity

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.settings.max_retries + 1),
            retry=tenacity.retry_if_exception_type((_Retryable, httpx.TransportError)),
            wait=self._wait,
            sleep=self._breaker.sleep,  # a backoff ends early when the service is taken as gone meanwhile
            reraise=True,
            before_sleep=self._log_retry,
        )
        try:
            return retrying(self._send_once, method, url, **kwargs)
        except _Retryable as final:
            return final.response
        except httpx.TimeoutException as error:
            raise ServiceError(
                self.service, f"timed out after {self.settings.max_retries + 1} attempts ({type(error).__name__})"
            ) from None
        except httpx.TransportError as error:
            raise ServiceError(
                self.service,
                f"connection failed after {self.settings.max_retries + 1} attempts ({type(error).__name__}: {error})",
            ) from None
        except httpx.HTTPError as error:  # not worth retrying: a body that does not decode (bad gzip), ...
            raise ServiceError(self.service, f"unusable answer ({type(error).__name__}: {error})") from None

    def url_for(self, path: str) -> str:
        """``base_url + path``; refuses anything that is not a plain path on the configured host."""
        if "://" in path or path.startswith("//") or "\\" in path:
            raise ValueError(f"{self.service}: refusing to request {path!r} outside {self.base_url}")
        url = self.base_url + path
        if urlsplit(url).netloc != self._host:
            raise ValueError(f"{self.service}: refusing to request {url!r} outside {self.base_url}")
        return url

    def next_turn_in(self) -> float:
        """Seconds until this service's pacing lets the next request go (0: now), whichever client asked last."""
        with self._pacer.lock:
            previous, interval = self._pacer.last_start, self._pacer.announced.get("", self.min_interval)
        return 0.0 if previous is None else max(0.0, interval - (time.monotonic() - previous))

    # -- internals ------------------------------------------------------------
    def _send_once(self, method: str, url: str, **kwargs: object) -> Response:
        import httpx

        with self._pacer.busy:  # one connection at a time to this service, whichever client asks
            previous = self._pace(_pool(url, self.base_url))
            try:
                with self._client.stream(method, url, **kwargs) as raw:  # type: ignore[arg-type]
                    body = self._read_bounded(raw)
                    response = Response(raw.status_code, dict(raw.headers), body, str(raw.url))
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                self._pacer.last_start = previous  # nothing reached the service: its delay is not used up
                problem = _connect_problem(error, self._host)  # ``error`` is gone once the except block ends
                self._breaker.failed(
                    self.settings.max_retries + 1,
                    lambda n: f"{self.service} unreachable ({problem} after {_attempts(n)})",
                )
                raise
        if self.paced_by_headers:
            self._follow_rate_limit(_pool(url, self.base_url), response.headers)
        if response.status in self.retry_statuses and response.status >= 500:
            self._breaker.failed(
                self.settings.max_retries + 1,
                lambda n: f"{self.service} unavailable (HTTP {response.status} from {self._host} after {_attempts(n)})",
            )
        else:
            self._breaker.answered()
        if response.status in self.retry_statuses:
            raise _Retryable(response, _retry_after(response.headers.get("retry-after")))
        return response

    def _pace(self, pool: str = "") -> float | None:
        """Sleep until the interval has passed since the previous request started; returns that start.

        The interval is the pace the service announced for this pool of routes
        (:meth:`_follow_rate_limit`), and ``min_interval`` until it has (or if it never does).
        Raises :class:`ServiceUnavailable` when the breaker opened while this request waited.
        """
        with self._pacer.lock:
            previous = self._pacer.last_start
            interval = self._pacer.announced.get(pool, self.min_interval)
            if previous is not None:
                remaining = interval - (time.monotonic() - previous)
                if remaining > 0:
                    if self.on_wait:
                        self.on_wait(self.service, remaining)
                    self._breaker.sleep(remaining)
            self._breaker.check()
            self._pacer.last_start = time.monotonic()
            self.request_count += 1
            return previous

    def _follow_rate_limit(self, pool: str, headers: Mapping[str, str]) -> None:
        """Take the pace the service announces: ``x-rate-limit-limit`` requests per ``x-rate-limit-interval``.

        Crossref sends them on every answer and they differ by pool (single records
        against list queries) and by plan (public or polite). Unreadable or absent
        headers leave the pace as it was; one connection is always within the
        ``x-concurrency-limit`` it sends beside them.
        """
        limit, interval = headers.get("x-rate-limit-limit", ""), headers.get("x-rate-limit-interval", "")
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m)?\s*", interval)
        if not limit.strip().isdigit() or int(limit) <= 0 or match is None:
            return
        seconds = float(match.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}[match.group(2)]
        pace = min(seconds / int(limit), self.settings.max_retry_wait)
        with self._pacer.lock:
            self._pacer.announced[pool] = pace

    def _read_bounded(self, raw: httpx.Response) -> bytes:
        limit = self.settings.max_response_bytes
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ServiceError(
                self.service, f"response of {declared} bytes exceeds the {limit}-byte limit", raw.status_code
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in raw.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise ServiceError(self.service, f"response exceeds the {limit}-byte limit", raw.status_code)
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """Retry-After when the server gave one (capped), else exponential backoff with jitter:
        a wait in [base/2, base]."""
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Retryable) and error.wait is not None:
            return min(error.wait, self.settings.max_retry_wait)
        base = min(self.settings.max_retry_wait, self.settings.retry_base_wait * 2 ** min(state.attempt_number - 1, 60))
        return random.uniform(base / 2, base)

    def _log_retry(self, state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        logger.info("%s: attempt %d failed (%s); retrying", self.service, state.attempt_number, error)


def _attempts(n: int) -> str:
    return f"{n} attempt" + ("" if n == 1 else "s")


def _connect_problem(error: Exception, host: str) -> str:
    """What a failed connection attempt says about the host, in a few words."""
    import httpx

    if isinstance(error, httpx.ConnectTimeout):
        return f"connecting to {host} timed out"
    text = str(error)
    lowered = text.lower()
    if "refused" in lowered:
        return f"connection refused by {host}"
    if any(
        sign in lowered
        for sign in (
            "name or service not known",
            "nodename nor servname",
            "name resolution",
            "getaddrinfo",
            "no address associated",
            "name does not resolve",
        )
    ):
        return f"cannot resolve {host}"
    if "network is unreachable" in lowered:
        return "network unreachable"
    if "no route to host" in lowered or "host is unreachable" in lowered:
        return f"no route to {host}"
    return f"cannot connect to {host}: {text or type(error).__name__}"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())
