"""Two-factor devices (django-otp): enrolment, backup codes, verification, reset.

An account has at most one authenticator (a confirmed TOTP device) and one set
of backup codes (a static device whose tokens are deleted as they are used).
A session is verified once a code is accepted (django_otp.login); logging out
ends it.
"""

import math
from base64 import b32encode

import segno
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import policy
from .models import TwoFactorEvent

#: Whether the session's user had an authenticator when they logged in (so
#: that pages need no query to know that an account without one may pass).
SESSION_ENROLLED = "two_factor_enrolled"
#: The unconfirmed device this session is setting up.
SESSION_PENDING = "two_factor_pending_device"
BACKUP_CODE_COUNT = 10
AUTHENTICATOR = "authenticator"
BACKUP = "backup"


def authenticator(user):
    """Return the user's confirmed authenticator (TOTP device), or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_enrolled(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def remember_enrolment(request, user):
    """Note in the session whether the user has an authenticator (at login)."""
    request.session[SESSION_ENROLLED] = is_enrolled(user)


def pending_authenticator(request):
    """Return the unconfirmed device this session is setting up.

    Its key is made for this session and kept while it lasts (a reload shows
    the same QR code); a new session starts afresh and discards any other
    unconfirmed key, so that a key seen in another session (someone else who
    knew the password) is never the one confirmed.
    """
    user = request.user
    pending = TOTPDevice.objects.devices_for_user(user, confirmed=False)
    device = pending.filter(pk=request.session.get(SESSION_PENDING)).first()
    if device is None:
        pending.delete()
        device = TOTPDevice.objects.create(
            user=user, name=AUTHENTICATOR, confirmed=False
        )
        request.session[SESSION_PENDING] = device.pk
    return device


def secret(device):
    """Return the device's key in base32, in groups of four, for typing it in."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code(device):
    """Return the device's otpauth:// address as an inline SVG QR code.

    Drawn on the server, dark on white so that it scans in the dark theme too:
    the page loads nothing from elsewhere and runs no script.
    """
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        dark="#000",
        light="#fff",
        svgclass="two-factor-qr",
        lineclass=None,
        title=_("QR code for your authenticator app"),
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def format_code(token):
    return f"{token[:4]} {token[4:]}"


def _normalise(code):
    return "".join(code.split()).replace("-", "").lower()


def new_backup_codes(user):
    """Replace the user's backup codes; return the new ones (shown only once)."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        tokens = [StaticToken.random_token() for _n in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=token) for token in tokens
        )
    return [format_code(token) for token in tokens]


def regenerate_backup_codes(user):
    """Give the user new backup codes, logged; return them."""
    codes = new_backup_codes(user)
    _log(user, TwoFactorEvent.Action.BACKUP_CODES, actor=user)
    return codes


class Throttled(Exception):
    """Too many wrong codes: the device accepts none for `seconds` more."""

    def __init__(self, seconds):
        super().__init__(seconds)
        self.seconds = seconds


def _wait(device):
    """Return the seconds left before a throttled device accepts a code again."""
    allowed, _data = device.verify_is_allowed()
    if allowed:
        return 0
    required = device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1)
    elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(1, math.ceil(required - elapsed))


def confirm_authenticator(request, device, code):
    """Confirm the device being set up with a code from it.

    On success the device becomes the user's authenticator (replacing any
    other), the session is verified, and the new backup codes are returned;
    otherwise None. Raises Throttled, as `verify` does.
    """
    user = request.user
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device.pk, user=user, confirmed=False)
            .first()
        )
        if device is None:
            return None
        wait = _wait(device)
        if wait:
            raise Throttled(wait)
        if not device.verify_token(_normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = new_backup_codes(user)
        _log(user, TwoFactorEvent.Action.ENROLLED, actor=user)
    _verified(request, device)
    return codes


def verify(request, code):
    """Verify the session with a code from the authenticator or a backup code.

    Six digits are checked against the authenticator, anything else against
    the backup codes (each of which works once). Returns True if the code is
    accepted; raises Throttled while the device refuses to check codes after
    wrong ones.
    """
    user = request.user
    code = _normalise(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            return False
        wait = _wait(device)
        if wait:
            raise Throttled(wait)
        if not device.verify_token(code):
            return False
    _verified(request, device)
    return True


def _verified(request, device):
    # A new session key for the stronger session (as login() does).
    request.session.cycle_key()
    otp_login(request, device)
    request.session[SESSION_ENROLLED] = True


def reset(*, account, actor, reason):
    """Remove the account's authenticator and backup codes, and log who and why.

    Raises PermissionDenied unless `actor` may (policy.may_reset).
    """
    if not policy.may_reset(actor, account):
        raise PermissionDenied(
            _("You cannot reset the two-factor authentication of this account.")
        )
    with transaction.atomic():
        for device in devices_for_user(account, confirmed=None):
            device.delete()
        _log(account, TwoFactorEvent.Action.RESET, actor=actor, reason=reason)


def _log(account, action, *, actor, reason=""):
    TwoFactorEvent.objects.create(
        account=account,
        username=account.get_username(),
        action=action,
        actor=actor,
        reason=reason,
    )
