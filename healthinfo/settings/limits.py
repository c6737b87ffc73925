"""Limits of uploads, texts and requests, imported by base.py."""
