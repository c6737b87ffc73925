"""Benchmark the editorial side as the library grows (run by `make bench`).

A library is generated through the real workflow (`generate_library`) to
each size of BENCH_ARTICLES (default 100, 1,000 and 10,000 articles; CI runs
small sizes), and at each size this prints:

- every admin screen of tests/screens.py: SQL queries and median time;
- the public article page: SQL queries and median time;
- `export_xliff -l es` of every missing and outdated unit, and with
  `--all` of every unit: time, peak memory (Python allocations,
  tracemalloc) and the units written.

It exits with an error if a screen's query count changes with the size.
It uses a throwaway test database (SQLite in memory, or DATABASE_URL's
server with a test_ prefix).
"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)

SIZES = [int(n) for n in os.environ.get("BENCH_ARTICLES", "100,1000,10000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
#: The roles of tests/screens.py -> the demo accounts generate_library uses.
ACCOUNTS = {
    "author": "author",
    "reviewer": "reviewer",
    "reviewer2": "reviewer2",
    "editor": "editor",
    "translator": "translator_es",
    "translation_reviewer": "translation_reviewer_es",
}


def measure(client, url):
    """Return (queries, median ms) of a GET, after one warm-up request."""

    def get():
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, (url, response.status_code)

    get()
    with CaptureQueriesContext(connection) as queries:
        get()
    count = len(queries)  # before the next request resets the log
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        get()
        timings.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(timings)


def export_xliff(**options):
    """Return (seconds, peak MB, units) of an export_xliff -l es run."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "es.xlf"
        tracemalloc.start()
        start = time.perf_counter()
        call_command(
            "export_xliff",
            language="es",
            output=str(output),
            stderr=StringIO(),
            **options,
        )
        seconds = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        units = output.read_text().count("<trans-unit ")
    return seconds, peak / 2**20, units


def main():
    from conditions.models import Condition, Publication
    from tests.screens import admin_screens

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results = {}
    grown = {}
    try:
        client = Client()
        for size in SIZES:
            missing = size - Condition.objects.count()
            start = time.perf_counter()
            call_command("generate_library", articles=missing, seed=size, verbosity=0)
            grown[size] = time.perf_counter() - start, missing
            users = {
                role: get_user_model().objects.get(username=username)
                for role, username in ACCOUNTS.items()
            }
            row = {}
            for name, (role, url) in admin_screens().items():
                client.force_login(users[role])
                row[name] = measure(client, url)
            client.logout()
            article = (
                Publication.objects.current().filter(language="en").order_by("pk")
            ).first()
            row["public article page"] = measure(client, article.get_absolute_url())
            results[size] = (row, export_xliff(), export_xliff(all=True))
            print(f"  measured at {size} articles", file=sys.stderr)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    report(results, grown)


def report(results, grown):
    sizes = list(results)
    print("\nGenerating the library (generate_library, real workflow):")
    for size in sizes:
        seconds, added = grown[size]
        per = seconds / added * 1000 if added else 0
        print(
            f"  to {size:>6} articles: +{added} in {seconds:.0f} s ({per:.0f} ms each)"
        )
    print("\nAdmin screens and the public page: SQL queries / median ms")
    header = f"{'screen':<42}" + "".join(f"{size:>16}" for size in sizes)
    print(header)
    print("-" * len(header))
    grows = []
    for name in results[sizes[0]][0]:
        cells = [results[size][0][name] for size in sizes]
        print(
            f"{name:<42}"
            + "".join(f"{queries:>7} / {ms:>6.1f}" for queries, ms in cells)
        )
        if len({queries for queries, _ms in cells}) > 1:
            grows.append(name)
    for title, column in (
        ("export_xliff -l es (every missing and outdated unit)", 1),
        ("export_xliff -l es --all (every unit of every article)", 2),
    ):
        print(f"\n{title}")
        for size in sizes:
            seconds, peak, units = results[size][column]
            print(
                f"  {size:>6} articles: {units:>7} units in {seconds:6.2f} s, "
                f"peak {peak:6.1f} MB"
            )
    if grows:
        sys.exit(f"The query count grows with the library: {', '.join(grows)}")


if __name__ == "__main__":
    main()
