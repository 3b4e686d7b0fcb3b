"""dblp title searches asked together: several titles in one request, with dblp's "either word" operator.

dblp's search ANDs the words of a query, each a prefix, and ``a|b`` matches either
word (its search help: "boolean or: connect words by pipe symbol"). A title's own
search sends the whole title. A batched search sends a few positions for a group of
titles, each position listing one long word of every title: ``a1|b1 a2|b2 a3|b3 a4|b4``.
Every record that title A's own search could return holds a1 to a4, so the batch's
answer holds it too. When dblp says the answer is complete (``@total`` no more than
it sent), the batch stands in for each title's own search:

* the hits that title's own search could have returned (each of its words begins a
  word of the record's title, authors, venue or year) are its hits;
* the whole answer is there for identity evidence (an id in ``ee``).

A title with more such hits than its own search sends (:data:`OWN_HITS`: that
search cuts its answer short) gets its own search after all. A batch dblp cuts short is
halved once when the halves could come back whole; titles still without a complete
answer get their own searches. Titles with fewer than :data:`MIN_WORDS` usable words
("Deep learning") are never batched: they would swell every batch. Which words are
picked decides only how many records come back, never which papers are found.

:class:`TitleSearches` is the one place a run asks dblp by title: the title route,
the fallbacks and ``--venues full`` hand their titles to it, and it sends whatever
is waiting each time dblp's pacing lets the next request go.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Sequence
from urllib.parse import urlencode

from tridentbib.http import WaitListener
from tridentbib.resolvers.dblp import MAX_HITS, DblpError, DblpSearch
from tridentbib.settings import Settings

#: hits a per-paper title search asks for (``DblpSearch.search``'s default)
OWN_HITS = 10
#: word positions of a batched query
POSITIONS = 4
#: a title needs this many usable words to join a batch
MIN_WORDS = 3
#: the longest query sent (characters), well under what servers take in a URL
MAX_QUERY = 1500
#: words too common in titles to narrow a batch (never a reason to keep or drop a record)
_COMMON = frozenset(
    "learning neural network networks model models using based deep data towards with from large language "
    "analysis approach system systems method methods efficient improving multi via their into over through "
    "for the and are not its new all one two how what when does can".split()
)
#: a word dblp surely indexes as one: ASCII letters and digits, three or more, not only digits
_WORD = re.compile(r"(?=[0-9]*[A-Za-z])[A-Za-z0-9]{3,}")
_EDGE = "()[]{}:;,.!?\"'“”‘’«»*"


@dataclass(frozen=True)
class TitleAnswer:
    """What dblp answered for one title: its own search, or a complete batch standing in for it."""

    hits: list[dict[str, Any]]  #: the hits the title's own search returns (or could have returned)
    answer: list[dict[str, Any]]  #: every hit of the request that answered it (identity evidence: an id in ``ee``)
    request: str  #: the request URL (provenance)
    batch: str | None = None  #: the batched query, when a batch answered


def usable_words(title: str) -> list[str]:
    """The title's words dblp indexes as typed, lower case, in order (duplicates dropped)."""
    words = (token.strip(_EDGE) for token in title.split())
    return list(dict.fromkeys(word.lower() for word in words if _WORD.fullmatch(word)))


def _picked(title: str) -> list[str] | None:
    """The title's longest uncommon words for the batch's positions; None: it is not batched."""
    words = usable_words(title)
    if len(words) < MIN_WORDS:
        return None
    rare = [word for word in words if word not in _COMMON] or words
    rare.sort(key=len, reverse=True)
    return [rare[n % len(rare)] for n in range(POSITIONS)]


def batch_query(titles: Sequence[str]) -> str:
    """The one query whose answer holds every record each title's own search could return."""
    picked = [words for words in map(_picked, titles) if words is not None]
    return " ".join("|".join(dict.fromkeys(words[n] for words in picked)) for n in range(POSITIONS))


def _folded_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"[^\W_]+", "".join(ch for ch in folded if not unicodedata.combining(ch)))


def could_answer(title: str, hit: dict[str, Any]) -> bool:
    """Could ``title``'s own search have returned ``hit``: does each of its words begin a word of the record?

    As dblp reads a query: a word of three or more letters is a prefix, a shorter one
    a whole word. Both sides are split into words alike, so a record with the
    title's own wording always passes.
    """
    fields = [str(hit.get("title") or ""), *map(str, hit.get("authors") or []), *map(str, hit.get("venue") or [])]
    words = _folded_words(" ".join([*fields, str(hit.get("year") or "")]))
    return all(
        any(word.startswith(query) for word in words) if len(query) >= 3 else query in words
        for query in _folded_words(title)
    )


