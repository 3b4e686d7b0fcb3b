"""``tridentbib cache stats`` and ``tridentbib cache prune``: look after the on-disk cache.

Only record files (``<cache>/<service>/*.json``) and files kept whole beside them
(:data:`~tridentbib.store.cache.BULK_FOLDERS`: the ACL export, PMLR volume
bibliographies, NeurIPS year indexes, each with its JSON header) are ever deleted,
by the same rules, plus temporary files a killed run left behind (and a kept file
whose header never got written). ``keys.json`` (the keys works were given), its
lock, and ``*.corrupt`` files kept for inspection are never touched.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from tridentbib.model import ListDocument
from tridentbib.store.cache import BULK_FOLDERS, SERVICES, DiskCache, DryRunCache, age_days

#: a temporary file older than this is left over from a killed run
STALE_TEMP_SECONDS = 3600


@dataclass(frozen=True)
class CachedFile:
    """One record file and what its header says."""

    service: str
    id: str
    path: Path
    size: int
    status: str  #: "found", "not_found" or "unreadable"
    fetched_at: str = ""

    @property
    def age(self) -> float | None:
        """Days since the record was fetched (None when unknown)."""
        try:
            return age_days(self.fetched_at) if self.fetched_at else None
        except ValueError:
            return None


def scan(root: Path) -> Iterator[CachedFile]:
    """Every record file of the cache, read only as far as its header (never moved or repaired)."""
    cache = DiskCache(root)
    for service, ident, path in cache.files():
        try:
            size = path.stat().st_size
            payload = json.loads(path.read_text(encoding="utf-8"))
            status = str(payload.get("status", "unreadable")) if isinstance(payload, dict) else "unreadable"
            fetched = str(payload.get("fetched_at", "")) if isinstance(payload, dict) else ""
        except (OSError, ValueError):
            yield CachedFile(service, ident, path, _size(path), "unreadable")
            continue
        named = payload.get("id")
        if isinstance(named, str) and named != ident and cache.name_matches(service, named, path):
            ident = named  # a hashed file name: the text it was made from
        yield CachedFile(
            service, ident, path, size, status if status in ("found", "not_found") else "unreadable", fetched
        )


def bulk_files(root: Path) -> Iterator[CachedFile]:
    """Every file kept whole (``cache/acl-bulk/``, ``cache/pmlr-volume/``, ``cache/neurips-index/``),
    one per JSON header beside it."""
    for folder in BULK_FOLDERS:
        for header in sorted((root / folder).glob("*.json")) if (root / folder).is_dir() else []:
            kept = header.with_name(header.name[: -len(".json")])
            try:
                fetched = str(json.loads(header.read_text(encoding="utf-8")).get("fetched_at", ""))
                status = "found" if kept.is_file() else "unreadable"
            except (OSError, ValueError, AttributeError):
                fetched, status = "", "unreadable"
            yield CachedFile(folder, kept.name, kept, _size(kept) + _size(header), status, fetched)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def leftovers(root: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Temporary files (``.NAME.json.XXXX.tmp``) of runs that were killed mid-write.

    In the folders of files kept whole, also a file whose JSON header was never
    written (a kill between the two): no run reads it.
    """
    found = []
    now = time.time()
    for service in (*SERVICES, *BULK_FOLDERS):
        folder = root / service
        if not folder.is_dir():
            continue
        candidates = list(folder.glob(".*.tmp"))
        if service in BULK_FOLDERS:
            candidates += [
                path
                for path in folder.iterdir()
                if not path.name.startswith(".")
                and not path.name.endswith((".json", ".corrupt"))
                and not path.with_name(path.name + ".json").exists()
            ]
        for path in candidates:
            try:
                if now - path.stat().st_mtime > older_than and path.is_file():
                    found.append(path)
            except OSError:
                pass
    return sorted(found)


# -- stats ----------------------------------------------------------------------------


@dataclass
class ServiceStats:
    """Totals of one cache folder."""

    records: int = 0
    not_found: int = 0
    unreadable: int = 0
    size: int = 0
    oldest: float | None = None
    newest: float | None = None

    def add(self, item: CachedFile) -> None:
        if item.status == "found":
            self.records += 1
        elif item.status == "not_found":
            self.not_found += 1
        else:
            self.unreadable += 1
        self.size += item.size
        age = item.age
        if age is not None:
            self.oldest = age if self.oldest is None else max(self.oldest, age)
            self.newest = age if self.newest is None else min(self.newest, age)


def stats(root: Path) -> tuple[dict[str, ServiceStats], int, int]:
    """Per-service totals, the number of remembered keys and of ``*.corrupt`` files."""
    per_service: dict[str, ServiceStats] = {}
    for item in scan(root):
        per_service.setdefault(item.service, ServiceStats()).add(item)
    for item in bulk_files(root):
        per_service.setdefault(item.service, ServiceStats()).add(item)
    keys = 0
    try:
        data = json.loads((root / "keys.json").read_text(encoding="utf-8"))
        keys = len(data.get("keys", {})) if isinstance(data, dict) else 0
    except (OSError, ValueError):
        pass
    corrupt = sum(
        1
        for service in (*SERVICES, *BULK_FOLDERS)
        if (root / service).is_dir()
        for path in (root / service).glob("*.corrupt")
        if not path.name.endswith(".json.corrupt") or service not in BULK_FOLDERS  # a kept file's header: one with it
    )
    return per_service, keys, corrupt


