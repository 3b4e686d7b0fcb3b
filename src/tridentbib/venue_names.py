"""Venue names: the full proceedings or journal name of well-known venues, one table for every path.

OpenReview's shaping, dblp records and the venue upgrades all name a venue through it,
so the same venue is never "ACL (1)" on one path and its proceedings title on another.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from tridentbib.latex import strip_accents

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
_ORDINALS = (
    "First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth "
    "Eleventh Twelfth Thirteenth Fourteenth Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth Twentieth"
).split()


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"


@dataclass(frozen=True)
class KnownVenue:
    short: str
    name: str
    entry_type: str
    publisher: str
    aliases: tuple[str, ...] = ()


#: Venues speech/NLP/ML lists cite most, by the names dblp (abbreviations) and S2 (full names) use.
_KNOWN = (
    KnownVenue(
        "ICASSP",
        "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)",
        "inproceedings",
        "IEEE",
        (
            "IEEE International Conference on Acoustics, Speech, and Signal Processing",
            "International Conference on Acoustics, Speech, and Signal Processing",
        ),
    ),
    KnownVenue(
        "Interspeech",
        "Interspeech",
        "inproceedings",
        "ISCA",
        ("INTERSPEECH", "Conference of the International Speech Communication Association"),
    ),
    KnownVenue(
        "ASRU",
        "IEEE Automatic Speech Recognition and Understanding Workshop (ASRU)",
        "inproceedings",
        "IEEE",
        ("Automatic Speech Recognition & Understanding",),
    ),
    KnownVenue(
        "SLT",
        "IEEE Spoken Language Technology Workshop (SLT)",
        "inproceedings",
        "IEEE",
        ("Spoken Language Technology Workshop",),
    ),
    KnownVenue(
        "ACL",
        "Proceedings of the Annual Meeting of the Association for Computational Linguistics (ACL)",
        "inproceedings",
        "Association for Computational Linguistics",
        ("Annual Meeting of the Association for Computational Linguistics",),
    ),
    KnownVenue(
        "EMNLP",
        "Proceedings of the Conference on Empirical Methods in Natural Language Processing (EMNLP)",
        "inproceedings",
        "Association for Computational Linguistics",
        ("Conference on Empirical Methods in Natural Language Processing",),
    ),
    KnownVenue(
        "NAACL",
        (
            "Proceedings of the Conference of the North American Chapter "
            "of the Association for Computational Linguistics (NAACL)"
        ),
        "inproceedings",
        "Association for Computational Linguistics",
        ("NAACL-HLT", "North American Chapter of the Association for Computational Linguistics"),
    ),
    KnownVenue(
        "EACL",
        "Proceedings of the Conference of the European Chapter of the Association for Computational Linguistics (EACL)",
        "inproceedings",
        "Association for Computational Linguistics",
        ("Conference of the European Chapter of the Association for Computational Linguistics",),
    ),
    KnownVenue(
        "COLING",
        "Proceedings of the International Conference on Computational Linguistics (COLING)",
        "inproceedings",
        "International Committee on Computational Linguistics",
        ("International Conference on Computational Linguistics",),
    ),
    KnownVenue(
        "ICML",
        "Proceedings of the International Conference on Machine Learning (ICML)",
        "inproceedings",
        "PMLR",
        ("International Conference on Machine Learning",),
    ),
    KnownVenue(
        "NeurIPS",
        "Advances in Neural Information Processing Systems",
        "inproceedings",
        "Curran Associates, Inc.",
        ("NIPS", "Neural Information Processing Systems"),
    ),
    KnownVenue(
        "ICLR",
        "International Conference on Learning Representations",
        "inproceedings",
        "OpenReview.net",
        ("International Conference on Learning Representations",),
    ),
    KnownVenue("TMLR", "Transactions on Machine Learning Research", "article", "", ("Trans. Mach. Learn. Res.",)),
    KnownVenue("COLM", "Conference on Language Modeling", "inproceedings", "", ()),
    KnownVenue(
        "AAAI",
        "Proceedings of the AAAI Conference on Artificial Intelligence",
        "inproceedings",
        "AAAI Press",
        ("AAAI Conference on Artificial Intelligence",),
    ),
    KnownVenue(
        "IJCAI",
        "Proceedings of the International Joint Conference on Artificial Intelligence (IJCAI)",
        "inproceedings",
        "ijcai.org",
        ("International Joint Conference on Artificial Intelligence",),
    ),
    KnownVenue(
        "CVPR",
        "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
        "inproceedings",
        "IEEE",
        ("Computer Vision and Pattern Recognition",),
    ),
    KnownVenue(
        "ICCV",
        "IEEE/CVF International Conference on Computer Vision (ICCV)",
        "inproceedings",
        "IEEE",
        ("IEEE International Conference on Computer Vision",),
    ),
    KnownVenue(
        "KDD",
        "Proceedings of the ACM SIGKDD Conference on Knowledge Discovery and Data Mining (KDD)",
        "inproceedings",
        "ACM",
        ("Knowledge Discovery and Data Mining",),
    ),
    KnownVenue(
        "TASLP",
        "IEEE/ACM Transactions on Audio, Speech, and Language Processing",
        "article",
        "IEEE",
        (
            "IEEE ACM Trans. Audio Speech Lang. Process.",
            "IEEE/ACM Transactions on Audio Speech and Language Processing",
        ),
    ),
    KnownVenue(
        "TACL",
        "Transactions of the Association for Computational Linguistics",
        "article",
        "MIT Press",
        ("Trans. Assoc. Comput. Linguistics",),
    ),
    KnownVenue("JMLR", "Journal of Machine Learning Research", "article", "", ("J. Mach. Learn. Res.",)),
)


#: venue tokens a list's text may name ("CVPR", "Nature"), with what a record's venue then says
#: besides the token itself: the title route's venue hint (:mod:`tridentbib.steps.identity`)
VENUE_TOKENS: dict[str, tuple[str, ...]] = {
    "NeurIPS": ("neural information processing systems", "nips", "neurips"),
    "NIPS": ("neural information processing systems", "nips", "neurips"),
    "CVPR": ("computer vision and pattern recognition",),
    "ICCV": ("international conference on computer vision",),
    "ECCV": ("european conference on computer vision",),
    "ICML": ("international conference on machine learning",),
    "ICLR": ("international conference on learning representations",),
    "ACL": ("association for computational linguistics",),
    "EMNLP": ("empirical methods in natural language processing",),
    "NAACL": ("north american chapter",),
    "AAAI": ("aaai conference on artificial intelligence",),
    "IJCAI": ("international joint conference on artificial intelligence",),
    "KDD": ("knowledge discovery and data mining",),
    "SIGIR": ("research and development in information retrieval",),
    "WWW": ("world wide web", "the web conference"),
    "ICASSP": ("acoustics speech and signal processing",),
    "Interspeech": ("interspeech", "speech communication association"),
    "JMLR": ("journal of machine learning research", "j mach learn res"),
    "TPAMI": ("pattern analysis and machine intelligence",),
    "Nature": ("nature",),
    "Science": ("science",),
}


@functools.lru_cache(maxsize=4096)  # venue names repeat across a list
def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", strip_accents(text).lower()))


_KNOWN_BY_NAME = {words(name): known for known in _KNOWN for name in (known.short, known.name, *known.aliases)}


@functools.lru_cache(maxsize=4096)
def known_venue(name: str) -> KnownVenue | None:
    """The table entry for a venue name: ``ACL (1)`` (a dblp volume) and ``... Processing (ICASSP)`` included."""
    return _KNOWN_BY_NAME.get(words(re.sub(r"\s*\((?:\d+|[A-Z][A-Z0-9&-]+)\)\s*$", "", name)))


def full_name(known: KnownVenue, year: str) -> str:
    """The proceedings/journal name, through the OpenReview series table where it has one (ICLR's ordinal)."""
    series = CONFERENCES.get(known.short)
    if series is not None and year.isdigit():
        return series[2](int(year))  # type: ignore[operator]
    return known.name
