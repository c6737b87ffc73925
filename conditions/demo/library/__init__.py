"""A generated library at scale: `manage.py generate_library --articles N`.

See README.md in this folder for the data, its credits and how it is used.
"""
