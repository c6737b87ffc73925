"""Where the time of a public request goes (not run by `make bench`).

Calls the WSGI application in-process (no gunicorn, no sockets to the
client) for the article page of a generated library, with each kind of
page cache, and for the same HTML as a static file; prints the time per
request and, from cProfile, the share of each part of the request path:

    .venv/bin/python bench/public_profile.py            # at the first size
    BENCH_PUBLIC_ARTICLES=1000 .venv/bin/python bench/public_profile.py

Own time of the functions is summed by where they live (the database
driver, the ORM, Redis, the middleware…), so "database round trip" is the
time spent waiting for PostgreSQL, and "ORM" the time Django takes to build
the SQL and read its rows.
"""

import cProfile
import io
import json
import pstats
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.public_common import (  # noqa: E402
    CACHE_NAMES,
    PYTHON,
    REDIS_URL,
    ROOT,
    SIZES,
    STATIC_DIR,
    check_services,
    copy_of,
    django_helper,
    environment,
    table,
)

REQUESTS = 500
#: Where a function lives -> the part of the request path it belongs to.
PARTS = [
    ("psycopg/", "database round trip (psycopg)"),
    ("redis/", "Redis round trip and client"),
    ("django/db/", "ORM: building SQL, reading rows"),
    ("django/core/cache/", "Django's cache API"),
    ("django/urls/", "URL resolving"),
    ("django/utils/translation", "translation, locale"),
    ("django/middleware/locale", "translation, locale"),
    ("django/contrib/sessions", "sessions, auth, messages, CSRF"),
    ("django/contrib/auth", "sessions, auth, messages, CSRF"),
    ("django/contrib/messages", "sessions, auth, messages, CSRF"),
    ("django/middleware/csrf", "sessions, auth, messages, CSRF"),
    ("csp/", "CSP header"),
    ("whitenoise/", "WhiteNoise"),
    ("django/http/", "HttpRequest and HttpResponse"),
    ("django/core/handlers/", "Django's handler and middleware chain"),
    ("django/utils/deprecation", "Django's handler and middleware chain"),
    ("django/middleware/", "other middleware (security, common, clickjacking)"),
    ("django/dispatch", "signals (request started/finished)"),
    ("/library/", "library/ (store, middleware, views)"),
    ("django/", "Django, other"),
]


def part_of(filename):
    for fragment, part in PARTS:
        if fragment in filename:
            return part
    return "other"


def profile(path, requests):
    """Django side: time and profile `requests` GETs of `path`."""
    from django.core.handlers.wsgi import WSGIHandler

    application = WSGIHandler()

    def call():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        statuses = []
        body = application(environ, lambda status, headers, *a: statuses.append(status))
        for _chunk in body:
            pass
        if hasattr(body, "close"):
            body.close()
        assert statuses[0].startswith("200"), (path, statuses)

    for _ in range(50):
        call()
    start = time.perf_counter()
    for _ in range(requests):
        call()
    per_request = (time.perf_counter() - start) / requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    parts = {}
    for (filename, _line, _name), (_cc, _nc, own, _cum, callers) in stats.items():
        if filename == "~" and callers:
            # A built-in (a socket's send, pickle…): its callers' part.
            spent = sum(tt for _cc, _nc, tt, _ct in callers.values()) or 1
            for (caller, _l, _n), (_cc, _nc, tt, _ct) in callers.items():
                part = part_of(caller)
                parts[part] = parts.get(part, 0) + own * tt / spent
            continue
        part = part_of(filename)
        parts[part] = parts.get(part, 0) + own
    total = sum(parts.values())
    return {
        "ms": per_request * 1000,
        "parts": {part: own / total for part, own in parts.items()},
    }


def main():
    check_services("Profile of the public request path", redis=True)
    size = SIZES[0]
    with copy_of(size, "profile") as url:
        sample = django_helper(url, "sample")
        static = f"/static/bench/profile-{size}.html"
        django_helper(
            url,
            "fetch",
            sample["article"],
            STATIC_DIR / "bench" / f"profile-{size}.html",
            settings="bench.settings_nocache",
        )
        results = {}
        for label, cache, path in [
            ("article, no page cache", "none", sample["article"]),
            ("article, Redis page cache", "redis", sample["article"]),
            ("article, local-memory page cache", "local", sample["article"]),
            ("the same HTML as a static file", "none", static),
        ]:
            settings = "bench.settings_nocache" if cache == "none" else "bench.settings"
            redis_url = REDIS_URL if cache == "redis" else None
            done = subprocess.run(
                [PYTHON, __file__, "--django", path, str(REQUESTS)],
                cwd=ROOT,
                env=environment(url, settings, redis_url),
                check=True,
                capture_output=True,
                text=True,
            )
            results[label] = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"  {label} ({CACHE_NAMES[cache]}) profiled", file=sys.stderr)
    labels = list(results)
    parts = sorted(
        {part for result in results.values() for part in result["parts"]},
        key=lambda part: (
            -max(r["parts"].get(part, 0) * r["ms"] for r in results.values())
        ),
    )
    rows = [
        ["time per request (ms, not profiled)"]
        + [f"{results[label]['ms']:.2f}" for label in labels]
    ]
    for part in parts:
        rows.append(
            [part]
            + [
                f"{results[label]['parts'].get(part, 0) * results[label]['ms']:.2f}"
                for label in labels
            ]
        )
    table(
        f"Where the time of a request goes, in-process (ms per request), at {size} "
        "articles",
        [""] + labels,
        rows,
        notes=[
            "Each part: its share of the profiled own time, times the request's "
            "unprofiled time. gunicorn's own work (accept, parse, write) is not here.",
        ],
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--django"]:
        import django

        django.setup()
        print(json.dumps(profile(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
