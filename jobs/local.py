"""The embedded default's runner: with SQLite and no Redis, each scan runs in its own background
process (``python -m jobs.local SCAN_ID``), detached from the command that queued it, with the
retries an RQ worker would give it."""

import subprocess
import sys
import time

from . import runtime


def start(scan_id):
    """Start the scan in a process of its own session: the caller may exit at once."""
    subprocess.Popen(
        [sys.executable, "-m", "jobs.local", scan_id],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def run(scan_id, pause_s=5.0):
    """Run the scan, then again while it fails and retries are left."""
    from .scan import SiteBusy, run_scan

    retries = max(0, runtime.load_settings()["SCAN_RETRIES"])
    for attempt in range(retries + 1):
        try:
            run_scan(scan_id, retries_left=retries - attempt)
            return 0
        except SiteBusy:
            return 1
        except Exception:
            if attempt == retries:
                return 1
            time.sleep(pause_s)
    return 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1]))
