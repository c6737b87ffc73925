import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from conditions import languages
from conditions.models import Condition, TranslationProgress
from conditions.readability import target_grade
from conditions.translations import progress

BATCH = 200


class Command(BaseCommand):
    help = (
        "Score the reading grade of every article again and store it with its "
        "translation progress (what the translation report shows): after an "
        "upgrade that adds the grades, or a change of formula. Grades are "
        "otherwise stored whenever an article is saved, published or "
        "translated. Ends with the number of sections above "
        "READABILITY_TARGET_GRADE per language."
    )

    def handle(self, *args, **options):
        ids = list(
            Condition.objects.exclude(status=Condition.Status.ARCHIVED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        bar = tqdm(
            total=len(ids),
            unit="article",
            desc=_("Scoring readability"),
            disable=None if options["verbosity"] > 0 else True,
            file=sys.stderr,
        )
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            progress.refresh_many(chunk)
            bar.update(len(chunk))
        bar.close()
        if options["verbosity"] > 0:
            for line in summary(len(ids)):
                self.stdout.write(line)


def summary(articles):
    """Return the lines that say how many sections are above the target."""
    above = dict.fromkeys(languages.codes(), 0)
    target = target_grade()
    rows = TranslationProgress.objects.exclude(
        condition__status=Condition.Status.ARCHIVED
    ).values_list("language", "readability")
    # The source's grades are stored with every language: count them once.
    first_target = next(iter(languages.targets()), None)
    for language, stored in rows.iterator():
        for code, data in (stored or {}).items():
            if code == languages.source() and language != first_target:
                continue
            above[code] = above.get(code, 0) + sum(
                1 for grade in data.get("grades", []) if grade > target
            )
    lines = [
        ngettext(
            "Scored %(count)s article.",
            "Scored %(count)s articles.",
            articles,
        )
        % {"count": articles}
    ]
    for code, count in above.items():
        lines.append(
            ngettext(
                "%(language)s: %(count)s section above grade %(target)s.",
                "%(language)s: %(count)s sections above grade %(target)s.",
                count,
            )
            % {"language": languages.name(code), "count": count, "target": target}
        )
    return lines
