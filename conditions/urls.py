from django.urls import path

from . import views

app_name = "conditions"

urlpatterns = [
    path("", views.index, name="index"),
    path("conditions/<slug:slug>/", views.detail, name="detail"),
]
