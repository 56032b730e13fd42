"""`pip install .` (a real wheel, not editable, into a fresh virtual environment with its
dependencies) gives the consent service and `cmpctl` without the scanner or Redis stacks."""

import subprocess
import sys
import urllib.request
import venv
from pathlib import Path

import pytest

from tests.support.processes import free_port, http_ok, wait_for

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def api_only(tmp_path_factory):
    """A virtual environment holding the wheel and its required dependencies, no extras."""
    tmp = tmp_path_factory.mktemp("wheel")
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
            str(tmp / "dist"),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next((tmp / "dist").glob("cmp_consent-*.whl"))
    env_dir = tmp / "venv"
    # No pip of its own (ensurepip costs seconds): this environment's pip installs into it.
    venv.create(env_dir, with_pip=False)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install", "-q"]
        + ["--disable-pip-version-check", str(wheel)],
        check=True,
    )
    return env_dir


def run(env_dir, *args, **kwargs):
    return subprocess.run(
        [str(env_dir / "bin" / args[0]), *args[1:]], capture_output=True, text=True, cwd=env_dir.parent, **kwargs
    )


@pytest.mark.slow
def test_the_wheel_carries_the_inventories_widget_demo_pages_and_console(api_only):
    result = run(api_only, "cmpctl", "inventory", "check")
    assert result.returncode == 0, result.stderr
    assert "site-packages/inventory/sites/amex-portal.yaml: ok" in result.stdout
    assert "site-packages/inventory/sites/milleis.yaml: ok" in result.stdout
    shipped = run(
        api_only,
        "python",
        "-c",
        "import importlib.resources as r; "
        "print((r.files('widget') / 'widget.min.js').is_file(), "
        "(r.files('cmp') / 'demo/templates/demo/base.html').is_file(), "
        "(r.files('cmp') / 'demo/static/fake-piwik-pro.js').is_file(), "
        "(r.files('cmp') / 'console/templates/console/base.html').is_file(), "
        "(r.files('cmp') / 'console/static/console.css').is_file(), "
        "(r.files('inventory') / 'schema.json').is_file())",
        check=True,
    )
    assert shipped.stdout.split() == ["True"] * 6


@pytest.mark.slow
def test_the_api_only_install_has_no_scanner_or_redis_stack(api_only):
    found = run(
        api_only,
        "python",
        "-c",
        "import importlib.util as u; print([m for m in ('playwright', 'publicsuffixlist', 'redis') if u.find_spec(m)])",
        check=True,
    )
    assert found.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_api_only_install_serves_the_banner_and_the_widget(api_only):
    port = free_port()
    server = subprocess.Popen(
        [str(api_only / "bin" / "cmpctl"), "serve", "--port", str(port), "--workers", "1"],
        env={"CMP_SECRET_KEY": "k", "CMP_STORE_URL": f"sqlite:///{api_only.parent}/c.db", "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: http_ok(f"http://127.0.0.1:{port}/healthz"), what="API-only service")
        for path in ("/v1/sites/amex-portal/banner?lang=fr", "/v1/sites/amex-portal/widget.js?lang=fr"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                assert response.status == 200
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.slow
def test_scan_without_the_scanner_extra_names_the_extra_and_exits_2(api_only):
    result = run(api_only, "cmpctl", "scan", "http://127.0.0.1/", "--site", "amex-portal")
    assert result.returncode == 2
    assert result.stderr == "cmpctl: cmpctl scan needs the scanner extra: pip install 'cmp-consent[scanner]'\n"


@pytest.mark.slow
def test_a_redis_store_without_the_redis_extra_names_the_extra(api_only):
    result = run(api_only, "cmpctl", "purge", env={"CMP_STORE_URL": "redis://127.0.0.1:1/0", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "pip install 'cmp-consent[redis]'" in result.stderr


@pytest.mark.slow
def test_the_api_only_install_keeps_and_lists_scans_on_sqlite(api_only):
    env = {"CMP_STORE_URL": f"sqlite:///{api_only.parent}/scans.db", "PATH": "/usr/bin:/bin"}
    result = run(api_only, "cmpctl", "scans", "list", "--site", "amex-portal", env=env)
    assert (result.returncode, result.stdout) == (0, "no scans of amex-portal\n")
