"""Turn a link, or a scrap of text, into a validated paper identifier.

Every identifier that leaves this module is later spliced into an HTTP request
or a cache file name, so each one is checked against the service's real id
grammar first (ASCII only: look-alike Unicode digits never match).  A link to a
supported service that does not name a paper comes back as ``Rejected`` (to be
reported, never requested); a link to anything else comes back as ``None``.

Id grammars, with the canonical form kept in ``PaperId.id``:

arXiv, new style (April 2007 on)
    ``YYMM.NNNN`` for 0704-1412, ``YYMM.NNNNN`` from 1501, month 01-12, then an
    optional version ``vN``.  ``2301.02111v2`` -> id ``2301.02111``, version 2.
arXiv, old style (1991 to March 2007)
    ``archive[.SC]/YYMMNNN[vN]`` with the archive from the fixed historical
    list and YY in 91-07.  ``math.GT/0309136`` -> id ``math/0309136``: the
    subject class is dropped because the arXiv API accepts the bare form.
OpenReview
    A forum (note) id, ``[A-Za-z0-9_-]{6,32}``, read from the ``id`` query
    parameter: ``https://openreview.net/forum?id=KCVv3tICvp`` -> ``KCVv3tICvp``.
ACL Anthology, new style (ingested 2020 on)
    ``YEAR.VENUE-VOLUME.NUMBER``, e.g. ``2024.findings-emnlp.246``.  File
    names may add a revision ``v2`` or an erratum ``e1``.  Paper number 0 is a
    volume's front matter and ``2024.acl-long`` (no number) is a whole volume.
ACL Anthology, old style (before 2020)
    ``CYY-VPPP``, or ``CYY-VVPP`` for workshops (W, C69, D19-50..66), e.g.
    ``P19-1007``, ``W18-5446``.  ``N13-1`` is a whole volume; paper 000 (00 for
    workshops) is front matter.
DOI
    ``10.NNNN/suffix``; DOIs compare case-insensitively, so the canonical form
    is lower case: ``10.1109/taslp.2024.3379877``.  arXiv DataCite DOIs
    (``10.48550/arXiv.2307.03172``) and ACL Crossref DOIs
    (``10.18653/v1/2024.acl-long.589``) map to the arXiv and ACL kinds.

Links, by service (any other host gives ``None``):

arXiv
    ``/abs/``, ``/pdf/`` and ``/html/`` pages on arxiv.org and its subdomains
    (``export.``, ``www.``), ar5iv, arXiv's old address ``128.84.21.199`` and
    alphaxiv.org; the file tree ``/ftp/arxiv/papers/YYMM/ID.pdf`` (new ids) and
    ``/ftp/<archive>/papers/YYMM/YYMMNNN.pdf`` (old ids); Hugging Face paper
    pages ``huggingface.co/papers/ID`` (its other pages give ``None``).  Paste
    slips are forgiven: a doubled slash (``/abs//ID``), a ``v`` with no number
    (``/abs/IDv``: no version), junk pasted after the id (closing brackets,
    quotes, a backslash).
OpenReview
    ``/forum``, ``/pdf``, ``/attachment`` and ``/notes`` with ``?id=``.
ACL Anthology
    ``aclanthology.org/ID``, ``aclweb.org/anthology/ID``, the legacy
    ``D/D15/ID.pdf`` tree, and the old aclanthology.info ``/papers/ID/<slug>``
    and ``/pdf/P/P06/ID.pdf``.
DOI
    ``doi.org``, ``dx.doi.org`` and ``www.doi.org``; publisher pages that carry
    the DOI in their path: Springer Link ``/chapter/``, ``/article/`` (slash
    percent-encoded or not), ``/content/pdf/DOI.pdf``; ``/doi/[abs|pdf|full|...]/DOI``
    on dl.acm.org, pubs.acs.org, onlinelibrary.wiley.com, tandfonline.com,
    morganclaypool.com, mitpressjournals.org and direct.mit.edu; IJCAI
    ``/proceedings/2019/0366.pdf`` -> ``10.24963/ijcai.2019/366`` (2017 on).
    CiteSeerX's ``?doi=10.1.1...`` is its own id, not a DOI.
NeurIPS proceedings
    ``YEAR/HASH`` (``2020/1457c0d6bfcb4967418bfb8ac142f64a``) from hash links on
    proceedings.neurips.cc and papers.nips.cc: ``[/paper_files]/paper/YEAR/hash|file/HASH-<file>``
    with ``<file>`` one of the site's ``Abstract*.html``, ``Paper*.pdf``, ``Bibtex*.bib``,
    ``Metadata*.json``, ``Supplemental*`` (a doubled slash is forgiven).  Old links
    are aliases the resolver maps to ``YEAR/HASH`` through the year index by the
    row's title: ``legacy/N`` from ``/paper/N-slug[.pdf|-supplemental.zip|/bibtex]``
    (the slug is not identity) and ``bysource/YEAR-N`` from ``/paper/by-source-YEAR-N``.
    Hashes that are not 32 hex digits give ``None``: they stay paper-host links
    (``tridentbib.hosts``).
CVF open access
    ``{folder}/{stem}`` (``content_cvpr_2016/He_Deep_Residual_Learning_CVPR_2016_paper``,
    ``content/CVPR2023/Yang_Example_CVPR_2023_paper``, a workshop ``content_cvpr_workshops_2014/W15/...``)
    from openaccess.thecvf.com ``/<folder>/html/<stem>.html``, ``/papers/<stem>.pdf``, ``/papers_backup/<stem>.pdf``
    and www.cv-foundation.org ``/openaccess/<folder>/...`` (a doubled slash is forgiven).  The folder's case is
    kept (the site's paths are case-sensitive); both hosts give the same id (the resolver picks the host by year).
ISCA archive
    ``{event}_{year}/{name}`` (``interspeech_2021/penney21_interspeech``, lower case) from
    ``[www.]isca-archive.org/{event}_{year}/{name}.html|.pdf`` and the old
    ``[www.]isca-speech.org/archive/[pdfs/]{event}_{year}/{name}.html|.pdf``. The older
    ``/archive/Interspeech_2019/abstracts/1234.html`` form names a number, not the
    archive's name: ``None``, a paper-host link.
PMLR
    ``vN/ID`` (``v139/zhao21c``) from proceedings.mlr.press ``/vN/ID.html``, ``/vN/ID.pdf``,
    ``/vN/ID/ID.pdf`` and the old JMLR W&CP links ``[www.]jmlr.org/proceedings/papers/vN/ID.pdf|.html``.
JMLR
    ``vN/ID`` (``v15/srivastava14a``, ``v21/20-074``) from ``[www.]jmlr.org/papers/vN/ID.html|.bib``,
    ``/papers/volumeN/ID/ID.pdf``, ``/papers/volumeN/ID/ID`` and ``/papers/volumeN/ID/source/ID.pdf``.
    ``jmlr.org/proceedings/...`` is PMLR, ``jmlr.org/papers/...`` is JMLR; other jmlr.org pages give ``None``.
"""

