"""arXiv's ``journal_ref`` read into BibTeX fields (issue 14, item 2): ``tridentbib.steps.venues.journal_ref.parse``.

Every shape the recorded arXiv answers hold (38 journal_refs in 139 entries) is
here, each written again with invented journals, volumes and pages in the same
shape: the parse either splits it into name/volume/number/pages/year or says it
is not confident. No test reads the recordings themselves.
"""

from __future__ import annotations

import random
import re

import pytest

from tridentbib.steps.venues.journal_ref import JournalRef, parse

A, P = "article", "inproceedings"

#: (journal_ref, (entry type, name, volume, number, pages, year)), one per journal_ref of the recordings, in their shapes
SHAPES_OF_THE_RECORDINGS = [
    # Journal Vol, Page (Year) -- article numbers as pages, leading zeros kept
    ("Physical Review Q 88, 064512 (2013)", (A, "Physical Review Q", "88", "", "064512", "2013")),
    ("Phys. Rev. B 91, 184507 (2015)", (A, "Phys. Rev. B", "91", "", "184507", "2015")),
    ("Phys. Rev. B 89, 224502 (2014)", (A, "Phys. Rev. B", "89", "", "224502", "2014")),
    ("Fict. Rev. B 74, 214517 (2006)", (A, "Fict. Rev. B", "74", "", "214517", "2006")),
    ("Fict. Rev. B 89, 140501 (2014)", (A, "Fict. Rev. B", "89", "", "140501", "2014")),
    ("Fict. Rev. E 90, 013308 (2014)", (A, "Fict. Rev. E", "90", "", "013308", "2014")),
    ("Science Advances 1, e1400222 (2015)", (A, "Science Advances", "1", "", "e1400222", "2015")),
    ("Nature Fict. 13, 556 (2017)", (A, "Nature Fict.", "13", "", "556", "2017")),
    ("Phys. Rev. D 89, 084044 (2014)", (A, "Phys. Rev. D", "89", "", "084044", "2014")),
    # Journal Vol (Year) Page, with a labelled issue
    ("J. Fict.: Condens. Stuff 16 (2004) S673", (A, "J. Fict.: Condens. Stuff", "16", "", "S673", "2004")),
    ("J. Imaginary Combin. 6 (1997), no. 3, 253--257", (A, "J. Imaginary Combin.", "6", "3", "253--257", "1997")),
    # Journal, Vol(Issue):Pages, Year and its relatives
    (
        "Pretend Testing, Verification and Reliability, 35(2):e1914, 2025",
        (A, "Pretend Testing, Verification and Reliability", "35", "2", "e1914", "2025"),
    ),
    (
        "International Journal of Pretend Sciences 2(12), 52-60, 2013",
        (A, "International Journal of Pretend Sciences", "2", "12", "52--60", "2013"),
    ),
    (
        "Fiction & Education, September 2014, 23(9): 1853-1873",
        (A, "Fiction & Education", "23", "9", "1853--1873", "2014"),
    ),
    # Journal.Vol:Pages,Year (no spaces; the abbreviation's spaces come back)
    ("ActaFict.56:1-50,2006", (A, "ActaFict.", "56", "", "1--50", "2006")),
    ("Fict.Lett.B573:94-100,2003", (A, "Fict. Lett. B", "573", "", "94--100", "2003")),
    ("Lect.Notes Fict.562:195-212,2001", (A, "Lect. Notes Fict.", "562", "", "195--212", "2001")),
    ("Astrofict.J.517:565-586,1999", (A, "Astrofict. J.", "517", "", "565--586", "1999")),
    # labelled volume / issue / pages
    (
        "Fictional China Mathematics, 2023, Vol. 66, No. 10, pp. 2361-2384",
        (A, "Fictional China Mathematics", "66", "10", "2361--2384", "2023"),
    ),
    ("Statistical Fiction 2008, Vol. 23, No. 1, 65-68", (A, "Statistical Fiction", "23", "1", "65--68", "2008")),
    ("Statistical Fiction 2008, Vol. 23, No. 1, 69-75", (A, "Statistical Fiction", "23", "1", "69--75", "2008")),
    ("Statistical Fiction 2008, Vol. 23, No. 1, 76-77", (A, "Statistical Fiction", "23", "1", "76--77", "2008")),
    (
        "International Journal of Invented Engineering & Applications (IJIEA), Vol.3, No.1, January 2012",
        (A, "International Journal of Invented Engineering & Applications (IJIEA)", "3", "1", "", "2012"),
    ),
    (
        "IEEE Transactions on Information Theory ( Volume: 65 , Issue: 4 , April 2019 )",
        (A, "IEEE Transactions on Information Theory", "65", "4", "", "2019"),
    ),
    # a journal and a year only
    (
        "Pretend Testing, Verification & Reliability 2021",
        (A, "Pretend Testing, Verification & Reliability", "", "", "", "2021"),
    ),
    (
        "Journal of NeuroPretending and Rehabilitation, 2017",
        (A, "Journal of NeuroPretending and Rehabilitation", "", "", "", "2017"),
    ),
    # proceedings
    (
        "Testing Dreams @ 2022 IEEE International Conference on Imaginary Validation Workshops (ICIVW)",
        (P, "2022 IEEE International Conference on Imaginary Validation Workshops (ICIVW)", "", "", "", "2022"),
    ),
    (
        "Proc. 2023 IEEE International Conference on Imaginary Validation Workshops (ICIVW), pp. 66-69",
        (
            P,
            "Proceedings of the 2023 IEEE International Conference on Imaginary Validation Workshops (ICIVW)",
            "",
            "",
            "66--69",
            "2023",
        ),
    ),
    (
        "2023 IEEE International Conference on Imaginary Validation Workshops (ICIVW)",
        (P, "2023 IEEE International Conference on Imaginary Validation Workshops (ICIVW)", "", "", "", "2023"),
    ),
    (
        "2025 IEEE International Conference on Imaginary Validation Workshops (ICIVW)",
        (P, "2025 IEEE International Conference on Imaginary Validation Workshops (ICIVW)", "", "", "", "2025"),
    ),
    (
        "In Proc. ACM SIGFICT International Symposium on Pretend Analysis (ISPA 2020), pages 14-26. ACM, 2020",
        (
            P,
            "Proceedings of the ACM SIGFICT International Symposium on Pretend Analysis (ISPA 2020)",
            "",
            "",
            "14--26",
            "2020",
        ),
    ),
    (
        "InProceedings of the 31st ACM SIGFICT International Symposium on Pretend Analysis 2022 Jul 18 (pp. 289-301)",
        (
            P,
            "Proceedings of the 31st ACM SIGFICT International Symposium on Pretend Analysis",
            "",
            "",
            "289--301",
            "2022",
        ),
    ),
    (
        "2022 IEEE International Conference on Cloud Pretending (IC2P 2022)",
        (P, "2022 IEEE International Conference on Cloud Pretending (IC2P 2022)", "", "", "", "2022"),
    ),
    (
        "SBXX 2025 39th Brazilian Symposium on Imaginary Engineering",
        (P, "SBXX 2025 39th Brazilian Symposium on Imaginary Engineering", "", "", "", "2025"),
    ),
    (
        "2021 IEEE International Conference on Imaginary Testing (ImTest)",
        (P, "2021 IEEE International Conference on Imaginary Testing (ImTest)", "", "", "", "2021"),
    ),
    (
        "2020 IEEE International Conference On Imaginary Testing (ImTest)",
        (P, "2020 IEEE International Conference On Imaginary Testing (ImTest)", "", "", "", "2020"),
    ),
    (
        "2022 IEEE International Conference On Imaginary Testing (ImTest), 2022, pp. 26-33",
        (P, "2022 IEEE International Conference On Imaginary Testing (ImTest)", "", "", "26--33", "2022"),
    ),
    # a chapter of an edited book: no journal, no proceedings
    ("Formal Methods and Pretending, Springer-Verlag (Ed.) (2008) 209-239", None),
]


