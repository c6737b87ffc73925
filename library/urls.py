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
    path("a-z/", views.az, name="az"),
    path("a-z/<str:letter>/", views.letter, name="letter"),
    path("categories/<slug:slug>/", views.category, name="category"),
    path("categories/<slug:slug>/<int:page>/", views.category, name="category_page"),
    # -- search
    path("search/", include("library.search.urls")),
    # -- feeds
    path("feed/", feeds.feed, name="feed"),
]
