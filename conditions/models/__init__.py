"""Models of the health library, by capability.

- content: the working copy (conditions and their parts), as editors change it
- publication: what readers see, snapshots of approved revisions
- review: submissions, comments and the audit log of the review workflow
- field_translation: which source text each translated field came from, and
  how far each article's translation is
- imports: which outside record each imported article came from
- checks: why an article fails the publication checks
"""

from .checks import PublicationCheckResult
from .content import (
    HEALTH_ASPECTS,
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Disclaimer,
    Image,
    Reference,
    Section,
    validate_doi,
    validate_pmid,
    validate_web_url,
)
from .field_translation import FieldTranslation, TranslationProgress
from .imports import ImportedRecord
from .publication import Publication, condition_url, publication_changed
from .review import AuditEntry, ReviewComment, ReviewRequest, RevisionFingerprint

__all__ = [
    "HEALTH_ASPECTS",
    "AuditEntry",
    "Category",
    "Condition",
    "ConditionContributor",
    "ConditionReference",
    "Contributor",
    "Disclaimer",
    "FieldTranslation",
    "Image",
    "ImportedRecord",
    "Publication",
    "PublicationCheckResult",
    "Reference",
    "ReviewComment",
    "ReviewRequest",
    "RevisionFingerprint",
    "Section",
    "TranslationProgress",
    "condition_url",
    "publication_changed",
    "validate_doi",
    "validate_pmid",
    "validate_web_url",
]
