"""ACL Anthology: ``{TRIDENTBIB_ACL_URL}/{ID}.bib``, kept exactly as the Anthology writes it.

The Anthology's record is the authority for its papers (key, booktitle, editors,
pages, publisher, address, DOI, URL, abstract, month macro), so we store its
BibTeX text and its parsed fields without rewriting them. The site sits behind a
bot filter that can answer 200 with an HTML challenge page: a body that is not
BibTeX is reported as such (and the pipeline falls back to dblp), never parsed.

**In bulk.** The site has no batch API, but it publishes the whole Anthology with
abstracts as one file, ``/anthology+abstracts.bib.gz``: the per-paper entries, one
after another. A run with at least ``acl_bulk_threshold`` ids to fetch downloads it
once (bounded by ``acl_bulk_max_bytes``) into ``cache/acl-bulk/`` with a JSON header
holding its ``fetched_at``; every later run and list reads it from there, whatever
its size, for as long as the run's freshness rule (``--max-age``, ``--refresh``)
accepts that date. The file is read as a gzip stream, split at top-level ``@type{``
lines, and only the entries asked for are parsed, each with the one BibTeX reader,
into the same record a ``.bib`` request gives (same text, so the same output). An
id the file lacks is fetched on its own; a file that does not decompress or read
is set aside (reported as a corrupt cache file) and every id is fetched on its own.
With ``--offline`` the stored file answers the ids that have no record of their own
(:meth:`AclResolver.answer_offline`; nothing is downloaded or written).
The per-volume files (``/volumes/2023.acl-long.bib``) are not used: they carry no
abstracts, so their records would differ from the per-paper files'.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
import zlib
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from tridentbib.bibtex_read import BibtexReadError, read_single_entry
from tridentbib.http import ServiceClient, ServiceError
from tridentbib.model import Context, Entry
from tridentbib.resolvers.interface import Answer, BulkShelf, Found, Missing, Resolver

logger = logging.getLogger(__name__)

#: how the reason of an answer the service would not give begins
#: (what the user reads; `Missing.recoverable` is what code checks)
UNAVAILABLE = "unavailable:"

#: the whole Anthology with abstracts, and where the cache keeps it
BULK_PATH = "/anthology+abstracts.bib.gz"
BULK_FOLDER, BULK_NAME = "acl-bulk", "anthology+abstracts.bib.gz"
#: decompressed text read at most, per byte of the bound on the download (a gzip bomb stops here)
INFLATE_FACTOR = 10
_URL_FIELD = re.compile(r"^\s*url\s*=\s*[\"{]([^\"}]*)[\"}]", re.MULTILINE)
_DOI_FIELD = re.compile(r"^\s*doi\s*=\s*[\"{]10\.18653/v1/([^\"}]*)[\"}]", re.MULTILINE)


class BulkError(Exception):
    """The stored bulk file cannot be read to its end."""


class AclResolver(Resolver):
    """Fetch Anthology BibTeX exports: one request per paper, or the whole export for many papers."""

    service = "acl"

    def __init__(
        self,
        client: ServiceClient,
        bulk_client: ServiceClient | None = None,
        threshold: int = 50,
    ) -> None:
        super().__init__(client)
        #: the same service with the bulk file's larger size bound
        self.bulk_client = bulk_client
        self.threshold = threshold
        self._shelf: BulkShelf | None = None
        self._is_fresh: Callable[[str], bool] = lambda fetched_at: True

    @property
    def clients(self) -> list[ServiceClient]:
        return [self.client] + ([self.bulk_client] if self.bulk_client is not None else [])

    def attach(self, shelf: BulkShelf, is_fresh: Callable[[str], bool]) -> None:
        self._shelf, self._is_fresh = shelf, is_fresh

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        """From the bulk export when there is one (or enough ids to get it), else one ``.bib`` per id;
        404 means no such paper."""
        from_bulk = self._from_bulk(ids)
        yield from from_bulk.items()
        for ident in ids:
            if ident not in from_bulk:
                yield ident, self._fetch_one(ident)

    def _fetch_one(self, ident: str) -> Answer:
        path = f"/{ident}.bib"
        try:
            response = self.client.get(path)
        except ServiceError as error:
            return Missing(f"{UNAVAILABLE} {error}", permanent=False, recoverable=True)
        if response.status == 404:
            return Missing("the ACL Anthology has no paper with this id")
        body = response.text.lstrip("\ufeff \t\r\n")
        if response.status != 200:
            return Missing(
                f"{UNAVAILABLE} ACL Anthology answered HTTP {response.status}", permanent=False, recoverable=True
            )
        if not body.startswith("@"):
            return Missing(
                f"{UNAVAILABLE} ACL Anthology answered with a page that is not BibTeX (bot challenge?)",
                permanent=False,
                recoverable=True,
            )
        return _found(ident, body, self.client.url_for(path), None)

    # -- the whole Anthology in one file ---------------------------------------------
    def _from_bulk(self, ids: Sequence[str]) -> dict[str, Answer]:
        """Answers for the ids the bulk export holds (none when it is not used or unusable)."""
        if self._shelf is None or self.bulk_client is None or not ids:
            return {}
        stored = self._shelf.bulk_file(BULK_FOLDER, BULK_NAME)
        if stored is None or not self._is_fresh(stored[1]):
            if len(ids) < self.threshold:
                return {}
            stored = self._download(self._shelf, self.bulk_client)
            if stored is None:
                return {}
        return self._read_bulk(stored, ids)

    def answer_offline(self, ids: Sequence[str]) -> Iterator[tuple[str, Found]]:
        """``--offline``: the ids the stored export holds, whatever its age; never a download."""
        if self._shelf is None or self.bulk_client is None or not ids:
            return iter(())
        stored = self._shelf.bulk_file(BULK_FOLDER, BULK_NAME)
        if stored is None:
            return iter(())
        found = self._read_bulk(stored, ids).items()
        return iter([(ident, answer) for ident, answer in found if isinstance(answer, Found)])

    def _read_bulk(self, stored: tuple[Path, str], ids: Sequence[str]) -> dict[str, Answer]:
        """Answers for the ids the stored export holds; an unreadable file is set aside (none then)."""
        assert self._shelf is not None and self.bulk_client is not None
        path, fetched_at = stored
        request = self.bulk_client.url_for(BULK_PATH)
        limit = self.bulk_client.settings.max_response_bytes * INFLATE_FACTOR
        try:
            with _open_text(path) as text:
                return {
                    ident: _found(ident, entry, request, fetched_at)
                    for ident, entry in _wanted_entries(_bounded(text, limit), set(ids))
                }
        except BulkError as error:
            self._shelf.set_aside_bulk_file(BULK_FOLDER, BULK_NAME, str(error))
            return {}

    @staticmethod
    def _download(shelf: BulkShelf, client: ServiceClient) -> tuple[Path, str] | None:
        """Fetch and store the export; None (and a warning: one file per paper instead) when it cannot be had."""
        try:
            response = client.get(BULK_PATH)
            problem = f"HTTP {response.status}" if response.status != 200 else None
        except ServiceError as error:
            problem = str(error)
        if problem is None and not response.content.startswith(b"\x1f\x8b"):
            problem = "not a gzip file (bot challenge?)"
        if problem is not None:
            logger.warning("acl: %s not used (%s); fetching one file per paper", BULK_PATH, problem)
            return None
        return shelf.put_bulk_file(BULK_FOLDER, BULK_NAME, response.content, client.url_for(BULK_PATH))


def kept_files(ident: str, row: Context | None = None) -> list[tuple[str, str]]:
    """(folder, name) of the files kept beside the records that a paper may be read from: the whole export."""
    return [(BULK_FOLDER, BULK_NAME)]


def _found(ident: str, text: str, request: str, fetched_at: str | None) -> Answer:
    """The record of one Anthology entry, as its ``.bib`` file gives it."""
    try:
        entry = read_single_entry(text)
    except BibtexReadError as error:
        return Missing(f"ACL Anthology BibTeX could not be read: {error}", permanent=False)
    return Found({"id": ident, "bibtex": text.rstrip() + "\n", **entry}, request, fetched_at=fetched_at)


def _open_text(path: Path) -> IO[str]:
    """The bulk file as text, decompressed as it is read."""
    return io.TextIOWrapper(gzip.GzipFile(path, "rb"), encoding="utf-8", errors="replace", newline="")


def _bounded(lines: Iterable[str], limit: int) -> Iterator[str]:
    """The lines of the decompressed file, up to ``limit`` characters; read errors become :class:`BulkError`."""
    size = 0
    try:
        for line in lines:
            size += len(line)
            if size > limit:
                raise BulkError(f"decompressed text exceeds {limit} characters")
            yield line
    except (OSError, EOFError, zlib.error) as error:  # BadGzipFile is an OSError; EOFError: truncated
        raise BulkError(f"unreadable gzip: {type(error).__name__}: {error}") from None


def split_entries(lines: Iterable[str]) -> Iterator[str]:
    """Top-level entries of a BibTeX stream, each as written: a new one starts at a line
    beginning with ``@`` once the braces of the one before are closed (or its last line was ``}``)."""
    buffer: list[str] = []
    depth, last = 0, ""
    for line in lines:
        if line.startswith("@") and (depth <= 0 or last == "}"):
            if buffer:
                yield "".join(buffer)
            buffer, depth = [], 0
        if buffer or line.startswith("@"):
            buffer.append(line)
            depth += line.count("{") - line.count("}")
            if line.strip():
                last = line.strip()
    if buffer:
        yield "".join(buffer)


def entry_id(text: str) -> str | None:
    """The Anthology id an entry is for: from its ``url`` (``https://aclanthology.org/ID/``), else its DOI."""
    url = _URL_FIELD.search(text)
    if url:
        tail = url.group(1).rstrip("/").rsplit("/", 1)[-1]
        return tail[: -len(".pdf")] if tail.endswith(".pdf") else tail
    doi = _DOI_FIELD.search(text)
    return doi.group(1) if doi else None


def _wanted_entries(lines: Iterable[str], wanted: set[str]) -> Iterator[tuple[str, str]]:
    """(id, entry text) of the wanted ids, first entry of each; stops once all are found."""
    left = set(wanted)
    for text in split_entries(lines):
        ident = entry_id(text)
        if ident in left:
            left.discard(ident)
            yield ident, text.strip()
            if not left:
                return


# -- record -> entry ------------------------------------------------------------


# -- ACL Anthology ---------------------------------------------------------------


def from_acl(record: dict[str, Any]) -> Entry:
    """The Anthology's own entry, key and fields as it wrote them."""
    ident = record["id"]
    identity = {f"acl:{ident}"}
    if record["fields"].get("doi"):
        identity.add(f"doi:{record['fields']['doi'].lower()}")
    return Entry(
        key=record["key"],
        entry_type=record["entry_type"],
        fields=dict(record["fields"]),
        identity=frozenset(identity),
        origin="acl",
        macros=frozenset(record.get("macros", [])),
    )
