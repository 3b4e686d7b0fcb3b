"""Outputs: pure functions from entries to text; the CLI does the file I/O."""
