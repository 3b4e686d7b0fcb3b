"""The list's own citation blocks merged with the resolved records (reading them is :mod:`tridentbib.sources.blocks`).

A maintainer's ```bibtex block carries the key people already ``\\cite``, so it
wins: its key and its fields are kept as written.  The resolved record of the same
work (an arXiv or ACL row of the list, or the block's own arXiv/ACL id resolved
for it) only fills in what the block lacks: abstract, identifiers, a full author
list where the block says ``and others``.  Where the two disagree the block's
value stays and the difference is reported.  The key the work would otherwise
have had becomes a biblatex ``ids = {...}`` alias, so older ``\\cite`` commands
keep working; it is given and remembered by the :class:`~tridentbib.store.keys.KeyStore`
like any other key, so it is stable across runs.

Two records are the same work when they share an arXiv id, a DOI, an ACL
Anthology id or an OpenReview forum id; failing those, when their normalised
titles are equal and their first authors' surnames agree (and they carry no
conflicting ids of one kind).

Everything here is a pure function over data; :func:`merge_blocks` is the one
entry point :func:`tridentbib.pipeline.build` calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping

from tridentbib.catalog import LABELS
from tridentbib.identifiers import (
    RESOLVED_KINDS,
    normalize_doi,
)
from tridentbib.latex import from_latex, normalize_title, strip_accents
from tridentbib.model import Cited, Entry
from tridentbib.names import Name, parse_bibtex_names, split_names, surname_key
from tridentbib.steps.fill import fill_in
from tridentbib.steps.keys import assign_keys, base_key

#: fields whose disagreement with a resolved record is reported (containers only between equal types)
COMPARED = ("title", "author", "year")
COMPARED_CONTAINER = ("journal", "booktitle", "volume", "number", "pages")

#: who supplied a value, as the merge notes name them (one table: :mod:`tridentbib.catalog`)
SERVICE_LABELS = LABELS

_OTHERS_TAIL = re.compile(r"\s+and\s+others\s*$", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.", re.IGNORECASE)


# ---------------------------------------------------------------- identity


def title_key(entry: Entry) -> tuple[str, str] | None:
    """(normalised title, first author's surname), or None when either is missing."""
    title = normalize_title(entry.fields.get("title", ""))
    names = [name for name in parse_bibtex_names(entry.fields.get("author", "")) if name != "others"]
    surname = surname_key(names[0]) if names else ""  # type: ignore[arg-type]
    return (title, surname) if title and surname else None


def ids_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both name an arXiv (or ACL, OpenReview) id and the ids differ: two different works."""
    for prefix in ("arxiv:", "acl:", "openreview:"):
        mine = {i for i in a if i.startswith(prefix)}
        theirs = {i for i in b if i.startswith(prefix)}
        if mine and theirs and not mine & theirs:
            return True
    return False


def same_work(a: Entry, b: Entry) -> bool:
    """The identity rule of this module (shared id, else title + first surname without conflicting ids)."""
    if a.identity & b.identity:
        return True
    if ids_conflict(a.identity, b.identity):
        return False
    key_a = title_key(a)
    return key_a is not None and key_a == title_key(b)


# ---------------------------------------------------------------- merging


@dataclass
class _Work:
    """A block entry and everything merged into it."""

    cited: Cited
    entry: Entry
    resolved: list[Entry] = field(default_factory=list)  #: resolved entries folded in (their keys become aliases)
    block_aliases: list[str] = field(default_factory=list)  #: keys of later blocks for the same work


@dataclass
class Merge:
    """The result of :func:`merge_blocks`: entries in output order, report lines, and the aliases to give."""

    entries: list[Entry]
    notes: list[str]
    works: list[_Work] = field(default_factory=list)
    replaced: dict[int, Entry] = field(default_factory=dict)  #: id() of a resolved entry -> the entry that absorbed it

    def assign_keys(self, known: Mapping[str, str]) -> dict[str, str]:
        """Give keys to every entry, and to the works' otherwise keys, which become ``ids`` aliases.

        Returns identity -> key for new assignments (to save in the store), as
        :func:`tridentbib.steps.keys.assign_keys` does. In place: entries get their
        ``key``, block entries their ``ids`` field.
        """
        block_keys = {work.entry.key for work in self.works}
        for entry in self.entries:
            if entry.key in block_keys and entry.origin not in ("block", "bib"):
                entry.key = ""  # a service's own key (the Anthology's) that a block gives another work: the block wins
        shadows: list[tuple[_Work, Entry]] = []
        for work in self.works:
            for resolved in work.resolved:
                shadow = Entry(
                    key=resolved.key,
                    entry_type=resolved.entry_type,
                    fields=dict(resolved.fields),
                    identity=resolved.identity,
                    origin=resolved.origin,
                )
                remembered = next((known[i] for i in sorted(shadow.identity) if i in known), None)
                if (shadow.key or remembered or base_key(shadow)) == work.entry.key:
                    continue  # the work would have had the block's key anyway: no alias needed
                shadows.append((work, shadow))
        assigned = assign_keys(self.entries + [shadow for _work, shadow in shadows], known)
        keys = {entry.key for entry in self.entries}
        for work in self.works:
            aliases = [k.strip() for k in work.entry.fields.get("ids", "").split(",") if k.strip()]
            wanted = work.block_aliases + [shadow.key for owner, shadow in shadows if owner is work]
            for key in wanted:
                if key not in aliases and key not in keys:  # an alias must not name another entry
                    aliases.append(key)
            if aliases:
                work.entry.fields["ids"] = ",".join(aliases)
        return assigned

    def retarget(self, outcomes: list[Any]) -> list[Any]:
        """Point report outcomes whose entry was merged into a block at the merged entry."""
        return [
            replace(o, entry=self.replaced[id(o.entry)]) if o.entry is not None and id(o.entry) in self.replaced else o
            for o in outcomes
        ]


def merge_blocks(
    entries: list[Entry],
    cited: list[Cited],
    resolve_extra: Callable[[str], Entry | str | None] | None = None,
) -> Merge:
    """Fold citation blocks into the resolved entries; every work once, under the block's key.

    ``entries`` are the resolved entries in list order; ``cited`` the block entries.
    Each arXiv/ACL/OpenReview id of a block that no entry carries is looked up through
    ``resolve_extra(identity)`` (an Entry, the reason it failed, or None when the id was
    not looked up) and fills the block in too. A block whose work the list does not
    mention is written after the list's entries, in block order.

    In place: each block entry is filled in from the records it absorbs (fields,
    identity, line, notes); resolved entries are left as they were and dropped from
    the output, and :meth:`Merge.retarget` points their outcomes at the block.
    """
    if not cited:
        return Merge(list(entries), [])
    notes: list[str] = []
    works: list[_Work] = []
    claimed: dict[int, _Work] = {}  # id(resolved entry) -> the work that absorbed it
    titles = {id(e): title_key(e) for e in entries}  # computed once: lists run to thousands of entries
    for item in cited:
        block = item.entry
        wanted = title_key(block)
        by_id = [e for e in entries if e.identity & block.identity]
        by_title = [
            e
            for e in entries
            if wanted is not None
            and titles[id(e)] == wanted
            and not e.identity & block.identity
            and not ids_conflict(e.identity, block.identity)
        ]
        matches = by_id + by_title  # records sharing an id first: they fill in first
        earlier = next((work for work in works if same_work(block, work.entry)), None)
        earlier = earlier or next((claimed[id(e)] for e in matches if id(e) in claimed), None)
        if earlier is not None:
            line = (
                f"{item.where}: {block.key}: same work as citation block {earlier.entry.key} "
                f"({earlier.cited.where}); its key is kept as an alias"
            )
            notes.append(line)
            earlier.entry.notes.append(line)
            earlier.block_aliases.append(block.key)
            _fill(earlier.entry, block, notes=None)
            earlier.entry.identity = earlier.entry.identity | block.identity
            continue
        work = _Work(item, block)
        works.append(work)
        covered = set().union(*(e.identity for e in matches))
        extras: list[Entry] = []
        for ident in sorted(i for i in block.identity if i.split(":", 1)[0] in RESOLVED_KINDS):
            answer = resolve_extra(ident) if resolve_extra is not None and ident not in covered else None
            if isinstance(answer, Entry):
                extras.append(answer)
                covered |= answer.identity
            elif isinstance(answer, str):
                notes.append(
                    f"{item.where}: {block.key}: {ident.replace(':', ' ', 1)} could not be resolved ({answer}); "
                    "the block is written as it is"
                )
        for resolved in matches + extras:
            if any(resolved is e for e in matches):
                claimed[id(resolved)] = work
                work.resolved.append(resolved)  # listed works: the key they would have had becomes an alias
            found = [f"{item.where}: {block.key}: {line}" for line in _merge_one(block, resolved)]
            notes.extend(found)
            block.notes.extend(found)
        lines = [e.line for e in matches if e.line]
        if lines:
            block.line = min(lines)
    output: list[Entry] = []
    placed: set[int] = set()
    for entry in entries:
        claim = claimed.get(id(entry))
        if claim is None:
            output.append(entry)
        elif id(claim) not in placed:
            placed.add(id(claim))
            output.append(claim.entry)
    output.extend(work.entry for work in works if id(work) not in placed)
    return Merge(output, notes, works, {e_id: work.entry for e_id, work in claimed.items()})


def _merge_one(block: Entry, resolved: Entry) -> list[str]:
    """Fill ``block`` from ``resolved`` in place; report lines for every disagreement."""
    notes: list[str] = []
    _fill(block, resolved, notes)
    block.identity = block.identity | resolved.identity
    return notes


def _fill(target: Entry, source: Entry, notes: list[str] | None) -> None:
    """Copy what ``target`` lacks from ``source``; hand-written values win (differences go to ``notes``)."""
    label = SERVICE_LABELS.get(source.origin, source.origin or "the resolved record")
    same_type = target.entry_type == source.entry_type
    if notes is not None:
        for name in COMPARED + (COMPARED_CONTAINER if same_type else ()):
            mine, theirs = target.fields.get(name, ""), source.fields.get(name, "")
            if mine and theirs and name != "author" and _plain(mine, name) != _plain(theirs, name):
                notes.append(f'kept hand-written {name} "{from_latex(mine)}"; {label} says "{from_latex(theirs)}"')
        if target.fields.get("author") and source.fields.get("author"):
            notes.extend(_merge_authors(target, source, label))
        mine_doi, theirs_doi = normalize_doi(target.fields.get("doi", "")), normalize_doi(source.fields.get("doi", ""))
        if (
            mine_doi
            and theirs_doi
            and mine_doi != theirs_doi
            and not _ARXIV_DOI.match(mine_doi)
            and not _ARXIV_DOI.match(theirs_doi)
        ):
            notes.append(f'kept hand-written doi "{mine_doi}"; {label} says "{theirs_doi}"')
    target.fields, target.macros = fill_in(target, source)


def _plain(latex: str, name: str) -> str:
    if name == "title":
        return normalize_title(latex)
    text = from_latex(latex).replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(strip_accents(text).casefold().split())


def _merge_authors(target: Entry, source: Entry, label: str) -> list[str]:
    """Replace a trailing ``and others`` with the resolved names; report names that disagree."""
    mine = parse_bibtex_names(target.fields["author"])
    theirs = [n for n in parse_bibtex_names(source.fields["author"]) if n != "others"]
    truncated = bool(mine) and mine[-1] == "others"
    written = [n for n in mine if n != "others"]
    notes = []
    differing = [(a, b) for a, b in zip(written, theirs, strict=False) if not _same_person(a, b)]  # type: ignore[arg-type]
    if differing:
        shown = "; ".join(f"{_show(a)} / {_show(b)}" for a, b in differing[:3]) + (
            "; ..." if len(differing) > 3 else ""
        )
        notes.append(f"kept hand-written author list; {label} names differ ({shown})")
    elif truncated and len(theirs) > len(written):
        head = _OTHERS_TAIL.sub("", target.fields["author"])
        tail = split_names(source.fields["author"])[len(written) :]
        target.fields["author"] = " and ".join([head, *tail])
    elif not truncated and len(theirs) != len(written):
        notes.append(
            f"kept hand-written author list of {len(written)} name{'s' if len(written) != 1 else ''}; "
            f"{label} lists {len(theirs)}"
        )
    if differing and truncated:
        notes.append(f"kept 'and others' in the author list: its first names do not match {label}'s")
    return notes


def _same_person(a: Name, b: Name) -> bool:
    if surname_key(a) != surname_key(b):
        return False
    given_a, given_b = _letters(a.given), _letters(b.given)
    if not given_a or not given_b:
        return True
    if _is_initials(a.given) or _is_initials(b.given):
        return given_a[0] == given_b[0]
    return given_a == given_b


def _letters(latex: str) -> str:
    return re.sub(r"[^a-z]", "", strip_accents(from_latex(latex)).casefold())


def _is_initials(latex: str) -> bool:
    words = from_latex(latex).replace("-", " ").split()
    return bool(words) and all(len(w.rstrip(".")) <= 1 or w.endswith(".") for w in words)


def _show(name: Name) -> str:
    return " ".join(part for part in (from_latex(name.given), from_latex(name.prefix), from_latex(name.family)) if part)


def by_line(notes: Iterable[str]) -> list[str]:
    """Report lines ``source:line: ...`` in list order (stable for lines without a position)."""

    def position(note: str) -> tuple[str, int]:
        match = re.match(r"^(.*?):(\d+): ", note)
        return (match.group(1), int(match.group(2))) if match else ("", 0)

    return sorted(notes, key=position)