def fields(ref: JournalRef) -> tuple[str, ...]:
    return (ref.entry_type, ref.name, ref.volume, ref.number, ref.pages, ref.year)


@pytest.mark.parametrize(("text", "expected"), SHAPES_OF_THE_RECORDINGS, ids=[t for t, _ in SHAPES_OF_THE_RECORDINGS])
def test_every_shape_of_the_recorded_journal_refs_parses_or_is_not_confident(text, expected):
    ref = parse(text)
    if expected is None:
        assert not ref.confident and ref.why
    else:
        assert ref.confident, ref.why
        assert fields(ref) == expected
        assert ref.text == text and not ref.status


def test_the_figures_over_the_shapes_of_the_recordings():
    results = [parse(text) for text, _ in SHAPES_OF_THE_RECORDINGS]
    assert len(results) == 38
    assert sum(r.confident for r in results) == 37  # parsed; one not confident (the book chapter)
    assert sum(r.complete for r in results) == 28  # enough without a DOI: name, year, and pages or volume+issue


def test_the_issue_examples_split_into_fields():
    science = parse("Science Advances 1, e1400222 (2015)")
    assert (science.name, science.volume, science.pages, science.year) == ("Science Advances", "1", "e1400222", "2015")
    assert parse("Phys. Rev. B 89, 224502 (2014)").name == "Phys. Rev. B"
    theory = parse("IEEE Transactions on Information Theory ( Volume: 65 , Issue: 4 , April 2019 )")
    assert (theory.name, theory.volume, theory.number, theory.year) == (
        "IEEE Transactions on Information Theory",
        "65",
        "4",
        "2019",
    )


