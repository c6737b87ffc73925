"""The account's two-factor pages, under /admin/two-factor/ (healthinfo/urls.py).

Each is an admin view (active staff only, CSRF-protected, never cached).
"""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("", admin.site.admin_view(views.index), name="index"),
    path("enrol/", admin.site.admin_view(views.enrol), name="enrol"),
    path("verify/", admin.site.admin_view(views.verify), name="verify"),
    path(
        "backup-codes/", admin.site.admin_view(views.backup_codes), name="backup_codes"
    ),
]
