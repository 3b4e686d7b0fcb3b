"""Batched dblp title searches (#17): several titles in one request, each answered as its own search answers it.

Real HTTP against the fake dblp, which matches queries as dblp documents it: words
ANDed, each a prefix, ``a|b`` either word.
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fakeapi import DblpRecord
from fakeapi.dblp import DblpService
from tridentbib.lookup import dblp_batch
from tridentbib.lookup.dblp_batch import TitleSearches, batch_query, could_answer, usable_words
from tridentbib.resolvers.dblp import DblpError, DblpSearch, normalise_hit
from tridentbib.resolvers.registry import dblp_client
from tridentbib.settings import Settings

TITLES = [
    "Sparse Mixture Decoders for Streaming Speech Translation",
    "Counterfactual Backgrounds for Robust Bird Song Detection",
    "Invented Codec Tokenizers Measured on Whispered Speech",
    "A Lattice Rescoring Study of Catalan Podcasts",
]


def add_papers(api, titles=TITLES) -> None:
    for n, title in enumerate(titles):
        api.dblp.add(DblpRecord(title, [f"Ada Batch{n}"], venue="ICLR", year=2025, key=f"conf/iclr/Batch{n}25"))
        api.dblp.add(  # the preprint: the same title, another record
            DblpRecord(title, [f"Ada Batch{n}"], year=2024, key=f"journals/corr/abs-2401-{n:05d}")
        )
    # holds the four words the batch asks of TITLES[0], but not "sparse" nor "speech"
    api.dblp.add(DblpRecord("Translation of Streaming Mixture Decoders in Birds", ["Cy Other"], year=2023))


def settings_for(api, **more) -> Settings:
    return Settings.from_env({**api.env(), "TRIDENTBIB_DBLP_DELAY": "0"}, **more)


def own_hits(api, title: str) -> list[dict]:
    client = dblp_client(settings_for(api))
    try:
        return DblpSearch(client).search(title)[0]
    finally:
        client.close()


def answers(api, titles, **more) -> dict:
    searches = TitleSearches(settings_for(api, **more))
    futures = {title: searches.ask(title) for title in titles}
    searches.close()
    return {title: future.result() for title, future in futures.items()}


def keys(hits) -> list[str]:
    return sorted(hit["key"] for hit in hits)


def test_titles_waiting_together_are_one_request_and_each_gets_its_own_searchs_hits(api):
    add_papers(api)
    expected = {title: keys(own_hits(api, title)) for title in TITLES}
    api.clear_log()
    found = answers(api, TITLES)
    (request,) = api.requests("dblp")
    assert request.param("h") == "1000" and request.param("q").count("|") >= len(TITLES) - 1
    assert {title: keys(answer.hits) for title, answer in found.items()} == expected
    assert all(len(answer.hits) == 2 and answer.batch == request.param("q") for answer in found.values())
    # the record sharing some of their words is in the answer (for id evidence) but no title's hit
    assert any(hit["title"].startswith("Translation of Streaming") for hit in found[TITLES[0]].answer)


def test_the_batched_query_holds_one_long_word_of_every_title_in_each_position():
    query = batch_query(TITLES[:2])
    positions = query.split()
    assert len(positions) == dblp_batch.POSITIONS
    for position in positions:
        first, second = position.split("|")
        assert first in usable_words(TITLES[0]) and second in usable_words(TITLES[1])
    assert "for" not in query and "counterfactual" in query  # long, uncommon words narrow the answer


def test_words_dblp_might_split_otherwise_are_not_used():
    assert usable_words("HALL-E: Text-to-Speech in 2024, “Minute-Long” (Zero-Shot) VChangeCodec") == ["vchangecodec"]


def test_a_title_alone_or_with_too_few_words_gets_its_own_search(api):
    add_papers(api)
    api.dblp.add(DblpRecord("Deep learning", ["Yann Other"], venue="Nature", year=2015))
    found = answers(api, ["Deep learning", TITLES[0]])
    queries = [r.param("q") for r in api.requests("dblp")]
    assert sorted(queries) == sorted(["Deep learning", TITLES[0]])  # no batch of one
    assert keys(found["Deep learning"].hits) == keys(own_hits(api, "Deep learning"))
    assert found["Deep learning"].batch is None


def test_a_title_with_more_hits_than_its_own_search_sends_gets_that_search(api):
    add_papers(api)
    for n in range(12):  # twelve records with TITLES[1]'s wording: its own search sends ten
        api.dblp.add(DblpRecord(TITLES[1], [f"Dee Copy{n}"], year=2010 + n, key=f"conf/misc/Copy{n}"))
    api.clear_log()
    found = answers(api, TITLES)
    queries = [r.param("q") for r in api.requests("dblp")]
    assert len(queries) == 2 and queries[1] == TITLES[1]
    assert len(found[TITLES[1]].hits) == 10 and found[TITLES[1]].batch is None
    assert all(found[title].batch for title in TITLES if title != TITLES[1])


def test_a_batch_cut_short_is_halved_and_then_left_to_own_searches(api, monkeypatch):
    monkeypatch.setattr("tridentbib.lookup.dblp_batch.MAX_HITS", 5)
    monkeypatch.setattr(DblpSearch, "batch", lambda self, q: _small_pages(self, q, 5))
    add_papers(api)  # 9 records: a batch of all four titles is cut short at 5, each half (4 records) is whole
    expected = {title: keys(own_hits(api, title)) for title in TITLES}
    api.clear_log()
    found = answers(api, TITLES)
    queries = [r.param("q") for r in api.requests("dblp")]
    assert len(queries) == 3 and all("|" in q for q in queries)
    assert {title: keys(answer.hits) for title, answer in found.items()} == expected


def _small_pages(search: DblpSearch, query: str, hits: int):
    found, total, request = search._ask({"q": query, "format": "json", "h": str(hits)})
    return found, total, request


def test_a_dblp_refusal_answers_every_waiting_title_with_it_and_stops_asking(api):
    add_papers(api)
    api.dblp.throttle, api.dblp.retry_after = True, 0
    searches = TitleSearches(settings_for(api, max_retries=0))
    futures = [searches.ask(title) for title in ("Deep learning", "Shallow learning")]
    searches.close()
    for future in futures:
        with pytest.raises(DblpError):
            future.result()
    assert len(api.requests("dblp")) == 1


def test_titles_handed_in_while_dblps_delay_runs_join_the_next_request(api):
    add_papers(api)
    searches = TitleSearches(Settings.from_env({**api.env(), "TRIDENTBIB_DBLP_DELAY": "0.6"}))
    first = searches.ask("Deep learning")  # goes at once, alone
    first.result()
    later = [searches.ask(title) for title in TITLES]  # handed in during the 0.6 s that follow
    searches.close()
    assert [future.result().batch is not None for future in later] == [True] * len(TITLES)
    assert len(api.requests("dblp")) == 2 and searches.requests == 2


def test_nothing_is_started_for_a_run_that_asks_nothing(api):
    before = threading.active_count()
    searches = TitleSearches(settings_for(api))
    searches.close()
    assert threading.active_count() == before and searches.requests == 0 and api.requests() == []


def test_batching_off_is_one_search_per_title(api):
    add_papers(api)
    answers(api, TITLES, dblp_batch=1)
    assert sorted(r.param("q") for r in api.requests("dblp")) == sorted(TITLES)


# -- the rule under it: a batch's answer holds every record each title's own search returns ---------

WORDS = ["codec", "speech", "bird", "lattice", "whisper", "stream", "robust", "sparse", "song", "podcast", "tokens"]
title_words = st.lists(st.sampled_from(WORDS), min_size=3, max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    records=st.lists(title_words, min_size=1, max_size=25),
    titles=st.lists(title_words, min_size=2, max_size=6, unique_by=tuple),
)
def test_every_record_a_titles_own_search_returns_is_in_the_batch_and_passes_could_answer(records, titles):
    service = DblpService()
    for n, words in enumerate(records):
        service.add(DblpRecord(" ".join(words).title(), [f"Ann Prop{n}"], year=2020, key=f"conf/x/P{n}"))
    texts = [" ".join(words) for words in titles if len(set(words)) >= dblp_batch.MIN_WORDS]
    assume(texts)
    batched = {record.key for record in service.search(batch_query(texts))}
    for text in texts:
        own = service.search(text)
        assert {record.key for record in own} <= batched
        for record in own:
            hit = {"title": record.title.rstrip("."), "authors": [n for n, _ in record.authors], "year": record.year}
            assert could_answer(text, normalise_hit(hit) | hit)
