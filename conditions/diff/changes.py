"""What a comparison returns: the changed fields, per language and neutral."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
UNCHANGED = "unchanged"


@dataclass
class FieldChange:
    """One compared field: what it was, what it is, and the diff to show."""

    key: str
    label: str
    status: str
    old: Any = None
    new: Any = None
    html: str = ""
    note: str = ""
    #: For an image's entry: the pictures to show (ImagePictures), on the
    #: image's first entry only; its later entries have the anchor of that one.
    pictures: Any = None
    pictures_at: str = ""

    @property
    def changed(self):
        return self.status != UNCHANGED

    @property
    def anchor(self):
        """The element id the template gives this field (``diff-<slug>``)."""
        return f"diff-{slugify(self.key)}"


@dataclass
class LanguageDiff:
    code: str
    name: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def has_changes(self):
        return any(f.changed for f in self.fields)


@dataclass
class RevisionDiff:
    languages: list[LanguageDiff]
    neutral: list[FieldChange]
    has_changes: bool = False

    def __post_init__(self):
        self.has_changes = any(lang.has_changes for lang in self.languages) or any(
            f.changed for f in self.neutral
        )

    @property
    def changed_languages(self):
        """Codes of the languages in which a translated text changed."""
        return [lang.code for lang in self.languages if lang.has_changes]

    def get(self, key):
        """Return the FieldChange with this key, or None."""
        for change in self.neutral:
            if change.key == key:
                return change
        for lang in self.languages:
            for change in lang.fields:
                if change.key == key:
                    return change
        return None


# --------------------------------------------------------------------------


def plain(value):
    """Return a value as stripped text ("" for None)."""
    return "" if value is None else str(value).strip()
