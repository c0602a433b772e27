"""The words a document may hold: the kinds of entries, their statuses, the stances."""

# The kinds people choose for an entry they write (forms, filters, ``carnet add``).
KINDS = ("practice", "research", "tool", "contact", "reflection", "proposal")
# The group's synthesis texts (``store.sections``): entries too, but made by their name only.
SECTION_KIND = "section"
ENTRY_KINDS = (*KINDS, SECTION_KIND)
STATUSES = ("draft", "open", "discuss", "adopted", "archived")
STANCES = ("agree", "question", "disagree", "abstain", "block")
# What a closed decision makes of its entry.
DECISION_OUTCOMES = ("adopted", "archived")
