"""Start and stop real processes for tests and benchmarks: redis-server and the consent service.

Each runs on a free port with its own temporary directory, and never touches a server someone
else is running (such as one on 6379).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REDIS_CONF = ROOT / "deploy" / "redis.conf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_cluster_port():
    """A free port whose cluster-bus port (port + 10000) is free too."""
    import random

    for _ in range(200):
        port = random.randint(20000, 45000)
        try:
            for candidate in (port, port + 10000):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair for a Redis Cluster node")


def wait_for(check, timeout=15.0, what="process"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as exc:
            last = exc
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not come up in {timeout}s (last error: {last})")


def http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class RedisServer:
    """A redis-server started with the shipped configuration (AOF) in a temporary directory."""

    def __init__(self, port=None, directory=None):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed (make test installs it with apt)")
        self.port = port or free_port()
        self._own_dir = directory is None
        self.dir = Path(directory or tempfile.mkdtemp(prefix="cmp-redis-"))
        self.proc = None
        self.extra_args = []

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def config_file(self):
        """The shipped configuration with its data ``dir`` moved to this server's folder (Redis
        changes into ``dir`` as it reads it, before any command-line override applies)."""
        lines = [line for line in REDIS_CONF.read_text().splitlines() if not line.startswith("dir ")]
        path = self.dir / "redis.conf"
        path.write_text("\n".join([*lines, f"dir {self.dir}", ""]))
        return path

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                str(self.config_file()),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--daemonize",
                "no",
                "--logfile",
                str(self.dir / "redis.log"),
                *self.extra_args,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, what=f"redis-server on port {self.port}")
        return self

    def ping(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    def kill(self):
        """kill -9: no chance to flush anything."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None

    def cleanup(self):
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


class ServiceProcess:
    """The consent service run by ``cmpctl serve`` (its production server) in a subprocess."""

    def __init__(self, env=None, port=None, workers=1, threads=2, debug=False):
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        self.args = [sys.executable, "-m", "cmpctl", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.args += ["--debug"] if debug else ["--workers", str(workers), "--threads", str(threads)]
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=20):
        self.proc = subprocess.Popen(
            self.args, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError(f"service exited: {self.proc.stderr.read().decode()[-2000:]}")
            return http_ok(self.url + "/healthz")

        wait_for(up, timeout=timeout, what="consent service")
        return self

    def kill(self):
        """kill -9 of the whole process group (server and workers)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


class RedisClusterServers:
    """A three-primary Redis Cluster on free ports (no replicas), for the Cluster store tests."""

    def __init__(self, size=3):
        self.dir = Path(tempfile.mkdtemp(prefix="cmp-redis-cluster-"))
        self.nodes = []
        for i in range(size):
            (self.dir / str(i)).mkdir()
            self.nodes.append(RedisServer(port=free_cluster_port(), directory=self.dir / str(i)))

    @property
    def url(self):
        return f"redis+cluster://127.0.0.1:{self.nodes[0].port}"

    def start(self):
        for node in self.nodes:
            node.extra_args = ["--cluster-enabled", "yes", "--cluster-config-file", str(node.dir / "nodes.conf")]
            node.start()
        subprocess.run(
            [
                "redis-cli",
                "--cluster",
                "create",
                *[f"127.0.0.1:{n.port}" for n in self.nodes],
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
        )
        wait_for(self._ready, what="redis cluster")
        return self

    def _ready(self):
        return all(
            "cluster_state:ok"
            in subprocess.run(
                ["redis-cli", "-p", str(n.port), "cluster", "info"], capture_output=True, text=True
            ).stdout
            for n in self.nodes
        )

    def flush(self):
        for node in self.nodes:
            subprocess.run(["redis-cli", "-p", str(node.port), "flushall"], check=True, capture_output=True)

    def cleanup(self):
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
