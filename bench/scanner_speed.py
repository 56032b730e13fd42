"""How long a full scan takes: `cmpctl scan` over the 6-page fixture site (tests/scanner/
fixture_site), three phases (before, refuse, accept), against its inventory.

    python bench/scanner_speed.py --runs 5

Serves the fixture site in this process, runs the real `cmpctl scan` command in a subprocess
for each run (Python start-up, Chromium start and report writing included), and prints one JSON
line per run, then the median and best wall times.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scanner.fixture_site.server import FixtureSite  # noqa: E402

INVENTORY = ROOT / "tests" / "scanner" / "fixture_site" / "fixture-shop.yaml"


def run_once(url, out_dir, concurrency):
    command = [
        sys.executable,
        "-m",
        "cmpctl",
        "scan",
        url,
        "--inventory",
        str(INVENTORY),
        "--out",
        str(out_dir),
        "--concurrency",
        str(concurrency),
        "--quiet",
    ]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({done.returncode}): {done.stderr}")
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    return {
        "wall_s": round(wall, 2),
        "scan_s": report["duration_s"],
        "pages": report["summary"]["pages"],
        "items": report["summary"]["items"],
        "findings": len(report["findings"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    walls = []
    with FixtureSite() as site, tempfile.TemporaryDirectory() as tmp:
        for run in range(1, args.runs + 1):
            result = run_once(site.url, Path(tmp) / f"run{run}", args.concurrency)
            walls.append(result["wall_s"])
            print(json.dumps({"run": run, **result}), flush=True)
    print(
        json.dumps(
            {
                "runs": len(walls),
                "median_wall_s": round(statistics.median(walls), 2),
                "best_wall_s": min(walls),
                "worst_wall_s": max(walls),
            }
        )
    )


if __name__ == "__main__":
    main()
