from django.urls import include, path

from . import views
from .syndication import feeds

app_name = "library"

# The public addresses of one language (healthinfo/urls.py puts them under
# /en/, /es/…). Search, feeds and the API add theirs below their marker.
urlpatterns = [
    path("", views.home, name="home"),
    path("conditions/<slug:slug>/", views.article, name="article"),
    # -- browsing (home, A to Z, categories)
    # -- search
    path("search/", include("library.search.urls")),
    # -- feeds
    path("feed/", feeds.feed, name="feed"),
]
