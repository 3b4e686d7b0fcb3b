"""Fake arXiv export API: ``GET|POST /arxiv/api/query``.

Reproduces the Atom feeds of https://export.arxiv.org/api/query byte for byte as the
fixtures in tests/fixtures/arxiv/ spell them out: the current (2025+) layout with the
namespaces declared once on ``<feed>``, the 400 error feed for malformed ids, and --
with ``classic = True`` -- the pre-2025 layout from the arXiv user manual. Behaviour
that trips real clients is kept: ``max_results`` defaults to 10 even for a long
``id_list``, unknown but well-formed ids are silently dropped, entry ids are
``http://`` and always versioned.

Two ways to register papers:

* ``add_entry_xml(text)`` -- an ``<entry>`` cut from a feed (e.g. a fixture); it is
  sent back exactly as given (whitespace, entities, odd summaries);
* ``add_paper(ArxivPaper(...))`` -- rendered through a template that mirrors the
  real entry layout element by element (checked against every fixture entry).
"""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from xml.sax.saxutils import escape

from .common import FIXTURES_DIR, Request, Response, not_found

ATOM_NS = "http://www.w3.org/2005/Atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
ARXIV_NS = "http://arxiv.org/schemas/atom"

NEW_STYLE_ID = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
OLD_STYLE_ID = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$")
VERSION_SUFFIX = re.compile(r"v(\d+)$")
ENTRY_PATTERN = re.compile(r"  <entry>\n.*?</entry>\n", re.DOTALL)

DEFAULT_MAX_RESULTS = 10  # the real default, also for id_list queries
MAX_RESULTS_LIMIT = 30000  # user manual 3.1.1.2: more is an HTTP 400
CONTENT_TYPE = "application/atom+xml; charset=utf-8"

CURRENT_FEED_OPEN = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    f'<feed xmlns:opensearch="{OPENSEARCH_NS}" xmlns:arxiv="{ARXIV_NS}" xmlns="{ATOM_NS}">\n'
)


def split_version(arxiv_id: str) -> tuple[str, int | None]:
    """``"2104.12255v1"`` -> ``("2104.12255", 1)``; no suffix -> version ``None``."""
    match = VERSION_SUFFIX.search(arxiv_id)
    if match is None:
        return arxiv_id, None
    return arxiv_id[: match.start()], int(match.group(1))


def is_well_formed_id(arxiv_id: str) -> bool:
    return bool(NEW_STYLE_ID.match(arxiv_id) or OLD_STYLE_ID.match(arxiv_id))


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", text.casefold()))


@dataclass
class ArxivPaper:
    """A generated arXiv paper. ``id`` has no version; dates are ISO ``...Z`` strings.

    ``authors`` items are ``(name, [affiliation, ...])`` or just a name string.
    ``updated`` defaults to ``published``; ``categories`` to ``[primary_category]``.
    """

    id: str
    version: int = 1
    title: str = "Untitled"
    authors: list = field(default_factory=lambda: [("Ada Lovelace", [])])
    summary: str = "An abstract."
    published: str = "2021-01-04T18:00:00Z"
    updated: str | None = None
    primary_category: str = "cs.LG"
    categories: list[str] | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    def __post_init__(self) -> None:
        base, version = split_version(self.id)
        if version is not None:
            raise ValueError(f"ArxivPaper.id must not carry a version: {self.id!r}")
        if not is_well_formed_id(base):
            raise ValueError(f"not an arXiv id: {self.id!r}")
        self.authors = [(a, []) if isinstance(a, str) else (a[0], list(a[1])) for a in self.authors]
        if self.updated is None:
            self.updated = self.published
        if self.categories is None:
            self.categories = [self.primary_category]


