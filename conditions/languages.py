"""The site's languages, from settings: the source language and its targets."""

from django.conf import settings
from django.utils.translation import get_language_info


def codes():
    """Return the codes of every configured language, source first as set."""
    return [code for code, _name in settings.LANGUAGES]


def source():
    """Return the code of the language articles are written in."""
    return settings.SOURCE_LANGUAGE


def targets():
    """Return the codes of the languages translated from the source."""
    return [code for code in codes() if code != settings.SOURCE_LANGUAGE]


def name(code):
    """Return the language's name in the interface language (e.g. Spanish)."""
    return get_language_info(code)["name_translated"]


def local_name(code):
    """Return the language's name in itself (e.g. español)."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return str(dict(settings.LANGUAGES).get(code, code))
