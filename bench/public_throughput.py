"""Throughput of the article page against the same HTML as a static file.

For each library size of BENCH_PUBLIC_ARTICLES (generated once, see
public_common.py), gunicorn (2 sync workers, healthinfo.wsgi, DEBUG off)
serves a copy of the library on PostgreSQL, and wrk measures requests/s and
p50/p99 latency, BENCH_SECONDS each, of:

- the article page *uncached*: no page cache at all (bench.settings_nocache,
  a DummyCache), so every request goes through the whole Django stack to the
  view, which serves the stored page with one indexed query;
- the article page *cached*: Redis (BENCH_REDIS_URL), warmed; the
  middleware answers from Redis before sessions and the view;
- the same, with the local-memory cache (the default without REDIS_URL),
  for information;
- and, in each of those servers in the same run, **the same HTML as a static
  file** served by WhiteNoise: the ratio of each page to it is printed. The
  goals: uncached at least 0.5 times the static file, cached at least 0.9.

Then the memory (RSS, from /proc/<pid>/status) of each gunicorn worker
after its runs. Run by `make bench`; see docs/benchmarks.md.
"""

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.public_common import (  # noqa: E402
    CACHE_NAMES,
    CONNECTIONS,
    SECONDS,
    SIZES,
    STATIC_DIR,
    Gunicorn,
    check_services,
    copy_of,
    django_helper,
    load,
    load_note,
    ms,
    say,
    table,
)

WHAT = "Throughput of the article page"
ROUNDS = 3
#: (cache, what the page row is called, the goal: page / static file)
RUNS = [
    ("none", "article page, uncached (stored page, 1 query)", 0.5),
    ("redis", "article page, cached (Redis, warmed)", 0.9),
    ("local", "article page, cached (local memory, warmed)", None),
]


def combined(runs):
    """One figure of runs made in turn: mean requests/s, median latencies."""
    return {
        "requests": sum(run["requests"] for run in runs),
        "rps": statistics.mean(run["rps"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p99": statistics.median(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
    }


def measure(size):
    results = {"runs": [], "memory": []}
    with copy_of(size, "throughput") as url:
        sample = django_helper(url, "sample")
        static_name = f"bench/article-{size}.html"
        fetched = django_helper(
            url,
            "fetch",
            sample["article"],
            STATIC_DIR / static_name,
            settings="bench.settings_nocache",
        )
        results["bytes"] = fetched["bytes"]
        results["articles"] = sample["articles"]
        static = "/static/" + static_name
        for cache, label, goal in RUNS:
            with Gunicorn(url, cache) as server:
                for path in (sample["article"], static):
                    for _ in range(3):  # render or store once, warm the cache
                        status, body = server.get(path)
                        assert status == 200, (path, status)
                assert server.get(sample["article"])[1] == server.get(static)[1]
                say(f"  {size} articles, {CACHE_NAMES[cache]}")
                load(server, [static, sample["article"]], min(2, SECONDS / ROUNDS))
                static_runs, page_runs = [], []
                for _ in range(ROUNDS):  # in turn, so that both see the same noise
                    static_runs.append(load(server, [static], SECONDS / ROUNDS))
                    page_runs.append(
                        load(server, [sample["article"]], SECONDS / ROUNDS)
                    )
                page_run, static_run = combined(page_runs), combined(static_runs)
                results["runs"].append((label, goal, page_run, static_run))
                results["memory"].append((CACHE_NAMES[cache], server.worker_memory()))
        results["load"] = " ".join(f"{n:.1f}" for n in os.getloadavg())
    return results


def report(size, results):
    rows = []
    missed = []
    for label, goal, page, static in results["runs"]:
        ratio = page["rps"] / static["rps"]
        verdict = ""
        if goal is not None:
            verdict = f"≥ {goal} {'met' if ratio >= goal else 'MISSED'}"
            if ratio < goal:
                missed.append(label)
        rows.append(
            [
                label,
                f"{page['rps']:.0f}",
                ms(page["p50"]),
                ms(page["p99"]),
                page["errors"],
                f"{ratio:.2f}",
                verdict,
            ]
        )
        rows.append(
            [
                "  the same HTML as a static file, same server",
                f"{static['rps']:.0f}",
                ms(static["p50"]),
                ms(static["p99"]),
                static["errors"],
                "1.00",
                "",
            ]
        )
    table(
        f"{WHAT} at {size} articles ({results['articles']} live; page "
        f"{results['bytes'] / 1024:.0f} KB)",
        ["", "requests/s", "p50 ms", "p99 ms", "errors", "× static", "goal"],
        rows,
        notes=[
            load_note(CONNECTIONS),
            f"Each figure: {ROUNDS} runs of {SECONDS / ROUNDS:.0f} s in turn with "
            "the static file (mean requests/s, median latencies).",
            f"Machine: {os.cpu_count()} CPUs, load average {results['load']} "
            "after the runs (1, 5, 15 min; the runs themselves account for 3 or 4).",
        ],
    )
    table(
        f"Memory of each gunicorn worker after its runs, at {size} articles",
        ["server", "worker", "RSS MB", "peak RSS MB"],
        [
            [name, pid, f"{rss:.0f}", f"{peak:.0f}"]
            for name, workers in results["memory"]
            for pid, rss, peak in workers
        ],
    )
    return missed


def main():
    check_services(WHAT, redis=True)
    missed = []
    for size in SIZES:
        missed += report(size, measure(size))
    if missed:
        print(
            "\nGoals missed: "
            + "; ".join(sorted(set(missed)))
            + " (see docs/benchmarks.md for where the time goes)."
        )


if __name__ == "__main__":
    main()
