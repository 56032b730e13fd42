"""The scan's time budget, on a clock the test moves: each wait gets --timeout, never past the
deadline, and what ran out of time is told by the limit it hit."""

from scanner.deadline import Deadline, deadline_for
from scanner.report import limits_detail, timeout_line


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_default_deadline_is_ten_timeouts():
    assert (deadline_for(30), deadline_for(3), deadline_for(3, 45)) == (300, 30, 45)


def test_each_wait_gets_the_timeout_until_the_deadline_cuts_it_short():
    clock = Clock()
    deadline = Deadline(3, 10, clock=clock)
    assert (deadline.wait_s(), deadline.wait_s(5.0), deadline.wait_ms()) == (3, 5.0, 3000)
    clock.now += 8.5
    assert (deadline.wait_s(), deadline.remaining_s()) == (1.5, 1.5)
    clock.now += 2
    assert (deadline.wait_s(), deadline.wait_ms(), deadline.remaining_s()) == (0.0, 1.0, 0.0)  # 0 ms: no limit


def test_a_timeout_records_step_phase_url_and_the_limit_it_hit():
    deadline = Deadline(3, 10, clock=Clock())
    deadline.timed_out("sitemap", None, "http://s/sitemap.xml", 3.0)
    deadline.timed_out("page", "refuse", "http://s/a", 1.26)
    deadline.timed_out("banner", "accept", "http://s/")
    assert deadline.timeouts == [
        {"step": "sitemap", "phase": None, "url": "http://s/sitemap.xml", "limit": "timeout", "after_s": 3.0},
        {"step": "page", "phase": "refuse", "url": "http://s/a", "limit": "deadline", "after_s": 1.3},
        {"step": "banner", "phase": "accept", "url": "http://s/", "limit": "deadline", "after_s": None},
    ]
    assert [timeout_line(t) for t in deadline.timeouts] == [
        "sitemap http://s/sitemap.xml: no answer within 3 s (--timeout)",
        "[refuse] page http://s/a: no answer within 1.3 s (the scan's --deadline)",
        "[accept] banner http://s/: stopped at the scan's deadline",
    ]


def test_the_limits_sentence_counts_what_timed_out_and_what_was_left():
    limits = {
        "timeout_s": 3,
        "deadline_s": 10,
        "deadline_reached": True,
        "timeouts": [{"step": "page", "phase": "before", "url": "u", "limit": "timeout", "after_s": 3}],
        "not_visited": {"before": ["a", "b"], "refuse": [], "accept": ["c"]},
    }
    assert limits_detail(limits) == (
        "1 step(s) ran out of time; the scan's deadline (10 s) was reached, "
        "3 queued page(s) not visited (before 2, refuse 0, accept 1)"
    )
    assert limits_detail({**limits, "deadline_reached": False, "timeouts": []}) is None
