"""``tridentbib check LIST.md OUT.bib``: is the committed .bib in step with its list? (for CI)

Never opens a connection. The list is read and resolved from the cache only
(whatever the cache holds; it may be absent), then:

* **missing** -- a link that names a paper has no entry in OUT.bib (matched by the
  entry's key when the cache knows it, else by the ids the entries carry:
  eprint, DOI, URL). Links the services said do not exist are not expected.
* **stale** -- an entry of OUT.bib that no input links any more.
* with ``--offline``, **differs** -- OUT.bib is not what ``build`` would write from
  the cache (field by field; or order/formatting), or the cache lacks records.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from tridentbib.model import ListDocument
from tridentbib.settings import Settings
from tridentbib.writers.changelog import CHANGED, compare, parse_bib_text

#: outcomes of links that are not expected to have an entry
NOT_EXPECTED = frozenset({"not supported", "rejected", "context entry", "extra url"})


@dataclass
class CheckResult:
    """Problems found, one message each."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    links: int = 0
    entries: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.differs)


def run_check(
    documents: Sequence[ListDocument], bib_path: Path, settings: Settings, *, compare_content: bool
) -> CheckResult:
    """Compare ``bib_path`` with what ``documents`` ask for (and, with ``compare_content``, with the cache's output)."""
    from tridentbib.pipeline import build
    from tridentbib.store.cache import holds_text
    from tridentbib.writers.summary import bib_parts, bib_text

    result = build(list(documents), settings.with_(offline=True), save_keys=False)
    uncached = sum(1 for o in result.outcomes if o.transient and o.id and o.outcome not in NOT_EXPECTED)
    if not uncached and any(holds_text(bib_path, bib_parts(documents, result, ascii=ascii)) for ascii in (False, True)):
        # Exactly what build writes from a cache that knows every link: nothing can be missing,
        # stale or different, and the file need not be parsed (seconds for a large list).
        return CheckResult(links=len(result.outcomes), entries=len(result.entries))
    text = bib_path.read_text(encoding="utf-8")
    records = parse_bib_text(text, str(bib_path))
    check = CheckResult(links=len(result.outcomes), entries=len(records))

    bib_ids: dict[str, str] = {}
    for key, record in records.items():
        for ident in record.identity:
            bib_ids.setdefault(ident, key)
    expected_keys = {entry.key for entry in result.entries}
    list_ids: set[str] = set()
    for outcome in result.outcomes:
        if outcome.outcome in NOT_EXPECTED or not outcome.id:
            continue
        ident = f"{outcome.kind}:{outcome.id}"
        list_ids.add(ident)
        if outcome.entry is not None:
            list_ids |= outcome.entry.identity
        if outcome.entry is None and not outcome.transient:
            continue  # the service said there is no such paper: no entry expected
        if (outcome.key and outcome.key in records) or ident in bib_ids:
            continue
        check.missing.append(f"{outcome.source}:{outcome.line}: {outcome.kind} {outcome.id} has no entry in {bib_path}")
    for key, record in records.items():
        if key in expected_keys or record.identity & list_ids:
            continue
        named = ", ".join(sorted(record.identity)) or "no paper id"
        check.stale.append(f"{bib_path}:{record.line}: {key} ({named}) is not linked from any input any more")

    if compare_content:
        if uncached:
            check.differs.append(
                f"{uncached} link(s) have no record in the cache ({settings.cache_dir}); "
                f"the cache cannot reproduce {bib_path}"
            )
        expected = bib_text(documents, result)
        if expected != text and text.isascii():  # built with --ascii
            from tridentbib.writers.bibtex import format_bibtex, preambles_of

            expected = format_bibtex(result.entries, ascii=True, preamble=preambles_of(documents))
        if expected != text and not uncached:
            log = compare(
                records, result.entries, result.outcomes, output=str(bib_path), written=parse_bib_text(expected)
            )
            for change in log.changes:
                if change.change != CHANGED:
                    continue  # added/removed entries are reported above as missing/stale
                where = records.get(change.old_key or change.key)
                line = f"{bib_path}:{where.line}: " if where is not None else ""
                fields = "; ".join(f.describe(50) for f in change.fields) or f"key was {change.old_key}"
                check.differs.append(f"{line}{change.key} differs from the cache: {fields}")
            if not check.differs and not check.missing and not check.stale:
                check.differs.append(
                    f"{bib_path} holds the same entries but not as build writes them (order or formatting)"
                )
    return check


def fix_command(inputs: Sequence[Path], bib_path: Path, cache_dir: Path, default_cache: Path = Path("cache")) -> str:
    """The build command that brings ``bib_path`` up to date."""
    words = ["tridentbib", "build", *[str(p) for p in inputs], "-o", str(bib_path)]
    if Path(cache_dir) != default_cache:
        words += ["--cache-dir", str(cache_dir)]
    return shlex.join(words)


def messages(check: CheckResult, bib_path: Path, inputs: Sequence[Path], command: str) -> list[str]:
    """What the check prints: ok, or every problem and the command to run."""
    names = ", ".join(str(p) for p in inputs)
    if check.ok:
        return [f"tridentbib: {bib_path} is up to date with {names} ({check.entries} entries, {check.links} links)"]
    counts = [
        f"{len(v)} {name}"
        for name, v in (("missing", check.missing), ("stale", check.stale), ("different", check.differs))
        if v
    ]
    lines = [f"tridentbib: {bib_path} is out of date with {names}: {', '.join(counts)}"]
    lines += [f"  missing: {m}" for m in check.missing]
    lines += [f"  stale: {m}" for m in check.stale]
    lines += [f"  differs: {m}" for m in check.differs]
    lines.append(f"tridentbib: to update it, run: {command}")
    return lines
