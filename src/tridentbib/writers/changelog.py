"""What a run changes in its output: entries added, removed, renamed, and field by field.

The previous ``OUT.bib`` and the new entries are both read back through the same
BibTeX parser (bibtexparser v2), so a difference is a difference in content, never
in formatting. Entries match by cite key; an entry whose key changed is matched by
the papers it names (eprint, DOI, URL). Each change carries its source: the
service(s) that answered for the entry in this run. A new arXiv version is
reported even when no field of the entry changed, by comparing the cached record
before and after the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from tridentbib.model import Entry, LinkOutcome
from tridentbib.names import split_names

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
#: fields whose whole value is too long to show; the change says "changed" and shows the start
LONG_FIELDS = frozenset({"abstract", "note", "annotation"})


class ChangelogError(Exception):
    """The previous output cannot be read as BibTeX."""


# -- reading both sides -----------------------------------------------------------


@dataclass(frozen=True)
class BibRecord:
    """One entry of a .bib as parsed: key, type, fields by lower-case name (original name, value)."""

    key: str
    entry_type: str
    fields: dict[str, tuple[str, str]]
    line: int = 0

    def value(self, name: str) -> str:
        return self.fields.get(name.lower(), ("", ""))[1]

    @property
    def plain_fields(self) -> dict[str, str]:
        return {original: value for original, value in self.fields.values()}

    @property
    def identity(self) -> frozenset[str]:
        """``kind:id`` of every paper the entry names (as in :attr:`Entry.identity`)."""
        from tridentbib.identifiers.text import ids_in_fields

        return frozenset(paper.key for paper in ids_in_fields(self.plain_fields))


def parse_bib_text(text: str, source: str = "") -> dict[str, BibRecord]:
    """Entries of a BibTeX text by key, in file order; ChangelogError when a block does not parse."""
    from tridentbib.bibtex_read import parse_library, string_macros

    library = parse_library(text)
    strings = string_macros(library)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise ChangelogError(f"{source or 'BibTeX'}:{(block.start_line or 0) + 1}: cannot parse this block")
    records: dict[str, BibRecord] = {}
    for entry in library.entries:
        fields = {f.key.lower(): (f.key, _norm(_value(str(f.value), strings))) for f in entry.fields}
        records[entry.key] = BibRecord(entry.key, entry.entry_type.lower(), fields, (entry.start_line or 0) + 1)
    return records


def read_previous(path: Path) -> str | None:
    """The text of an existing output file, or None when there is none yet."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ChangelogError(f"{path}: cannot read the previous output ({error})") from None


def entries_as_written(entries: Sequence[Entry]) -> dict[str, BibRecord]:
    """The new entries exactly as they will read back from the written file."""
    from tridentbib.writers.bibtex import format_bibtex

    return parse_bib_text(format_bibtex(entries)) if entries else {}


def _value(raw: str, strings: dict[str, str]) -> str:
    """A value without its enclosing (``@string`` names expanded), as every BibTeX input is read."""
    from tridentbib.bibtex_read import field_value

    value, _bare = field_value(raw, strings)
    return raw if value is None else value


def _norm(value: str) -> str:
    return " ".join(value.split())


# -- the comparison ----------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of one entry: before and after ("" when absent)."""

    name: str
    before: str
    after: str

    def describe(self, width: int = 80) -> str:
        """``title: "old" -> "new"``, ``author: + Name; - Name``, ``doi: added "10..."``."""
        if self.name == "version":
            return f"new arXiv version: {self.before} -> {self.after}"
        if self.name == "type":
            return f"entry type: @{self.before} -> @{self.after}"
        if self.name.lower() == "author" and self.before and self.after:
            return f"authors: {author_change(self.before, self.after, width)}"
        if not self.before:
            return f"{self.name}: added {_quote(self.after, width)}"
        if not self.after:
            return f"{self.name}: removed (was {_quote(self.before, width)})"
        if self.name.lower() in LONG_FIELDS:
            return f"{self.name}: changed (now {_quote(self.after, width)})"
        return f"{self.name}: {_quote(self.before, width)} -> {_quote(self.after, width)}"


