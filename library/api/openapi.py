"""The OpenAPI 3.1 description of the API, served at /api/v1/openapi.json.

Built from settings (languages, page size, the site's address) at render,
stored like every API page. tests/test_api.py checks the API against it
with schemathesis: every documented parameter, status code, header and
response schema. The descriptions are developer documentation, in English,
like docs/api.md.
"""

from django.conf import settings
from django.urls import reverse

from ..pages.common import absolute, language_codes
from .documents import rendered

SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
REF = "#/components/schemas/"


def ref(name):
    return {"$ref": REF + name}


def obj(required, properties, **extra):
    """Return an object schema with these required properties."""
    return {"type": "object", "required": required, "properties": properties, **extra}


def const(value):
    return {"const": value}


STRING = {"type": "string"}
URL = {"type": "string", "format": "uri"}
MOMENT = {"type": "string", "format": "date-time"}
POSITION = {"type": "integer", "minimum": 0}
STRINGS = {"type": "array", "items": STRING}


def schemas():
    """Return the JSON Schemas (2020-12) of every document the API serves."""
    named = obj(["@type", "name"], {"@type": STRING, "name": STRING})
    return {
        "Person": obj(
            ["@type", "name"],
            {
                "@type": const("Person"),
                "name": STRING,
                "honorificSuffix": {
                    **STRING,
                    "description": "Credentials, as printed after the name (MD, RN).",
                },
            },
        ),
        "MedicalCode": obj(
            ["@type", "codeValue", "codingSystem"],
            {
                "@type": const("MedicalCode"),
                "codeValue": STRING,
                "codingSystem": {"enum": ["ICD-10", "MeSH"]},
            },
        ),
        "MedicalCondition": obj(
            ["@type", "name", "alternateName", "code"],
            {
                "@type": const("MedicalCondition"),
                "name": STRING,
                "alternateName": STRINGS,
                "code": {"type": "array", "items": ref("MedicalCode")},
                "associatedAnatomy": {"type": "array", "items": named},
                "relevantSpecialty": {"type": "array", "items": named},
            },
        ),
        "ImageObject": obj(
            ["@type", "url", "name"],
            {
                "@type": const("ImageObject"),
                "url": URL,
                "position": POSITION,
                "name": {**STRING, "description": "The alternative text."},
                "caption": STRING,
                "creditText": STRING,
                "width": {"type": "integer", "minimum": 1},
                "height": {"type": "integer", "minimum": 1},
            },
        ),
        "TextPart": obj(
            ["@type", "name", "headline", "position", "text"],
            {
                "@type": const("WebPageElement"),
                "name": const("markdown"),
                "headline": STRING,
                "position": POSITION,
                "text": {**STRING, "description": "Sanitised HTML."},
            },
        ),
        "Section": obj(
            ["@type", "name", "headline", "position", "identifier", "mainEntityOfPage"],
            {
                "@type": const("WebPageElement"),
                "name": const("section heading"),
                "headline": STRING,
                "position": POSITION,
                "identifier": {**STRING, "description": "The section's anchor."},
                "hasHealthAspect": URL,
                "mainEntityOfPage": {
                    "type": "array",
                    "items": {"oneOf": [ref("TextPart"), ref("ImageObject")]},
                },
            },
        ),
        "Citation": obj(
            ["@type", "name", "text"],
            {
                "@type": {"enum": ["ScholarlyArticle", "CreativeWork"]},
                "name": STRING,
                "text": {**STRING, "description": "The citation in NLM style."},
                "author": {
                    "type": "array",
                    "items": obj(
                        ["@type", "name"],
                        {"@type": {"enum": ["Person", "Organization"]}, "name": STRING},
                    ),
                },
                "isPartOf": named,
                "datePublished": STRING,
                "identifier": {
                    "type": "array",
                    "items": obj(
                        ["@type", "propertyID", "value"],
                        {
                            "@type": const("PropertyValue"),
                            "propertyID": {"enum": ["DOI", "PMID"]},
                            "value": STRING,
                        },
                    ),
                },
                "url": URL,
            },
        ),
        "LastReviewed": {
            "type": "array",
            "description": "[the last medical review, the next review due]",
            "prefixItems": [
                MOMENT,
                {"type": ["string", "null"], "format": "date-time"},
            ],
            "minItems": 2,
            "maxItems": 2,
        },
        "Version": obj(
            ["@type", "inLanguage", "name", "url"],
            {
                "@type": const("MedicalWebPage"),
                "inLanguage": ref("Language"),
                "name": STRING,
                "url": URL,
            },
        ),
        "Language": {"enum": language_codes()},
        "MedicalWebPage": obj(
            [
                "@context",
                "@type",
                "identifier",
                "name",
                "description",
                "inLanguage",
                "url",
                "webpage",
                "about",
                "author",
                "dateModified",
                "citation",
                "relatedLink",
                "mainEntityOfPage",
            ],
            {
                "@context": const("https://schema.org"),
                "@type": const("MedicalWebPage"),
                "identifier": {
                    **STRING,
                    "description": "The article's id: the same in every language.",
                },
                "name": STRING,
                "description": STRING,
                "inLanguage": ref("Language"),
                "url": URL,
                "webpage": {**URL, "description": "The article on the public site."},
                "about": ref("MedicalCondition"),
                "author": {"type": "array", "items": ref("Person")},
                "contributor": {
                    "type": "array",
                    "items": ref("Person"),
                    "description": "The illustrators.",
                },
                "reviewedBy": ref("Person"),
                "lastReviewed": ref("LastReviewed"),
                "reviewDue": {"type": ["string", "null"], "format": "date-time"},
                "dateModified": MOMENT,
                "primaryImageOfPage": ref("ImageObject"),
                "citation": {"type": "array", "items": ref("Citation")},
                "workTranslation": {"type": "array", "items": ref("Version")},
                "translationOfWork": ref("Version"),
                "translationOutdatedSince": {
                    "type": ["string", "null"],
                    "format": "date-time",
                    "description": (
                        "In a translation: when the source article was updated "
                        "since this translation (null when it is up to date)."
                    ),
                },
                "relatedLink": {
                    "type": "array",
                    "items": obj(
                        ["@type", "linkRelationship", "name", "url", "identifier"],
                        {
                            "@type": const("LinkRole"),
                            "linkRelationship": const("Related"),
                            "name": STRING,
                            "url": URL,
                            "identifier": STRING,
                        },
                    ),
                },
                "mainEntityOfPage": {"type": "array", "items": ref("Section")},
            },
        ),
        "Result": obj(
            [
                "@type",
                "linkRelationship",
                "identifier",
                "name",
                "description",
                "inLanguage",
                "url",
                "webpage",
                "mainEntityOfPage",
            ],
            {
                "@type": const("LinkRole"),
                "linkRelationship": const("Result"),
                "identifier": STRING,
                "name": STRING,
                "description": STRING,
                "inLanguage": ref("Language"),
                "url": URL,
                "webpage": URL,
                "mainEntityOfPage": obj(
                    ["@type", "dateModified"],
                    {
                        "@type": const("MedicalWebPage"),
                        "dateModified": MOMENT,
                        "lastReviewed": ref("LastReviewed"),
                        "reviewDue": {
                            "type": ["string", "null"],
                            "format": "date-time",
                        },
                    },
                ),
            },
        ),
        "PageLink": obj(
            ["@type", "url", "name", "description", "linkRelationship"],
            {
                "@type": const("LinkRole"),
                "url": URL,
                "name": STRING,
                "description": STRING,
                "linkRelationship": {"enum": ["Pagination", "Self"]},
            },
        ),
        "ConditionList": obj(
            [
                "@context",
                "@type",
                "name",
                "inLanguage",
                "url",
                "numberOfItems",
                "page",
                "pageSize",
                "previous",
                "next",
                "significantLink",
                "relatedLink",
            ],
            {
                "@context": const("https://schema.org"),
                "@type": const("CollectionPage"),
                "name": STRING,
                "inLanguage": ref("Language"),
                "url": URL,
                "numberOfItems": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "How many articles the list has, on all pages.",
                },
                "page": {"type": "integer", "minimum": 1},
                "pageSize": {"type": "integer", "minimum": 1},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "next": {"type": ["string", "null"], "format": "uri"},
                "significantLink": {"type": "array", "items": ref("Result")},
                "relatedLink": {"type": "array", "items": ref("PageLink")},
            },
        ),
        "CategoryList": obj(
            ["@context", "@type", "name", "inLanguage", "url", "hasDefinedTerm"],
            {
                "@context": const("https://schema.org"),
                "@type": const("DefinedTermSet"),
                "name": STRING,
                "inLanguage": ref("Language"),
                "url": URL,
                "hasDefinedTerm": {
                    "type": "array",
                    "items": obj(
                        [
                            "@type",
                            "identifier",
                            "name",
                            "additionalType",
                            "numberOfItems",
                            "url",
                        ],
                        {
                            "@type": const("DefinedTerm"),
                            "identifier": {
                                **STRING,
                                "description": "The slug, for the category filter.",
                            },
                            "name": STRING,
                            "additionalType": {"enum": ["body_system", "specialty"]},
                            "numberOfItems": {"type": "integer", "minimum": 1},
                            "url": URL,
                        },
                    ),
                },
            },
        ),
        "Root": obj(
            [
                "@context",
                "@type",
                "name",
                "description",
                "url",
                "documentation",
                "availableLanguage",
                "significantLink",
            ],
            {
                "@context": const("https://schema.org"),
                "@type": const("WebAPI"),
                "name": STRING,
                "description": STRING,
                "url": URL,
                "documentation": URL,
                "availableLanguage": {
                    "type": "array",
                    "items": obj(
                        ["@type", "name", "alternateName"],
                        {
                            "@type": const("Language"),
                            "name": STRING,
                            "alternateName": ref("Language"),
                        },
                    ),
                },
                "significantLink": {
                    "type": "array",
                    "items": obj(
                        ["@type", "linkRelationship", "inLanguage", "name", "url"],
                        {
                            "@type": const("LinkRole"),
                            "linkRelationship": {"enum": ["Conditions", "Categories"]},
                            "inLanguage": ref("Language"),
                            "name": STRING,
                            "url": URL,
                        },
                    ),
                },
            },
        ),
        "Error": obj(
            ["error"],
            {
                "error": obj(
                    ["status", "code", "message"],
                    {
                        "status": {"type": "integer"},
                        "code": {
                            "enum": [
                                "invalid_parameter",
                                "not_found",
                                "invalid_key",
                                "key_required",
                                "rate_limited",
                            ]
                        },
                        "message": STRING,
                        "parameter": {
                            **STRING,
                            "description": "The parameter refused (400).",
                        },
                        "limit": {
                            "type": "integer",
                            "description": "Requests allowed a minute (429).",
                        },
                        "retryAfter": {
                            "type": "integer",
                            "description": "Seconds to wait (429).",
                        },
                    },
                )
            },
        ),
    }


