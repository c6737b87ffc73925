"""Importing articles from outside sources (MedlinePlus XML, schema.org JSON).

- base: what every importer shares (one transaction per file, dry runs,
  errors naming file, record and line, the summary, re-import by key)
- medlineplus: reading MedlinePlus health-topics XML; medlineplus_apply:
  writing its topics as articles
- jsonld: schema.org MedicalWebPage documents (the NHS content API's shape)
  both ways; jsonld_apply: reading files and writing articles;
  jsonld_export: the whole library as a backup folder
"""
