"""Command line: parse flags, call the library, print the account, map errors to exit codes.

Exit codes: 0 everything resolved; 1 some links could not be resolved (the output
is still written unless an outage would make it lose entries); 2 the run could not
start (bad arguments, unreadable input, unusable cache or settings).

Heavy modules are imported inside the commands, so ``tridentbib --help`` stays fast.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List

import typer

EXIT_OK, EXIT_FAILED_LINKS, EXIT_CANNOT_START = 0, 1, 2

# typer prints a positional argument's Python type after its metavar ("INPUT <list[Path]>");
# the metavar and the help already say what it takes, so the type label is left out.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign,assignment]

app = typer.Typer(
    help="Turn a Markdown reading list (an awesome list of papers) into one clean BibTeX file.\n\n"
    "Resolves arXiv, OpenReview and ACL Anthology links through their public APIs "
    "and keeps every answer in an on-disk cache, "
    "so a second run needs no network.",
    no_args_is_help=True,
    # --install-completion / --show-completion for bash, zsh, fish and PowerShell (typer + shellingham).
    add_completion=True,
    # Plain help, not Rich panels: the panels print a type for every parameter (`<bool>` after
    # each flag, `--help` included) and read `[default: 4]` in help text as markup; plain help
    # also starts in half the time (no Rich import).
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from tridentbib import __version__

        typer.echo(f"tridentbib {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn a Markdown reading list into one clean BibTeX file."""


def _fatal(message: str) -> typer.Exit:
    typer.echo(f"tridentbib: error: {message}", err=True)
    return typer.Exit(EXIT_CANNOT_START)


@app.command()
def build(
    inputs: List[Path] = typer.Argument(
        ...,
        metavar="INPUT",
        help="Markdown lists, .bib files to keep and fill in, .txt/.ids files of ids or URLs.",
        show_default=False,
    ),
    output: str = typer.Option(
        "-", "-o", "--output", metavar="FILE", help="Where to write the .bib file; '-' is standard output."
    ),
    cache_dir: Path = typer.Option(
        Path("cache"),
        "--cache-dir",
        envvar="TRIDENTBIB_CACHE_DIR",
        metavar="DIR",
        help="Cache directory (one JSON file per record).",
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Use only the cache; never open a connection; report what is missing."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Fetch every record again, even when cached."),
    max_age: float | None = typer.Option(
        None, "--max-age", min=0, metavar="DAYS", help="Fetch again every cached record older than DAYS days."
    ),
    max_retries: int | None = typer.Option(
        None,
        "--max-retries",
        min=0,
        envvar="TRIDENTBIB_MAX_RETRIES",
        metavar="N",
        help="Retries per request after a timeout, a dropped connection or HTTP 429/5xx "
        "(backoff with jitter, Retry-After honoured) [default: 4].",
    ),
    changes: Path | None = typer.Option(
        None,
        "--changes",
        metavar="FILE",
        help="Write what changed compared with the previous output (-o FILE), as Markdown.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would change; write neither the output nor the cache nor keys.json."
    ),
    report: Path | None = typer.Option(
        None,
        "--report",
        metavar="FILE.json",
        help="Write a machine-readable account: every link's outcome, requests per service.",
    ),
    quiet: bool = typer.Option(
        False, "-q", "--quiet", help="No progress display, summary or list of changes; failures are still listed."
    ),
    ascii_out: bool = typer.Option(
        True,
        "--ascii/--utf8",
        help="--ascii (default): non-ASCII letters as LaTeX escapes ({\\L}ukasz, Nguy{\\~{\\^e}}n), "
        "so pdflatex and every BibTeX style read them; --utf8: raw UTF-8, for biber with lualatex/xelatex.",
    ),
    csl_json: Path | None = typer.Option(
        None,
        "--csl-json",
        metavar="OUT.json",
        help="Also write the same works as CSL-JSON (arXiv preprints import into Zotero as Preprint items).",
    ),
    venues: str = typer.Option(
        "fast",
        "--venues",
        envvar="TRIDENTBIB_VENUES",
        metavar="[fast|full|off]",
        help="Cite arXiv preprints at the venue that published them, on evidence only: "
        "fast = arXiv's own DOI + one Semantic Scholar request per 500 papers; "
        "full = also dblp, one request per paper (5 s apart, cached, resumable); off = no lookups.",
    ),
) -> None:
    """Resolve every paper link of INPUTS and write one combined BibTeX file.

    INPUTS are Markdown lists, existing .bib files (their entries are kept and filled in)
    and .txt/.ids files with one id or URL per line.

    Example:

        tridentbib build examples/reading-list.md -o reading-list.bib

        tridentbib build list.md -o list.bib --refresh --changes CHANGES.md
    """
    from tridentbib.commands.build import BuildRequest, CommandError, run
    from tridentbib.pipeline import build as run_build
    from tridentbib.progress import ProgressDisplay, wanted

    _collect_garbage_less_often()
    request = BuildRequest(
        list(inputs),
        output,
        cache_dir,
        offline,
        refresh,
        max_age,
        max_retries,
        changes,
        dry_run,
        report,
        quiet,
        ascii_out,
        csl_json,
        venues,
    )

    def pipeline(documents, settings, cache, save_keys):  # type: ignore[no-untyped-def]
        with ProgressDisplay(wanted(quiet, offline)) as display, _exit_on_interrupt(display):
            return run_build(
                documents, settings, display.on_progress, display.on_wait, cache=cache, save_keys=save_keys
            )

    try:
        code = run(request, pipeline, say=lambda line: typer.echo(line, err=True), stdout=sys.stdout)
    except CommandError as error:
        raise _fatal(str(error)) from None
    except KeyboardInterrupt:
        typer.echo(INTERRUPTED, err=True)
        raise typer.Exit(130) from None
    raise typer.Exit(code)


