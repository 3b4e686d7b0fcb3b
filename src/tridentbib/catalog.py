"""Every service the tool asks and every cache folder it keeps: one row each.

The cache (which folders exist and how their files are named), ``cache stats`` and
``cache prune`` (which folders to count and sweep) and the merge notes (how a value's
source is named) all read this table, so a new service is one row here beside its
resolver module and its registry line (:mod:`tridentbib.resolvers.registry`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Folder:
    """One cache folder: the service's records (or a lookup's answers) and how messages name its source."""

    name: str  #: the folder, and the service's name in reports and request counts
    label: str  #: how a merge note names the source of a value
    #: records keyed by free text (a normalised title): the file is named by its hash
    free_text: bool = False
    #: whole files kept beside their JSON header (a bulk export, a volume, an index), not records
    kept_whole: bool = False


CATALOG: tuple[Folder, ...] = (
    Folder("arxiv", "arXiv"),
    Folder("openreview", "OpenReview"),
    Folder("acl", "the ACL Anthology"),
    Folder("crossref", "Crossref"),
    Folder("datacite", "DataCite"),
    Folder("neurips", "the NeurIPS proceedings"),
    Folder("pmlr", "PMLR"),
    Folder("jmlr", "JMLR"),
    Folder("cvf", "CVF open access"),
    Folder("isca", "the ISCA archive"),
    Folder("ieee", "Crossref (by IEEE document number)"),
    Folder("acm", "Crossref (by ACM article number)"),
    Folder("aaai", "Crossref (by AAAI article id)"),
    Folder("dblp", "dblp"),
    Folder("dblp-toc", "dblp (a table of contents)"),
    Folder("s2", "Semantic Scholar"),
    Folder("arxiv-search", "arXiv (a title search)", free_text=True),
    Folder("s2-match", "Semantic Scholar (a title match)", free_text=True),
    Folder("s2-paper", "Semantic Scholar (a paper a list links)"),
    Folder("dblp-search", "dblp (a title search)", free_text=True),
    Folder("title-match", "the title route's decision", free_text=True),
    Folder("acl-bulk", "the ACL Anthology (its export)", kept_whole=True),
    Folder("pmlr-volume", "PMLR (a volume's bibliography)", kept_whole=True),
    Folder("neurips-index", "the NeurIPS proceedings (a year's index)", kept_whole=True),
)

#: folders of records, in the order ``cache stats`` lists them
RECORD_FOLDERS = tuple(folder.name for folder in CATALOG if not folder.kept_whole)
#: folders of records keyed by free text
FREE_TEXT_FOLDERS = frozenset(folder.name for folder in CATALOG if folder.free_text)
#: folders of files kept whole: ``cache/acl-bulk/anthology+abstracts.bib.gz``
KEPT_WHOLE_FOLDERS = tuple(folder.name for folder in CATALOG if folder.kept_whole)
#: how a merge note names the source of a value, by an entry's origin
LABELS = {folder.name: folder.label for folder in CATALOG} | {
    "context": "the list's row",
    "block": "another citation block",
}
