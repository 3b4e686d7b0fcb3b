"""PMLR: ``{TRIDENTBIB_PMLR_URL}/vN/ID.html``, or the volume's ``/vN/assets/bib/bibliography.bib``.

A paper of the Proceedings of Machine Learning Research is named by its volume and its
id in it, ``v139/zhao21c`` (the old JMLR W&CP links on jmlr.org/proceedings are the same
papers). Every volume is a static site built from one template, so each paper page
carries Highwire ``citation_*`` meta, the abstract (``#abstract``) and the paper's BibTeX
(``#bibtex``, the template that also writes the volume's bibliography: ``title, author,
booktitle, pages, year, editor, volume, series, address?, month, publisher, pdf, url,
abstract``). The record is that BibTeX when the page has it, else the meta (no editors
then, and the booktitle from the page's ``#info`` line).

**Per volume.** ``/vN/assets/bib/bibliography.bib`` holds every paper of the volume in
the same template (keys ``pmlr-vN-ID``). When a run needs at least
``pmlr_volume_threshold`` papers of one volume, that file is fetched once and kept
whole in ``cache/pmlr-volume/vN.bib``; later runs and lists read their papers of that
volume from it (while the run's freshness rule accepts its date). A paper the file
lacks, or a volume whose file cannot be had, is asked page by page. With ``--offline``
a stored file answers its papers that have no record of their own
(:meth:`PmlrResolver.answer_offline`; nothing is downloaded or written).

The entry is ``@inproceedings`` with the proceedings' title as ``booktitle``, ``series =
{Proceedings of Machine Learning Research}``, the volume, editors, ``publisher =
{PMLR}``, pages, the year of issue and the abstract. PMLR's ``month`` is the
conference's date range (``18--24 Jul``), not a month, so it is dropped; ``url`` is the
public paper page. A 404 on the page means PMLR has no such paper.

Politeness: a static site with no published limits, one connection and
``TRIDENTBIB_PMLR_DELAY`` (default 1 s) between requests.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from tridentbib.bibtex_read import BibtexReadError, read_single_entry
from tridentbib.entry_fields import author_field
from tridentbib.http import ServiceClient, ServiceError
from tridentbib.identifiers import is_valid_id
from tridentbib.latex import protect_title, to_latex
from tridentbib.model import Context, Entry
from tridentbib.resolvers.acl import split_entries
from tridentbib.resolvers.interface import Answer, BulkShelf, Found, Missing, Resolver, get_file
from tridentbib.resolvers.paper_page import PaperPage

logger = logging.getLogger(__name__)

#: the public site, for the entry's ``url`` (the settings URL may point at a mirror or a fake)
SITE = "https://proceedings.mlr.press"
SERIES = "Proceedings of Machine Learning Research"
PUBLISHER = "PMLR"
#: where volume bibliographies are kept whole (``cache/pmlr-volume/v139.bib``)
VOLUME_FOLDER = "pmlr-volume"
NOT_FOUND = "PMLR has no paper with this volume and id"
#: fields of PMLR's BibTeX an entry keeps (``month`` is a date range, ``pdf``/``url`` are replaced)
KEPT = ("title", "author", "booktitle", "editor", "pages", "year", "address", "doi", "abstract")
_KEY = re.compile(r"@\s*[A-Za-z]+\s*\{\s*pmlr-(v[0-9]+)-([A-Za-z0-9_-]+)\s*,", re.ASCII)


def page_path(ident: str) -> str:
    return f"/{ident}.html"


def volume_path(volume: str) -> str:
    return f"/{volume}/assets/bib/bibliography.bib"


class PmlrResolver(Resolver):
    """Paper pages one by one, or a volume's bibliography once for many papers of it."""

    service = "pmlr"

    def __init__(self, client: ServiceClient, threshold: int = 3) -> None:
        super().__init__(client)
        self.threshold = threshold
        self._shelf: BulkShelf | None = None
        self._is_fresh: Callable[[str], bool] = lambda fetched_at: True

    def attach(self, shelf: BulkShelf, is_fresh: Callable[[str], bool]) -> None:
        self._shelf, self._is_fresh = shelf, is_fresh

    def fetch(self, ids: Sequence[str]) -> Iterator[tuple[str, Answer]]:
        volumes: dict[str, list[str]] = {}
        for ident in ids:
            if not is_valid_id("pmlr", ident):
                yield ident, Missing("not a PMLR id (vN/ID)")
            else:
                volumes.setdefault(ident.split("/")[0], []).append(ident)
        for volume, members in volumes.items():
            from_volume = self._from_volume(volume, members)
            yield from from_volume.items()
            for ident in members:
                if ident not in from_volume:
                    yield ident, self._fetch_page(ident)

    # -- one paper page ------------------------------------------------------------
    def _fetch_page(self, ident: str) -> Answer:
        path = page_path(ident)
        response = get_file(self.client, path, "PMLR", NOT_FOUND)
        if isinstance(response, Missing):
            return response
        record = record_from_page(ident, response.text)
        if record is None:
            return Missing("PMLR answered with a page that has no citation_title (not a paper page?)", permanent=False)
        return Found(record, self.client.url_for(path))

    # -- a volume's bibliography -----------------------------------------------------
    def _from_volume(self, volume: str, members: list[str]) -> dict[str, Answer]:
        """Answers for the members the volume's bibliography holds (none when it is not used or unusable)."""
        if self._shelf is None:
            return {}
        name = f"{volume}.bib"
        stored = self._shelf.bulk_file(VOLUME_FOLDER, name)
        if stored is None or not self._is_fresh(stored[1]):
            if len(members) < self.threshold:
                return {}
            stored = self._download(self._shelf, volume)
            if stored is None:
                return {}
        return self._read_volume(volume, stored, members)

    def answer_offline(self, ids: Sequence[str]) -> Iterator[tuple[str, Found]]:
        """``--offline``: the ids whose volume bibliography is stored, whatever its age; never a download."""
        volumes: dict[str, list[str]] = {}
        for ident in ids:
            if is_valid_id("pmlr", ident):
                volumes.setdefault(ident.split("/")[0], []).append(ident)
        for volume, members in volumes.items():
            stored = self._shelf.bulk_file(VOLUME_FOLDER, f"{volume}.bib") if self._shelf is not None else None
            if stored is not None:
                found = self._read_volume(volume, stored, members)
                yield from ((ident, answer) for ident, answer in found.items() if isinstance(answer, Found))

    def _read_volume(self, volume: str, stored: tuple[Path, str], members: list[str]) -> dict[str, Answer]:
        """Answers for the members the stored bibliography holds; an unreadable file is set aside (none then)."""
        assert self._shelf is not None
        name = f"{volume}.bib"
        path, fetched_at = stored
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as error:
            self._shelf.set_aside_bulk_file(VOLUME_FOLDER, name, f"unreadable: {error}")
            return {}
        request = self.client.url_for(volume_path(volume))
        return {
            ident: Found(record, request, fetched_at=fetched_at)
            for ident, record in volume_records(text, set(members)).items()
        }

    def _download(self, shelf: BulkShelf, volume: str) -> tuple[Path, str] | None:
        """Fetch and keep the volume's bibliography; None (and a warning: one page per paper instead)
        when it cannot be had."""
        path = volume_path(volume)
        try:
            response = self.client.get(path)
            problem = f"HTTP {response.status}" if response.status != 200 else None
        except ServiceError as error:
            problem = str(error)
        if problem is None and not response.text.lstrip("\ufeff \t\r\n").startswith(("@", "%")):
            problem = "not BibTeX"
        if problem is not None:
            logger.warning("pmlr: %s not used (%s); fetching one page per paper", path, problem)
            return None
        return shelf.put_bulk_file(VOLUME_FOLDER, f"{volume}.bib", response.content, self.client.url_for(path))


