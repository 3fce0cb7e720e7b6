"""Events the directory announces to the apps above it (which must not be imported from here)."""

from django.dispatch import Signal

#: Sent after a unit list was imported successfully; ``edition`` is the Edition written to.
units_imported = Signal()

#: Sent after memberships were created, changed or deleted (inside the same transaction); ``users`` are the people
#: whose memberships changed (for an edit that moved a membership, both the new and the former holder).
memberships_changed = Signal()
