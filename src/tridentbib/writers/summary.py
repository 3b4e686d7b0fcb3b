"""The account of a run: the one-line summary for stderr and the detail lines under it.

Links fall in two groups. **Paper links not resolved** (failed, rejected, entries
built from the list's text because no supported API serves the paper) are listed,
one line each with file, line and reason -- except that the failures of a service
taken as gone (its circuit breaker opened, :mod:`tridentbib.http`) are one line for
the service. **Other links** (code, slides, profiles, home pages in prose; extra URLs
of a paper) are only counted. ``--report`` has every link.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator, Sequence

from tridentbib.model import BuildResult, LinkOutcome, ListDocument, Outage, Outcome

#: outcomes of links that name a paper we have no record for
UNRESOLVED = (Outcome.FAILED, Outcome.REJECTED, Outcome.CONTEXT)
#: context entries (and paper links no service resolves) listed on stderr; the rest are counted, --report has all
CONTEXT_SHOWN = 20
#: where a failed OpenReview/ACL paper's own reason ends and what its fallbacks said begins (fallback.py)
_FALLBACKS = "; fallbacks:"


#: plain lists of ids (sources/files.py): every line is meant to name a paper
_ID_LISTS = (".txt", ".ids")


def is_other_link(o: LinkOutcome) -> bool:
    """A link that names no paper: a prose link outside paper tables (code, slides, a home page),
    an extra URL of a paper."""
    if o.outcome == Outcome.EXTRA:
        return True
    return o.outcome == Outcome.NOT_SUPPORTED and o.kind == "other" and not o.source.lower().endswith(_ID_LISTS)


def is_unresolved_paper(o: LinkOutcome) -> bool:
    """A paper link with no record: failed, rejected, an entry built from the list's text, a kind no service resolves,
    a line of an id list that names nothing."""
    return o.outcome in UNRESOLVED or (o.outcome == Outcome.NOT_SUPPORTED and not is_other_link(o))


def _count(n: int, thing: str) -> str:
    """``1 paper link``, ``2 paper links``."""
    return f"{n} {thing}" + ("" if n == 1 else "s")


def summary_line(result: BuildResult) -> str:
    """``links found per kind, entries, resolved, from cache, failed, paper links not resolved, other links``."""
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
    unresolved = sum(1 for o in result.outcomes if is_unresolved_paper(o))
    if unresolved:
        parts.append(f"{_count(unresolved, 'paper link')} not resolved (listed below)")
    others = sum(1 for o in result.outcomes if is_other_link(o))
    if others:
        parts.append(f"{_count(others, 'other link')}, not papers (see --report)")
    return "tridentbib: " + "; ".join(parts)


def outage_of(o: LinkOutcome, outages: Sequence[Outage]) -> Outage | None:
    """The outage a failed link is one of (its own service was taken as gone), or None."""
    if o.outcome != Outcome.FAILED or not o.transient or not outages:
        return None
    own = o.reason.split(_FALLBACKS, 1)[0]
    places = [
        (own.find(outage.reason), n) for n, outage in enumerate(outages) if outage.reason and outage.reason in own
    ]
    return outages[min(places)[1]] if places else None


def failure_lines(result: BuildResult, quiet: bool = False) -> list[str]:
    """The paper links not resolved, and stale records: one line each, with the reason.

    Failures whose service was taken as gone (its circuit breaker opened) are one
    line per service instead of one per paper (``--report`` lists every link).
    Entries built from the list's text (no supported API) are listed too, the first
    :data:`CONTEXT_SHOWN`, unless ``quiet``: they are not failures.
    """
    outages = list(getattr(result, "outages", []))
    grouped: dict[int, list[LinkOutcome]] = {}
    lines = []
    context_shown = context_left = 0
    for o in result.outcomes:
        outage = outage_of(o, outages)
        if outage is not None:
            grouped.setdefault(outages.index(outage), []).append(o)
        elif o.outcome in (Outcome.FAILED, Outcome.REJECTED, Outcome.STALE):
            lines.append(_line(o))
        elif is_unresolved_paper(o) and not quiet:
            if context_shown < CONTEXT_SHOWN:
                lines.append(_line(o))
                context_shown += 1
            else:
                context_left += 1
    if context_left:
        lines.append(
            f"  ... and {_count(context_left, 'more paper link')} with no supported API "
            "(entries built from the list's text); see --report"
        )
    for index, links in sorted(grouped.items()):
        papers = len({(o.kind, o.id) for o in links})
        counted = _count(papers, "paper") + (f" ({len(links)} links)" if len(links) != papers else "")
        lines.append(
            f"  {outages[index].reason}: {counted} not resolved ({_where(links)}); try again later or use --offline"
        )
    for path, problem in result.corrupt_cache_files:
        lines.append(f"  cache file {path} was corrupt ({problem}); moved aside and fetched again")
    return lines


def note_lines(result: BuildResult) -> list[str]:
    """The notes about citation blocks, one line each; those that only repeat an outage are one line per service."""
    outages = list(getattr(result, "outages", []))
    lines: list[str] = []
    grouped: dict[str, list[tuple[str, int]]] = {}
    for note in result.notes:
        outage = next((o for o in outages if o.reason and o.reason in note), None)
        where = re.match(r"(.+?):(\d+): ", note)
        if outage is None or where is None:
            lines.append(f"  {note}")
        else:
            grouped.setdefault(outage.service, []).append((where.group(1), int(where.group(2))))
    for service, places in grouped.items():
        shown = (
            "lines " + _first_lines(sorted({line for _, line in places}))
            if len({source for source, _ in places}) == 1
            else ", ".join(f"{source}:{line}" for source, line in places)
        )
        lines.append(
            f"  {_count(len(places), 'citation block')} written as "
            f"{'it is' if len(places) == 1 else 'they are'} ({shown}): {service} was unavailable (see above)"
        )
    return lines


def _line(o: LinkOutcome) -> str:
    label = f"{o.kind} {o.id}" if o.id else o.url
    return f"  {o.source}:{o.line}: {o.outcome}: {label}: {o.reason}"


def _where(links: Sequence[LinkOutcome]) -> str:
    """``lines 3, 4, 9`` (one input) or ``a.md:3, b.md:9`` (several), the first 20 and how many more."""
    sources = {o.source for o in links}
    if len(sources) == 1:
        return "lines " + _first_lines(sorted({o.line for o in links}))
    places = [f"{o.source}:{o.line}" for o in links]
    return ", ".join(places[:20]) + (f" and {len(places) - 20} more; see --report" if len(places) > 20 else "")


def bib_text(documents: Sequence[ListDocument], result: BuildResult) -> str:
    """The text ``build`` writes for this run: the ``@preamble`` of .bib inputs, then every entry."""
    return "".join(bib_parts(documents, result))


def bib_parts(documents: Sequence[ListDocument], result: BuildResult, *, ascii: bool = False) -> Iterator[str]:
    """:func:`bib_text` in consecutive pieces, made as they are asked for
    (see :func:`~tridentbib.writers.bibtex.bibtex_parts`)."""
    from tridentbib.writers.bibtex import bibtex_parts, preambles_of

    return bibtex_parts(result.entries, ascii=ascii, preamble=preambles_of(documents))


def _first_lines(lines: list[int], shown: int = 20) -> str:
    """``"3, 6, 9"``, or the first ``shown`` and how many more (a 10,000-row list has many)."""
    text = ", ".join(str(line) for line in lines[:shown])
    return text + (f" and {len(lines) - shown} more; see --report" if len(lines) > shown else "")
