import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from conditions.workflow import daily_checks


class Command(BaseCommand):
    help = (
        "Run the publication checks again over every live or waiting article "
        "(licence expiry, review dates, links to unpublished articles…), store "
        "the results for the editors' list and mail the editors a summary. "
        "Run it once a day from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-mail",
            action="store_true",
            help="Store the results without mailing the editors.",
        )

    def handle(self, *args, **options):
        total = daily_checks.articles_to_check().count()
        bar = tqdm(
            total=total,
            unit="article",
            desc=_("Checking articles"),
            disable=None if options["verbosity"] > 0 else True,
            file=sys.stderr,
        )
        checked, failing = daily_checks.run(progress=bar.update)
        bar.close()
        mailed = 0 if options["no_mail"] else daily_checks.notify_editors(failing)
        summary = _(
            "Articles checked: %(checked)s; failing a check: %(failing)s; "
            "editors mailed: %(mailed)s."
        ) % {"checked": len(checked), "failing": len(failing), "mailed": mailed}
        if options["verbosity"] > 0:
            self.stdout.write(summary)