@dataclass
class EntryChange:
    """What happened to one entry."""

    key: str
    change: str  #: "added", "removed" or "changed"
    title: str = ""
    sources: tuple[str, ...] = ()  #: services that answered for the entry in this run
    papers: tuple[str, ...] = ()  #: ``kind:id`` the entry names
    fields: list[FieldChange] = field(default_factory=list)
    old_key: str = ""  #: set when the key changed
    reason: str = ""  #: for removals: why the entry is gone
    evidence: str = ""  #: for a preprint now cited at its venue: what showed it was published


@dataclass
class Changelog:
    """Every change of one output file."""

    output: str
    previous_exists: bool
    changes: list[EntryChange]
    entries: int = 0  #: entries in the new output

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    @property
    def headline(self) -> str:
        if not self.previous_exists:
            return f"{self.output} does not exist yet: {self.entries} entries"
        if not self.changes:
            return f"no changes to {self.output} ({self.entries} entries)"
        return (
            f"changes to {self.output}: {self.count(ADDED)} added, {self.count(REMOVED)} removed, "
            f"{self.count(CHANGED)} changed"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "output": self.output,
            "previous_exists": self.previous_exists,
            "added": self.count(ADDED),
            "removed": self.count(REMOVED),
            "changed": self.count(CHANGED),
            "entries": [
                {
                    "key": c.key,
                    "change": c.change,
                    **({"old_key": c.old_key} if c.old_key else {}),
                    "title": c.title,
                    "sources": list(c.sources),
                    "papers": list(c.papers),
                    **({"reason": c.reason} if c.reason else {}),
                    **({"evidence": c.evidence} if c.evidence else {}),
                    "fields": [{"field": f.name, "before": f.before, "after": f.after} for f in c.fields],
                }
                for c in self.changes
            ],
        }


def compare(
    previous: Mapping[str, BibRecord] | None,
    entries: Sequence[Entry],
    outcomes: Sequence[object] = (),
    versions_before: Mapping[str, int] | None = None,
    versions_after: Mapping[str, int] | None = None,
    output: str = "OUT.bib",
    upgrades: Sequence[object] = (),
    written: Mapping[str, BibRecord] | None = None,
) -> Changelog:
    """The changes from ``previous`` (the old file's entries) to ``entries`` (this run's).

    ``written`` is the new file as parsed back (default: ``entries`` formatted the
    default way). ``upgrades`` (preprints cited at their venue, with ``key`` and
    ``evidence``) add the evidence to their entry's change.
    """
    from tridentbib.latex import from_latex

    new = dict(written) if written is not None else entries_as_written(entries)
    old = dict(previous or {})
    sources = _sources_by_key(outcomes, entries)
    failures = _failures_by_paper(outcomes)
    by_key = {entry.key: entry for entry in entries}
    renamed = _renames(old, new, by_key)
    evidence = {getattr(u, "key", ""): str(getattr(u, "evidence", "")) for u in upgrades}
    changes: list[EntryChange] = []
    for key, record in new.items():
        entry = by_key.get(key)
        papers = tuple(sorted(entry.identity)) if entry is not None else tuple(sorted(record.identity))
        title = _norm(from_latex(record.value("title")))
        old_key = renamed.get(key, "")
        before = old.get(old_key or key)
        if before is None:
            changes.append(EntryChange(key, ADDED, title, sources.get(key, ()), papers, evidence=evidence.get(key, "")))
            continue
        fields = diff_fields(before, record)
        for paper in papers:
            was, now = (versions_before or {}).get(paper), (versions_after or {}).get(paper)
            if was is not None and now is not None and was != now:
                fields.insert(0, FieldChange("version", f"v{was}", f"v{now}"))
        if fields or old_key:
            changes.append(
                EntryChange(
                    key,
                    CHANGED,
                    title,
                    sources.get(key, ()),
                    papers,
                    fields,
                    old_key,
                    evidence=evidence.get(key, "") if fields else "",
                )
            )
    gone = set(old) - set(new) - set(renamed.values())
    for key in [k for k in old if k in gone]:
        record = old[key]
        papers = tuple(sorted(record.identity))
        reasons = [failures[p] for p in papers if p in failures]
        reason = f"could not be resolved: {reasons[0]}" if reasons else "no input links it any more"
        changes.append(EntryChange(key, REMOVED, _norm(from_latex(record.value("title"))), (), papers, reason=reason))
    return Changelog(output, previous is not None, changes, len(new))