def stats_lines(root: Path) -> list[str]:
    """``cache stats`` output: one row per service and a total."""
    if not root.is_dir():
        return [f"cache {root}: empty (no such directory)"]
    per_service, keys, corrupt = stats(root)
    header = f"{'service':<14}{'records':>9}{'not found':>11}{'size':>11}{'oldest':>10}{'newest':>10}"
    lines = [f"cache {root}", header]
    total = ServiceStats()
    for service in [s for s in (*SERVICES, *BULK_FOLDERS) if s in per_service]:
        row = per_service[service]
        lines.append(_row(service, row))
        total.records += row.records
        total.not_found += row.not_found
        total.unreadable += row.unreadable
        total.size += row.size
        for age in (row.oldest, row.newest):
            if age is not None:
                total.oldest = age if total.oldest is None else max(total.oldest, age)
                total.newest = age if total.newest is None else min(total.newest, age)
    lines.append(_row("total", total))
    notes = [f"keys.json: {keys} remembered keys"]
    if total.unreadable:
        notes.append(f"{total.unreadable} unreadable record file(s)")
    if corrupt:
        notes.append(f"{corrupt} *.corrupt file(s) set aside")
    lines.append("; ".join(notes))
    return lines


def _row(name: str, row: ServiceStats) -> str:
    return (
        f"{name:<14}{row.records:>9}{row.not_found:>11}{human_size(row.size):>11}"
        f"{_age(row.oldest):>10}{_age(row.newest):>10}"
    )


def _age(days: float | None) -> str:
    if days is None:
        return "-"
    if days < 1:
        return f"{days * 24:.1f} h"
    return f"{days:.1f} d"


def human_size(size: int) -> str:
    """``532 B``, ``48.2 kB``, ``3.1 MB``."""
    if size < 1000:
        return f"{size} B"
    if size < 1000**2:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000**2:.1f} MB"


# -- prune ------------------------------------------------------------------------------


def referenced(documents: Iterable[ListDocument], root: Path | None = None) -> set[tuple[str, str]]:
    """(cache folder, id or kept file's name) of everything a build of ``documents`` reads (the answer ``build`` uses).

    With ``root``, the cache's title-route decisions are read (never moved, even when
    unreadable) for the records they applied.
    """
    from tridentbib.lookup import toc
    from tridentbib.lookup.needs import what_lists_need

    documents = list(documents)
    cache = DryRunCache(root) if root is not None and root.is_dir() else None
    return what_lists_need(documents).cache_records(cache) | toc.cache_records(documents)


@dataclass
class PrunePlan:
    """What ``cache prune`` drops, and why."""

    drop: list[tuple[CachedFile, str]] = field(default_factory=list)
    kept: int = 0
    temp_files: list[Path] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(item.size for item, _ in self.drop)


def plan_prune(root: Path, documents: list[ListDocument] | None, older_than: float | None) -> PrunePlan:
    """Records and kept files not referenced by ``documents`` (when given) or older than ``older_than`` days."""
    refs = referenced(documents, root) if documents is not None else None
    plan = PrunePlan(temp_files=leftovers(root))
    for item in (*scan(root), *bulk_files(root)):
        reason = ""
        if refs is not None and (item.service, item.id) not in refs:  # every folder's files belong to list links
            reason = "not used by the lists"
        elif older_than is not None and item.age is not None and item.age > older_than:
            reason = f"fetched {item.age:.0f} days ago"
        if reason:
            plan.drop.append((item, reason))
        else:
            plan.kept += 1
    return plan


def apply_prune(plan: PrunePlan) -> None:
    """Delete what the plan drops (a file already gone is fine); a kept file's header goes first, then the file."""
    for item, _reason in plan.drop:
        if item.service in BULK_FOLDERS:
            _unlink(item.path.with_name(item.path.name + ".json"))
        _unlink(item.path)
    for path in plan.temp_files:
        _unlink(path)


def _unlink(path: Path) -> None:
    if path.name == "keys.json":  # never, whatever a caller passes
        return
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def prune_lines(plan: PrunePlan, dry_run: bool) -> list[str]:
    """``cache prune`` output: every record dropped (with --dry-run) and the totals."""
    verb = "would drop" if dry_run else "dropped"
    per_service: dict[str, int] = {}
    for item, _ in plan.drop:
        per_service[item.service] = per_service.get(item.service, 0) + 1
    by_service = ", ".join(f"{service} {n}" for service, n in per_service.items())
    lines: list[str] = []
    if dry_run:
        lines += [f"  {item.service} {item.id}: {reason}" for item, reason in plan.drop]
    lines.append(
        f"tridentbib: {verb} {len(plan.drop)} records"
        + (f" ({by_service})" if by_service else "")
        + f", {human_size(plan.size)}; kept {plan.kept}"
    )
    if plan.temp_files:
        lines.append(f"tridentbib: {verb} {len(plan.temp_files)} temporary file(s) left by interrupted runs")
    return lines
