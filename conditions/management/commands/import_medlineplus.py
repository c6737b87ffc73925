from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from conditions.importing import medlineplus_apply


class Command(BaseCommand):
    help = (
        "Import MedlinePlus health-topics XML files: each English topic and its "
        "Spanish pair become one article in two languages, saved as a draft "
        "(a revision by --user). A re-import updates the same articles. Each "
        "file is imported whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="XML files.")
        parser.add_argument(
            "--user",
            "-u",
            required=True,
            help="The author (username) the imported revisions are recorded for.",
        )
        parser.add_argument(
            "--submit",
            action="store_true",
            help="Submit each created or updated article for medical review.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read the files and report what would change; change nothing.",
        )

    def handle(self, *args, files, user, submit, dry_run, **options):
        try:
            account = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist as error:
            raise CommandError(_("No user %(user)r.") % {"user": user}) from error
        try:
            summary = medlineplus_apply.import_files(
                files, user=account, submit=submit, dry_run=dry_run, stderr=self.stderr
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        if summary.failed:
            raise CommandError("\n".join(summary.lines()))
        for line in summary.lines():
            self.stdout.write(line)
