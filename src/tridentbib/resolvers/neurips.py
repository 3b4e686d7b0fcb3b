"""NeurIPS proceedings: ``{TRIDENTBIB_NEURIPS_URL}/paper_files/paper/{year}/file/{hash}-Metadata.json|-Bibtex.bib``.

A paper of proceedings.neurips.cc (the old papers.nips.cc) is named by its year and
the site's 32-hex hash, ``2020/1457c0d6bfcb4967418bfb8ac142f64a``; its files sit
beside each other as ``{hash}-Abstract.html``, ``-Paper.pdf``, ``-Bibtex.bib`` and
``-Metadata.json``. From 2022 the main track's files carry a ``-Conference``
suffix (``-Bibtex-Conference.bib``), so those years ask that form first and the
plain one after a 404. A 404 for every form means the site has no such paper.

For 1987-2019 the site serves ``{hash}-Metadata.json``: ``title``, ``abstract``,
``authors`` (``given_name``, ``family_name``, ``institution``), ``book``, ``publisher``,
``volume``, ``page_first`` and ``page_last``. Those years ask it first (one request, and
it carries the abstract); a 404, another 4xx or a body that is not that JSON falls back
to the BibTeX, as paperoni does. The record keeps where it came from (``source``:
``"metadata"`` with the JSON as served in ``metadata``, or ``"bibtex"`` with ``key`` and
``fields``; a record cached before the JSON was asked has no ``source`` and is BibTeX).
From 2020 only the BibTeX is asked, so those entries have no abstract: the site has no
Metadata.json for them and where the abstract page holds the abstract is not verified.

The site's BibTeX: ``@inproceedings`` with ``booktitle = {Advances in Neural
Information Processing Systems}``, the volume, its editors, the pages and the
publisher (Curran Associates) as the site writes them, and no abstract and no DOI.
The entry takes those fields; its ``url`` is the paper's abstract page. From the JSON
the entry gets the same fields (authors ``Family, Given``, pages ``first--last``) and
the abstract, but no editors: the JSON as documented names none (an ``editor`` list
in it would be used).

**Old links.** ``papers.nips.cc/paper/5347-slug(.pdf)`` and ``/paper/by-source-2019-1275``
carry no hash, and neither the old number nor the slug can be trusted (two real slugs
name another paper than their row). They are aliases, ``legacy/5347`` and
``bysource/2019-1275``, looked up by the row they sit in (:meth:`NeuripsResolver.use_rows`):
the year comes from the row (``(2014)``, ``NIPS 2014``, a date cell; a by-source link's
own year), and the paper is the one of that year's index
(``/paper_files/paper/{year}``, :mod:`tridentbib.resolvers.neurips_index`) whose title
*equals* the row's after :func:`~tridentbib.latex.normalize_title` (no fuzzy match),
trying the year, then the year before and after (a by-source link: its year only). Its
BibTeX is then fetched as for a hash link, and the alias's record keeps the mapping
(``paper``), its ``evidence`` and the ``query`` beside the BibTeX, so a warm or offline
run replays the decision. No equal title is a permanent "no such paper"; a row without
a title or a year is not (the row stays a context entry; a title route may find it).
Each year index is fetched once and kept whole in ``cache/neurips-index/{year}.html``,
for every alias of that year and later runs. With ``--offline`` an alias with no
record of its own is mapped through the stored indexes to a hash whose record the
cache holds (:meth:`NeuripsResolver.answer_offline`; nothing is asked or written).

Politeness: a static site with no published limits, so one connection and
``TRIDENTBIB_NEURIPS_DELAY`` (default 1 s) between requests.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Iterator, Mapping, Sequence

from tridentbib.entry_fields import _latex_name
from tridentbib.http import ServiceClient, ServiceError
from tridentbib.identifiers import is_valid_id
from tridentbib.latex import collapse_whitespace, normalize_title, to_latex
from tridentbib.model import Context, Entry, Record
from tridentbib.names import Name
from tridentbib.resolvers.interface import Answer, BulkShelf, Found, Missing, OneAtATime, site_bibtex
from tridentbib.resolvers.neurips_index import FIRST_YEAR, LAST_YEAR, IndexPaper, parse_index, row_year

logger = logging.getLogger(__name__)

#: the last year whose papers have a ``{hash}-Metadata.json`` (asked before the BibTeX)
METADATA_UNTIL = 2019
#: the first year whose main-track files are named ``{hash}-...-Conference.*``
CONFERENCE_SUFFIX_FROM = 2022
#: the public site, for the entry's ``url`` (the settings URL may point at a mirror or a fake)
SITE = "https://proceedings.neurips.cc"
BOOKTITLE = "Advances in Neural Information Processing Systems"
NOT_FOUND = "the NeurIPS proceedings have no paper with this year and hash"
#: the fields of the site's BibTeX an entry keeps
KEPT = ("title", "author", "booktitle", "editor", "volume", "pages", "publisher", "year")
#: where year indexes are kept whole (``cache/neurips-index/2014.html``)
INDEX_FOLDER = "neurips-index"


def suffixes(year: int) -> tuple[str, ...]:
    """File-name suffixes to try for a year, in order (``""`` is the plain form)."""
    return ("-Conference", "") if year >= CONFERENCE_SUFFIX_FROM else ("",)


def bibtex_path(ident: str, suffix: str = "") -> str:
    """``/paper_files/paper/{year}/file/{hash}-Bibtex{suffix}.bib`` for ``YEAR/HASH``."""
    year, digest = ident.split("/")
    return f"/paper_files/paper/{year}/file/{digest}-Bibtex{suffix}.bib"


def metadata_path(ident: str, suffix: str = "") -> str:
    """``/paper_files/paper/{year}/file/{hash}-Metadata{suffix}.json`` for ``YEAR/HASH``."""
    year, digest = ident.split("/")
    return f"/paper_files/paper/{year}/file/{digest}-Metadata{suffix}.json"


def index_path(year: int) -> str:
    """``/paper_files/paper/{year}``: the page listing every paper of a year."""
    return f"/paper_files/paper/{year}"


class NeuripsResolver(OneAtATime):
    """Fetch a paper's Metadata.json (to 2019) or the site's BibTeX, one paper per request;
    old links through their year's index first."""

    service = "neurips"

    def __init__(self, client: ServiceClient) -> None:
        super().__init__(client)
        self.rows: Mapping[str, Context] = {}
        self._shelf: BulkShelf | None = None
        self._is_fresh: Callable[[str], bool] = lambda fetched_at: True
        #: this run's answers per hash and indexes per year (a list naming a paper twice asks once)
        self._papers: dict[str, Answer] = {}
        self._indexes: dict[int, list[IndexPaper] | Missing] = {}
        #: ``--offline``: indexes and BibTeX from the shelf only (:meth:`answer_offline`)
        self._offline = False

    def attach(self, shelf: BulkShelf, is_fresh: Callable[[str], bool]) -> None:
        self._shelf, self._is_fresh = shelf, is_fresh

    def use_rows(self, rows: Mapping[str, Context]) -> None:
        self.rows = rows

    def answer_offline(self, ids: Sequence[str]) -> Iterator[tuple[str, Found]]:
        """``--offline``: old links whose year index is stored and whose paper's BibTeX has a record;
        never a request."""
        self._offline = True
        for ident in ids:
            if is_valid_id("neurips", ident) and ident.startswith(("legacy/", "bysource/")):
                answer = self._fetch_alias(ident)
                if isinstance(answer, Found):
                    yield ident, answer

    def fetch_one(self, ident: str) -> Answer:
        if not is_valid_id("neurips", ident):
            return Missing("not a NeurIPS proceedings id (YEAR/HASH)")
        if ident.startswith(("legacy/", "bysource/")):
            return self._fetch_alias(ident)
        return self._fetch_paper(ident)

    def _fetch_paper(self, ident: str, track: str = "") -> Answer:
        """The record of ``YEAR/HASH``: its Metadata.json to 2019, else (or when that has none) the
        site's BibTeX (the index's track suffix first, when it names one)."""
        if ident in self._papers:
            return self._papers[ident]
        if self._offline:
            return self._stored_paper(ident)
        forms = suffixes(int(ident.split("/")[0]))
        if track and track not in forms:
            forms = (track, *forms)
        answer = self._fetch_metadata(ident, forms[0]) if int(ident.split("/")[0]) <= METADATA_UNTIL else None
        if answer is None:
            answer = self._fetch_bibtex(ident, forms)
        self._papers[ident] = answer
        return answer

    def _fetch_metadata(self, ident: str, suffix: str) -> Answer | None:
        """The paper's Metadata.json as its record; None when the site has none to read (ask the BibTeX)."""
        path = metadata_path(ident, suffix)
        try:
            response = self.client.get(path)
        except ServiceError as error:
            return Missing(str(error), permanent=False)
        if response.status >= 500 or response.status == 429:
            return Missing(f"NeurIPS proceedings answered HTTP {response.status}", permanent=False)
        if response.status != 200:
            return None  # 404 (or another refusal): the BibTeX may still be there
        try:
            data = json.loads(response.text)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("title"), str) or not data["title"].strip():
            logger.debug("NeurIPS %s: Metadata.json is not the paper's metadata; asking the BibTeX", ident)
            return None
        record = {"id": ident, "suffix": suffix, "source": "metadata", "metadata": data}
        return Found(record, self.client.url_for(path))

    def _fetch_bibtex(self, ident: str, forms: tuple[str, ...]) -> Answer:
        """The site's BibTeX of ``YEAR/HASH``, each file-name form in turn."""
        answer: Answer = Missing(NOT_FOUND)
        for suffix in forms:
            path = bibtex_path(ident, suffix)
            try:
                response = self.client.get(path)
            except ServiceError as error:
                return Missing(str(error), permanent=False)
            if response.status == 404:
                continue
            if response.status != 200:
                return Missing(f"NeurIPS proceedings answered HTTP {response.status}", permanent=False)
            entry = site_bibtex(response.text, "NeurIPS proceedings")
            if isinstance(entry, Missing):
                return entry
            record = {"id": ident, "suffix": suffix, "source": "bibtex", "key": entry["key"]}
            record["fields"] = dict(entry["fields"])
            answer = Found(record, self.client.url_for(path))
            break
        return answer

    # -- old links: the row's title in its year's index -----------------------------
    def _fetch_alias(self, ident: str) -> Answer:
        row = self.rows.get(f"neurips:{ident}")
        title = collapse_whitespace(row.title) if row is not None else ""
        if not normalize_title(title):
            return Missing(f"no title in the list to find old NeurIPS link {ident} by", permanent=False)
        years = index_years(ident, row)
        if not years:
            return Missing(
                f"no year in the list for old NeurIPS link {ident} (its number and slug are not trusted)",
                permanent=False,
            )
        wanted = normalize_title(title)
        for year in years:
            index = self._index(year)
            if isinstance(index, Missing):
                return index
            hits = [paper for paper in index if normalize_title(paper.title) == wanted]
            if len(hits) > 1:
                return Missing(f"{len(hits)} papers titled {title!r} in the NeurIPS {year} index: none is taken")
            if hits:
                return self._mapped(ident, title, year, hits[0])
        tried = "/".join(str(year) for year in years)
        plural = "indexes" if len(years) > 1 else "index"
        return Missing(f"no paper titled {title!r} in the NeurIPS {tried} {plural}")

    def _mapped(self, ident: str, title: str, year: int, paper: IndexPaper) -> Answer:
        """The alias's record: the hash's (Metadata.json or BibTeX) and the evidence that maps it."""
        target = f"{year}/{paper.hash}"
        answer = self._fetch_paper(target, paper.suffix)
        if isinstance(answer, Missing):
            reason = f"the NeurIPS {year} index lists {title!r} as {target}, but: {answer.reason}"
            return Missing(reason, permanent=answer.permanent)
        record: dict[str, Any] = {"id": ident, "paper": target, "evidence": f"equal title in the {year} index"}
        record |= {"query": title, "index_title": paper.title, "index_authors": list(paper.authors)}
        record |= {name: value for name, value in answer.data.items() if name != "id"}
        return Found(record, answer.request)

    def _index(self, year: int) -> list[IndexPaper] | Missing:
        """The papers of a year's index: from the shelf when it holds it fresh, else fetched once and kept."""
        if year not in self._indexes:
            if self._offline:
                not_kept = Missing(f"offline and the NeurIPS {year} index is not in the cache", permanent=False)
                self._indexes[year] = self._stored_index(year) or not_kept
            else:
                self._indexes[year] = self._stored_index(year) or self._download_index(year)
        return self._indexes[year]

    def _stored_paper(self, ident: str) -> Answer:
        """``--offline``: the cached record of ``YEAR/HASH`` (as the site gave it), if there is one."""
        cached = self._shelf.get(self.service, ident) if self._shelf is not None else None
        if isinstance(cached, Record):
            return Found(cached.data, cached.request, fetched_at=cached.fetched_at)
        return Missing(f"offline and NeurIPS paper {ident} is not in the cache", permanent=False)

    def _stored_index(self, year: int) -> list[IndexPaper] | None:
        if self._shelf is None:
            return None
        name = f"{year}.html"
        stored = self._shelf.bulk_file(INDEX_FOLDER, name)
        if stored is None or not self._is_fresh(stored[1]):
            return None
        try:
            papers = parse_index(stored[0].read_bytes().decode("utf-8", errors="replace"), year)
        except OSError as error:
            self._shelf.set_aside_bulk_file(INDEX_FOLDER, name, f"unreadable: {error}")
            return None
        if not papers:
            self._shelf.set_aside_bulk_file(INDEX_FOLDER, name, "lists no paper")
            return None
        return papers

    def _download_index(self, year: int) -> list[IndexPaper] | Missing:
        path = index_path(year)
        try:
            response = self.client.get(path)
        except ServiceError as error:
            return Missing(str(error), permanent=False)
        if response.status == 404:
            return []  # no proceedings that year: no paper in it
        if response.status != 200:
            return Missing(f"NeurIPS proceedings answered HTTP {response.status} for the {year} index", permanent=False)
        papers = parse_index(response.text, year)
        if not papers:
            return Missing(f"the NeurIPS {year} index page lists no paper (not an index page?)", permanent=False)
        if self._shelf is not None:
            self._shelf.put_bulk_file(INDEX_FOLDER, f"{year}.html", response.content, self.client.url_for(path))
        return papers


