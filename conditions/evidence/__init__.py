"""Evidence: the references articles cite, shared across the library.

- usage: which articles cite a reference ("where used")
- duplicates: groups of references that are the same work
- merge: merging duplicates into one, keeping every citation
- links: checking reference addresses, and the broken ones
"""
