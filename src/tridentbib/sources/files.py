"""Open an input file and pick its reader; every problem becomes one clear :class:`InputError`."""

from __future__ import annotations

from pathlib import Path

from tridentbib.model import (
    InputError as InputError,  # re-exported: every input reader raises it
)
from tridentbib.model import ListDocument

#: inputs larger than this are refused (a 10,000-link list is well under 2 MB)
MAX_INPUT_BYTES = 50 * 1024 * 1024


def read_text(path: Path) -> str:
    """The file's text, or an InputError saying exactly why not."""
    try:
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{path}: {size} bytes is larger than the {MAX_INPUT_BYTES}-byte limit")
        with open(path, "rb") as handle:  # bounded: a device such as /dev/zero reports size 0 and never ends
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{path}: larger than the {MAX_INPUT_BYTES}-byte limit")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(f"{path}: UTF-16 text; save it as UTF-8")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {error.start})") from None
    if not text.strip():
        raise InputError(f"{path}: is empty")
    return text


def read_input(path: Path) -> ListDocument:
    """Read one input by its kind: Markdown (default), a .bib file, or a plain list of ids."""
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix == ".bib":
        from tridentbib.sources.bibfile import read_bib

        return read_bib(text, str(path))
    if suffix in (".txt", ".ids"):
        from tridentbib.sources.idlist import read_id_list

        return read_id_list(text, str(path))
    from tridentbib.sources.markdown import read_markdown

    return read_markdown(text, str(path))
