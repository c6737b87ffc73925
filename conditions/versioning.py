"""django-reversion registration: what one revision of an article captures."""

import reversion
from django.db.models.signals import pre_save

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


def _keep_unversioned_fields(sender, instance, raw, **kwargs):
    """On a revert or recovery, keep the fields that revisions do not hold.

    reversion saves the restored object raw, with defaults for excluded
    fields; copy their current values back so that a revert never changes
    workflow state or account links.
    """
    fields = EXCLUDE.get(sender)
    if not (raw and fields and instance.pk):
        return
    columns = [sender._meta.get_field(name).attname for name in fields]
    current = sender.objects.filter(pk=instance.pk).values(*columns).first()
    if current is not None:
        for column, value in current.items():
            setattr(instance, column, value)


for _model in EXCLUDE:
    pre_save.connect(_keep_unversioned_fields, sender=_model)
