"""Whose accounts must use two-factor authentication, and who may reset it.

Required for every account that can approve, publish, unpublish or manage
users: medical reviewers (`conditions.review_condition`), editors
(`conditions.unpublish_condition`), the translation reviewers of any language
(who publish translations: conditions/workflow/rules.py), user managers
(`auth.add_user`, `auth.change_user`) and superusers. Settings:
TWO_FACTOR_REQUIRED turns the requirement on, TWO_FACTOR_EXEMPT_USERNAMES
exempts accounts by name (dev's demo accounts).
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Exists, OuterRef, Q

from conditions import languages, roles

#: Holding any of these makes two-factor authentication required.
REQUIRED_PERMISSIONS = (
    "conditions.review_condition",
    "conditions.unpublish_condition",
    "auth.add_user",
    "auth.change_user",
)
#: The editors' mark: they reset other accounts' two-factor authentication.
RESET_PERMISSION = "conditions.unpublish_condition"


def _translation_reviewer_groups():
    return [
        roles.group_name(roles.TRANSLATION_REVIEWERS, code)
        for code in languages.targets()
    ]


def has_required_role(user):
    """Return True if the user's role calls for two-factor authentication."""
    if not user.is_active:
        return False
    if user.is_superuser or any(user.has_perm(p) for p in REQUIRED_PERMISSIONS):
        return True
    return bool(roles.languages_for(user, roles.TRANSLATION_REVIEWERS))


def is_exempt(user):
    """Return True for the accounts the settings exempt (dev's demo accounts)."""
    return user.get_username() in settings.TWO_FACTOR_EXEMPT_USERNAMES


def must_use_two_factor(user):
    """Return True if this user may not use the admin without a second factor."""
    return (
        settings.TWO_FACTOR_REQUIRED and not is_exempt(user) and has_required_role(user)
    )


def with_required_role(accounts):
    """Annotate a queryset of users with `required_role`, in the same query.

    The same rule as `has_required_role`, for a list.
    """
    permissions = Permission.objects.filter(
        reduce(
            or_,
            (
                Q(content_type__app_label=label, codename=codename)
                for label, codename in (p.split(".") for p in REQUIRED_PERMISSIONS)
            ),
        )
    )
    own = User.user_permissions.through.objects.filter(
        user_id=OuterRef("pk"), permission__in=permissions
    )
    grouped = User.groups.through.objects.filter(user_id=OuterRef("pk")).filter(
        Q(group__permissions__in=permissions)
        | Q(group__in=Group.objects.filter(name__in=_translation_reviewer_groups()))
    )
    return accounts.annotate(
        required_role=Q(is_active=True)
        & (Q(is_superuser=True) | Exists(own) | Exists(grouped))
    )


def may_manage(user):
    """Return True if the user sees the accounts' two-factor screen and log."""
    return user.is_active and (user.is_superuser or user.has_perm(RESET_PERMISSION))


def may_reset(actor, account):
    """Return True if `actor` may reset the two-factor authentication of `account`.

    Editors and superusers may, never for their own account (turning it off
    takes a second person), and only a superuser resets a superuser's.
    """
    if not may_manage(actor) or actor.pk == account.pk:
        return False
    return actor.is_superuser or not account.is_superuser
