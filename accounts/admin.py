"""The editors' two-factor screen: every staff account's status, the reset
(with a reason, logged), and the log. Open to editors and superusers."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import devices, policy
from .forms import ResetForm
from .models import TwoFactorAccount, TwoFactorEvent

# Devices change only through enrolment and the logged reset below, never in
# django-otp's own device screens (which would also show the secret keys).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class _ManagersOnly:
    """Visible to editors and superusers; nothing is added, changed or deleted."""

    def has_module_permission(self, request):
        return policy.may_manage(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.may_manage(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EnrolledFilter(admin.SimpleListFilter):
    title = _("set up")
    parameter_name = "enrolled"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(enrolled=self.value() == "yes")
        return queryset


@admin.register(TwoFactorAccount)
class TwoFactorAccountAdmin(_ManagersOnly, admin.ModelAdmin):
    """Staff accounts and their two-factor status; each opens its reset screen."""

    list_display = ["username", "full_name", "required", "enrolled", "last_used"]
    list_filter = [EnrolledFilter]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]

    def get_queryset(self, request):
        authenticators = TOTPDevice.objects.filter(
            user_id=OuterRef("pk"), confirmed=True
        )
        accounts = (
            super()
            .get_queryset(request)
            .filter(is_staff=True)
            .annotate(
                enrolled=Exists(authenticators),
                last_used=Subquery(authenticators.values("last_used_at")[:1]),
            )
        )
        return policy.with_required_role(accounts)

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, account):
        return account.get_full_name()

    @admin.display(description=_("required"), boolean=True)
    def required(self, account):
        return (
            settings.TWO_FACTOR_REQUIRED
            and account.required_role
            and not policy.is_exempt(account)
        )

    @admin.display(description=_("set up"), boolean=True, ordering="enrolled")
    def enrolled(self, account):
        return account.enrolled

    @admin.display(description=_("last used"), ordering="last_used")
    def last_used(self, account):
        return account.last_used

    def changelist_view(self, request, extra_context=None):
        title = _("Two-factor authentication of staff accounts")
        return super().changelist_view(
            request, {"title": title, **(extra_context or {})}
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/reset/",
                self.admin_site.admin_view(self.reset_view),
                name="accounts_twofactoraccount_reset",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(
            reverse("admin:accounts_twofactoraccount_reset", args=[object_id])
        )

    def reset_view(self, request, pk):
        """Reset another account's two-factor authentication, with a reason."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        account = get_object_or_404(TwoFactorAccount, pk=pk, is_staff=True)
        allowed = policy.may_reset(request.user, account)
        form = ResetForm(request.POST or None)
        if request.method == "POST":
            if not allowed:
                raise PermissionDenied
            if form.is_valid():
                devices.reset(
                    account=account,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                self.message_user(
                    request,
                    gettext(
                        "The two-factor authentication of %(account)s is reset: "
                        "they set it up again at their next login."
                    )
                    % {"account": account.get_username()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:accounts_twofactoraccount_changelist")
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Reset two-factor authentication: %(account)s")
            % {"account": account.get_username()},
            "account": account,
            "device": devices.authenticator(account),
            "backup_codes_left": devices.backup_codes_left(account),
            "allowed": allowed,
            "own": account.pk == request.user.pk,
            "form": form,
            "events": TwoFactorEvent.objects.filter(account=account).select_related(
                "actor"
            )[:20],
        }
        return TemplateResponse(request, "admin/accounts/reset.html", context)


@admin.register(TwoFactorEvent)
class TwoFactorEventAdmin(_ManagersOnly, admin.ModelAdmin):
    """The two-factor log: set-ups, new backup codes and resets."""

    list_display = ["created_at", "username", "action", "actor", "reason"]
    list_filter = ["action"]
    search_fields = ["username", "reason"]
    list_select_related = ["actor"]
    readonly_fields = ["created_at", "username", "action", "actor", "reason"]
    exclude = ["account"]
