"""The search addresses, included by library/urls.py under search/ (so
their names are library:search and library:search_suggest)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.results, name="search"),
    path("suggest/", views.suggestions, name="search_suggest"),
]
