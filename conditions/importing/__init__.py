"""Importing articles from outside sources (MedlinePlus XML, schema.org JSON).

- base: what every importer shares (one transaction per file, dry runs,
  errors naming file, record and line, the summary, re-import by key)
- medlineplus: MedlinePlus health-topics XML
"""