def test_the_publisher_after_the_pages_is_kept():
    ref = parse("In Proc. ACM SIGFICT International Symposium on Pretend Analysis (ISPA 2020), pages 14-26. ACM, 2020")
    assert ref.publisher == "ACM"
    pmlr = parse("Proceedings of the 40th International Conference on Machine Learning, PMLR 202:1234-1250, 2023")
    assert (pmlr.name, pmlr.volume, pmlr.pages, pmlr.publisher) == (
        "Proceedings of the 40th International Conference on Machine Learning",
        "202",
        "1234--1250",
        "PMLR",
    )


@pytest.mark.parametrize(
    ("text", "pages"),
    [
        ("Fict. Lett. 12, 1-9 (2019)", "1--9"),
        ("Fict. Lett. 12, 1--9 (2019)", "1--9"),
        ("Fict. Lett. 12, 1\u20139 (2019)", "1--9"),
        ("Fict. Lett. 12, 1 - 9 (2019)", "1--9"),
        ("Fict. Lett. 12, pp. 1-9, 2019", "1--9"),
        ("Fict. Lett., vol. 12, p. 7, 2019", "7"),
        ("Fict. Lett. 12, Article 4417 (2019)", "4417"),
        ("Fict. Lett. 12, L12-L15 (2019)", "L12--L15"),
    ],
)
def test_page_ranges_and_article_numbers(text, pages):
    ref = parse(text)
    assert ref.confident, ref.why
    assert (ref.name, ref.volume, ref.pages, ref.year) == ("Fict. Lett.", "12", pages, "2019")


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Fict. Rev. Q 89, 224502 (2014) [Editors' Suggestion]", "[Editors' Suggestion]"),
        ("Fict. Rev. Q 89, 224502 (2014) (invited paper)", "(invited paper)"),
        (
            "Fict. Rev. Q 89, 224502 (2014); Erratum: Fict. Rev. Q 90, 199901 (2014)",
            "Erratum: Fict. Rev. Q 90, 199901 (2014)",
        ),
        ("Fict. Rev. Q 89, 224502 (2014). Open access", "Open access"),
        ("Fict. Rev. Q 89, 224502 (2014), 12 pages, 4 figures", "12 pages, 4 figures"),
        ("Fict. Rev. Q 89, 224502 (2014) [4 pages]", "[4 pages]"),
    ],
)
def test_trailing_notes_are_set_aside(text, note):
    ref = parse(text)
    assert ref.confident, ref.why
    assert (ref.name, ref.volume, ref.pages, ref.year, ref.note) == ("Fict. Rev. Q", "89", "224502", "2014", note)


def test_the_shapes_speech_papers_use():
    accepted = parse("Accepted at ICASSP 2024")
    assert (accepted.confident, accepted.status, accepted.name, accepted.year, accepted.complete) == (
        True,
        "accepted",
        "ICASSP",
        "2024",
        False,
    )
    assert parse("To appear in Proc. Interspeech 2025").status == "accepted"
    assert parse("Interspeech 2023 (accepted)").status == "accepted"
    interspeech = parse("Proc. Interspeech 2023, 2538-2542")
    assert (interspeech.entry_type, interspeech.name, interspeech.pages, interspeech.year, interspeech.complete) == (
        P,
        "Proceedings of Interspeech",
        "2538--2542",
        "2023",
        True,
    )
    xplore = parse(
        "ICASSP 2023 - 2023 IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP), Rhodes Island, Greece, "
        "2023, pp. 1-5, doi: 10.1109/ICASSP49357.2023.10000001"
    )
    assert fields(xplore) == (
        P,
        "2023 IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)",
        "",
        "",
        "1--5",
        "2023",
    )
    taslp = parse("IEEE/ACM Transactions on Audio, Speech, and Language Processing, vol. 31, pp. 2523-2533, 2023")
    assert fields(taslp) == (
        A,
        "IEEE/ACM Transactions on Audio, Speech, and Language Processing",
        "31",
        "",
        "2523--2533",
        "2023",
    )
    assert fields(parse("Journal of the Fictional Acoustical Society 150(4), A123 (2021)")) == (
        A,
        "Journal of the Fictional Acoustical Society",
        "150",
        "4",
        "A123",
        "2021",
    )


