"""Shared request/response types for the fake services.

Every service module turns one logged :class:`Request` into one :class:`Response`;
the server core (``server.py``) owns sockets, latency and fault injection, so the
service modules stay pure functions of their in-memory data and are easy to read.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

#: Where the fixture responses live (tests/fixtures/<service>/; see the README there).
FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class Request:
    """One HTTP request as the fake server saw it (appended to ``FakeAPI.log``).

    ``headers`` keys are lower-cased. ``started`` is ``time.monotonic()`` when the
    request line was parsed (use it for spacing/politeness checks), ``wall_time``
    is ``time.time()`` at the same moment. ``status``/``finished``/``fault`` are
    filled in once the server has answered (``status`` stays ``None`` when the
    connection was reset).
    """

    service: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    started: float
    wall_time: float
    #: path below the service prefix, e.g. ``/api/query`` for ``/arxiv/api/query``
    subpath: str = ""
    status: int | None = None
    finished: float | None = None
    fault: str | None = None

    def param(self, name: str, default: str | None = None) -> str | None:
        """First value of query parameter ``name`` (or ``default``)."""
        values = self.query.get(name)
        return values[0] if values else default

    def form(self) -> dict[str, list[str]]:
        """Query parameters merged with an ``application/x-www-form-urlencoded`` body."""
        merged = {key: list(values) for key, values in self.query.items()}
        if self.body and "form-urlencoded" in self.headers.get("content-type", ""):
            for key, values in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items():
                merged.setdefault(key, []).extend(values)
        return merged

    def json(self) -> Any:
        """The body decoded as JSON (raises ``ValueError`` when it is not JSON)."""
        return json.loads(self.body.decode("utf-8"))

    @property
    def duration(self) -> float | None:
        """Seconds between request start and the end of the answer."""
        return None if self.finished is None else self.finished - self.started


@dataclass
class Response:
    """What a service wants sent back; ``Content-Length`` is added by the server."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(
    payload: Any,
    status: int = 200,
    *,
    compact: bool = True,
    ensure_ascii: bool = False,
    headers: dict[str, str] | None = None,
) -> Response:
    """Serialise ``payload`` as JSON.

    ``compact`` mirrors Node/Express ``JSON.stringify`` output (OpenReview);
    ``compact=False, ensure_ascii=True`` mirrors Python's ``json.dumps`` defaults,
    which is what Semantic Scholar's bodies (and the fixtures in tests/fixtures/s2/) look like.
    """
    separators = (",", ":") if compact else (", ", ": ")
    body = json.dumps(payload, separators=separators, ensure_ascii=ensure_ascii).encode("utf-8")
    all_headers = {"Content-Type": "application/json; charset=utf-8"}
    all_headers.update(headers or {})
    return Response(status, body, all_headers)


def html_response(html: str, status: int = 200, *, headers: dict[str, str] | None = None) -> Response:
    all_headers = {"Content-Type": "text/html; charset=utf-8"}
    all_headers.update(headers or {})
    return Response(status, html.encode("utf-8"), all_headers)


def text_response(
    text: str,
    status: int = 200,
    *,
    content_type: str = "text/plain; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Response:
    all_headers = {"Content-Type": content_type}
    all_headers.update(headers or {})
    return Response(status, text.encode("utf-8"), all_headers)


def not_found(path: str) -> Response:
    return text_response(f"404 Not Found: {path}\n", 404)


class RequestIds:
    """Thread-safe generator of OpenReview-style request ids (``2026-08-31-4689127``)."""

    def __init__(self, start: int = 4689127) -> None:
        self._next = start
        self._lock = threading.Lock()

    def new(self) -> str:
        with self._lock:
            number = self._next
            self._next += 1
        return f"{time.strftime('%Y-%m-%d', time.gmtime())}-{number}"
