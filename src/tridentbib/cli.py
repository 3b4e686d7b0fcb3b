"""Command line: parse flags, call the library, print the account, map errors to exit codes.

Exit codes: 0 everything resolved; 1 some links could not be resolved (the output
is still written unless an outage would make it lose entries); 2 the run could not
start (bad arguments, unreadable input, unusable cache or settings).

Heavy modules are imported inside the commands, so ``tridentbib --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

EXIT_OK, EXIT_FAILED_LINKS, EXIT_CANNOT_START = 0, 1, 2

app = typer.Typer(
    help="Turn a Markdown reading list (an awesome list of papers) into one clean BibTeX file.\n\n"
    "Resolves arXiv links through arXiv's export API and keeps every answer in an on-disk cache, "
    "so a second run needs no network.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from tridentbib import __version__

        typer.echo(f"tridentbib {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Turn a Markdown reading list into one clean BibTeX file."""


def _fatal(message: str) -> "typer.Exit":
    typer.echo(f"tridentbib: error: {message}", err=True)
    return typer.Exit(EXIT_CANNOT_START)


@app.command()
def build(
    inputs: List[Path] = typer.Argument(..., help="Markdown list(s) to read.", show_default=False),
    output: str = typer.Option("-", "-o", "--output", help="Where to write the .bib file; '-' is standard output."),
    cache_dir: Path = typer.Option(Path("cache"), "--cache-dir", envvar="TRIDENTBIB_CACHE_DIR", help="Cache directory (one JSON file per record)."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cache; never open a connection; report what is missing."),
    refresh: bool = typer.Option(False, "--refresh", help="Fetch every record again, even when cached."),
) -> None:
    """Resolve every paper link of INPUTS and write one combined BibTeX file.

    Example:

        tridentbib build examples/speech-lm.md -o speech-lm.bib
    """
    from tridentbib.cache import CacheError, write_atomically
    from tridentbib.pipeline import build as run_build
    from tridentbib.report import failure_lines, summary_line
    from tridentbib.settings import Settings, SettingsError
    from tridentbib.sources.files import InputError, read_input
    from tridentbib.writers.bibtex import format_bibtex

    try:
        settings = Settings.from_env(cache_dir=cache_dir, offline=offline, refresh=refresh)
        documents = [read_input(path) for path in inputs]
        result = run_build(documents, settings)
    except (InputError, SettingsError, CacheError) as error:
        raise _fatal(str(error)) from None
    except KeyboardInterrupt:
        typer.echo("tridentbib: interrupted; every record fetched so far is in the cache", err=True)
        raise typer.Exit(130) from None

    typer.echo(summary_line(result), err=True)
    for line in failure_lines(result):
        typer.echo(line, err=True)

    text = format_bibtex(result.entries)
    if output == "-":
        sys.stdout.write(text)
    elif not result.entries:
        typer.echo(f"tridentbib: nothing to write; {output} left as it was", err=True)
    elif result.outage and Path(output).exists():
        typer.echo(f"tridentbib: some services were unavailable; {output} left as it was (rerun to complete it)", err=True)
    else:
        try:
            write_atomically(Path(output), text)
        except OSError as error:
            raise _fatal(f"{output}: cannot write ({error.strerror or error})") from None
    raise typer.Exit(EXIT_FAILED_LINKS if result.failed else EXIT_OK)


def main() -> None:
    """Console-script entry point."""
    app()
