"""The API's addresses, under /api/v1/ (healthinfo/urls.py)."""

from django.urls import path, re_path

from . import views

app_name = "library_api"

urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi_json, name="openapi"),
    path("conditions/", views.conditions, name="conditions"),
    path("conditions/<slug:slug>/", views.condition, name="condition"),
    path("categories/", views.categories, name="categories"),
    # Anything else, line breaks included ("." alone stops at a newline).
    re_path(r"^(?P<rest>[\s\S]*)$", views.unknown),
]