def _collect_garbage_less_often() -> None:
    """Let Python's cycle collector run every 50,000 allocations instead of every 700.

    A run builds hundreds of thousands of small objects that live until it ends
    (Markdown tokens, records, entries) and form almost no cycles; with the default
    thresholds the collector walks them again and again, which was a fifth of a warm
    10,000-link run (benchmarks/run.py). Memory is unaffected: nothing is freed late.
    """
    gc.set_threshold(50_000, 20, 10)  # build and check


INTERRUPTED = (
    "tridentbib: interrupted; every record fetched so far is in the cache (rerun to continue where it stopped)"
)


@contextmanager
def _exit_on_interrupt(display: object) -> Iterator[None]:
    """While records are being fetched, Ctrl-C or a kill ends the run at once.

    Records are written to the cache as each batch returns, so stopping loses at
    most the batch in flight. Waiting for the resolver threads to notice would mean
    waiting out a slow request (and the pacing delays); instead the display is taken
    down, the message printed and the process left without unwinding.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        display.stop()  # type: ignore[attr-defined]
        try:
            sys.stderr.write(INTERRUPTED + "\n")
            sys.stderr.flush()
        finally:
            os._exit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@app.command()
def check(
    paths: List[Path] = typer.Argument(
        ..., metavar="INPUT... OUT.bib", help="The list(s) OUT.bib is built from, then OUT.bib.", show_default=False
    ),
    cache_dir: Path = typer.Option(
        Path("cache"), "--cache-dir", envvar="TRIDENTBIB_CACHE_DIR", metavar="DIR", help="Cache directory (read only)."
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Also require OUT.bib to be exactly what build would write from the cache."
    ),
) -> None:
    """Exit 1 when OUT.bib is out of date with its list(s): for CI and pre-commit hooks.

    Fails when a paper linked from an input has no entry in OUT.bib, or an entry is no longer
    linked from any input; with --offline, also when OUT.bib differs from what the cache would produce.

    Never opens a connection. The message names the build command that brings OUT.bib up to date.

    Example:

        tridentbib check README.md papers.bib
    """
    from tridentbib.commands.check import fix_command, messages, run_check
    from tridentbib.store.cache import CacheError
    from tridentbib.writers.changelog import ChangelogError

    _collect_garbage_less_often()
    from tridentbib.settings import Settings, SettingsError
    from tridentbib.sources.files import InputError, read_input

    if len(paths) < 2:
        raise _fatal("check needs the input list(s) and then the .bib file: tridentbib check LIST.md OUT.bib")
    inputs, bib_path = paths[:-1], paths[-1]
    command = fix_command(inputs, bib_path, cache_dir)
    if bib_path.suffix.lower() != ".bib":
        raise _fatal(f"the last argument must be the .bib file to check, not {bib_path}")
    if not bib_path.exists():
        typer.echo(f"tridentbib: {bib_path} does not exist", err=True)
        typer.echo(f"tridentbib: to create it, run: {command}", err=True)
        raise typer.Exit(EXIT_FAILED_LINKS)
    try:
        settings = Settings.from_env(cache_dir=cache_dir, offline=True)
        documents = [read_input(path) for path in inputs]
        outcome = run_check(documents, bib_path, settings, compare_content=offline)
    except (InputError, SettingsError, CacheError, ChangelogError) as error:
        raise _fatal(str(error)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise _fatal(f"{bib_path}: cannot read ({error})") from None
    for line in messages(outcome, bib_path, inputs, command):
        typer.echo(line, err=True)
    raise typer.Exit(EXIT_OK if outcome.ok else EXIT_FAILED_LINKS)


cache_app = typer.Typer(
    help="Inspect and tidy the on-disk cache.", no_args_is_help=True, add_completion=False, rich_markup_mode=None
)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats")
def cache_stats(
    cache_dir: Path = typer.Option(
        Path("cache"), "--cache-dir", envvar="TRIDENTBIB_CACHE_DIR", metavar="DIR", help="Cache directory."
    ),
) -> None:
    """Records per service, how old they are, and the space they take.

    Files kept whole beside the records have a row per folder too: acl-bulk (the ACL
    Anthology export), pmlr-volume (PMLR volume bibliographies), neurips-index (NeurIPS
    year indexes); dblp-toc (dblp table-of-contents pages) is a folder of records.
    """
    from tridentbib.commands.cache import stats_lines

    if cache_dir.exists() and not cache_dir.is_dir():
        raise _fatal(f"cache directory {cache_dir} exists and is not a directory")
    for line in stats_lines(cache_dir):
        typer.echo(line)


@cache_app.command("prune")
def cache_prune(
    lists: List[Path] = typer.Argument(
        None,
        metavar="LIST",
        help="Every list that uses this cache: records none of them needs are dropped.",
        show_default=False,
    ),
    older_than: float | None = typer.Option(
        None, "--older-than", min=0, metavar="DAYS", help="Also drop records fetched more than DAYS days ago."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be dropped; delete nothing."),
    cache_dir: Path = typer.Option(
        Path("cache"), "--cache-dir", envvar="TRIDENTBIB_CACHE_DIR", metavar="DIR", help="Cache directory."
    ),
) -> None:
    """Drop cached records no list uses (give every list), or older than --older-than DAYS.

    Files kept whole (acl-bulk, pmlr-volume, neurips-index) follow the same rules: with
    lists, one is kept while a list names a paper it may answer (any ACL paper, a paper
    of that PMLR volume, an old NeurIPS link of that year or the next/previous); an item
    found by title keeps the record it was written from. Temporary files of killed runs
    (older than an hour) are removed. keys.json is never touched, so works keep their keys.

    Example:

        tridentbib cache prune README.md extra.md --dry-run
    """
    from tridentbib.commands.cache import apply_prune, plan_prune, prune_lines
    from tridentbib.sources.files import InputError, read_input

    if not lists and older_than is None:
        raise _fatal(
            "say what to drop: give the lists that use this cache "
            "(records none of them links are dropped), or --older-than DAYS"
        )
    if cache_dir.exists() and not cache_dir.is_dir():
        raise _fatal(f"cache directory {cache_dir} exists and is not a directory")
    try:
        documents = [read_input(path) for path in lists] if lists else None
    except InputError as error:
        raise _fatal(str(error)) from None
    plan = plan_prune(cache_dir, documents, older_than)
    if not dry_run:
        apply_prune(plan)
    for line in prune_lines(plan, dry_run):
        typer.echo(line)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    finally:
        # Everything is about to go with the process: spare the interpreter's last full
        # garbage collection over it (60-100 ms at exit, measured by benchmarks/run.py).
        gc.freeze()
