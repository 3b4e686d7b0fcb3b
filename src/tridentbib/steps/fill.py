"""Filling in: a written entry (a citation block's, a ``.bib`` input's) takes what it lacks from the resolved record.

One rule for both: the written fields stay exactly as written; a resolved field is
added only when the entry lacks it (names compare case-insensitively; a ``date``
stands for ``year`` and ``month``), and never when it would describe something
else: ``note``/``annote``/``ids`` (Zotero makes ``note`` a child note), a venue
field from a record of another entry type, arXiv's class or type for another
eprint, a month of another year, an arXiv DOI on an entry that names its venue
(it would point a published paper at its preprint).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from tridentbib.identifiers import PaperId, arxiv_id_from_text
from tridentbib.model import Entry, ListDocument

#: a journal or booktitle that only says the work is a preprint
_PREPRINT = re.compile(r"\barxiv\b|\bcorr\b", re.IGNORECASE)

#: fields that describe where a work appeared: only filled from a record of the same entry type
CONTAINER_FIELDS = frozenset({
    "journal", "booktitle", "editor", "pages", "volume", "number", "publisher", "address", "series",
    "organization", "howpublished", "institution", "school", "edition", "chapter", "venue",
})  # fmt: skip

#: fields never copied from a resolved record (Zotero turns ``note`` into a child note)
NEVER_FILLED = frozenset({"note", "annote", "ids"})


def fill_in(written: Entry, resolved: Entry) -> tuple[dict[str, str], frozenset[str]]:
    """``written``'s fields as written, then every field of ``resolved`` it may take; and its macros."""
    have = {name.lower() for name in written.fields}
    if "date" in have:
        have |= {"year", "month"}
    names_venue = any(
        name.lower() in ("journal", "booktitle") and value and not _PREPRINT.search(value)
        for name, value in written.fields.items()
    )  # "arXiv preprint arXiv:ID" names no venue
    same_type = written.entry_type == resolved.entry_type
    resolved_eprint = arxiv_id_from_text(resolved.fields.get("eprint", ""))
    fields, macros = dict(written.fields), written.macros
    for name, value in resolved.fields.items():
        lower = name.lower()
        if lower in have or lower in NEVER_FILLED or value == "":
            continue
        if lower in CONTAINER_FIELDS and not same_type:
            continue
        if lower in ("archiveprefix", "eprinttype", "primaryclass") and not _same_eprint(fields, resolved_eprint):
            continue  # another eprint (or none): the resolved one's class/type would not describe it
        if (
            lower == "month"
            and written.fields.get("year")
            and written.fields.get("year") != resolved.fields.get("year")
        ):
            continue  # a month of another year would be wrong
        if lower == "doi" and names_venue and value.lower().startswith("10.48550/"):
            continue
        fields[name] = value
        have.add(lower)
        if name in resolved.macros:
            macros = macros | {name}
    return fields, macros


def _same_eprint(fields: dict[str, str], resolved_eprint: PaperId | None) -> bool:
    """Do the fields so far (an eprint just filled in counts) name the resolved record's eprint?"""
    mine = arxiv_id_from_text(fields.get("eprint", ""))
    return mine is not None and resolved_eprint is not None and mine.key == resolved_eprint.key


def keep_bib_entries(
    documents: Sequence[ListDocument], entries: list[Entry], outcomes: Sequence[object]
) -> list[Entry]:
    """Put the entries of ``.bib`` inputs into ``entries``: enriched when resolved, as written otherwise.

    A user's entry replaces the key, type and fields of the resolved entry of the
    same work (matched by identity) and is filled in from it; an entry with nothing
    resolved is inserted as written, in its file's order among the other entries.
    Entries are changed in place, so every link's outcome keeps pointing at its entry.
    """
    bib_documents = [(index, doc) for index, doc in enumerate(documents) if doc.entries]
    if not bib_documents:
        return entries
    position = {doc.path: index for index, doc in enumerate(documents)}
    tie: dict[int, tuple[int, int]] = {}
    for outcome in outcomes:
        entry = getattr(outcome, "entry", None)
        if entry is not None and id(entry) not in tie:
            tie[id(entry)] = (position.get(getattr(outcome, "source", ""), len(documents)), getattr(outcome, "line", 0))
    final = list(entries)
    taken: set[int] = set()
    for index, document in bib_documents:
        for user in document.entries:
            target = (
                next((e for e in final if id(e) not in taken and e.identity & user.identity), None)
                if user.identity
                else None
            )
            if target is not None:
                target.fields, target.macros = fill_in(user, target)
                target.key, target.entry_type = user.key, user.entry_type
                target.identity = target.identity | user.identity
                target.notes.append(
                    f"{document.path}:{user.line}: kept {user.key} as written, "
                    f"filled in from {target.origin or 'the record'}"
                )
                target.origin = "bib"
                taken.add(id(target))
                continue
            kept = replace(user, fields=dict(user.fields), notes=[])
            place = (index, user.line)
            at = next((i for i, e in enumerate(final) if id(e) in tie and tie[id(e)] > place), len(final))
            final.insert(at, kept)
            tie[id(kept)] = place
            taken.add(id(kept))
    return final