def compare_texts(
    previous_text: str | None,
    new_text: str,
    entries: Sequence[Entry],
    outcomes: Sequence[object] = (),
    versions_before: Mapping[str, int] | None = None,
    versions_after: Mapping[str, int] | None = None,
    output: str = "OUT.bib",
    upgrades: Sequence[object] = (),
) -> Changelog:
    """:func:`compare` for the old file's text and the text about to be written.

    Identical texts are not parsed at all (the common warm run): only new record
    versions are looked for. ChangelogError when the old text is not BibTeX.
    """
    if previous_text is not None and previous_text == new_text:
        return unchanged_log(entries, outcomes, versions_before, versions_after, output)
    previous = parse_bib_text(previous_text, output) if previous_text is not None else None
    return compare(
        previous,
        entries,
        outcomes,
        versions_before,
        versions_after,
        output,
        upgrades,
        parse_bib_text(new_text) if entries else {},
    )


def unchanged_log(
    entries: Sequence[Entry],
    outcomes: Sequence[object] = (),
    versions_before: Mapping[str, int] | None = None,
    versions_after: Mapping[str, int] | None = None,
    output: str = "OUT.bib",
) -> Changelog:
    """The log when the old file already holds the new text: only new record versions to tell."""
    return Changelog(
        output, True, _version_changes(entries, outcomes, versions_before or {}, versions_after or {}), len(entries)
    )


def _version_changes(
    entries: Sequence[Entry], outcomes: Sequence[object], before: Mapping[str, int], after: Mapping[str, int]
) -> list[EntryChange]:
    from tridentbib.latex import from_latex

    sources = _sources_by_key(outcomes, entries)
    changes = []
    for entry in entries:
        for paper in sorted(entry.identity):
            was, now = before.get(paper), after.get(paper)
            if was is not None and now is not None and was != now:
                title = _norm(from_latex(entry.fields.get("title", "")))
                changes.append(
                    EntryChange(
                        entry.key,
                        CHANGED,
                        title,
                        sources.get(entry.key, ()),
                        tuple(sorted(entry.identity)),
                        [FieldChange("version", f"v{was}", f"v{now}")],
                    )
                )
                break
    return changes


def diff_fields(before: BibRecord, after: BibRecord) -> list[FieldChange]:
    """Field-by-field differences (names compared case-insensitively), type first."""
    changes: list[FieldChange] = []
    if before.entry_type != after.entry_type:
        changes.append(FieldChange("type", before.entry_type, after.entry_type))
    for name in list(after.fields) + [n for n in before.fields if n not in after.fields]:
        was, now = before.fields.get(name, ("", ""))[1], after.fields.get(name, ("", ""))[1]
        if was != now:
            display = (after.fields.get(name) or before.fields[name])[0]
            changes.append(FieldChange(display, was, now))
    return changes


def _renames(old: Mapping[str, BibRecord], new: Mapping[str, BibRecord], by_key: Mapping[str, Entry]) -> dict[str, str]:
    """new key -> old key for entries whose key changed but which name the same paper."""
    lost = {key: record.identity for key, record in old.items() if key not in new}
    renamed: dict[str, str] = {}
    for key, record in new.items():
        if key in old or not lost:
            continue
        entry = by_key.get(key)
        identity = (entry.identity if entry is not None else frozenset()) | record.identity
        match = next((old_key for old_key, ids in lost.items() if ids & identity), None)
        if match is not None:
            renamed[key] = match
            del lost[match]
    return renamed


def _sources_by_key(outcomes: Sequence[object], entries: Sequence[Entry]) -> dict[str, tuple[str, ...]]:
    found: dict[str, dict[str, None]] = {}
    for outcome in outcomes:
        key, source = getattr(outcome, "key", ""), getattr(outcome, "answered_by", "")
        if key and source:
            found.setdefault(key, {})[source] = None
    for entry in entries:
        if entry.key not in found and entry.origin:
            found[entry.key] = {entry.origin: None}
    return {key: tuple(names) for key, names in found.items()}


def _failures_by_paper(outcomes: Sequence[object]) -> dict[str, str]:
    failed: dict[str, str] = {}
    for outcome in outcomes:
        if isinstance(outcome, LinkOutcome) and outcome.outcome in ("failed", "rejected") and outcome.id:
            failed.setdefault(f"{outcome.kind}:{outcome.id}", outcome.reason)
    return failed


