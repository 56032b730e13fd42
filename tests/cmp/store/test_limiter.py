"""The rate-limiter contract: every backend (real SQLite, a real Redis, a real Redis Cluster) counts
the same way, in a place every worker shares."""

import time

import limits
import pytest

from cmp.store import limiter_from_url


@pytest.fixture
def make_limiter(store_url):
    made = []

    def make(rule="3/minute"):
        made.append(limiter_from_url(store_url, limits.parse(rule)))
        return made[-1]

    yield make
    for limiter in made:
        limiter.close()


def test_a_key_is_allowed_the_limit_and_refused_the_next_hit(make_limiter):
    limiter = make_limiter("3/minute")
    assert [limiter.hit("ip-a") for _ in range(5)] == [True, True, True, False, False]


def test_each_key_has_its_own_count(make_limiter):
    limiter = make_limiter("3/minute")
    assert [limiter.hit("ip-a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("ip-b") is True


def test_the_limiter_tells_its_limit_and_window(make_limiter):
    limiter = make_limiter("120/minute")
    assert (limiter.limit, limiter.window_s) == (120, 60)


def test_limiters_on_the_same_store_share_one_count_as_workers_do(make_limiter):
    first, second = make_limiter("3/minute"), make_limiter("3/minute")
    assert [first.hit("ip-a"), second.hit("ip-a"), first.hit("ip-a"), second.hit("ip-a")] == [True, True, True, False]


@pytest.mark.slow
def test_a_refused_key_is_allowed_again_once_its_window_has_passed(make_limiter):
    limiter = make_limiter("2/second")
    assert [limiter.hit("ip-a") for _ in range(3)] == [True, True, False]
    # Redis times windows by key TTLs on the server, which cmp.clock cannot move: wait instead.
    time.sleep(1.1)
    assert [limiter.hit("ip-a") for _ in range(3)] == [True, True, False]
