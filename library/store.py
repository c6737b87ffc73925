"""Stored pages: serve them, keep them, and forget them when what they show changes.

A request for a public address is one indexed query (``Page`` by path) that
returns stored bytes; in front of that, the cache (Redis when ``REDIS_URL``
is set, local memory otherwise) answers without the database. A miss
renders the page from publications, stores it with its tags and serves it.

Invalidation is by tag: ``invalidate(tags)`` records each tag in the
``Invalidation`` sequence, deletes the pages that carry it, moves the cache
on to a new epoch, and asks the purge backend (a CDN) to drop the pages'
addresses. A page rendered while its data changed is not kept: after
storing it, ``keep()`` looks for an invalidation of its tags newer than the
render's start and deletes it if there is one. The publishing transaction
invalidates once inside (so that its own request, and tests, see the
change) and once after its commit (so that a render that read the old data
just before the commit is dropped too); see library/receivers.py.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, connections, router, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from . import purge, routers, worker_copy
from .models import Invalidation, Page, PageTag

#: Cache keys: the epoch (the newest invalidation seen), and a page's entry.
EPOCH_KEY = worker_copy.EPOCH_KEY
PAGE_KEY = "library:page:{path}"
#: Invalidation rows older than this are pruned (a render takes seconds).
KEEP_INVALIDATIONS = timedelta(hours=1)


@dataclass
class Rendered:
    """A page as rendered, before it is stored."""

    body: bytes
    tags: set
    language: str = ""
    content_type: str = "text/html; charset=utf-8"
    last_modified: datetime = field(default_factory=timezone.now)
    #: Store it (False for a page that is not found, such as a 404).
    keep: bool = True
    status: int = 200


def sequence():
    """Return the id of the newest invalidation (0 if there is none).

    Read by every request the local-memory cache answers: plain SQL, as
    ``lookup``.
    """
    connection = connections[router.db_for_read(Invalidation)]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('id')} FROM {qn(Invalidation._meta.db_table)} "
            f"ORDER BY {qn('id')} DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def etag_of(body):
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


_LOOKUP_FIELDS = ("body", "content_type", "etag", "last_modified", "language")


#: The lookup's SQL by database vendor, written once per process.
_LOOKUP_SQL = {}


def _lookup_sql(connection):
    """The lookup's SQL for a connection: written once, not by the ORM.

    It is every public request's one query; building it through the ORM
    took more time than PostgreSQL took to answer it (bench/public_profile.py).
    """
    sql = _LOOKUP_SQL.get(connection.vendor)
    if sql is None:
        sql = _LOOKUP_SQL[connection.vendor] = _write_lookup_sql(connection)
    return sql


def _write_lookup_sql(connection):
    qn = connection.ops.quote_name
    page, invalidation = Page._meta.db_table, Invalidation._meta.db_table
    columns = ", ".join(qn(Page._meta.get_field(f).column) for f in _LOOKUP_FIELDS)
    return (
        f"SELECT {columns}, COALESCE((SELECT {qn('id')} FROM {qn(invalidation)} "
        f"ORDER BY {qn('id')} DESC LIMIT 1), 0) FROM {qn(page)} "
        f"WHERE {qn('path')} = %s"
    )


def lookup(path):
    """Return the stored page of an address as a dict, or None (one query).

    Its ``epoch`` is the newest invalidation, read in the same query: the
    page is current as of it, so the cache may keep it under that epoch.
    """
    connection = connections[router.db_for_read(Page)]
    row = _fetch_row(connection, _lookup_sql(connection), path)
    if row is None:
        return None
    fields = dict(zip(_LOOKUP_FIELDS, row[:-1], strict=True))
    fields["body"] = bytes(fields["body"])
    last_modified = fields["last_modified"]
    if isinstance(last_modified, str):  # SQLite
        last_modified = parse_datetime(last_modified)
    if settings.USE_TZ and timezone.is_naive(last_modified):
        last_modified = timezone.make_aware(last_modified, UTC)
    fields["last_modified"] = last_modified
    fields["epoch"] = row[-1]
    return fields


def _fetch_row(connection, sql, path):
    """Run the lookup; on PostgreSQL, with the page's bytes sent as binary.

    Django's psycopg cursors bind parameters on the client and read text:
    a 12 KB page arrives as 24 KB of hex that psycopg decodes. A psycopg
    cursor of the same connection (same transaction, same type loaders)
    asks for binary results: about a quarter of the lookup's time on a
    public request (bench/public_profile.py). Where Django logs queries
    (DEBUG, tests counting them), its own cursor runs it, so it is counted.
    """
    if connection.vendor == "postgresql" and not connection.queries_logged:
        import psycopg

        connection.ensure_connection()
        with connection.wrap_database_errors:
            with psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(sql, [path], binary=True)
                return cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute(sql, [path])
        return cursor.fetchone()


def keep(path, rendered, start):
    """Store a rendered page unless what it shows changed since `start`.

    Returns the stored fields (as ``lookup`` does).
    """
    body = bytes(rendered.body)
    fields = {
        "body": body,
        "content_type": rendered.content_type,
        "etag": etag_of(body),
        "last_modified": rendered.last_modified.replace(microsecond=0),
        "language": rendered.language,
        "epoch": start,
    }
    if not rendered.keep:
        return fields
    try:
        with transaction.atomic():
            Page.objects.filter(path=path).delete()
            page = Page.objects.create(
                path=path, **{k: v for k, v in fields.items() if k != "epoch"}
            )
            PageTag.objects.bulk_create(
                PageTag(page=page, tag=tag) for tag in sorted(rendered.tags)
            )
    except IntegrityError:
        # Another request stored the same address meanwhile: serve ours.
        return fields
    # Checked after the page is committed: an invalidation that commits
    # later deletes the page itself (it sees the row).
    if Invalidation.objects.filter(pk__gt=start, tag__in=rendered.tags).exists():
        Page.objects.filter(pk=page.pk).delete()
    return fields


def invalidate(tags):
    """Forget every stored page that shows one of the tags; purge caches.

    Returns the addresses of the pages forgotten.
    """
    tags = sorted(set(tags))
    if not tags:
        return []
    Invalidation.objects.bulk_create(Invalidation(tag=tag) for tag in tags)
    pages = Page.objects.filter(tags__tag__in=tags).distinct()
    paths = list(pages.values_list("path", flat=True))
    Page.objects.filter(path__in=paths).delete()
    Invalidation.objects.filter(at__lt=timezone.now() - KEEP_INVALIDATIONS).delete()
    new_epoch()
    purge.backend().purge(paths)
    return paths


# ---------------------------------------------------------------- the cache


def shared_cache():
    """Return True if every web worker sees the same cache (Redis, …)."""
    return not isinstance(caches["default"], LocMemCache)


def new_epoch():
    """Make every cached page older than now a miss."""
    if shared_cache():
        epoch = sequence()
        cache.set(EPOCH_KEY, epoch, None)
        if worker_copy.enabled():
            worker_copy.announce(epoch)
    else:
        # Each worker has its own memory: they compare with the database.
        cache.clear()


def no_page_cache():
    """Return True if the site runs without a page cache (a DummyCache)."""
    return isinstance(caches["default"], DummyCache)


def cached(path):
    """Return a cached response entry for a path, or None."""
    if no_page_cache():
        return None
    local = shared_cache() and worker_copy.enabled()
    if local:
        # This worker's copy, while its epoch is known (worker_copy.py).
        epoch = worker_copy.copy.epoch()
        if epoch is not None:
            entry = worker_copy.copy.get(path, epoch)
            if entry is not None:
                return entry
    if shared_cache():
        found = cache.get_many([EPOCH_KEY, PAGE_KEY.format(path=path)])
        entry = found.get(PAGE_KEY.format(path=path))
        epoch = found.get(EPOCH_KEY)
    else:
        entry = cache.get(PAGE_KEY.format(path=path))
        epoch = sequence() if entry is not None else None
    if local and epoch is not None:
        worker_copy.copy.adopt(epoch)
    if entry is None or epoch is None or entry["epoch"] != epoch:
        return None
    if local:
        worker_copy.copy.put(path, entry)
    return entry


def remember(path, response, epoch):
    """Cache a response's bytes and headers under the epoch it was made in."""
    if no_page_cache():
        return  # nothing would keep them: do not copy the headers for it
    if shared_cache():
        cache.add(EPOCH_KEY, epoch, None)
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("set-cookie", "vary")
    ]
    entry = {
        "epoch": epoch,
        "status": response.status_code,
        "body": response.content,
        "headers": headers,
    }
    cache.set(PAGE_KEY.format(path=path), entry, settings.PAGE_CACHE_SECONDS)
    if shared_cache() and worker_copy.enabled():
        worker_copy.copy.put(path, entry)


