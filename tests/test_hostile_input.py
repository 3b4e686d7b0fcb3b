"""Issue 9, hostile input: bad files, hostile links, garbage from the API.

None of it may produce a traceback, a request to a host that is not configured, or a
file outside the cache and the output. Bad inputs get one line naming the input and
the problem (exit 2); garbage from the API fails only the papers it was about (exit 1),
each listed with the reason, and nothing of it is cached.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from conftest import FAST, write
from fakeapi import ArxivPaper, FakeAPI, Fault
from tridentbib.identifiers import Kind, is_valid_id
from tridentbib.resolvers.arxiv import FeedError, _safe_parser, parse_feed

IDS = ["2301.00001", "2301.00002", "2301.00003"]
LIST = "".join(f"- [Paper {n}](https://arxiv.org/abs/{ident})\n" for n, ident in enumerate(IDS, 1))
QUICK = {"TRIDENTBIB_RETRY_BASE_WAIT": "0.01"}


def run_process(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """The real entry point, in its own process: what a user sees, tracebacks included."""
    import os

    return subprocess.run(
        [sys.executable, "-m", "tridentbib", *args],
        cwd=cwd,
        env={**os.environ, **FAST, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_clean_exit(result, code: int) -> None:
    """The exit code, and no exception escaped the CLI (CliRunner keeps it in ``exception``)."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def failed(stderr: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2) for m in re.finditer(r"^\s+\S+:\d+: failed: arxiv (\S+): (.*)$", stderr, re.MULTILINE)
    }


@pytest.fixture
def papers(api: FakeAPI, workdir: Path) -> Path:
    for n, ident in enumerate(IDS, 1):
        api.arxiv.add_paper(ArxivPaper(ident, title=f"Hostile Paper {n}"))
    return write(workdir / "list.md", LIST)


