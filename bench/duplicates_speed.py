"""Benchmark duplicate detection among references (conditions.evidence.duplicates).

For 1,000, 10,000 and 50,000 references (BENCH_SIZES), each a plausible
citation title built from medical words, one in fifty with a near-identical
copy (a typo, other punctuation or case) and one in a hundred sharing a DOI
with another, prints the median time of ``group_duplicates`` (everything but
the one query that reads the four columns) and how many of the planted
duplicates were found. Run with ``.venv/bin/python bench/duplicates_speed.py``.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.test")

import django  # noqa: E402

django.setup()

from conditions.evidence.duplicates import group_duplicates  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,50000").split(",")]
WORDS = (
    "dystonia parkinson disease tremor botulinum toxin treatment diagnosis "
    "adults children randomized trial cohort outcomes review systematic "
    "meta-analysis focal cervical writer cramp deep brain stimulation "
    "efficacy safety long-term follow-up clinical practice guideline genetic "
    "movement disorders neurology therapy quality of life prevalence risk"
).split()


def _typo(title, rng):
    # In the words, not the number: another number is another work.
    index = rng.randrange(1, title.index(":") - 2)
    return title[:index] + title[index + 1] + title[index] + title[index + 2 :]


def references(size, seed=7):
    """Return (rows, planted) for a library of ``size`` references."""
    rng = random.Random(seed)
    rows, planted = [], 0
    for pk in range(1, size + 1):
        words = rng.sample(WORDS, rng.randint(5, 12))
        title = " ".join(words).capitalize() + f": {rng.randint(1, 99)} cases"
        rows.append((pk, f"10.5555/b.{pk}", "", title))
    extra = size
    for _pk, _doi, _pmid, title in list(rows[::50]):
        extra += 1
        rows.append((extra, "", "", _typo(title, rng).upper() + "."))
        planted += 1
    for pk, doi, _pmid, _title in list(rows[25::100]):
        extra += 1
        rows.append((extra, doi.upper(), "", "Another entry of " + str(pk)))
        planted += 1
    rng.shuffle(rows)
    return rows, planted


def main():
    print(f"{'references':>10} {'median s':>9} {'planted':>8} {'found':>6}")
    for size in SIZES:
        rows, planted = references(size)
        times = []
        for _run in range(RUNS):
            started = time.perf_counter()
            groups = group_duplicates(rows)
            times.append(time.perf_counter() - started)
        found = sum(len(group.ids) - 1 for group in groups)
        print(
            f"{len(rows):>10} {statistics.median(times):>9.2f} {planted:>8} {found:>6}"
        )


if __name__ == "__main__":
    main()
