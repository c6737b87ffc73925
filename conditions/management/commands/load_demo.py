from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from conditions.demo import loader


class Command(BaseCommand):
    help = "Load demo accounts and published demo articles (safe to run again)."

    def handle(self, *args, **options):
        loader.load_accounts(self.stdout)
        # The demo's own submissions and approvals need not email anyone.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
        ):
            created = loader.load_content()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(created)} new article(s); "
                f"{len(loader.ACCOUNTS)} accounts (password from DEMO_PASSWORD, "
                f"default '{loader.DEFAULT_PASSWORD}')."
            )
        )
