"""Ids in links to sites that are never asked themselves (asked by ``links.py``).

IEEE Xplore document numbers, ACM article numbers and AAAI OJS article ids
(``ojs.aaai.org/index.php/AAAI/article/view/N[/GALLEY]``) are looked up through Crossref;
the old OCS pages (``aaai.org/ocs/...``) carry ids of a retired system and stay paper-host links;
a Semantic Scholar page (``semanticscholar.org/paper/[slug/]SHA``) names an S2 paper,
asked of S2's Graph API by the title route (:mod:`tridentbib.lookup.titles`).

Neither site serves scripts (Xplore wants an API key, the ACM DL answers 403), so
these ids are only ever looked up through Crossref (:mod:`tridentbib.resolvers.article_numbers`).
IEEE: ``ieeexplore.ieee.org/document/N``, ``/abstract/document/N``, ``/stamp/stamp.jsp?tp=&arnumber=N``
(and ``/iel*/.../0N.pdf?arnumber=N``). ACM: ``delivery.acm.org/10.1145/{bucket}/{N}/{file}.pdf?...&id=N...``
(signed, expiring links: only the number is kept, never the query) and ``dl.acm.org/citation.cfm?id=N``.
A ``dl.acm.org/doi/10.1145/...`` link carries its DOI and is a DOI link (``links.py``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote

IEEE_HOSTS = frozenset({"ieeexplore.ieee.org", "www.ieeexplore.ieee.org"})
S2_HOSTS = frozenset({"www.semanticscholar.org", "semanticscholar.org"})
AAAI_HOSTS = frozenset({"ojs.aaai.org"})
_S2_SHA = re.compile(r"[0-9a-fA-F]{40}", re.ASCII)
ACM_HOSTS = frozenset({"delivery.acm.org", "dl.acm.org", "portal.acm.org"})
#: a document or article number: digits, no leading zero once read, bounded
_NUMBER = re.compile(r"0*([1-9][0-9]{0,11})", re.ASCII)


def _number(text: str) -> str | None:
    m = _NUMBER.fullmatch(text)
    return m.group(1) if m else None


def _query(query: str, name: str) -> str | None:
    try:
        values = parse_qs(query, max_num_fields=50).get(name, [])
    except ValueError:
        return None
    numbers = {_number(value.strip()) for value in values}
    return numbers.pop() if len(numbers) == 1 else None  # none, or two that disagree: no id


def ieee_number(host: str, path: str, query: str = "") -> str | None:
    """The Xplore document number a link names, or None."""
    if host not in IEEE_HOSTS:
        return None
    segs = [seg for seg in unquote(path).split("/") if seg]
    if len(segs) >= 2 and segs[-2] == "document" and segs[:-2] in ([], ["abstract"]):
        return _number(segs[-1])
    if len(segs) >= 3 and segs[-3:-1] == ["document", segs[-2]] and segs[-2].isdigit():
        return _number(segs[-2])  # /document/N/authors, /document/N/figures: the same paper's tabs
    if segs == ["stamp", "stamp.jsp"] or (segs[:1] and segs[0].startswith("iel") and segs[-1].endswith(".pdf")):
        return _query(query, "arnumber")
    return None


def acm_number(host: str, path: str, query: str = "") -> str | None:
    """The ACM article number a delivery or citation link names, or None."""
    if host not in ACM_HOSTS:
        return None
    segs = [seg for seg in unquote(path).split("/") if seg]
    if host == "delivery.acm.org" and len(segs) == 4 and segs[0] == "10.1145" and segs[3].endswith(".pdf"):
        number = _number(segs[2])
        given = _query(query, "id")
        return number if number is not None and given in (None, number) else None
    if segs == ["citation.cfm"]:
        return _query(query, "id")
    return None


def s2_paper_id(host: str, path: str) -> str | None:
    """The 40-hex paper id of a Semantic Scholar page (``/paper/SHA``, ``/paper/slug/SHA``), or None."""
    if host not in S2_HOSTS:
        return None
    segs = [seg for seg in unquote(path).split("/") if seg]
    if len(segs) not in (2, 3) or segs[0] != "paper" or not _S2_SHA.fullmatch(segs[-1]):
        return None
    return segs[-1].lower()


def aaai_article_id(host: str, path: str) -> str | None:
    """The OJS article id of an AAAI proceedings page or PDF (``/index.php/AAAI/article/view/N[/M]``), or None."""
    if host not in AAAI_HOSTS:
        return None
    segs = [seg for seg in unquote(path).split("/") if seg]
    if len(segs) not in (5, 6) or segs[:4] != ["index.php", "AAAI", "article", "view"]:
        return None
    return _number(segs[4])