def index_years(ident: str, row: Context | None) -> list[int]:
    """The years whose index an old link is looked up in, in order ([]: the row gives no year).

    A by-source link's own year and only it; a ``legacy/N`` link the row's year, then
    the year before and after.
    """
    if ident.startswith("bysource/"):
        return [int(ident.split("/")[1].split("-")[0])]
    year = row_year(row) if row is not None and ident.startswith("legacy/") else None
    if year is None:
        return []
    return [each for each in (year, year - 1, year + 1) if FIRST_YEAR <= each <= LAST_YEAR]


def kept_files(ident: str, row: Context | None = None) -> list[tuple[str, str]]:
    """(folder, name) of the files kept beside the records that a paper may be read from: an old link's year indexes."""
    return [(INDEX_FOLDER, f"{year}.html") for year in index_years(ident, row)] if is_valid_id("neurips", ident) else []


# -- record -> entry ------------------------------------------------------------


def abstract_page(ident: str, suffix: str = "") -> str:
    """The paper's page on the public site."""
    year, digest = ident.split("/")
    return f"{SITE}/paper_files/paper/{year}/hash/{digest}-Abstract{suffix}.html"


def from_neurips(record: dict[str, Any]) -> Entry:
    """The site's Metadata.json or BibTeX as ``@inproceedings`` in the proceedings of its year.

    An old link's record (``legacy/N``, ``bysource/YEAR-N``) names the hash it was mapped
    to in ``paper``: the entry is the hash's, and names both ids (one entry per work).
    A record without ``metadata`` (one cached before Metadata.json was asked, too) is BibTeX.
    """
    ident = str(record.get("paper") or record["id"])
    if isinstance(record.get("metadata"), dict):
        fields = metadata_fields(record["metadata"])
    else:
        given = {name.lower(): value for name, value in record.get("fields", {}).items()}
        fields = {name: given[name].strip() for name in KEPT if str(given.get(name, "")).strip()}
    fields["booktitle"] = BOOKTITLE
    fields.setdefault("year", ident.split("/")[0])
    fields["url"] = abstract_page(ident, str(record.get("suffix", "")))
    return Entry(
        key="",
        entry_type="inproceedings",
        fields=fields,
        identity=frozenset({f"neurips:{ident}", f"neurips:{record['id']}"}),
        origin="neurips",
    )


