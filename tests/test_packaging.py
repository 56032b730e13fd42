"""`pip install .` (a real wheel, not editable) gives a working cmpctl with the inventories."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_wheel_installs_cmpctl_with_the_shipped_inventories(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next((tmp_path / "dist").glob("cmp_consent-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True)  # dependencies come from this interpreter
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True)
    result = subprocess.run(
        [str(env_dir / "bin" / "cmpctl"), "inventory", "check"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "site-packages/inventory/sites/amex-portal.yaml: ok" in result.stdout
    assert "site-packages/inventory/sites/milleis.yaml: ok" in result.stdout
    shipped = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.resources as r; "
            "print((r.files('widget') / 'widget.min.js').is_file(), "
            "(r.files('cmp') / 'demo/templates/demo/base.html').is_file(), "
            "(r.files('cmp') / 'demo/static/fake-piwik-pro.js').is_file(), "
            "(r.files('inventory') / 'schema.json').is_file())",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert shipped.stdout.split() == ["True", "True", "True", "True"]
