"""Inputs: each source turns a file into a :class:`~tridentbib.model.ListDocument`."""
