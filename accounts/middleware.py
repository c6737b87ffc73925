"""Keep an account that must verify a second factor on the two-factor pages."""

from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode

from . import devices, policy

#: The admin pages an unverified account may open.
OPEN_ADMIN_PAGES = (
    "two_factor:verify",
    "two_factor:enrol",
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
)


def with_next(name, url):
    """Return the address of the named page, to go on to `url` afterwards."""
    return f"{resolve_url(name)}?{urlencode({'next': url})}"


class TwoFactorMiddleware:
    """Send an unverified admin user to the token step, or to enrolment.

    After django_otp's OTPMiddleware. An account with an authenticator must
    give a code once per session; an account whose role requires two-factor
    authentication (policy.must_use_two_factor) and has none must set one up
    first. Until then every other admin page, GET or POST, redirects.
    Public pages are not concerned.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = self._step(request)
        if step is None:
            return self.get_response(request)
        return redirect(with_next(step, request.get_full_path()))

    def _step(self, request):
        """Return the URL name of the step the user must take first, or None."""
        if not request.path.startswith(reverse("admin:index")):
            return None
        if any(request.path == reverse(name) for name in OPEN_ADMIN_PAGES):
            return None
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return None  # the admin's own login
        if user.is_verified():
            return None
        # Known from the login (no query): the account has an authenticator.
        if request.session.get(devices.SESSION_ENROLLED):
            return "two_factor:verify"
        if policy.must_use_two_factor(user):
            if devices.is_enrolled(user):
                return "two_factor:verify"
            return "two_factor:enrol"
        return None
