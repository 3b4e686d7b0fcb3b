"""Local fake of the scholarly APIs tridentbib talks to (see ``server.py``).

from fakeapi import FakeAPI, Fault, ArxivPaper

with FakeAPI() as api:
    api.arxiv.add_paper(ArxivPaper(id="2101.00001", title="A title"))
    api.inject("arxiv", Fault.status(503))
    run_tridentbib(env=api.env())
"""

from .acl import AclService
from .arxiv import ArxivPaper, ArxivService, render_classic_entry, render_entry
from .common import FIXTURES_DIR, Request, Response
from .dblp import DblpRecord, DblpService
from .faults import Fault, json_fault
from .openreview import OpenReviewService, make_openreview_bibtex, make_v1_note, make_v2_note
from .s2 import S2Paper, S2Service, s2_rate_limit_fault
from .server import ENV_PATHS, SERVICE_PREFIXES, FakeAPI

__all__ = [
    "AclService",
    "ArxivPaper",
    "ArxivService",
    "DblpRecord",
    "DblpService",
    "ENV_PATHS",
    "FIXTURES_DIR",
    "FakeAPI",
    "Fault",
    "OpenReviewService",
    "Request",
    "Response",
    "S2Paper",
    "S2Service",
    "SERVICE_PREFIXES",
    "json_fault",
    "make_openreview_bibtex",
    "make_v1_note",
    "make_v2_note",
    "render_classic_entry",
    "render_entry",
    "s2_rate_limit_fault",
]
