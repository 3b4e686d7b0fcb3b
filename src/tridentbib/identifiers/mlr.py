"""PMLR and JMLR links -> ``vN/ID`` (kept beside ``links.py``, which asks these two functions).

jmlr.org hosts both: ``/proceedings/papers/vN/ID.pdf`` is the old JMLR W&CP series, now
PMLR (same volume, same id), while ``/papers/...`` is the journal. Each function answers
for its own paths only, so a link is never both. Paths are read after percent-decoding;
an id holds letters, digits, ``_`` and ``-`` only (no dots, so no traversal), and a
link whose folder and file name disagree (``/v80/a18a/b18a.pdf``) names no paper.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

PMLR_HOSTS = frozenset({"proceedings.mlr.press"})
JMLR_HOSTS = frozenset({"jmlr.org", "www.jmlr.org"})

_PAPER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*", re.ASCII)
_PMLR_VOLUME = re.compile(r"v[1-9][0-9]{0,3}", re.ASCII)
_JMLR_VOLUME = re.compile(r"v[1-9][0-9]{0,2}", re.ASCII)
_JMLR_VOLUME_FOLDER = re.compile(r"volume([1-9][0-9]{0,2})", re.ASCII)


def _segments(path: str) -> list[str]:
    return [seg for seg in unquote(path).split("/") if seg]  # a pasted double slash is forgiven


def _stem(name: str, extensions: tuple[str, ...]) -> str | None:
    """``ID`` of ``ID.ext`` for one of ``extensions`` (``""``: no extension), when ``ID`` is a paper id."""
    for extension in extensions:
        if extension and name.endswith(extension):
            stem = name[: -len(extension)]
            return stem if _PAPER.fullmatch(stem) else None
    return name if "" in extensions and _PAPER.fullmatch(name) else None


def pmlr_id(host: str, path: str) -> str | None:
    """``vN/ID`` of ``proceedings.mlr.press/vN/ID.html|.pdf``, ``/vN/ID/ID.pdf``
    or ``jmlr.org/proceedings/papers/...``."""
    segs = _segments(path)
    if host in JMLR_HOSTS:
        if segs[:2] != ["proceedings", "papers"]:
            return None
        segs = segs[2:]
    elif host not in PMLR_HOSTS:
        return None
    if len(segs) not in (2, 3) or not _PMLR_VOLUME.fullmatch(segs[0]):
        return None
    stem = _stem(segs[-1], (".html", ".pdf") if len(segs) == 2 else (".pdf",))
    if stem is None or (len(segs) == 3 and segs[1] != stem):
        return None
    return f"{segs[0]}/{stem}"


def jmlr_id(host: str, path: str) -> str | None:
    """``vN/ID`` of ``jmlr.org/papers/vN/ID.html|.bib``, ``/papers/volumeN/ID/ID[.pdf]``, ``.../ID/source/ID.pdf``."""
    if host not in JMLR_HOSTS:
        return None
    segs = _segments(path)
    if segs[:1] != ["papers"]:
        return None
    segs = segs[1:]
    if len(segs) == 2 and _JMLR_VOLUME.fullmatch(segs[0]):
        stem = _stem(segs[1], (".html", ".bib"))
        return f"{segs[0]}/{stem}" if stem is not None else None
    folder = _JMLR_VOLUME_FOLDER.fullmatch(segs[0]) if segs else None
    if folder is None or not _PAPER.fullmatch(segs[1] if len(segs) > 1 else ""):
        return None
    if len(segs) == 3:
        stem = _stem(segs[2], (".pdf", ""))
    elif len(segs) == 4 and segs[2] == "source":
        stem = _stem(segs[3], (".pdf",))
    else:
        return None
    return f"v{folder.group(1)}/{stem}" if stem == segs[1] else None
