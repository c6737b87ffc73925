from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.core.files.storage import storages
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    # The account's two-factor pages (accounts/urls.py), in the admin.
    path("admin/two-factor/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("library.api.urls")),  # docs/api.md
    path("", include("library.syndication.urls")),  # robots, favicon, sitemaps
]
urlpatterns += i18n_patterns(
    path("", include("library.urls")), prefix_default_language=True
)
if settings.SERVE_PUBLIC_MEDIA:
    # Dev (and tests): the public area only, the renditions that publication
    # makes. Uploaded originals are never served here: staff see them in the
    # admin (conditions/admin/media.py).
    def public_media(request, path):
        return serve(request, path, document_root=storages["public"].location)

    urlpatterns.append(
        path(settings.PUBLIC_MEDIA_URL.lstrip("/") + "<path:path>", public_media)
    )
