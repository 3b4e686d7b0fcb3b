"""tridentbib: turn a Markdown reading list into one clean, cached BibTeX file.

The package is split by role, following the data as it flows:

* ``sources``   read inputs (Markdown lists, .bib files, id lists) into :class:`~tridentbib.model.Link`s;
* ``resolvers`` one class per upstream API, each turning ids into cached records;
* ``shapes``    turn a source record into a BibTeX-shaped :class:`~tridentbib.model.Entry`;
* ``writers``   serialise entries (BibTeX, CSL-JSON).

``pipeline`` wires them together; ``cli`` is a thin typer layer on top.
"""

__version__ = "0.1.0"
