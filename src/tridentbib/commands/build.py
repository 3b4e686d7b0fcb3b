"""``tridentbib build``: the write policy around a build, testable without typer.

What :func:`run` decides, in this order: resolve (the pipeline); report on stderr;
compare with the previous output (a changelog when there is one or when asked);
write the .bib only when it should change -- never a dry run, never an empty
result, never over a file an outage would make lose entries, and never a file
that already holds exactly this text (its mtime stays); then the sidecars
(CSL-JSON, ``--changes``, ``--report``), each written atomically. The exit code
says whether every paper link resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from tridentbib.model import BuildResult, InputError, ListDocument
from tridentbib.settings import Settings, SettingsError
from tridentbib.sources.files import read_input
from tridentbib.store.cache import CacheError, DiskCache, DryRunCache, holds_text, write_atomically
from tridentbib.writers.changelog import (
    ChangelogError,
    compare_texts,
    read_previous,
    render_lines,
    render_markdown,
    unchanged_log,
)
from tridentbib.writers.report_json import build_report, report_text
from tridentbib.writers.summary import bib_parts, failure_lines, note_lines, summary_line

EXIT_OK, EXIT_FAILED_LINKS = 0, 1

#: runs the pipeline: (documents, settings, cache, save_keys) -> result (the CLI adds its progress display)
Pipeline = Callable[[list[ListDocument], Settings, DiskCache, bool], BuildResult]


class CommandError(Exception):
    """The command cannot start or cannot write: one line for the user (exit 2)."""


@dataclass(frozen=True)
class BuildRequest:
    """Everything ``tridentbib build`` was asked, as plain values."""

    inputs: list[Path]
    output: str = "-"  #: a path, or "-" for standard output
    cache_dir: Path = Path("cache")
    offline: bool = False
    refresh: bool = False
    max_age: float | None = None
    max_retries: int | None = None
    changes: Path | None = None
    dry_run: bool = False
    report: Path | None = None
    quiet: bool = False
    ascii: bool = True
    csl_json: Path | None = None
    venues: str = "fast"

    @property
    def target(self) -> Path | None:
        return None if self.output == "-" else Path(self.output)


def run(request: BuildRequest, pipeline: Pipeline, say: Callable[[str], None], stdout: TextIO) -> int:
    """Build, report on ``say`` (stderr), write what should be written; the exit code."""
    target = request.target
    if target is None and (request.changes is not None or request.dry_run):
        raise CommandError("--changes and --dry-run compare with the previous output: name it with -o FILE")
    try:
        settings = Settings.from_env(
            cache_dir=request.cache_dir, offline=request.offline, refresh=request.refresh, max_age_days=request.max_age,
            venues=request.venues.strip().lower(), max_retries=request.max_retries,
        )  # fmt: skip
        documents = [read_input(path) for path in request.inputs]
        cache = DryRunCache(settings.cache_dir) if request.dry_run else DiskCache(settings.cache_dir)
        result = pipeline(documents, settings, cache, not request.dry_run)
    except (InputError, SettingsError, CacheError) as error:
        raise CommandError(str(error)) from None
    _account(request, result, say)

    # The text comes in pieces (tens of MB for a large list). An output that already holds it
    # is left alone, mtime and all; compared piece by piece, the text is then never whole in memory.
    unchanged = target is not None and holds_text(target, bib_parts(documents, result, ascii=request.ascii))
    text = [] if unchanged else list(bib_parts(documents, result, ascii=request.ascii))
    log = _changelog(request, result, target, text, unchanged, say)
    written, not_written = _write_bib(request, result, target, text, unchanged, stdout)
    if not_written and not (request.quiet and request.dry_run):
        say(f"tridentbib: {not_written}")
    _write_sidecars(request, result, log, written or target is None, not_written)
    return EXIT_FAILED_LINKS if result.failed else EXIT_OK


def _account(request: BuildRequest, result: BuildResult, say: Callable[[str], None]) -> None:
    """The summary, the failures, the citation-block notes and the venue upgrades, on stderr."""
    if not request.quiet:
        say(summary_line(result))
    for line in failure_lines(result, quiet=request.quiet):
        say(line)
    for line in note_lines(result):  # citation blocks: parse failures, hand-written values kept over resolved ones
        say(line)
    from tridentbib.lookup.venues import report_lines as venue_lines

    for line in venue_lines(
        result.upgrades if not request.quiet else [], result.candidates if not request.quiet else [], result.venue_notes
    ):
        say(line)  # one line per venue upgrade with its evidence, per candidate not applied
    for decision in result.titles if not request.quiet else []:  # items found (or not) by their own title
        say(f"  title: {decision.text}")


def _changelog(
    request: BuildRequest,
    result: BuildResult,
    target: Path | None,
    text: list[str],
    unchanged: bool,
    say: Callable[[str], None],
):  # type: ignore[no-untyped-def]
    """What changed compared with the previous output (printed when there is one, or when asked)."""
    asked = request.refresh or request.max_age is not None or request.dry_run or request.changes is not None
    if target is None or not (asked or request.report is not None or target.exists()):
        return None
    log = None
    try:
        before = {key: old for key, (old, _new) in result.versions.items() if old is not None}
        after = {key: new for key, (_old, new) in result.versions.items() if new is not None}
        if unchanged:
            log = unchanged_log(result.entries, result.outcomes, before, after, request.output)
        else:
            log = compare_texts(
                read_previous(target),
                "".join(text),
                result.entries,
                result.outcomes,
                before,
                after,
                request.output,
                result.upgrades,
            )
    except ChangelogError as error:
        say(f"tridentbib: cannot compare with the previous output: {error}")
    held_back = not result.entries or (result.outage and target.exists())  # the file will be left as it was
    # Changes are shown when the file takes them, or when a preview or a changelog was asked for.
    if log is not None and not request.quiet and (asked or (log.previous_exists and log.changes and not held_back)):
        for line in render_lines(log):
            say(line)
    return log


def _write_bib(
    request: BuildRequest, result: BuildResult, target: Path | None, text: list[str], unchanged: bool, stdout: TextIO
) -> tuple[bool, str]:
    """(written, why not): the .bib is written only when it should change."""
    if request.dry_run:
        return False, f"dry run: {request.output} not written"
    if target is None:
        stdout.writelines(text)
        return False, ""
    if not result.entries:
        return False, f"nothing to write; {request.output} left as it was"
    if result.outage and target.exists():
        return False, f"some services were unavailable; {request.output} left as it was (rerun to complete it)"
    if unchanged:
        return True, ""  # it already holds exactly this text
    try:
        write_atomically(target, text)
    except OSError as error:
        raise CommandError(f"{request.output}: cannot write ({error.strerror or error})") from None
    return True, ""


def _write_sidecars(request: BuildRequest, result: BuildResult, log, written: bool, not_written: str) -> None:  # type: ignore[no-untyped-def]
    """CSL-JSON (follows the .bib), the Markdown changelog and the JSON report."""
    if request.csl_json is not None and result.entries and not not_written:
        from tridentbib.writers.csljson import format_csl_json

        try:
            write_atomically(request.csl_json, format_csl_json(result.entries))
        except OSError as error:
            raise CommandError(f"{request.csl_json}: cannot write ({error.strerror or error})") from None
    try:
        if request.changes is not None and log is not None:
            write_atomically(request.changes, render_markdown(log, note=not_written))
        if request.report is not None:
            data = build_report(
                result,
                inputs=[str(p) for p in request.inputs],
                output=request.output,
                written=written,
                dry_run=request.dry_run,
                changes=log,
            )
            write_atomically(request.report, report_text(data))
    except OSError as error:
        raise CommandError(f"cannot write the report: {error.strerror or error} ({error.filename})") from None
