"""Allow ``python -m tridentbib``."""

from tridentbib.cli import main

main()
