from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from conditions.importing import jsonld_apply


class Command(BaseCommand):
    help = (
        "Import schema.org MedicalWebPage JSON (the NHS website content API's "
        "shape; an export_jsonld folder): each document becomes an article, or "
        "its translation, saved as a draft (a revision by --user). With "
        "--approve-as, each article is submitted by --user and approved by that "
        "medical reviewer through the normal approval, keeping its lastReviewed "
        "dates; with --approve-translations-as, each translation is submitted "
        "by --user and approved by that translation reviewer. Documents of an "
        "export that were not live in it stay drafts. A re-import updates the "
        "same articles. Each file is imported whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="JSON or JSON Lines files, or folders of them.",
        )
        parser.add_argument(
            "--user",
            "-u",
            required=True,
            help="The author (username) the imported revisions are recorded for.",
        )
        parser.add_argument(
            "--approve-as",
            metavar="REVIEWER",
            help="The medical reviewer (username) who approves each article.",
        )
        parser.add_argument(
            "--approve-translations-as",
            metavar="REVIEWER",
            help="The translation reviewer (username) who approves each translation.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read the files and report what would change; change nothing.",
        )

    def handle(
        self,
        *args,
        paths,
        user,
        approve_as,
        approve_translations_as,
        dry_run,
        **options,
    ):
        account = _account(user)
        reviewer = _account(approve_as) if approve_as else None
        translation_reviewer = (
            _account(approve_translations_as) if approve_translations_as else None
        )
        try:
            summary = jsonld_apply.import_files(
                paths,
                user=account,
                approve_as=reviewer,
                approve_translations_as=translation_reviewer,
                dry_run=dry_run,
                stderr=self.stderr,
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        if summary.failed:
            raise CommandError("\n".join(summary.lines()))
        for line in summary.lines():
            self.stdout.write(line)


def _account(username):
    try:
        return get_user_model().objects.get_by_natural_key(username)
    except get_user_model().DoesNotExist as error:
        raise CommandError(_("No user %(user)r.") % {"user": username}) from error
