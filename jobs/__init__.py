"""Scans as jobs: the RQ job functions, the local runner of the embedded default, schedules and
alerts. The one package that sees both the scanner and the store; workers import it by name."""
