"""Events the submissions announce to the apps above them (which must not be imported from here)."""

from django.dispatch import Signal

#: Sent when published results changed (published, withdrawn, recomputed), inside the transaction that changed
#: them; ``unit_ids`` are the units whose results changed, or ``None`` for any unit. The public site's caches listen.
results_changed = Signal()
