"""One entry per work across hosts: a paper a list links at arXiv and at its venue becomes one entry.

A list may link the same paper twice: its arXiv preprint in one row, its NeurIPS,
IEEE or journal page in another. Each link resolves to a record of its own service
and the records name no common id (arXiv knows no NeurIPS hash), so the assembler
makes two entries. This step unites such a pair: the venue record gives the entry
type, venue and year, and the arXiv id is kept as ``eprint``.

A pair is the same work only when the normalised titles are equal, the first
authors' surnames are equal and the venue's year is within a year before to two
years after the preprint's (a journal issue can follow its preprint by two years).
"Deep learning" by LeCun et al. (Nature 2015) and "Deep learning" by Goodfellow et
al. (the 2016 book) stay two entries. When several venue entries would pass for one
preprint, none is applied: that is a question for the user, not a guess.

Pure over values: it returns new entries and the outcomes pointed at them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from tridentbib.latex import normalize_title
from tridentbib.model import Entry, LinkOutcome, Outcome
from tridentbib.names import parse_bibtex_names, split_names, surname_key

#: origins whose entries are a paper's published version (arXiv is the preprint; the rest are the list's own)
NOT_A_VENUE = frozenset({"arxiv", "context", "block", "bib", "dblp"})
#: fields of the arXiv entry the united entry keeps
EPRINT_FIELDS = ("eprint", "archivePrefix", "primaryClass")


@dataclass(frozen=True)
class United:
    """The entries in output order, the outcomes pointing at them, and a report line per united pair."""

    entries: list[Entry]
    outcomes: list[LinkOutcome]
    notes: list[str]


def first_surname(entry: Entry) -> str:
    """ASCII surname key of the entry's first author ("" when it has none)."""
    names = split_names(entry.fields.get("author", ""))
    if not names:
        return ""
    parsed = parse_bibtex_names(names[0])
    return surname_key(parsed[0]) if parsed and parsed[0] != "others" else ""  # type: ignore[arg-type]


def _year(entry: Entry) -> int | None:
    text = entry.fields.get("year", "")[:4]
    return int(text) if text.isdigit() else None


def same_work(preprint: Entry, venue: Entry) -> bool:
    """Equal titles (the caller groups by them), the same first author, years that fit a preprint and its venue."""
    surname = first_surname(preprint)
    if not surname or surname != first_surname(venue):
        return False
    before, after = _year(preprint), _year(venue)
    return before is None or after is None or -1 <= after - before <= 2


def unite(preprint: Entry, venue: Entry) -> Entry:
    """The venue entry, first mentioned where either was, keeping the preprint's arXiv id and identity."""
    fields = dict(venue.fields)
    lowered = {name.lower() for name in fields}
    for name in EPRINT_FIELDS:
        value = preprint.fields.get(name, "")
        if value and name.lower() not in lowered:
            fields[name] = value
    note = (
        f"same work as arXiv:{preprint.fields.get('eprint', '?')} (line {preprint.line}): one entry, the venue's record"
    )
    return replace(
        venue,
        fields=fields,
        identity=venue.identity | preprint.identity,
        line=min((line for line in (preprint.line, venue.line) if line), default=0),
        notes=[*venue.notes, note],
    )


def unite_hosts(entries: Sequence[Entry], outcomes: Sequence[LinkOutcome]) -> United:
    """Unite every arXiv entry with the one venue entry of the same work; outcomes follow their entries."""
    by_title: dict[str, list[Entry]] = {}
    for entry in entries:
        title = normalize_title(entry.fields.get("title", ""))
        if title and (entry.origin == "arxiv" or entry.origin not in NOT_A_VENUE):
            by_title.setdefault(title, []).append(entry)
    absorbed: dict[int, Entry] = {}  # id() of an entry given up -> the entry that holds its work now
    for group in by_title.values():
        preprints = [e for e in group if e.origin == "arxiv"]
        venues = [e for e in group if e.origin not in NOT_A_VENUE]
        for preprint in preprints:
            matches = [venue for venue in venues if id(venue) not in absorbed and same_work(preprint, venue)]
            if len(matches) != 1:
                continue
            united = unite(preprint, matches[0])
            absorbed[id(preprint)] = absorbed[id(matches[0])] = united
    if not absorbed:
        return United(list(entries), list(outcomes), [])
    output: list[Entry] = []
    seen: set[int] = set()
    for entry in entries:  # the united entry takes the place of the first of its pair
        final = absorbed.get(id(entry), entry)
        if id(final) not in seen:
            seen.add(id(final))
            output.append(final)
    retargeted = [_retarget(outcome, absorbed) for outcome in outcomes]
    notes = [
        f"{o.source}:{o.line}: arXiv:{o.id} is the preprint of a venue link of the list: one entry, the venue's record"
        for o in retargeted
        if o.outcome == Outcome.MERGED and o.reason == PREPRINT_OF_VENUE
    ]
    return United(output, retargeted, notes)


PREPRINT_OF_VENUE = "same work as a venue link of the list (its preprint)"


def _retarget(outcome: LinkOutcome, absorbed: dict[int, Entry]) -> LinkOutcome:
    entry = outcome.entry
    if entry is None or id(entry) not in absorbed:
        return outcome
    united = absorbed[id(entry)]
    if entry.origin == "arxiv" and outcome.outcome in (Outcome.RESOLVED, Outcome.CACHED, Outcome.STALE):
        return replace(outcome, entry=united, outcome=Outcome.MERGED, reason=PREPRINT_OF_VENUE)
    return replace(outcome, entry=united)
