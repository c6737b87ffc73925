from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conditions import languages, xliff
from conditions.models import Condition


class Command(BaseCommand):
    help = (
        "Export the missing and outdated translation units of articles as an "
        "XLIFF 1.2 file for a CAT tool: all articles that need work, or those "
        "named by their source-language slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="slug")
        parser.add_argument(
            "--language",
            "-l",
            required=True,
            choices=languages.targets(),
            help="The target language.",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="Export every unit, also the up-to-date ones.",
        )
        parser.add_argument(
            "--output", "-o", help="The file to write (default: standard output)."
        )

    def handle(self, *args, slugs, language, all, output, **options):
        include = "all" if all else "needs"
        if slugs:
            field = f"slug_{settings.SOURCE_LANGUAGE}"
            found = {
                getattr(c, field): c
                for c in Condition.objects.filter(**{f"{field}__in": slugs})
            }
            unknown = [s for s in slugs if s not in found]
            if unknown:
                raise CommandError(f"No article with the slug: {', '.join(unknown)}")
            conditions = [found[s] for s in dict.fromkeys(slugs)]
        elif include == "all":
            conditions = Condition.objects.exclude(
                status=Condition.Status.ARCHIVED
            ).order_by("pk")
        else:
            conditions = xliff.conditions_needing(language)
        try:
            data = xliff.export(conditions, language, include=include)
        except xliff.NothingToExport as error:
            raise CommandError(str(error)) from error
        if output and output != "-":
            Path(output).write_bytes(data)
            if options["verbosity"] > 0:
                self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(data.decode(), ending="")
