import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from conditions import languages, xliff
from conditions.models import Condition


class Command(BaseCommand):
    help = (
        "Export the missing and outdated translation units of articles as an "
        "XLIFF 1.2 file for a CAT tool: all articles that need work, or those "
        "named by their source-language slug. The file is written as it is "
        "made, batch by batch, with a progress bar on a terminal."
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
            count = len(conditions)
        else:
            conditions = (
                xliff.conditions_published()
                if include == "all"
                else xliff.conditions_needing(language)
            )
            count = conditions.count()
        if not count:
            raise CommandError(xliff.exporter._nothing(language))
        stats = {}
        to_file = output and output != "-"
        bar = tqdm(
            total=count,
            unit="article",
            desc=f"XLIFF {language}",
            disable=None if options["verbosity"] > 0 else True,
            file=sys.stderr,
        )
        chunks = xliff.stream(
            conditions, language, include=include, stats=stats, progress=bar.update
        )
        try:
            if to_file:
                with Path(output).open("wb") as fh:
                    for chunk in chunks:
                        fh.write(chunk)
            else:
                for chunk in chunks:
                    self.stdout.write(chunk.decode(), ending="")
        finally:
            bar.close()
        if not stats["files"]:
            if to_file:
                Path(output).unlink()
            raise CommandError(xliff.exporter._nothing(language))
        if options["verbosity"] > 0:
            where = output if to_file else "standard output"
            self.stderr.write(
                f"Wrote {stats['units']} units of {stats['files']} articles "
                f"({language}) to {where}."
            )
