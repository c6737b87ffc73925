from django.core.management.base import BaseCommand

from conditions import workflow


class Command(BaseCommand):
    help = (
        "Publish approved changes whose go-live time has come and unpublish "
        "expired articles. Idempotent; safe to run from cron every minute, "
        "also when two runs overlap."
    )

    def handle(self, *args, **options):
        published, expired = workflow.publish_scheduled()
        for request in published:
            self.stdout.write(f"published: {request.condition}")
        for condition in expired:
            self.stdout.write(f"expired: {condition}")
        if options["verbosity"] > 1 or published or expired:
            self.stdout.write(f"{len(published)} published, {len(expired)} expired.")
