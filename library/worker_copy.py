"""Each web worker's own copy of cached pages, kept current by Redis pub/sub.

With Redis, every cached page used to cost a network round trip to read
the epoch (the newest invalidation) with the page: about half of a cached
request's time (bench/public_profile.py). Here each worker process keeps
the pages it served in memory and learns of a new epoch from a Redis
channel, so a page it holds is answered without leaving the process.

"A publish is visible on the next request" still holds: ``announce(epoch)``
publishes the new epoch and waits until every subscribed worker has
acknowledged it (each worker's listener sets the epoch, then acknowledges),
so a request that starts after the publication's own request has returned
sees the new epoch in every worker. A worker whose subscription is not
known to be alive (it has not had a reply to its once-a-second ping within
``ALIVE_SECONDS``, or it is reconnecting) does not use its copy: it reads
the epoch from Redis on every request, as before. If a worker does not
acknowledge within ``ACK_TIMEOUT`` (it lost its connection at that moment),
the publication goes on and says so in the log; that worker stops using its
copy within ``ALIVE_SECONDS``.

Only with a shared cache (Redis); ``PAGE_CACHE_WORKER_COPY`` turns it off.
The test suite turns it off (tests clear the cache to force misses), and
``tests/test_worker_copy.py`` tests it with its own workers.
"""

import logging
import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

#: The cache key of the epoch (the newest invalidation seen), and the channel
#: that announces a new one.
EPOCH_KEY = "library:epoch"
CHANNEL = "library:epochs"
ACK_KEY = "library:epoch-ack:{epoch}"
PING_SECONDS = 1.0
ALIVE_SECONDS = 3.0
ACK_TIMEOUT = 0.5


def enabled():
    """On with Django's Redis cache, unless PAGE_CACHE_WORKER_COPY is off."""
    return getattr(settings, "PAGE_CACHE_WORKER_COPY", True) and isinstance(
        caches["default"], RedisCache
    )


def redis_client():
    """The Redis client of the default cache (django's RedisCache)."""
    return cache._cache.get_client(write=True)


class WorkerCopy:
    """The pages one process holds, valid while its epoch is the newest."""

    def __init__(self, capacity=2000):
        self.capacity = capacity
        self._entries = OrderedDict()
        self._lock = threading.Lock()
        self._epoch = None
        self._alive_until = 0.0
        self._pid = None
        self._stop = threading.Event()

    # ------------------------------------------------------------ requests

    def epoch(self):
        """The newest epoch, or None if the subscription is not known alive."""
        self._ensure_listening()
        if time.monotonic() < self._alive_until:
            return self._epoch
        return None

    def adopt(self, epoch):
        """Take the epoch read from Redis if none is known yet.

        A worker that subscribed while Redis held no epoch (an empty cache)
        learns it from its first read; every later one is announced.
        """
        with self._lock:
            if self._epoch is None:
                self._epoch = epoch

    def get(self, path, epoch):
        with self._lock:
            entry = self._entries.get(path)
            if entry is None:
                return None
            if entry["epoch"] != epoch:
                del self._entries[path]
                return None
            self._entries.move_to_end(path)
            return entry

    def put(self, path, entry):
        with self._lock:
            self._entries[path] = entry
            self._entries.move_to_end(path)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()

    # ------------------------------------------------------------ listening

    def _ensure_listening(self):
        pid = os.getpid()
        if self._pid == pid:
            return
        with self._lock:
            if self._pid == pid:
                return
            # A new process (a forked worker): its own copy and listener.
            self._pid = pid
            self._entries = OrderedDict()
            self._alive_until = 0.0
            self._stop = threading.Event()
            thread = threading.Thread(
                target=self._listen, name="library-epochs", daemon=True
            )
            thread.start()

    def stop(self):
        """Stop listening (tests); the next request starts again."""
        self._stop.set()
        self._pid = None
        self._alive_until = 0.0

    def _listen(self):
        stop = self._stop
        while not stop.is_set():
            try:
                self._subscribed(stop)
            except Exception:  # noqa: BLE001 - any failure: fall back, retry
                logger.warning("Page epochs: subscription lost", exc_info=True)
            if stop.is_set():
                return  # stopped: a newer listener may own the state now
            self._alive_until = 0.0
            stop.wait(0.5)

    def _subscribed(self, stop):
        client = redis_client()
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(CHANNEL)
            # Read after subscribing: an epoch announced meanwhile is in
            # the channel, and nothing older than this read is used.
            self._set_epoch(cache.get(EPOCH_KEY))
            pubsub.ping()
            last_ping = time.monotonic()
            while not stop.is_set():
                if time.monotonic() - last_ping >= PING_SECONDS:
                    pubsub.ping()
                    last_ping = time.monotonic()
                message = pubsub.get_message(timeout=PING_SECONDS)
                if message is None or stop.is_set():
                    continue
                if message["type"] == "pong":
                    self._alive_until = time.monotonic() + ALIVE_SECONDS
                elif message["type"] == "message":
                    epoch = int(message["data"])
                    self._set_epoch(epoch)
                    key = ACK_KEY.format(epoch=epoch)
                    client.pipeline().incr(key).expire(key, 60).execute()
        finally:
            pubsub.close()

    def _set_epoch(self, epoch):
        with self._lock:
            self._epoch = epoch


def announce(epoch):
    """Tell every worker of a new epoch; return when all have taken it."""
    client = redis_client()
    receivers = client.publish(CHANNEL, epoch)
    if not receivers:
        return
    key = ACK_KEY.format(epoch=epoch)
    deadline = time.monotonic() + ACK_TIMEOUT
    while True:
        acknowledged = int(client.get(key) or 0)
        if acknowledged >= receivers:
            return
        if time.monotonic() > deadline:
            logger.warning(
                "Page epochs: %s of %s workers acknowledged epoch %s in %s s",
                acknowledged,
                receivers,
                epoch,
                ACK_TIMEOUT,
            )
            return
        time.sleep(0.0005)


#: This process's copy.
copy = WorkerCopy()
