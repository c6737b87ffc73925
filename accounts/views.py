"""The account's own two-factor pages: status, enrolment, the token step,
backup codes. Mounted under the admin (healthinfo/urls.py)."""

from django.contrib import admin, messages
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters

from . import devices, policy
from .forms import CodeForm
from .middleware import with_next

#: The backup codes just made, shown once by the backup codes page.
SESSION_NEW_CODES = "two_factor_new_codes"


def _next(request):
    """Return the safe page to go on to (the `next` parameter, or the admin)."""
    url = request.POST.get("next", request.GET.get("next", ""))
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url("admin:index")


def _throttled(error):
    return ngettext(
        "Too many wrong codes: try again in %(seconds)d second.",
        "Too many wrong codes: try again in %(seconds)d seconds.",
        error.seconds,
    ) % {"seconds": error.seconds}


def _context(request, title, *, verified=True, **extra):
    context = {**admin.site.each_context(request), "title": title, **extra}
    if not verified:
        # Before the second factor, nothing else of the admin is offered: no
        # menu, no user links (the page has its own log out button).
        context.update(has_permission=False, is_nav_sidebar_enabled=False)
    return context


def index(request):
    """Show whether two-factor authentication is on, and what can be done."""
    user = request.user
    device = devices.authenticator(user)
    return render(
        request,
        "accounts/two_factor/index.html",
        _context(
            request,
            _("Two-factor authentication"),
            device=device,
            backup_codes_left=devices.backup_codes_left(user) if device else 0,
            required=policy.must_use_two_factor(user),
        ),
    )


@sensitive_post_parameters("code")
def enrol(request):
    """Set up an authenticator app: scan the QR code, enter a code from it.

    Replacing an authenticator takes a verified session.
    """
    user = request.user
    enrolled = devices.is_enrolled(user)
    if enrolled and not user.is_verified():
        return redirect(with_next("two_factor:verify", request.path))
    device = devices.pending_authenticator(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = devices.confirm_authenticator(
                request, device, form.cleaned_data["code"]
            )
        except devices.Throttled as throttled:
            form.add_error("code", _throttled(throttled))
        else:
            if codes is not None:
                request.session[SESSION_NEW_CODES] = codes
                messages.success(request, _("Two-factor authentication is on."))
                return redirect(with_next("two_factor:backup_codes", _next(request)))
            form.add_error(
                "code",
                _(
                    "That code is not right. Check that the time on your phone "
                    "is right, and try the next code."
                ),
            )
    return render(
        request,
        "accounts/two_factor/enrol.html",
        _context(
            request,
            _("Set up two-factor authentication"),
            verified=user.is_verified(),
            form=form,
            qr_code=devices.qr_code(device),
            secret=devices.secret(device),
            replacing=enrolled,
            required=policy.must_use_two_factor(user),
            next=_next(request),
        ),
    )


@sensitive_post_parameters("code")
def verify(request):
    """The token step: a code from the authenticator app, or a backup code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not devices.is_enrolled(user):
        request.session[devices.SESSION_ENROLLED] = False
        if policy.must_use_two_factor(user):
            return redirect(with_next("two_factor:enrol", _next(request)))
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["aria-describedby"] = "code-help"
    if form.is_valid():
        try:
            accepted = devices.verify(request, form.cleaned_data["code"])
        except devices.Throttled as throttled:
            form.add_error("code", _throttled(throttled))
        else:
            if accepted:
                return redirect(_next(request))
            form.add_error("code", _("That code is not right."))
    return render(
        request,
        "accounts/two_factor/verify.html",
        _context(
            request,
            _("Two-factor authentication"),
            verified=False,
            form=form,
            next=_next(request),
        ),
    )


def backup_codes(request):
    """Show the backup codes just made (once), or make new ones (POST)."""
    user = request.user
    if not devices.is_enrolled(user):
        return redirect("two_factor:index")
    if request.method == "POST":
        request.session[SESSION_NEW_CODES] = devices.regenerate_backup_codes(user)
        messages.success(
            request, _("New backup codes made: the old ones no longer work.")
        )
        return redirect("two_factor:backup_codes")
    codes = request.session.pop(SESSION_NEW_CODES, None)
    return render(
        request,
        "accounts/two_factor/backup_codes.html",
        _context(
            request,
            _("Backup codes"),
            codes=codes,
            backup_codes_left=devices.backup_codes_left(user),
            next=_next(request),
        ),
    )
