"""The account of a run: the one-line summary for stderr and the detail lines under it."""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from tridentbib.pipeline import BuildResult, Outcome


def summary_line(result: BuildResult) -> str:
    """``links found per kind, resolved, from cache, failed, not supported (with lines)``."""
    kinds = Counter(o.kind for o in result.outcomes)
    found = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    parts = [
        f"{len(result.outcomes)} links ({found or 'none'})",
        f"{len(result.entries)} entries",
        f"{result.count(Outcome.RESOLVED)} resolved",
        f"{result.count(Outcome.CACHED)} from cache",
    ]
    if result.count(Outcome.STALE):
        parts.append(f"{result.count(Outcome.STALE)} stale")
    if result.count(Outcome.MERGED):
        parts.append(f"{result.count(Outcome.MERGED)} duplicates merged")
    parts.append(f"{len(result.failed)} failed")
    unsupported = [o for o in result.outcomes if o.outcome in (Outcome.NOT_SUPPORTED, Outcome.CONTEXT)]
    lines = _first_lines(sorted({o.line for o in unsupported}))
    parts.append(f"{len(unsupported)} not resolved: no supported API" + (f" (lines {lines})" if lines else ""))
    return "tridentbib: " + "; ".join(parts)


def failure_lines(result: BuildResult) -> list[str]:
    """One line per link that names a paper we could not resolve, and per stale record."""
    lines = []
    for o in result.outcomes:
        if o.outcome in (Outcome.FAILED, Outcome.REJECTED, Outcome.STALE):
            label = f"{o.kind} {o.id}" if o.id else o.url
            lines.append(f"  {o.source}:{o.line}: {o.outcome}: {label}: {o.reason}")
    for path, problem in result.corrupt_cache_files:
        lines.append(f"  cache file {path} was corrupt ({problem}); moved aside and fetched again")
    return lines


def bib_text(documents: list, result: BuildResult) -> str:
    """The text ``build`` writes for this run: the ``@preamble`` of .bib inputs, then every entry."""
    return "".join(bib_parts(documents, result))


def bib_parts(documents: list, result: BuildResult, *, ascii: bool = False) -> Iterator[str]:
    """:func:`bib_text` in consecutive pieces, made as they are asked for (see :func:`~tridentbib.writers.bibtex.bibtex_parts`)."""
    from tridentbib.sources.bibfile import preambles_of
    from tridentbib.writers.bibtex import bibtex_parts

    return bibtex_parts(result.entries, ascii=ascii, preamble=preambles_of(documents))


def _first_lines(lines: list[int], shown: int = 20) -> str:
    """``"3, 6, 9"``, or the first ``shown`` and how many more (a 10,000-row list has many)."""
    text = ", ".join(str(line) for line in lines[:shown])
    return text + (f" and {len(lines) - shown} more; see --report" if len(lines) > shown else "")
