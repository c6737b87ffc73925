"""Translations: units, their status per language, and saving them.

- units: what there is to translate in an article and each unit's status
- workspace: saving a translator's texts into the working copy
- tracking: which source texts a publication matches (used by publishing)
- progress: per article and language, the counts the report reads
"""

from . import progress
from .tracking import source_published, translation_basis
from .units import (
    CLINICAL_KINDS,
    IN_REVIEW,
    MISSING,
    OUTDATED,
    RICH_FIELDS,
    STATUS_LABELS,
    UNIT_FIELDS,
    UP_TO_DATE,
    Unit,
    section_label,
    source_hash,
    source_hashes,
    source_units,
    unit_key,
    units,
    units_for,
)
from .workspace import (
    TranslationError,
    check_slug,
    mark_up_to_date,
    save_translation,
)

__all__ = [
    "CLINICAL_KINDS",
    "IN_REVIEW",
    "MISSING",
    "OUTDATED",
    "RICH_FIELDS",
    "STATUS_LABELS",
    "UNIT_FIELDS",
    "UP_TO_DATE",
    "TranslationError",
    "Unit",
    "check_slug",
    "mark_up_to_date",
    "progress",
    "save_translation",
    "section_label",
    "source_hash",
    "source_hashes",
    "source_published",
    "source_units",
    "translation_basis",
    "unit_key",
    "units",
    "units_for",
]
