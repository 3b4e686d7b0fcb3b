"""OpenReview's API: requests (v2 first, v1 for older venues), login, and the notes flattened into records."""

from __future__ import annotations

import json
from typing import Any, Iterator, Sequence

from tridentbib.http import ServiceClient, ServiceError
from tridentbib.resolvers.acl import UNAVAILABLE
from tridentbib.resolvers.interface import Answer, Found, Missing, Resolver
from tridentbib.settings import Settings

#: ids per ``/notes?ids=`` request (keeps URLs short; the API pages at 1000 notes)
BATCH_SIZE = 25
#: statuses worth retrying here: not 429, whose reset is usually an hour away
RETRY_STATUSES = frozenset({500, 502, 503, 504})


#: answers to ``POST /notes/search {"ids": ...}`` that mean "not this way": ask one id at a time
BATCH_REFUSED_STATUSES = frozenset({400, 404, 405, 501})


class OpenReviewUnavailable(Exception):
    """OpenReview refused to answer (challenge, rate limit, failed login, outage)."""


class _BatchRefused(Exception):
    """OpenReview does not take ``POST /notes/search {"ids": ...}`` (any other refusal is OpenReviewUnavailable)."""


class OpenReviewResolver(Resolver):
    """Fetch submission notes by forum id."""

    service = "openreview"

    def __init__(self, client: ServiceClient, v1_client: ServiceClient, settings: Settings) -> None:
        super().__init__(client)
        self.v1_client = v1_client
        self.settings = settings
        self._token: str | None = settings.openreview_token
        self._unavailable: str | None = None
        #: False once v1 refused a batch: ask it one id per request for the rest of the run
        self._v1_batches = True

    @property
    def clients(self) -> list[ServiceClient]:
        """Both API versions' clients."""
        return [self.client, self.v1_client]

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        """v2 in batches; the ids v2 does not know are asked of v1 in one batch too."""
        for batch in self.batches(ids, BATCH_SIZE):
            if self._unavailable:
                for ident in batch:
                    yield ident, Missing(self._unavailable, permanent=False, recoverable=True)
                continue
            try:
                answers: dict[str, Answer] = dict(self._fetch_v2(batch))
                rest = [ident for ident in batch if ident not in answers]
                if rest:
                    answers.update(self._fetch_v1(rest))
            except OpenReviewUnavailable as error:
                self._unavailable = f"{UNAVAILABLE} {error}"
                answers = {ident: Missing(self._unavailable, permanent=False, recoverable=True) for ident in batch}
            for ident in batch:
                yield ident, answers[ident]

    # -- API v2 -------------------------------------------------------------------
    def _fetch_v2(self, batch: list[str]) -> dict[str, Found]:
        params = {"ids": ",".join(batch)}
        notes = self._notes(self.client, params)
        found: dict[str, Found] = {}
        request = f"{self.client.base_url}/notes?ids={params['ids']}"
        by_id = {note.get("id"): note for note in notes if isinstance(note, dict)}
        for ident in batch:
            note = by_id.get(ident)
            if note is None:
                continue
            forum = note.get("forum") or ident
            if forum != ident:  # a reply or review: the paper is its forum
                forum_notes = self._notes(self.client, {"id": forum})
                note = forum_notes[0] if forum_notes else note
            found[ident] = Found(record_from_note(note, api_version=2), request)
        return found

    # -- API v1 -------------------------------------------------------------------
    # v1's ``GET /notes`` filters by one ``id`` (openreview-py's v1 ``Client.get_notes`` has
    # no ``ids``); many notes by id are ``POST /notes/search {"ids": [...]}``, the request
    # behind ``Client.get_notes_by_ids``. Should v1 refuse it (BATCH_REFUSED_STATUSES), the rest of
    # the run asks v1 one id per request as before.
    def _fetch_v1(self, batch: list[str]) -> dict[str, Answer]:
        if self._v1_batches:
            try:
                return self._fetch_v1_batch(batch)
            except _BatchRefused:
                self._v1_batches = False
        return {ident: self._fetch_v1_one(ident) for ident in batch}

    def _fetch_v1_batch(self, batch: list[str]) -> dict[str, Answer]:
        notes = self._notes(self.v1_client, {}, ids=batch)
        by_id = {note.get("id"): note for note in notes}
        answers: dict[str, Answer] = {}
        for ident in batch:
            note = by_id.get(ident)
            answers[ident] = self._v1_answer(ident, [note] if note is not None else [])
        return answers

    def _fetch_v1_one(self, ident: str) -> Answer:
        return self._v1_answer(ident, self._notes(self.v1_client, {"id": ident}))

    def _v1_answer(self, ident: str, notes: list[dict[str, Any]]) -> Answer:
        if not notes:
            return Missing("OpenReview has no note with this id (API v2 and v1)")
        note = notes[0]
        forum = note.get("forum") or ident
        if forum != ident:
            notes = self._notes(self.v1_client, {"id": forum}) or notes
            note = notes[0]
        return Found(record_from_note(note, api_version=1), f"{self.v1_client.base_url}/notes?id={ident}")

    # -- transport ----------------------------------------------------------------
    def _headers(self, client: ServiceClient) -> dict[str, str]:
        token = self._login(client)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _login(self, client: ServiceClient) -> str | None:
        if self._token or not (self.settings.openreview_username and self.settings.openreview_password):
            return self._token
        try:
            response = self.client.post(
                "/login", json={"id": self.settings.openreview_username, "password": self.settings.openreview_password}
            )
        except ServiceError as error:
            raise OpenReviewUnavailable(f"login failed: {error}") from None
        payload = _json(response.content)
        if response.status != 200 or not isinstance(payload, dict) or not payload.get("token"):
            raise OpenReviewUnavailable(
                f"login as {self.settings.openreview_username} failed: {_error_text(payload, response.status)}"
            )
        self._token = str(payload["token"])
        return self._token

    def _notes(
        self, client: ServiceClient, params: dict[str, str], ids: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """``GET /notes`` (``POST /notes/search`` for ``ids``); [] for NotFoundError.

        Raises OpenReviewUnavailable when OpenReview refuses, _BatchRefused when it refuses ``ids``.
        """
        try:
            if ids is None:
                response = client.get("/notes", params=params, headers=self._headers(client))
            else:
                response = client.post("/notes/search", json={"ids": ids}, headers=self._headers(client))
        except ServiceError as error:
            raise OpenReviewUnavailable(str(error)) from None
        payload = _json(response.content)
        if ids is not None and response.status in BATCH_REFUSED_STATUSES:
            raise _BatchRefused(_error_text(payload, response.status))
        if response.status == 404:
            return []
        if response.status == 403 and isinstance(payload, dict) and payload.get("name") == "ChallengeRequiredError":
            hint = "" if self._token else "; set TRIDENTBIB_OPENREVIEW_USERNAME/PASSWORD or TRIDENTBIB_OPENREVIEW_TOKEN"
            raise OpenReviewUnavailable(
                f"OpenReview requires a challenge for guests (403 ChallengeRequiredError){hint}"
            )
        if response.status == 429:
            reset = payload.get("details", {}).get("resetTime") if isinstance(payload, dict) else None
            raise OpenReviewUnavailable(
                "OpenReview rate limit reached (429 RateLimitError" + (f", resets at {reset})" if reset else ")")
            )
        if response.status != 200:
            raise OpenReviewUnavailable(
                f"OpenReview answered HTTP {response.status}: {_error_text(payload, response.status)}"
            )
        if not isinstance(payload, dict) or not isinstance(payload.get("notes"), list):
            raise OpenReviewUnavailable("OpenReview answered JSON of an unexpected shape (no 'notes' list)")
        return [note for note in payload["notes"] if isinstance(note, dict)]


def record_from_note(note: dict[str, Any], api_version: int) -> dict[str, Any]:
    """The note's useful fields with v2's ``{"value": ...}`` wrappers removed."""
    content = {
        key: (value.get("value") if isinstance(value, dict) and "value" in value else value)
        for key, value in (note.get("content") or {}).items()
    }
    authors = [a.get("fullname", "") if isinstance(a, dict) else str(a) for a in content.get("authors") or []]
    return {
        "id": note.get("forum") or note.get("id"),
        "api_version": api_version,
        "title": content.get("title") or "",
        "authors": authors,
        "abstract": content.get("abstract") or "",
        "venue": content.get("venue") or "",
        "venueid": content.get("venueid") or "",
        "bibtex": content.get("_bibtex") or "",
        "pdf": content.get("pdf") or "",
        "keywords": content.get("keywords") or [],
        "pdate": note.get("pdate"),
        "odate": note.get("odate"),
        "cdate": note.get("cdate"),
        "invitations": _invitations(note),
        "authorids": [str(a) for a in content.get("authorids") or [] if a],
        "external_ids": [str(x) for x in note.get("externalIds") or [] if x],
    }


def _invitations(note: dict[str, Any]) -> list[str]:
    """v2's ``invitations`` list or v1's single ``invitation``, as a list."""
    invitations = note.get("invitations")
    if isinstance(invitations, list):
        return [str(i) for i in invitations if i]
    return [str(note["invitation"])] if note.get("invitation") else []


def _json(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _error_text(payload: Any, status: int) -> str:
    if isinstance(payload, dict) and payload.get("message"):
        return f"{payload.get('name', 'Error')}: {payload['message']}"
    return f"HTTP {status}"
