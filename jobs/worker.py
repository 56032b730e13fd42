"""The worker behind ``cmpctl worker``: RQ's own worker (and scheduler) on Redis; on the embedded
SQLite default, a loop that starts each due schedule's scan as a local process."""

import logging

from . import runtime


def work(values, burst=False):
    url = runtime.queue_url(values)
    if url is None:
        from . import schedules

        schedules.local_loop(values, burst=burst)
        return
    from rq import Worker

    from . import schedules

    queue = runtime.rq_queue(url)
    index = runtime.open_index(values)
    try:
        schedules.arm_all(queue, values, index)
    finally:
        index.close()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # RQ forks a work horse per job: a scan that hangs is killed at its timeout, its browser with
    # it, and the worker goes on. with_scheduler: the worker that wins RQ's scheduler lock moves
    # scheduled runs (retries, schedules) onto the queue when they are due.
    Worker([queue], connection=queue.connection).work(burst=burst, with_scheduler=True, logging_level="INFO")