def metadata_fields(data: dict[str, Any]) -> dict[str, str]:
    """A Metadata.json's fields as the BibTeX writes them (plain text made LaTeX-safe), and its abstract.

    No ``booktitle`` (the caller's, as for the BibTeX) and no ``year`` unless the JSON has one.
    """
    fields: dict[str, str] = {}
    title = _text(data.get("title"))
    if title:
        fields["title"] = to_latex(title)
    authors = _people(data.get("authors"))
    if authors:
        fields["author"] = authors
    editors = _people(data.get("editor", data.get("editors")))
    if editors:
        fields["editor"] = editors
    for name in ("volume", "publisher", "year"):
        if _text(data.get(name)):
            fields[name] = to_latex(_text(data.get(name)))
    first, last = _text(data.get("page_first")), _text(data.get("page_last"))
    if first or last:
        fields["pages"] = f"{first}--{last}" if first and last else first or last
    abstract = _text(data.get("abstract"))
    if abstract:
        fields["abstract"] = to_latex(abstract)
    return fields


def _text(value: Any) -> str:
    """A JSON string or number as text, whitespace collapsed ("" for null, a list, a bool)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return collapse_whitespace(str(value))


def _people(value: Any) -> str:
    """``[{"given_name", "family_name"}, ...]`` (or plain names) as ``Family, Given and ...``."""
    people = [value] if isinstance(value, (str, dict)) else value if isinstance(value, list) else []
    names = []
    for person in people:
        if isinstance(person, dict):
            family, given = _text(person.get("family_name")), _text(person.get("given_name"))
            if family or given:
                names.append(_latex_name(Name(given, family) if family else Name("", given)).bibtex())
        elif _text(person):
            names.append(to_latex(_text(person)))  # a name as written ("H. Wallach"), as the BibTeX writes editors
    return " and ".join(names)
