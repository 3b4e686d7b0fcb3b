"""The on-disk cache: one pretty-printed JSON file per record, e.g. ``cache/arxiv/2301.02111.json``.

The cache is user data. So every file is written atomically (temp file in the same
directory, fsync, ``os.replace``): a concurrent run or a kill never leaves half a
file, and two runs writing the same record simply replace one complete file with
another. A file that cannot be read (bad JSON, wrong schema, empty) is moved aside
to ``*.corrupt`` and treated as absent, so it is fetched again instead of crashing
the run. File names come only from ids that passed their service's grammar, are
percent-encoded, and are checked to stay inside the cache directory. Records keyed
by free text (a title searched for) are named by a hash of that text instead
(``cache/arxiv-search/<sha256>.json``): any title gives a short, safe, stable name,
and the text itself stays readable as the file's ``id``.

:class:`DryRunCache` is the cache a ``--dry-run`` uses: it reads the real cache and
keeps new answers in memory, so a preview writes nothing.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import stat
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import quote, unquote

from tridentbib.catalog import FREE_TEXT_FOLDERS, KEPT_WHOLE_FOLDERS, RECORD_FOLDERS
from tridentbib.model import Record
from tridentbib.timestamps import (  # re-exported: cache files carry them
    age_days as age_days,
)
from tridentbib.timestamps import utc_now as utc_now

logger = logging.getLogger(__name__)

SCHEMA = 1
#: record folders, free-text folders and folders of files kept whole: one table, :mod:`tridentbib.catalog`
SERVICES = RECORD_FOLDERS
FREE_TEXT_SERVICES = FREE_TEXT_FOLDERS
BULK_FOLDERS = KEPT_WHOLE_FOLDERS
_BULK_NAME = re.compile(r"[A-Za-z0-9_~+-][A-Za-z0-9_.~+-]*")

#: ids that percent-encoding leaves as they are (most arXiv, ACL and OpenReview ids)
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~-]+")
#: longest file name made from an id; a longer encoding is hashed like free text
_MAX_NAME = 200


class CacheError(Exception):
    """The cache directory cannot be used at all (not a directory, not writable)."""


@dataclass(frozen=True)
class NotFound:
    """A cached negative answer: the service said it has no such paper."""

    service: str
    id: str
    reason: str
    fetched_at: str


def text_hash(text: str) -> str:
    """The file name stem for a record keyed by free text: SHA-256 of its UTF-8 (lone surrogates kept)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def write_atomically(path: Path, text: str | Sequence[str], mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` in one step; readers see the old or the new file, never half.

    ``mode`` defaults to what a plain ``open(path, "w")`` would give (the existing
    file's mode, or 0o666 minus the umask), so the temp file's private 0600 never leaks.
    Like a plain write, a symlink is written through (the link is kept, its target
    replaced), and something that is not a regular file (``/dev/stdout``, a FIFO) is
    written to directly, never replaced. ``text`` may come in consecutive pieces.
    """
    pieces = [text] if isinstance(text, str) else text
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(pieces)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.stat() if path.is_file() else None
    if mode is None:
        mode = existing.st_mode & 0o7777 if existing is not None else _default_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for piece in pieces:
                for start in range(0, len(piece), _SLICE):  # encoded a slice at a time, not all at once
                    handle.write(piece[start : start + _SLICE])
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if existing is not None and (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
            try:  # keep the owner a plain write would have kept (possible for root, or the group for members)
                os.chown(tmp, existing.st_uid, existing.st_gid)
            except OSError:
                pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


#: characters encoded and written (or read and compared) at a time
_SLICE = 1 << 20


def holds_text(path: Path, text: str | Iterable[str]) -> bool:
    """Does the file at ``path`` hold exactly ``text`` (UTF-8; may come in pieces)? Compared a slice at a time.

    A run whose output would not change leaves the file alone (its mtime too), and
    never needs the old text in memory beside the new. Pieces are consumed as they
    come, up to the first difference.
    """
    pieces = [text] if isinstance(text, str) else text
    try:
        found = os.stat(path)
        # only a regular file is read: /dev/stdout or a FIFO as the output would block or lose data
        if not stat.S_ISREG(found.st_mode) or (
            isinstance(text, str) and found.st_size < len(text)
        ):  # a byte per character at least
            return False
        with open(path, "rb") as handle:
            for piece in pieces:
                for start in range(0, len(piece), _SLICE):
                    expected = piece[start : start + _SLICE].encode("utf-8")
                    if handle.read(len(expected)) != expected:
                        return False
            return handle.read(1) == b""
    except (OSError, UnicodeEncodeError):
        return False


def _default_mode() -> int:
    """0o666 minus the umask, read without changing it (``os.umask`` would race with other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        umask = os.umask(0o077)  # the most private value while it is briefly changed
        os.umask(umask)
    return 0o666 & ~umask


_UMASK_LOCK = threading.Lock()


class DiskCache:
    """Records by (service, id) under one directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise CacheError(f"cache directory {self.root} exists and is not a directory")
        #: (path, problem) of every unreadable file met in this run, for the report
        self.corrupt: list[tuple[str, str]] = []

    # -- paths -----------------------------------------------------------------
    def path_for(self, service: str, ident: str) -> Path:
        """The file of one record: ValueError for an id that could escape the cache, CacheError for a planted link."""
        path = Path(self._file_name(service, ident))
        # The name holds no "/" and does not start with ".", so only a symlinked file can lead
        # elsewhere; resolving walks every path component, so it is done for symlinks only.
        if path.is_symlink():
            self._check_link(path)
        return path

    def _file_name(self, service: str, ident: str) -> str:
        """``root/service/<percent-encoded id>.json``, as a string: a warm run makes thousands."""
        if service not in SERVICES:
            raise ValueError(f"unknown cache service {service!r}")
        if not ident or not isinstance(ident, str):
            raise ValueError(f"refusing to make a cache file name from id {ident!r}")
        if service in FREE_TEXT_SERVICES:
            return os.path.join(self.root, service, text_hash(ident) + ".json")
        name = ident if _PLAIN_ID.fullmatch(ident) else quote(ident, safe="")
        if len(name) > _MAX_NAME:
            name = text_hash(ident)
        if name.startswith(".") or "\x00" in ident:
            raise ValueError(f"refusing to make a cache file name from id {ident!r}")
        return os.path.join(self.root, service, name + ".json")

    @staticmethod
    def _check_link(path: Path) -> None:
        base = path.parent.resolve()
        if path.resolve().parent != base:
            raise CacheError(f"cache file {path} is a link that leads out of {base}")

    # -- reading -----------------------------------------------------------------
    def has_folder(self, service: str) -> bool:
        """Has any record of ``service`` ever been written here? (one stat instead of thousands of misses)"""
        return os.path.isdir(os.path.join(self.root, service))

    def get(self, service: str, ident: str) -> Record | NotFound | None:
        """The cached answer for one id, or None when absent (or unreadable, which is reported)."""
        name = self._file_name(service, ident)
        try:
            try:
                data, seen = _read(name, follow=False)
            except _Symlink:
                self._check_link(Path(name))
                data, seen = _read(name, follow=True)
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            raise CacheError(f"cache folder {os.path.dirname(name)} exists and is not a directory") from None
        except OSError as error:  # a directory or an unreadable file where the record should be
            self._set_aside(Path(name), f"unreadable: {error.strerror or error}", None)
            return None
        try:
            return _decode(data.decode("utf-8"), service, ident)
        except UnicodeDecodeError:
            self._set_aside(Path(name), "not UTF-8", seen)
        except ValueError as error:
            self._set_aside(Path(name), str(error), seen)
        return None

    def _set_aside(self, path: Path, problem: str, seen: os.stat_result | None) -> None:
        """Move a bad cache file out of the way (kept for inspection) and remember why.

        Only the very file that was read is moved: when a concurrent run has meanwhile
        replaced it with a good record (``os.replace`` makes a new inode), that one stays.
        """
        try:
            now = os.stat(path)
        except OSError:
            return
        if seen is not None and (now.st_ino, now.st_dev) != (seen.st_ino, seen.st_dev):
            return
        self.corrupt.append((str(path), problem))
        logger.warning("cache file %s is corrupt (%s); moved aside and fetching again", path, problem)
        try:
            os.replace(path, path.with_name(path.name + ".corrupt"))
        except OSError:
            pass

    # -- writing -----------------------------------------------------------------
    def put(self, record: Record) -> None:
        """Store a found record."""
        payload = {
            "schema": SCHEMA,
            "service": record.service,
            "id": record.id,
            "status": "found",
            "fetched_at": record.fetched_at,
            "request": record.request,
            "record": record.data,
        }
        self._write(record.service, record.id, payload)

    def put_not_found(self, missing: NotFound) -> None:
        """Store a negative answer, so a warm run does not ask again (``--refresh`` does)."""
        payload = {
            "schema": SCHEMA,
            "service": missing.service,
            "id": missing.id,
            "status": "not_found",
            "fetched_at": missing.fetched_at,
            "reason": missing.reason,
        }
        self._write(missing.service, missing.id, payload)

    def _write(self, service: str, ident: str, payload: dict[str, Any]) -> None:
        text = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        path = self.path_for(service, ident)
        try:
            write_atomically(path, text)
        except OSError as error:  # disk full, read-only, a directory in the way: the cache is unusable
            raise CacheError(f"cannot write cache file {path}: {error.strerror or error}") from None

    # -- files of their own (bulk exports) ---------------------------------------
    def bulk_path(self, folder: str, name: str) -> Path:
        """``root/folder/name``; the JSON header beside it is ``name + ".json"``."""
        if folder not in BULK_FOLDERS or not _BULK_NAME.fullmatch(name):
            raise ValueError(f"refusing bulk file {folder!r}/{name!r}")
        return self.root / folder / name

    def bulk_file(self, folder: str, name: str) -> tuple[Path, str] | None:
        """A stored bulk file and its ``fetched_at`` (from its header, written after the file), or None."""
        path = self.bulk_path(folder, name)
        try:
            header = json.loads(path.with_name(name + ".json").read_text(encoding="utf-8"))
            if header.get("schema") != SCHEMA or not isinstance(header.get("fetched_at"), str):
                raise ValueError("not a tridentbib bulk header")
            if path.is_symlink() or path.stat().st_size != header.get("bytes"):
                raise ValueError("file does not match its header")
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            self.set_aside_bulk_file(folder, name, str(error))
            return None
        return path, header["fetched_at"]

    def put_bulk_file(self, folder: str, name: str, content: bytes, request: str) -> tuple[Path, str]:
        """Store a bulk file, then its header (``fetched_at``, size, SHA-256), each atomically."""
        path, fetched_at = self.bulk_path(folder, name), utc_now()
        header = {"schema": SCHEMA, "fetched_at": fetched_at, "request": request, "bytes": len(content)}
        header["sha256"] = hashlib.sha256(content).hexdigest()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, _default_mode())
            os.replace(tmp, path)
            write_atomically(path.with_name(name + ".json"), json.dumps(header, indent=2) + "\n")
        except OSError as error:
            raise CacheError(f"cannot write cache file {path}: {error.strerror or error}") from None
        return path, fetched_at

    def set_aside_bulk_file(self, folder: str, name: str, problem: str) -> None:
        """Move an unusable bulk file and its header to ``*.corrupt`` (reported like a corrupt record)."""
        path = self.bulk_path(folder, name)
        self.corrupt.append((str(path), problem))
        logger.warning("cache file %s is corrupt (%s); moved aside", path, problem)
        for each in (path.with_name(name + ".json"), path):
            try:
                os.replace(each, each.with_name(each.name + ".corrupt"))
            except OSError:
                pass

    # -- listing -----------------------------------------------------------------
    def files(self, service: str | None = None) -> Iterator[tuple[str, str, Path]]:
        """(service, id, path) of every record file, in a stable order.

        The id is the one the file name spells; for a hashed name (free text) it is the
        hash, and the file's own ``id`` field holds the text (see :meth:`name_matches`).
        """
        for name in [service] if service else SERVICES:
            folder = self.root / name
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.json")):
                yield name, unquote(path.name[: -len(".json")]), path

    def name_matches(self, service: str, ident: str, path: Path) -> bool:
        """Is ``path`` the file this cache would use for ``ident``? (a hashed file's id, checked)"""
        try:
            return os.path.basename(self._file_name(service, ident)) == path.name
        except ValueError:
            return False


class DryRunCache(DiskCache):
    """Reads the real cache; keeps this run's answers in memory, so nothing is written."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._memory: dict[tuple[str, str], Record | NotFound] = {}
        self._bulk: dict[tuple[str, str], tuple[Path, str]] = {}
        self._scratch: tempfile.TemporaryDirectory[str] | None = None

    def get(self, service: str, ident: str) -> Record | NotFound | None:
        self.path_for(service, ident)  # same checks as a real write
        if (service, ident) in self._memory:
            return self._memory[(service, ident)]
        return super().get(service, ident)

    def has_folder(self, service: str) -> bool:
        return any(held == service for held, _ident in self._memory) or super().has_folder(service)

    def _set_aside(self, path: Path, problem: str, seen: object) -> None:
        """Report a corrupt file as a real run would, but leave it where it is."""
        self.corrupt.append((str(path), f"{problem}; left in place (dry run)"))

    def put_bulk_file(self, folder: str, name: str, content: bytes, request: str) -> tuple[Path, str]:
        """Kept in a temporary folder of this run's, so the real cache is not written."""
        self.bulk_path(folder, name)
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="tridentbib-dry-run-")
        path = Path(self._scratch.name) / name
        path.write_bytes(content)
        self._bulk[(folder, name)] = (path, utc_now())
        return self._bulk[(folder, name)]

    def bulk_file(self, folder: str, name: str) -> tuple[Path, str] | None:
        return self._bulk.get((folder, name)) or super().bulk_file(folder, name)

    def set_aside_bulk_file(self, folder: str, name: str, problem: str) -> None:
        self._bulk.pop((folder, name), None)
        self.corrupt.append((str(self.bulk_path(folder, name)), f"{problem}; left in place (dry run)"))

    def put(self, record: Record) -> None:
        self.path_for(record.service, record.id)
        self._memory[(record.service, record.id)] = record

    def put_not_found(self, missing: NotFound) -> None:
        self.path_for(missing.service, missing.id)
        self._memory[(missing.service, missing.id)] = missing


class _Symlink(Exception):
    """The file to read is a symbolic link; it is checked before it is followed."""


def _read(name: str, follow: bool) -> tuple[bytes, os.stat_result]:
    """A file's bytes and its stat, refusing to follow a final symlink unless told to.

    ``O_NOFOLLOW`` spares the common case, a plain file, a separate ``lstat``.
    """
    flags = os.O_RDONLY | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        handle = os.open(name, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow:
            raise _Symlink() from None
        raise
    try:
        seen = os.fstat(handle)
        if stat.S_ISDIR(seen.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
        # One read of the size fstat gave, plus a byte to see the end (cache files are
        # replaced whole, never appended to); a file that grew meanwhile is read to its end.
        data = os.read(handle, seen.st_size + 1)
        if len(data) > seen.st_size:
            rest = [data]
            while chunk := os.read(handle, 1 << 16):
                rest.append(chunk)
            data = b"".join(rest)
        return data, seen
    finally:
        os.close(handle)


def _decode(text: str, service: str, ident: str) -> Record | NotFound:
    """Parse one cache file, checking its schema; ValueError says what is wrong."""
    if not text.strip():
        raise ValueError("empty file")
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"bad JSON: {error}") from None
    if not isinstance(payload, dict) or payload.get("schema") != SCHEMA:
        raise ValueError("not a tridentbib cache record (schema)")
    if payload.get("service") != service or payload.get("id") != ident:
        raise ValueError("record names another paper")
    if not isinstance(payload.get("fetched_at"), str):
        raise ValueError("missing fetched_at")
    if payload.get("status") == "not_found":
        return NotFound(service, ident, str(payload.get("reason", "")), payload["fetched_at"])
    if payload.get("status") != "found" or not isinstance(payload.get("record"), dict):
        raise ValueError("missing record")
    # A batch's records share one request URL (100 ids long) and timestamp: keep one copy of each.
    return Record(
        service,
        ident,
        payload["record"],
        sys.intern(payload["fetched_at"]),
        sys.intern(str(payload.get("request", ""))),
    )
