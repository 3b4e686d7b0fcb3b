"""Fake OpenReview APIs: v2 under ``/openreview2``, v1 under ``/openreview1``.

OpenReview is the least predictable of the sources: two API generations with
different note shapes (v2 wraps every content field in ``{"value": ...}``, v1 does
not), JSON errors ``{"name", "message", "status", "details"}``, login tokens, tight
rate limits (429 ``RateLimitError`` with ``details.resetTime``) and, since 2026,
``403 ChallengeRequiredError`` for unauthenticated reads. Each of these is a switch
on :class:`OpenReviewService` so client code can be tested against all of them.

Routes (both versions): ``GET /notes?id=``, ``GET /notes?forum=``,
``GET /notes/search?term=``, ``POST /notes/search`` with ``{"ids": [...]}`` (many notes
by id: openreview-py's ``get_notes_by_ids``, in the v1 ``Client`` since 2020 and in the
v2 ``OpenReviewClient``), ``POST /login``. ``GET /notes?ids=A,B`` is v2 only: the v1
``Client.get_notes`` has no ``ids`` filter, so the v1 fake refuses it (400
``ValidationError``) rather than guess what the real v1 does with it.
Bodies are compact JSON like the real (Node.js) API.

Shapes seen in real answers: the v2 notes (written out, with invented papers, in
tests/fixtures/openreview/), the 429 body (as openreview-py logs it; a sample log
line is in the same folder), the 403 body, the records OpenReview imported from
dblp and ORCID (:func:`make_dblp_note`, :func:`make_orcid_note`, shaped like the
fixture's). Shapes reconstructed from documentation/mocks: the 404
``NotFoundError``, the v1 note (and the 2018-era one without ``venue``/``venueid``,
:func:`make_v1_2018_note`), the login answers.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import secrets
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from .common import FIXTURES_DIR, Request, RequestIds, Response, json_response, not_found

SUBMISSION_SUFFIXES = ("/Rejected_Submission", "/Withdrawn_Submission", "/Desk_Rejected_Submission", "/Submission")
TITLE_STOPWORDS = {
    "a",
    "an",
    "the",
    "on",
    "of",
    "in",
    "for",
    "to",
    "and",
    "with",
    "is",
    "are",
    "do",
    "does",
    "towards",
    "toward",
    "from",
    "by",
    "at",
    "as",
}
ORDINALS = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
    "Twentieth",
]
DAY_MS = 86_400_000


class OpenReviewService:
    """Note registries for both API versions + their request handlers."""

    def __init__(self) -> None:
        #: email/username -> password accepted by ``POST /login``
        self.users: dict[str, str] = {}
        #: /notes* without ``Authorization: Bearer <token from /login>`` -> 403 ChallengeRequiredError
        self.require_auth = False
        #: every request -> 429 RateLimitError
        self.rate_limited = False
        #: allow this many requests (both versions together), then answer 429
        self.rate_limit_after: int | None = None
        #: ``limit`` reported in the 429 body
        self.rate_limit = 36
        #: the API versions ``require_auth`` applies to
        self.challenge_versions: frozenset[int] = frozenset({1, 2})
        #: a v1 without ``POST /notes/search`` (404, as for any unknown route): clients must fall back to ``id=``
        self.v1_without_notes_by_ids = False
        self._notes_v2: dict[str, dict] = {}
        self._notes_v1: dict[str, dict] = {}
        self._tokens: dict[str, str] = {}
        self._request_count = 0
        self._count_lock = threading.Lock()
        self._req_ids = RequestIds()

    # ------------------------------------------------------------------ registry
    def add_v2(self, note: dict) -> str:
        """Register an API v2 note (content fields as ``{"value": ...}``)."""
        self._notes_v2[note["id"]] = note
        return note["id"]

    def add_v1(self, note: dict) -> str:
        """Register an API v1 note (plain content values, singular ``invitation``)."""
        self._notes_v1[note["id"]] = note
        return note["id"]

    def load_fixtures(self) -> list[str]:
        """Register the six v2 notes of the ``/notes/search`` fixture."""
        path = FIXTURES_DIR / "openreview" / "openreview-v2-notes-search-source-forum.json"
        notes = json.loads(path.read_bytes().decode("utf-8"))["notes"]
        return [self.add_v2(copy.deepcopy(note)) for note in notes]

    def clear(self) -> None:
        self._notes_v2.clear()
        self._notes_v1.clear()
        self._tokens.clear()
        self._request_count = 0

    def issued_tokens(self) -> dict[str, str]:
        """token -> user of every successful login so far."""
        return dict(self._tokens)

    # ------------------------------------------------------------------- serving
    def handle_v2(self, request: Request) -> Response:
        return self._handle(request, self._notes_v2, version=2)

    def handle_v1(self, request: Request) -> Response:
        return self._handle(request, self._notes_v1, version=1)

    def _handle(self, request: Request, notes: dict[str, dict], version: int) -> Response:
        with self._count_lock:
            self._request_count += 1
            count = self._request_count
        if self.rate_limited or (self.rate_limit_after is not None and count > self.rate_limit_after):
            return self._rate_limit_error(count)
        path = request.subpath.rstrip("/")
        if path == "/login" and request.method == "POST":
            return self._login(request)
        if not path.startswith("/notes"):
            return not_found(request.path)
        if self.require_auth and version in self.challenge_versions and not self._authorised(request):
            return json_response(
                {"name": "ChallengeRequiredError", "message": "Challenge verification required", "status": 403}, 403
            )
        if path == "/notes" and request.method == "GET":
            return self._get_notes(request, notes, version)
        if path == "/notes/search" and request.method == "POST":
            if version == 1 and self.v1_without_notes_by_ids:
                return not_found(request.path)
            return self._notes_by_ids(request, notes)
        if path == "/notes/search":
            return self._search_notes(request, notes)
        return not_found(request.path)

    def _get_notes(self, request: Request, notes: dict[str, dict], version: int) -> Response:
        if version == 1 and request.param("ids") is not None:
            return self._error(400, "ValidationError", "Invalid query parameter: ids", {"path": "ids"})
        note_id = request.param("id")
        if note_id is not None:
            note = notes.get(note_id)
            if note is None:
                return self._error(
                    404, "NotFoundError", f"The Note {note_id} was not found", {"path": "id", "value": note_id}
                )
            return json_response({"notes": [note], "count": 1})
        if request.param("ids") is not None:
            wanted = [i for i in request.param("ids", "").split(",") if i]
            found = [notes[i] for i in wanted if i in notes]
        elif request.param("forum") is not None:
            found = [n for n in notes.values() if n.get("forum") == request.param("forum")]
        else:
            found = list(notes.values())
        return json_response({"notes": _page(found, request), "count": len(found)})

    def _notes_by_ids(self, request: Request, notes: dict[str, dict]) -> Response:
        """``POST /notes/search {"ids": [...]}``: the notes that exist, in the order asked; unknown ids left out."""
        try:
            wanted = request.json()["ids"]
        except (ValueError, KeyError, TypeError):
            return self._error(400, "ValidationError", "ids is required", {"path": "ids"})
        if not isinstance(wanted, list) or not all(isinstance(i, str) for i in wanted):
            return self._error(400, "ValidationError", "ids must be an array of strings", {"path": "ids"})
        found = [notes[i] for i in wanted if i in notes]
        return json_response({"notes": found, "count": len(found)})

    def _search_notes(self, request: Request, notes: dict[str, dict]) -> Response:
        words = _words(request.param("term", ""))
        found = [n for n in notes.values() if words and words <= _words(_title(n))]
        return json_response({"count": len(found), "notes": _page(found, request)})

    def _login(self, request: Request) -> Response:
        try:
            credentials = request.json()
            user, password = credentials["id"], credentials["password"]
        except (ValueError, KeyError, TypeError):
            return self._error(400, "ValidationError", "id and password are required", {})
        if self.users.get(user) != password:
            return self._error(401, "InvalidCredentialsError", "Invalid username or password", {})
        token = secrets.token_hex(24)
        self._tokens[token] = user
        return json_response({"token": token})

    def _authorised(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and token.strip() in self._tokens

    def _error(self, status: int, name: str, message: str, details: dict) -> Response:
        details = {**details, "reqId": self._req_ids.new()}
        return json_response({"name": name, "message": message, "status": status, "details": details}, status)

    def _rate_limit_error(self, count: int) -> Response:
        req_id = self._req_ids.new()
        reset = datetime.now(UTC) + timedelta(minutes=60, seconds=13)
        used = max(count, self.rate_limit + 1)
        message = (
            f"Too many requests: You have made {used} requests, surpassing the limit of "
            f"{self.rate_limit} requests. Please try again in 60 minutes and 13 seconds ({req_id})"
        )
        return json_response(
            {
                "name": "RateLimitError",
                "message": message,
                "status": 429,
                "details": {
                    "limit": self.rate_limit,
                    "remaining": 0,
                    "resetTime": reset.strftime("%Y-%m-%dT%H:%M:%S.") + f"{reset.microsecond // 1000:03d}Z",
                    "used": used,
                    "current": used,
                    "reqId": req_id,
                },
            },
            429,
        )


# ----------------------------------------------------------------- note builders
def make_v2_note(
    id: str,
    title: str,
    authors: list[str],
    abstract: str = "",  # noqa: A002 - API field name
    venue: str = "ICLR 2025 Poster",
    venueid: str = "ICLR.cc/2025/Conference",
    pdate_ms: int | None = None,
    bibtex: str | None = None,
    forum: str | None = None,
    *,
    authorids: list[str] | None = None,
    keywords: list[str] | None = None,
    number: int | None = None,
    cdate_ms: int | None = None,
) -> dict:
    """A realistic API v2 submission note, shaped like the ICLR notes of the search fixture.

    Accepted venues (``venueid`` without a ``/..._Submission`` suffix) get a ``pdate``
    (default: ~4 months after ``cdate``) and an ``@inproceedings`` ``_bibtex``; others
    get no ``pdate`` and ``@misc``, as OpenReview does.
    """
    number = number if number is not None else _stable_number(id)
    domain = _domain(venueid)
    accepted = not venueid.endswith(SUBMISSION_SUFFIXES)
    cdate = cdate_ms if cdate_ms is not None else 1727290922703
    if pdate_ms is None and accepted:
        pdate_ms = cdate + 118 * DAY_MS
    odate = cdate + 8 * DAY_MS
    mdate = (pdate_ms or cdate) + 20 * DAY_MS
    authorids = authorids if authorids is not None else [_profile_id(a) for a in authors]
    content: dict[str, Any] = {
        "venue": venue,
        "keywords": keywords if keywords is not None else ["machine learning"],
        "primary_area": "other topics in machine learning (i.e., none of the above)",
        "abstract": abstract,
        "_bibtex": bibtex
        if bibtex is not None
        else make_openreview_bibtex(
            id, title, authors, venue, venueid, pdate_ms or cdate, classic_iclr_booktitle=False
        ),
        "title": title,
        "pdf": f"/pdf/{hashlib.sha1(id.encode()).hexdigest()}.pdf",
        "venueid": venueid,
        "paperhash": _paperhash(title, authors),
        "authorids": authorids,
        "authors": authors,
    }
    invitations = [
        f"{domain}/-/Submission",
        f"{domain}/-/Post_Submission",
        f"{domain}/Submission{number}/-/Rebuttal_Revision",
        f"{domain}/-/Edit",
    ]
    if accepted:
        invitations.append(f"{domain}/Submission{number}/-/Camera_Ready_Revision")
    note: dict[str, Any] = {"content": {key: {"value": value} for key, value in content.items()}, "tmdate": mdate}
    if pdate_ms is not None:
        note["pdate"] = pdate_ms
    note.update(
        {
            "tcdate": cdate,
            "writers": [domain, f"{domain}/Submission{number}/Authors"],
            "signatures": [f"{domain}/Submission{number}/Authors"],
            "forum": forum or id,
            "license": "CC BY 4.0",
            "number": number,
            "cdate": cdate,
            "readers": ["everyone"],
            "invitations": invitations,
            "mdate": mdate,
            "odate": odate,
            "domain": domain,
            "id": id,
            "version": 2,
        }
    )
    return note


def make_v1_note(
    id: str,
    title: str,
    authors: list[str],
    abstract: str = "",  # noqa: A002 - API field name
    venue: str = "ICLR 2022 Poster",
    venueid: str = "ICLR.cc/2022/Conference",
    pdate_ms: int | None = None,
    bibtex: str | None = None,
    forum: str | None = None,
    *,
    authorids: list[str] | None = None,
    keywords: list[str] | None = None,
    number: int | None = None,
    cdate_ms: int | None = None,
    invitation: str | None = None,
) -> dict:
    """A realistic API v1 note: plain content values, singular ``invitation``, v1 extras."""
    number = number if number is not None else _stable_number(id)
    domain = _domain(venueid)
    accepted = not venueid.endswith(SUBMISSION_SUFFIXES)
    cdate = cdate_ms if cdate_ms is not None else 1632875863000
    if pdate_ms is None and accepted:
        pdate_ms = cdate + 120 * DAY_MS
    mdate = (pdate_ms or cdate) + 20 * DAY_MS
    return {
        "id": id,
        "original": None,
        "number": number,
        "cdate": cdate,
        "pdate": pdate_ms,
        "odate": cdate + 8 * DAY_MS,
        "mdate": mdate,
        "tcdate": cdate,
        "tmdate": mdate,
        "ddate": None,
        "content": {
            "title": title,
            "authorids": authorids if authorids is not None else [_profile_id(a) for a in authors],
            "authors": authors,
            "keywords": keywords if keywords is not None else ["machine learning"],
            "abstract": abstract,
            "pdf": f"/pdf/{hashlib.sha1(id.encode()).hexdigest()}.pdf",
            "paperhash": _paperhash(title, authors),
            "venue": venue,
            "venueid": venueid,
            "_bibtex": bibtex
            if bibtex is not None
            else make_openreview_bibtex(
                id, title, authors, venue, venueid, pdate_ms or cdate, classic_iclr_booktitle=True
            ),
        },
        "forum": forum or id,
        "referent": None,
        "invitation": invitation or f"{domain}/-/Blind_Submission",
        "replyto": None,
        "readers": ["everyone"],
        "nonreaders": [],
        "signatures": [domain],
        "writers": [domain],
    }


def make_openreview_bibtex(
    note_id: str,
    title: str,
    authors: list[str],
    venue: str,
    venueid: str,
    date_ms: int,
    *,
    classic_iclr_booktitle: bool = False,
) -> str:
    """``_bibtex`` the way OpenReview generates it (``@type{\\nkey,`` then one field per line)."""
    year = _year(venueid, venue, date_ms)
    key = _bibtex_key(authors, year, title)
    author_field = " and ".join(authors)
    url = f"https://openreview.net/forum?id={note_id}"
    if venueid.endswith(SUBMISSION_SUFFIXES):
        return f"@misc{{\n{key},\ntitle={{{title}}},\nauthor={{{author_field}}},\nyear={{{year}}},\nurl={{{url}}}\n}}"
    return (
        f"@inproceedings{{\n{key},\ntitle={{{title}}},\nauthor={{{author_field}}},\n"
        f"booktitle={{{_booktitle(venueid, venue, year, classic_iclr_booktitle)}}},\nyear={{{year}}},\n"
        f"url={{{url}}}\n}}"
    )


def make_v1_2018_note(
    id: str,
    title: str,
    authors: list[str],
    abstract: str = "",  # noqa: A002 - API field name
    *,
    accepted: bool = True,
    bibtex: str | None = None,
    invitation: str = "ICLR.cc/2018/Conference/-/Blind_Submission",
    cdate_ms: int = 1509136423143,
) -> dict:
    """An API v1 note of the ICLR 2018 era: no ``venue``/``venueid``; the decision is only in ``_bibtex``.

    Accepted: the authors' names and ``@inproceedings{..., booktitle={International Conference
    on Learning Representations}, year={2018}, ...,}`` (the trailing comma of that era's
    ``_bibtex``). Not accepted: the blind record, ``author={Anonymous}`` and an ``@misc`` saying
    "Submitted to ...". Also that era's ``TL;DR``, ``original`` and no ``pdate``.
    """
    shown = authors if accepted else ["Anonymous"]
    note = make_v1_note(
        id,
        title,
        shown,
        abstract,
        venueid=invitation.split("/-/", 1)[0],
        cdate_ms=cdate_ms,
        invitation=invitation,
        authorids=[_profile_id(a) for a in authors] if accepted else ["ICLR.cc/2018/Conference/Paper1/Authors"],
        bibtex=bibtex if bibtex is not None else _bibtex_2018(id, title, shown, accepted),
    )
    for key in ("venue", "venueid"):
        del note["content"][key]
    note["content"]["TL;DR"] = "A one-sentence summary."
    note["original"] = id[::-1]
    note["pdate"] = None
    note["cdate"] = None
    return note


def _bibtex_2018(note_id: str, title: str, authors: list[str], accepted: bool) -> str:
    key = _bibtex_key(authors, 2018, title)
    url = f"https://openreview.net/forum?id={note_id}"
    if accepted:
        return (
            f"@inproceedings{{\n{key},\ntitle={{{title}}},\nauthor={{{' and '.join(authors)}}},\n"
            f"booktitle={{International Conference on Learning Representations}},\nyear={{2018}},\nurl={{{url}}},\n}}"
        )
    return (
        f"@misc{{\n{key},\ntitle={{{title}}},\nauthor={{Anonymous}},\n"
        f"howpublished={{Submitted to International Conference on Learning Representations}},\nyear={{2018}},\nurl={{{url}}}\n}}"
    )


def dblp_author_url(name: str) -> str:
    """An ``authorids`` entry of a dblp import for an author without an OpenReview profile."""
    return f"https://dblp.org/search/pid/api?q=author:{'_'.join(name.split())}:"


def make_dblp_note(
    id: str,
    title: str,
    authors: list[str],
    bibtex: str,
    *,  # noqa: A002 - API field name
    venue: str,
    venueid: str,
    html: str = "",
    pdf: str = "",
    profiles: int = 1,
    pdate_ms: int = 1704067200000,
    version: int = 2,
) -> dict:
    """A record OpenReview imported from dblp (shaped like the two DBLP notes of the search fixture).

    v2: invitations ``DBLP.org/-/Record``/``Edit``, ``domain`` ``DBLP.org``, ``venueid`` under
    ``dblp.org/`` (``dblp.org/journals/NN/2024``), ``venue`` like "Neural Networks 2024", no
    abstract, ``authorids`` of the first ``profiles`` authors as ``~`` ids and the rest as
    dblp URLs, ``html`` the publisher's page, ``_bibtex`` dblp's own ``@article{DBLP:...``.
    v1 (``version=1``): plain content values and the singular ``invitation`` ``dblp.org/-/record``.
    """
    authorids = [_profile_id(a) if n < profiles else dblp_author_url(a) for n, a in enumerate(authors)]
    content: dict[str, Any] = {
        "venue": venue,
        "venueid": venueid,
        "paperhash": _paperhash(title, authors),
        "authorids": authorids,
        "_bibtex": bibtex,
        "title": title,
        "authors": authors,
    }
    if pdf:
        content["pdf"] = pdf
    if html:
        content["html"] = html
    signer = authorids[0] if authors and profiles else "~Super_User1"
    if version == 1:
        return {
            "id": id,
            "original": None,
            "number": _stable_number(id),
            "cdate": pdate_ms,
            "pdate": pdate_ms,
            "odate": None,
            "mdate": None,
            "tcdate": pdate_ms + 3 * DAY_MS,
            "tmdate": pdate_ms + 3 * DAY_MS,
            "ddate": None,
            "content": content,
            "forum": id,
            "referent": None,
            "invitation": "dblp.org/-/record",
            "replyto": None,
            "readers": ["everyone"],
            "nonreaders": [],
            "signatures": ["dblp.org"],
            "writers": ["dblp.org"],
        }
    return {
        "content": {key: {"value": value} for key, value in content.items()},
        "tmdate": pdate_ms + 40 * DAY_MS,
        "pdate": pdate_ms,
        "tcdate": pdate_ms + 30 * DAY_MS,
        "writers": ["~"],
        "signatures": [signer],
        "forum": id,
        "license": "CC BY-SA 4.0",
        "number": _stable_number(id),
        "cdate": pdate_ms,
        "readers": ["everyone"],
        "invitations": ["DBLP.org/-/Record", "DBLP.org/-/Edit"],
        "mdate": pdate_ms + 40 * DAY_MS,
        "domain": "DBLP.org",
        "id": id,
        "version": 2,
    }


def make_orcid_note(
    id: str,
    title: str,
    authors: list[str],
    bibtex: str,
    *,  # noqa: A002 - API field name
    html: str = "",
    external_ids: list[str] | None = None,
    usernames: dict[str, str] | None = None,
    pdate_ms: int = 1561939200000,
) -> dict:
    """A record OpenReview imported from ORCID (shaped like the ORCID note of the search fixture).

    ``venueid`` ``OpenReview.net/Public_Article``, ``venue`` the paper's own title, authors as
    objects ``{"fullname", "username"?}``, no ``authorids``, ``externalIds`` like
    ``doi:10.18653/v1/...``, ``_bibtex`` as the author's institution exported it (quoted values,
    ``month = jul``, sometimes ``booktitle`` = the title).
    """
    usernames = usernames or {}
    people = [{"fullname": a, **({"username": usernames[a]} if a in usernames else {})} for a in authors]
    content: dict[str, Any] = {
        "venue": title,
        "venueid": "OpenReview.net/Public_Article",
        "paperhash": _paperhash(title, authors),
        "_bibtex": bibtex,
        "title": title,
        "authors": people,
    }
    if html:
        content["html"] = html
    note: dict[str, Any] = {
        "content": {key: {"value": value} for key, value in content.items()},
        "tmdate": pdate_ms + 900 * DAY_MS,
        "pdate": pdate_ms,
    }
    if external_ids:
        note["externalIds"] = external_ids
    note.update(
        {
            "tcdate": pdate_ms + 880 * DAY_MS,
            "writers": ["~", "OpenReview.net/Public_Article/ORCID.org", "OpenReview.net/Support"],
            "signatures": [next(iter(usernames.values()), "~Super_User1")],
            "forum": id,
            "license": "CC BY-SA 4.0",
            "number": _stable_number(id),
            "cdate": pdate_ms + 850 * DAY_MS,
            "readers": ["everyone"],
            "invitations": [
                "OpenReview.net/Public_Article/ORCID.org/-/Record",
                "OpenReview.net/Public_Article/-/Edit",
                "OpenReview.net/-/Edit",
            ],
            "mdate": pdate_ms + 900 * DAY_MS,
            "domain": "OpenReview.net/Public_Article",
            "id": id,
            "version": 2,
        }
    )
    return note


# ----------------------------------------------------------------------- helpers
def _page(notes: list[dict], request: Request) -> list[dict]:
    offset = _int(request.param("offset"), 0)
    limit = _int(request.param("limit"), len(notes))
    return notes[offset : offset + limit]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _title(note: dict) -> str:
    title = note.get("content", {}).get("title", "")
    if isinstance(title, dict):
        title = title.get("value", "")
    return str(title)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", text.casefold()))


def _domain(venueid: str) -> str:
    for suffix in SUBMISSION_SUFFIXES:
        if venueid.endswith(suffix):
            return venueid[: -len(suffix)]
    return venueid


def _stable_number(note_id: str) -> int:
    return int(hashlib.sha1(note_id.encode()).hexdigest()[:6], 16) % 12000 + 1


def _profile_id(name: str) -> str:
    return "~" + "_".join(name.split()) + "1"


def _last_name(authors: list[str]) -> str:
    if not authors:
        return "anonymous"
    return re.sub(r"[^a-z0-9]", "", authors[0].split()[-1].lower()) or "anonymous"


def _paperhash(title: str, authors: list[str]) -> str:
    return f"{_last_name(authors)}|{'_'.join(re.findall(r'[a-z0-9]+', title.lower()))}"


def _bibtex_key(authors: list[str], year: int, title: str) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in TITLE_STOPWORDS]
    return f"{_last_name(authors)}{year}{words[0] if words else ''}"


def _year(venueid: str, venue: str, date_ms: int) -> int:
    match = re.search(r"(?:^|/)(\d{4})(?:/|$)", venueid) or re.search(r"\b(\d{4})\b", venue)
    if match:
        return int(match.group(1))
    return datetime.fromtimestamp(date_ms / 1000, UTC).year


def _booktitle(venueid: str, venue: str, year: int, classic_iclr: bool) -> str:
    if venueid.startswith("ICLR.cc/"):
        if classic_iclr:
            return "International Conference on Learning Representations"
        ordinal = year - 2012
        if 0 < ordinal < len(ORDINALS):
            return f"The {ORDINALS[ordinal]} International Conference on Learning Representations"
    if venueid.startswith("NeurIPS.cc/"):
        return f"{_ordinal_words(year - 1986)} Conference on Neural Information Processing Systems"
    return venue


def _ordinal_words(number: int) -> str:
    """37 -> "Thirty-seventh" (NeurIPS booktitles on OpenReview spell the edition out)."""
    tens = {2: "Twenty", 3: "Thirty", 4: "Forty", 5: "Fifty"}
    if number < len(ORDINALS):
        return ORDINALS[number]
    ten, unit = divmod(number, 10)
    if ten not in tens:
        return f"{number}th"
    if unit == 0:
        return tens[ten][:-1] + "ieth"
    return f"{tens[ten]}-{ORDINALS[unit].lower()}"
