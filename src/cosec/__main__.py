"""`python -m cosec`."""

from cosec.cli import main

main()
