"""The production server: Granian (HTTP in Rust, the WSGI app in worker processes).

Each worker imports :mod:`cmp.wsgi`, which builds the app from the ``CMP_*`` environment; the
CLI has already built it once, so a bad setting fails before any worker starts.
Granian gave more consent writes per second than gunicorn here (figures in docs/benchmarks.md).
"""


def run(host, port, workers, threads):
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        "cmp.wsgi:app",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        websockets=False,
        workers=workers,
        blocking_threads=threads,
        respawn_failed_workers=True,
        log_access=False,
    ).serve()
