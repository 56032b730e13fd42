"""``cmpctl``, the command line: composes the service (:mod:`cmp`), the declarations
(:mod:`inventory`) and the scanner (:mod:`scanner`). Each command imports what it needs only
when it runs, so ``cmpctl --help`` and the API-only install never load Playwright."""
