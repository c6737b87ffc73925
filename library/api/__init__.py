"""The read-only syndication API (/api/v1/): live articles as schema.org JSON.

In the shape of the NHS website content API (docs/api.md): each article is a
``MedicalWebPage`` whose sections are ``mainEntityOfPage`` elements. It reads
publications only (never the working copy) and serves every response
through the public side's page store (library/store.py), tagged so that a
publication is visible at the next request.

- params: the query parameters, checked, and the canonical address of a list
- documents: the JSON documents (root, lists, an article, categories)
- openapi: the OpenAPI 3.1 description of what the API serves
- access: API keys, the rate limit and the JSON errors
- middleware: keys and limits checked before the page cache answers
- views, urls: thin views over the page store
- hooks: the tagger and listings that library/registry.py calls
- admin, models: partners' API keys, managed by editors
"""
