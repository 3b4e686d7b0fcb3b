"""Readable, deterministic, stable cite keys: ``surname + year + first significant title word``.

``wang2023neural`` for Wang et al. 2023, "Neural Codec Language Models ...". A key
once given to a work is remembered in ``cache/keys.json`` (identity -> key, by
:mod:`tridentbib.store.keys`), so a later run keeps it even when the metadata changes. Collisions get suffixes ``b``,
``c``, ... in the order of the works' identities, which does not depend on the
order of the list.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Mapping

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


def assign_keys(entries: list[Entry], known: Mapping[str, str]) -> dict[str, str]:
    """Give every entry without a key a unique one; returns identity -> key for new assignments.

    Entries that already have a key (a maintainer's citation block, the Anthology's
    own key) keep it; when two such keys clash, the later entry gets a suffix. A work
    ``known`` gives a key (identity -> key, from :class:`~tridentbib.store.keys.KeyStore`)
    gets that key back. In place: each entry's ``key`` is set.
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
            key = known.get(ident)
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
