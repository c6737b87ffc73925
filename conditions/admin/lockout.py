"""Login security: the lockout page, and the screens where editors unlock.

django-axes counts failed logins (healthinfo/settings/accounts.py). This
module is what people see of it: the page that tells a locked-out person
when to try again, and the admin screens of the attempts (with *Unlock*),
the logins and the failures.
"""

import ipaddress
import math
from datetime import timedelta

from axes import admin as axes_admin
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

TEMPLATE = "admin/conditions/lockout.html"


class LoginAttempts(AxesDatabaseHandler):
    """django-axes' database handler; it also records refused attempts."""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # Set by the backend when it refused the attempt of someone already
        # locked out: the handler then records nothing (the lockout must not
        # start again), but the attempt belongs in the log of failures.
        refused = getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if refused and settings.AXES_ENABLE_ACCESS_FAILURE_LOG:
            AccessFailureLog.objects.create(
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                locked_out=True,
            )

    def locked_until(self, request, credentials=None):
        """Return when the request's username and address are both free again.

        A lock holds while the failures younger than the cool-off reach the
        limit; it ends when the attempt that made them reach it gets old.
        """
        cool_off = get_cool_off(request)
        limit = get_failure_limit(request, credentials)
        ends = []
        for attempts in self.get_user_attempts(request, credentials):
            total = 0
            for time, failures in attempts.order_by("-attempt_time").values_list(
                "attempt_time", "failures_since_start"
            ):
                total += failures
                if total >= limit:
                    ends.append(time + cool_off)
                    break
        return max(ends, default=timezone.now() + cool_off)


def client_address(request):
    """Return the client's address, past ``LOGIN_TRUSTED_PROXIES`` proxies.

    Each trusted proxy appends the address it was called from to
    X-Forwarded-For, so the client is that many entries from the end.
    """
    hops = settings.LOGIN_TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip()
            for part in request.headers.get("X-Forwarded-For", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops and _is_address(forwarded[-hops]):
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def lockout_response(request, original_response=None, credentials=None):
    """Return the page that tells a locked-out person when to try again (429)."""
    until = AxesProxyHandler.get_implementation().locked_until(request, credentials)
    # Round up to the minute the page shows: trying at that minute works.
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed logins"),
        "until": until,
    }
    response = render(request, TEMPLATE, context, status=429)
    wait = (until - timezone.now()).total_seconds()
    response["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def _failures_by(field, since):
    """Return the failures younger than ``since`` of the row's username or address."""
    attempts = (
        AccessAttempt.objects.filter(
            attempt_time__gte=since, **{field: OuterRef(field)}
        )
        .order_by()
        .values(field)
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return Coalesce(Subquery(attempts[:1]), 0)


class LockedOutFilter(admin.SimpleListFilter):
    title = _("locked out")
    parameter_name = "locked_out"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        locked = Q(username_failures__gte=settings.AXES_FAILURE_LIMIT) | Q(
            address_failures__gte=settings.AXES_FAILURE_LIMIT
        )
        if self.value() == "yes":
            return queryset.filter(locked)
        if self.value() == "no":
            return queryset.exclude(locked)
        return queryset


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Failed logins that count towards a lockout; *Unlock* deletes them."""

    list_display = [
        "attempt_time",
        "username",
        "ip_address",
        "status",
        "failures_since_start",
        "user_agent",
        "path_info",
    ]
    list_filter = [LockedOutFilter, "attempt_time"]
    actions = ["unlock"]

    def get_queryset(self, request):
        since = timezone.now() - get_cool_off(request)
        return (
            super()
            .get_queryset(request)
            .annotate(
                username_failures=_failures_by("username", since),
                address_failures=_failures_by("ip_address", since),
            )
        )

    def get_actions(self, request):
        # "Unlock" is the deletion editors need, with its consequences said.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("status"))
    def status(self, attempt):
        """Say whether the username or the address is locked out, or how close."""
        left = settings.AXES_FAILURE_LIMIT - max(
            attempt.username_failures, attempt.address_failures
        )
        if left <= 0:
            return _("Locked out")
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {
            "count": left
        }

    @admin.action(
        description=_("Unlock the selected usernames and addresses"),
        permissions=["delete"],
    )
    def unlock(self, request, queryset):
        """Delete every failed attempt of the selected usernames and addresses."""
        usernames = {a.username for a in queryset if a.username is not None}
        addresses = {a.ip_address for a in queryset if a.ip_address is not None}
        attempts = AccessAttempt.objects.filter(
            Q(username__in=usernames) | Q(ip_address__in=addresses)
        )
        self.log_deletions(request, attempts)
        _total, deleted = attempts.delete()
        count = deleted.get(AccessAttempt._meta.label, 0)
        self.message_user(
            request,
            ngettext(
                "Unlocked: %(count)d failed attempt deleted. Its username and "
                "address can log in again.",
                "Unlocked: %(count)d failed attempts deleted. Their usernames "
                "and addresses can log in again.",
                count,
            )
            % {"count": count},
        )


admin.site.register(AccessLog, axes_admin.AccessLogAdmin)
admin.site.register(AccessFailureLog, axes_admin.AccessFailureLogAdmin)