def header(description, required=True):
    return {"description": description, "required": required, "schema": STRING}


def json_body(schema):
    return {"application/json": {"schema": schema}}


def responses(schema, *, not_found=None, invalid=False):
    """Return the responses of an operation whose 200 is `schema`."""
    found = {
        "200": {
            "description": "The document, with headers for caches.",
            "headers": {
                "ETag": header("Changes whenever the document does."),
                "Last-Modified": header("When the document was rendered."),
                "Cache-Control": header("public, max-age=…: caches may keep it."),
            },
            "content": json_body(ref(schema)),
        },
        "304": {"description": "Not modified (If-None-Match, If-Modified-Since)."},
        "401": {
            "description": "The API key is unknown or inactive, or one is required.",
            "content": json_body(ref("Error")),
        },
        "429": {
            "description": "Too many requests in a minute for this key or address.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds until requests are answered again.",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[0-9]+$"},
                }
            },
            "content": json_body(ref("Error")),
        },
    }
    if invalid:
        found["400"] = {
            "description": "A parameter has a value the API does not accept.",
            "content": json_body(ref("Error")),
        }
    if not_found:
        found["404"] = {"description": not_found, "content": json_body(ref("Error"))}
    return found


def parameters():
    return {
        "language": {
            "name": "language",
            "in": "query",
            "required": False,
            "description": (
                "The language of the content, one of the site's languages; "
                f"the source language ({settings.SOURCE_LANGUAGE}) by default."
            ),
            "schema": {"type": "string", "enum": language_codes()},
        },
        "page": {
            "name": "page",
            "in": "query",
            "required": False,
            "description": (
                f"The page of the list, from 1 ({settings.API_PAGE_SIZE} articles "
                "a page)."
            ),
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        "category": {
            "name": "category",
            "in": "query",
            "required": False,
            "description": (
                "Only the articles of a category: its slug in the language "
                "asked for, or in the source language (see /categories/)."
            ),
            "schema": {"type": "string", "pattern": SLUG_PATTERN},
        },
        "modified_since": {
            "name": "modified_since",
            "in": "query",
            "required": False,
            "description": (
                "Only the articles published (or updated) in this language at "
                "or after this moment: an RFC 3339 date-time (UTC if it has no "
                "offset) or a date (its midnight in UTC)."
            ),
            "schema": {
                "type": "string",
                "anyOf": [{"format": "date-time"}, {"format": "date"}],
            },
            "example": "2026-01-31T09:00:00Z",
        },
        "slug": {
            "name": "slug",
            "in": "path",
            "required": True,
            "description": "The article's slug in the language asked for.",
            "schema": {"type": "string", "pattern": SLUG_PATTERN},
            "example": "focal-dystonia",
        },
    }


def description():
    return (
        "Medically reviewed articles on health conditions, as schema.org JSON "
        "in the shape of the NHS website content API: each article is a "
        "`MedicalWebPage` whose sections are `mainEntityOfPage` elements. Only "
        "what is published is served; a draft is never visible.\n\n"
        "**Keys and limits.** Requests without a key are limited per client "
        "address"
        + (
            f" to {settings.API_ANONYMOUS_RATE_LIMIT} a minute"
            if settings.API_ANONYMOUS_RATE_LIMIT
            else ""
        )
        + ". Partners send their key as `Authorization: Bearer <key>` or "
        "`X-API-Key: <key>` and have the key's own limit. Over the limit the "
        "answer is 429 with `Retry-After`; an unknown key is 401.\n\n"
        "**Caching.** Every document carries `ETag`, `Last-Modified` and "
        "`Cache-Control`; send `If-None-Match` to get 304 when nothing changed."
    )


def document():
    """Return the OpenAPI 3.1 document."""
    params = {
        f"{name}": {"$ref": f"#/components/parameters/{name}"} for name in parameters()
    }
    base = reverse("library_api:root").rstrip("/")
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Health Library content API",
            "version": "1.0.0",
            "description": description(),
        },
        "servers": [{"url": absolute(base)}],
        "security": [{}, {"bearer": []}, {"apiKeyHeader": []}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "root",
                    "summary": "What the API serves, in which languages",
                    "responses": responses("Root"),
                }
            },
            "/conditions/": {
                "get": {
                    "operationId": "listConditions",
                    "summary": "The live articles of a language, A to Z, by pages",
                    "parameters": [
                        params["language"],
                        params["category"],
                        params["modified_since"],
                        params["page"],
                    ],
                    "responses": responses(
                        "ConditionList",
                        invalid=True,
                        not_found="No such category, or no such page of the list.",
                    ),
                }
            },
            "/conditions/{slug}/": {
                "get": {
                    "operationId": "getCondition",
                    "summary": "A live article in a language",
                    "parameters": [params["slug"], params["language"]],
                    "responses": responses(
                        "MedicalWebPage",
                        invalid=True,
                        not_found="No article is live at this slug in this language.",
                    ),
                }
            },
            "/categories/": {
                "get": {
                    "operationId": "listCategories",
                    "summary": "The categories that have live articles in a language",
                    "parameters": [params["language"]],
                    "responses": responses("CategoryList", invalid=True),
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description",
                    "responses": {
                        **responses("OpenApi"),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                **schemas(),
                "OpenApi": obj(["openapi", "info", "paths"], {"openapi": STRING}),
            },
            "parameters": parameters(),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A partner's API key.",
                },
                "apiKeyHeader": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-API-Key",
                    "description": "A partner's API key.",
                },
            },
        },
    }


def render_openapi():
    return rendered(document(), tags={"api"})
