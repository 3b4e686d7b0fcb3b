"""Steps over values, in the order a build runs them after the pipeline assembled the entries.

Fill .bib inputs (``fill``), merge citation blocks (``merge``), give keys
(``keys``), upgrade preprints to their venues (``venues``); ``context`` builds the
entries of rows and bullets no service resolves. They read and write values only,
never files or the network. Some still edit ``Entry`` objects in place (their
docstrings say so): outcomes point at entries, which is the next thing to change.
"""
