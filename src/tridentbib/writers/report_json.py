"""``--report FILE.json``: a machine-readable account of a run.

Every link with its file, line, kind, id and outcome (resolved, cached, stale,
merged into an earlier entry, failed with a reason, rejected, not supported, ...),
the entries written, the requests sent per service, and -- when the run compared
its output with the previous one -- the changes. ``schema`` is bumped whenever a
field changes meaning.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Sequence

SCHEMA = 1


def link_record(outcome: Any) -> dict[str, Any]:
    """One link of the report."""
    record: dict[str, Any] = {
        "source": outcome.source,
        "line": outcome.line,
        "url": outcome.url,
        "kind": outcome.kind,
        "id": outcome.id,
        "version": outcome.version,
        "outcome": outcome.outcome,
        "key": outcome.key,
        "answered_by": outcome.answered_by,
        "reason": outcome.reason,
        "transient": outcome.transient,
    }
    if outcome.outcome == "merged":
        record["merged_into"] = outcome.key
    return record


def build_report(
    result: Any,
    *,
    inputs: Sequence[str],
    output: str,
    written: bool,
    dry_run: bool = False,
    changes: Any = None,
) -> dict[str, Any]:
    """The whole report as plain JSON data."""
    from tridentbib import __version__
    from tridentbib.timestamps import utc_now

    outcomes = Counter(o.outcome for o in result.outcomes)
    kinds = Counter(o.kind for o in result.outcomes)
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "tool": f"tridentbib {__version__}",
        "finished_at": utc_now(),
        "inputs": list(inputs),
        "output": output,
        "written": written,
        "dry_run": dry_run,
        "summary": {
            "links": len(result.outcomes),
            "entries": len(result.entries),
            "by_kind": dict(sorted(kinds.items())),
            "by_outcome": dict(sorted(outcomes.items())),
            "failed": len(result.failed),
        },
        "requests": dict(sorted(result.requests.items())),
        # services taken as gone this run (circuit breaker open): their papers failed at once, with this reason
        "unavailable_services": [
            {"service": o.service, "url": o.base_url, "reason": o.reason} for o in getattr(result, "outages", [])
        ],
        "links": [link_record(o) for o in result.outcomes],
        "entries": [
            {
                "key": e.key,
                "type": e.entry_type,
                "origin": e.origin,
                "papers": sorted(e.identity),
                "line": e.line,
                "notes": list(e.notes),
            }
            for e in result.entries
        ],
        "corrupt_cache_files": [{"path": path, "problem": problem} for path, problem in result.corrupt_cache_files],
        "notes": list(getattr(result, "notes", [])),
        "venue_upgrades": [
            {"key": u.key, "arxiv_id": u.arxiv_id, "evidence": u.evidence, "rule": u.rule}
            for u in getattr(result, "upgrades", [])
        ],
        "venue_candidates": [
            {"key": c.key, "arxiv_id": c.arxiv_id, "candidate": c.text} for c in getattr(result, "candidates", [])
        ],
        # items looked up by their own title: the record applied with its evidence, every candidate rejected and why
        "title_matches": [
            {
                "where": d.where,
                "title": d.title,
                "applied": d.applied,
                "evidence": d.evidence,
                "rejected": list(d.rejected),
            }
            for d in getattr(result, "titles", [])
        ],
    }
    if changes is not None:
        report["changes"] = changes.as_json()
    return report


def report_text(report: dict[str, Any]) -> str:
    """The report as the file holds it: pretty-printed JSON, UTF-8 text kept as is."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
