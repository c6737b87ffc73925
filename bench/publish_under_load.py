"""Publishing under load: no error, and no stale page after the approval.

For each size of BENCH_PUBLIC_ARTICLES, gunicorn (2 sync workers, the
Redis page cache as in production) serves a copy of the generated library,
and for BENCH_PUBLISH_SECONDS (default 60):

- wrk (or the Python load generator) requests the article page and the
  home page in turn, as fast as the server answers;
- two watchers request the article page and the home page one after the
  other, noting when each request was sent and which text it got;
- an editor, in another process, publishes a change to that article every
  10 seconds through the real workflow (the working copy changed, a
  revision saved, submitted by `author`, approved by `reviewer`, as
  tests/factories.publish_now does), notes the moment the publishing
  transaction committed, and as soon as the approval returns requests the
  article page itself.

It reports the errors (responses other than 2xx/3xx, and connection
errors: there must be none), whether the first request after each approval
returned got the new text, and how many requests sent after the commit
still got the old text (must be 0). Exits with an error if one of them
fails.
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.public_common import (  # noqa: E402
    CONNECTIONS,
    PYTHON,
    REDIS_URL,
    RESULTS,
    ROOT,
    SIZES,
    Gunicorn,
    check_services,
    copy_of,
    django_helper,
    environment,
    load_note,
    load_tool,
    ms,
    parse_wrk,
    percentile,
    python_load,
    say,
    table,
    wrk_command,
)

WHAT = "Publishing under load"
SECONDS = float(os.environ.get("BENCH_PUBLISH_SECONDS", "60"))
INTERVAL = 10


def marker(run, number):
    return f"bench-change-{run}-{number}"


# ---------------------------------------------------------------- editor


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def editor(condition_id, port, article):
    """The editor's process: publish a change for each line on stdin."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections

    from conditions import versioning, workflow
    from conditions.models import Condition, publication_changed

    users = get_user_model().objects
    author = users.get(username="author")
    reviewer = users.get(username="reviewer")
    condition = Condition.objects.get(pk=condition_id)
    summary = condition.summary_en
    section = condition.sections.order_by("position").first()
    body = section.body_en

    # When did the transaction that changed the publication commit?
    state = {"announced": False, "commit": None}

    def announced(sender, **kwargs):
        state["announced"] = True

    publication_changed.connect(announced, weak=False, dispatch_uid="bench")
    database = connections["default"]
    commit = database._commit

    def timed_commit():
        commit()
        if state["announced"] and state["commit"] is None:
            state["commit"] = time.time()

    database._commit = timed_commit

    for line in sys.stdin:
        command, *args = line.split()
        if command != "publish":
            break
        text = args[0]
        condition.summary_en = f"{summary} {text}."
        condition.save()
        section.body_en = f"{body}<p>{text}</p>"
        section.save()
        started = time.time()
        versioning.save_revision(condition, user=author, comment=f"Benchmark: {text}")
        request = workflow.submit(condition, user=author, note=f"Benchmark: {text}")
        state.update(announced=False, commit=None)
        approving = time.time()
        workflow.approve(request, user=reviewer)
        returned = time.time()
        status, page = get(port, article)
        answered = time.time()
        reply = {
            "started": started,
            "approving": approving,
            # (the return, if no commit was seen: an outer transaction)
            "commit": state["commit"] or returned,
            "returned": returned,
            "first_status": status,
            "first_new": text.encode() in page,
            "first_ms": (answered - returned) * 1000,
        }
        print("BENCH " + json.dumps(reply), flush=True)


# ---------------------------------------------------------------- watchers


class Watcher(threading.Thread):
    """Requests one page after the other; notes when, and which change."""

    def __init__(self, port, path, run):
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.pattern = re.compile(rb"bench-change-" + run.encode() + rb"-(\d+)")
        self.responses = []  # (sent, received, status, newest change or 0)
        self.errors = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            sent = time.time()
            try:
                status, body = get(self.port, self.path)
            except (OSError, http.client.HTTPException):
                self.errors += 1
                continue
            changes = [int(n) for n in self.pattern.findall(body)]
            self.responses.append((sent, time.time(), status, max(changes, default=0)))
            if status >= 400:
                self.errors += 1


def stale_after(watcher, publications):
    """Requests sent after publication i's commit that got an older text."""
    counts = []
    for number, publication in enumerate(publications, 1):
        after = publication["commit"]
        before = (
            publications[number]["commit"]
            if number < len(publications)
            else float("inf")
        )
        counts.append(
            sum(
                1
                for sent, _received, _status, change in watcher.responses
                if after < sent < before and change < number
            )
        )
    return counts


# ---------------------------------------------------------------- the run


