"""A live progress display on standard error while a run waits for the network.

One line per service: papers settled out of the total, and what it is doing
(fetching, or waiting out the service's rate limit with a countdown). It appears
only when something has to be fetched (a warm run stays silent), only when stderr
is a terminal, and never with ``--quiet``. The callbacks are called from the
resolver threads; rich's Progress is thread-safe, and starting it is guarded here.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # rich is imported only when a display is shown: runs in CI or pipes never pay for it
    from rich.console import Console
    from rich.progress import Progress, TaskID


def wanted(quiet: bool, offline: bool, stream: TextIO | None = None) -> bool:
    """Should a run show the display? Not with --quiet or --offline, not when stderr is not a terminal."""
    stream = stream if stream is not None else sys.stderr
    try:
        is_terminal = stream.isatty()
    except (AttributeError, ValueError):
        is_terminal = False
    return is_terminal and not quiet and not offline


def _make_progress(console: Console | None) -> Progress:
    """A transient rich Progress: service, bar, done/total, status, elapsed time."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class StatusColumn(ProgressColumn):
        """ "fetching", "waiting 2.4s for the rate limit" (counting down), or "done"."""

        def render(self, task: Task) -> Text:
            until = task.fields.get("wait_until") or 0.0
            remaining = until - time.monotonic()
            if task.finished:
                return Text("done", style="green")
            if remaining > 0:
                return Text(f"waiting {remaining:.1f}s for the rate limit", style="yellow")
            return Text(task.fields.get("status") or "fetching", style="cyan")

    return Progress(
        TextColumn("[bold]{task.description:<12}"),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        StatusColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=True,
        refresh_per_second=8,
    )


class ProgressDisplay:
    """Receives ``on_progress(service, done, total)`` and ``on_wait(service, seconds)``."""

    def __init__(self, enabled: bool, console: Console | None = None) -> None:
        self.enabled = enabled
        self._console = console
        self._lock = threading.RLock()  # re-entrant: stop() may run in a signal handler
        self._progress: Any = None  # rich.progress.Progress once shown
        self._tasks: dict[str, TaskID] = {}
        self._stopped = False

    # -- callbacks ---------------------------------------------------------------
    def on_progress(self, service: str, done: int, total: int) -> None:
        """A service settled ``done`` of ``total`` ids (from the cache or the network)."""
        if not self.enabled:
            return
        progress = self._ensure_started(service, wanted_now=done < total)
        if progress is None:
            return
        task = self._task(progress, service, total)
        progress.update(task, completed=done, total=total, wait_until=0.0)

    def on_wait(self, service: str, seconds: float) -> None:
        """A request to ``service`` is about to wait ``seconds`` for the service's rate limit."""
        if not self.enabled:
            return
        progress = self._ensure_started(service, wanted_now=True)
        if progress is None:
            return
        task = self._task(progress, service, None)
        progress.update(task, wait_until=time.monotonic() + seconds)

    # -- lifecycle -----------------------------------------------------------------
    def stop(self) -> None:
        """Remove the display (it is transient) and give the terminal back; safe to call twice."""
        with self._lock:
            self._stopped = True
            progress, self._progress = self._progress, None
        if progress is not None:
            progress.stop()

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals -------------------------------------------------------------------
    def _ensure_started(self, service: str, wanted_now: bool) -> Progress | None:
        with self._lock:
            if self._stopped:
                return None
            if self._progress is None:
                if not wanted_now:
                    return None
                self._progress = _make_progress(self._console)
                self._progress.start()
            return self._progress

    def _task(self, progress: Progress, service: str, total: int | None) -> TaskID:
        with self._lock:
            task = self._tasks.get(service)
            if task is None:
                task = progress.add_task(service, total=total, status="fetching", wait_until=0.0)
                self._tasks[service] = task
            return task
