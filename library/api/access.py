"""Who is asking, and how often: API keys, rate limits and JSON errors.

Every request under /api/ is counted before the page cache answers it
(middleware.py). A request with a key (``Authorization: Bearer <key>`` or
``X-API-Key: <key>``) is counted against that key's own limit; an unknown or
inactive key is refused (401). A request without one is counted against its
client address, with ``API_ANONYMOUS_RATE_LIMIT`` a minute (``None``: no
limit; ``0``: a key is required).

The count lives in the cache (Redis when REDIS_URL is set): ``add`` starts a
window of a minute with its expiry (SET NX EX) and ``incr`` counts in it
(INCR), both atomic, so workers on several machines share one count. The
window starts at the client's first request; over the limit, the answer is
429 with ``Retry-After``: the seconds until the window ends.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import store
from .models import ApiKey

#: The window of a rate limit, in seconds.
WINDOW = 60
#: How long a key's lookup is cached (a change of the key forgets it at once).
KEY_CACHE_SECONDS = 300
KEY_CACHE = "api:key:{digest}"
COUNT_KEY = "api:rate:{client}"
START_KEY = "api:rate:{client}:start"
#: The role group that manages the keys in the admin (conditions/roles.py).
EDITORS = "Editors"


# ---------------------------------------------------------------- errors


def error(status, code, message, **fields):
    """Return the JSON error of the API; caches in front must not keep it."""
    response = JsonResponse(
        {"error": {"status": status, "code": code, "message": message, **fields}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response


def message_language(request):
    """Return the language of error messages: the one asked for, if any."""
    asked = request.GET.get("language", "")
    codes = [code for code, _name in settings.LANGUAGES]
    return asked if asked in codes else settings.SOURCE_LANGUAGE


# ---------------------------------------------------------------- keys


def key_of(request):
    """Return the key a request presents, "" for none."""
    authorization = request.headers.get("Authorization", "")
    scheme, _space, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("X-API-Key", "").strip()


def find_key(key):
    """Return {"pk", "rate_limit"} of an active key, or None.

    With a shared cache (Redis) the lookup is cached, the answer "unknown"
    too; saving or deleting a key forgets it (``forget``).
    """
    digest = ApiKey.digest_of(key)
    cache_key = KEY_CACHE.format(digest=digest)
    if store.shared_cache():
        found = cache.get(cache_key)
        if found is not None:
            return found or None
    found = (
        ApiKey.objects.filter(digest=digest, is_active=True)
        .values("pk", "rate_limit")
        .first()
    )
    if store.shared_cache():
        cache.set(cache_key, found or {}, KEY_CACHE_SECONDS)
    return found


def forget(digest):
    """Forget the cached lookup of a key (after it changed)."""
    if digest:
        cache.delete(KEY_CACHE.format(digest=digest))


def _key_changed(sender, instance, **kwargs):
    forget(instance.digest)


def connect():
    for signal in (post_save, post_delete):
        signal.connect(_key_changed, sender=ApiKey, dispatch_uid="library_api.keys")


def grant_editors():
    """Let editors manage the keys in the admin (after every migrate).

    Runs after the editorial roles are synced (conditions comes first in
    INSTALLED_APPS), which set the group's other permissions.
    """
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name=EDITORS).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="library_api")
        )


# ---------------------------------------------------------------- limits


def client_address(request):
    """Return the client's address, past ``API_TRUSTED_PROXIES`` proxies.

    Each trusted proxy appends the address it was called from to
    X-Forwarded-For, so the client is that many entries from the end.
    """
    hops = settings.API_TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip()
            for part in request.headers.get("X-Forwarded-For", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def count(client, limit):
    """Count a request of a client; return None, or the seconds to wait."""
    count_key = COUNT_KEY.format(client=client)
    start_key = START_KEY.format(client=client)
    now = time.time()
    for _attempt in range(2):
        if cache.add(count_key, 0, WINDOW):
            cache.set(start_key, now, WINDOW)
        try:
            requests = cache.incr(count_key)
            break
        except ValueError:
            # The window ended between the two calls: start the next one.
            continue
    else:
        return None
    if requests <= limit:
        return None
    start = cache.get(start_key, now)
    return max(1, math.ceil(start + WINDOW - now))


def check(request):
    """Return the refusal of a request (401, 429), or None to answer it."""
    with translation.override(message_language(request)):
        key = key_of(request)
        if key:
            found = find_key(key)
            if found is None:
                response = error(
                    401,
                    "invalid_key",
                    _("This API key is unknown or no longer active."),
                )
                response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                return response
            client, limit = f"key:{found['pk']}", found["rate_limit"]
        else:
            limit = settings.API_ANONYMOUS_RATE_LIMIT
            if limit is None:
                return None
            if limit == 0:
                response = error(
                    401,
                    "key_required",
                    _(
                        "This API needs a key: send it as "
                        "“Authorization: Bearer <key>”."
                    ),
                )
                response["WWW-Authenticate"] = "Bearer"
                return response
            address = client_address(request).encode()
            client = "address:" + hashlib.sha256(address).hexdigest()[:32]
        wait = count(client, limit)
        if wait is None:
            return None
        response = error(
            429,
            "rate_limited",
            ngettext(
                "Too many requests: the limit is %(limit)d a minute. "
                "Try again in %(seconds)d second.",
                "Too many requests: the limit is %(limit)d a minute. "
                "Try again in %(seconds)d seconds.",
                wait,
            )
            % {"limit": limit, "seconds": wait},
            limit=limit,
            retryAfter=wait,
        )
        response["Retry-After"] = str(wait)
        return response
