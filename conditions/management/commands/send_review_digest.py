import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from conditions.workflow import due


class Command(BaseCommand):
    help = (
        "Mail each person responsible for articles due for medical review "
        "(their last medical reviewer, their authors) one list: overdue, due "
        "within 30 days, within 90 days, with links. Run it weekly (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would get which articles; send nothing.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        by_person = due.digests()
        people = sorted(
            (p for p in by_person if p.email), key=lambda p: p.get_username()
        )
        without_email = len(by_person) - len(people)
        bar = tqdm(
            total=len(people),
            unit="mail",
            desc=_("Sending review digests"),
            disable=None if verbosity > 0 and not dry_run else True,
            file=sys.stderr,
        )
        sent = failed = 0
        for person in people:
            dues = by_person[person]
            if dry_run:
                self.stdout.write(
                    f"{person.email}\t{len(dues)}\t"
                    + "; ".join(d.publication.title for d in dues)
                )
            elif due.send_digest(person, dues):
                sent += 1
            else:
                failed += 1
            bar.update(1)
        bar.close()
        articles = len({d.publication.pk for dues in by_person.values() for d in dues})
        values = {
            "people": len(people),
            "articles": articles,
            "sent": sent,
            "failed": failed,
            "without": without_email,
        }
        if dry_run:
            summary = ngettext(
                "Dry run: %(people)s person would get a digest "
                "(%(articles)s articles due; %(without)s without an email address).",
                "Dry run: %(people)s people would get a digest "
                "(%(articles)s articles due; %(without)s without an email address).",
                len(people),
            )
        else:
            summary = ngettext(
                "%(sent)s digest sent, %(failed)s failed (see the log) "
                "(%(articles)s articles due; %(without)s without an email address).",
                "%(sent)s digests sent, %(failed)s failed (see the log) "
                "(%(articles)s articles due; %(without)s without an email address).",
                sent,
            )
        if verbosity > 0:
            self.stderr.write(summary % values)
