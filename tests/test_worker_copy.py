"""Each web worker's own copy of cached pages (library/worker_copy.py).

With Redis, a cached page is answered from the worker's memory while its
subscription to the epochs channel is alive; a publication waits until
the workers have the new epoch, so it is visible at the next request. A
worker without a live subscription falls back to reading Redis.
"""

import time

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from conditions.models import Condition
from library import store, worker_copy

from .factories import make_condition, publish_now

REDIS_URL = "redis://127.0.0.1:6379/14"
URL = "/en/conditions/focal-dystonia/"


def _redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_up(), reason="needs Redis at 127.0.0.1:6379 (the page cache's)"
)


@pytest.fixture
def redis_cache():
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # override_settings gives the cache handler the new CACHES.
    with override_settings(CACHES=caches, PAGE_CACHE_WORKER_COPY=True):
        cache.clear()
        worker_copy.copy.stop()
        yield
        worker_copy.copy.stop()
        worker_copy.copy.clear()
        cache.clear()


def wait_alive():
    deadline = time.monotonic() + 5
    while worker_copy.copy.epoch() is None:
        assert time.monotonic() < deadline, "the subscription never came up"
        time.sleep(0.05)


@pytest.fixture
def article(db, redis_cache):
    condition = make_condition(
        title_en="Focal Dystonia", slug_en="focal-dystonia", slug_es="distonia-focal"
    )
    publish_now(condition)
    wait_alive()
    return condition


def page_key(path):
    return cache.make_key(store.PAGE_KEY.format(path=path))


def test_a_cached_page_is_answered_from_the_workers_memory(client, article):
    first = client.get(URL).content
    # Gone from Redis, still in this worker: answered without Redis or SQL.
    worker_copy.redis_client().delete(page_key(URL))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL)
    assert again.status_code == 200 and again.content == first
    assert len(queries) == 0


def test_a_publication_is_visible_at_the_next_request(client, article):
    assert b"Focal Dystonia" in client.get(URL).content
    Condition.objects.filter(pk=article.pk).update(title_en="Focal Dystonia (Renamed)")
    publish_now(Condition.objects.get(pk=article.pk))
    # No wait: the publication returned once this worker had the epoch.
    assert b"Focal Dystonia (Renamed)" in client.get(URL).content


def test_every_worker_acknowledges_a_new_epoch_before_the_publication_returns(
    article,
):
    # A second subscriber, as another worker process would be.
    other = worker_copy.WorkerCopy()
    other._pid = None
    other._ensure_listening()
    deadline = time.monotonic() + 5
    while other.epoch() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    store.invalidate(["az:en:f"])
    newest = store.sequence()
    # Both copies hold the new epoch the moment invalidate() returned.
    assert other.epoch() == newest
    assert worker_copy.copy.epoch() == newest
    other.stop()


def test_without_a_live_subscription_the_worker_asks_redis(client, article):
    client.get(URL)
    worker_copy.copy.stop()  # the subscription is down
    assert worker_copy.copy._alive_until == 0.0
    # The page is still in this worker's memory, but it is not used: with
    # the page gone from Redis, the request goes to the stored page.
    worker_copy.redis_client().delete(page_key(URL))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    assert len(queries) == 1 and "library_page" in queries[0]["sql"]


def test_a_worker_that_started_on_an_empty_cache_learns_the_epoch(client, article):
    cache.clear()  # Redis holds no epoch, as after a restart of Redis
    worker_copy.copy.stop()
    worker_copy.copy.clear()
    worker_copy.copy._epoch = None
    wait_alive_subscription()
    first = client.get(URL).content  # stored page; Redis gets the epoch
    client.get(URL)  # from Redis: the worker adopts its epoch
    worker_copy.redis_client().delete(page_key(URL))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).content == first
    assert len(queries) == 0


def wait_alive_subscription():
    deadline = time.monotonic() + 5
    while time.monotonic() >= worker_copy.copy._alive_until:
        worker_copy.copy.epoch()  # starts the listener
        assert time.monotonic() < deadline, "the subscription never came up"
        time.sleep(0.05)