@dataclass
class _Stored:
    """One registered paper, either verbatim XML or a generated ArxivPaper."""

    canonical_id: str
    version: int
    title: str
    author_names: list[str]
    summary: str
    comment: str
    journal_ref: str
    categories: list[str]
    raw_entry: str | None = None
    paper: ArxivPaper | None = None

    def search_text(self, field_prefix: str) -> str:
        return {
            "ti": self.title,
            "au": " ".join(self.author_names),
            "abs": self.summary,
            "co": self.comment,
            "jr": self.journal_ref,
            "cat": " ".join(self.categories),
            "id": self.canonical_id,
        }.get(field_prefix) or " ".join(
            [self.title, " ".join(self.author_names), self.summary, self.comment, self.journal_ref]
        )


class ArxivService:
    """Registry + request handler for the fake arXiv API."""

    def __init__(self) -> None:
        #: render the pre-2025 "classic" feed layout (the arXiv user manual's)
        self.classic = False
        #: freeze ``<updated>`` (UTC) to make whole responses byte-comparable
        self.fixed_time: datetime | None = None
        self._papers: dict[str, _Stored] = {}

    # ------------------------------------------------------------------ registry
    def add_entry_xml(self, entry_xml: str) -> str:
        """Register a verbatim ``  <entry>...</entry>\\n`` block; returns its canonical id.

        The text is sent back unchanged, so keep the leading indentation and the
        trailing newline of the source feed (``load_fixture_entries`` does).
        """
        wrapped = f'<feed xmlns="{ATOM_NS}" xmlns:arxiv="{ARXIV_NS}">{entry_xml}</feed>'
        entry = ET.fromstring(wrapped).find(f"{{{ATOM_NS}}}entry")
        if entry is None:
            raise ValueError("no <entry> element in entry_xml")

        def text(tag: str) -> str:
            element = entry.find(tag)
            return "" if element is None else element.text or ""

        entry_id = text(f"{{{ATOM_NS}}}id")
        canonical, version = split_version(entry_id.split("/abs/", 1)[-1])
        stored = _Stored(
            canonical_id=canonical,
            version=version or 1,
            title=text(f"{{{ATOM_NS}}}title"),
            author_names=[a.findtext(f"{{{ATOM_NS}}}name") or "" for a in entry.findall(f"{{{ATOM_NS}}}author")],
            summary=text(f"{{{ATOM_NS}}}summary"),
            comment=text(f"{{{ARXIV_NS}}}comment"),
            journal_ref=text(f"{{{ARXIV_NS}}}journal_ref"),
            categories=[c.get("term", "") for c in entry.findall(f"{{{ATOM_NS}}}category")],
            raw_entry=entry_xml,
        )
        self._papers[canonical] = stored
        return canonical

    def add_paper(self, paper: ArxivPaper) -> str:
        """Register a generated paper (rendered in the current or classic layout)."""
        self._papers[paper.id] = _Stored(
            canonical_id=paper.id,
            version=paper.version,
            title=paper.title,
            author_names=[name for name, _ in paper.authors],
            summary=paper.summary,
            comment=paper.comment or "",
            journal_ref=paper.journal_ref or "",
            categories=list(paper.categories or []),
            paper=paper,
        )
        return paper.id

    def load_fixture_entries(self) -> list[str]:
        """Register every ``<entry>`` of the fixture feeds (tests/fixtures/arxiv/); returns their ids.

        Error feeds are skipped (their entry id is ``.../api/errors#...``).
        """
        loaded = []
        for path in sorted((FIXTURES_DIR / "arxiv").glob("*.atom.xml")):
            raw = path.read_bytes().decode("utf-8")
            for entry in ENTRY_PATTERN.findall(raw):
                if "/api/errors#" in entry:
                    continue
                loaded.append(self.add_entry_xml(entry))
        return loaded

    @staticmethod
    def fixture_entries() -> dict[str, str]:
        """Verbatim entry text of every fixture paper, keyed by versioned id."""
        entries = {}
        for path in sorted((FIXTURES_DIR / "arxiv").glob("*.atom.xml")):
            for entry in ENTRY_PATTERN.findall(path.read_bytes().decode("utf-8")):
                if "/api/errors#" not in entry:
                    entries[re.search(r"<id>http://arxiv.org/abs/(.+?)</id>", entry).group(1)] = entry
        return entries

    def clear(self) -> None:
        self._papers.clear()

    def __contains__(self, arxiv_id: str) -> bool:
        return split_version(arxiv_id)[0] in self._papers

    # ------------------------------------------------------------------- serving
    def handle(self, request: Request) -> Response:
        if request.subpath.rstrip("/") != "/api/query":
            return not_found(request.path)
        params = request.form()

        def first(name: str, default: str) -> str:
            values = params.get(name)
            return values[0] if values else default

        raw_query = first("search_query", "")
        raw_ids = first("id_list", "")
        start_text = first("start", "0")
        max_text = first("max_results", str(DEFAULT_MAX_RESULTS))

        error = _validate_paging(start_text, max_text)
        ids = [part.strip() for part in raw_ids.split(",") if part.strip()]
        if error is None:
            malformed = next((i for i in ids if not is_well_formed_id(i)), None)
            if malformed is not None:
                error = f"incorrect id format for {malformed}"
        if error is not None:
            body = self._error_feed(error, raw_query, raw_ids)
            return Response(400, body.encode("utf-8"), {"Content-Type": CONTENT_TYPE})

        start, max_results = int(start_text), int(max_text)
        matches = self._select(ids, raw_query)
        page = matches[start : start + max_results]
        entries = "".join(self._render_entry(stored, version) for stored, version in page)
        feed = self._feed(_canonical_query(raw_query), raw_ids, start, max_results, len(matches), entries)
        return Response(200, feed.encode("utf-8"), {"Content-Type": CONTENT_TYPE})

    def _select(self, ids: list[str], raw_query: str) -> list[tuple[_Stored, int | None]]:
        """Papers to return, in id_list order (or registration order for searches)."""
        terms = _parse_search(raw_query) if raw_query.strip() else None
        if ids:
            found = []
            for requested in ids:
                canonical, version = split_version(requested)
                stored = self._papers.get(canonical)
                if stored is None or not _has_version(stored, version):
                    continue  # unknown but well-formed: silently omitted
                found.append((stored, version))
            candidates = found
        elif terms is not None:
            candidates = [(stored, None) for stored in self._papers.values()]
        else:
            return []
        if terms is None:
            return candidates
        return [(stored, version) for stored, version in candidates if _matches(stored, terms)]

    def _now(self) -> datetime:
        return self.fixed_time or datetime.now(UTC)

    # ----------------------------------------------------------------- rendering
    def _render_entry(self, stored: _Stored, version: int | None) -> str:
        if stored.raw_entry is not None:
            return stored.raw_entry
        assert stored.paper is not None
        render = render_classic_entry if self.classic else render_entry
        return render(stored.paper, version or stored.paper.version)

    def _feed(self, search_query: str, id_list: str, start: int, max_results: int, total: int, entries: str) -> str:
        title_query = f"search_query={search_query}&id_list={id_list}&start={start}&max_results={max_results}"
        feed_id = _feed_hash(title_query)
        if self.classic:
            now = _classic_timestamp(self._now())
            return (
                '<?xml version="1.0" encoding="utf-8"?>\n'
                f'<feed xmlns="{ATOM_NS}" xmlns:opensearch="{OPENSEARCH_NS}" xmlns:arxiv="{ARXIV_NS}">\n'
                f'  <link xmlns="{ATOM_NS}" href="http://arxiv.org/api/query?{_attr(title_query)}" '
                'rel="self" type="application/atom+xml"/>\n'
                f'  <title xmlns="{ATOM_NS}">ArXiv Query: {escape(title_query)}</title>\n'
                f'  <id xmlns="{ATOM_NS}">http://arxiv.org/api/{feed_id}</id>\n'
                f'  <updated xmlns="{ATOM_NS}">{now}</updated>\n'
                f'  <opensearch:totalResults xmlns:opensearch="{OPENSEARCH_NS}">{total}</opensearch:totalResults>\n'
                f'  <opensearch:startIndex xmlns:opensearch="{OPENSEARCH_NS}">{start}</opensearch:startIndex>\n'
                f'  <opensearch:itemsPerPage xmlns:opensearch="{OPENSEARCH_NS}">{max_results}'
                "</opensearch:itemsPerPage>\n"
                f"{entries}</feed>\n"
            )
        link_query = f"search_query={search_query}&start={start}&max_results={max_results}&id_list={id_list}"
        return (
            CURRENT_FEED_OPEN + f"  <id>https://arxiv.org/api/{feed_id}</id>\n"
            f"  <title>arXiv Query: {escape(title_query)}</title>\n"
            f"  <updated>{_utc_timestamp(self._now())}</updated>\n"
            f'  <link href="https://arxiv.org/api/query?{_attr(link_query)}" type="application/atom+xml"/>\n'
            f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>\n"
            f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
            f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
            f"{entries}</feed>\n"
        )

    def _error_feed(self, message: str, search_query: str, id_list: str) -> str:
        anchor = escape(message.replace(" ", "_"))
        if self.classic:
            now = _classic_timestamp(self._now())
            query = f"search_query={search_query}&id_list={id_list}"
            return (
                '<?xml version="1.0" encoding="utf-8"?>\n'
                f'<feed xmlns="{ATOM_NS}" xmlns:opensearch="{OPENSEARCH_NS}">\n'
                f'  <link xmlns="{ATOM_NS}" href="http://arxiv.org/api/query?{_attr(query)}" '
                'rel="self" type="application/atom+xml"/>\n'
                f'  <title xmlns="{ATOM_NS}">ArXiv Query: {escape(query)}</title>\n'
                f'  <id xmlns="{ATOM_NS}">http://arxiv.org/api/{_feed_hash(query)}</id>\n'
                f'  <updated xmlns="{ATOM_NS}">{now}</updated>\n'
                f'  <opensearch:totalResults xmlns:opensearch="{OPENSEARCH_NS}">1</opensearch:totalResults>\n'
                f'  <opensearch:startIndex xmlns:opensearch="{OPENSEARCH_NS}">0</opensearch:startIndex>\n'
                "\n"
                f'  <opensearch:itemsPerPage xmlns:opensearch="{OPENSEARCH_NS}">1</opensearch:itemsPerPage>\n'
                f'  <entry xmlns="{ATOM_NS}">\n'
                f'    <id xmlns="{ATOM_NS}">http://arxiv.org/api/errors#{anchor}</id>\n'
                f'    <title xmlns="{ATOM_NS}">Error</title>\n'
                f'    <summary xmlns="{ATOM_NS}">{escape(message)}</summary>\n'
                f'    <updated xmlns="{ATOM_NS}">{now}</updated>\n'
                "\n"
                f'    <link xmlns="{ATOM_NS}" href="http://arxiv.org/api/errors#{anchor}" '
                'rel="alternate" type="text/html"/>\n'
                f'    <author xmlns="{ATOM_NS}">\n'
                f'      <name xmlns="{ATOM_NS}">arXiv api core</name>\n'
                "    </author>\n"
                "  </entry>\n"
                "</feed>\n"
            )
        now = _utc_timestamp(self._now())
        return (
            CURRENT_FEED_OPEN + "  <id>https://arxiv.org/</id>\n"
            "  <title>arXiv Search Results</title>\n"
            f"  <updated>{now}</updated>\n"
            "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
            "  <opensearch:totalResults>1</opensearch:totalResults>\n"
            "  <opensearch:startIndex>0</opensearch:startIndex>\n"
            "  <entry>\n"
            f"    <id>https://arxiv.org/api/errors#{anchor}</id>\n"
            "    <title>Error</title>\n"
            f"    <updated>{now}</updated>\n"
            f'    <link href="https://arxiv.org/api/errors#{anchor}" rel="alternate" type="text/html"/>\n'
            f"    <summary>{escape(message)}</summary>\n"
            "    <author>\n"
            "      <name>arXiv api core</name>\n"
            "    </author>\n"
            "  </entry>\n"
            "</feed>\n"
        )


