"""Search relevance and speed on real content (for `make bench`).

Publishes every page of the vendored extract (conditions/demo/library/
library.json.gz: 1,312 MedQuAD pages and 15 English MedlinePlus summaries,
each with a Spanish MedlinePlus text) through the real workflow, then asks
search every query of MedQuAD's queries.tsv (5,008 lines "other name<TAB>
page name": a reader's query by another name and the page it should find)
and prints:

- how often the right page comes first, in the first three, in the first
  ten, or not at all (a query whose page is not in the extract counts as a
  miss; the figures without them are printed too);
- the queries of the engine per search page, and the time of a search
  (the service alone, and the whole results page through the test client;
  a different query each time, so no cache answers): p50 and p95.

It runs on the database of DATABASE_URL (a throwaway test database: SQLite
in memory by default, or the PostgreSQL server's test_ database), so run it
once per engine:

    .venv/bin/python bench/search_relevance.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/healthinfo \
        .venv/bin/python bench/search_relevance.py

queries.tsv is read from HEALTHLIB_DATA (default /work/shared/data:
medquad/queries.tsv); without it, the sample vendored for the tests
(tests/data/search/queries.tsv) is used. BENCH_SEARCH_QUERIES caps the
number of queries (all by default), BENCH_RUNS the timed page requests
(default 200). Set BENCH_SEARCH_MISSES=N to print N misses.
BENCH_KEEPDB=1 keeps the test database (PostgreSQL) and reuses the library
already published in it, if any.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.test")

import django  # noqa: E402

django.setup()

from urllib.parse import urlencode  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)

DATA = Path(os.environ.get("HEALTHLIB_DATA", "/work/shared/data"))
SAMPLE = ROOT / "tests" / "data" / "search" / "queries.tsv"
LIMIT = int(os.environ.get("BENCH_SEARCH_QUERIES", "0")) or None
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
SHOW_MISSES = int(os.environ.get("BENCH_SEARCH_MISSES", "0"))
KEEPDB = os.environ.get("BENCH_KEEPDB") == "1"


def read_queries():
    path = DATA / "medquad" / "queries.tsv"
    if not path.exists():
        path = SAMPLE
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                query, page = line.rstrip("\n").split("\t")
                rows.append((query, page))
    return path, rows[:LIMIT]


def publish_everything():
    """Publish every page of the extract once, unless it is already there.

    Returns (articles, seconds spent publishing).
    """
    from conditions.demo.library import generator
    from conditions.models import Condition

    if KEEPDB and Condition.objects.exists():
        return Condition.objects.count(), 0.0
    engine = generator.Generator(seed=1, mix={})
    start = time.perf_counter()
    plans = engine.run(len(engine.data["pages"]))
    return len(plans), time.perf_counter() - start


def articles_by_page_name():
    """Return {page name: {condition ids}}.

    The first article made from a page takes its name as its title, the
    next ones a numbered variant ("Celiac disease (2)"): see the
    generator's README.
    """
    from conditions.models import Condition

    by_name = {}
    for pk, title in Condition.objects.values_list("pk", "title_en"):
        name = re.sub(r" \(\d+\)$", "", title).casefold()
        by_name.setdefault(name, set()).add(pk)
    return by_name


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


def main():
    from library.search import service
    from library.search.engines import engine
    from library.search.models import Entry

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=KEEPDB)
    path, queries = read_queries()
    articles, seconds = publish_everything()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would have by now
            cursor.execute("ANALYZE")
    by_name = articles_by_page_name()
    print(
        f"Search relevance on {connection.vendor}: {articles} articles published "
        f"through the workflow in {seconds:.0f} s; "
        f"{Entry.objects.filter(language='en').count()} English entries; "
        f"{len(queries)} queries from {path}"
    )

    backend = engine()
    ranks, timings, misses = [], [], []
    for query, page in queries:
        wanted = by_name.get(page[:180].strip().casefold(), set())
        cleaned = service.clean_query(query)
        start = time.perf_counter()
        _all, _total, hits = service.ranked("en", cleaned, limit=10, backend=backend)
        timings.append((time.perf_counter() - start) * 1000)
        ids = [hit.condition_id for hit in hits]
        rank = next((i + 1 for i, cid in enumerate(ids) if cid in wanted), None)
        ranks.append((rank, bool(wanted)))
        if rank != 1 and len(misses) < SHOW_MISSES:
            misses.append((query, page, rank, [h.title for h in hits[:3]]))

    def share(rows, test):
        return 100 * sum(1 for row in rows if test(row)) / max(1, len(rows))

    known = [row for row in ranks if row[1]]
    print()
    print("| queries | first | first 3 | first 10 | not in first 10 |")
    print("|---|---|---|---|---|")
    for label, rows in (
        (f"all {len(ranks)}", ranks),
        (f"{len(known)} whose page is in the extract", known),
    ):
        print(
            f"| {label} | {share(rows, lambda r: r[0] == 1):.1f}% "
            f"| {share(rows, lambda r: r[0] is not None and r[0] <= 3):.1f}% "
            f"| {share(rows, lambda r: r[0] is not None):.1f}% "
            f"| {share(rows, lambda r: r[0] is None):.1f}% |"
        )
    for query, page, rank, top in misses:
        print(f"  miss: {query!r} -> {page!r}: rank {rank}; first: {top}")

    # The results page, through the whole stack, a different query each time.
    client = Client()
    page_times, counts = [], set()
    for query, _page in queries[:RUNS]:
        cache.clear()
        url = "/en/search/?" + urlencode({"q": query})
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            page_times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
        counts.add(len(captured))
    print()
    print("| measure | p50 | p95 |")
    print("|---|---|---|")
    print(
        f"| search ({len(timings)} queries, service) | "
        f"{statistics.median(timings):.1f} ms | {percentile(timings, 0.95):.1f} ms |"
    )
    print(
        f"| results page ({len(page_times)} requests) | "
        f"{statistics.median(page_times):.1f} ms | "
        f"{percentile(page_times, 0.95):.1f} ms |"
    )
    print(f"SQL queries per results page: {sorted(counts)}")


if __name__ == "__main__":
    main()
