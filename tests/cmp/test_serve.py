"""``cmpctl serve``: one server per port, workers that die with it, one-line errors."""

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.support.processes import ROOT, ServiceProcess, free_port, wait_for

ENV = {"CMP_SECRET_KEY": "serve-key", "CMP_RATE_LIMIT": "off"}


def serve(*args, env=None):
    """Run ``cmpctl serve`` to its end (for the commands that must refuse to start)."""
    return subprocess.run(
        [sys.executable, "-m", "cmpctl", "serve", *args],
        env={**os.environ, **ENV, **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_serve_refuses_a_port_another_process_listens_on(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = serve("--port", str(port), env={"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"})
    assert result.returncode == 2
    assert (
        result.stderr == f"cmpctl: 127.0.0.1 port {port} is already in use (another server is listening there; "
        "stop it or choose another --port)\n"
    )


@pytest.mark.slow
def test_a_second_server_on_the_same_port_is_refused_while_the_first_serves(tmp_path):
    env = {**ENV, "CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"}
    first = ServiceProcess(env).start()
    try:
        result = serve("--port", str(first.port), env=env)
        assert result.returncode == 2
        assert "is already in use" in result.stderr
    finally:
        first.stop()


def test_an_unknown_host_is_one_line_and_exit_2(tmp_path):
    result = serve(
        "--host",
        "no-such-host.invalid",
        "--port",
        str(free_port()),
        env={"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("cmpctl: --host 'no-such-host.invalid': cannot be resolved")
    assert len(result.stderr.splitlines()) == 1


def test_an_address_of_another_machine_is_one_line_and_exit_2(tmp_path):
    result = serve(
        "--host", "192.0.2.1", "--port", str(free_port()), env={"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"}
    )
    assert result.returncode == 2
    assert result.stderr == f"cmpctl: 192.0.2.1 port {result.args[-1]} is not an address of this machine\n"


@pytest.mark.slow
def test_serve_accepts_localhost_as_host(tmp_path):
    service = ServiceProcess({**ENV, "CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"})
    service.args[service.args.index("--host") + 1] = "localhost"
    service.start()
    try:
        with urllib.request.urlopen(f"http://localhost:{service.port}/healthz", timeout=5) as response:
            assert response.status == 200
    finally:
        service.stop()


def _answers(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(child) for child in f.read().split()]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ")[1].split()[0] != "Z"


@pytest.mark.slow
def test_workers_exit_when_the_server_process_is_killed_9(tmp_path):
    service = ServiceProcess({**ENV, "CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"}, workers=2).start()
    workers = _children(service.proc.pid)
    assert len(workers) == 2
    os.kill(service.proc.pid, signal.SIGKILL)  # the main process only, not its process group
    service.proc.wait()
    wait_for(lambda: not any(_alive(w) for w in workers), timeout=10, what="workers exiting")
    # Soon nobody answers on the port (the server's other helpers close their copy of the
    # listening socket as they notice their parent is gone), so a new server can take it.
    wait_for(lambda: not _answers(service.port), timeout=10, what="the port to be released")
    replacement = ServiceProcess({**ENV, "CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"}, port=service.port).start()
    try:
        with urllib.request.urlopen(replacement.url + "/healthz", timeout=5) as response:
            assert json.loads(response.read())["status"] == "ok"
    finally:
        replacement.stop()
