"""Staff accounts: two-factor authentication (TOTP authenticator apps, backup
codes) in front of the admin, and the log of who reset whose.

- policy: whose accounts must use it, who may reset it
- devices: enrolment, backup codes, verification and reset (django-otp)
- middleware: an account that must verify is kept on the two-factor pages
- views: the account's own pages (enrol, verify, backup codes)
- admin: the editors' screen to reset another account, and the log
"""