def _group(titles: list[str], size: int) -> list[str]:
    """The first titles of ``titles`` that fit one batch: at most ``size``, the query under :data:`MAX_QUERY`."""
    group: list[str] = []
    for title in titles:
        if len(group) >= size or (group and len(batch_query([*group, title])) > MAX_QUERY):
            break
        group.append(title)
    return group


def _ask_group(group: list[str], search: DblpSearch, halves_left: int = 1) -> dict[str, TitleAnswer]:
    """The titles of ``group`` a complete batched answer stands in for (a batch cut short is halved once)."""
    query = batch_query(group)
    hits, total, request = search.batch(query)
    if total > len(hits):  # cut short: the answer may miss records a title's own search returns
        if halves_left and len(group) >= 4 and total <= 2 * MAX_HITS:  # halves that could each come back whole
            middle = len(group) // 2
            return {
                title: answer
                for half in (group[:middle], group[middle:])
                for title, answer in _ask_group(half, search, halves_left - 1).items()
            }
        return {}
    found = {}
    for title in group:
        own = [hit for hit in hits if could_answer(title, hit)]
        if len(own) <= OWN_HITS:
            found[title] = TitleAnswer(own, hits, request, query)
    return found


class TitleSearches:
    """A run's dblp title searches, asked together whenever dblp's pacing lets the next request go.

    The title route, the fallbacks and ``--venues full`` hand titles in (:meth:`ask`)
    and wait for the answer. One worker thread asks dblp: while dblp's delay runs,
    titles gather; at each turn every batchable title waiting goes into one batched
    search, or, when fewer than two are, one title gets its own search. A title no
    complete batch answered gets its own search at a later turn. Answers are kept
    for the run, so a title is asked once. Nothing starts before the first title.
    """

    def __init__(self, settings: Settings, on_wait: WaitListener | None = None) -> None:
        self.settings, self.on_wait = settings, on_wait
        self.requests = 0  #: requests sent, for the run's count per service
        self._cond = threading.Condition()
        self._answers: dict[str, Future[TitleAnswer]] = {}
        self._waiting: list[str] = []
        self._alone: set[str] = set()
        self._worker: threading.Thread | None = None
        self._closed = False

    def ask(self, title: str) -> Future[TitleAnswer]:
        """dblp's answer for ``title`` (a :class:`~tridentbib.resolvers.dblp.DblpError` when it gave none)."""
        with self._cond:
            if self._closed:
                raise RuntimeError("dblp title searches asked after the run closed them")
            future = self._answers.get(title)
            if future is None:
                future = self._answers[title] = Future()
                self._waiting.append(title)
                if self._worker is None:
                    self._worker = threading.Thread(target=self._work, name="dblp-titles", daemon=True)
                    self._worker.start()
                self._cond.notify()
            return future

    def close(self) -> None:
        """Answer what is still waiting, then stop the worker."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            worker = self._worker
        if worker is not None:
            worker.join()

    def _work(self) -> None:
        from tridentbib.resolvers.registry import dblp_client

        client = dblp_client(self.settings, self.on_wait)
        search = DblpSearch(client)
        try:
            while True:
                with self._cond:
                    while not self._waiting and not self._closed:
                        self._cond.wait()
                    if not self._waiting:
                        return
                pause = client.next_turn_in()
                if pause > 0:  # the titles handed in meanwhile join this turn
                    if self.on_wait:
                        self.on_wait(client.service, pause)
                    time.sleep(pause)
                try:
                    self._turn(search)
                except Exception as error:  # never leave a caller waiting: every title still waiting gets the error
                    with self._cond:
                        waiting = list(self._waiting)
                    for title in waiting:
                        self._settle(title, error)
                    raise
        finally:
            self.requests = client.request_count
            client.close()

    def _turn(self, search: DblpSearch) -> None:
        with self._cond:
            waiting = list(self._waiting)
        batchable = [title for title in waiting if title not in self._alone and _picked(title) is not None]
        group = _group(batchable, self.settings.dblp_batch) if self.settings.dblp_batch >= 2 else []
        if len(group) >= 2:
            try:
                answered = _ask_group(group, search)
            except DblpError:
                answered = {}
            for title in group:
                if title in answered:
                    self._settle(title, answered[title])
                else:
                    self._alone.add(title)
            return
        title = waiting[0]
        try:
            hits, request = search.search(title, OWN_HITS)
        except DblpError as error:  # dblp refuses or is away: stop asking it this run
            for left in waiting:
                self._settle(left, error)
        else:
            self._settle(title, TitleAnswer(hits, hits, f"{request}?{urlencode({'q': title, 'format': 'json'})}"))

    def _settle(self, title: str, answer: TitleAnswer | Exception) -> None:
        with self._cond:
            self._waiting.remove(title)
            future = self._answers[title]
        if isinstance(answer, Exception):
            future.set_exception(answer)
        else:
            future.set_result(answer)
