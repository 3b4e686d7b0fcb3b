"""Network and server failures that can be injected into any fake service.

Real services fail in a handful of recognisable ways: an error status with a body,
a connection reset, a body cut short, a slow answer, or an HTML page (proxy,
captive portal, bot challenge) where data was expected. ``Fault`` describes one
such failure; ``FakeAPI.inject`` queues them per service, ``FakeAPI.fail_always``
makes them permanent. The server core (``server.py``) carries them out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

GENERIC_ERROR_PAGE = """<!DOCTYPE html>
<html>
<head><title>Service Temporarily Unavailable</title></head>
<body>
<h1>Service Temporarily Unavailable</h1>
<p>The server is temporarily unable to service your request due to maintenance
downtime or capacity problems. Please try again later.</p>
</body>
</html>
"""


@dataclass(frozen=True)
class Fault:
    """One injected failure. Build with the class methods, not the constructor."""

    kind: str  # "status" | "reset" | "truncate" | "delay" | "html"
    status_code: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    fraction: float = 0.5
    seconds: float = 0.0
    declare_full_length: bool = True

    @classmethod
    def status(cls, code: int, body: bytes | str | dict | list = b"", headers: dict[str, str] | None = None) -> Fault:
        """Answer ``code`` with ``body`` instead of the real response.

        ``str`` bodies are UTF-8 encoded; ``dict``/``list`` bodies are sent as
        compact JSON with ``Content-Type: application/json`` unless ``headers``
        says otherwise.
        """
        all_headers: dict[str, str] = {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body, separators=(",", ":")).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        elif isinstance(body, str):
            body = body.encode("utf-8")
            all_headers["Content-Type"] = "text/plain; charset=utf-8"
        all_headers.update(headers or {})
        return cls("status", status_code=code, body=body, headers=all_headers)

    @classmethod
    def reset(cls) -> Fault:
        """Close the TCP connection with an RST (SO_LINGER 0) without answering."""
        return cls("reset")

    @classmethod
    def truncate(cls, fraction: float = 0.5, *, declare_full_length: bool = True) -> Fault:
        """Send the real status and headers but only ``fraction`` of the body, then close.

        With ``declare_full_length`` (default) ``Content-Length`` announces the whole
        body, so a client notices the short read (httpx: ``RemoteProtocolError``).
        Without it the response has no ``Content-Length`` and ``Connection: close``:
        the client sees a *complete-looking* 200 whose body is cut (e.g. half an XML
        document) -- the nastier case, which only body validation catches.
        """
        if not 0.0 <= fraction < 1.0:
            raise ValueError("fraction must be in [0, 1)")
        return cls("truncate", fraction=fraction, declare_full_length=declare_full_length)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Sleep ``seconds`` before answering normally (for client timeouts)."""
        return cls("delay", seconds=seconds)

    @classmethod
    def html(cls, page: str | None = None, status: int = 200) -> Fault:
        """Answer with an HTML page (default: a maintenance page) and ``status``."""
        return cls(
            "html",
            status_code=status,
            body=(page or GENERIC_ERROR_PAGE).encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )

    def describe(self) -> str:
        """Short label stored in ``Request.fault``."""
        if self.kind in ("status", "html"):
            return f"{self.kind}:{self.status_code}"
        if self.kind == "delay":
            return f"delay:{self.seconds}"
        if self.kind == "truncate":
            return f"truncate:{self.fraction}"
        return self.kind

    def __repr__(self) -> str:  # keep test failure output short
        return f"Fault({self.describe()})"


def json_fault(code: int, payload: Any, headers: dict[str, str] | None = None, *, compact: bool = True) -> Fault:
    """A status fault whose body is ``payload`` as JSON, serialised like the service does."""
    separators = (",", ":") if compact else (", ", ": ")
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    return Fault.status(code, json.dumps(payload, separators=separators).encode("utf-8"), all_headers)
