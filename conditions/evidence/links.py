"""Checking reference addresses: concurrent, polite, and recorded.

Requests run in a thread pool, one host at a time per host (each host's
addresses are checked in turn by one worker) and at most ``rate`` requests a
second overall. A HEAD request is tried first; a server that refuses HEAD
(405, 501) or answers it with an error is asked again with GET. Redirects
are followed and where they ended is recorded. What was found is written
with ``update()``: a link check is not an edit and makes no revision.
"""

import queue
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from http.client import HTTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import Reference

#: Seconds to wait for a server before calling the address unreachable.
DEFAULT_TIMEOUT = getattr(settings, "LINK_CHECK_TIMEOUT", 10.0)
#: Requests a second, all hosts together.
DEFAULT_RATE = getattr(settings, "LINK_CHECK_RATE", 5.0)
DEFAULT_WORKERS = getattr(settings, "LINK_CHECK_WORKERS", 8)
USER_AGENT = getattr(
    settings,
    "LINK_CHECK_USER_AGENT",
    "HealthLibraryLinkChecker/1.0 (reference check; +https://www.djangoproject.com/)",
)
#: Statuses that mean "HEAD is not how to ask this server".
HEAD_REFUSED = {400, 403, 404, 405, 501}
MAX_REDIRECTS = 10
ERROR_LENGTH = Reference._meta.get_field("link_error").max_length
URL_LENGTH = Reference._meta.get_field("link_final_url").max_length


def broken():
    """Return the references whose last check found a broken link."""
    return Reference.objects.filter(
        Q(link_status__gte=400) | (Q(link_checked_at__isnull=False) & ~Q(link_error=""))
    )


def to_check(*, only_broken=False, older_than=None):
    """Return the references with an address to check, oldest check first."""
    queryset = broken() if only_broken else Reference.objects.all()
    queryset = queryset.exclude(url="")
    if older_than is not None:
        cutoff = timezone.now() - timedelta(days=older_than)
        queryset = queryset.filter(
            Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=cutoff)
        )
    return queryset


@dataclass
class LinkResult:
    """What one address answered."""

    reference_id: int
    url: str
    status: int | None = None
    final_url: str = ""
    error: str = ""

    @property
    def is_broken(self):
        return bool(self.error) or (self.status or 0) >= 400

    @property
    def redirected(self):
        return bool(self.final_url)


class RateLimiter:
    """At most ``rate`` calls of ``wait()`` a second, across threads."""

    def __init__(self, rate):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()

    def wait(self):
        with self.lock:
            now = time.monotonic()
            at = max(now, self.next_at)
            self.next_at = at + self.interval
        if at > now:
            time.sleep(at - now)


class _KeepMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the same method (HEAD stays HEAD)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


_opener = urllib.request.build_opener(_KeepMethodRedirects)


def _request(url, method, timeout):
    """Return (status, final address) of one request; raise on no answer."""
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, error.geturl() or error.filename or url


def _describe(error):
    """Return a short, plain description of why an address gave no answer."""
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(reason, socket.gaierror):
        return f"DNS: {reason.strerror or reason}"
    if isinstance(reason, ssl.SSLError):
        return f"TLS: {getattr(reason, 'reason', None) or reason}"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return f"{type(reason).__name__}: {reason}"


def check_url(reference_id, url, *, timeout=DEFAULT_TIMEOUT, limiter=None):
    """Check one address (HEAD, then GET if HEAD is refused); never raise."""
    result = LinkResult(reference_id, url)
    try:
        for method in ("HEAD", "GET"):
            if limiter is not None:
                limiter.wait()
            status, final = _request(url, method, timeout)
            if method == "HEAD" and status in HEAD_REFUSED:
                continue
            break
        result.status = status
        result.final_url = final[:URL_LENGTH] if final != url else ""
    except (urllib.error.URLError, OSError, HTTPException, ValueError) as error:
        result.error = _describe(error)[:ERROR_LENGTH]
    return result


def check_links(
    references,
    *,
    timeout=DEFAULT_TIMEOUT,
    rate=DEFAULT_RATE,
    workers=DEFAULT_WORKERS,
    progress=None,
):
    """Check the references' addresses and record what each answered.

    ``references`` is a queryset; yield each ``LinkResult`` as it is recorded.
    Requests run in threads; the results are written from the calling thread
    (its database connection and transaction), each with one ``update()``.
    """
    by_host = {}
    for pk, url in references.order_by("pk").values_list("pk", "url").iterator():
        by_host.setdefault(urlsplit(url).netloc.lower(), []).append((pk, url))
    total = sum(len(addresses) for addresses in by_host.values())
    limiter = RateLimiter(rate)
    results = queue.Queue()

    def check_host(addresses):
        # One worker per host: its addresses one after the other.
        for pk, url in addresses:
            try:
                result = check_url(pk, url, timeout=timeout, limiter=limiter)
            except Exception as error:  # a bug must not stop the other hosts
                result = LinkResult(pk, url, error=_describe(error)[:ERROR_LENGTH])
            results.put(result)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for addresses in by_host.values():
            pool.submit(check_host, addresses)
        for _number in range(total):
            result = results.get()
            record(result)
            if progress is not None:
                progress(1)
            yield result


def record(result):
    """Store what an address answered on its reference, without a revision."""
    Reference.objects.filter(pk=result.reference_id).update(
        link_status=result.status,
        link_checked_at=timezone.now(),
        link_final_url=result.final_url,
        link_error=result.error,
    )