# ---------------------------------------------------------------- responses


def respond(request, fields, *, status=200):
    """Return the response of stored fields: headers for caches, 304 if fresh."""
    response = HttpResponse(
        fields["body"], content_type=fields["content_type"], status=status
    )
    if status != 200:
        return response
    last_modified = fields["last_modified"]
    response["ETag"] = fields["etag"]
    response["Last-Modified"] = http_date(last_modified.timestamp())
    if fields["language"]:
        response["Content-Language"] = fields["language"]
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    # For the cache in front (middleware.py): the epoch it is current as of.
    response.library_epoch = fields["epoch"]
    conditional = get_conditional_response(
        request,
        etag=fields["etag"],
        last_modified=int(last_modified.timestamp()),
        response=response,
    )
    return conditional


def serve(request, path, render):
    """Answer a public address from its stored page, rendering it on a miss.

    `render()` returns a Rendered, or None for an address that shows
    nothing (404).
    """
    # The cache middleware's short path may have looked it up already.
    looked_up, fields = getattr(request, "library_lookup", (None, None))
    if looked_up != path:
        fields = lookup(path)
    if fields is None:
        start = sequence()
        with routers.public_reads():
            rendered = render()
        if rendered is None:
            return None
        fields = keep(path, rendered, start)
        if rendered.status != 200:
            return respond(request, fields, status=rendered.status)
    response = respond(request, fields)
    # The address the cache in front may keep it under (middleware.py): the
    # stored page's own, not a variant with a query string the view ignores.
    response.library_path = path
    return response


def render_and_keep(path, render):
    """Render an address now and store it (publication renders eagerly)."""
    start = sequence()
    rendered = render()
    if rendered is None:
        Page.objects.filter(path=path).delete()
        return None
    return keep(path, rendered, start)
