"""The BibTeX writer's chunking and the key rules that keep every key unique."""

from __future__ import annotations

import bibtexparser
import pytest

from tridentbib.model import Entry
from tridentbib.steps.keys import assign_keys
from tridentbib.store.keys import KeyStore
from tridentbib.writers import bibtex


def entries(n: int) -> list[Entry]:
    return [
        Entry(f"key{i}", "misc", {"title": f"Title {i}", "author": "Lee, Hung-yi", "month": "jan"}) for i in range(n)
    ]


def test_writing_in_chunks_gives_the_same_file_as_one_library(monkeypatch: pytest.MonkeyPatch):
    chunked = bibtex.format_bibtex(entries(1203), preamble='@preamble{"x"}\n\n')
    monkeypatch.setattr(bibtex, "CHUNK", 10**9)
    whole = bibtex.format_bibtex(entries(1203), preamble='@preamble{"x"}\n\n')
    assert chunked == whole
    library = bibtexparser.parse_string(chunked)
    assert len(library.entries) == 1203 and not library.failed_blocks


def test_clashing_preset_keys_get_a_suffix_instead_of_breaking_the_file():
    first = Entry("lu-etal-2024-make", "inproceedings", {"title": "A"}, frozenset({"acl:2024.acl-long.589"}))
    second = Entry("lu-etal-2024-make", "inproceedings", {"title": "B"}, frozenset({"acl:2024.acl-long.590"}))
    fresh = Entry(
        "", "misc", {"title": "Make it so", "author": "Lu, Ann", "year": "2024"}, frozenset({"arxiv:2401.00001"})
    )
    assign_keys([first, second, fresh], KeyStore(None).known)
    assert [first.key, second.key, fresh.key] == ["lu-etal-2024-make", "lu-etal-2024-makeb", "lu2024make"]
    text = bibtex.format_bibtex([first, second, fresh])
    assert [e.key for e in bibtexparser.parse_string(text).entries] == [
        "lu-etal-2024-make",
        "lu-etal-2024-makeb",
        "lu2024make",
    ]


def test_a_corrupt_keys_file_is_set_aside_and_reported(cli, api, workdir):
    from fakeapi.arxiv import ArxivPaper

    api.arxiv.add_paper(ArxivPaper("2101.00009", title="Stable Keys", authors=["Ada Lovelace"]))
    (workdir / "list.md").write_text("- https://arxiv.org/abs/2101.00009\n")
    (workdir / "cache").mkdir()
    (workdir / "cache" / "keys.json").write_text('{"schema": 1, "keys": {"arxiv:2101.0')
    result = cli("build", "list.md", "-o", "out.bib")
    assert result.exit_code == 0, result.stderr
    assert "keys.json could not be read" in result.stderr and "moved to keys.json.corrupt" in result.stderr
    assert (workdir / "cache" / "keys.json.corrupt").read_text().startswith('{"schema": 1')
    assert '"arxiv:2101.00009": "lovelace2021stable"' in (workdir / "cache" / "keys.json").read_text()


def test_the_summary_names_at_most_twenty_unsupported_lines(cli, api, workdir):
    rows = "".join(f"| 2024-01 | M{n} | Blog post {n} | [blog](https://example.org/{n}) |\n" for n in range(30))
    (workdir / "list.md").write_text("| Date | Model Name | Paper Title | Link |\n|---|---|---|---|\n" + rows)
    summary, *listed = cli("build", "list.md", "-o", "out.bib").stderr.splitlines()
    assert "30 paper links not resolved (listed below)" in summary
    assert [line.split(": ")[0] for line in listed[:20]] == [f"  list.md:{n}" for n in range(3, 23)]
    assert listed[20:] == [
        "  ... and 10 more paper links with no supported API (entries built from the list's text); see --report"
    ]


def test_saving_keys_the_file_already_holds_writes_nothing(tmp_path):
    path = tmp_path / "keys.json"
    KeyStore(path).save({"arxiv:2301.02111": "wang2023neural"})
    written = path.stat()
    store = KeyStore(path)
    store.save({"arxiv:2301.02111": "wang2023neural"})  # a warm run: nothing new
    store.save({})
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    store.save({"arxiv:2301.02112": "chen2023speech"})
    assert KeyStore(path).known == {"arxiv:2301.02111": "wang2023neural", "arxiv:2301.02112": "chen2023speech"}
