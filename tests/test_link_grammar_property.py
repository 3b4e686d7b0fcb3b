"""Hostile links on every host a service of ours reads: never an exception, never an id outside its grammar.

Each new host (NeurIPS, CVF, PMLR, JMLR, ISCA, IEEE, ACM, AAAI, Semantic Scholar) parses
links with its own rules; hypothesis throws arbitrary paths, queries and characters at
all of them through the one entry point, :func:`tridentbib.identifiers.classify_url`.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tridentbib.identifiers import PaperId, Rejected, classify_url, is_valid_id

HOSTS = [
    "proceedings.neurips.cc",
    "papers.nips.cc",
    "openaccess.thecvf.com",
    "www.cv-foundation.org",
    "proceedings.mlr.press",
    "jmlr.org",
    "www.jmlr.org",
    "www.isca-archive.org",
    "www.isca-speech.org",
    "ieeexplore.ieee.org",
    "delivery.acm.org",
    "dl.acm.org",
    "ojs.aaai.org",
    "www.semanticscholar.org",
    "doi.org",
    "link.springer.com",
    "www.ijcai.org",
]
#: path pieces real links use, mixed with hostile ones
PIECES = st.sampled_from(
    [
        "paper",
        "paper_files",
        "hash",
        "file",
        "2014",
        "2020",
        "5347-slug",
        "by-source-2019-12",
        "0a1b2c3d4e5f60718293a4b5c6d7e8f9-Abstract.html",
        "content_cvpr_2016",
        "content",
        "CVPR2023",
        "html",
        "papers",
        "He_Deep_CVPR_2016_paper.pdf",
        "v139",
        "zhao21c.html",
        "papers",
        "volume15",
        "srivastava14a",
        "interspeech_2021",
        "penney21_interspeech.html",
        "archive",
        "document",
        "4700287",
        "stamp",
        "stamp.jsp",
        "10.1145",
        "3190000",
        "3186116",
        "p499.pdf",
        "citation.cfm",
        "index.php",
        "AAAI",
        "article",
        "view",
        "16789",
        "2f3efe44083af91cef562c1a3451eee2f8601d22",
        "..",
        ".",
        "%2e%2e",
        "%2F",
        "",
        "\u00e9",
        "\x00",
        "10.1007%2F978-3-540-27868-9_4.pdf",
        "proceedings",
        "0366.pdf",
    ]
)
QUERIES = st.sampled_from(["", "?arnumber=4700287", "?id=3186116&key=x", "?arnumber=1&arnumber=2", "?id=", "?=&&"])


@settings(max_examples=400, deadline=None)
@given(
    scheme=st.sampled_from(["https://", "http://", "//", ""]),
    host=st.sampled_from(HOSTS),
    segments=st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=7),
    query=QUERIES,
)
def test_any_link_on_a_service_host_gives_a_valid_id_or_none(scheme, host, segments, query):
    url = f"{scheme}{host}/" + "/".join(segments) + query
    result = classify_url(url)
    assert result is None or isinstance(result, (PaperId, Rejected))
    if isinstance(result, PaperId):
        assert is_valid_id(result.kind, result.id), (url, result)
        assert ".." not in result.id.split("/"), (url, result)
