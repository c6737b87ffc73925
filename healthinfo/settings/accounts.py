"""Login throttling, passwords and sessions of staff accounts; imported by base.py.

The apps, middleware and authentication backends are in base.py, under
"accounts: login throttling (issue 9, part 1)".
"""

import os
from datetime import timedelta

# -- Login throttling (django-axes) ------------------------------------------

# LOGIN_FAILURE_LIMIT failed logins lock out the username, and the client
# address, that made them. A failure counts while it is younger than
# LOGIN_LOCKOUT_MINUTES: the limit is reached within that window, and the
# lockout lasts until enough of the failures are that old.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
)
# By username (guessing one account's password from many addresses) or by
# address (trying many accounts from one), whichever reaches the limit.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The database handler, not the cache one: the web workers and machines of a
# site share its database, but not always its cache (without REDIS_URL each
# worker has its own in-process cache, so a cache handler would multiply the
# limit by the number of workers). The attempts are also rows that editors
# see and delete in the admin (unlock). The subclass records the attempts
# refused during a lockout too (conditions/admin/lockout.py).
AXES_HANDLER = "conditions.admin.lockout.LoginAttempts"
# An attempt during a lockout does not start it again: the time the lockout
# page gives stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login does not wipe the failures: it would let someone with
# one account reset the count of the address they try other accounts from.
AXES_RESET_ON_SUCCESS = False
# Record every failure (AccessFailureLog) as well as every login (AccessLog).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The lockout page (429, in the admin's look), the client's address behind
# LOGIN_TRUSTED_PROXIES proxies, and the admin screens with "Unlock".
AXES_LOCKOUT_CALLABLE = "conditions.admin.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "conditions.admin.lockout.client_address"
AXES_ENABLE_ADMIN = False
# Masked in the log lines and in the form data kept with each attempt: the
# password (always), the CSRF token, and the username and address (axes'
# default; the attempts have them in their own columns).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# How many proxies in front of the site append the client's address to
# X-Forwarded-For (nginx in front of gunicorn: 1). With 0, the address is the
# connection's: behind a proxy every login would come from the proxy's address,
# and a few failures would lock everyone out.
LOGIN_TRUSTED_PROXIES = int(os.environ.get("LOGIN_TRUSTED_PROXIES", "0"))

# -- Passwords ---------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- Sessions ----------------------------------------------------------------

# Only staff have sessions (public pages are answered without one). A session
# lasts a working day from the login, and ends sooner when the browser
# closes. Changing a password ends the account's other sessions (Django's
# session hash of the password), and keeps the one that changed it.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_HOURS", "9")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
