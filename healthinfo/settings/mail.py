"""Django's EMAIL_* settings from one EMAIL_URL, parsed by django-environ.

Production settings and the tests read an address through this one function.

    smtp://user:password@mail.example.org:587?tls=1   STARTTLS (port 587 if none)
    smtp://user:password@mail.example.org:465?ssl=1   TLS from the first byte (465)
    smtp+tls://… and smtps://…                        the same as ?tls=1
    smtp+ssl://…                                      the same as ?ssl=1
    smtp://relay.internal:25                          plain SMTP (port 25 if none)
    consolemail://                                    print every mail on stdout

Note that django-environ reads ``smtps://`` as STARTTLS, not as TLS from the
first byte: for port 465 write ``smtp+ssl://`` or ``?ssl=1``. Percent-encode
reserved characters in the user name and password (``@`` is ``%40``, ``:``
is ``%3A``, ``/`` is ``%2F``, ``#`` is ``%23``). ``?timeout=SECONDS`` limits
each SMTP connection (10 seconds unless set).
"""

import environ
from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
DEFAULT_TIMEOUT = 10

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def _flag(name, value):
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ImproperlyConfigured(f"EMAIL_URL: {name.lower()} must be 1 or 0.")


def email_settings(url):
    """Return the Django settings (EMAIL_BACKEND, EMAIL_HOST…) that URL names.

    The error messages never repeat the URL: it may hold a password.
    """
    try:
        config = environ.Env.email_url_config(url)
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"EMAIL_URL: {error}") from None
    except ValueError:  # a port that is not a number
        raise ImproperlyConfigured("EMAIL_URL is not a valid URL.") from None
    backend = config["EMAIL_BACKEND"]
    if backend == FILE_BACKEND:
        return {"EMAIL_BACKEND": backend, "EMAIL_FILE_PATH": config["EMAIL_FILE_PATH"]}
    if backend != SMTP_BACKEND:
        return {"EMAIL_BACKEND": backend}

    # django-environ keeps ?email_use_tls=1 as a setting and passes any other
    # query option, upper-cased, in OPTIONS: ?tls=1 arrives as {"TLS": 1}.
    use_tls = _flag("tls", config.get("EMAIL_USE_TLS", False))
    use_ssl = _flag("ssl", config.get("EMAIL_USE_SSL", False))
    timeout = DEFAULT_TIMEOUT
    for option, value in config.get("OPTIONS", {}).items():
        if option == "TLS":
            use_tls = use_tls or _flag(option, value)
        elif option == "SSL":
            use_ssl = use_ssl or _flag(option, value)
        elif option == "TIMEOUT":
            if not isinstance(value, int) or value <= 0:
                raise ImproperlyConfigured(
                    "EMAIL_URL: timeout must be a number of seconds."
                )
            timeout = value
        else:
            raise ImproperlyConfigured(
                f"EMAIL_URL: unknown option {option.lower()!r} "
                "(known: tls, ssl, timeout)."
            )
    if use_tls and use_ssl:
        raise ImproperlyConfigured(
            "EMAIL_URL: choose STARTTLS (tls, smtps://) or TLS from the first "
            "byte (ssl, smtp+ssl://), not both."
        )
    if not config["EMAIL_HOST"]:
        raise ImproperlyConfigured("EMAIL_URL names no mail server host.")
    port = config["EMAIL_PORT"]
    if port is None:
        port = 465 if use_ssl else 587 if use_tls else 25
    return {
        "EMAIL_BACKEND": backend,
        "EMAIL_HOST": config["EMAIL_HOST"],
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": config["EMAIL_HOST_USER"] or "",
        "EMAIL_HOST_PASSWORD": config["EMAIL_HOST_PASSWORD"] or "",
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
    }
