"""Latency of the search page through HTTP, on PostgreSQL, at each library size.

For each size of BENCH_PUBLIC_ARTICLES (the goal is for 10,000 articles),
gunicorn (2 sync workers, no page cache, so that every request searches)
serves a copy of the generated library, and BENCH_RUNS different queries
(default 200) are asked one after the other at the search page
(/en/search/?q=…): p50, p95 and the slowest, client-side (HTTP included).
The goal: p95 under 50 ms.

The queries are what readers type: other names of conditions from
MedQuAD's queries.tsv (HEALTHLIB_DATA, default /work/shared/data), or the
sample vendored for the tests (tests/data/search/queries.tsv), or a short
list of common conditions; a fixed random sample of them.
"""

import csv
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.public_common import (  # noqa: E402
    ROOT,
    SEED,
    SIZES,
    Gunicorn,
    check_services,
    copy_of,
    ms,
    percentile,
    say,
    table,
)

WHAT = "Search latency"
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
GOAL = 0.050
SEARCH = "/en/search/"
DATA = Path(os.environ.get("HEALTHLIB_DATA", "/work/shared/data"))
SOURCES = [DATA / "medquad" / "queries.tsv", ROOT / "tests/data/search/queries.tsv"]
FALLBACK = [
    "high blood pressure",
    "diabetes",
    "asthma",
    "heart attack",
    "stroke",
    "migraine",
    "kidney stones",
    "flu",
    "arthritis",
    "depression",
    "anemia",
    "pneumonia",
    "eczema",
    "osteoporosis",
    "sickle cell",
    "cystic fibrosis",
    "hearing loss",
    "back pain",
    "celiac disease",
    "thyroid",
]
WARM_UP = 5


def queries():
    """(where from, the queries in a fixed random order)."""
    for source in SOURCES:
        if source.exists():
            with source.open(encoding="utf-8") as lines:
                names = sorted(
                    {row[0].strip() for row in csv.reader(lines, delimiter="\t") if row}
                )
            break
    else:
        source, names = "a built-in list", list(FALLBACK)
    random.Random(SEED).shuffle(names)
    return source, names


def measure(size, names):
    with copy_of(size, "search") as url, Gunicorn(url, "none") as server:
        status, _body = server.get(SEARCH + "?q=health")
        if status == 404:
            return None
        timings, errors = [], 0
        for n, query in enumerate(names[: WARM_UP + RUNS]):
            start = time.perf_counter()
            status, _body = server.get(SEARCH + "?" + urlencode({"q": query}))
            elapsed = time.perf_counter() - start
            if status >= 400:
                errors += 1
            if n >= WARM_UP:
                timings.append((elapsed, query))
        return timings, errors


def main():
    check_services(WHAT)
    source, names = queries()
    rows = []
    slowest = {}
    missed = False
    for size in SIZES:
        say(f"  search at {size} articles")
        result = measure(size, names)
        if result is None:
            rows.append([f"{size} articles", "not built yet", "", "", "", "", ""])
            continue
        timed, errors = result
        timings = [elapsed for elapsed, _query in timed]
        slowest[size] = sorted(timed, reverse=True)[:5]
        p95 = percentile(timings, 0.95)
        verdict = ""
        if size == max(SIZES):
            verdict = "met" if p95 < GOAL else "MISSED"
            missed = p95 >= GOAL
        rows.append(
            [
                f"{size} articles",
                len(timings),
                ms(percentile(timings, 0.5)),
                ms(p95),
                ms(max(timings)),
                errors,
                verdict,
            ]
        )
    table(
        f"{WHAT}: {SEARCH}?q=… through gunicorn on PostgreSQL, one query at a "
        "time, no page cache",
        ["", "queries", "p50 ms", "p95 ms", "max ms", "errors", "p95 < 50 ms"],
        rows,
        notes=[
            f"Queries: a fixed sample of other names of conditions from {source}",
            f"(after {WARM_UP} not timed); each query is asked once. The slowest:",
            *(
                f"  {size} articles: "
                + ", ".join(
                    f"{query!r} {elapsed * 1000:.0f} ms" for elapsed, query in s
                )
                for size, s in slowest.items()
            ),
        ],
    )
    if missed:
        print("\nGoal missed: search p95 at the largest size is 50 ms or more.")


if __name__ == "__main__":
    main()