# --------------------------------------------------------------------- templates
def render_entry(paper: ArxivPaper, version: int | None = None) -> str:
    """One ``<entry>`` in the current (2025+) layout, element order as arXiv sends it."""
    version = version or paper.version
    vid = f"{paper.id}v{version}"
    updated = paper.updated if version == paper.version else paper.published
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{vid}</id>",
        f"    <title>{escape(paper.title)}</title>",
        f"    <updated>{updated}</updated>",
        f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>',
        f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf" title="pdf"/>',
        f"    <summary>{escape(paper.summary)}</summary>",
    ]
    lines += [f'    <category term="{_attr(c)}" scheme="{ARXIV_NS}"/>' for c in paper.categories or []]
    lines.append(f"    <published>{paper.published}</published>")
    if paper.comment is not None:
        lines.append(f"    <arxiv:comment>{escape(paper.comment)}</arxiv:comment>")
    lines.append(f'    <arxiv:primary_category term="{_attr(paper.primary_category)}"/>')
    if paper.journal_ref is not None:
        lines.append(f"    <arxiv:journal_ref>{escape(paper.journal_ref)}</arxiv:journal_ref>")
    for name, affiliations in paper.authors:
        lines.append("    <author>")
        lines.append(f"      <name>{escape(name)}</name>")
        lines += [f"      <arxiv:affiliation>{escape(a)}</arxiv:affiliation>" for a in affiliations]
        lines.append("    </author>")
    if paper.doi is not None:
        lines.append(f"    <arxiv:doi>{escape(paper.doi)}</arxiv:doi>")
        lines.append(f'    <link rel="related" href="https://doi.org/{_attr(paper.doi)}" title="doi"/>')
    lines.append("  </entry>")
    return "\n".join(lines) + "\n"


