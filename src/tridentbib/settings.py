"""Run settings: every remote endpoint, delay and limit in one frozen object.

Only the CLI reads the environment (``Settings.from_env``); everything else gets a
``Settings`` passed in, so tests and library users can point the tool anywhere
without touching global state.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

#: Environment variable -> (Settings attribute, default). Documented in the README.
ENDPOINT_VARIABLES: dict[str, tuple[str, str]] = {
    "TRIDENTBIB_ARXIV_API_URL": ("arxiv_api_url", "https://export.arxiv.org/api/query"),
    "TRIDENTBIB_OPENREVIEW_API_URL": ("openreview_api_url", "https://api2.openreview.net"),
    "TRIDENTBIB_OPENREVIEW_V1_API_URL": ("openreview_v1_api_url", "https://api.openreview.net"),
    "TRIDENTBIB_ACL_URL": ("acl_url", "https://aclanthology.org"),
    "TRIDENTBIB_DBLP_API_URL": ("dblp_api_url", "https://dblp.org/search/publ/api"),
    "TRIDENTBIB_S2_API_URL": ("s2_api_url", "https://api.semanticscholar.org/graph/v1"),
    "TRIDENTBIB_CROSSREF_API_URL": ("crossref_api_url", "https://api.crossref.org"),
    "TRIDENTBIB_DATACITE_API_URL": ("datacite_api_url", "https://api.datacite.org"),
    "TRIDENTBIB_NEURIPS_URL": ("neurips_url", "https://proceedings.neurips.cc"),
    "TRIDENTBIB_CVF_URL": ("cvf_url", "https://openaccess.thecvf.com"),
    "TRIDENTBIB_CVF_LEGACY_URL": ("cvf_legacy_url", "https://www.cv-foundation.org"),
    "TRIDENTBIB_ISCA_URL": ("isca_url", "https://www.isca-archive.org"),
    "TRIDENTBIB_PMLR_URL": ("pmlr_url", "https://proceedings.mlr.press"),
    "TRIDENTBIB_JMLR_URL": ("jmlr_url", "https://jmlr.org"),
}


class SettingsError(ValueError):
    """An environment variable or option holds a value the tool cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about the outside world."""

    cache_dir: Path = Path("cache")
    arxiv_api_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_ARXIV_API_URL"][1]
    openreview_api_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_OPENREVIEW_API_URL"][1]
    openreview_v1_api_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_OPENREVIEW_V1_API_URL"][1]
    acl_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_ACL_URL"][1]
    dblp_api_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_DBLP_API_URL"][1]
    s2_api_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_S2_API_URL"][1]
    crossref_api_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_CROSSREF_API_URL"][1]
    datacite_api_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_DATACITE_API_URL"][1]
    neurips_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_NEURIPS_URL"][1]
    cvf_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_CVF_URL"][1]
    cvf_legacy_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_CVF_LEGACY_URL"][1]
    isca_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_ISCA_URL"][1]
    pmlr_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_PMLR_URL"][1]
    jmlr_url: str = ENDPOINT_VARIABLES["TRIDENTBIB_JMLR_URL"][1]
    #: arXiv's Terms of Use: "no more than one request every three seconds".
    arxiv_delay: float = 3.0
    #: dblp answers 429 to clients that ask more often than every few seconds.
    dblp_delay: float = 5.0
    #: OpenReview rate-limits guests (about 20 requests a minute).
    openreview_delay: float = 1.0
    #: The Anthology is a static site with no documented limit; stay gentle anyway.
    acl_delay: float = 0.5
    #: Semantic Scholar's unauthenticated pool is shared; one batch a second is plenty.
    s2_delay: float = 1.0
    #: Crossref's public pool allows one list query a second (5 single records); DataCite 500 per 5 minutes.
    crossref_delay: float = 1.0
    datacite_delay: float = 1.0
    #: NeurIPS proceedings: a static site with no published limits; one request a second.
    neurips_delay: float = 1.0
    #: CVF open access (both hosts): static sites with no published limits; one request a second on each.
    cvf_delay: float = 1.0
    #: ISCA archive: a static site with no published limits; one request a second.
    isca_delay: float = 1.0
    #: PMLR and JMLR: static sites with no published limits; one request a second each.
    pmlr_delay: float = 1.0
    jmlr_delay: float = 1.0
    #: A run needing at least this many papers of one PMLR volume fetches the volume's bibliography once instead.
    pmlr_volume_threshold: int = 3
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_retries: int = 4
    #: First backoff wait in seconds (doubling per retry, with jitter) when no Retry-After is given.
    retry_base_wait: float = 0.5
    #: Upper bound for one retry wait, so a hostile Retry-After cannot stall a run for hours.
    max_retry_wait: float = 120.0
    #: Responses larger than this are refused (a list of 100 arXiv entries is ~300 kB).
    max_response_bytes: int = 20 * 1024 * 1024
    #: A run with at least this many ACL ids to fetch downloads the Anthology's whole export instead of one file each.
    acl_bulk_threshold: int = 50
    #: Largest ``anthology+abstracts.bib.gz`` accepted (the real one is ~30 MB gzipped, ~100 MB of BibTeX).
    acl_bulk_max_bytes: int = 200 * 1024 * 1024
    #: Under the OpenReview challenge, a venue-year with at least this many papers for the dblp fallback is read
    #: from dblp's table of contents (one request per 1000 papers) instead of one title search per paper.
    dblp_toc_threshold: int = 5
    #: dblp title searches asked together in one batched search (below 2: each title its own search).
    dblp_batch: int = 20
    offline: bool = False
    refresh: bool = False
    #: Re-fetch cached records older than this many days (None: never by age).
    max_age_days: float | None = None
    openreview_username: str | None = None
    openreview_password: str | None = field(default=None, repr=False)
    openreview_token: str | None = field(default=None, repr=False)
    s2_api_key: str | None = field(default=None, repr=False)
    #: a contact address for Crossref's and DataCite's polite pools (User-Agent and Crossref's ``mailto=``)
    mailto: str | None = None
    #: venue upgrades of arXiv preprints: "fast" (arXiv + Semantic Scholar batch), "full" (+ dblp per paper), "off"
    venues: str = "fast"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``TRIDENTBIB_*`` variables, then apply explicit overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for variable, (attribute, _default) in ENDPOINT_VARIABLES.items():
            if env.get(variable):
                values[attribute] = _checked_url(variable, env[variable])
        for variable, attribute in (
            ("TRIDENTBIB_ARXIV_DELAY", "arxiv_delay"),
            ("TRIDENTBIB_DBLP_DELAY", "dblp_delay"),
            ("TRIDENTBIB_OPENREVIEW_DELAY", "openreview_delay"),
            ("TRIDENTBIB_ACL_DELAY", "acl_delay"),
            ("TRIDENTBIB_S2_DELAY", "s2_delay"),
            ("TRIDENTBIB_CROSSREF_DELAY", "crossref_delay"),
            ("TRIDENTBIB_DATACITE_DELAY", "datacite_delay"),
            ("TRIDENTBIB_NEURIPS_DELAY", "neurips_delay"),
            ("TRIDENTBIB_CVF_DELAY", "cvf_delay"),
            ("TRIDENTBIB_ISCA_DELAY", "isca_delay"),
            ("TRIDENTBIB_PMLR_DELAY", "pmlr_delay"),
            ("TRIDENTBIB_JMLR_DELAY", "jmlr_delay"),
            ("TRIDENTBIB_CONNECT_TIMEOUT", "connect_timeout"),
            ("TRIDENTBIB_READ_TIMEOUT", "read_timeout"),
            ("TRIDENTBIB_RETRY_BASE_WAIT", "retry_base_wait"),
            ("TRIDENTBIB_MAX_RETRY_WAIT", "max_retry_wait"),
        ):
            if env.get(variable):
                values[attribute] = _checked_float(variable, env[variable])
        for variable, attribute in (
            ("TRIDENTBIB_MAX_RETRIES", "max_retries"),
            ("TRIDENTBIB_MAX_RESPONSE_BYTES", "max_response_bytes"),
            ("TRIDENTBIB_ACL_BULK_THRESHOLD", "acl_bulk_threshold"),
            ("TRIDENTBIB_ACL_BULK_MAX_BYTES", "acl_bulk_max_bytes"),
            ("TRIDENTBIB_DBLP_TOC_THRESHOLD", "dblp_toc_threshold"),
            ("TRIDENTBIB_DBLP_BATCH", "dblp_batch"),
            ("TRIDENTBIB_PMLR_VOLUME_THRESHOLD", "pmlr_volume_threshold"),
        ):
            if env.get(variable):
                values[attribute] = _checked_int(variable, env[variable])
        for variable, attribute in (
            ("TRIDENTBIB_OPENREVIEW_USERNAME", "openreview_username"),
            ("TRIDENTBIB_OPENREVIEW_PASSWORD", "openreview_password"),
            ("TRIDENTBIB_OPENREVIEW_TOKEN", "openreview_token"),
            ("TRIDENTBIB_S2_API_KEY", "s2_api_key"),
            ("TRIDENTBIB_MAILTO", "mailto"),
        ):
            if env.get(variable):
                values[attribute] = env[variable]
        if env.get("TRIDENTBIB_VENUES"):
            values["venues"] = env["TRIDENTBIB_VENUES"].strip().lower()
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values.get("venues", "fast") not in ("fast", "full", "off"):
            raise SettingsError(
                f"venues={values['venues']!r}: expected fast, full or off (--venues / TRIDENTBIB_VENUES)"
            )
        mailto = values.get("mailto")
        if mailto is not None and not re.fullmatch(r"[A-Za-z0-9._%+'=~-]+@[A-Za-z0-9.-]+", str(mailto), re.ASCII):
            raise SettingsError(f"TRIDENTBIB_MAILTO={mailto!r} is not an e-mail address")
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        """A copy with some values changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _checked_url(variable: str, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"{variable}={value!r} is not an http(s) URL")
    return value.rstrip("/")


def _checked_float(variable: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{variable}={value!r} is not a number") from None
    if not math.isfinite(number):  # "nan" and "inf" parse, then hang or crash a sleep
        raise SettingsError(f"{variable}={value!r} is not a finite number")
    if number < 0:
        raise SettingsError(f"{variable}={value!r} must not be negative")
    return number


def _checked_int(variable: str, value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingsError(f"{variable}={value!r} is not a whole number") from None
    if number < 0:
        raise SettingsError(f"{variable}={value!r} must not be negative")
    return number