def schedule(seconds):
    """When to publish, in seconds from the start of the load."""
    if seconds < 3 * INTERVAL // 2:
        return [seconds / 3]
    return [t for t in range(INTERVAL // 2, int(seconds) - 4, INTERVAL)]


def measure(size):
    run = secrets.token_hex(3)
    with copy_of(size, "publish") as url:
        sample = django_helper(url, "sample")
        article, home = sample["article"], "/" + sample["article"].split("/")[1] + "/"
        with Gunicorn(url, "redis") as server:
            for path in (article, home, article, home):
                status, _body = server.get(path)
                assert status == 200, (path, status)
            process = subprocess.Popen(
                [
                    PYTHON,
                    __file__,
                    "--editor",
                    str(sample["condition_id"]),
                    str(server.port),
                    article,
                ],
                cwd=ROOT,
                env=environment(url, "bench.settings", REDIS_URL),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            watchers = [Watcher(server.port, path, run) for path in (article, home)]
            load_result = {}
            if load_tool() == "wrk":
                command, script = wrk_command(
                    server, [article, home], SECONDS, CONNECTIONS
                )
                wrk = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            else:
                thread = threading.Thread(
                    target=lambda: load_result.update(
                        python_load(server, [article, home], SECONDS, CONNECTIONS)
                    )
                )
                thread.start()
            start = time.time()
            for watcher in watchers:
                watcher.start()
            publications = []
            for number, at in enumerate(schedule(SECONDS), 1):
                time.sleep(max(0, start + at - time.time()))
                say(f"  {size} articles: publishing change {number}")
                process.stdin.write(f"publish {marker(run, number)}\n")
                process.stdin.flush()
                while True:
                    line = process.stdout.readline()
                    if not line:
                        raise RuntimeError("the editor's process stopped")
                    if line.startswith("BENCH "):
                        publications.append(json.loads(line[6:]))
                        break
            if load_tool() == "wrk":
                output, _ = wrk.communicate()
                os.unlink(script)
                load_result = parse_wrk(output)
            else:
                thread.join()
            for watcher in watchers:
                watcher.stopping.set()
            for watcher in watchers:
                watcher.join()
            process.stdin.write("quit\n")
            process.stdin.close()
            process.wait(timeout=60)
            memory = server.worker_memory()
    return {
        "load": load_result,
        "watchers": watchers,
        "publications": publications,
        "memory": memory,
        "articles": sample["articles"],
    }


def report(size, result):
    load, publications = result["load"], result["publications"]
    article, home = result["watchers"]
    stale = {"article": stale_after(article, publications)}
    home_shows = any(change for *_r, change in home.responses)
    stale["home"] = stale_after(home, publications) if home_shows else None
    watched = len(article.responses) + len(home.responses)
    errors = load["errors"] + article.errors + home.errors
    approvals = [p["returned"] - p["approving"] for p in publications]
    first_new = sum(p["first_new"] for p in publications)
    stale_total = sum(stale["article"]) + sum(stale["home"] or [])
    rows = [
        ["load: requests (article and home page in turn)", load["requests"]],
        ["load: requests/s", f"{load['rps']:.0f}"],
        ["load: p50 / p99 ms", f"{ms(load['p50'])} / {ms(load['p99'])}"],
        ["watchers: requests (article, home)", watched],
        ["errors (non-2xx/3xx, connection errors)", errors],
        ["changes published", len(publications)],
        [
            "approval, median / slowest ms",
            f"{ms(percentile(approvals, 0.5))} / {ms(max(approvals))}",
        ],
        [
            "first request after the approval returned: new text",
            f"{first_new} of {len(publications)}",
        ],
        [
            "requests sent after the commit that got the old text: article",
            sum(stale["article"]),
        ],
        [
            "  … home page",
            "n/a (it does not show the changed text)"
            if stale["home"] is None
            else sum(stale["home"]),
        ],
    ]
    table(
        f"{WHAT} at {size} articles ({result['articles']} live; Redis page "
        f"cache; {SECONDS:.0f} s)",
        ["", "figure"],
        rows,
        notes=[load_note(CONNECTIONS)],
    )
    table(
        "Each change: from the commit of the publishing transaction",
        [
            "change",
            "approval ms",
            "commit → return ms",
            "first request",
            "old text after commit (article / home)",
        ],
        [
            [
                number,
                ms(p["returned"] - p["approving"]),
                ms(p["returned"] - p["commit"]),
                f"{'new' if p['first_new'] else 'OLD'} ({p['first_ms']:.0f} ms)",
                f"{stale['article'][number - 1]} / "
                + ("n/a" if stale["home"] is None else f"{stale['home'][number - 1]}"),
            ]
            for number, p in enumerate(publications, 1)
        ],
    )
    table(
        f"Memory of each gunicorn worker after publishing under load, at {size} "
        "articles",
        ["server", "worker", "RSS MB", "peak RSS MB"],
        [
            ["Redis page cache", pid, f"{rss:.0f}", f"{peak:.0f}"]
            for pid, rss, peak in result["memory"]
        ],
    )
    failures = []
    if errors:
        failures.append(f"{errors} errors")
    if first_new < len(publications):
        failures.append("a first request after an approval got the old text")
    if stale_total:
        failures.append(f"{stale_total} requests after a commit got the old text")
    return [f"{size} articles: {failure}" for failure in failures]


def main():
    check_services(WHAT, redis=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for size in SIZES:
        failures += report(size, measure(size))
    if failures:
        sys.exit(f"{WHAT}: " + "; ".join(failures))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--editor"]:
        editor(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        main()
