"""DiskCache and write_atomically: paths that cannot leave the cache, atomic writes, corrupt files set aside."""

from __future__ import annotations

import json
import os
import random
import threading
from pathlib import Path

import pytest

from tridentbib.model import Record
from tridentbib.store.cache import SERVICES, CacheError, DiskCache, NotFound, _default_mode, write_atomically


def record(ident: str = "2301.00001", title: str = "A title") -> Record:
    return Record("arxiv", ident, {"id": ident, "title": title}, "2024-01-01T00:00:00Z", "http://x")


# ----------------------------------------------------------------------------- paths
HOSTILE_IDS = [
    "../../etc/passwd",
    "..",
    ".",
    "",
    "..%2f..%2fetc%2fpasswd",
    "a\x00b",
    "x" * 300,
    ".hidden",
    "/etc/passwd",
    "..\\..\\x",
    "%2e%2e/x",
    "\u202e..",
    "a/../../b",
]


@pytest.mark.parametrize("ident", HOSTILE_IDS)
def test_no_id_makes_a_path_outside_its_service_folder(tmp_path, ident):
    cache = DiskCache(tmp_path / "cache")
    try:
        path = cache.path_for("arxiv", ident)
    except ValueError:
        return
    assert path.parent == tmp_path / "cache" / "arxiv"
    assert "/" not in path.name and not path.name.startswith(".")


def test_random_ids_never_escape(tmp_path):
    cache = DiskCache(tmp_path / "cache")
    alphabet = "./\\%\x00:~-_aZ9\u00e9\u2215\uff0e"
    rng = random.Random(9)
    for _ in range(3000):
        ident = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        try:
            path = cache.path_for(rng.choice(SERVICES), ident)
        except ValueError:
            continue
        assert (
            path.parent.parent == tmp_path / "cache" and path.name.endswith(".json") and not path.name.startswith(".")
        )


def test_unknown_services_are_refused(tmp_path):
    for service in ("../arxiv", "", "arxiv/../..", "keys.json"):
        with pytest.raises(ValueError):
            DiskCache(tmp_path).path_for(service, "2301.00001")


def test_old_style_ids_are_percent_encoded_into_one_file(tmp_path):
    path = DiskCache(tmp_path).path_for("arxiv", "hep-th/9901001")
    assert path == tmp_path / "arxiv" / "hep-th%2F9901001.json"


def test_a_planted_link_out_of_the_cache_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("do not touch\n")
    (tmp_path / "cache" / "arxiv").mkdir(parents=True)
    (tmp_path / "cache" / "arxiv" / "2301.00001.json").symlink_to(outside)
    cache = DiskCache(tmp_path / "cache")
    with pytest.raises(CacheError, match="is a link that leads out of"):
        cache.get("arxiv", "2301.00001")
    with pytest.raises(CacheError):
        cache.put(record())
    assert outside.read_text() == "do not touch\n"


def test_a_link_to_a_file_in_the_same_folder_is_read(tmp_path):
    cache = DiskCache(tmp_path)
    cache.put(record())
    real = cache.path_for("arxiv", "2301.00001")
    real.rename(real.with_name("kept-by-hand.json"))
    real.symlink_to("kept-by-hand.json")
    found = cache.get("arxiv", "2301.00001")
    assert found is not None and found.data == record().data


def test_a_file_where_a_folder_should_be_is_a_cache_error(tmp_path):
    (tmp_path / "arxiv").write_text("not a folder")
    cache = DiskCache(tmp_path)
    with pytest.raises(CacheError, match="exists and is not a directory"):
        cache.get("arxiv", "2301.00001")
    with pytest.raises(CacheError, match="cannot write cache file"):
        cache.put(record())
    with pytest.raises(CacheError):
        DiskCache(tmp_path / "arxiv")


# ----------------------------------------------------------------------------- corrupt files
def corrupt(cache: DiskCache, ident: str, data: bytes) -> Path:
    path = cache.path_for("arxiv", ident)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b'{"schema": 1, "service": "arxiv", "id": "2301.00001", "status": "fo', "bad JSON"),
        (b'{"schema": 2, "service": "arxiv", "id": "2301.00001"}', "schema"),
        (b"null", "schema"),
        (
            b'{"schema": 1, "service": "arxiv", "id": "2301.00009", "status": "found", "fetched_at": "2024-01-01T00:00:00Z", "record": {}}',
            "record names another paper",
        ),
        (
            b'{"schema": 1, "service": "arxiv", "id": "2301.00001", "status": "found", "fetched_at": 5, "record": {}}',
            "missing fetched_at",
        ),
        (
            b'{"schema": 1, "service": "arxiv", "id": "2301.00001", "status": "found", "fetched_at": "2024-01-01T00:00:00Z", "record": []}',
            "missing record",
        ),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_an_unreadable_file_is_set_aside_and_reported(tmp_path, data, problem):
    cache = DiskCache(tmp_path)
    path = corrupt(cache, "2301.00001", data)
    assert cache.get("arxiv", "2301.00001") is None
    assert not path.exists()
    assert path.with_name(path.name + ".corrupt").read_bytes() == data
    ((where, why),) = cache.corrupt
    assert where == str(path) and problem in why
    cache.put(record())  # fetched again: a good file in its place
    assert cache.get("arxiv", "2301.00001") == record()


