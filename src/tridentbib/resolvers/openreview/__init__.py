"""OpenReview: API v2 ``GET /notes?ids=...``, falling back to API v1 for older venues.

Since 2026 OpenReview answers anonymous ``/notes`` calls with ``403
ChallengeRequiredError`` and rate-limits guests hard (``429 RateLimitError`` with
``details.resetTime``). So: we log in when given credentials
(``TRIDENTBIB_OPENREVIEW_USERNAME``/``_PASSWORD`` -> ``POST /login``, or
``TRIDENTBIB_OPENREVIEW_TOKEN``); a challenge or a rate limit is never retried (we
stop asking and report the service unavailable, so the pipeline can resolve the
paper through dblp or arXiv instead).

Records keep the note's content flattened to plain values (v2 wraps each in
``{"value": ...}``, v1 does not), plus which API answered, the note's invitations
(v2 ``invitations``, v1's singular ``invitation``) and ``authorids``: together with
``venueid`` they tell a venue's own submission from a record OpenReview imported
from dblp or ORCID, and date a 2018-era v1 note that has no ``venue``/``venueid``
(:func:`from_openreview`).
"""

from __future__ import annotations

from tridentbib.resolvers.openreview.client import RETRY_STATUSES as RETRY_STATUSES
from tridentbib.resolvers.openreview.client import OpenReviewResolver as OpenReviewResolver
from tridentbib.resolvers.openreview.client import OpenReviewUnavailable as OpenReviewUnavailable
from tridentbib.resolvers.openreview.client import record_from_note as record_from_note
from tridentbib.resolvers.openreview.shape import _openreview_bibtex as _openreview_bibtex
from tridentbib.resolvers.openreview.shape import decision as decision
from tridentbib.resolvers.openreview.shape import from_openreview as from_openreview
from tridentbib.resolvers.openreview.shape import is_imported as is_imported
from tridentbib.resolvers.openreview.shape import legacy_decision as legacy_decision
