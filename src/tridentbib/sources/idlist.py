"""A plain list of paper ids or URLs, one per line (``papers.txt``, ``papers.ids``).

Accepted on a line: any URL tridentbib recognises in Markdown
(``https://arxiv.org/abs/2301.02111v2``, ``https://openreview.net/forum?id=...``,
``https://aclanthology.org/P19-1007/``, ``https://doi.org/...``), ``arXiv:ID``,
a bare arXiv id (``2301.02111``, ``hep-th/9901001``), a bare ACL Anthology id
(``P19-1007``, ``2024.acl-long.1``), a DOI (``10.18653/v1/...``, ``doi:...``),
or an explicit ``openreview:ID`` / ``acl:ID`` / ``arxiv:ID``. Blank lines and
comments (a line starting with ``#``, or `` # ...`` after the id) are ignored.
A line that names nothing recognisable is kept as an unsupported link, so the
report shows it with its line number instead of dropping it silently.
"""

from __future__ import annotations

import re

from tridentbib.identifiers import (
    Kind,
    PaperId,
    Rejected,
    acl_id_from_text,
    arxiv_id_from_text,
    classify_url,
    is_valid_id,
    normalize_doi,
)
from tridentbib.model import Context, Item, Link, ListDocument

_COMMENT = re.compile(r"(?:^|\s)#.*$")
_PREFIXED = re.compile(r"^(openreview|acl|arxiv):\s*(\S+)$", re.IGNORECASE)


def read_id_list(text: str, source: str) -> ListDocument:
    """One item per non-blank, non-comment line."""
    items: list[Item] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        context = Context(source, number)
        items.append(Item(context, (Link(line, "", context, classify_line(line)),)))
    return ListDocument(source, tuple(items))


def classify_line(line: str) -> PaperId | Rejected | None:
    """What one line names: a URL, a prefixed id, a bare arXiv/ACL id or a DOI."""
    if "://" in line or line.lower().startswith(
        ("www.", "arxiv.org/", "openreview.net/", "aclanthology.org/", "doi.org/")
    ):
        return classify_url(line if "://" in line else "https://" + line)
    prefixed = _PREFIXED.match(line)
    if prefixed:
        kind, ident = prefixed.group(1).lower(), prefixed.group(2)
        if kind == "openreview":
            return (
                PaperId(Kind.OPENREVIEW, ident)
                if is_valid_id(Kind.OPENREVIEW, ident)
                else Rejected(Kind.OPENREVIEW, line, "not an OpenReview forum id")
            )
        if kind == "acl":
            return acl_id_from_text(ident) or Rejected(Kind.ACL, line, "not an ACL Anthology paper id")
        return arxiv_id_from_text(ident) or Rejected(Kind.ARXIV, line, "not an arXiv id")
    found = arxiv_id_from_text(line) or acl_id_from_text(line)
    if found is not None:
        return found
    doi = normalize_doi(line[4:] if line.lower().startswith("doi:") else line)
    if doi is not None:
        return classify_url(f"https://doi.org/{doi}")
    return None
