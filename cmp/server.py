"""The production server: Granian (HTTP in Rust, the WSGI app in worker processes).

Each worker imports :mod:`cmp.wsgi`, which builds the app from the ``CMP_*`` environment; the
CLI has already built it once, so a bad setting fails before any worker starts.
Granian gave more consent writes per second than gunicorn here (figures in docs/benchmarks.md).
"""

import errno
import os
import socket
import threading
import time

from .errors import ServeError

_BIND_ERRORS = {
    errno.EADDRINUSE: "is already in use (another server is listening there; stop it or choose another --port)",
    errno.EACCES: "is not allowed for this user (ports below 1024 need privileges)",
    errno.EADDRNOTAVAIL: "is not an address of this machine",
}


def check_address(host, port):
    """The IP address to listen on for ``host``, once we know ``port`` is free there.

    Granian shares a port with any listener that allows it (SO_REUSEPORT): a second server would
    start silently beside the first and split its traffic. A trial bind without SO_REUSEPORT
    fails on any live listener, so a port in use is refused before a worker starts.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(f"--host {host!r}: cannot be resolved ({exc})") from None
    family, _, _, _, sockaddr = sorted(infos, key=lambda info: info[0] != socket.AF_INET)[0]
    address = sockaddr[0]
    with socket.socket(family, socket.SOCK_STREAM) as trial:
        trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT leftovers are not listeners
        try:
            trial.bind(sockaddr)
        except OSError as exc:
            reason = _BIND_ERRORS.get(exc.errno, f"cannot be used: {exc.strerror}")
            raise ServeError(f"{address} port {port} {reason}") from None
    return address


def exit_with_parent(interval_s=0.5):
    """End this worker process as soon as the process that started it is gone.

    After a ``kill -9`` of the server's main process its workers are re-parented and would go
    on serving with the old keys and settings beside a new server. A daemon thread watches the
    parent id; a kernel parent-death signal was not used because Linux sends it when the parent
    *thread* that forked us ends, and the server may start workers from any thread.
    """
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(interval_s)
        os._exit(1)  # no clean-up: the parent that owned the port and the workers is dead

    threading.Thread(target=watch, name="cmp-parent-watch", daemon=True).start()


def run(host, port, workers, threads, target="cmp.wsgi:app", working_dir=None):
    """Serve ``target`` (the consent service; ``bench/framework_ceiling.py`` serves other apps
    with the same settings) until stopped."""
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        target,
        working_dir=working_dir,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        websockets=False,
        workers=workers,
        blocking_threads=threads,
        respawn_failed_workers=True,
        log_access=False,
    ).serve()
