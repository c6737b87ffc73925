"""Benchmark the JSON-LD importer and exporter (run by `make bench`).

Prints, in a throwaway test database (SQLite in memory, or DATABASE_URL's
server with a test_ prefix):

- `import_jsonld` of the MedQuAD pages (HEALTHLIB_DATA, default
  /work/shared/data: medquad/*.json, 1,311 files; BENCH_MEDQUAD_ARTICLES
  takes the first N; without the folder, the two vendored in tests/data);
- `import_jsonld` of BENCH_IMPORT_ARTICLES generated documents (default
  10,000: the MedQuAD pages again under other names and addresses), as
  JSON Lines files of 1,000 documents;
- `export_jsonld` of the whole library that results.

For each: articles, seconds, articles per second and the growth of the
process's peak resident memory (ru_maxrss) during the step: a streaming
step leaves it flat as the input grows.
"""

import json
import os
import resource
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

DATA = Path(os.environ.get("HEALTHLIB_DATA", "/work/shared/data")) / "medquad"
if not DATA.is_dir():
    DATA = ROOT / "tests" / "data" / "jsonld"
MEDQUAD = int(os.environ.get("BENCH_MEDQUAD_ARTICLES", "0")) or None
GENERATED = int(os.environ.get("BENCH_IMPORT_ARTICLES", "10000"))
PER_FILE = 1000


def peak_mb():
    """Return the process's peak resident memory so far, in MB (Linux: KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(function):
    """Run a step; return (seconds, MB the peak memory grew by, its result)."""
    before = peak_mb()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, peak_mb() - before, result


def generate(pages, count, folder):
    """Write `count` documents varied from `pages` as JSON Lines files."""
    paths = []
    for start in range(0, count, PER_FILE):
        path = folder / f"generated-{start // PER_FILE:03}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for number in range(start, min(start + PER_FILE, count)):
                page = dict(pages[number % len(pages)])
                page["name"] = f"{page['name']} ({number})"
                page["url"] = f"{page['url']}#generated-{number}"
                out.write(json.dumps(page, ensure_ascii=False) + "\n")
        paths.append(str(path))
    return paths


def done(name, count, seconds, grew, said):
    """Say a step's figures on stderr at once (the table comes at the end)."""
    print(f"  {name}: {count} in {seconds:.1f} s, peak +{grew:.1f} MB", file=sys.stderr)
    return name, count, seconds, grew, said


def run_import(paths, username):
    out = StringIO()
    call_command("import_jsonld", *paths, user=username, stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()[0]


def main():
    from conditions.models import Condition
    from tests.factories import make_author

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows = []
    try:
        author = make_author("bench-importer")
        files = sorted(str(p) for p in DATA.glob("*.json"))[:MEDQUAD]
        seconds, grew, said = step(lambda: run_import(files, author.username))
        rows.append(
            done("import_jsonld: MedQuAD pages", len(files), seconds, grew, said)
        )
        pages = [json.loads(Path(p).read_text(encoding="utf-8")) for p in files]
        with tempfile.TemporaryDirectory() as folder:
            generated = generate(pages, GENERATED, Path(folder))
            del pages
            seconds, grew, said = step(lambda: run_import(generated, author.username))
        rows.append(
            done("import_jsonld: generated documents", GENERATED, seconds, grew, said)
        )
        total = Condition.objects.count()
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "export"
            seconds, grew, _ = step(
                lambda: call_command(
                    "export_jsonld", str(target), stdout=StringIO(), verbosity=0
                )
            )
            size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        rows.append(
            done(
                "export_jsonld: the whole library",
                total,
                seconds,
                grew,
                f"{size / 2**20:.1f} MB written",
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"\nJSON-LD import and export ({connection.vendor})")
    header = f"{'step':<36}{'articles':>9}{'seconds':>9}{'per s':>8}{'peak +MB':>10}"
    print(header)
    print("-" * len(header))
    for name, count, seconds, grew, said in rows:
        print(
            f"{name:<36}{count:>9}{seconds:>9.1f}{count / seconds:>8.0f}"
            f"{grew:>10.1f}  {said}"
        )


if __name__ == "__main__":
    main()
