"""What the public-side benchmarks share (bench/public_*.py, publish_under_load.py).

- **Generated libraries.** ``library(size)`` returns a PostgreSQL database
  holding ``size`` articles made by ``generate_library`` (the real workflow).
  It is generated once and kept as a template database on the server of
  BENCH_DATABASE_URL, named after a fingerprint of the generator and its
  data: later runs reuse it (10,000 articles take about an hour to
  generate on PostgreSQL). A change to the editorial models or the
  publisher does not generate it again: like a production database, it is
  migrated forward, and the public side must read the publications older
  code made. A second template is prepared from it for the code as it is:
  migrations applied, every indexer of library/registry.py run again for
  every live article, stored pages forgotten, vacuumed. Each benchmark
  works on its own copy (``copy_of``), so that what one writes (publishing
  under load) never reaches another.
- **A gunicorn server** (``Gunicorn``) on a copy: 2 sync workers,
  ``healthinfo.wsgi``, the settings of bench/settings.py, with the page
  cache in Redis (BENCH_REDIS_URL), in local memory, or none.
- **Load** (``load``): wrk when it is installed, otherwise a Python load
  generator (threads over http.client), which is slower than the server.
- **Tables** (``table``).

Run as ``public_common.py --django …``, it is the Django side of these
helpers (``prepare``, ``sample``, ``fetch``), in a process on a copy.
"""

import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
#: A folder of static files (bench/settings.py adds it to STATICFILES_DIRS).
STATIC_DIR = RESULTS / "static"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

SIZES = [
    int(n)
    for n in os.environ.get("BENCH_PUBLIC_ARTICLES", "10,10000").split(",")
    if n.strip()
]
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/healthinfo_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = 2
SEED = 1

#: What a generated library depends on: generated again when one changes.
GENERATED_FROM = [
    "conditions/demo/**/*",
    "conditions/management/commands/generate_library.py",
]
#: What the prepared copy depends on: prepared again when one changes.
PREPARED_FROM = [
    "conditions/migrations/*.py",
    "library/**/*.py",
    "healthinfo/settings/*.py",
    "bench/public_common.py",
]


# ------------------------------------------------------------------ output


def table(title, headers, rows, notes=()):
    """Print a table: the first column left-aligned, the others right."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(len(str(headers[i])), *(len(row[i]) for row in cells))
        for i in range(len(headers))
    ]

    def line(row):
        first, *rest = row
        return "  ".join(
            [f"{first:<{widths[0]}}"]
            + [f"{cell:>{width}}" for cell, width in zip(rest, widths[1:], strict=True)]
        )

    print(f"\n{title}")
    print(line([str(h) for h in headers]))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for row in cells:
        print(line(row))
    for note in notes:
        print(f"  {note}")
    sys.stdout.flush()


def say(text):
    """Progress, on stderr (the tables are on stdout)."""
    print(text, file=sys.stderr, flush=True)


def skip(what, reason):
    """Report a benchmark that cannot run here; fatal under CI."""
    print(f"\n{what}: SKIPPED: {reason}")
    sys.exit(1 if os.environ.get("CI") else 0)


def ms(seconds):
    return f"{seconds * 1000:.1f}"


def percentile(values, share):
    """The value below which `share` of the values fall (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# -------------------------------------------------------------- databases


def _server_url(name):
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path="/" + name))


PREFIX = urlsplit(DATABASE_URL).path.lstrip("/") or "healthinfo_bench"


def check_services(what, redis=False):
    """Skip the benchmark (fail under CI) if PostgreSQL or Redis is down."""
    import psycopg

    try:
        psycopg.connect(_server_url("postgres"), connect_timeout=5).close()
    except psycopg.Error as error:
        skip(what, f"PostgreSQL is not reachable at {DATABASE_URL} ({error})")
    if redis:
        import redis as redis_client

        try:
            redis_client.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
        except redis_client.RedisError as error:
            skip(what, f"Redis is not reachable at {REDIS_URL} ({error})")


def _admin(statement, *identifiers):
    """Run a statement on the server (autocommit), with quoted identifiers."""
    import psycopg
    from psycopg import sql

    query = sql.SQL(statement).format(*map(sql.Identifier, identifiers))
    with psycopg.connect(_server_url("postgres"), autocommit=True) as connection:
        connection.execute(query)


def _databases():
    import psycopg

    with psycopg.connect(_server_url("postgres"), autocommit=True) as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [PREFIX.replace("_", r"\_") + r"\_%"],
        ).fetchall()
    return {name for (name,) in rows}


def _drop(name):
    _admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def _copy(source, target):
    _drop(target)
    _admin("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY", target, source)


