"""The public pages, each rendered from publications into a stored page.

- common: what every page shares (languages, sorting, addresses)
- article: a condition's page in one language
- listings: the home page, A to Z, categories
"""
