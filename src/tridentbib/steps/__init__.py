"""Steps over values, in the order a build runs them after the pipeline assembled the entries.

Unite a paper's arXiv and venue entries (``works``), fill .bib inputs (``fill``),
merge citation blocks (``merge``), give keys (``keys``), upgrade preprints to their
venues (``venues``). ``context`` builds the entries of rows and bullets no service
resolves; ``identity`` holds the title route's rules (is this record the item's
paper?). They read and write values only, never files or the network. Some edit
``Entry`` objects in place, each saying so in its docstring: link outcomes point at
entries, and an in-place edit keeps those pointers right without re-tying them.
"""
