"""Crossref is paced by the x-rate-limit headers it sends, per pool of routes (#16 item 8)."""

from __future__ import annotations

from fakeapi.crossref import make_work
from tridentbib.http import ServiceClient, reset_breakers
from tridentbib.settings import Settings


def gaps(api) -> list[float]:
    starts = [r.started for r in api.requests("crossref")]
    return [b - a for a, b in zip(starts, starts[1:], strict=False)]


def client(api, paced: bool) -> ServiceClient:
    reset_breakers()
    base = api.env()["TRIDENTBIB_CROSSREF_API_URL"]
    return ServiceClient("crossref", base, Settings(), 0.0, paced_by_headers=paced)


def test_single_records_and_list_queries_follow_their_own_announced_pace(api):
    """The fake announces Crossref's public pool: 5 single records a second, 1 list query a second."""
    api.crossref.add(make_work("10.9999/one", "journal-article", "One", [("A", "B")]))
    crossref = client(api, paced=True)
    for _ in range(3):
        assert crossref.get("/works/10.9999/one").status == 200
    assert all(gap >= 0.19 for gap in gaps(api)), gaps(api)
    assert all(gap < 0.6 for gap in gaps(api)), "single records are not paced like list queries"
    api.clear_log()
    for _ in range(2):
        assert crossref.get("/works", params={"filter": "doi:10.9999/one"}).status == 200
    assert gaps(api)[0] >= 0.95
    crossref.close()


def test_polite_pool_headers_make_the_pace_faster_and_no_headers_keep_the_setting(api):
    api.crossref.headers.update(
        {"x-api-pool": "polite-single", "x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"}
    )
    crossref = client(api, paced=True)
    for _ in range(3):
        crossref.get("/works/10.9999/none")  # a 404 carries the headers too
    assert all(gap < 0.15 for gap in gaps(api)), gaps(api)
    crossref.close()


def test_without_header_pacing_the_configured_interval_alone_counts(api):
    crossref = client(api, paced=False)
    for _ in range(3):
        crossref.get("/works/10.9999/none")
    assert all(gap < 0.15 for gap in gaps(api)), gaps(api)
    crossref.close()
