"""django-reversion registration: what one revision of an article captures."""

import reversion

from .models import (
    Category,
    Condition,
    ConditionContributor,
    ConditionReference,
    Contributor,
    Disclaimer,
    Image,
    Reference,
    Section,
)

#: Workflow state and account links are not content: a revert must not
#: change them.
EXCLUDE = {
    Condition: ("status", "expire_at"),
    Contributor: ("user",),
}

#: A condition's revision holds its parts and the references and people they
#: point to, so that a revision alone can be rendered and reverted.
FOLLOW = {
    Condition: ("sections", "condition_references", "images", "condition_contributors"),
    ConditionReference: ("reference",),
    ConditionContributor: ("contributor",),
}


def register_models():
    """Register every content model with django-reversion (idempotent)."""
    for model in (
        Condition,
        Section,
        ConditionReference,
        Reference,
        Image,
        ConditionContributor,
        Contributor,
        Category,
        Disclaimer,
    ):
        if not reversion.is_registered(model):
            reversion.register(
                model, follow=FOLLOW.get(model, ()), exclude=EXCLUDE.get(model, ())
            )
