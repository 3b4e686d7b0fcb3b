"""The BibTeX writer's chunking and the key rules that keep every key unique."""

from __future__ import annotations

import bibtexparser
import pytest

from tridentbib.keys import KeyStore, assign_keys
from tridentbib.model import Entry
from tridentbib.writers import bibtex


def entries(n: int) -> list[Entry]:
    return [Entry(f"key{i}", "misc", {"title": f"Title {i}", "author": "Lee, Hung-yi", "month": "jan"}) for i in range(n)]


def test_writing_in_chunks_gives_the_same_file_as_one_library(monkeypatch: pytest.MonkeyPatch):
    chunked = bibtex.format_bibtex(entries(1203), preamble="@preamble{\"x\"}\n\n")
    monkeypatch.setattr(bibtex, "CHUNK", 10**9)
    whole = bibtex.format_bibtex(entries(1203), preamble="@preamble{\"x\"}\n\n")
    assert chunked == whole
    library = bibtexparser.parse_string(chunked)
    assert len(library.entries) == 1203 and not library.failed_blocks


def test_clashing_preset_keys_get_a_suffix_instead_of_breaking_the_file():
    first = Entry("lu-etal-2024-make", "inproceedings", {"title": "A"}, frozenset({"acl:2024.acl-long.589"}))
    second = Entry("lu-etal-2024-make", "inproceedings", {"title": "B"}, frozenset({"acl:2024.acl-long.590"}))
    fresh = Entry("", "misc", {"title": "Make it so", "author": "Lu, Ann", "year": "2024"}, frozenset({"arxiv:2401.00001"}))
    assign_keys([first, second, fresh], KeyStore(None))
    assert [first.key, second.key, fresh.key] == ["lu-etal-2024-make", "lu-etal-2024-makeb", "lu2024make"]
    text = bibtex.format_bibtex([first, second, fresh])
    assert [e.key for e in bibtexparser.parse_string(text).entries] == ["lu-etal-2024-make", "lu-etal-2024-makeb", "lu2024make"]