def kept_files(ident: str, row: Context | None = None) -> list[tuple[str, str]]:
    """(folder, name) of the files kept beside the records that a paper may be read from: its volume's bibliography."""
    return [(VOLUME_FOLDER, f"{ident.split('/')[0]}.bib")] if is_valid_id("pmlr", ident) else []


def volume_records(text: str, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """Records of the wanted ids (``vN/ID``) in a volume bibliography, first entry of each."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in split_entries(text.splitlines(keepends=True)):
        key = _KEY.match(chunk.lstrip())
        ident = f"{key.group(1)}/{key.group(2)}" if key else None
        if ident not in wanted or ident in found:
            continue
        try:
            entry = read_single_entry(chunk)
        except BibtexReadError as error:
            logger.warning("pmlr: entry %s of the volume bibliography could not be read (%s)", ident, error)
            continue
        found[ident] = {"id": ident, "source": "volume", "key": entry["key"], "fields": dict(entry["fields"])}
    return found


def record_from_page(ident: str, html: str) -> dict[str, Any] | None:
    """The paper's record from its page: the page's BibTeX when it has one, else its ``citation_*`` meta."""
    page = PaperPage.read(html, ("bibtex", "abstract", "info"))
    title = page.first("citation_title")
    if not title:
        return None
    abstract = page.block("abstract")
    bibtex = page.block("bibtex", keep_lines=True)
    if bibtex.startswith("@"):
        try:
            entry = read_single_entry(bibtex)
        except BibtexReadError:
            entry = None
        if entry is not None and entry["fields"].get("title"):
            fields = dict(entry["fields"])
            if abstract and not fields.get("abstract"):
                fields["abstract"] = to_latex(abstract)
            return {"id": ident, "source": "page", "key": entry["key"], "fields": fields}
    fields = {"title": protect_title(to_latex(title)), "author": author_field(page.meta.get("citation_author", []))}
    first, last = page.first("citation_firstpage"), page.first("citation_lastpage")
    if first:
        fields["pages"] = f"{first}--{last}" if last and last != first else first
    date = re.match(r"\s*([0-9]{4})", page.first("citation_publication_date"))
    if date:
        fields["year"] = date.group(1)
    info = page.block(
        "info"
    )  # "Proceedings of the 38th International Conference on Machine Learning, PMLR 139:1-9, 2021."
    booktitle = info.split(", PMLR ")[0].strip() if ", PMLR " in info else ""
    booktitle = booktitle or page.first("citation_inbook_title") or page.first("citation_conference_title")
    if booktitle:
        fields["booktitle"] = to_latex(booktitle)
    if page.first("citation_doi"):
        fields["doi"] = page.first("citation_doi")
    if abstract:
        fields["abstract"] = to_latex(abstract)
    return {"id": ident, "source": "page", "key": "", "fields": {k: v for k, v in fields.items() if v}}


# -- record -> entry ------------------------------------------------------------


def paper_page(ident: str) -> str:
    """The paper's page on the public site."""
    return f"{SITE}/{ident}.html"


def from_pmlr(record: dict[str, Any]) -> Entry:
    """PMLR's record as ``@inproceedings`` in its volume of the series (never its ``month`` date range)."""
    ident = record["id"]
    given = {name.lower(): str(value).strip() for name, value in record.get("fields", {}).items()}
    fields = {name: given[name] for name in KEPT if given.get(name)}
    fields["series"] = SERIES
    fields["volume"] = ident.split("/")[0][1:]
    fields["publisher"] = PUBLISHER
    fields["url"] = paper_page(ident)
    identity = {f"pmlr:{ident}"}
    if fields.get("doi"):
        identity.add(f"doi:{fields['doi'].lower()}")
    return Entry(key="", entry_type="inproceedings", fields=fields, identity=frozenset(identity), origin="pmlr")
