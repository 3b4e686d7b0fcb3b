"""Ids in prose and in BibTeX field values."""

from __future__ import annotations

import bisect
import re
from typing import Iterable, Mapping

from tridentbib.identifiers.grammar import (
    _ACL_PAPER_ANY,
    _ARXIV_ANY,
    _ARXIV_DOI_PREFIX,
    _ARXIV_IN_TEXT,
    _TRAILING_PROSE,
    _URL_IN_TEXT,
    Kind,
    PaperId,
    normalize_doi,
)
from tridentbib.identifiers.links import (
    _arxiv_from_match,
    _from_doi_text,
    _parse_acl_token,
    classify_url,
)


def find_ids_in_text(text: str) -> list[PaperId]:
    """Every paper named in prose, in order of first appearance, one per key.

    Finds links to the supported services (with or without ``https://``) and
    ``arXiv:ID`` mentions.  Bare numbers such as ``2301.02111`` are ignored on
    purpose: without the prefix they are as likely a version or a date.
    Rejected links are dropped here; use ``classify_url`` to report them.
    """
    if not isinstance(text, str):
        return []
    # Every link form holds a "/" and every mention "arxiv" and a ":" (most prose, none).
    if "/" not in text and not (":" in text and "arxiv" in text.lower()):
        return []
    found: list[tuple[int, PaperId]] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _URL_IN_TEXT.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        result = classify_url(m.group().rstrip(_TRAILING_PROSE))
        if isinstance(result, PaperId):
            found.append((m.start(), result))
    for m in _ARXIV_IN_TEXT.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < ends[i]:
            continue  # already seen as part of a link
        found.append((m.start(), _arxiv_from_match(m)))
    found.sort(key=lambda item: item[0])
    seen: set[str] = set()
    result_ids: list[PaperId] = []
    for _, pid in found:
        if pid.key not in seen:
            seen.add(pid.key)
            result_ids.append(pid)
    return result_ids


def _field_value(s: str) -> str:
    """A BibTeX field value without its surrounding braces/quotes/whitespace."""
    return s.strip().strip('{}"').strip()


def arxiv_id_from_text(s: str) -> PaperId | None:
    """The arXiv paper named by a BibTeX field or short text.

    Accepts a bare id (``eprint = {2301.02111v2}``), an arXiv DOI, or anything
    ``find_ids_in_text`` finds (``arXiv preprint arXiv:2411.18803``, a URL).
    """
    if not isinstance(s, str):
        return None
    value = _field_value(s)
    m = _ARXIV_ANY.fullmatch(value)
    if m:
        return _arxiv_from_match(m)
    if _ARXIV_DOI_PREFIX.match(value):
        result = _from_doi_text(value, value)
        return result if isinstance(result, PaperId) else None
    return next((p for p in find_ids_in_text(s) if p.kind is Kind.ARXIV), None)


_ACL_DOI_IN_TEXT = re.compile(r"(?<![0-9])10\.18653/v1/[A-Za-z0-9.-]+", re.ASCII | re.IGNORECASE)


def acl_id_from_text(s: str) -> PaperId | None:
    """The ACL Anthology paper named by a BibTeX field or short text.

    Accepts a bare id (``P19-1007``, ``2024.acl-long.731v2``), an ACL DOI
    anywhere in the text (``doi = {10.18653/v1/2024.acl-long.589}``), or an
    Anthology link.  Volumes and front matter give None.
    """
    if not isinstance(s, str):
        return None
    value = _field_value(s)
    if _ACL_PAPER_ANY.fullmatch(value):
        result = _parse_acl_token(value, value)
        return result if isinstance(result, PaperId) else None
    for m in _ACL_DOI_IN_TEXT.finditer(s):
        result = _from_doi_text(m.group().rstrip("."), m.group())
        if isinstance(result, PaperId):
            return result
    return next((p for p in find_ids_in_text(s) if p.kind is Kind.ACL), None)


#: the fields of a BibTeX entry that may name a paper (besides ``eprint``)
ID_FIELDS = ("url", "doi", "journal", "booktitle", "note", "howpublished", "pdf", "arxiv", "arxivid", "openreview")
#: fields whose text may hold ``arXiv:ID`` or ``arXiv preprint arXiv:ID``
_TEXT_FIELDS = ("journal", "booktitle", "note", "howpublished", "arxiv", "arxivid")


def ids_in_fields(fields: Mapping[str, str]) -> list[PaperId]:
    """Every paper an entry names in its id-carrying fields, one per service id, in field order.

    The one reading of ids from BibTeX fields: ``.bib`` inputs, the list's citation
    blocks and the changelog all use it. ``eprint`` counts when the entry's
    ``archivePrefix``/``eprinttype`` is arXiv (or absent); links are read in every
    field, ``arXiv:ID`` mentions in the text fields, a DOI in ``doi``.
    """
    low = {name.lower(): value for name, value in fields.items() if isinstance(value, str)}
    found: dict[str, PaperId] = {}

    def add(paper: object) -> None:
        if isinstance(paper, PaperId) and paper.key not in found:
            found[paper.key] = paper

    eprint = low.get("eprint", "").strip()
    prefix = (low.get("archiveprefix") or low.get("eprinttype") or "arxiv").strip().lower()
    if eprint and prefix == "arxiv":
        add(arxiv_id_from_text(eprint))
    for name in ID_FIELDS:
        value = low.get(name, "").strip()
        if not value:
            continue
        if name == "doi":
            doi = normalize_doi(value)
            if doi is not None:
                add(classify_url(f"https://doi.org/{doi}"))
            continue
        for word in value.split():
            add(classify_url(word.strip("{}<>()[],;")))
        if name in _TEXT_FIELDS:
            add(arxiv_id_from_text(value))
        add(acl_id_from_text(value))
    return list(found.values())


def identity_keys(papers: Iterable[PaperId]) -> frozenset[str]:
    """The identity keys of ``papers``, with the DOI every arXiv and ACL paper also has."""
    keys = {paper.key for paper in papers}
    for paper in list(keys):
        kind, _, ident = paper.partition(":")
        if kind == "arxiv":
            keys.add(f"doi:10.48550/arxiv.{ident}".lower())
        elif kind == "acl":
            keys.add(f"doi:10.18653/v1/{ident}".lower())
    return frozenset(keys)