def author_change(before: str, after: str, width: int = 80) -> str:
    """``+ New Name; - Old Name`` between two BibTeX author lists
    ("order changed", or the same names in other spelling)."""
    from tridentbib.latex import from_latex

    was, now = split_names(from_latex(before)), split_names(from_latex(after))
    added = [n for n in now if n not in was]
    removed = [n for n in was if n not in now]
    parts = [f"+ {n}" for n in added] + [f"- {n}" for n in removed]
    if not parts:
        return "same names, spelled differently" if was == now else "order changed"
    text = "; ".join(parts)
    return text if len(text) <= width * 2 else text[: width * 2 - 3] + "..."


def _quote(value: str, width: int) -> str:
    value = _norm(value)
    if len(value) > width:
        value = value[: width - 3] + "..."
    return f'"{value}"'


# -- rendering -------------------------------------------------------------------------


def render_lines(log: Changelog, limit: int = 200) -> list[str]:
    """The changelog for the terminal: a headline, then one line per entry and per field."""
    lines = [f"tridentbib: {log.headline}"]
    if not log.previous_exists:
        return lines
    for change in log.changes:
        if len(lines) > limit:
            lines.append("  ... and more (see --changes FILE for the whole list)")
            break
        source = f" (from {', '.join(change.sources)})" if change.sources else ""
        if change.change == ADDED:
            lines.append(f"  + {change.key}: added{source}: {_quote(change.title, 70)}")
        elif change.change == REMOVED:
            lines.append(f"  - {change.key}: removed: {change.reason}: {_quote(change.title, 70)}")
        else:
            renamed = f" (was {change.old_key})" if change.old_key else ""
            lines.append(f"  ~ {change.key}{renamed}: changed{source}")
            lines.extend(f"      {f.describe(70)}" for f in change.fields)
            if change.evidence:
                lines.append(f"      published version: {change.evidence}")
    return lines


def render_markdown(log: Changelog, title: str = "", note: str = "") -> str:
    """The changelog as a Markdown document (for a pull request or a commit message).

    ``note`` is said first, e.g. that the output was not written (a dry run).
    """
    out = [f"# {title or 'Changes to ' + log.output}", ""]
    if note:
        out += [f"> {_md(note)}", ""]
    if not log.changes:
        out += ["No changes." if log.previous_exists else f"{log.output} is new.", ""]
        return "\n".join(out)
    if log.previous_exists:
        out += [
            (
                f"{log.count(ADDED)} added, {log.count(REMOVED)} removed, "
                f"{log.count(CHANGED)} changed ({log.entries} entries now)."
            ),
            "",
        ]
    else:
        out += [f"{log.output} did not exist before; {log.entries} entries.", ""]
    sections = ((ADDED, "Added"), (REMOVED, "Removed"), (CHANGED, "Changed"))
    for kind, heading in sections:
        group = [c for c in log.changes if c.change == kind]
        if not group:
            continue
        out += [f"## {heading} ({len(group)})", ""]
        for change in group:
            papers = ", ".join(change.papers)
            source = f"; source: {', '.join(change.sources)}" if change.sources else ""
            if kind == ADDED:
                out.append(f"- `{change.key}`: {_md(change.title)} ({papers or 'no id'}{source})")
            elif kind == REMOVED:
                out.append(f"- `{change.key}`: {_md(change.title)} ({change.reason})")
            else:
                renamed = f" (key was `{change.old_key}`)" if change.old_key else ""
                out += [f"### `{change.key}`{renamed}", "", f"{_md(change.title)} ({papers or 'no id'}{source})", ""]
                if change.evidence:
                    out += [f"Published version: {_md(change.evidence)}", ""]
                if change.fields:
                    out += ["| field | before | after |", "| --- | --- | --- |"]
                    for f in change.fields:
                        before, after = _cell(f, f.before), _cell(f, f.after)
                        out.append(f"| {f.name} | {before} | {after} |")
                    out.append("")
        if kind != CHANGED:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _cell(change: FieldChange, value: str) -> str:
    if not value:
        return "(none)"
    if change.name.lower() == "author" and change.before and change.after and value == change.after:
        return _md(author_change(change.before, change.after, 200))
    limit = 200 if change.name.lower() in LONG_FIELDS else 400
    value = _norm(value)
    return _md(value if len(value) <= limit else value[: limit - 3] + "...")


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("\n", " ")