def render_classic_entry(paper: ArxivPaper, version: int | None = None) -> str:
    """One ``<entry>`` in the classic layout of the arXiv user manual's sample output.

    Per-element ``xmlns``; ``http://`` links; the title wrapped with newline + two
    spaces; the summary starting with two spaces, wrapped at 80 columns with bare
    newlines and ending in a newline -- exactly like the manual's example.
    """
    version = version or paper.version
    vid = f"{paper.id}v{version}"
    updated = paper.updated if version == paper.version else paper.published
    atom = f'xmlns="{ATOM_NS}"'
    arx = f'xmlns:arxiv="{ARXIV_NS}"'
    lines = [
        f"  <entry {atom} {arx}>",
        f"    <id {atom}>http://arxiv.org/abs/{vid}</id>",
        f"    <published {atom}>{paper.published}</published>",
        f"    <updated {atom}>{updated}</updated>",
        f"    <title {atom}>{escape(wrap_classic_title(paper.title))}</title>",
        f"    <summary {atom}>{escape(wrap_classic_summary(paper.summary))}</summary>",
    ]
    for name, affiliations in paper.authors:
        lines.append(f"    <author {atom}>")
        lines.append(f"      <name {atom}>{escape(name)}</name>")
        lines += [f"      <arxiv:affiliation {arx}>{escape(a)}</arxiv:affiliation>" for a in affiliations]
        lines.append("    </author>")
    if paper.doi is not None:
        lines.append(f"    <arxiv:doi {arx}>{escape(paper.doi)}</arxiv:doi>")
        lines.append(f'    <link {atom} title="doi" href="http://dx.doi.org/{_attr(paper.doi)}" rel="related"/>')
    if paper.comment is not None:
        lines.append(f"    <arxiv:comment {arx}>{escape(paper.comment)}</arxiv:comment>")
    if paper.journal_ref is not None:
        lines.append(f"    <arxiv:journal_ref {arx}>{escape(paper.journal_ref)}</arxiv:journal_ref>")
    lines.append(f'    <link {atom} href="http://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>')
    lines.append(
        f'    <link {atom} title="pdf" href="http://arxiv.org/pdf/{vid}" rel="related" type="application/pdf"/>'
    )
    lines.append(f'    <arxiv:primary_category {arx} term="{_attr(paper.primary_category)}" scheme="{ARXIV_NS}"/>')
    lines += [f'    <category term="{_attr(c)}" scheme="{ARXIV_NS}"/>' for c in paper.categories or []]
    lines.append("  </entry>")
    return "\n".join(lines) + "\n"


