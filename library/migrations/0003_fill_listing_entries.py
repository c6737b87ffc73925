"""Fill the listings' index from the publications live before it existed.

Migrations never import the project's code: the sorting and filing rules
are copied here as they were when the index was made (library/pages/common.py
has the live ones). Snapshots published before categories carried their id
are matched to categories by name, in the snapshot's language.
"""

import re
import unicodedata

from django.db import migrations

OWN_LETTERS = {"es": {"ñ": "n"}}


def sort_key(title, language):
    own = OWN_LETTERS.get(language, {})
    out = []
    for c in unicodedata.normalize("NFC", title).casefold():
        if c in own:
            out.append(own[c] + "{")
            continue
        for d in unicodedata.normalize("NFKD", c):
            if unicodedata.combining(d) or d in "'’":
                continue
            out.append(d if d.isalnum() else " ")
    return " ".join(
        re.sub(r"\d+", lambda number: number.group().zfill(10), word)
        for word in "".join(out).split()
    )


def letter_of(title, language):
    own = OWN_LETTERS.get(language, {})
    for c in unicodedata.normalize("NFC", title):
        if c.isalpha():
            if c.casefold() in own:
                return c.upper()
            base = unicodedata.normalize("NFKD", c)[0].upper()
            return base if "A" <= base <= "Z" else "#"
        if c.isdigit():
            return "#"
    return "#"


def fill(apps, schema_editor):
    Publication = apps.get_model("conditions", "Publication")
    Category = apps.get_model("conditions", "Category")
    Entry = apps.get_model("library", "Entry")
    EntryCategory = apps.get_model("library", "EntryCategory")
    category_fields = {field.name for field in Category._meta.get_fields()}
    by_name = {}
    known = set()
    for category in Category.objects.all():
        known.add(category.pk)
        for field in category_fields:
            if field.startswith("name_") and getattr(category, field):
                by_name[(field[5:], getattr(category, field))] = category.pk
    existing = set(Entry.objects.values_list("condition_id", "language"))
    for publication in Publication.objects.filter(is_current=True).iterator():
        language = publication.language
        if (publication.condition_id, language) in existing:
            continue
        ids = set()
        for category in publication.snapshot.get("categories", []):
            found = category.get("id") or by_name.get((language, category.get("name")))
            if found in known:
                ids.add(found)
        key = sort_key(publication.title, language).encode()[:500].hex()
        entry = Entry.objects.create(
            condition_id=publication.condition_id,
            language=language,
            live=True,
            title=publication.title,
            slug=publication.slug,
            summary=publication.summary,
            letter=letter_of(publication.title, language),
            sort_key=key,
            published_at=publication.published_at,
            category_ids=sorted(ids),
        )
        EntryCategory.objects.bulk_create(
            EntryCategory(entry=entry, category_id=i, language=language, sort_key=key)
            for i in sorted(ids)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_listing_entries"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