# ----------------------------------------------------------------------------- bad input files
def make_inputs(root: Path) -> dict[str, tuple[str, str]]:
    """name -> (path argument, expected message after 'tridentbib: error: ')."""
    (root / "adir").mkdir()
    (root / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (root / "latin1.md").write_bytes("- Café https://arxiv.org/abs/2301.00001\n".encode("latin-1"))
    (root / "utf16.md").write_bytes("- https://arxiv.org/abs/2301.00001\n".encode("utf-16"))
    (root / "empty.md").write_bytes(b"")
    (root / "blank.md").write_bytes(b" \n\t\n\n")
    (root / "bom-only.md").write_bytes(b"\xef\xbb\xbf\n")
    (root / "loop.md").symlink_to(root / "loop.md")
    return {
        "missing": ("nope.md", "nope.md: no such file"),
        "directory": ("adir", "adir: is a directory, not a file"),
        "binary": ("binary.md", "binary.md: looks like a binary file, not text"),
        "non-utf8": ("latin1.md", "latin1.md: not UTF-8 text (bad byte at offset 5)"),
        "utf16": ("utf16.md", "utf16.md: UTF-16 text; save it as UTF-8"),
        "empty": ("empty.md", "empty.md: is empty"),
        "blank": ("blank.md", "blank.md: is empty"),
        "bom-only": ("bom-only.md", "bom-only.md: is empty"),
        "symlink-loop": ("loop.md", "loop.md: no such file"),
        "name-too-long": ("x" * 5000 + ".md", "x" * 5000 + ".md: "),
        "device": ("/dev/null", "/dev/null: is empty"),
    }


def test_every_bad_input_is_one_line_naming_it_and_exit_2(cli, api, workdir):
    write(workdir / "out.bib", "keep\n")
    for name, (argument, message) in make_inputs(workdir).items():
        result = cli("build", argument, "-o", "out.bib")
        assert_clean_exit(result, 2)
        assert result.stderr.startswith(f"tridentbib: error: {message}"), (name, result.stderr)
        assert result.stderr.count("\n") == 1, (name, result.stderr)
    assert (workdir / "out.bib").read_text() == "keep\n"
    assert api.requests() == []


def test_the_real_entry_point_prints_no_traceback(api, tmp_path):
    make_inputs(tmp_path)
    for argument in ("nope.md", "binary.md"):
        result = run_process(["build", argument, "-o", "out.bib"], tmp_path, api.env())
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("tridentbib: error: "), result.stderr
    result = run_process(["build", "--max-retries", "x", "nope.md"], tmp_path, api.env())
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--max-retries" in result.stderr


# ----------------------------------------------------------------------------- odd but valid Markdown
def test_ragged_tables_and_broken_citation_blocks_are_read_not_fatal(cli, api, workdir, papers):
    write(
        workdir / "odd.md",
        "| Date | Title | Link |\n|---|---|---|\n"
        "| 2023-01 | One | [paper](https://arxiv.org/abs/2301.00001) | an extra cell | and another |\n"
        "| 2023-02 |\n"
        "| [paper](https://arxiv.org/abs/2301.00002) |\n"
        "no pipes at all in this row\n\n"
        "```bibtex\n@article{broken,\n  title = {never closed\n  author = \n```\n\n"
        "```bib\n@misc{x, title = {ok}}\n@@@@ }}}} {{{{\n```\n\n"
        "```bibtex\n@article{unterminated_fence, title={x}}\n"
        "- https://arxiv.org/abs/2301.00003\n",
    )
    result = cli("build", "odd.md", "-o", "out.bib")
    assert result.exit_code in (0, 1), result.output
    assert_clean_exit(result, result.exit_code)
    assert "2301.00001" in (workdir / "out.bib").read_text() and "2301.00002" in (workdir / "out.bib").read_text()


PATHOLOGICAL = {
    "20k-links-on-one-line": " ".join("https://arxiv.org/abs/2301.00001" for _ in range(20_000)) + "\n",
    "a-million-parentheses": "https://arxiv.org/abs/2301.00001" + ")" * 1_000_000 + "\n",
    "200k-spaces-in-a-bullet": "- [paper](https://arxiv.org/abs/2301.00001)" + " " * 200_000 + "x\n",
    "100k-nested-quotes": ">" * 100_000 + " https://arxiv.org/abs/2301.00001\n",
    "30k-brackets": "[" * 30_000 + "](https://arxiv.org/abs/2301.00001)\n",
    "1MB-line": "word " * 200_000 + "https://arxiv.org/abs/2301.00001\n",
    "deep-list": "".join("  " * i + "- x\n" for i in range(2000)) + "- https://arxiv.org/abs/2301.00001\n",
    "100k-arxiv-colons": "arXiv: " * 100_000 + "\n",
    "wide-table": "|"
    + "h|" * 5_000
    + "\n|"
    + "-|" * 5_000
    + "\n|"
    + "[p](https://arxiv.org/abs/2301.00001)|" * 500
    + "\n",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markdown_is_read_in_linear_time(cli, api, workdir, name):
    write(workdir / "p.md", PATHOLOGICAL[name])
    started = time.monotonic()
    result = cli("build", "p.md", "-o", "out.bib", "--offline")
    assert_clean_exit(result, result.exit_code)
    assert time.monotonic() - started < 8, name  # a cubic regex once made the first of these take hours


def test_a_file_of_100k_lines_is_read_in_seconds(cli, api, workdir):
    lines: list[str] = []
    n = 0
    while len(lines) < 100_000:
        n += 1
        lines += [
            f"## Section {n}",
            "",
            "Prose about the section, without links.",
            "",
            "| Date | Model | Title | Link |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| 2023-0{1 + k % 9} | M{k} | Title {n}.{k} | [paper](https://arxiv.org/abs/2301.{(n * 7 + k) % 99999 + 1:05d}) |"
            for k in range(5)
        ]
        lines += (
            [""]
            + [f"- item {n}.{k}" for k in range(10)]
            + ["", "```bibtex", "@misc{x,", "  title = {broken", "```", ""]
        )
        lines += [f"Filler line {k}." for k in range(60)]
    write(workdir / "big.md", "\n".join(lines[:100_000]) + "\n")
    started = time.monotonic()
    result = cli("build", "big.md", "-o", "out.bib", "--offline", "-q")
    elapsed = time.monotonic() - started
    assert_clean_exit(result, 1)  # offline with an empty cache: every paper is reported missing
    assert len(failed(result.stderr)) > 5000
    assert elapsed < 15, elapsed  # about 3 s on a laptop


# ----------------------------------------------------------------------------- hostile links
def test_hostile_links_are_rejected_and_nothing_leaves_the_configured_hosts(api, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from tridentbib.cli import app

    workdir = tmp_path / "a" / "b" / "c"  # so an escaping "../.." would still land inside tmp_path, where we look
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    api.arxiv.add_paper(ArxivPaper("2301.00001", title="The Only Real Paper"))
    with FakeAPI() as attacker:
        links = [
            "https://arxiv.org/abs/../../etc/passwd",
            "https://arxiv.org/abs/..%2f..%2fetc%2fpasswd",
            "https://arxiv.org/abs/%2e%2e/%2e%2e/etc/passwd",
            "https://arxiv.org/abs/..%252f..%252fetc%252fpasswd",
            "https://arxiv.org/pdf/2301.00001/../../../../etc/passwd",
            "https://arxiv.org/abs/2301.00001&id_list=9999.99999",
            "https://arxiv.org/abs/2301.00001%26max_results%3D30000",
            "https://arxiv.org/abs/2301.00001,2301.00002",
            "https://arxiv.org/abs/2301.00001%2C2301.00002",
            "https://arxiv.org/abs/2301.00001;search_query=all:x",
            "https://arxiv.org/abs/" + "1" * 5000,
            "https://arxiv.org/abs/2301." + "0" * 300 + "1",
            "https://openreview.net/forum?id=../../etc/passwd",
            "https://openreview.net/forum?id=abcdef%2F..%2F..",
            "https://openreview.net/forum?id=" + "A" * 500,
            "https://aclanthology.org/../../etc/passwd",
            "https://aclanthology.org/2020.acl-main.1%2F..%2F..%2Fx",
            "https://doi.org/10.48550/arXiv.2301.00001/../../x",
            f"{attacker.base}/arxiv/api/query?id_list=2301.00001",
            f"{attacker.base}/abs/2301.00001",
            "https://arxiv.org.evil.example/abs/2301.00001",
            "https://evil.example/arxiv.org/abs/2301.00001",
            "https://user@evil.example/abs/2301.00001",
            "https://arxiv.org/abs/2301.00001",  # the one real paper, for contrast
        ]
        write(
            workdir / "list.md",
            "".join(f"- [link {n}]({url})\n" if "(" not in url else f"- {url}\n" for n, url in enumerate(links, 1)),
        )
        before = {p for p in tmp_path.rglob("*")}
        result = CliRunner().invoke(
            app, ["build", "list.md", "-o", "out.bib"], env={**api.env(), **FAST, **QUICK, "TRIDENTBIB_VENUES": "off"}
        )
        assert_clean_exit(result, 1)
        assert attacker.requests() == []
    rejected = re.findall(r"^\s+list\.md:(\d+): rejected: ", result.stderr, re.MULTILINE)
    assert len(rejected) >= 15, result.stderr
    for request in api.requests():
        assert request.service != "unknown", request.path
        if request.service == "arxiv":
            assert request.path == "/arxiv/api/query"
            assert set(request.query) == {"id_list", "start", "max_results"}
            assert all(is_valid_id(Kind.ARXIV, ident) for ident in request.param("id_list").split(","))
    assert [r.param("id_list") for r in api.requests("arxiv")] == ["2301.00001"]
    created = {p.relative_to(workdir).as_posix() for p in set(tmp_path.rglob("*")) - before}
    allowed = re.compile(
        r"out\.bib|cache|cache/(arxiv|openreview|acl|dblp|s2|arxiv-search)(/[^/]+\.json)?|cache/keys\.json(\.lock)?"
    )
    assert all(allowed.fullmatch(path) for path in created), sorted(created)
    assert not any(p.name == "passwd" for p in tmp_path.rglob("*"))


def test_an_answer_redirecting_to_another_host_is_not_followed(cli, api, workdir, papers):
    with FakeAPI() as attacker:
        attacker.arxiv.add_paper(ArxivPaper("2301.00001", title="Evil Twin"))
        api.fail_always(
            "arxiv",
            Fault.status(302, "", {"Location": attacker.env()["TRIDENTBIB_ARXIV_API_URL"] + "?id_list=2301.00001"}),
        )
        result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
        assert attacker.requests() == []
    assert_clean_exit(result, 1)
    reasons = failed(result.stderr)
    assert sorted(reasons) == IDS and all("HTTP 302 redirect to" in r and "not followed" in r for r in reasons.values())
    assert len(api.requests("arxiv")) == 1  # a redirect is not retried either


# ----------------------------------------------------------------------------- garbage from the API
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2301.00001v1</id>
    <title>&lol9;</title>
    <updated>2023-01-01T00:00:00Z</updated>
    <published>2023-01-01T00:00:00Z</published>
    <summary>&lol9;</summary>
    <author><name>Ada Lovelace</name></author>
  </entry>
</feed>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/abs/2301.00001v1</id>
    <title>&xxe;</title>
    <updated>2023-01-01T00:00:00Z</updated>
    <published>2023-01-01T00:00:00Z</published>
    <summary>s</summary>
  </entry>
</feed>
"""


SMALL_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY a "aaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&c;</title></feed>
"""


def test_entity_expansion_is_off_in_the_feed_parser():
    """The proof: a resolving parser turns ``&c;`` into 1000 characters; ours leaves it a reference and reads no file."""
    expanding = etree.XMLParser(resolve_entities=True)
    assert etree.fromstring(SMALL_BOMB, parser=expanding).findtext("{http://www.w3.org/2005/Atom}title") == "a" * 1000
    title = etree.fromstring(SMALL_BOMB, parser=_safe_parser()).find("{http://www.w3.org/2005/Atom}title")
    assert "".join(title.itertext()) == "&c;" and etree.tostring(title).endswith(
        b">&c;</title>"
    )  # an unexpanded reference
    xxe = etree.fromstring(XXE, parser=_safe_parser())
    assert "root:" not in "".join(xxe.itertext())
    started = time.monotonic()
    try:  # the full bomb: never expanded (libxml2 may also refuse it outright)
        laughs = etree.fromstring(BILLION_LAUGHS, parser=_safe_parser())
        assert len(etree.tostring(laughs)) < 2000
    except etree.XMLSyntaxError as error:
        assert "amplification" in str(error)
    assert time.monotonic() - started < 1
    for feed in (BILLION_LAUGHS, XXE, SMALL_BOMB):  # and parse_feed refuses a feed with a DTD before parsing it
        with pytest.raises(FeedError, match="declares a DTD"):
            parse_feed(feed, ["2301.00001"])


def error_feed(api: FakeAPI, message: str, ids: list[str]) -> bytes:
    return api.arxiv._error_feed(message, "", ",".join(ids)).encode()


ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
GARBAGE = {
    "html-200": (lambda api: Fault.html(), "HTTP 200 with an HTML page, not an Atom feed"),
    "html-not-xml": (
        lambda api: Fault.status(
            200, "<html><body><p>Just a moment...<br></body></html>", {"Content-Type": "text/html"}
        ),
        "not well-formed XML",
    ),
    "truncated-200": (lambda api: Fault.truncate(0.5, declare_full_length=False), "not well-formed XML"),
    "json-object": (lambda api: Fault.status(200, {"entries": [{"id": "2301.00001"}]}), "not well-formed XML"),
    "json-list": (lambda api: Fault.status(200, [1, 2, 3]), "not well-formed XML"),
    "rss-not-atom": (lambda api: Fault.status(200, "<rss><channel/></rss>", ATOM), "not an Atom feed"),
    "empty-200": (lambda api: Fault.status(200, b"", ATOM), "not well-formed XML"),
    "error-entry-for-the-batch": (
        lambda api: Fault.status(200, error_feed(api, "max_results must be less than or equal to 30000", []), ATOM),
        "max_results must be less than",
    ),
    "huge-body": (
        lambda api: Fault.status(200, b"<feed>" + b" " * 50_000 + b"</feed>", ATOM),
        "exceeds the 20000-byte limit",
    ),
    "bad-gzip": (
        lambda api: Fault.status(200, b"not gzip at all", {**ATOM, "Content-Encoding": "gzip"}),
        "unusable answer (DecodingError",
    ),
    "gzip-bomb": (
        lambda api: Fault.status(200, gzip.compress(b" " * 10_000_000), {**ATOM, "Content-Encoding": "gzip"}),
        "exceeds the 20000-byte limit",
    ),
    "billion-laughs": (lambda api: Fault.status(200, BILLION_LAUGHS, ATOM), "declares a DTD"),
    "xxe": (lambda api: Fault.status(200, XXE, ATOM), "declares a DTD"),
    "entries-without-dates": (
        lambda api: Fault.status(
            200,
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            + "".join(f"<entry><id>http://arxiv.org/abs/{i}v1</id><title>x</title></entry>" for i in IDS)
            + "</feed>",
            ATOM,
        ),
        "lacks its <published> or <updated> date",
    ),
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_garbage_from_the_api_fails_its_papers_and_is_never_cached(cli, api, workdir, papers, name):
    make_fault, reason = GARBAGE[name]
    api.fail_always("arxiv", make_fault(api))
    write(workdir / "out.bib", "keep\n")
    started = time.monotonic()
    result = cli(
        "build",
        "list.md",
        "-o",
        "out.bib",
        "--max-retries",
        "1",
        env={**QUICK, "TRIDENTBIB_MAX_RESPONSE_BYTES": "20000"},
    )
    assert_clean_exit(result, 1)
    assert time.monotonic() - started < 5
    reasons = failed(result.stderr)
    assert sorted(reasons) == IDS, result.stderr
    assert all(reason in r for r in reasons.values()), result.stderr
    assert list((workdir / "cache").glob("*/*.json")) == []  # no record of any service
    assert (workdir / "out.bib").read_text() == "keep\n"
    assert "lollol" not in result.output and "root:" not in result.output


def test_an_error_entry_naming_one_id_fails_that_id_and_the_others_are_asked_again(cli, api, workdir, papers):
    api.inject("arxiv", Fault.status(400, error_feed(api, "incorrect id format for 2301.00002", IDS), ATOM))
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert_clean_exit(result, 1)
    assert failed(result.stderr) == {"2301.00002": "arXiv: incorrect id format for 2301.00002"}
    assert [r.param("id_list") for r in api.requests("arxiv")] == [",".join(IDS), "2301.00001,2301.00003"]
    text = (workdir / "out.bib").read_text()
    assert "Hostile Paper 1" in text and "Hostile Paper 3" in text
    cached = {
        json.loads(p.read_text())["id"]: json.loads(p.read_text())["status"]
        for p in (workdir / "cache" / "arxiv").glob("*.json")
    }
    assert cached == {"2301.00001": "found", "2301.00003": "found", "2301.00002": "not_found"}


def test_entries_the_feed_was_not_asked_for_are_ignored(cli, api, workdir, papers):
    smuggled = "".join(
        f"<entry><id>http://arxiv.org/abs/{bad}v1</id><title>evil</title><updated>2023-01-01T00:00:00Z</updated><published>2023-01-01T00:00:00Z</published></entry>"
        for bad in ("../../etc/passwd", "2399.99999", "hep-th/9901001")
    )
    body = '<feed xmlns="http://www.w3.org/2005/Atom">' + smuggled + "</feed>"
    api.inject("arxiv", Fault.status(200, body, ATOM))
    result = cli("build", "list.md", "-o", "out.bib", env=QUICK)
    assert_clean_exit(result, 1)
    assert all(r == "arXiv has no paper with this id" for r in failed(result.stderr).values())
    assert sorted(p.name for p in (workdir / "cache" / "arxiv").iterdir()) == [f"{i}.json" for i in IDS]
    assert not any("passwd" in p.name or "9901001" in p.name for p in workdir.rglob("*"))
