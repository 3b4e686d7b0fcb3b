"""CVF open access links -> ``{folder}/{stem}`` (kept beside ``links.py``, which asks :func:`cvf_id`).

A paper of openaccess.thecvf.com (and of its predecessor, www.cv-foundation.org/openaccess)
is a page ``/<folder>/html/<stem>.html`` with its PDF at ``/<folder>/papers/<stem>.pdf``
(some at ``/papers_backup/``). The folder is ``content_cvpr_2016``, ``content_CVPR_2019``
(the site's paths are case-sensitive, so the case is kept as written), a workshop's
``content_cvpr_workshops_2014/W15``, or the newer ``content/CVPR2023``. Every form of one
paper, on either host, gives the same id; which host is asked first is the resolver's rule
(by the folder's year, :mod:`tridentbib.resolvers.cvf`).

Paths are read after percent-decoding; a doubled slash is forgiven; the id must pass
``is_valid_id(Kind.CVF, ...)`` (no dots, so no traversal). Layouts with a subfolder after
``html/`` (not seen in the lists) name no paper here: they stay paper-host links.
"""

from __future__ import annotations

from urllib.parse import unquote

from tridentbib.identifiers.grammar import Kind, is_valid_id

CVF_HOSTS = frozenset({"openaccess.thecvf.com"})
#: the old host, whose pages sit under ``/openaccess/``
CVF_LEGACY_HOSTS = frozenset({"www.cv-foundation.org", "cv-foundation.org"})
#: the folder a paper's file sits in -> the extension its file has there
_FILE_FOLDERS = {"html": ".html", "papers": ".pdf", "papers_backup": ".pdf"}


def cvf_id(host: str, path: str) -> str | None:
    """``{folder}/{stem}`` of a CVF open access page or PDF link, or None (index pages, other files, other hosts)."""
    segs = [seg for seg in unquote(path).split("/") if seg]  # "//openaccess/..." is a pasted double slash
    if host in CVF_LEGACY_HOSTS:
        if segs[:1] != ["openaccess"]:
            return None
        segs = segs[1:]
    elif host not in CVF_HOSTS:
        return None
    if segs[:1] == ["content"]:  # the 2021+ layout: content/CVPR2023/html/...
        segs = ["content/" + segs[1], *segs[2:]] if len(segs) > 1 else []
    if len(segs) not in (3, 4) or segs[-2] not in _FILE_FOLDERS:
        return None
    extension = _FILE_FOLDERS[segs[-2]]
    name = segs[-1]
    if not name.lower().endswith(extension) or len(name) == len(extension):
        return None
    ident = "/".join([*segs[:-2], name[: -len(extension)]])
    return ident if is_valid_id(Kind.CVF, ident) else None


def cvf_folder_year(ident: str) -> int:
    """The year a valid CVF id's folder names (``content_cvpr_2016/...`` -> 2016)."""
    folder = ident.split("/")[1] if ident.startswith("content/") else ident.split("/")[0]
    digits = "".join(char if char.isdigit() else " " for char in folder).split()
    return int(next(d for d in digits if len(d) == 4))