def wrap_classic_title(title: str, width: int = 72) -> str:
    return (
        "\n  ".join(textwrap.wrap(" ".join(title.split()), width=width, break_long_words=False, break_on_hyphens=False))
        or title
    )


def wrap_classic_summary(summary: str, width: int = 80) -> str:
    lines = textwrap.wrap(
        " ".join(summary.split()), width=width, initial_indent="  ", break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------- helpers
def _validate_paging(start_text: str, max_text: str) -> str | None:
    """Messages follow the user manual's error table (3.4); exact wording unverified."""
    for name, text in (("start", start_text), ("max_results", max_text)):
        try:
            value = int(text)
        except ValueError:
            return f"{name} must be an integer"
        if value < 0:
            return f"{name} must be >= 0"
    if int(max_text) > MAX_RESULTS_LIMIT:
        return f"max_results must be less than or equal to {MAX_RESULTS_LIMIT}"
    return None


def _has_version(stored: _Stored, version: int | None) -> bool:
    if version is None:
        return True
    if stored.raw_entry is not None:
        return version == stored.version  # verbatim entries exist in one version only
    return 1 <= version <= stored.version


def _canonical_query(raw_query: str) -> str:
    """arXiv echoes a bare ``calibration`` as ``all:calibration`` (as in the search fixture)."""
    query = raw_query.strip()
    if query and ":" not in query:
        return f"all:{query}"
    return query


def _feed_hash(query: str) -> str:
    """27-character base64 id like ``oqaUC9OB2SccftmJHZqrxySXrao`` (real algorithm unknown)."""
    return base64.b64encode(hashlib.sha1(query.encode("utf-8")).digest()).decode("ascii").rstrip("=")


def _utc_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _classic_timestamp(moment: datetime) -> str:
    """Classic ``<updated>``: midnight of the current day, US Eastern offset."""
    try:
        from zoneinfo import ZoneInfo

        local = moment.astimezone(ZoneInfo("America/New_York"))
    except Exception:  # no tz database: fall back to EDT
        local = moment.astimezone(timezone(timedelta(hours=-4)))
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%dT00:00:00") + f"{offset[:3]}:{offset[3:]}"


@dataclass(frozen=True)
class _Term:
    field: str
    words: frozenset[str]
    negated: bool


SEARCH_TOKEN = re.compile(r'(?:(ti|au|abs|co|jr|cat|rn|id|all):)?("[^"]*"|[^\s()"]+)|[()]')


def _parse_search(query: str) -> list[_Term]:
    """Very small subset of arXiv's query language, enough for title look-ups.

    ``ti:"a phrase"``, ``ti:word``, ``au:``/``abs:``/``co:``/``jr:``/``cat:``/``all:``
    prefixes, bare words (= ``all:``), ``AND``/``OR``/``ANDNOT``. Every term must
    match (``OR`` is treated like ``AND``), a term matches when all its words occur
    in the field, case-insensitively; phrases are not checked for adjacency.
    """
    terms: list[_Term] = []
    negate_next = False
    for match in SEARCH_TOKEN.finditer(query):
        prefix, value = match.group(1), match.group(2)
        if value is None:
            continue  # parenthesis
        if prefix is None and value in ("AND", "OR"):
            continue
        if prefix is None and value == "ANDNOT":
            negate_next = True
            continue
        words = _words(value.strip('"'))
        if words:
            terms.append(_Term(prefix or "all", frozenset(words), negate_next))
        negate_next = False
    return terms


def _matches(stored: _Stored, terms: list[_Term]) -> bool:
    for term in terms:
        found = term.words <= _words(stored.search_text(term.field))
        if found == term.negated:
            return False
    return True
