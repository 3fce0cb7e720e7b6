"""Events the directory announces to the apps above it (which must not be imported from here)."""

from django.dispatch import Signal

#: Sent after a unit list was imported successfully; ``edition`` is the Edition written to.
units_imported = Signal()
