import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from conditions.fields import unsafe_hrefs, validate_web_url
from conditions.models import Publication, Reference, Section

BATCH = 500


class Command(BaseCommand):
    help = (
        "List the reference addresses and rich-text links saved before they "
        "were checked that are not plain http(s) addresses (quotes, angle "
        "brackets, spaces, other schemes): in references, section bodies "
        "(every language) and live publications. One line each: model, id, "
        "field, value. Exits with status 1 if there is any. Nothing is "
        "changed: correct them in the admin (a saved body loses its unsafe "
        "links) and publish again."
    )

    def handle(self, *args, **options):
        references = Reference.objects.exclude(url="").order_by("pk")
        sections = Section.objects.order_by("pk")
        publications = Publication.objects.current().order_by("pk")
        counts = {
            "references": references.count(),
            "sections": sections.count(),
            "publications": publications.count(),
        }
        bar = tqdm(
            total=sum(counts.values()),
            unit="row",
            desc=_("Checking addresses"),
            disable=None if options["verbosity"] > 0 else True,
            file=sys.stderr,
        )
        found = 0
        for row in self._bad(references, sections, publications, bar.update):
            bar.clear()
            self.stdout.write("\t".join(str(v) for v in row[:3]) + f"\t{row[3]!r}")
            found += 1
        bar.close()
        summary = ngettext(
            "%(count)s unsafe address (checked: references %(references)s, "
            "sections %(sections)s, live publications %(publications)s).",
            "%(count)s unsafe addresses (checked: references %(references)s, "
            "sections %(sections)s, live publications %(publications)s).",
            found,
        ) % {"count": found, **counts}
        if found:
            raise CommandError(summary)
        if options["verbosity"] > 0:
            self.stderr.write(summary)

    def _bad(self, references, sections, publications, progress):
        """Yield (model, id, field, value) of every unsafe address."""
        for pk, url in references.values_list("pk", "url").iterator(BATCH):
            try:
                validate_web_url(url)
            except ValidationError:
                yield "reference", pk, "url", url
            progress(1)
        columns = [f"body_{code}" for code, _name in settings.LANGUAGES]
        for row in sections.values("pk", *columns).iterator(BATCH):
            for column in columns:
                for href in unsafe_hrefs(row[column]):
                    yield "section", row["pk"], column, href
            progress(1)
        for pk, snapshot in publications.values_list("pk", "snapshot").iterator(BATCH):
            for number, section in enumerate(snapshot.get("sections", [])):
                for href in unsafe_hrefs(section.get("html", "")):
                    yield "publication", pk, f"sections[{number}].html", href
            for number, reference in enumerate(snapshot.get("references", [])):
                url = reference.get("url") or ""
                if url:
                    try:
                        validate_web_url(url)
                    except ValidationError:
                        yield "publication", pk, f"references[{number}].url", url
            progress(1)
