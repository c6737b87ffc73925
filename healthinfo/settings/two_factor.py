"""Two-factor authentication of staff accounts (accounts/), imported by base.py.

The apps and middleware are in base.py, under "accounts: two-factor
authentication (issue 9, part 2)".
"""

import os
from urllib.parse import urlsplit

# Accounts that can approve, publish, unpublish or manage users (medical
# reviewers, editors, translation reviewers, user managers, superusers) must
# give a code from an authenticator app after their password, once per
# session, and set one up at their first login (accounts/policy.py). Other
# accounts may opt in. On unless TWO_FACTOR_REQUIRED=0 (tests turn it off, and
# on where they test it; dev exempts its demo accounts).
TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "1") != "0"
#: Usernames exempt from the requirement (dev's demo accounts; empty elsewhere).
TWO_FACTOR_EXEMPT_USERNAMES = []

# django-otp. The authenticator app names the account "Health Library
# (host):username", the host from SITE_URL, so that staging and production
# can be told apart.


def _issuer(device):
    from django.conf import settings

    host = urlsplit(settings.SITE_URL).hostname
    return f"Health Library ({host})" if host else "Health Library"


OTP_TOTP_ISSUER = _issuer
# After a wrong code, a device accepts none for 1, 2, 4, 8… seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Never show a device's secret key in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
