from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from conditions import xliff


class Command(BaseCommand):
    help = (
        "Import a translated XLIFF 1.2 file as a translator: the whole file is "
        "checked first and refused with every problem listed, or all of it is "
        "saved and submitted for translation review."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The XLIFF file.")
        parser.add_argument(
            "--user",
            "-u",
            required=True,
            help="The translator (username) the translation is recorded for.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and change nothing.",
        )

    def handle(self, *args, file, user, dry_run, **options):
        try:
            account = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user {user!r}.") from error
        path = Path(file)
        try:
            # Refused by its size before it is read (XLIFF_MAX_BYTES, as in
            # the admin); then parsed as it is read.
            error = xliff.size_error(path.stat().st_size)
            if error:
                raise CommandError(f"{path.name}: {error}")
            with path.open("rb") as source:
                report = xliff.import_file(
                    source, user=account, filename=path.name, dry_run=dry_run
                )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        if report.rejected:
            raise CommandError(report.as_text())
        if dry_run:
            self.stdout.write(f"{path.name}: no problems found (nothing changed).")
        self.stdout.write(report.as_text())