def _digest(patterns):
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def environment(database_url, settings="bench.settings", redis_url=None):
    """The environment of a Django process on a database (no other cache)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("REDIS_URL", "DATABASE_REPLICA_URL", "DATABASE_URL")
    }
    env["DATABASE_URL"] = database_url
    env["DJANGO_SETTINGS_MODULE"] = settings
    env["PYTHONPATH"] = str(ROOT)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(database_url, *args, **kwargs):
    subprocess.run(
        [PYTHON, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=environment(database_url),
        check=True,
        **kwargs,
    )


def django_helper(database_url, *args, script=__file__, settings="bench.settings"):
    """Run a script's Django side on a database; return its JSON answer."""
    done = subprocess.run(
        [PYTHON, str(script), "--django", *map(str, args)],
        cwd=ROOT,
        env=environment(database_url, settings),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def django_side(commands):
    """The Django side of a script: `script --django COMMAND ARGS…` runs
    commands[COMMAND](*ARGS) and prints its answer as JSON (see django_helper)."""
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    command, *args = sys.argv[2:]
    print(json.dumps(commands[command](*args)))


def library(size):
    """Return the name of a template database of `size` generated articles."""
    generated_fp = _digest(GENERATED_FROM)
    generated = f"{PREFIX}_gen{size}_{generated_fp}"
    prepared = f"{PREFIX}_lib{size}_{_digest(PREPARED_FROM)}{generated_fp[:4]}"
    existing = _databases()
    if prepared in existing:
        return prepared
    building = f"{PREFIX}_building{size}"
    if generated not in existing:
        for old in existing:
            if old.startswith(f"{PREFIX}_gen{size}_"):
                _drop(old)
        say(
            f"Generating a library of {size} articles (generate_library, the real "
            f"workflow) into PostgreSQL: about 0.3 s per article, once; kept "
            f"as the database {generated} for later runs."
        )
        _drop(building)
        _admin("CREATE DATABASE {}", building)
        url = _server_url(building)
        start = time.perf_counter()
        manage(url, "migrate", "--noinput", "-v0")
        manage(
            url,
            "generate_library",
            "--articles",
            size,
            "--seed",
            SEED,
            stdout=sys.stderr,
        )
        say(f"  generated in {time.perf_counter() - start:.0f} s")
        _admin("ALTER DATABASE {} RENAME TO {}", building, generated)
    for old in existing:
        if old.startswith(f"{PREFIX}_lib{size}_"):
            _drop(old)
    say(f"Preparing the library of {size} articles for the public side as it is")
    _copy(generated, building)
    url = _server_url(building)
    manage(url, "migrate", "--noinput", "-v0")
    prepared_in = django_helper(url, "prepare")
    say(
        f"  {prepared_in['articles']} articles indexed again in "
        f"{prepared_in['seconds']:.0f} s"
    )
    _vacuum(url)
    _admin("ALTER DATABASE {} RENAME TO {}", building, prepared)
    return prepared


def _vacuum(url):
    """VACUUM and ANALYZE a database before it is copied.

    A copy starts with empty statistics, so autovacuum never learns of the
    rows deleted before the copy (tens of thousands of old invalidations,
    whose dead index entries an index-only scan visits one by one: 6 ms
    per lookup at 1,000 articles) and the planner has no statistics.
    """
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


@contextmanager
def copy_of(size, purpose):
    """A fresh copy of the library of `size` articles: yields its URL."""
    template = library(size)
    name = f"{PREFIX}_{purpose}{size}"
    _copy(template, name)
    try:
        yield _server_url(name)
    finally:
        _drop(name)


# ------------------------------------------------------------------ server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CACHE_SETTINGS = {
    "none": ("bench.settings_nocache", None),
    "redis": ("bench.settings", REDIS_URL),
    "local": ("bench.settings", None),
}
CACHE_NAMES = {
    "none": "no page cache",
    "redis": "Redis page cache",
    "local": "local-memory page cache",
}


class Gunicorn:
    """gunicorn (2 sync workers) serving healthinfo.wsgi on a database."""

    def __init__(
        self, database_url, cache="none", workers=WORKERS, app="healthinfo.wsgi"
    ):
        self.database_url = database_url
        self.cache = cache
        self.app = app
        self.workers = workers
        self.port = free_port()
        self.process = None

    def __enter__(self):
        settings, redis_url = CACHE_SETTINGS[self.cache]
        if redis_url:
            import redis

            redis.Redis.from_url(redis_url).flushdb()  # the benchmark's own db
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.log = open(RESULTS / "gunicorn.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                GUNICORN,
                f"{self.app}:application",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{self.port}",
                f"--chdir={ROOT}",
                "--log-level=warning",
                "--timeout=120",
            ],
            cwd=ROOT,
            env=environment(self.database_url, settings, redis_url),
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {RESULTS / 'gunicorn.log'}")
            try:
                status, _body = self.get("/static/css/site.css")
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 60 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, timeout=120):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def worker_pids(self):
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_memory(self):
        """[(pid, RSS MB, peak RSS MB)] of each worker, from /proc/<pid>/status."""
        memory = []
        for pid in self.worker_pids():
            fields = {}
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0]) / 1024
            memory.append((pid, fields.get("VmRSS", 0), fields.get("VmHWM", 0)))
        return memory


# -------------------------------------------------------------------- load


