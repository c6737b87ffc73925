import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from conditions.evidence import links


def _positive(kind):
    def parse(value):
        number = kind(value)
        if number <= 0:
            raise ValueError(value)
        return number

    parse.__name__ = kind.__name__
    return parse


class Command(BaseCommand):
    help = (
        "Check the address of every reference: a HEAD request (GET when HEAD "
        "is refused), redirects followed, several hosts at a time but one "
        "request at a time per host and at most --rate requests a second. "
        "Records the status, the date, where a redirect ended and any error "
        "on each reference (no revision is made). Broken links are listed on "
        "the admin home page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=_positive(float),
            default=links.DEFAULT_TIMEOUT,
            help="Seconds to wait for each server (default %(default)s).",
        )
        parser.add_argument(
            "--rate",
            type=_positive(float),
            default=links.DEFAULT_RATE,
            help="Requests a second, all hosts together (default %(default)s).",
        )
        parser.add_argument(
            "--workers",
            type=_positive(int),
            default=links.DEFAULT_WORKERS,
            help="Hosts checked at the same time (default %(default)s).",
        )
        parser.add_argument(
            "--only-broken",
            action="store_true",
            help="Check again only the addresses found broken last time.",
        )
        parser.add_argument(
            "--older-than",
            type=_positive(int),
            metavar="DAYS",
            help="Skip addresses checked less than DAYS days ago.",
        )

    def handle(self, *args, **options):
        references = links.to_check(
            only_broken=options["only_broken"], older_than=options["older_than"]
        )
        bar = tqdm(
            total=references.count(),
            unit="link",
            desc=_("Checking reference links"),
            disable=None if options["verbosity"] > 0 else True,
            file=sys.stderr,
        )
        checked = broken = redirected = 0
        for result in links.check_links(
            references,
            timeout=options["timeout"],
            rate=options["rate"],
            workers=options["workers"],
            progress=bar.update,
        ):
            checked += 1
            redirected += result.redirected
            if result.is_broken:
                broken += 1
                if options["verbosity"] > 0:
                    bar.clear()
                    problem = result.error or str(result.status)
                    self.stdout.write(f"{result.reference_id}\t{problem}\t{result.url}")
        bar.close()
        summary = ngettext(
            "%(checked)s link checked: %(broken)s broken, %(redirected)s redirected.",
            "%(checked)s links checked: %(broken)s broken, %(redirected)s redirected.",
            checked,
        ) % {"checked": checked, "broken": broken, "redirected": redirected}
        if options["verbosity"] > 0:
            self.stderr.write(summary)
