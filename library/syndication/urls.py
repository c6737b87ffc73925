"""Addresses at the site's root (healthinfo/urls.py includes them)."""

from django.urls import path

from . import site_files, sitemaps

urlpatterns = [
    path("robots.txt", site_files.robots_txt, name="robots-txt"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<int:number>.xml", sitemaps.section, name="sitemap-section"),
]
