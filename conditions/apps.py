from axes import apps as axes_apps
from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _
from reversion.signals import post_revision_commit


def _after_migrate(sender, **kwargs):
    from . import versioning
    from .roles import sync_roles
    from .translations import progress

    # Roles follow the languages in settings: a language added later gets
    # its "Translators (xx)" and "Translation reviewers (xx)" groups here.
    sync_roles()
    # Derived data of revisions and articles saved before it was recorded
    # (nothing to do, and one query each, when it is all there).
    versioning.backfill_fingerprints()
    progress.backfill()


def _revision_saved(sender, revision, versions, **kwargs):
    """Record what each article's new revision covers, and its progress."""
    from . import versioning
    from .models import Condition
    from .translations import progress

    versioning.record_fingerprints(revision, versions)
    for version in versions:
        if version._model is Condition:
            progress.refresh(Condition(pk=int(version.object_id)))


def _transition_recorded(sender, instance, created, **kwargs):
    """Store what the article's live and waiting revisions fail now."""
    from .workflow import checks

    if created and instance.condition_id:
        checks.refresh([instance.condition_id])


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = _("Health library")

    def ready(self):
        # Registered here, after modeltranslation has added the per-language
        # columns, so that every language's columns are versioned.
        from . import versioning

        versioning.register_models()
        post_migrate.connect(_after_migrate, sender=self)
        post_revision_commit.connect(_revision_saved)
        # Every change of state records an audit entry: the publication
        # checks of the article are stored again then.
        post_save.connect(
            _transition_recorded,
            sender="conditions.AuditEntry",
            dispatch_uid="publication_checks",
        )


class LoginSecurityConfig(axes_apps.AppConfig):
    """django-axes (login throttling), named for the editors who unlock accounts."""

    # Not the configuration of the "conditions" entry of INSTALLED_APPS.
    default = False
    verbose_name = _("Login security")