from __future__ import annotations

from tridentbib.identifiers.grammar import ACL_NEW as ACL_NEW
from tridentbib.identifiers.grammar import ACL_OLD as ACL_OLD
from tridentbib.identifiers.grammar import ARXIV_NEW as ARXIV_NEW
from tridentbib.identifiers.grammar import ARXIV_OLD as ARXIV_OLD
from tridentbib.identifiers.grammar import CVF_ID as CVF_ID
from tridentbib.identifiers.grammar import DOI_PATTERN as DOI_PATTERN
from tridentbib.identifiers.grammar import MAX_DOI_LENGTH as MAX_DOI_LENGTH
from tridentbib.identifiers.grammar import MAX_ID_LENGTH as MAX_ID_LENGTH
from tridentbib.identifiers.grammar import MAX_VERSION as MAX_VERSION
from tridentbib.identifiers.grammar import NEURIPS_ID as NEURIPS_ID
from tridentbib.identifiers.grammar import OPENREVIEW_ID as OPENREVIEW_ID
from tridentbib.identifiers.grammar import RESOLVED_KINDS as RESOLVED_KINDS
from tridentbib.identifiers.grammar import Kind as Kind
from tridentbib.identifiers.grammar import PaperId as PaperId
from tridentbib.identifiers.grammar import Rejected as Rejected
from tridentbib.identifiers.grammar import is_valid_id as is_valid_id
from tridentbib.identifiers.grammar import normalize_doi as normalize_doi
from tridentbib.identifiers.links import classify_url as classify_url
from tridentbib.identifiers.links import openreview_pdf_hash as openreview_pdf_hash
from tridentbib.identifiers.text import acl_id_from_text as acl_id_from_text
from tridentbib.identifiers.text import arxiv_id_from_text as arxiv_id_from_text
from tridentbib.identifiers.text import find_ids_in_text as find_ids_in_text
