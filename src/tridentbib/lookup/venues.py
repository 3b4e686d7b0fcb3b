"""Gathering the evidence for a run, cache first (``--venues fast|full|off``), and applying it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from tridentbib.http import WaitListener
from tridentbib.identifiers import Kind, PaperId
from tridentbib.latex import normalize_title
from tridentbib.lookup.dblp_batch import TitleSearches
from tridentbib.lookup.fallback import Fallbacks
from tridentbib.lookup.policy import Policy, ProgressListener, consult, keep
from tridentbib.lookup.toc import arxiv_ids_in_ee, preprint_venue_year, preprints_in_tables, venue_years
from tridentbib.model import (
    Entry,
    ListDocument,
    Lookup,
    Record,
    Upgrade,
)
from tridentbib.resolvers.interface import Found
from tridentbib.settings import Settings
from tridentbib.steps.venues.evidence import Candidate, Verdict, decide
from tridentbib.steps.venues.records import DBLP, S2, is_preprint_server
from tridentbib.steps.venues.upgrade import upgrade
from tridentbib.store.cache import DiskCache, NotFound, utc_now

MODES = ("fast", "full", "off")
FAST, FULL, OFF = MODES
#: the service name progress is reported under for the per-paper dblp search
DBLP_PROGRESS = "dblp"


@dataclass
class VenueCheck:
    """Everything the lookups found, ready to be applied to the finished entries."""

    mode: str
    preprints: dict[str, dict[str, Any]] = field(default_factory=dict)  #: arXiv id -> arXiv record
    s2: dict[str, dict[str, Any] | None] = field(default_factory=dict)  #: arXiv id -> S2 record (None: S2 has none)
    dblp: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  #: arXiv id -> dblp hits
    notes: list[str] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)
    #: arXiv ids Semantic Scholar was already asked about in this run (by :func:`prefetch_s2`)
    asked: set[str] = field(default_factory=set)
    #: arXiv id -> (S2 answer, dblp hits, verdict): a verdict is worked out once per set of evidence
    _verdicts: dict[str, tuple[object, object, Verdict]] = field(default_factory=dict, repr=False)

    def looked_up(self, arxiv_id: str) -> bool:
        """Did some run already ask S2 or dblp about this paper (so its upgrade stays in ``off`` mode)?"""
        return arxiv_id in self.s2 or arxiv_id in self.dblp

    def verdict(self, arxiv_id: str) -> Verdict:
        """What the evidence at hand says about one preprint."""
        preprint = self.preprints[arxiv_id]
        if self.mode == OFF and not self.looked_up(arxiv_id):
            return Verdict(None)
        s2, dblp = self.s2.get(arxiv_id), self.dblp.get(arxiv_id)
        known = self._verdicts.get(arxiv_id)
        if known is not None and known[0] is s2 and known[1] is dblp:
            return known[2]
        verdict = decide(preprint, s2, dblp)
        self._verdicts[arxiv_id] = (s2, dblp, verdict)
        return verdict

    def apply(self, entries: list[Entry]) -> tuple[list[Upgrade], list[Candidate]]:
        """Upgrade every preprint entry the evidence supports; keys stay.

        Entries are updated in place, so everything that refers to them (link
        outcomes, the report) sees the published form.
        """
        upgrades: list[Upgrade] = []
        candidates: list[Candidate] = []
        for entry in entries:
            arxiv_id = _preprint_id(entry, self.preprints)
            if arxiv_id is None:
                continue
            verdict = self.verdict(arxiv_id)
            candidates.extend(replace(c, key=entry.key) for c in verdict.candidates)
            if verdict.evidence is None:
                continue
            if entry.origin == "bib":
                candidates.append(
                    Candidate(
                        arxiv_id,
                        verdict.evidence.venue,
                        f"kept as written in the .bib input (evidence: {verdict.evidence.basis})",
                        key=entry.key,
                    )
                )
                continue
            preprint = self.preprints[arxiv_id]
            published = upgrade(
                entry,
                verdict.evidence,
                arxiv_id,
                str(preprint.get("primary_category") or ""),
                journal_ref=str(preprint.get("journal_ref") or ""),
            )
            entry.entry_type, entry.fields, entry.identity, entry.notes = (
                published.entry_type,
                published.fields,
                published.identity,
                published.notes,
            )
            upgrades.append(
                Upgrade(entry.key, arxiv_id, verdict.evidence.venue, verdict.evidence.text, verdict.evidence.rule)
            )
        return upgrades, candidates


def _preprint_id(entry: Entry, preprints: Mapping[str, Any]) -> str | None:
    """The arXiv id of an entry that is (still) a preprint, or None."""
    ids = sorted(
        i.split(":", 1)[1] for i in entry.identity if i.startswith("arxiv:") and i.split(":", 1)[1] in preprints
    )
    if not ids:
        return None
    lowered = {name.lower(): value for name, value in entry.fields.items()}
    container = lowered.get("booktitle") or lowered.get("journal") or ""
    if entry.entry_type.lower() not in ("misc", "article", "unpublished", "online", "techreport") or (
        container and not is_preprint_server(container) and "arxiv" not in container.lower()
    ):
        return None
    eprint = re.sub(r"v\d+$", "", lowered.get("eprint", ""))
    return eprint if eprint in ids else ids[0]


def preprints_of(lookups: Mapping[str, Lookup]) -> dict[str, dict[str, Any]]:
    """arXiv id -> arXiv record, for every lookup an arXiv record answered (twins of other links included)."""
    found: dict[str, dict[str, Any]] = {}
    for lookup in lookups.values():
        record = lookup.record
        if record is not None and record.service == "arxiv" and isinstance(record.data, dict) and record.data.get("id"):
            found.setdefault(str(record.data["id"]), record.data)
    return found


def prefetch_s2(
    arxiv_ids: Sequence[str], settings: Settings, cache: DiskCache, on_wait: WaitListener | None = None
) -> VenueCheck:
    """Ask Semantic Scholar about the list's arXiv ids while arXiv's own batches are still paced.

    The S2 batch needs only the ids, so it runs beside the arXiv resolver instead of
    after it (its answers go to the cache; :func:`look_up` picks them up).
    """
    check = VenueCheck(getattr(settings, "venues", FAST) or FAST)
    if check.mode == OFF or settings.offline or not arxiv_ids:
        return check
    _s2_answers(check, list(arxiv_ids), settings, cache, Policy.from_settings(settings), fetch=True, on_wait=on_wait)
    check.asked = set(arxiv_ids)
    return check


def look_up(
    lookups: Mapping[str, Lookup],
    settings: Settings,
    cache: DiskCache,
    on_progress: ProgressListener | None = None,
    on_wait: WaitListener | None = None,
    prefetched: VenueCheck | None = None,
    documents: Sequence[ListDocument] = (),
    dblp_titles: TitleSearches | None = None,
) -> VenueCheck:
    """Gather venue evidence for every arXiv paper of the run, by ``settings.venues``; cache first.

    ``prefetched`` holds the Semantic Scholar answers :func:`prefetch_s2` already got
    this run; those ids are not asked again. ``documents`` (the run's lists) name the
    venue-year of a paper's row: with ``full``, a venue-year many preprints wait for is
    read from dblp's table of contents instead of one title search each
    (:func:`tridentbib.lookup.toc.preprints_in_tables`); the rest are title searches,
    handed to ``dblp_titles`` (the run's; else one of this call's own) all at once, so
    they go in batches (:mod:`tridentbib.lookup.dblp_batch`).
    """
    mode = getattr(settings, "venues", FAST) or FAST
    if mode not in MODES:
        raise ValueError(f"--venues must be one of {', '.join(MODES)}, not {mode!r}")
    check = VenueCheck(mode, preprints_of(lookups))
    if prefetched is not None:
        check.s2.update(prefetched.s2)
        check.notes.extend(prefetched.notes)
        check.requests.update(prefetched.requests)
    if not check.preprints:
        return check
    policy = Policy.from_settings(settings)
    ids = list(check.preprints)
    asked = prefetched.asked if prefetched is not None else set()
    _s2_answers(check, [i for i in ids if i not in asked], settings, cache, policy, fetch=mode != OFF, on_wait=on_wait)
    pending = [
        i for i in ids if not _linked_by_id(check.verdict(i))
    ]  # dblp is asked only where no identifier settles it
    _dblp_answers(
        check,
        ids,
        pending,
        settings,
        cache,
        policy,
        fetch=mode == FULL,
        on_progress=on_progress,
        on_wait=on_wait,
        documents=documents,
        dblp_titles=dblp_titles,
    )
    return check


def cache_keys(arxiv_id: str) -> list[tuple[str, str]]:
    """(cache folder, id) of every answer the venue lookups may read for one arXiv paper."""
    return [("s2", arxiv_id), ("dblp", PaperId(Kind.ARXIV, arxiv_id).key)]


def _linked_by_id(verdict: Verdict) -> bool:
    return verdict.evidence is not None and verdict.evidence.rule != "title+authors"


def _as_kept(s2_record: dict[str, Any]) -> dict[str, Any]:
    """A Semantic Scholar answer as the run keeps it: authors as bare names.

    The answer's author objects were two thirds of its memory, and only their names
    are compared (10,000 answers: about 20 MB less).
    """
    authors = s2_record.get("authors")
    if not isinstance(authors, list):
        return s2_record
    return {**s2_record, "authors": [str(a.get("name", "")) for a in authors if isinstance(a, dict)]}


def _s2_answers(
    check: VenueCheck,
    ids: list[str],
    settings: Settings,
    cache: DiskCache,
    policy: Policy,
    *,
    fetch: bool,
    on_wait: WaitListener | None,
) -> None:
    to_fetch: list[str] = []
    for ident in ids:
        cached, ask = consult(cache, policy, "s2", ident)
        if cached is not None:
            check.s2[ident] = _as_kept(cached.data) if isinstance(cached, Record) else None
        if fetch and ask:
            to_fetch.append(ident)
    if not to_fetch:
        return
    if settings.offline:
        missing = [i for i in to_fetch if i not in check.s2]
        if missing:
            check.notes.append(f"{S2}: offline; {len(missing)} paper(s) not checked for a published version")
        return
    from tridentbib.resolvers.registry import s2_client
    from tridentbib.resolvers.s2 import S2Resolver

    client = s2_client(settings, on_wait)
    failures: dict[str, int] = {}
    try:
        for ident, answer in S2Resolver(client, settings.s2_api_key).fetch(to_fetch):
            if isinstance(answer, Found):
                record = Record("s2", ident, answer.data, utc_now(), answer.request)
                keep(cache, record)
                check.s2[ident] = _as_kept(record.data)
            elif answer.permanent:
                keep(cache, NotFound("s2", ident, answer.reason, utc_now()))
                check.s2[ident] = None
            else:
                failures[answer.reason] = failures.get(answer.reason, 0) + 1
    finally:
        check.requests["s2"] = check.requests.get("s2", 0) + client.request_count
        client.close()
    for reason, count in failures.items():
        check.notes.append(
            f"{S2} unavailable ({reason}); {count} paper(s) not checked there this run; rerun to check them"
        )


def _dblp_answers(
    check: VenueCheck,
    ids: list[str],
    pending: list[str],
    settings: Settings,
    cache: DiskCache,
    policy: Policy,
    *,
    fetch: bool,
    on_progress: ProgressListener | None,
    on_wait: WaitListener | None,
    documents: Sequence[ListDocument] = (),
    dblp_titles: TitleSearches | None = None,
) -> None:
    if not fetch and not cache.has_folder("dblp"):  # fast mode and no dblp answer ever cached: nothing to read
        return
    to_fetch: list[str] = []
    wanted = set(pending)
    for ident in ids:
        key = PaperId(Kind.ARXIV, ident).key
        cached, ask = consult(cache, policy, "dblp", key)
        if isinstance(cached, Record) and isinstance(cached.data.get("hits"), list):
            check.dblp[ident] = cached.data["hits"]
        elif isinstance(cached, NotFound):
            check.dblp[ident] = []
        if fetch and ident in wanted and ask:
            to_fetch.append(ident)
    if not to_fetch:
        return
    if settings.offline:
        listed = _in_tables(check, to_fetch, documents, Fallbacks(cache, policy, None, None), settings)
        if len(listed) < len(to_fetch):
            check.notes.append(f"{DBLP}: offline; {len(to_fetch) - len(listed)} paper(s) not searched")
        return
    from tridentbib.resolvers.dblp import DblpError
    from tridentbib.resolvers.registry import dblp_client

    client = dblp_client(settings, on_wait)  # for tables of contents
    titles = dblp_titles or TitleSearches(settings, on_wait)
    total = len(to_fetch)
    if on_progress:
        on_progress(DBLP_PROGRESS, 0, total)
    try:
        listed = _in_tables(check, to_fetch, documents, Fallbacks(cache, policy, client, None), settings)
        to_fetch = [ident for ident in to_fetch if ident not in listed]  # the rest: a title search each
        if on_progress and listed:
            on_progress(DBLP_PROGRESS, len(listed), total)
        queries = {ident: normalize_title(str(check.preprints[ident].get("title") or "")) for ident in to_fetch}
        answers = {ident: titles.ask(query) for ident, query in queries.items() if query}  # all at once: batched
        for done, ident in enumerate(to_fetch, start=len(listed) + 1):
            if ident in answers:
                try:
                    found = answers[ident].result()
                except DblpError as error:
                    left = total - done + 1  # the papers tables answered are counted in done
                    check.notes.append(
                        f"{DBLP}: {error}; stopped with {left} of {total} paper(s) not searched;"
                        " rerun with --venues full to continue (answers so far are cached)"
                    )
                    break
                linking = [hit for hit in found.answer if ident.lower() in arxiv_ids_in_ee(hit)]
                hits = [*found.hits, *(hit for hit in linking if hit not in found.hits)]
                data = {"query": queries[ident], "hits": hits, **({"batch": found.batch} if found.batch else {})}
                keep(cache, Record("dblp", PaperId(Kind.ARXIV, ident).key, data, utc_now(), found.request))
                check.dblp[ident] = hits
            if on_progress:
                on_progress(DBLP_PROGRESS, done, total)
    finally:
        if dblp_titles is None:
            titles.close()
            check.requests["dblp"] = check.requests.get("dblp", 0) + titles.requests
        check.requests["dblp"] = check.requests.get("dblp", 0) + client.request_count
        client.close()


def _in_tables(
    check: VenueCheck, to_fetch: list[str], documents: Sequence[ListDocument], tools: Fallbacks, settings: Settings
) -> set[str]:
    """The preprints of ``to_fetch`` found in a venue-year's dblp table of contents (:mod:`tridentbib.lookup.toc`).

    A paper names a venue-year by its row, else by its arXiv record (comment,
    journal_ref), else by Semantic Scholar; the tables many name are read, and every
    paper of ``to_fetch`` is looked for in them. Their hits go to ``check.dblp``.
    """
    rows = venue_years(documents, preprints=True) if documents else {}
    tocs = {
        ident: toc
        for ident in to_fetch
        if (
            toc := rows.get(PaperId(Kind.ARXIV, ident).key)
            or preprint_venue_year(check.preprints[ident], check.s2.get(ident))
        )
        is not None
    }
    if not tocs:
        return set()
    waiting = {ident: check.preprints[ident] for ident in to_fetch}
    found = preprints_in_tables(waiting, tocs, check.s2, tools, settings.dblp_toc_threshold, settings.dblp_batch)
    check.dblp.update(found)
    return set(found)


# -- report -----------------------------------------------------------------------------


def report_lines(
    upgrades: Sequence[Upgrade], candidates: Sequence[Candidate], notes: Iterable[str] = (), shown: int = 20
) -> list[str]:
    """Report lines: per upgrade (with its evidence), per candidate not applied, per lookup problem.

    Only the first ``shown`` upgrades and candidates get a line each.

    A large list can have thousands of upgrades: the rest are counted, and all are in ``--report``.
    """
    lines = [
        f"  venue: {u.key}: arXiv {u.arxiv_id} -> @{u.venue.entry_type} (evidence: {u.evidence})"
        for u in upgrades[:shown]
    ]
    if len(upgrades) > shown:
        lines.append(f"  venue: ... and {len(upgrades) - shown} more upgrades; see --report")
    lines += [
        f"  venue candidate, not applied: {c.key or 'arXiv ' + c.arxiv_id}: arXiv {c.arxiv_id} ~ {c.text}"
        for c in candidates[:shown]
    ]
    if len(candidates) > shown:
        lines.append(f"  venue candidate, not applied: ... and {len(candidates) - shown} more; see --report")
    lines += [f"  venues: {note}" for note in notes]
    return lines
