"""arXiv's title search, the one used by every path: the OpenReview/ACL fallback's preprint twin and the title route.

``GET {arXiv API}?search_query=ti:w1 AND ti:w2 ...``; only a paper whose normalised
title equals the one asked counts. Answers are cached by a hash of the normalised
title (``cache/arxiv-search/<sha256>.json``): the match, or "no arXiv paper has exactly
this title", so a warm run asks nothing.
"""

from __future__ import annotations

from typing import Callable

from tridentbib.http import ServiceClient, ServiceError
from tridentbib.latex import normalize_title
from tridentbib.lookup.policy import Policy, consult, keep
from tridentbib.model import Record
from tridentbib.resolvers.arxiv import FeedError, parse_search_feed
from tridentbib.store.cache import DiskCache, NotFound, utc_now

NO_EXACT_TITLE = "no arXiv paper has exactly this title"


def search_arxiv_title(
    title: str,
    cache: DiskCache,
    policy: Policy,
    client: ServiceClient | Callable[[], ServiceClient | None] | None,
) -> Record | str:
    """The cached or fetched ``arxiv-search`` record (``{"query", "match"}``) for ``title``, or why there is none.

    ``client`` may be a function that makes it: it is called only when the cache cannot answer.
    """
    wanted = key = normalize_title(title)  # the cache names the file by a hash of it
    if not wanted:
        return "arXiv title search: the list's title has no words to search for"
    cached, ask = consult(cache, policy, "arxiv-search", key)
    if not ask and isinstance(cached, Record):
        return cached
    if not ask and isinstance(cached, NotFound):
        return f"arXiv title search: {cached.reason}"
    if callable(client):
        client = None if policy.offline else client()
    if policy.offline or client is None:
        return "arXiv title search: offline and not in the cache"
    words = " AND ".join(f"ti:{word}" for word in wanted.split()[:12])
    params = {"search_query": words, "start": "0", "max_results": "10"}
    try:
        response = client.get("", params=params)
        results = parse_search_feed(response.content, response.status)
    except (FeedError, ServiceError) as error:
        return f"arXiv title search failed: {error}"
    match = next((r for r in results if normalize_title(r["title"]) == wanted), None)
    if match is None:
        keep(cache, NotFound("arxiv-search", key, NO_EXACT_TITLE, utc_now()))
        return f"arXiv title search: {NO_EXACT_TITLE}"
    record = Record("arxiv-search", key, {"query": title, "match": match}, utc_now(), client.url_for(""))
    keep(cache, record)
    return record
