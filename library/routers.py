"""Public reads from a PostgreSQL replica, when DATABASE_REPLICA_URL is set.

Rendering a public page reads publications, categories, listings: work that
a read replica can take from the primary. The stored pages and the
invalidation bookkeeping stay on the primary (``default``): a page lookup
must see an invalidation as soon as it commits. And a render reads from the
replica only when the replica has replayed the newest invalidation the
primary knows; otherwise it could render, and store, a page from before a
publication (``public_reads``).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

from .models import Invalidation

REPLICA = "replica"
_reading_replica = ContextVar("reading_replica", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


@contextmanager
def public_reads():
    """Send the reads made inside the block to the replica, if it is current."""
    if not replica_configured() or not _caught_up():
        yield
        return
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def newest_invalidation(using="default"):
    """Return the id of the newest invalidation in a database (0 if none)."""
    newest = (
        Invalidation.objects.using(using).order_by("-pk").values_list("pk", flat=True)
    )
    return newest.first() or 0


def _caught_up():
    return newest_invalidation(REPLICA) >= newest_invalidation("default")


class PublicReadsRouter:
    """Route the reads of a public render to the replica; writes to default."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and REPLICA in connections.databases:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica copies the primary: it is never migrated itself.
        return db != REPLICA
