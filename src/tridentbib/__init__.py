"""tridentbib: turn a Markdown reading list into one clean, cached BibTeX file.

The package is split by job; each folder may import only the rows below it
(``tests/test_architecture.py`` holds the code to this map):

=============  ==============================================================  =========================
folder         job                                                             may import
=============  ==============================================================  =========================
``cli``        parse flags, print; the progress display (``progress``)         everything below
``commands/``  build, check, cache: each command's policy, without typer       everything below
``pipeline``   the one orchestration: read -> need -> resolve -> steps          everything below
``lookup/``    what the lists need (``needs``), cache or network (``policy``),  base, http, store,
               fallbacks (``recovery``), the title route, venue lookups         sources, resolvers, steps
``sources/``   a file becomes a ``ListDocument``; citation blocks are read      base
``resolvers/`` one module per upstream API: request, parsing, record -> entry   base, http
``steps/``     pure steps over values: merge blocks, keys, context entries,    base
               venue upgrades
``writers/``   values in, text out: BibTeX, CSL-JSON, report, changelog,       base, steps
               summary
``store/``     the only code that writes files: the cache, keys.json           base
``http``       the one HTTP client: pacing, retries, circuit breakers          base
base           ``model`` (every value that crosses a folder), ``identifiers``,  --
               ``latex``, ``names``, ``hosts``, ``settings``, ``bibtex_read``,
               ``entry_fields``, ``venue_names``, ``timestamps``,
               ``catalog`` (every service and cache folder)
=============  ==============================================================  =========================

Adding a service is one module in ``resolvers/`` (its requests, its parsing, its
shaping), one line in ``resolvers/registry.py``, its row in ``catalog.py``, and its
fake in ``tests/fakeapi/``; a new kind of link also needs its id grammar and link
forms in ``identifiers/`` and its base URL and delay in ``settings.py`` (the ISCA
archive, ``resolvers/isca.py``, is the smallest example).
"""

__version__ = "0.1.0"
