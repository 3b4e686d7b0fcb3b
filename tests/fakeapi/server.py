"""A local stand-in for arXiv, OpenReview, ACL Anthology, dblp and Semantic Scholar.

tridentbib's tests run real HTTP (real client, real timeouts, real parsing) against
this server on 127.0.0.1 instead of the internet. The server core here only does the
plumbing every service shares -- routing by path prefix, a request log with timings,
artificial latency and fault injection -- and delegates the answer to one module per
service, each of which reproduces that service's exact response format.

Usage::

    with FakeAPI() as api:
        api.arxiv.load_fixture_entries()
        api.inject("arxiv", Fault.status(503), Fault.reset())
        env = api.env()            # TRIDENTBIB_*_URL variables pointing here
        ...
        assert len(api.requests("arxiv")) == 3
"""

from __future__ import annotations

import itertools
import socket
import struct
import threading
import time
import traceback
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

from .acl import AclService
from .arxiv import ArxivService
from .common import Request, Response, not_found, text_response
from .crossref import CrossrefService
from .cvf import CvfService
from .datacite import DataciteService
from .dblp import DblpService
from .faults import Fault
from .isca import IscaService
from .jmlr import JmlrService
from .neurips import NeuripsService
from .openreview import OpenReviewService
from .pmlr import PmlrService
from .s2 import S2Service

#: service name -> URL path prefix on the fake server
SERVICE_PREFIXES: dict[str, str] = {
    "arxiv": "/arxiv",
    "openreview2": "/openreview2",
    "openreview1": "/openreview1",
    "acl": "/acl",
    "dblp": "/dblp",
    "s2": "/s2",
    "crossref": "/crossref",
    "datacite": "/datacite",
    "neurips": "/neurips",
    "pmlr": "/pmlr",
    "jmlr": "/jmlr",
    "cvf": "/cvf",
    "cvf-legacy": "/cvf-legacy",
    "isca": "/isca",
}

#: environment variable -> path (below ``base``) it must point at
ENV_PATHS: dict[str, str] = {
    "TRIDENTBIB_ARXIV_API_URL": "/arxiv/api/query",
    "TRIDENTBIB_OPENREVIEW_API_URL": "/openreview2",
    "TRIDENTBIB_OPENREVIEW_V1_API_URL": "/openreview1",
    "TRIDENTBIB_ACL_URL": "/acl",
    "TRIDENTBIB_DBLP_API_URL": "/dblp/search/publ/api",
    "TRIDENTBIB_S2_API_URL": "/s2/graph/v1",
    "TRIDENTBIB_CROSSREF_API_URL": "/crossref",
    "TRIDENTBIB_DATACITE_API_URL": "/datacite",
    "TRIDENTBIB_NEURIPS_URL": "/neurips",
    "TRIDENTBIB_PMLR_URL": "/pmlr",
    "TRIDENTBIB_JMLR_URL": "/jmlr",
    "TRIDENTBIB_CVF_URL": "/cvf",
    "TRIDENTBIB_CVF_LEGACY_URL": "/cvf-legacy",
    "TRIDENTBIB_ISCA_URL": "/isca",
}


