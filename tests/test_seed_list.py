"""The list this project was born from (a verbatim copy of Speech Trident's README), end to end."""

from __future__ import annotations

import bibtexparser

from conftest import FIXTURES
from fakeapi.arxiv import ArxivPaper
from tridentbib.identifiers import Kind, PaperId
from tridentbib.sources.markdown import read_markdown

SEED = FIXTURES / "lists" / "speech-trident-awesome-list.md"


def arxiv_ids() -> list[str]:
    document = read_markdown(SEED.read_text(encoding="utf-8"), str(SEED))
    links = [
        link
        for item in document.items
        for link in item.links
        if isinstance(link.target, PaperId) and link.target.kind is Kind.ARXIV
    ]
    assert len(links) == 183  # every arXiv link of the seed, in all the forms it uses
    return list(dict.fromkeys(link.target.id for link in links))


def test_seed_list_arxiv_links_become_one_entry_per_paper_in_two_requests(cli, api, workdir):
    ids = arxiv_ids()
    for n, ident in enumerate(ids):
        api.arxiv.add_paper(
            ArxivPaper(
                ident,
                title=f"Seed paper {n} on speech language models",
                authors=[f"Author{n} Family{n}", "Hung-yi Lee"],
                published=f"20{ident[:2]}-{ident[2:4]}-01T00:00:00Z",
            )
        )
    (workdir / "seed.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("build", "seed.md", "-o", "seed.bib")
    requests = api.requests("arxiv")
    batches = [r for r in requests if r.param("id_list")]
    assert len(batches) == 2  # 181 ids, 100 a request
    # the rest are the title route's arXiv title searches: the two rows no service gave a record for
    # (Moshi's lab PDF, UniCodec's IEEE document Crossref does not know here)
    searches = sorted(r.param("search_query").split(" AND ")[0] for r in requests if r.param("search_query"))
    assert searches == ["ti:moshi", "ti:universal"] and len(requests) == 4
    library = bibtexparser.parse_file(str(workdir / "seed.bib"))
    eprints = [e.fields_dict["eprint"].value for e in library.entries if "eprint" in e.fields_dict]
    assert sorted(set(eprints)) == sorted(ids) and len(eprints) == len(set(eprints)) == 179
    assert len({e.key for e in library.entries}) == len(library.entries)
    assert "arxiv 183" in result.stderr.splitlines()[0]
    api.clear_log()
    again = cli("build", "seed.md", "-o", "again.bib")
    assert api.requests("arxiv") == []
    assert (workdir / "again.bib").read_text() == (workdir / "seed.bib").read_text()
    assert "arxiv 183" in again.stderr.splitlines()[0]
