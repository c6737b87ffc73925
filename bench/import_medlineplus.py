"""Benchmark import_medlineplus on a file the size of the daily public one.

Builds a file of BENCH_TOPICS English topics (default 1,000) followed by
all their Spanish pairs (the farthest a pair can be), each the real record
of tests/data/medlineplus with a new id: about 33 MB for 1,000 pairs, the
size of the daily file (these records are long). Then prints, for a dry
run, a first import and a re-import (all unchanged), the time, the peak of
Python allocations (tracemalloc) and the summary. The import holds one
topic and a small index of where each topic is, so the peak grows by about
a kilobyte per topic, not with the text.

Run with ``.venv/bin/python bench/import_medlineplus.py``. It uses a
throwaway test database (SQLite, or DATABASE_URL's server with a test_
prefix).
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

TOPICS = int(os.environ.get("BENCH_TOPICS", "1000"))


def measure(label, function):
    tracemalloc.start()
    started = time.perf_counter()
    summary = function()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label}: {seconds:.1f} s, peak {peak / 1e6:.1f} MB")
    for line in summary.lines():
        print(f"  {line}")


def main():
    from conditions import roles
    from conditions.importing import medlineplus_apply
    from tests.factories import make_user
    from tests.test_import_medlineplus import write_large_file

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        author = make_user("bench-author")
        author.groups.add(*Group.objects.filter(name=roles.AUTHORS))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "mplus_topics.xml"
            write_large_file(path, TOPICS)
            print(f"{TOPICS} topic pairs, {path.stat().st_size / 1e6:.1f} MB")

            def run(dry_run=False):
                return medlineplus_apply.import_files(
                    [path], user=author, dry_run=dry_run, stderr=sys.stderr
                )

            measure("dry run", lambda: run(dry_run=True))
            measure("import", run)
            measure("re-import (unchanged)", run)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
