"""Benchmark the public condition page as its reference list grows.

Prints, for a condition with 7 sections and 5, 50 and 200 references, the
number of SQL queries and the median time to render the page. Run with
`make bench`; it uses a throwaway test database.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.factories import make_condition, make_user, publish_now

        user = make_user("bench", superuser=True)
        client = Client()
        counts = set()
        print(
            f"{'references':>10} {'sections':>8} {'queries':>7} {'median ms':>9} "
            f"{'p90 ms':>7} {'bytes':>7}"
        )
        for count in (5, 50, 200):
            condition = make_condition(
                slug_en=f"bench-{count}", sections=7, references=count, images=1
            )
            publish_now(condition, user=user)
            url = f"/en/conditions/bench-{count}/"
            client.get(url)  # warm up templates and connection
            queries = []

            def record(execute, sql, *args, queries=queries):
                queries.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(record):
                response = client.get(url)
            assert response.status_code == 200
            timings = []
            for _ in range(RUNS):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            counts.add(len(queries))
            print(
                f"{count:>10} {7:>8} {len(queries):>7} "
                f"{statistics.median(timings):>9.2f} "
                f"{timings[int(len(timings) * 0.9)]:>7.2f} {len(response.content):>7}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if len(counts) > 1:
        sys.exit(f"The query count grows with the content: {sorted(counts)}")


if __name__ == "__main__":
    main()