def test_a_file_replaced_meanwhile_by_another_run_is_not_set_aside(tmp_path):
    cache = DiskCache(tmp_path)
    path = corrupt(cache, "2301.00001", b"{broken")
    seen = os.stat(path)
    DiskCache(tmp_path).put(record())  # another run writes a good record (a new inode)
    cache._set_aside(path, "bad JSON", seen)
    assert cache.get("arxiv", "2301.00001") == record()
    assert cache.corrupt == [] and not path.with_name(path.name + ".corrupt").exists()


def test_not_found_answers_round_trip(tmp_path):
    cache = DiskCache(tmp_path)
    missing = NotFound("arxiv", "2301.00002", "arXiv has no paper with this id", "2024-01-01T00:00:00Z")
    cache.put_not_found(missing)
    assert cache.get("arxiv", "2301.00002") == missing


# ----------------------------------------------------------------------------- atomic writes
def test_concurrent_writers_and_readers_only_ever_see_whole_files(tmp_path):
    caches = [DiskCache(tmp_path) for _ in range(4)]
    caches[0].put(record(title="start"))
    stop = threading.Event()
    problems: list[str] = []

    def writer(n: int) -> None:
        for i in range(60):
            caches[n].put(record(title=f"writer {n} pass {i} " + "x" * random.randint(0, 5000)))

    def reader() -> None:
        path = caches[0].path_for("arxiv", "2301.00001")
        while not stop.is_set():
            try:
                json.loads(path.read_text())
            except ValueError as error:
                problems.append(str(error))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    watcher.join()
    assert problems == []
    assert sorted(p.name for p in (tmp_path / "arxiv").iterdir()) == ["2301.00001.json"]  # no temp file left


def test_the_mode_is_what_a_plain_write_gives(tmp_path):
    old = os.umask(0o027)
    try:
        assert _default_mode() == 0o640
        write_atomically(tmp_path / "new.txt", "x")
        assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
    existing = tmp_path / "existing.txt"
    existing.write_text("old")
    existing.chmod(0o604)
    write_atomically(existing, "new")
    assert existing.read_text() == "new" and existing.stat().st_mode & 0o777 == 0o604


def test_reading_the_umask_does_not_change_it_under_other_threads(monkeypatch):
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc: the fallback changes the umask briefly, under a lock")
    monkeypatch.setattr(os, "umask", lambda *_: pytest.fail("os.umask called"))
    assert 0 <= _default_mode() <= 0o666


def test_a_symlink_is_written_through(tmp_path):
    target = tmp_path / "real" / "refs.bib"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "refs.bib"
    link.symlink_to(target)
    write_atomically(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_a_fifo_is_written_to_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_atomically(fifo, "through the pipe\n")
    reader.join(timeout=5)
    assert received == ["through the pipe\n"]
    assert fifo.is_fifo()


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "out.bib"
    path.write_text("good")

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_atomically(path, "new and longer")
    assert path.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bib"]


def test_a_file_longer_than_its_stat_said_is_read_to_its_end():
    # /proc files report a size of 0 and still have content: the read must not stop at the stat's size
    from tridentbib.store.cache import _read

    data, seen = _read("/proc/self/status", follow=False)
    assert seen.st_size == 0 and b"\nPid:" in data and data.endswith(b"\n")


def test_has_folder_says_whether_a_service_ever_stored_anything(tmp_path):
    cache = DiskCache(tmp_path)
    assert not cache.has_folder("arxiv")
    cache.put(record())
    assert cache.has_folder("arxiv") and not cache.has_folder("dblp")


def test_holds_text_compares_the_whole_file_a_slice_at_a_time(tmp_path, monkeypatch):
    import tridentbib.store.cache as cache_module
    from tridentbib.store.cache import holds_text

    monkeypatch.setattr(cache_module, "_SLICE", 7)  # many slices, some ending inside a multi-byte letter's neighbours
    text = "@misc{k,\n  title = {Zoë and Łukasz — ✓}\n}\n" * 5
    path = tmp_path / "out.bib"
    path.write_text(text, encoding="utf-8")
    assert holds_text(path, text)
    assert not holds_text(path, text[:-1])  # the file is longer
    assert not holds_text(path, text + "x")  # the file is shorter
    assert not holds_text(path, text.replace("Zoë", "Zoe"))
    assert not holds_text(tmp_path / "missing.bib", text)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert not holds_text(fifo, text)  # never opened: reading a FIFO would block


def test_holds_text_takes_pieces_as_they_come_and_stops_at_the_first_difference(tmp_path):
    from tridentbib.store.cache import holds_text

    path = tmp_path / "out.bib"
    path.write_text("one\ntwo\nthree\n", encoding="utf-8")
    made: list[str] = []

    def pieces(*texts: str):
        for text in texts:
            made.append(text)
            yield text

    assert holds_text(path, pieces("one\n", "two\n", "three\n"))
    made.clear()
    assert not holds_text(path, pieces("one\n", "TWO\n", "three\n"))
    assert made == ["one\n", "TWO\n"]  # the third piece was never made
    assert not holds_text(path, pieces("one\n", "two\n"))  # the file goes on
