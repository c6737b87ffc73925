from django.core.management.base import BaseCommand

from conditions.demo import loader


class Command(BaseCommand):
    help = "Load demo accounts and published demo articles (safe to run again)."

    def handle(self, *args, **options):
        loader.load_accounts(self.stdout)
        created = loader.load_content()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(created)} new article(s); "
                f"{len(loader.ACCOUNTS)} accounts (password from DEMO_PASSWORD, "
                f"default '{loader.DEFAULT_PASSWORD}')."
            )
        )