def test_journals_called_proceedings_are_journals():
    assert fields(parse("Proc. Natl. Acad. Fict. 112, 1234 (2015)")) == (
        A,
        "Proc. Natl. Acad. Fict.",
        "112",
        "",
        "1234",
        "2015",
    )
    assert fields(parse("Proceedings of the IEEE, vol. 109, no. 5, pp. 1-20, 2021")) == (
        A,
        "Proceedings of the IEEE",
        "109",
        "5",
        "1--20",
        "2021",
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Submitted to ICASSP 2024", "submitted"),
        ("Under review at Fict. Lett.", "under review"),
        ("Fict. Rev. Q 89, 224502", "no year"),
        ("To appear in IEEE/ACM Transactions on Audio, Speech, and Language Processing", "no year"),
        ("Trans. Fict. Acoust. 7 12 34 (2020)", "more numbers"),
        ("Fict. J. 3, 12-15 (2019) and Fict. J. 4, 1 (2020)", "left in the name"),
        ("Ann. Fict. Math. 12 (1999) 1-3, 2000", "more numbers"),
        ("Some Journal (2019-2020)", "year range"),
        ("Journal of Stuff, 2019, 2020", "two years"),
        ("Fict. Rev. Q 89 (2014) (2015) 12", "two years"),
        ("arXiv:2301.00001", "arXiv"),
        ("In: A. Editor (eds) Some Book. Springer, 2008, pp. 1-20", "book"),
        ("Formal Methods and Pretending, Springer-Verlag (Ed.) (2008) 209-239", "book"),
        ("Fict. Series, vol. 3, vol. 4 (2001)", "twice"),
        ("12 pages", "label"),
        ("", "no journal_ref"),
        ("x" * 400, "longer than"),
    ],
)
def test_what_is_not_confident_says_why(text, why):
    ref = parse(text)
    assert not ref.confident and not ref.complete
    assert why.lower() in ref.why.lower(), ref.why


def test_complete_means_a_reference_only_a_published_paper_has():
    assert parse("Fict. Rev. Q 89, 224502 (2014)").complete  # pages
    assert parse("Int. J. Fict. (IJF), Vol.3, No.1, January 2012").complete  # volume and issue
    assert not parse("Fict. Rev. Q (2014)").complete  # a journal and a year: where in it?
    assert not parse("Fict. Rev. Q 89 (2014)").complete  # a volume alone
    assert not parse("Accepted in Fict. Rev. Q 89, 224502 (2014)").complete  # accepted, not published


def test_no_confident_reading_leaves_digits_or_parentheses_in_the_name():
    """Random references from the pieces journal_refs are made of: a confident one never names a venue with residue."""
    pieces = [
        "Phys.",
        "Rev.",
        "B",
        "89",
        ",",
        "224502",
        "(2014)",
        "Vol.",
        "No.",
        "pp.",
        "12-15",
        "Proc.",
        "ICASSP",
        "2023",
        "Jan",
        "(",
        ")",
        ":",
        "e123",
        "--",
        "Accepted at",
        "In",
        "@",
        "IEEE",
        "pages",
        "Issue:",
        "Volume:",
        "Journal",
        "of",
        "Things",
        "Conference",
        ";",
        "[x]",
    ]
    rng = random.Random(14)
    confident = 0
    for _ in range(6000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        ref = parse(text)
        if not ref.confident:
            continue
        confident += 1
        assert ref.name and ref.year and ref.name.count("(") == ref.name.count(")"), (text, ref)
        assert not re.search(
            r"\(\s*\d+\s*\)|\(\s*\)|\s[,:;]|--|\b(?:vol|pp|pages|no|issue)\b\.?", ref.name, re.IGNORECASE
        ), (text, ref)
        if ref.entry_type == A:
            assert not re.search(r"(?<![\w.])\d+(?!\w)", ref.name), (text, ref)
        assert not ref.pages or re.fullmatch(r"[A-Za-z]?\d+[A-Za-z]?(?:--[A-Za-z]?\d+[A-Za-z]?)?", ref.pages), (
            text,
            ref,
        )
    assert confident > 40  # the check saw plenty


def test_hostile_input_is_read_quickly():
    import time

    for text in (
        "1" * 300,
        "(" * 300,
        "a, " * 100,
        "Phys. Rev. B " + "1, " * 95,
        "-" * 299 + "1",
        " 1" * 150,
        "@" * 300,
        "Vol. " * 60,
    ):
        started = time.perf_counter()
        parse(text)
        assert time.perf_counter() - started < 0.5
