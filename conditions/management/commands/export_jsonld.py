import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from conditions.importing import jsonld_export
from conditions.models import Condition


class Command(BaseCommand):
    help = (
        "Export the working copy of every article, in every state and "
        "language, as schema.org MedicalWebPage JSON into a new folder: one "
        "file per article and an images/ folder. import_jsonld reads it back: "
        "a backup, and a way to leave with your content."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A new or empty folder to write.")

    def handle(self, *args, directory, **options):
        bar = tqdm(
            total=Condition.objects.count(),
            unit="article",
            desc="JSON-LD",
            disable=None if options["verbosity"] > 0 else True,
            file=sys.stderr,
        )
        try:
            counts = jsonld_export.export(directory, progress=bar.update)
        except jsonld_export.ExportError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        if options["verbosity"] > 0:
            self.stdout.write(
                _(
                    "Written to %(directory)s: articles: %(articles)s, "
                    "documents: %(documents)s, images: %(images)s."
                )
                % {**counts, "directory": directory}
            )
        for name in counts["missing_images"]:
            self.stderr.write(
                _("The picture %(name)s could not be read: it is not in the export.")
                % {"name": name}
            )
