"""Tests for tridentbib.identifiers: every link form we resolve, and the hostile
or look-alike ones we must never turn into a request."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from tridentbib.identifiers import (
    ACL_NEW,
    ACL_OLD,
    ARXIV_NEW,
    ARXIV_OLD,
    OPENREVIEW_ID,
    Kind,
    PaperId,
    Rejected,
    acl_id_from_text,
    arxiv_id_from_text,
    classify_url,
    find_ids_in_text,
    is_valid_id,
    normalize_doi,
    openreview_pdf_hash,
)

A, O, L, D = Kind.ARXIV, Kind.OPENREVIEW, Kind.ACL, Kind.DOI


def pid(kind: Kind, ident: str, version: int | None = None) -> PaperId:
    return PaperId(kind, ident, version)


# ---------------------------------------------------------------------------
# URLs that name a paper


ARXIV_URLS = [
    # seed list
    ("https://arxiv.org/abs/2410.17799v1", "2410.17799", 1),
    ("https://arxiv.org/html/2501.01957v1", "2501.01957", 1),
    ("https://www.arxiv.org/abs/2412.08237", "2412.08237", None),
    ("https://arxiv.org/pdf/2503.00733", "2503.00733", None),
    # abs / pdf / html, versions, suffixes
    ("https://arxiv.org/abs/2301.02111", "2301.02111", None),
    ("https://arxiv.org/abs/2301.02111v2", "2301.02111", 2),
    ("https://arxiv.org/pdf/2301.02111", "2301.02111", None),
    ("https://arxiv.org/pdf/2301.02111v2", "2301.02111", 2),
    ("https://arxiv.org/pdf/2301.02111.pdf", "2301.02111", None),
    ("https://arxiv.org/pdf/2301.02111v3.pdf", "2301.02111", 3),
    ("https://arxiv.org/pdf/2301.02111v3.PDF", "2301.02111", 3),
    ("https://arxiv.org/html/2501.01957v1/", "2501.01957", 1),
    ("https://arxiv.org/html/2501.01957v1/x1.png", "2501.01957", 1),
    ("https://arxiv.org/abs/2301.02111/", "2301.02111", None),
    ("https://arxiv.org/pdf/2301.02111v12", "2301.02111", 12),
    # hosts and schemes
    ("http://arxiv.org/abs/2301.02111", "2301.02111", None),
    ("http://www.arxiv.org/abs/2301.02111", "2301.02111", None),
    ("https://export.arxiv.org/abs/2301.02111", "2301.02111", None),
    ("HTTPS://ARXIV.ORG/abs/2301.02111", "2301.02111", None),
    ("https://arxiv.org./abs/2301.02111", "2301.02111", None),
    ("arxiv.org/abs/2301.02111", "2301.02111", None),
    ("//arxiv.org/abs/2301.02111", "2301.02111", None),
    ("  https://arxiv.org/abs/2301.02111\n", "2301.02111", None),
    ("https://ar5iv.labs.arxiv.org/html/2301.02111", "2301.02111", None),
    # query strings and fragments
    ("https://arxiv.org/pdf/2301.02111.pdf?utm_content=x", "2301.02111", None),
    ("https://arxiv.org/abs/2301.02111#S3", "2301.02111", None),
    ("https://arxiv.org/abs/2301.02111v2?context=cs.CL#bib", "2301.02111", 2),
    # old-style ids, subject classes, encoded slash
    ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001", None),
    ("https://arxiv.org/pdf/cs/0112017v2", "cs/0112017", 2),
    ("https://arxiv.org/abs/math.GT/0309136", "math/0309136", None),
    ("https://arxiv.org/abs/cond-mat.mes-hall/0102536v3", "cond-mat/0102536", 3),
    ("https://arxiv.org/abs/math-ph/0001001", "math-ph/0001001", None),
    ("https://arxiv.org/abs/hep-th%2F9901001", "hep-th/9901001", None),
    ("https://arxiv.org/abs/hep-th%2f9901001v1", "hep-th/9901001", 1),
    # 4-digit and 5-digit sequence numbers at the scheme boundaries
    ("https://arxiv.org/abs/0704.0001", "0704.0001", None),
    ("https://arxiv.org/abs/1412.9999", "1412.9999", None),
    ("https://arxiv.org/abs/1501.00001", "1501.00001", None),
    # arXiv DOIs
    ("https://doi.org/10.48550/arXiv.2307.03172", "2307.03172", None),
    ("https://dx.doi.org/10.48550/arXiv.2307.03172", "2307.03172", None),
    ("https://doi.org/10.48550/arxiv.2307.03172", "2307.03172", None),
    ("http://dx.doi.org/10.48550/ARXIV.2307.03172", "2307.03172", None),
    # messy pasted junk after the id
    ("https://arxiv.org/pdf/1511.07289.pdf%5Cnhttp://foo", "1511.07289", None),
    ("https://arxiv.org/pdf/1511.07289.pdf\\nhttp://foo", "1511.07289", None),
    ("https://arxiv.org/abs/2301.02111)", "2301.02111", None),
    ("https://arxiv.org/abs/2301.02111).", "2301.02111", None),
    ("https://arxiv.org/abs/2301.02111]", "2301.02111", None),
    ("https://arxiv.org/abs/2301.02111.", "2301.02111", None),
    ("https://arxiv.org/abs/2301.02111,", "2301.02111", None),
    ("https://arxiv.org/abs/2301.02111%22", "2301.02111", None),
    # a text form used as a Markdown link target
    ("arXiv:2301.02111", "2301.02111", None),
    ("arXiv: 2301.02111v2", "2301.02111", 2),
]


@pytest.mark.parametrize(("url", "ident", "version"), ARXIV_URLS)
def test_arxiv_urls(url: str, ident: str, version: int | None) -> None:
    assert classify_url(url) == pid(A, ident, version)


OPENREVIEW_URLS = [
    ("https://openreview.net/attachment?id=eJpI20hzWf&name=pdf", "eJpI20hzWf"),
    ("https://openreview.net/pdf?id=KCVv3tICvp", "KCVv3tICvp"),
    ("https://openreview.net/forum?id=868masI331", "868masI331"),
    ("https://openreview.net/forum?id=KCVv3tICvp", "KCVv3tICvp"),
    ("https://openreview.net/notes?id=rJ4km2R5t7", "rJ4km2R5t7"),
    ("https://openreview.net/forum?id=H1gax6VtDB&noteId=SJxyZ8VKiB", "H1gax6VtDB"),
    ("https://openreview.net/forum?noteId=SJxyZ8VKiB&id=H1gax6VtDB", "H1gax6VtDB"),
    ("https://openreview.net/attachment?name=pdf&id=eJpI20hzWf", "eJpI20hzWf"),
    ("https://openreview.net/forum?id=B1-Hhnslg", "B1-Hhnslg"),
    ("https://openreview.net/forum?id=B1-Hhnslg#discussion", "B1-Hhnslg"),
    ("https://openreview.net/forum/?id=KCVv3tICvp", "KCVv3tICvp"),
    ("http://openreview.net/forum?id=KCVv3tICvp", "KCVv3tICvp"),
    ("https://www.openreview.net/forum?id=KCVv3tICvp", "KCVv3tICvp"),
    ("https://api.openreview.net/notes?id=KCVv3tICvp", "KCVv3tICvp"),
    ("https://api2.openreview.net/notes?id=KCVv3tICvp", "KCVv3tICvp"),
    ("https://openreview.net/forum?id=KCVv3tICvp&id=KCVv3tICvp", "KCVv3tICvp"),
    ("https://openreview.net/forum?id=KCVv3tICvp)", "KCVv3tICvp"),
    ("https://openreview.net/forum?id=a_b-c_d-e_", "a_b-c_d-e_"),
]


@pytest.mark.parametrize(("url", "ident"), OPENREVIEW_URLS)
def test_openreview_urls(url: str, ident: str) -> None:
    assert classify_url(url) == pid(O, ident)


ACL_URLS = [
    ("https://aclanthology.org/2024.acl-long.589/", "2024.acl-long.589", None),
    ("https://aclanthology.org/2024.acl-long.589", "2024.acl-long.589", None),
    ("https://aclanthology.org/2024.findings-emnlp.246.pdf", "2024.findings-emnlp.246", None),
    ("https://aclanthology.org/2024.acl-long.731v2.pdf", "2024.acl-long.731", 2),
    ("https://aclanthology.org/2022.coling-1.56.bib", "2022.coling-1.56", None),
    ("https://aclanthology.org/2023.acl-long.1", "2023.acl-long.1", None),
    ("https://aclanthology.org/2020.emnlp-main.550.xml", "2020.emnlp-main.550", None),
    ("https://aclanthology.org/2024.findings-acl.616", "2024.findings-acl.616", None),
    ("https://aclanthology.org/2024.lrec-main.123/", "2024.lrec-main.123", None),
    ("https://aclanthology.org/2021.naacl-main.41.pdf", "2021.naacl-main.41", None),
    ("https://aclanthology.org/2020.acl-main.1", "2020.acl-main.1", None),
    ("https://aclanthology.org/2024.ACL-Long.589", "2024.acl-long.589", None),
    ("https://aclanthology.org/P19-1007", "P19-1007", None),
    ("https://aclanthology.org/p19-1007/", "P19-1007", None),
    ("https://aclanthology.org/W18-5446.pdf", "W18-5446", None),
    ("https://aclanthology.org/J89-2002", "J89-2002", None),
    ("https://aclanthology.org/P18-1188e1.pdf", "P18-1188", None),
    ("https://aclanthology.org/P18-1188v2.pdf", "P18-1188", 2),
    ("https://aclanthology.org/2024.acl-long.589/)", "2024.acl-long.589", None),
    ("https://www.aclweb.org/anthology/P19-1007.pdf", "P19-1007", None),
    ("https://www.aclweb.org/anthology/P19-1007", "P19-1007", None),
    ("https://www.aclweb.org/anthology/2020.acl-main.1/", "2020.acl-main.1", None),
    ("http://aclweb.org/anthology/D/D15/D15-1166.pdf", "D15-1166", None),
    ("http://anthology.aclweb.org/D/D14/D14-1162.pdf", "D14-1162", None),
    ("http://aclanthology.info/papers/P18-1031/p18-1031", "P18-1031", None),
    ("https://doi.org/10.18653/v1/2024.acl-long.589", "2024.acl-long.589", None),
    ("https://doi.org/10.18653/v1/P19-1007", "P19-1007", None),
    ("https://dx.doi.org/10.18653/V1/p19-1007", "P19-1007", None),
]


@pytest.mark.parametrize(("url", "ident", "version"), ACL_URLS)
def test_acl_urls(url: str, ident: str, version: int | None) -> None:
    assert classify_url(url) == pid(L, ident, version)


DOI_URLS = [
    ("https://doi.org/10.1109/TASLP.2024.3379877", "10.1109/taslp.2024.3379877"),
    ("https://dx.doi.org/10.1109/TASLP.2024.3379877", "10.1109/taslp.2024.3379877"),
    ("http://doi.org/10.1145/3442188.3445922?via=x#top", "10.1145/3442188.3445922"),
    ("https://doi.org/10.1145%2F3442188.3445922", "10.1145/3442188.3445922"),
    ("https://doi.org/10.1109/TASLP.2024.3379877)", "10.1109/taslp.2024.3379877"),
    # parentheses that belong to the DOI survive
    (
        "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
        "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
    ),
    # other 10.18653 DOIs are not Anthology ids
    ("https://doi.org/10.18653/abc", "10.18653/abc"),
]


@pytest.mark.parametrize(("url", "doi"), DOI_URLS)
def test_doi_urls(url: str, doi: str) -> None:
    assert classify_url(url) == pid(D, doi)


# ---------------------------------------------------------------------------
# URLs that are not papers at all


NOT_A_PAPER = [
    "https://kyutai.org/Moshi.pdf",
    "https://github.com/THUDM/GLM-4-Voice",
    "https://arxiv.org/",
    "https://arxiv.org",
    "https://arxiv.org/list/cs.CL/recent",
    "https://arxiv.org/a/smith_j_1",
    "https://arxiv.org/search/?query=speech",
    "https://export.arxiv.org/api/query?id_list=2301.02111",
    "https://openreview.net/",
    "https://openreview.net/group?id=ICLR.cc/2025/Conference",
    "https://openreview.net/profile?id=~Jane_Doe1",
    "https://aclanthology.org/",
    "https://aclanthology.org/events/acl-2024/",
    "https://aclanthology.org/people/j/jane-doe/",
    "https://aclanthology.org/venues/acl/",
    "https://aclanthology.org/faq/",
    "https://www.aclweb.org/portal/",
    "https://www.aclweb.org/anthology/",
    "http://aclanthology.info/papers/some-slug-without-id",
    "https://doi.org/",
    # hosts that only resemble a service
    "https://arxiv.org.evil.example/abs/2301.02111",
    "https://evil.example/arxiv.org/abs/2301.02111",
    "https://arxiv.org@evil.example/abs/2301.02111",
    "https://notarxiv.org/abs/2301.02111",
    # not http(s)
    "ftp://arxiv.org/abs/2301.02111",
    "javascript:alert(1)//arxiv.org/abs/2301.02111",
    "mailto:someone@arxiv.org",
    "",
    "   ",
    "https://[::1/abs/2301.02111",
    "https://ａｒｘｉｖ.org/abs/2301.02111",
]


@pytest.mark.parametrize("url", NOT_A_PAPER)
def test_not_a_paper(url: str) -> None:
    assert classify_url(url) is None


# ---------------------------------------------------------------------------
# Supported services, but no valid paper: reported, never requested


REJECTED = [
    # arXiv: paths claiming a paper that fail the grammar
    ("https://arxiv.org/abs/../../etc/passwd", A, None),
    ("https://arxiv.org/abs/..%2f..%2fetc", A, None),
    ("https://arxiv.org/abs/..%2F..%2Fetc%2Fpasswd", A, None),
    ("https://arxiv.org/abs/%252e%252e%252fetc", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.0211", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.021111", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/9999.99999999999", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/" + "1" * 65, A, "longer than 64"),
    ("https://arxiv.org/abs/2301.02111&id_list=1", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.02111%26id_list%3D1", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.02111%3Fx=1", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.02111%00", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.02111%0A", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.02111v0", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.02111v2v3", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2313.00001", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2300.00001", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/0703.0001", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/1412.99999", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/1501.0001", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.00000", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/foo-bar/9901001", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/hep-th/990100", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/hep-th/9913001", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/HEP-TH/9901001", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/２３０１.０２１１１", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.０2111", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/2301.02111_x", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/", A, "no paper id"),
    ("https://arxiv.org/abs", A, "no paper id"),
    ("https://arxiv.org/pdf/.pdf", A, "no paper id"),
    ("https://doi.org/10.48550/arXiv.2313.00001", A, "not a valid arXiv id"),
    ("arXiv:2313.00001", A, "not a valid arXiv id"),
    # whitespace and control characters inside the link
    ("https://arxiv.org/abs/2301.02111\x00", A, "control characters"),
    ("https://arxiv.org/abs/2301.\n02111", A, "control characters"),
    ("https://arxiv.org/abs/2301.\t02111", A, "control characters"),
    ("https://arxiv.org/abs/2301.02111 v2", A, "control characters"),
    ("https://arxiv.org/abs/2301.02\u200b111", A, "control characters"),
    ("https://arxiv.org/abs/2301.02111\u2028x", A, "control characters"),
    ("https://arxiv.org/abs/2301.02111?x=" + "a" * 5000, A, "too long"),
    # OpenReview
    (
        "https://openreview.net/pdf/0123456789abcdef0123456789abcdef01234567.pdf",
        O,
        "OpenReview PDF hash links name a file, not a forum; link the forum page",
    ),
    ("https://openreview.net/pdf/not-a-hash.pdf", O, "not a valid OpenReview"),
    ("https://openreview.net/forum", O, "no forum id"),
    ("https://openreview.net/forum?noteId=SJxyZ8VKiB", O, "no forum id"),
    ("https://openreview.net/forum?id=", O, "not a valid OpenReview"),
    ("https://openreview.net/forum?id=abc", O, "not a valid OpenReview"),
    ("https://openreview.net/forum?id=" + "a" * 33, O, "not a valid OpenReview"),
    ("https://openreview.net/forum?id=ICLR.cc/2025/Conference", O, "not a valid OpenReview"),
    ("https://openreview.net/forum?id=KCVv3tICvp%00", O, "not a valid OpenReview"),
    ("https://openreview.net/forum?id=KCVv3tICvp%26x%3D1", O, "not a valid OpenReview"),
    ("https://openreview.net/forum?id=..%2F..%2Fetc", O, "not a valid OpenReview"),
    ("https://openreview.net/forum?id=ＫCVv3tICvp", O, "not a valid OpenReview"),
    ("https://openreview.net/forum?id=KCVv3tICvp&id=868masI331", O, "more than one"),
    ("https://openreview.net/forum?" + "&".join(f"k{i}=v" for i in range(80)), O, "too many"),
    ("https://openreview.net/forum/../pdf?id=KCVv3tICvp", O, "segments"),
    # ACL Anthology
    ("https://aclanthology.org/N13-1.pdf#page=784", L, "links a whole ACL volume, not a paper"),
    ("https://aclanthology.org/N13-1", L, "links a whole ACL volume, not a paper"),
    ("https://aclanthology.org/W18-54/", L, "links a whole ACL volume, not a paper"),
    ("https://aclanthology.org/2024.acl-long", L, "links a whole ACL volume, not a paper"),
    ("https://aclanthology.org/2024.acl-long.pdf", L, "links a whole ACL volume, not a paper"),
    ("https://aclanthology.org/volumes/2024.acl-long/", L, "links a whole ACL volume, not a paper"),
    ("https://aclanthology.org/2022.acl-short.0", L, "front matter"),
    ("https://aclanthology.org/2022.acl-short.0.pdf", L, "front matter"),
    ("https://aclanthology.org/P19-1000", L, "front matter"),
    ("https://aclanthology.org/W18-5400.pdf", L, "front matter"),
    ("https://aclanthology.org/D19-5000", L, "front matter"),
    ("https://aclanthology.org/2024.acl-long.00", L, "not a valid ACL"),
    ("https://aclanthology.org/2024.acl-long.0589", L, "not a valid ACL"),
    ("https://aclanthology.org/2024.acl-long.12345", L, "not a valid ACL"),
    ("https://aclanthology.org/3024.acl-long.1", L, "not a valid ACL"),
    ("https://aclanthology.org/2024.acl_long.589", L, "not a valid ACL"),
    ("https://aclanthology.org/P19-10071", L, "not a valid ACL"),
    ("https://aclanthology.org/P19-1007&x=1", L, "not a valid ACL"),
    ("https://aclanthology.org/P19-1007/extra", L, "not a valid ACL"),
    ("https://aclanthology.org/P19-1007.exe", L, "not a valid ACL"),
    ("https://aclanthology.org/P19-1007%2F..%2F..%2Fetc", L, "segments"),
    ("https://doi.org/10.18653/v1/2024.acl-long", L, "links a whole ACL volume, not a paper"),
    ("https://doi.org/10.18653/v1/nonsense", L, "not a valid ACL"),
    # DOI
    ("https://doi.org/10.1/x", D, "not a valid DOI"),
    ("https://doi.org/10.1109/", D, "not a valid DOI"),
    ("https://doi.org/10.1109/%00", D, "not a valid DOI"),
    ("https://doi.org/10.1109/caf%C3%A9", D, "not a valid DOI"),
    ("https://doi.org/10.1109/x/../../etc", D, "segments"),
]


@pytest.mark.parametrize(("url", "kind", "reason"), REJECTED)
def test_rejected(url: str, kind: Kind, reason: str | None) -> None:
    result = classify_url(url)
    assert isinstance(result, Rejected), result
    assert result.kind is kind
    assert result.raw == url.strip()[:200]
    assert result.reason and len(result.reason) < 100
    if reason is not None:
        assert reason in result.reason


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/２３０１.０２１１１",
        "https://arxiv.org/abs/2301.02１11",  # U+FF11 in the sequence number
        "https://arxiv.org/abs/230١.02111",  # Arabic-Indic digit one
        "https://arxiv.org/abs/2301.02111ｖ2",
        "https://openreview.net/forum?id=ＫCVv3tICvp",
        "https://aclanthology.org/２０２４.acl-long.589",
        "https://aclanthology.org/P１9-1007",
        "https://doi.org/10.１109/taslp.2024.1",
        "https://doi.org/10.48550/arXiv.２３０７.03172",
    ],
)
def test_unicode_look_alike_digits_are_never_accepted(url: str) -> None:
    assert not isinstance(classify_url(url), PaperId)
    assert find_ids_in_text(f"see {url} here") == []


def test_rejected_raw_is_truncated_to_200_chars() -> None:
    result = classify_url("https://arxiv.org/abs/" + "9" * 1000)
    assert isinstance(result, Rejected)
    assert len(result.raw) == 200
    assert Rejected(A, "x" * 300, "why").raw == "x" * 200


# ---------------------------------------------------------------------------
# Forms people paste (issue 13): mirrors, Hugging Face, arXiv's file tree and
# slips, each still checked by the id grammar


# (test id, link, the paper it names)
PASTED_FORMS = [
    # doubled slash after the section, from gluing "…/abs/" to "/ID"
    ("abs-double-slash", "https://arxiv.org/abs//2306.08707", pid(A, "2306.08707")),
    ("pdf-double-slash", "https://arxiv.org/pdf//2306.08707v2", pid(A, "2306.08707", 2)),
    # a "v" with no number: the paper, no version
    ("trailing-v", "https://arxiv.org/abs/1911.02972v", pid(A, "1911.02972")),
    ("trailing-v-pdf", "https://arxiv.org/pdf/1911.02972v.pdf", pid(A, "1911.02972")),
    ("trailing-v-old-id", "https://arxiv.org/abs/hep-th/9901001v", pid(A, "hep-th/9901001")),
    # the old aclanthology.info site
    ("aclanthology-info-pdf", "https://aclanthology.info/pdf/P/P06/P06-1066.pdf", pid(L, "P06-1066")),
    ("aclanthology-info-pdf-workshop", "http://aclanthology.info/pdf/W/W18/W18-5446.pdf", pid(L, "W18-5446")),
    ("aclanthology-info-slug", "https://aclanthology.info/papers/P06-1066/p06-1066", pid(L, "P06-1066")),
    (
        "aclanthology-info-long-slug",
        "aclanthology.info/papers/P18-1031/universal-language-model-fine-tuning-for-text-classification",
        pid(L, "P18-1031"),
    ),
    # Hugging Face paper pages name arXiv papers
    ("huggingface", "https://huggingface.co/papers/2301.02111", pid(A, "2301.02111")),
    ("huggingface-version", "https://huggingface.co/papers/2301.02111v2", pid(A, "2301.02111", 2)),
    ("huggingface-www", "https://www.huggingface.co/papers/2301.02111", pid(A, "2301.02111")),
    ("huggingface-no-scheme", "huggingface.co/papers/2301.02111", pid(A, "2301.02111")),
    ("huggingface-slash", "https://huggingface.co/papers/2301.02111/", pid(A, "2301.02111")),
    ("huggingface-fragment", "https://huggingface.co/papers/2301.02111#community", pid(A, "2301.02111")),
    ("huggingface-junk", "https://huggingface.co/papers/2301.02111)", pid(A, "2301.02111")),
    # arXiv under its old IP address
    ("ip-pdf", "https://128.84.21.199/pdf/1703.06870", pid(A, "1703.06870")),
    ("ip-abs", "https://128.84.21.199/abs/1703.06870", pid(A, "1703.06870")),
    ("ip-http-version", "http://128.84.21.199/abs/1703.06870v2", pid(A, "1703.06870", 2)),
    # arXiv's file tree: new ids under /ftp/arxiv/, old ones under their archive
    ("ftp-new", "https://arxiv.org/ftp/arxiv/papers/1812/1812.04948.pdf", pid(A, "1812.04948")),
    ("ftp-new-4-digit", "https://arxiv.org/ftp/arxiv/papers/0704/0704.0001.pdf", pid(A, "0704.0001")),
    ("ftp-old", "https://arxiv.org/ftp/cs/papers/0112/0112017.pdf", pid(A, "cs/0112017")),
    ("ftp-old-hep-th", "https://arxiv.org/ftp/hep-th/papers/9901/9901001.pdf", pid(A, "hep-th/9901001")),
    # forms that already worked
    ("abs-trailing-slash", "https://arxiv.org/abs/2306.08707/", pid(A, "2306.08707")),
    ("export", "https://export.arxiv.org/abs/2306.08707", pid(A, "2306.08707")),
    ("pdf-query", "https://arxiv.org/pdf/2306.08707.pdf?x=y", pid(A, "2306.08707")),
    # alphaXiv mirrors arXiv's paths
    ("alphaxiv", "https://alphaxiv.org/abs/2306.08707", pid(A, "2306.08707")),
    ("alphaxiv-www", "https://www.alphaxiv.org/abs/2306.08707v1", pid(A, "2306.08707", 1)),
]


@pytest.mark.parametrize(
    ("url", "expected"), [pytest.param(url, expected, id=name) for name, url, expected in PASTED_FORMS]
)
def test_pasted_forms(url: str, expected: PaperId) -> None:
    result = classify_url(url)
    assert result == expected
    assert result.version == expected.version  # type: ignore[union-attr]


PASTED_NOT_A_PAPER = [
    # hosts that only resemble a new one
    "https://arxiv.org.evil.com/abs/2301.02111",
    "arxiv.org.evil.com/abs/2301.02111",
    "https://huggingface.co.evil/papers/2301.02111",
    "https://evilhuggingface.co/papers/2301.02111",
    "https://discuss.huggingface.co/papers/2301.02111",
    "https://128.84.21.198/pdf/1703.06870",
    "https://128.84.21.199.evil.com/pdf/1703.06870",
    "https://1.128.84.21.199/pdf/1703.06870",
    "https://alphaxiv.org.evil.com/abs/2301.02111",
    "https://evilalphaxiv.org/abs/2301.02111",
    # Hugging Face pages that are not paper pages
    "https://huggingface.co/",
    "https://huggingface.co/models/openai/whisper-large-v3",
    "https://huggingface.co/openai/whisper-large-v3",
    "https://huggingface.co/spaces/openai/whisper",
    "https://huggingface.co/datasets/mozilla-foundation/common_voice_17_0",
    "https://huggingface.co/models/../x",
    "https://huggingface.co/papers",
    "https://huggingface.co/papers/",
    "https://huggingface.co/papers?q=speech",
    "https://huggingface.co/papers/trending",
    "https://huggingface.co/papers/date/2025-01-02",
    "https://huggingface.co/Papers/2301.02111",
    # directories of arXiv's file tree
    "https://arxiv.org/ftp/",
    "https://arxiv.org/ftp/arxiv/papers/1812/",
]


@pytest.mark.parametrize("url", PASTED_NOT_A_PAPER)
def test_pasted_look_alikes_and_other_pages_are_not_papers(url: str) -> None:
    assert classify_url(url) is None
    assert find_ids_in_text(f"see {url} here") == []


PASTED_REJECTED = [
    # traversal and garbage on Hugging Face paper pages
    ("https://huggingface.co/papers/../../x", A, "segments"),
    ("https://huggingface.co/papers/2301.02111%2F..%2Fx", A, "segments"),
    ("https://huggingface.co/papers/2301.02111evil", A, "not a valid arXiv id"),
    ("https://huggingface.co/papers/2301.02111&x=1", A, "not a valid arXiv id"),
    ("https://huggingface.co/papers/2301.02111/extra", A, "not a valid arXiv id"),
    ("https://huggingface.co/papers/2301.0211", A, "not a valid arXiv id"),
    ("https://huggingface.co/papers/2313.00001", A, "not a valid arXiv id"),
    ("https://huggingface.co/papers/2301.02111 x", A, "control characters"),
    # the slips forgiven are exactly these
    ("https://arxiv.org/abs//../../etc/passwd", A, "segments"),
    ("https://arxiv.org/abs/%2F2306.08707", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/1911.02972vv", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/1911.02972v2v", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/1911.02972V", A, "not a valid arXiv id"),
    ("https://arxiv.org/abs/v", A, "not a valid arXiv id"),
    ("arXiv:1911.02972v", A, "not a valid arXiv id"),  # a mention must be whole
    # mirrors are held to the same grammar
    ("https://128.84.21.199/abs/../x", A, "segments"),
    ("https://128.84.21.199/abs/2301.0211", A, "not a valid arXiv id"),
    ("https://alphaxiv.org/abs/2301.02111evil", A, "not a valid arXiv id"),
    # the file tree: directory, archive and file name must agree
    ("https://arxiv.org/ftp/arxiv/papers/1811/1812.04948.pdf", A, "disagree"),
    ("https://arxiv.org/ftp/cs/papers/0111/0112017.pdf", A, "disagree"),
    ("https://arxiv.org/ftp/arxiv/papers/0112/0112017.pdf", A, "not a valid arXiv id"),
    ("https://arxiv.org/ftp/cs/papers/1812/1812.04948.pdf", A, "not a valid arXiv id"),
    ("https://arxiv.org/ftp/nope/papers/0112/0112017.pdf", A, "not a valid arXiv id"),
    ("https://arxiv.org/ftp/arxiv/other/1812/1812.04948.pdf", A, "not a valid arXiv id"),
    ("https://arxiv.org/ftp/arxiv/papers/1812/1812.04948.pdf/x", A, "not a valid arXiv id"),
    ("https://arxiv.org/ftp/arxiv/papers/1812/1812.04948.exe", A, "not a valid arXiv id"),
    ("https://arxiv.org/ftp/arxiv/papers/1812/..%2F..%2Fetc", A, "segments"),
    # aclanthology.info/pdf is held to the ACL grammar
    ("https://aclanthology.info/pdf/P/P06/P06-1000.pdf", L, "front matter"),
    ("https://aclanthology.info/pdf/P/P06/P06-1066.pdf/extra", L, "not a valid ACL"),
    ("https://aclanthology.info/pdf/P/P06/P06-10661.pdf", L, "not a valid ACL"),
]


@pytest.mark.parametrize(("url", "kind", "reason"), PASTED_REJECTED)
def test_pasted_forms_rejected(url: str, kind: Kind, reason: str) -> None:
    result = classify_url(url)
    assert isinstance(result, Rejected), result
    assert result.kind is kind
    assert reason in result.reason


def test_pasted_forms_are_found_in_prose() -> None:
    text = (
        "Models: https://huggingface.co/papers/2301.02111, "
        "[old](https://128.84.21.199/abs/1703.06870v2) and <https://alphaxiv.org/abs/2306.08707>. "
        "Also https://arxiv.org/ftp/arxiv/papers/1812/1812.04948.pdf; "
        "https://arxiv.org/abs/1911.02972v (cut short) and https://arxiv.org/abs//2305.10403. "
        "ACL: https://aclanthology.info/pdf/P/P06/P06-1066.pdf."
    )
    assert find_ids_in_text(text) == [
        pid(A, "2301.02111"),
        pid(A, "1703.06870", 2),
        pid(A, "2306.08707"),
        pid(A, "1812.04948"),
        pid(A, "1911.02972"),
        pid(A, "2305.10403"),
        pid(L, "P06-1066"),
    ]


def test_scheme_less_new_hosts_are_found_in_prose() -> None:
    text = "huggingface.co/papers/2301.02111, www.alphaxiv.org/abs/2306.08707 or 128.84.21.199/pdf/1703.06870."
    assert find_ids_in_text(text) == [pid(A, "2301.02111"), pid(A, "2306.08707"), pid(A, "1703.06870")]
    # and, as before, not inside a longer host or path
    look_alikes = "evilhuggingface.co/papers/2301.02111 x.huggingface.co.evil/papers/2301.02111"
    assert find_ids_in_text(look_alikes) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://huggingface.co/papers/2301.02111", pid(A, "2301.02111")),
        ("{https://huggingface.co/papers/2301.02111v2}", pid(A, "2301.02111", 2)),
        ("https://alphaxiv.org/abs/2306.08707", pid(A, "2306.08707")),
        ("https://128.84.21.199/pdf/1703.06870", pid(A, "1703.06870")),
        ("https://arxiv.org/ftp/cs/papers/0112/0112017.pdf", pid(A, "cs/0112017")),
        ("https://arxiv.org/abs//2306.08707", pid(A, "2306.08707")),
        ("https://arxiv.org/abs/1911.02972v", pid(A, "1911.02972")),
        ("https://huggingface.co/papers/2301.02111evil", None),
        ("https://huggingface.co/models/x", None),
        ("1911.02972v", None),  # a bare id must be whole
    ],
)
def test_arxiv_id_from_text_takes_pasted_forms(text: str, expected: PaperId | None) -> None:
    result = arxiv_id_from_text(text)
    assert result == expected
    if expected is not None:
        assert result.version == expected.version  # type: ignore[union-attr]


def test_pasted_forms_of_one_paper_share_its_key() -> None:
    links = [
        "https://arxiv.org/abs/1812.04948",
        "https://arxiv.org/abs//1812.04948v",
        "https://huggingface.co/papers/1812.04948",
        "https://www.alphaxiv.org/abs/1812.04948",
        "https://128.84.21.199/pdf/1812.04948",
        "https://arxiv.org/ftp/arxiv/papers/1812/1812.04948.pdf",
    ]
    assert {classify_url(u).key for u in links} == {"arxiv:1812.04948"}  # type: ignore[union-attr]


# ---------------------------------------------------------------------------
# Robustness: nothing raises, and whatever is accepted is safe to use


def _mutations(seed: int, n: int, bases: list[str] | None = None) -> list[str]:
    rng = random.Random(seed)
    alphabet = "/.%?#&=:@\\\x00\n \t)]v0123456789abcdefABCDEF-_~２\u200b"
    if bases is None:
        bases = [u for u, *_ in ARXIV_URLS + OPENREVIEW_URLS + ACL_URLS + DOI_URLS]
    out = []
    for _ in range(n):
        s = list(rng.choice(bases))
        for _ in range(rng.randint(1, 4)):
            # Mostly mutate past the scheme and host, where the id lives.
            low = min(len(s), 22) if rng.random() < 0.8 else 0
            pos = rng.randrange(low, len(s) + 1)
            op = rng.random()
            if op < 0.4:
                s.insert(pos, rng.choice(alphabet))
            elif op < 0.7 and pos < len(s):
                del s[pos]
            elif pos < len(s):
                s[pos] = rng.choice(alphabet)
        out.append("".join(s))
    return out


_SAFE_ID = re.compile(r"[A-Za-z0-9./_-]+")


def _assert_safe(url: str) -> None:
    result = classify_url(url)
    assert result is None or isinstance(result, (PaperId, Rejected)), url
    if isinstance(result, PaperId):
        assert is_valid_id(result.kind, result.id), url
        assert ".." not in result.id.split("/"), url
        if result.kind is not D:
            assert _SAFE_ID.fullmatch(result.id), url
    for pid_ in find_ids_in_text(f"see {url} now"):
        assert is_valid_id(pid_.kind, pid_.id)


def test_fuzzed_links_never_raise_and_accepted_ids_are_safe() -> None:
    for url in _mutations(seed=1234, n=3000):
        _assert_safe(url)


def test_fuzzed_pasted_forms_never_raise_and_accepted_ids_are_safe() -> None:
    bases = [url for _, url, _ in PASTED_FORMS] + PASTED_NOT_A_PAPER + [url for url, *_ in PASTED_REJECTED]
    for url in _mutations(seed=13, n=3000, bases=bases):
        _assert_safe(url)


@pytest.mark.parametrize("value", [None, 42, b"https://arxiv.org/abs/2301.02111"])
def test_non_string_input_is_not_a_paper(value: object) -> None:
    assert classify_url(value) is None  # type: ignore[arg-type]
    assert find_ids_in_text(value) == []  # type: ignore[arg-type]
    assert arxiv_id_from_text(value) is None  # type: ignore[arg-type]
    assert acl_id_from_text(value) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# OpenReview PDF hashes


def test_openreview_pdf_hash_is_exposed() -> None:
    h = "0123456789abcdef0123456789abcdef01234567"
    assert openreview_pdf_hash(f"https://openreview.net/pdf/{h}.pdf") == h
    assert openreview_pdf_hash(f"https://openreview.net/pdf/{h.upper()}.pdf?x=1") == h


@pytest.mark.parametrize(
    "url",
    [
        "https://openreview.net/pdf?id=KCVv3tICvp",
        "https://openreview.net/pdf/0123456789abcdef.pdf",
        "https://openreview.net/pdf/0123456789abcdef0123456789abcdef0123456g.pdf",
        "https://evil.example/pdf/0123456789abcdef0123456789abcdef01234567.pdf",
        "https://openreview.net/pdf/0123456789abcdef0123456789abcdef01234567.pdf\x00",
        "not a url",
    ],
)
def test_openreview_pdf_hash_absent(url: str) -> None:
    assert openreview_pdf_hash(url) is None


# ---------------------------------------------------------------------------
# Text


TEXT_CASES = [
    ("Model X (arXiv:2301.02111) is fast.", [pid(A, "2301.02111")]),
    ("see arXiv: 2301.02111v2.", [pid(A, "2301.02111", 2)]),
    ("arxiv:hep-th/9901001", [pid(A, "hep-th/9901001")]),
    ("old work arXiv:hep-th/9901001v2, later", [pid(A, "hep-th/9901001", 2)]),
    ("arXiv:math.GT/0309136", [pid(A, "math/0309136")]),
    ("ARXIV:2301.02111", [pid(A, "2301.02111")]),
    ("arXiv preprint arXiv:2411.18803", [pid(A, "2411.18803")]),
    ("read arxiv.org/abs/2301.02111.", [pid(A, "2301.02111")]),
    ("[paper](https://arxiv.org/abs/2301.02111v3)", [pid(A, "2301.02111", 3)]),
    ("<https://arxiv.org/pdf/2301.02111.pdf>", [pid(A, "2301.02111")]),
    ("**https://openreview.net/forum?id=KCVv3tICvp**", [pid(O, "KCVv3tICvp")]),
    (
        "ACL: aclanthology.org/2024.acl-long.589, and doi.org/10.1109/TASLP.2024.3379877;",
        [pid(L, "2024.acl-long.589"), pid(D, "10.1109/taslp.2024.3379877")],
    ),
    # order of appearance, one entry per key (first version seen wins)
    (
        "arXiv:2301.02111v2 then https://openreview.net/forum?id=KCVv3tICvp "
        "then https://arxiv.org/abs/2301.02111v1 then arXiv:hep-th/9901001",
        [pid(A, "2301.02111", 2), pid(O, "KCVv3tICvp"), pid(A, "hep-th/9901001")],
    ),
    # "arXiv:" inside a link to another site (a search) is not a citation
    ("https://scholar.google.com/scholar?q=arXiv:2301.02111 and arXiv:1501.00001", [pid(A, "1501.00001")]),
    # links that are rejected or not papers are skipped, valid neighbours kept
    (
        "https://github.com/THUDM/GLM-4-Voice https://arxiv.org/abs/2301.0211 "
        "https://openreview.net/pdf/0123456789abcdef0123456789abcdef01234567.pdf "
        "https://aclanthology.org/P19-1007.pdf",
        [pid(L, "P19-1007")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_find_ids_in_text(text: str, expected: list[PaperId]) -> None:
    found = find_ids_in_text(text)
    assert found == expected
    assert [p.version for p in found] == [p.version for p in expected]


NO_IDS_IN_TEXT = [
    "version 2301.02111 of the dataset",
    "2301.02111",
    "arXiv:1234.5678901",
    "arXiv:2313.00001",
    "arXiv:2300.00001",
    "arXiv:2301.0211",
    "arXiv:2301.021111",
    "arXiv:2301.02111v",
    "arXiv:2301.02111x",
    "arXiv:２３０１.０２１１１",
    "arXiv:foo/9901001",
    "xarXiv:2301.02111",
    "arXiv 2301.02111",
    "hep-th/9901001 without prefix",
    "P19-1007 and 2024.acl-long.589 in passing",
    "https://github.com/someone/arxiv.org/abs/2301.02111",
    "mail me at bob@arxiv.org/abs/2301.02111",
    "https://arxiv.org.evil.example/abs/2301.02111",
    "",
]


@pytest.mark.parametrize("text", NO_IDS_IN_TEXT)
def test_text_look_alikes_do_not_match(text: str) -> None:
    assert find_ids_in_text(text) == []


def test_find_ids_in_long_text_is_linear_enough() -> None:
    # Many near-misses must not blow up; the one real id is still found.
    text = ("a." * 20000) + " arXiv:2301.0211 " * 2000 + " arXiv:2301.02111"
    assert find_ids_in_text(text) == [pid(A, "2301.02111")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arXiv preprint arXiv:2411.18803", pid(A, "2411.18803")),
        ("2301.02111v2", pid(A, "2301.02111", 2)),
        ("{2301.02111v2}", pid(A, "2301.02111", 2)),
        (" hep-th/9901001 ", pid(A, "hep-th/9901001")),
        ("math.GT/0309136v1", pid(A, "math/0309136", 1)),
        ("10.48550/arXiv.2307.03172", pid(A, "2307.03172")),
        ("https://arxiv.org/abs/2410.17799v1", pid(A, "2410.17799", 1)),
        ("CoRR abs/2301.02111", None),
        ("2301.0211", None),
        ("2313.00001", None),
        ("https://openreview.net/forum?id=KCVv3tICvp", None),
        ("", None),
    ],
)
def test_arxiv_id_from_text(text: str, expected: PaperId | None) -> None:
    result = arxiv_id_from_text(text)
    assert result == expected
    if expected is not None:
        assert result.version == expected.version  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P19-1007", pid(L, "P19-1007")),
        ("{2024.acl-long.731v2}", pid(L, "2024.acl-long.731", 2)),
        ("10.18653/v1/2024.acl-long.589", pid(L, "2024.acl-long.589")),
        ("doi = {10.18653/v1/P19-1007}", pid(L, "P19-1007")),
        ("Proceedings..., doi: 10.18653/v1/2020.acl-main.1.", pid(L, "2020.acl-main.1")),
        ("https://aclanthology.org/2024.findings-emnlp.246.pdf", pid(L, "2024.findings-emnlp.246")),
        ("2022.acl-short.0", None),
        ("P19-1000", None),
        ("N13-1", None),
        ("pages 1007-1019", None),
        ("10.1109/TASLP.2024.3379877", None),
        ("", None),
    ],
)
def test_acl_id_from_text(text: str, expected: PaperId | None) -> None:
    result = acl_id_from_text(text)
    assert result == expected
    if expected is not None:
        assert result.version == expected.version  # type: ignore[union-attr]


# ---------------------------------------------------------------------------
# DOIs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1109/TASLP.2024.3379877", "10.1109/taslp.2024.3379877"),
        ("https://doi.org/10.1109/TASLP.2024.3379877", "10.1109/taslp.2024.3379877"),
        ("http://dx.doi.org/10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("doi.org/10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("doi:10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("DOI: 10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("https://doi.org/10.1145%2F3442188.3445922?x=1#y", "10.1145/3442188.3445922"),
        ("  10.48550/arXiv.2307.03172 ", "10.48550/arxiv.2307.03172"),
        ("10.123/abc", None),
        ("10.1234567890/abc", None),
        ("11.1109/abc", None),
        ("10.1109/", None),
        ("10.1109/has space", None),
        ("10.1109/a\\b", None),
        ("10.1109/x/../y", None),
        ("10.1109/caf\u00e9", None),
        ("10.1109/" + "a" * 300, None),
        ("https://example.org/10.1109/abc", None),
        ("", None),
    ],
)
def test_normalize_doi(text: str, expected: str | None) -> None:
    assert normalize_doi(text) == expected


# ---------------------------------------------------------------------------
# Grammars


VALID_IDS = [
    (A, "2301.02111"),
    (A, "0704.0001"),
    (A, "1412.9999"),
    (A, "1501.00001"),
    (A, "2412.08237"),
    (A, "hep-th/9901001"),
    (A, "math/0309136"),
    (A, "cs/0112017"),
    (A, "cond-mat/0102536"),
    (A, "q-bio/0701001"),
    (A, "chao-dyn/9108001"),
    (O, "KCVv3tICvp"),
    (O, "868masI331"),
    (O, "rJ4km2R5t7"),
    (O, "H1gax6VtDB"),
    (O, "B1-Hhnslg"),
    (O, "eJpI20hzWf"),
    (L, "2024.acl-long.589"),
    (L, "2024.findings-emnlp.246"),
    (L, "2022.coling-1.56"),
    (L, "2023.acl-long.1"),
    (L, "2020.emnlp-main.550"),
    (L, "2024.findings-acl.616"),
    (L, "2024.lrec-main.123"),
    (L, "2021.naacl-main.41"),
    (L, "2020.acl-main.1"),
    (L, "P19-1007"),
    (L, "J89-2002"),
    (L, "W18-5446"),
    (L, "D15-1166"),
    (L, "W18-5401"),
    (D, "10.1109/taslp.2024.3379877"),
    (D, "10.1145/3442188.3445922"),
]

INVALID_IDS = [
    (A, "2301.02111v2"),  # versions are not part of the canonical id
    (A, "math.GT/0309136"),  # nor are subject classes
    (A, "2301.0211"),
    (A, "2313.00001"),
    (A, "0703.0001"),
    (A, "1412.99999"),
    (A, "1501.0001"),
    (A, "2301.00000"),
    (A, "0704.0000"),
    (A, "hep-th/9913001"),
    (A, "hep-th/0801001"),
    (A, "nope/9901001"),
    (A, "../../etc/passwd"),
    (A, "２３０１.０２１１１"),
    (A, "2301.02111\n"),
    (A, " 2301.02111"),
    (A, ""),
    (A, "1" * 65),
    (O, "abc"),
    (O, "a" * 33),
    (O, "KCVv3tICvp/"),
    (O, "KCV.3tICvp"),
    (O, "KCVv3tICvp\x00"),
    (O, "ＫCVv3tICvp"),
    (L, "2024.acl-long"),
    (L, "2022.acl-short.0"),
    (L, "2024.acl-long.0589"),
    (L, "2024.acl-long.12345"),
    (L, "2024.ACL-long.589"),
    (L, "2024.acl-long.731v2"),
    (L, "p19-1007"),
    (L, "P19-1000"),
    (L, "W18-5400"),
    (L, "N13-1"),
    (L, "P1-1007"),
    (D, "10.1109/TASLP.2024.3379877"),  # canonical DOIs are lower case
    (D, "10.1109/a b"),
    (D, "10.1109/../x"),
    (D, "doi:10.1109/x"),
]


@pytest.mark.parametrize(("kind", "ident"), VALID_IDS)
def test_is_valid_id_accepts(kind: Kind, ident: str) -> None:
    assert is_valid_id(kind, ident)
    assert is_valid_id(str(kind), ident)  # plain strings work as kinds
    assert PaperId(kind, ident).id == ident


@pytest.mark.parametrize(("kind", "ident"), INVALID_IDS)
def test_is_valid_id_refuses(kind: Kind, ident: str) -> None:
    assert not is_valid_id(kind, ident)
    with pytest.raises(ValueError):
        PaperId(kind, ident)


def test_is_valid_id_refuses_unknown_kind_and_non_strings() -> None:
    assert not is_valid_id("pubmed", "12345678")
    assert not is_valid_id(A, 2301.02111)  # type: ignore[arg-type]
    assert not is_valid_id(O, b"2301.02111")  # type: ignore[arg-type]


def test_ids_are_not_valid_across_kinds() -> None:
    assert not is_valid_id(O, "2024.acl-long.589")
    assert not is_valid_id(L, "2301.02111")
    assert not is_valid_id(A, "P19-1007")
    assert not is_valid_id(D, "2301.02111")


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (ARXIV_NEW, ["2301.02111", "0704.0001"], ["2301.02111v2", "hep-th/9901001", "0701.0001"]),
        (ARXIV_OLD, ["hep-th/9901001", "math/0309136"], ["math.GT/0309136", "2301.02111", "hep-th/9901001v1"]),
        (OPENREVIEW_ID, ["KCVv3tICvp", "B1-Hhnslg"], ["short", "has space12", "KCVv3tICvp?x"]),
        (ACL_NEW, ["2024.acl-long.589", "2022.coling-1.56"], ["2024.acl-long", "P19-1007", "2024.acl-long.0"]),
        (ACL_OLD, ["P19-1007", "W18-5446"], ["2024.acl-long.589", "N13-1", "P19-1007v2"]),
    ],
)
def test_public_patterns_are_canonical_fullmatch_grammars(
    pattern: re.Pattern[str], good: list[str], bad: list[str]
) -> None:
    for s in good:
        assert pattern.fullmatch(s), s
    for s in bad:
        assert not pattern.fullmatch(s), s


# ---------------------------------------------------------------------------
# Result types


def test_key_ignores_version_and_is_kind_prefixed() -> None:
    v1 = classify_url("https://arxiv.org/abs/2301.02111v1")
    v2 = classify_url("https://arxiv.org/pdf/2301.02111v2.pdf")
    assert isinstance(v1, PaperId) and isinstance(v2, PaperId)
    assert v1 != v2
    assert v1.key == v2.key == "arxiv:2301.02111"
    assert pid(O, "KCVv3tICvp").key == "openreview:KCVv3tICvp"
    assert pid(L, "P19-1007").key == "acl:P19-1007"
    assert pid(D, "10.1109/x").key == "doi:10.1109/x"


def test_same_paper_through_different_links_has_one_key() -> None:
    links = [
        "https://arxiv.org/abs/2307.03172",
        "https://arxiv.org/pdf/2307.03172v3.pdf",
        "https://doi.org/10.48550/arXiv.2307.03172",
        "arXiv:2307.03172",
    ]
    keys = {classify_url(u).key for u in links}  # type: ignore[union-attr]
    assert keys == {"arxiv:2307.03172"}
    acl = {
        classify_url(u).key  # type: ignore[union-attr]
        for u in (
            "https://aclanthology.org/P19-1007",
            "https://www.aclweb.org/anthology/P19-1007.pdf",
            "https://doi.org/10.18653/v1/P19-1007",
        )
    }
    assert acl == {"acl:P19-1007"}


def test_paper_id_is_frozen_and_hashable() -> None:
    p = pid(A, "2301.02111", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.id = "../../etc/passwd"  # type: ignore[misc]
    assert {p: 1}[pid(A, "2301.02111", 2)] == 1


def test_paper_id_coerces_kind_string() -> None:
    p = PaperId("arxiv", "2301.02111")  # type: ignore[arg-type]
    assert p.kind is Kind.ARXIV


@pytest.mark.parametrize(
    ("kind", "ident", "version"),
    [
        (A, "2301.02111", 0),
        (A, "2301.02111", -1),
        (A, "2301.02111", 1000),
        (A, "2301.02111", True),
        (A, "2301.02111", "2"),
        (O, "KCVv3tICvp", 1),
        (D, "10.1109/x", 1),
        ("pubmed", "2301.02111", None),
    ],
)
def test_paper_id_refuses_bad_version_or_kind(kind: object, ident: str, version: object) -> None:
    with pytest.raises(ValueError):
        PaperId(kind, ident, version)  # type: ignore[arg-type]
