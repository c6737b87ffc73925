"""The admin screens whose cost must not grow with the library.

Shared by tests/test_admin_scale.py (query counts pinned) and
bench/admin_screens.py (queries and time at 100 to 10,000 articles).
"""

from django.urls import reverse

from conditions.models import Publication, ReviewRequest


def admin_screens():
    """Return {screen: (role, url)} for every admin screen of a library.

    Each screen shows the first article in the state it needs. The roles:
    author, reviewer (a medical reviewer), reviewer2 (one who edited
    nothing), editor, translator and translation_reviewer (of Spanish).
    """
    pending = ReviewRequest.objects.pending().medical().order_by("pk").first()
    translation = ReviewRequest.objects.pending().translations().order_by("pk").first()
    outdated = (
        Publication.objects.current()
        .filter(language="es", outdated_since__isnull=False)
        .order_by("pk")
        .first()
        .condition_id
    )
    changelist = reverse("admin:conditions_condition_changelist")
    report = reverse("admin:conditions_condition_translation_report", args=["es"])
    return {
        "home (reviewer)": ("reviewer2", reverse("admin:index")),
        "home (editor)": ("editor", reverse("admin:index")),
        "home (translator)": ("translator", reverse("admin:index")),
        "conditions": ("editor", changelist),
        **{
            f"conditions ?queue={queue}": (
                "reviewer2" if queue == "awaiting_my_review" else "author",
                f"{changelist}?queue={queue}",
            )
            for queue in (
                "awaiting_my_review",
                "my_drafts",
                "changes_requested",
                "recently_published",
            )
        },
        "conditions ?status=draft": ("editor", f"{changelist}?status=draft"),
        "review requests": (
            "reviewer",
            reverse("admin:conditions_reviewrequest_changelist"),
        ),
        "publications": ("editor", reverse("admin:conditions_publication_changelist")),
        "audit log": ("editor", reverse("admin:conditions_auditentry_changelist")),
        "translation report": ("translator", report),
        "translation report ?outdated_clinical=1": (
            "translator",
            f"{report}?outdated_clinical=1",
        ),
        "translation report ?show=needs_work": (
            "translator",
            f"{report}?show=needs_work",
        ),
        "translation report ?q=": ("translator", f"{report}?q=Condition"),
        "translator workspace": (
            "translator",
            reverse("admin:conditions_condition_translate", args=[outdated, "es"]),
        ),
        "review screen": (
            "reviewer2",
            reverse("admin:conditions_reviewrequest_review", args=[pending.pk]),
        ),
        "translation review screen": (
            "translation_reviewer",
            reverse("admin:conditions_reviewrequest_review", args=[translation.pk]),
        ),
    }
