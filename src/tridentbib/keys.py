"""Readable, deterministic, stable cite keys: ``surname + year + first significant title word``.

``wang2023neural`` for Wang et al. 2023, "Neural Codec Language Models ...". A key
once given to a work is remembered in ``cache/keys.json`` (identity -> key), so a
later run keeps it even when the metadata changes. Collisions get suffixes ``b``,
``c``, ... in the order of the works' identities, which does not depend on the
order of the list.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

from tridentbib.cache import write_atomically
from tridentbib.latex import from_latex
from tridentbib.model import Entry
from tridentbib.names import parse_bibtex_names, surname_key

STOPWORDS = frozenset(
    "a an the on of for and in to with towards toward via from by at as is are be do does can what when how why "
    "into over under using use your our its it this that these those not no we you".split()
)


def base_key(entry: Entry) -> str:
    """The key a work gets before collisions are settled."""
    names = [n for n in parse_bibtex_names(entry.fields.get("author", "")) if n != "others"]
    author = surname_key(names[0]) if names else ""  # type: ignore[arg-type]
    year = entry.fields.get("year", "")
    year = year if year.isdigit() else ""
    word = first_word(entry.fields.get("title", ""))
    if not author:  # a row with no authors (a blog post): title word first, e.g. "ultravox2024"
        return f"{word or 'anon'}{year}"
    return f"{author}{year}{word}"


def first_word(latex_title: str) -> str:
    """The first title word that is not a stopword, ASCII lowercase letters and digits only."""
    plain = unicodedata.normalize("NFKD", from_latex(latex_title))
    words = re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode().lower())
    for word in words:
        if word not in STOPWORDS and not word.isdigit():
            return word
    return words[0] if words else ""


def primary_identity(entry: Entry) -> str:
    """The identity a key is remembered under: the most specific id the work has."""
    for prefix in ("arxiv:", "acl:", "openreview:", "doi:"):
        for ident in sorted(entry.identity):
            if ident.startswith(prefix):
                return ident
    return f"title:{base_key(entry)}"


class KeyStore:
    """``cache/keys.json``: the key each work was given, shared by runs using this cache."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        #: what was wrong with an unreadable keys.json (it is moved aside, not overwritten)
        self.problem = ""
        self.known: dict[str, str] = self._load()

    def _load(self) -> dict[str, str]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            keys = data["keys"]
            if not isinstance(keys, dict):
                raise ValueError("'keys' is not an object")
        except (OSError, ValueError, KeyError, TypeError) as error:
            self._set_aside(f"{type(error).__name__}: {error}")
            return {}
        return {str(k): str(v) for k, v in keys.items()}

    def _set_aside(self, problem: str) -> None:
        """Keep a corrupt keys.json for the user (it holds their keys) and start a new one."""
        assert self.path is not None
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            os.replace(self.path, aside)
        except OSError:
            pass
        self.problem = f"{self.path} could not be read ({problem}); moved to {aside.name}; keys were assigned afresh"

    def save(self, assigned: dict[str, str]) -> None:
        """Merge this run's keys into the file under a lock (concurrent runs see each other's keys)."""
        if self.path is None:
            return
        if all(self.known.get(ident) == key for ident, key in assigned.items()) and self.path.exists():
            return  # nothing new (the file only ever gains keys): no lock, no write
        from filelock import FileLock  # here: most warm runs never get this far

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock", timeout=60):
            current = KeyStore(self.path).known
            merged = {**current, **{k: v for k, v in assigned.items() if k not in current}}
            if merged == current and self.path.exists():
                return
            text = json.dumps({"schema": 1, "keys": dict(sorted(merged.items()))}, indent=2, ensure_ascii=False) + "\n"
            write_atomically(self.path, text)


def assign_keys(entries: list[Entry], store: KeyStore) -> dict[str, str]:
    """Give every entry without a key a unique one; returns identity -> key for new assignments.

    Entries that already have a key (a maintainer's citation block, the Anthology's
    own key) keep it; when two such keys clash, the later entry gets a suffix.
    """
    taken: set[str] = set()
    for entry in entries:
        if entry.key:
            entry.key = _unique(entry.key, taken)
            taken.add(entry.key)
    new: dict[str, str] = {}
    for entry in entries:
        if entry.key:
            continue
        for ident in sorted(entry.identity):
            key = store.known.get(ident)
            if key and key not in taken:
                entry.key = key
                taken.add(key)
                break
    waiting = sorted((e for e in entries if not e.key), key=primary_identity)
    for entry in waiting:
        entry.key = _unique(base_key(entry), taken)
        taken.add(entry.key)
        new[primary_identity(entry)] = entry.key
    return new


def _unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` + the first free suffix ``b``, ``c``, ..."""
    key, suffix = base, 0
    while key in taken:
        suffix += 1
        key = base + _suffix(suffix)
    return key


def _suffix(n: int) -> str:
    """1 -> "b", 2 -> "c", ..., 25 -> "z", 26 -> "ba"... (the bare key plays the role of "a")."""
    letters = ""
    while n:
        n, r = divmod(n, 26)
        letters = chr(ord("a") + r) + letters
    return letters
