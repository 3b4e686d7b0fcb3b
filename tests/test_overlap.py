"""Services overlap arXiv's pacing instead of queueing behind it."""

from __future__ import annotations

from conftest import write
from fakeapi.arxiv import ArxivPaper
from fakeapi.openreview import make_v2_note


def test_semantic_scholar_and_openreview_are_asked_while_arxiv_waits(cli, api, workdir):
    ids = [f"2305.{n:05d}" for n in range(1, 151)]  # two arXiv batches, 1 s apart
    for ident in ids:
        api.arxiv.add_paper(ArxivPaper(ident, title=f"Paper {ident}"))
    api.openreview.add_v2(make_v2_note("Ov3rlap001", "An ICLR paper", ["Ann Lee"]))
    lines = [f"- https://arxiv.org/abs/{ident}" for ident in ids] + ["- https://openreview.net/forum?id=Ov3rlap001"]
    write(workdir / "list.md", "\n".join(lines) + "\n")
    result = cli("build", "list.md", "-o", "out.bib", env={"TRIDENTBIB_ARXIV_DELAY": "1", "TRIDENTBIB_VENUES": "fast"})
    assert result.exit_code == 0, result.stderr
    arxiv = [r.started for r in api.requests("arxiv")]
    assert len(arxiv) == 2
    s2 = [r.started for r in api.requests("s2")]
    openreview = [r.started for r in api.requests("openreview2")]
    assert len(s2) == 1 and len(openreview) == 1
    assert s2[0] < arxiv[1] and openreview[0] < arxiv[1]  # not after the last arXiv batch
