"""``python -m cmpctl``: the same as the ``cmpctl`` command."""

from .cli import main

main()
