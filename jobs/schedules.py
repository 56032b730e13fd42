"""Per-site recurring scans (filled in by the schedules step)."""


def local_loop(values, burst=False):
    """Nothing is scheduled yet."""
