import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from library import store
from library.pages.article import render_article, tag
from library.pages.overdue import stale_pages


class Command(BaseCommand):
    help = (
        "Render again the stored article pages that became due for the "
        "public “due for review” notice since they were rendered "
        "(REVIEW_OVERDUE_NOTICE_DAYS). Run it daily (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the pages that would be rendered again; change nothing.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if settings.REVIEW_OVERDUE_NOTICE_DAYS is None:
            if verbosity > 0:
                self.stderr.write(
                    _("The notice is off (REVIEW_OVERDUE_NOTICE_DAYS): nothing to do.")
                )
            return
        stale = list(stale_pages())
        conditions = sorted({row[0] for row in stale})
        bar = tqdm(
            total=len(conditions),
            unit="article",
            desc=_("Rendering overdue pages"),
            disable=None if verbosity > 0 and not dry_run else True,
            file=sys.stderr,
        )
        if dry_run:
            for row in stale:
                self.stdout.write(row[-1])
        rendered = 0
        if not dry_run:
            paths = {}
            for condition_id, language, slug, path in stale:
                paths.setdefault(condition_id, []).append((language, slug, path))
            for condition_id in conditions:
                store.invalidate({tag(condition_id)})
                for language, slug, path in paths[condition_id]:
                    if store.render_and_keep(
                        path,
                        lambda language=language, slug=slug: render_article(
                            language, slug
                        ),
                    ):
                        rendered += 1
                bar.update(1)
        bar.close()
        values = {"pages": len(stale), "articles": len(conditions)}
        if dry_run:
            summary = ngettext(
                "Dry run: %(pages)s page of %(articles)s articles would be "
                "rendered again.",
                "Dry run: %(pages)s pages of %(articles)s articles would be "
                "rendered again.",
                len(stale),
            )
        else:
            values["pages"] = rendered
            summary = ngettext(
                "%(pages)s page of %(articles)s articles rendered again with the "
                "due-for-review notice.",
                "%(pages)s pages of %(articles)s articles rendered again with the "
                "due-for-review notice.",
                rendered,
            )
        if verbosity > 0:
            self.stderr.write(summary % values)
