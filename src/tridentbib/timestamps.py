"""The one timestamp format of cache files and reports (ISO 8601, UTC, seconds), and ages from it."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    """The current time as the ISO 8601 string stored in cache files."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def age_days(timestamp: str, now: datetime | None = None) -> float:
    """Days since ``timestamp`` (an ISO string as written by :func:`utc_now`)."""
    then = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return ((now or datetime.now(UTC)) - then).total_seconds() / 86400
