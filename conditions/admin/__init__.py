"""The admin: where all editing, review and translation happens.

One module per screen:

- condition: the articles' list (work queues) and change page
- workflow_panel: the change page's review and publication panel
- history: comparing two revisions of an article
- review_screen: review requests, and the reviewer's screen for each
- translation_workspace, translation_report: the translators' screens
- xliff: XLIFF download and upload
- library: references, contributors, categories, the disclaimer
- records: the audit log and the publications (read-only)
- lockout: login security, the lockout page and unlocking accounts
- publication_checks: the editors' list of articles failing publication checks
"""

from .. import versioning

# The admin is imported (by autodiscover) before this app's ready() runs, and
# VersionAdmin would register inline models without their follows.
versioning.register_models()

from . import (  # noqa: E402, F401
    condition,
    library,
    lockout,
    publication_checks,
    records,
    review_screen,
)
