"""Editorial roles as auth groups, with the model permissions each needs.

Server-side rules that go beyond model permissions (who may approve what)
live with the workflow; these groups only open the admin screens.
"""

from django.conf import settings

CONTENT_MODELS = [
    "condition",
    "section",
    "conditionreference",
    "image",
    "conditioncontributor",
    "reference",
]


def _perms(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


def role_permissions():
    """Return {group name: [codename, ...]} for every role and language."""
    read_all = _perms(["view"], [*CONTENT_MODELS, "contributor", "category"])
    review = ["view_reviewrequest", "view_publication"]
    roles = {
        "Authors": read_all
        + review
        + _perms(["add", "change"], CONTENT_MODELS)
        + _perms(["delete"], ["section", "conditionreference", "image"])
        + ["submit_condition"],
        "Medical reviewers": read_all + review + ["review_condition"],
        "Editors": _perms(
            ["view", "add", "change", "delete"],
            [*CONTENT_MODELS, "contributor", "category", "disclaimer"],
        )
        + review
        + [
            "view_auditentry",
            "submit_condition",
            "unpublish_condition",
            "schedule_condition",
        ],
    }
    for code, _name in settings.LANGUAGES:
        if code == settings.SOURCE_LANGUAGE:
            continue
        # Translators edit only through the translation workspace, which
        # checks their language; they get no model change permission.
        roles[f"Translators ({code})"] = read_all + review
        roles[f"Translation reviewers ({code})"] = read_all + review
    return roles


def sync_roles(apps=None):
    """Create or update the role groups and their permissions (idempotent)."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="conditions", codename__in=codenames
            )
        )
