"""Records keyed by free text (an arXiv title search) are named by a hash; any title, however long, works."""

from __future__ import annotations

import hashlib
import json

from test_hostile_input import assert_clean_exit

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.openreview import make_v2_note
from tridentbib.store.cache import DiskCache, NotFound, utc_now

#: a bullet whose "title" is the whole paragraph: title, eight authors, venue (the shape that crashed)
LONG_BULLET = (
    "- **Tracing Information Flow Through Demonstrations, Label Words, Anchors, Calibration and Retrieval "
    "for Learning in Context: What Large Language Models Read When They Read Their Prompt, and Why It Matters So Much to Everyone Who Writes Prompts** "
    "Ana Quill, Bram Osei, Cai Lindqvist, Dara Mbeki, Eli Novak, Fen Tamura, Gus Okafor, Hana Petrov. "
    "Proceedings of a Large Conference on Methods in Natural Language Processing, 2023. "
    "[[pdf](https://openreview.net/forum?id=L0ngT1tle1)]\n"
)


def test_a_long_item_title_is_searched_and_cached_under_a_hash(cli, api, workdir):
    api.openreview.rate_limited = True  # the paper's own service will not answer: the twin search runs
    write(workdir / "l.md", LONG_BULLET)
    result = cli("build", "l.md", "-o", "out.bib")
    assert_clean_exit(result, 1)
    (path,) = (workdir / "cache" / "arxiv-search").glob("*.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    query = payload["id"]  # the text stays readable inside the file
    assert query.startswith("tracing information flow through demonstrations label words")
    assert len(query) > 200  # longer than any file name may be
    assert path.name == hashlib.sha256(query.encode()).hexdigest() + ".json"
    assert payload["status"] == "not_found"
    # offline, the cached answer is read back by its hashed name: no request at all
    api.clear_log()
    again = cli("build", "l.md", "-o", "out.bib", "--offline")
    assert_clean_exit(again, 1)
    assert api.requests() == []


def test_a_long_title_finds_its_arxiv_twin(cli, api, workdir):
    title = "A " + " ".join(f"word{n}" for n in range(60))  # 400 characters of title
    api.openreview.rate_limited = True
    api.arxiv.add_paper(ArxivPaper("2410.04380", title=title, authors=["Yuto Nishimura"]))
    api.openreview.add_v2(make_v2_note("L0ngT1tle2", title, ["Yuto Nishimura"]))
    write(
        workdir / "l.md",
        f"| Date | Paper Title | Link |\n|---|---|---|\n| 2024-10 | {title} | [paper](https://openreview.net/forum?id=L0ngT1tle2) |\n",
    )
    result = cli("build", "l.md", "-o", "out.bib")
    assert result.exit_code == 0, result.output
    assert "eprint = {2410.04380}" in (workdir / "out.bib").read_text(encoding="utf-8")


def test_prune_reads_the_text_of_a_hashed_record(cli, api, workdir):
    api.openreview.rate_limited = True
    write(workdir / "l.md", LONG_BULLET)
    cli("build", "l.md", "-o", "out.bib")  # caches the twin search's answer under the hash of the list's title
    DiskCache(workdir / "cache").put_not_found(
        NotFound("arxiv-search", "a title no list has", "no arXiv paper has exactly this title", utc_now())
    )
    preview = cli("cache", "prune", "l.md", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "  arxiv-search a title no list has: not used by the lists" in preview.stdout
    assert "would drop 1 records (arxiv-search 1)" in preview.stdout


def test_any_text_gives_a_short_safe_name(tmp_path):
    cache = DiskCache(tmp_path)
    for text in ("x" * 10_000, "../../etc/passwd", ".hidden", "a\x00b", "日本語のタイトル", "tab\tand\nnewline"):
        name = cache.path_for("arxiv-search", text).name
        assert len(name) == 64 + len(".json") and name[0] != "."
        cache.put_not_found(NotFound("arxiv-search", text, "none", utc_now()))
        assert isinstance(cache.get("arxiv-search", text), NotFound)
    assert sorted(p.parent for p in tmp_path.rglob("*.json")) == [tmp_path / "arxiv-search"] * 6
