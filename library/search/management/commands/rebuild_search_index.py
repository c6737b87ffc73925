import sys
import time

from django.core.management.base import BaseCommand
from django.db.models import Count
from tqdm import tqdm

from library.search import indexer, schema
from library.search.models import Entry, Term


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the live publications (after a change "
        "of the index's rules or of a language's search configuration), in "
        "one transaction, with a progress bar on a terminal and a summary."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        schema.ensure_language_indexes()
        before = Entry.objects.count()
        bar = tqdm(
            total=indexer.conditions_to_index(),
            unit="article",
            desc="Indexing",
            disable=None if options["verbosity"] > 0 else True,
            file=sys.stderr,
        )
        written = indexer.rebuild(progress=bar.update)
        bar.close()
        if options["verbosity"] > 0:
            languages = ", ".join(
                f"{language}: {count}"
                for language, count in sorted(
                    (row["language"], row["n"])
                    for row in Entry.objects.values("language").annotate(n=Count("id"))
                )
            )
            self.stdout.write(
                f"Indexed {written} publications ({languages or 'none'}) and "
                f"{Term.objects.count()} names and words in "
                f"{time.perf_counter() - started:.1f} s; the index held "
                f"{before} before."
            )
