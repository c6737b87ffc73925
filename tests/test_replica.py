"""Public reads go to a replica when DATABASE_REPLICA_URL is set.

Run in a separate process, as production settings are read: the primary
and the "replica" are two aliases of one SQLite file (a replica copies the
primary), so what each alias is asked is what the router decided. A public
render reads from the replica; the stored page and the invalidation
bookkeeping stay on the primary; the editorial side never reads the replica.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = r"""
import json
import shutil
import sys

import django

django.setup()

from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

call_command("migrate", verbosity=0)
primary_file, lagging_replica = sys.argv[1:3]
if lagging_replica:
    # A replica that has not replayed anything since the migration.
    shutil.copy(primary_file, lagging_replica)

from conditions import workflow
from tests.factories import make_condition, publish_now

condition = make_condition(slug_en="asthma", slug_es="asma")
with CaptureQueriesContext(connections["replica"]) as editorial:
    publish_now(condition)

# Publishing rendered the page already (after its commit): render it again
# as a reader's request does after an invalidation.
from library.models import Page

Page.objects.all().delete()
client = Client()
with CaptureQueriesContext(connections["replica"]) as replica, CaptureQueriesContext(
    connections["default"]
) as primary:
    status = client.get("/en/conditions/asthma/").status_code
with CaptureQueriesContext(connections["replica"]) as stored_replica:
    again = client.get("/en/conditions/asthma/").status_code

def tables(queries):
    return sorted({q["sql"].split('"')[1] for q in queries if '"' in q["sql"]})

print(json.dumps({
    "status": [status, again],
    "editorial_on_replica": len(editorial),
    "replica_tables": tables(replica),
    "primary_tables": tables(primary),
    "stored_page_on_replica": len(stored_replica),
}))
"""


def run_check(tmp_path, *, lagging):
    database = tmp_path / "library.sqlite3"
    replica = tmp_path / "replica.sqlite3" if lagging else database
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL")
        },
        "DJANGO_SETTINGS_MODULE": "healthinfo.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "DATABASE_REPLICA_URL": f"sqlite:///{replica}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(database), str(replica) if lagging else ""],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_public_render_reads_the_replica_and_stores_on_the_primary(tmp_path):
    out = run_check(tmp_path, lagging=False)

    assert out["status"] == [200, 200]
    # Publishing (the editorial side) never reads the replica.
    assert out["editorial_on_replica"] == 0
    # The render read the publications from the replica…
    assert "conditions_publication" in out["replica_tables"]
    # …and stored the page on the primary, where lookups happen.
    assert "library_page" in out["primary_tables"]
    assert "library_page" not in out["replica_tables"]
    # A stored page is one lookup on the primary: nothing on the replica.
    assert out["stored_page_on_replica"] == 0


def test_a_replica_behind_the_primary_is_not_read(tmp_path):
    """A replica that has not replayed the newest publication would render
    a page from before it: the render reads the primary instead."""
    out = run_check(tmp_path, lagging=True)

    assert out["status"] == [200, 200]
    assert "conditions_publication" not in out["replica_tables"]
    assert "conditions_publication" in out["primary_tables"]