class FakeAPI:
    """The fake server. Use as a context manager, or call ``start()``/``stop()``.

    Per-service data registries: ``api.arxiv``, ``api.acl``, ``api.openreview``
    (serves both ``openreview2`` and ``openreview1``), ``api.dblp``, ``api.s2``.
    """

    def __init__(self, *, latency: float = 0.0, load_fixtures: bool = False) -> None:
        #: seconds slept before answering every request (benchmarks, politeness tests)
        self.latency = latency
        self.arxiv = ArxivService()
        self.acl = AclService()
        self.openreview = OpenReviewService()
        self.dblp = DblpService()
        self.s2 = S2Service()
        self.crossref = CrossrefService()
        self.datacite = DataciteService()
        self.neurips = NeuripsService()
        self.pmlr = PmlrService()
        self.jmlr = JmlrService()
        self.cvf = CvfService()  #: serves both ``cvf`` and ``cvf-legacy``
        self.isca = IscaService()
        #: tracebacks of exceptions raised inside service handlers (answered as 500)
        self.errors: list[str] = []
        self._handlers: dict[str, Callable[[Request], Response]] = {
            "arxiv": self.arxiv.handle,
            "openreview2": self.openreview.handle_v2,
            "openreview1": self.openreview.handle_v1,
            "acl": self.acl.handle,
            "dblp": self.dblp.handle,
            "s2": self.s2.handle,
            "crossref": self.crossref.handle,
            "datacite": self.datacite.handle,
            "neurips": self.neurips.handle,
            "pmlr": self.pmlr.handle,
            "jmlr": self.jmlr.handle,
            "cvf": self.cvf.handle,
            "cvf-legacy": self.cvf.handle_legacy,
            "isca": self.isca.handle,
        }
        self._log: list[Request] = []
        self._lock = threading.Lock()
        self._queued: dict[str, deque[Fault]] = {name: deque() for name in SERVICE_PREFIXES}
        self._always: dict[str, Iterator[Fault]] = {}
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        if load_fixtures:
            self.load_all_fixtures()

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> FakeAPI:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake_api = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="fakeapi-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes handlers sleeping for latency/delay faults
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            open_connections = list(self._connections)
        for conn in open_connections:  # idle keep-alive connections would outlive us
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ addresses
    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeAPI is not running; use 'with FakeAPI() as api:'")
        return self._httpd.server_address[1]

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, service: str) -> str:
        """Root URL of one service, e.g. ``url("s2")`` -> ``http://127.0.0.1:PORT/s2``."""
        return self.base + SERVICE_PREFIXES[self._check_service(service)]

    def env(self) -> dict[str, str]:
        """Environment variables that point tridentbib at this server."""
        return {name: self.base + path for name, path in ENV_PATHS.items()}

    def load_all_fixtures(self) -> None:
        """Register every fixture (tests/fixtures/) in every service registry."""
        self.arxiv.load_fixture_entries()
        self.acl.load_fixtures()
        self.openreview.load_fixtures()
        self.dblp.load_fixtures()
        self.s2.load_fixtures()

    # ------------------------------------------------------------------------ log
    @property
    def log(self) -> list[Request]:
        """Snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._log)

    def requests(self, service: str | None = None) -> list[Request]:
        """Logged requests, optionally only those of one service."""
        if service is not None:
            self._check_service(service)
        return [r for r in self.log if service is None or r.service == service]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # --------------------------------------------------------------------- faults
    def inject(self, service: str, *faults: Fault) -> None:
        """Queue faults for ``service``; each of its next requests consumes one."""
        self._check_service(service)
        with self._lock:
            self._queued[service].extend(faults)

    def fail_always(self, service: str, *faults: Fault) -> None:
        """Make every request of ``service`` fail, cycling through ``faults``.

        Queued ``inject`` faults are consumed first. ``clear_faults`` undoes this.
        """
        self._check_service(service)
        if not faults:
            raise ValueError("fail_always needs at least one Fault")
        with self._lock:
            self._always[service] = itertools.cycle(faults)

    def clear_faults(self, service: str | None = None) -> None:
        with self._lock:
            for name in [service] if service else list(SERVICE_PREFIXES):
                self._check_service(name)
                self._queued[name].clear()
                self._always.pop(name, None)

    def pending_faults(self, service: str) -> int:
        """How many queued (``inject``) faults ``service`` has not consumed yet."""
        with self._lock:
            return len(self._queued[self._check_service(service)])

    def _next_fault(self, service: str) -> Fault | None:
        with self._lock:
            if service not in self._queued:
                return None
            if self._queued[service]:
                return self._queued[service].popleft()
            always = self._always.get(service)
            return next(always) if always is not None else None

    @staticmethod
    def _check_service(service: str) -> str:
        if service not in SERVICE_PREFIXES:
            raise ValueError(f"unknown service {service!r}; expected one of {sorted(SERVICE_PREFIXES)}")
        return service

    # ------------------------------------------------------------ request serving
    def _route(self, path: str) -> tuple[str, str]:
        for service, prefix in SERVICE_PREFIXES.items():
            if path == prefix or path.startswith(prefix + "/"):
                return service, path[len(prefix) :] or "/"
        return "unknown", path

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _serve(self, handler: _Handler) -> None:
        """Answer one request: log it, apply latency and faults, call the service."""
        started, wall_time = time.monotonic(), time.time()
        url = urlsplit(handler.path)
        body = handler.read_body()
        service, subpath = self._route(url.path)
        request = Request(
            service=service,
            method=handler.command,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers={key.lower(): value for key, value in handler.headers.items()},
            body=body,
            started=started,
            wall_time=wall_time,
            subpath=subpath,
        )
        with self._lock:
            self._log.append(request)
        try:
            self._sleep(self.latency)
            fault = self._next_fault(service)
            if fault is not None:
                request.fault = fault.describe()
            if fault is not None and fault.kind == "delay":
                self._sleep(fault.seconds)
                fault = None
            if fault is not None and fault.kind == "reset":
                handler.reset_connection()
                return
            if fault is not None and fault.kind in ("status", "html"):
                response = Response(fault.status_code, fault.body, dict(fault.headers))
            else:
                response = self._call_service(service, request)
            request.status = response.status
            if fault is not None and fault.kind == "truncate":
                handler.send_truncated(response, fault.fraction, fault.declare_full_length)
            else:
                handler.send(response)
        finally:
            request.finished = time.monotonic()

    def _call_service(self, service: str, request: Request) -> Response:
        service_handler = self._handlers.get(service)
        if service_handler is None:
            return not_found(request.path)
        try:
            return service_handler(request)
        except Exception:  # a bug in the fake must be loud, not a hang
            trace = traceback.format_exc()
            with self._lock:
                self.errors.append(trace)
            return text_response("fakeapi internal error\n" + trace, 500)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake_api: FakeAPI

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up (timeouts, resets) are expected; stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive like the real services
    timeout = 30  # idle keep-alive connections give up eventually
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms ACK stalls
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.fake_api._lock:
            self.server.fake_api._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.fake_api._lock:
            self.server.fake_api._connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def _dispatch(self) -> None:
        try:
            self.server.fake_api._serve(self)
        except (ConnectionError, TimeoutError, OSError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Silence the default stderr access log; ``FakeAPI.log`` records everything."""

    # -------------------------------------------------------------- body reading
    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # ---------------------------------------------------------------- answering
    def _send_head(self, response: Response, content_length: int | None) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        if content_length is not None:
            self.send_header("Content-Length", str(content_length))
        else:
            self.send_header("Connection", "close")
        self.end_headers()

    def send(self, response: Response) -> None:
        self._send_head(response, len(response.body))
        if self.command != "HEAD":
            self.wfile.write(response.body)
        self.wfile.flush()

    def send_truncated(self, response: Response, fraction: float, declare_full_length: bool) -> None:
        self._send_head(response, len(response.body) if declare_full_length else None)
        self.wfile.write(response.body[: int(len(response.body) * fraction)])
        self.wfile.flush()
        self.close_connection = True

    def reset_connection(self) -> None:
        """Abort with a TCP RST: SO_LINGER(on, 0) then close, no response at all."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # drop the makefile() reference so close() really closes
        self.connection.close()
