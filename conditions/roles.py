"""Editorial roles as auth groups, with the model permissions each needs.

Group names are built here and nowhere else (`group_name`). Server-side
rules that go beyond model permissions (who may approve what) live with the
workflow; these groups open the admin screens and name each person's
languages.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from . import languages

AUTHORS = "Authors"
MEDICAL_REVIEWERS = "Medical reviewers"
EDITORS = "Editors"
#: Per-language roles: the group of language xx is "<role> (xx)".
TRANSLATORS = "Translators"
TRANSLATION_REVIEWERS = "Translation reviewers"
LANGUAGE_ROLES = (TRANSLATORS, TRANSLATION_REVIEWERS)

CONTENT_MODELS = [
    "condition",
    "section",
    "conditionreference",
    "image",
    "conditioncontributor",
    "reference",
]


def group_name(role, language=None):
    """Return the auth group name of a role (of a language, for translators)."""
    if role in LANGUAGE_ROLES:
        if not language:
            raise ValueError(f"{role} is a per-language role: give the language.")
        return f"{role} ({language})"
    return role


def languages_for(user, role):
    """Return the languages in which the user has a per-language role.

    Superusers have every target language.
    """
    if user.is_superuser:
        return languages.targets()
    names = set(user.groups.values_list("name", flat=True))
    return [code for code in languages.targets() if group_name(role, code) in names]


def require_language(user, language, role):
    """Refuse (PermissionDenied) a user without the role in that language."""
    if language not in languages_for(user, role):
        raise PermissionDenied(
            _("You are not a member of “%(role)s (%(language)s)”.")
            % {"role": role, "language": language}
        )


def can_see_translation_report(user, language):
    """Return True for the language's translators and reviewers, and editors."""
    return (
        language in languages_for(user, TRANSLATORS)
        or language in languages_for(user, TRANSLATION_REVIEWERS)
        or user.has_perm("conditions.unpublish_condition")
    )


def _perms(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


def role_permissions():
    """Return {group name: [codename, ...]} for every role and language.

    A codename is of this app, or "app_label.codename" for another app's.
    """
    read_all = _perms(["view"], [*CONTENT_MODELS, "contributor", "category"])
    review = ["view_reviewrequest", "view_publication"]
    roles = {
        AUTHORS: read_all
        + review
        + _perms(["add", "change"], CONTENT_MODELS)
        + _perms(["delete"], ["section", "conditionreference", "image"])
        + ["submit_condition"],
        MEDICAL_REVIEWERS: read_all + review + ["review_condition"],
        EDITORS: _perms(
            ["view", "add", "change", "delete"],
            [*CONTENT_MODELS, "contributor", "category", "disclaimer"],
        )
        + review
        + [
            "view_auditentry",
            "submit_condition",
            "unpublish_condition",
            "schedule_condition",
        ]
        # Login security: see the logins and failures, unlock (delete the
        # failed attempts that lock a username or address out).
        + [
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
        ],
    }
    for code in languages.targets():
        # Translators edit only through the translation workspace, which
        # checks their language; they get no model change permission.
        roles[group_name(TRANSLATORS, code)] = read_all + review
        roles[group_name(TRANSLATION_REVIEWERS, code)] = read_all + review
    return roles


def _permissions(codenames):
    """Return a Q of the permissions named (see role_permissions)."""
    from django.db.models import Q

    by_app = {}
    for name in codenames:
        app_label, _dot, codename = name.rpartition(".")
        by_app.setdefault(app_label or "conditions", []).append(codename)
    query = Q(pk__in=[])
    for app_label, names in by_app.items():
        query |= Q(content_type__app_label=app_label, codename__in=names)
    return query


def sync_roles():
    """Create or update the role groups and their permissions (idempotent)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    roles = role_permissions()
    # After `migrate` this runs once this app's permissions exist, but before
    # those of the apps installed after it (axes): create them first.
    others = {
        codename.rpartition(".")[0]
        for codenames in roles.values()
        for codename in codenames
    } - {"", "conditions"}
    for app_label in sorted(others):
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    for name, codenames in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(_permissions(codenames)))
