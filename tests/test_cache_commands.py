"""``tridentbib cache stats`` and ``tridentbib cache prune``."""

from __future__ import annotations

import json
import os
import time

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.openreview import make_v2_note


def populate(cli, api, workdir):
    for n in (2, 3, 4):
        api.arxiv.add_paper(ArxivPaper(f"2101.0000{n}", title=f"Paper {n}"))
    api.openreview.add_v2(
        make_v2_note(
            "Acc3pt3d01",
            "HALL-E: Hierarchical Neural Codec Language Model",
            ["Yuto Nishimura"],
            venue="ICLR 2025 Poster",
            venueid="ICLR.cc/2025/Conference",
        )
    )
    write(workdir / "a.md", "- https://arxiv.org/abs/2101.00002\n- https://openreview.net/forum?id=Acc3pt3d01\n")
    write(workdir / "b.md", "- https://arxiv.org/abs/2101.00003\n- https://arxiv.org/abs/2212.99999\n")
    write(workdir / "c.md", "- https://arxiv.org/abs/2101.00004\n")
    for name in ("a.md", "b.md", "c.md"):
        cli("build", name, "-o", name.replace(".md", ".bib"))


def age(workdir, service, ident, days):
    path = workdir / "cache" / service / f"{ident}.json"
    record = json.loads(path.read_text())
    record["fetched_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - days * 86400))
    path.write_text(json.dumps(record, indent=2))


def names(workdir, service="arxiv"):
    return sorted(p.name for p in (workdir / "cache" / service).glob("*.json"))


def test_stats_counts_records_per_service_with_age_and_size(cli, api, workdir):
    populate(cli, api, workdir)
    age(workdir, "arxiv", "2101.00004", 40)
    (workdir / "cache" / "arxiv" / "2101.00003.json.corrupt").write_text("{")
    result = cli("cache", "stats")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "cache cache"
    assert lines[1].split() == ["service", "records", "not", "found", "size", "oldest", "newest"]
    arxiv = lines[2].split()
    assert arxiv[:3] == ["arxiv", "3", "1"] and arxiv[4] == "kB"
    assert arxiv[5:7] == ["40.0", "d"] and arxiv[8] == "h"
    assert lines[3].split()[:3] == ["openreview", "1", "0"]
    assert lines[4].split()[:3] == ["total", "4", "1"]
    assert lines[5] == "keys.json: 4 remembered keys; 1 *.corrupt file(s) set aside"


def test_stats_of_a_missing_cache(cli, api, workdir):
    result = cli("cache", "stats", "--cache-dir", "nowhere")
    assert result.exit_code == 0 and result.stdout == "cache nowhere: empty (no such directory)\n"
    write(workdir / "file", "x")
    assert cli("cache", "stats", "--cache-dir", "file").exit_code == 2


def test_prune_drops_records_no_list_uses_and_never_keys_json(cli, api, workdir):
    populate(cli, api, workdir)
    keys = (workdir / "cache" / "keys.json").read_bytes()
    assert names(workdir) == ["2101.00002.json", "2101.00003.json", "2101.00004.json", "2212.99999.json"]

    preview = cli("cache", "prune", "a.md", "c.md", "--dry-run")
    assert preview.exit_code == 0
    assert "  arxiv 2101.00003: not used by the lists" in preview.stdout
    assert "  arxiv 2212.99999: not used by the lists" in preview.stdout
    assert "tridentbib: would drop 2 records (arxiv 2)" in preview.stdout and "kept 3" in preview.stdout
    assert len(names(workdir)) == 4

    result = cli("cache", "prune", "a.md", "c.md")
    assert result.exit_code == 0
    assert "tridentbib: dropped 2 records (arxiv 2)" in result.stdout
    assert names(workdir) == ["2101.00002.json", "2101.00004.json"]
    assert names(workdir, "openreview") == ["Acc3pt3d01.json"]
    assert (workdir / "cache" / "keys.json").read_bytes() == keys
    # the lists still build without a request
    api.clear_log()
    assert cli("build", "a.md", "c.md", "-o", "ac.bib").exit_code == 0
    assert api.requests() == []


def test_prune_older_than(cli, api, workdir):
    populate(cli, api, workdir)
    age(workdir, "arxiv", "2101.00002", 100)
    age(workdir, "openreview", "Acc3pt3d01", 31)
    result = cli("cache", "prune", "--older-than", "30")
    assert result.exit_code == 0
    assert "dropped 2 records (arxiv 1, openreview 1)" in result.stdout
    assert names(workdir) == ["2101.00003.json", "2101.00004.json", "2212.99999.json"]
    assert names(workdir, "openreview") == []
    assert (workdir / "cache" / "keys.json").exists()
    # both rules at once: unused by the list, or too old
    age(workdir, "arxiv", "2101.00004", 45)
    result = cli("cache", "prune", "b.md", "c.md", "--older-than", "40")
    assert names(workdir) == ["2101.00003.json", "2212.99999.json"]


def test_prune_clears_temporary_files_of_killed_runs_but_not_fresh_ones(cli, api, workdir):
    populate(cli, api, workdir)
    folder = workdir / "cache" / "arxiv"
    old, fresh = folder / ".2101.00002.json.abc123.tmp", folder / ".2101.00003.json.def456.tmp"
    for path in (old, fresh):
        path.write_text("{")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    result = cli("cache", "prune", "a.md", "b.md", "c.md")
    assert "dropped 0 records" in result.stdout and "dropped 1 temporary file(s)" in result.stdout
    assert not old.exists() and fresh.exists()


def test_prune_needs_a_rule(cli, api, workdir):
    result = cli("cache", "prune")
    assert result.exit_code == 2
    assert "give the lists that use this cache" in result.stderr
    assert cli("cache", "prune", "missing.md").exit_code == 2


def test_prune_keeps_what_only_a_citation_block_names_and_check_still_passes(cli, api, workdir):
    """build, check and prune share one answer to "what does this list need" (tridentbib.lookup.needs)."""
    api.arxiv.add_paper(ArxivPaper("2101.00002", title="Paper 2"))
    api.arxiv.add_paper(ArxivPaper("2104.12255", title="A Paper Only A Block Names"))
    block = "```\n@article{only2021block,\n  title = {A Paper Only A Block Names},\n  eprint = {2104.12255},\n  year = {2021}\n}\n```\n"
    write(workdir / "l.md", "- https://arxiv.org/abs/2101.00002\n\n" + block)
    assert cli("build", "l.md", "-o", "l.bib").exit_code == 0
    assert names(workdir) == ["2101.00002.json", "2104.12255.json"]
    result = cli("cache", "prune", "l.md")
    assert result.exit_code == 0, result.output
    assert names(workdir) == ["2101.00002.json", "2104.12255.json"]
    check = cli("check", "l.md", "l.bib", "--offline")
    assert check.exit_code == 0, check.output
