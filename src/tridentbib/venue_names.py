"""The full names of the venues OpenReview hosts, by series (one table, for shaping and for venue upgrades)."""

from __future__ import annotations

#: venue prefixes -> (entry type, container field, full proceedings/journal name or a function of the year)
CONFERENCES: dict[str, tuple[str, str, object]] = {
    "ICLR": (
        "inproceedings",
        "booktitle",
        lambda year: f"The {_ordinal(year - 2012)} International Conference on Learning Representations",
    ),
    "NeurIPS": ("inproceedings", "booktitle", lambda year: "Advances in Neural Information Processing Systems"),
    "TMLR": ("article", "journal", lambda year: "Transactions on Machine Learning Research"),
    "COLM": ("inproceedings", "booktitle", lambda year: "Conference on Language Modeling"),
}
_ORDINALS = "First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth Thirteenth Fourteenth Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth Twentieth".split()


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"
