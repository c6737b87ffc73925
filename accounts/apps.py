from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


def _logged_in(sender, request, user, **kwargs):
    from . import devices

    devices.remember_enrolment(request, user)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        user_logged_in.connect(_logged_in, dispatch_uid="accounts.two_factor")
