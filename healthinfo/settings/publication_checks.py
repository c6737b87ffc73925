"""Publication checks (conditions/workflow/checks.py, docs/publication-checks.md)."""

# Section kinds every article must have before it is approved, e.g.
# ["when_to_see_doctor"] (the kinds are those of Section.Kind). None by default.
PUBLICATION_REQUIRED_SECTIONS = []
# The checks that block approval, by name; leave one out to switch it off.
# None means all of them (conditions.workflow.checks.CHECKS).
PUBLICATION_CHECKS = None