def load_tool():
    return "wrk" if shutil.which("wrk") else "python"


def load(server, paths, seconds=SECONDS, connections=CONNECTIONS):
    """Hit `paths` (in turn) for `seconds`; return the figures of the run.

    {"requests", "rps", "p50", "p99" (seconds), "errors" (non-2xx/3xx
    responses and connection errors), "tool"}.
    """
    if load_tool() == "wrk":
        return _wrk(server, paths, seconds, connections)
    return python_load(server, paths, seconds, connections)


WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def wrk_command(server, paths, seconds, connections):
    script = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w", suffix=".lua", delete=False, dir=RESULTS
    )
    script.write(WRK_SCRIPT % ", ".join(json.dumps(path) for path in paths))
    script.close()
    return [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=30s",
        "--latency",
        f"--script={script.name}",
        server.base + paths[0],
    ], script.name


def _wrk(server, paths, seconds, connections):
    RESULTS.mkdir(parents=True, exist_ok=True)
    command, script = wrk_command(server, paths, seconds, connections)
    try:
        output = subprocess.run(
            command, check=True, capture_output=True, text=True
        ).stdout
    finally:
        os.unlink(script)
    return parse_wrk(output)


UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _duration(text):
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output):
    """The figures of wrk --latency's report."""
    percentiles = {
        int(share): _duration(value)
        for share, value in re.findall(r"^\s+(\d+)%\s+([\d.]+[a-z]+)$", output, re.M)
    }
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(map(int, socket_errors.groups()))
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": percentiles.get(50, float("nan")),
        "p99": percentiles.get(99, float("nan")),
        "errors": errors,
        "tool": "wrk",
        "output": output,
    }


def python_load(server, paths, seconds, connections, check=None):
    """The load generator used without wrk: a thread per connection,
    http.client with keep-alive (reconnecting when the server closes)."""
    latencies, errors = [], []
    stop = time.monotonic() + seconds

    def worker(offset):
        connection = None
        n = offset
        mine, failed = [], 0
        while time.monotonic() < stop:
            path = paths[n % len(paths)]
            n += 1
            start = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(
                        "127.0.0.1", server.port, timeout=30
                    )
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.will_close:
                    connection.close()
                    connection = None
                if response.status >= 400:
                    failed += 1
                mine.append(time.perf_counter() - start)
            except (OSError, http.client.HTTPException):
                failed += 1
                if connection is not None:
                    connection.close()
                connection = None
        latencies.extend(mine)
        errors.append(failed)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "errors": sum(errors),
        "tool": "python",
    }


def load_note(connections=CONNECTIONS):
    if load_tool() == "wrk":
        return (
            f"Load: wrk, {connections} connections; gunicorn {WORKERS} sync workers "
            f"(one request at a time each, a new connection per request)."
        )
    return (
        f"Load: wrk is not installed: a Python load generator ({connections} "
        "threads, http.client); it is slower than wrk and may be the "
        "bottleneck: install wrk (apt-get install wrk) for real figures."
    )


# ------------------------------------------------------- the Django side


def _prepare():
    """Bring a generated library up to the public side of the checkout."""
    from collections import defaultdict

    from django.db import transaction

    from conditions.models import Publication
    from library import registry
    from library.models import Invalidation, Page, PageTag

    languages = defaultdict(list)
    for condition_id, language in (
        Publication.objects.current()
        .order_by("condition_id", "language")
        .values_list("condition_id", "language")
    ):
        languages[condition_id].append(language)
    start = time.perf_counter()
    for condition_id, codes in languages.items():
        with transaction.atomic():
            for indexer in registry.INDEXERS:
                indexer(condition_id, codes)
    PageTag.objects.all().delete()
    Page.objects.all().delete()
    Invalidation.objects.all().delete()
    return {"articles": len(languages), "seconds": time.perf_counter() - start}


def _sample():
    """The article the benchmarks read, and what links to find it from."""
    from django.conf import settings

    from conditions.models import Condition, Publication

    source = settings.SOURCE_LANGUAGE
    translated = Publication.objects.current().exclude(language=source)
    publication = (
        Publication.objects.current()
        .filter(
            language=source,
            condition__status=Condition.Status.PUBLISHED,
            condition_id__in=translated.values("condition_id"),
            condition__categories__isnull=False,
        )
        .order_by("condition_id")
        .first()
    )
    other = translated.filter(condition_id=publication.condition_id).first()
    return {
        "condition_id": publication.condition_id,
        "title": publication.title,
        "article": publication.get_absolute_url(),
        "article_other": other.get_absolute_url(),
        "other_language": other.language,
        "articles": Publication.objects.current()
        .filter(language=source)
        .values("condition_id")
        .distinct()
        .count(),
    }


def _fetch(path, output):
    """Write the body of a GET of `path` (through the test client) to a file."""
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_bytes(response.content)
    return {"bytes": len(response.content)}


if __name__ == "__main__" and sys.argv[1:2] == ["--django"]:
    django_side({"prepare": _prepare, "sample": _sample, "fetch": _fetch})
